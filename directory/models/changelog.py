"""The change log: who changed what, when, with old and new values."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._common import utcnow


class ChangeLog(db.Model):
    """One change to one record."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_object", "object_type", "object_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [old, new]

    user = relationship("User")


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def record_change(obj, action: str, user=None, changes: dict | None = None) -> ChangeLog:
    """Add a change-log entry for obj to the session (committed with the change itself)."""
    entry = ChangeLog(
        object_type=type(obj).__name__.lower(),
        object_id=obj.id,
        action=action,
        user_id=getattr(user, "id", None),
        changes={k: [_plain(o), _plain(n)] for k, (o, n) in (changes or {}).items()},
    )
    db.session.add(entry)
    return entry
