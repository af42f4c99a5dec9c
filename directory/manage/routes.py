"""Collects the route modules of the manage blueprint; the app registers `bp` from here."""
from . import barriers, dashboard, links, managers, records, stale  # noqa: F401  (routes register on import)
from .blueprint import bp

__all__ = ["bp"]
