"""Who may act on a link, and the queries behind the inbox and the record panel."""
from __future__ import annotations

from flask import g
from sqlalchemy import Select, and_, or_, select

from .. import access, vocab
from ..extensions import db
from ..models import Actor, Collaboration, Management
from .helpers import managed_ids


def confirming_ends(link: Collaboration) -> list[Actor]:
    """The end (or ends) whose managers may confirm: the one that did not propose it."""
    if link.proposed_from_id == link.source_id:
        return [link.target]
    if link.proposed_from_id == link.target_id:
        return [link.source]
    return [link.source, link.target]


def proposing_end(link: Collaboration) -> Actor | None:
    """The end that proposed the link, if known."""
    if link.proposed_from_id == link.source_id:
        return link.source
    if link.proposed_from_id == link.target_id:
        return link.target
    return None


def can_confirm(link: Collaboration, user) -> bool:
    """A manager or moderator of the confirming end; the proposer only as a moderator of it."""
    if link.status != "proposed" or not getattr(user, "is_authenticated", False):
        return False
    ends = confirming_ends(link)
    if link.proposed_by_id == user.id:
        return any(access.moderates(end, user) for end in ends)
    return any(access.can_edit(end, user) for end in ends)


def can_withdraw(link: Collaboration, user) -> bool:
    """The proposing side may withdraw a proposal that is still waiting."""
    end = proposing_end(link)
    return link.status == "proposed" and end is not None and access.can_edit(end, user)


def is_party(link: Collaboration, user) -> bool:
    """A manager or moderator of either end."""
    return access.can_edit(link.source, user) or access.can_edit(link.target, user)


def can_read_note(link: Collaboration, user) -> bool:
    """Only the managers of either end read a link's note (it may hold a researcher's private message).

    Moderators and admins may act on the link, but the note was written for the two parties only.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    cache = g.setdefault("managed_ids_by_user", {})
    if user.id not in cache:
        cache[user.id] = managed_ids(user)
    return link.source_id in cache[user.id] or link.target_id in cache[user.id]


def inbox_query(user) -> Select:
    """Proposed links waiting for this user: the confirming end is a record they manage."""
    mine = select(Management.actor_id).where(Management.user_id == user.id)
    src, tgt, frm = Collaboration.source_id, Collaboration.target_id, Collaboration.proposed_from_id
    return (select(Collaboration).where(
        Collaboration.status == "proposed",
        or_(and_(tgt.in_(mine), or_(frm.is_(None), frm != tgt)),
            and_(src.in_(mine), or_(frm.is_(None), frm != src))))
        .order_by(Collaboration.created_at.desc(), Collaboration.id.desc()))


def outgoing_query(user) -> Select:
    """Links this user's records proposed that still wait for the other side."""
    mine = select(Management.actor_id).where(Management.user_id == user.id)
    return (select(Collaboration).where(Collaboration.status == "proposed",
                                        Collaboration.proposed_from_id.in_(mine))
            .order_by(Collaboration.created_at.desc(), Collaboration.id.desc()))


def live_duplicate(kind: str, source_id: int, target_id: int) -> Collaboration | None:
    """A proposed or confirmed link of the same kind between the same pair, if any."""
    same = and_(Collaboration.source_id == source_id, Collaboration.target_id == target_id)
    if vocab.LINK_KINDS[kind].both_ways:
        same = or_(same, and_(Collaboration.source_id == target_id, Collaboration.target_id == source_id))
    return db.session.scalars(select(Collaboration).where(
        Collaboration.kind == kind, Collaboration.status.in_(vocab.LIVE_LINK_STATUSES), same).limit(1)).first()


def links_of(actor_id: int, statuses=vocab.LIVE_LINK_STATUSES) -> list[Collaboration]:
    """An actor's links in the given statuses, both directions."""
    return list(db.session.scalars(select(Collaboration).where(
        or_(Collaboration.source_id == actor_id, Collaboration.target_id == actor_id),
        Collaboration.status.in_(statuses)).order_by(Collaboration.status.desc(), Collaboration.kind,
                                                     Collaboration.id)).unique())


def search_others(actor: Actor, q: str, limit: int = 20) -> list[Actor]:
    """Up to `limit` active actors whose name or details match q, other than actor itself."""
    return search_actors(q, statuses=("active",), exclude_id=actor.id, limit=limit)


def search_actors(q: str, *, statuses=("active",), exclude_id: int | None = None, limit: int = 20) -> list[Actor]:
    """Up to `limit` actors in the given statuses (None: any) whose name or details match every word of q."""
    words = q.lower().split()[:8]
    if not words:
        return []
    stmt = select(Actor)
    if statuses is not None:
        stmt = stmt.where(Actor.status.in_(statuses))
    if exclude_id is not None:
        stmt = stmt.where(Actor.id != exclude_id)
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Actor.search_text.like(f"%{escaped}%", escape="\\"))
    return list(db.session.scalars(stmt.order_by(Actor.name, Actor.id).limit(limit)).unique())


def describe(link: Collaboration) -> str:
    """A link in words: “A refers to B”."""
    return f"{link.source.name} – {link.link_kind.label.lower()} – {link.target.name}"
