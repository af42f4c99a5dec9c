"""Collects the route modules of the partners blueprint; the app registers `bp` from here."""
from . import activity, interest, search  # noqa: F401  (routes register on import)
from .blueprint import bp

__all__ = ["bp"]
