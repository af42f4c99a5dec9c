"""Routes of the records blueprint: registration journeys, claims and editing."""
from . import edit, journey  # noqa: F401  (they add their routes to bp)
from .blueprint import bp

__all__ = ["bp"]
