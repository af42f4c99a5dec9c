"""Collaborations: typed, directed links between actors, confirmed by the other side."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from .. import vocab
from ..extensions import db
from ._common import in_list, utcnow
from .actor import Actor

_LIVE = in_list("status", vocab.LIVE_LINK_STATUSES)


class LinkRuleError(ValueError):
    """A link that breaks a rule of the vocabulary; the message is shown to the user."""


class Collaboration(db.Model):
    """A link of one kind from a source actor to a target actor, with a status."""

    __tablename__ = "collaboration"
    __table_args__ = (
        CheckConstraint("source_id <> target_id", name="not_self"),
        CheckConstraint(in_list("kind", vocab.LINK_KINDS.keys()), name="kind_known"),
        CheckConstraint(in_list("status", vocab.LINK_STATUSES.keys()), name="status_known"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                        name="dates_ordered"),
        # At most one live (proposed or confirmed) link of a kind between the same pair.
        Index("uq_collaboration_live", "kind", "source_id", "target_id", unique=True,
              sqlite_where=text(_LIVE), postgresql_where=text(_LIVE)),
        Index("ix_collaboration_target", "target_id", "status"),
        Index("ix_collaboration_source", "source_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    source_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # Which end proposed it: the other end's managers confirm it.
    proposed_from_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id", ondelete="SET NULL"))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(Text, default="")
    last_confirmed: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    source = relationship("Actor", foreign_keys=[source_id], lazy="joined", innerjoin=True)
    target = relationship("Actor", foreign_keys=[target_id], lazy="joined", innerjoin=True)
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])

    @validates("kind")
    def _kind(self, _key, value):
        if value not in vocab.LINK_KINDS:
            raise LinkRuleError(f"“{value}” is not a kind of link")
        return value

    @validates("status")
    def _status(self, _key, value):
        if value not in vocab.LINK_STATUSES:
            raise LinkRuleError(f"“{value}” is not a link status")
        return value

    @property
    def link_kind(self) -> vocab.LinkKind:
        """The vocabulary entry for this link's kind."""
        return vocab.LINK_KINDS[self.kind]

    @property
    def is_live(self) -> bool:
        """Proposed or confirmed, not declined or ended."""
        return self.status in vocab.LIVE_LINK_STATUSES

    def repeats(self, user_id: int, from_id: int, note: str) -> bool:
        """True when this is still the waiting proposal that user made from that end with that note: a second
        press of the button is answered with it rather than refused as a duplicate."""
        return (self.status == "proposed" and self.proposed_by_id == user_id and self.proposed_from_id == from_id
                and self.note == note)

    def other_end(self, actor_id: int):
        """The actor at the other end from actor_id."""
        return self.target if self.source_id == actor_id else self.source

    def __repr__(self) -> str:
        return f"<Collaboration {self.source_id} {self.kind} {self.target_id} {self.status}>"


def check_link(kind: str, source, target) -> None:
    """Raise LinkRuleError unless a link of this kind may join source to target."""
    link_kind = vocab.LINK_KINDS.get(kind)
    if link_kind is None:
        raise LinkRuleError(f"“{kind}” is not a kind of link")
    if source is None or target is None:
        raise LinkRuleError("A link needs an actor at both ends")
    if source is target or (source.id is not None and source.id == target.id):
        raise LinkRuleError("An actor cannot be linked to itself")
    if not link_kind.allows(source.kind, target.kind):
        raise LinkRuleError(
            f"“{link_kind.label}” cannot join a {source.kind_label.lower()} to a "
            f"{target.kind_label.lower()}"
        )
    if link_kind.source_service_types and not set(source.service_types) & link_kind.source_service_types:
        raise LinkRuleError(f"“{link_kind.label}” must start at an accommodation service")
    if link_kind.target_service_types and not set(target.service_types) & link_kind.target_service_types:
        raise LinkRuleError(f"“{link_kind.label}” must end at an accommodation or housing service")


@event.listens_for(Session, "before_flush")
def _check_links(session: Session, _ctx, _instances) -> None:
    """Enforce the vocabulary's rules on every new or changed link, whoever writes it."""
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Collaboration):
            continue
        source = obj.source or (obj.source_id and session.get(Actor, obj.source_id))
        target = obj.target or (obj.target_id and session.get(Actor, obj.target_id))
        check_link(obj.kind, source, target)
        # Both-ways kinds are stored once, lower id first, so the unique index sees duplicates.
        if obj.link_kind.both_ways and source.id and target.id and source.id > target.id:
            obj.source, obj.target = target, source
