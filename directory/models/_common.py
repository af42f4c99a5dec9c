"""Helpers shared by the model modules."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (stored the same on SQLite and PostgreSQL)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def in_list(column: str, keys) -> str:
    """SQL text for a CHECK constraint that a column holds one of the keys."""
    quoted = ", ".join("'" + k.replace("'", "''") + "'" for k in keys)
    return f"{column} IN ({quoted})"
