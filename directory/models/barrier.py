"""Barrier reports: where a service says it struggles to fit in."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .. import vocab
from ..extensions import db
from ._common import Versioned, in_list, utcnow


class BarrierReport(Versioned, db.Model):
    """A service's own report of a barrier: category, stage, description, since, visibility."""

    __tablename__ = "barrier_report"
    __table_args__ = (
        CheckConstraint(in_list("category", vocab.BARRIER_CATEGORIES.keys()), name="category_known"),
        CheckConstraint(in_list("visibility", vocab.BARRIER_VISIBILITIES.keys()), name="visibility_known"),
        CheckConstraint("stage IS NULL OR stage BETWEEN 1 AND 7", name="stage_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    stage: Mapped[int | None]
    description: Mapped[str] = mapped_column(Text, default="")
    since: Mapped[date | None]
    visibility: Mapped[str] = mapped_column(String(20), default="public")
    archived: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    actor = relationship("Actor")

    @validates("category")
    def _category(self, _key, value):
        if value not in vocab.BARRIER_CATEGORIES:
            raise ValueError(f"“{value}” is not a barrier category")
        return value

    @validates("visibility")
    def _visibility(self, _key, value):
        if value not in vocab.BARRIER_VISIBILITIES:
            raise ValueError(f"“{value}” is not a visibility setting")
        return value

    @validates("stage")
    def _stage(self, _key, value):
        if value is not None and int(value) not in vocab.STAGE_NUMBERS:
            raise ValueError("Stage must be between 1 and 7")
        return None if value is None else int(value)

    @property
    def category_label(self) -> str:
        """The category, in words."""
        return vocab.BARRIER_CATEGORIES.label(self.category)
