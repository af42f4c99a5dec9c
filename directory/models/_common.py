"""Helpers shared by the model modules."""
from datetime import datetime, timezone

from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (stored the same on SQLite and PostgreSQL)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def in_list(column: str, keys) -> str:
    """SQL text for a CHECK constraint that a column holds one of the keys."""
    quoted = ", ".join("'" + k.replace("'", "''") + "'" for k in keys)
    return f"{column} IN ({quoted})"


class Versioned:
    """A version number that SQLAlchemy checks and raises on every UPDATE of the row.

    An UPDATE from a session that read an older version matches no row and raises StaleDataError
    instead of silently overwriting a colleague's change (the app answers it with a 409). The
    check is in the UPDATE's WHERE clause, so it holds whatever the database's transaction
    isolation: on PostgreSQL the row lock makes a concurrent UPDATE wait and then see the new
    version; on SQLite pysqlite only begins a transaction at the first write, and that write
    then waits for the database's single write lock and sees every committed version.
    """

    version: Mapped[int] = mapped_column(server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}
