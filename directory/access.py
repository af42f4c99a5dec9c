"""Who may see or change what: every object lookup goes through here."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, exists, select, union

from .extensions import db
from . import vocab
from .models import Actor, Area, Collaboration, Management


def _user(user=None):
    user = user if user is not None else current_user
    return user if getattr(user, "is_authenticated", False) else None


def manages(actor_id: int, user=None) -> bool:
    """True when the user is a manager of the actor."""
    user = _user(user)
    if user is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        Management.user_id == user.id, Management.actor_id == actor_id))))


def _managed_forums(user_id: int) -> Select:
    """SQL: ids of the active forums the user manages (each makes them a coordinator of its area)."""
    return select(Actor.id).join(Management, Management.actor_id == Actor.id).where(
        Management.user_id == user_id, Actor.kind == "forum", Actor.status == "active")


def moderated_area_ids(user=None, *, besides: int | None = None) -> set[int]:
    """Areas the user moderates: those of the active forums they manage (other than the record `besides`)."""
    user = _user(user)
    if user is None:
        return set()
    stmt = select(Actor.area_id).where(Actor.id.in_(_managed_forums(user.id)), Actor.area_id.is_not(None))
    if besides is not None:
        stmt = stmt.where(Actor.id != besides)
    return set(db.session.scalars(stmt))


def moderates(actor: Actor, user=None) -> bool:
    """True for admins, and for coordinators of a forum in the actor's area."""
    user = _user(user)
    if user is None:
        return False
    return user.is_admin or (actor.area_id is not None and actor.area_id in moderated_area_ids(user))


# --- barrier reports ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BarrierScope:
    """Which barrier reports a viewer may see: public ones always, members' ones when signed in, and the
    coordinators-only reports of the services in ``coordinators_of`` (None: of every service, for admins)."""

    members: bool = False
    coordinators_of: frozenset[int] | None = frozenset()

    @property
    def levels(self) -> tuple[str, ...]:
        """The visibility levels worth loading; ``allows`` then narrows the coordinators' level by service."""
        some = self.coordinators_of is None or bool(self.coordinators_of)
        return ("public",) + (("members",) if self.members else ()) + (("coordinators",) if some else ())

    @property
    def everything(self) -> bool:
        """True when the viewer may see every report (admins)."""
        return self.members and self.coordinators_of is None

    def allows(self, visibility: str, actor_id: int) -> bool:
        """May the viewer see a report with this visibility about this service?"""
        if visibility == "public":
            return True
        if visibility == "members":
            return self.members
        return self.coordinators_of is None or actor_id in self.coordinators_of


def _coordinated_actors(user_id: int) -> Select:
    """SQL: the actors whose coordinators-only barrier reports a (non-admin) user may see.

    Those they manage; those homed in an area they moderate (they can edit them, so see them anyway);
    and the confirmed members and chairs of an active forum they manage. Serving an area the user
    moderates is not enough: a service shares these reports with its own forums and home area only.
    """
    forums = _managed_forums(user_id)
    return union(
        select(Management.actor_id).where(Management.user_id == user_id),
        select(Actor.id).where(Actor.area_id.in_(select(Actor.area_id).where(Actor.id.in_(forums)))),
        select(Collaboration.source_id).where(
            Collaboration.target_id.in_(forums), Collaboration.status == "confirmed",
            Collaboration.kind.in_(sorted(vocab.MEMBERSHIP_LINK_KINDS))),
    )


def barrier_scope(user=None) -> BarrierScope:
    """The one rule for who may see which barrier report, as a set (one query at most): used by the
    record page, the analysis and its downloads, the map's gaps overlay and the lists."""
    user = _user(user)
    if user is None:
        return BarrierScope()
    if user.is_admin:
        return BarrierScope(members=True, coordinators_of=None)
    return BarrierScope(members=True, coordinators_of=frozenset(db.session.scalars(_coordinated_actors(user.id))))


def can_view(actor: Actor, user=None) -> bool:
    """Active records are public; others only to their managers and moderators."""
    if actor.status == "active":
        return True
    return manages(actor.id, user) or moderates(actor, user)


def can_edit(actor: Actor, user=None) -> bool:
    """Managers and moderators may change a record."""
    return manages(actor.id, user) or moderates(actor, user)


def archiving_role(actor: Actor, user=None) -> str:
    """The role in which the user would archive a record: "admin", "moderator" or "manager" (vocab.ARCHIVED_AS).

    Someone who both manages a record and coordinates its area archives it as a moderator. A forum's own
    manager archiving that forum does so as its manager: the forum is what made them a coordinator.
    """
    user = _user(user)
    if user is not None and user.is_admin:
        return "admin"
    if actor.area_id is not None and actor.area_id in moderated_area_ids(user, besides=actor.id):
        return "moderator"
    return "manager"


def can_restore(actor: Actor, user=None) -> bool:
    """A manager's archive: anyone who may change the record. A moderator's or admin's: its moderators only."""
    if actor.archived_as in ("moderator", "admin"):
        return moderates(actor, user)
    return can_edit(actor, user)


def get_actor_or_404(actor_id: int, *, edit: bool = False) -> Actor:
    """Fetch an actor the current user may see (or change), else 404 (or 403)."""
    actor = db.session.get(Actor, actor_id)
    if actor is None or not can_view(actor):
        abort(404)
    if edit and not can_edit(actor):
        abort(403)
    return actor


def get_area_or_404(slug: str, *, coordinated: str | None = None) -> Area:
    """Fetch an area by its slug, else 404. With ``coordinated`` (what the page shows, for the 403 message),
    only its coordinators (managers of its active forums) and admins get it; anyone else gets a 403."""
    area = db.session.scalar(select(Area).where(Area.slug == slug))
    if area is None:
        abort(404)
    user = _user()
    if coordinated is not None and not (user and (user.is_admin or area.id in moderated_area_ids(user))):
        abort(403, f"Only the coordinators of this area's forums and admins can see {coordinated}.")
    return area


def get_link_or_404(link_id: int) -> Collaboration:
    """Fetch a link only a party to it (or a moderator of either end) may act on."""
    link = db.session.get(Collaboration, link_id)
    if link is None:
        abort(404)
    if not (can_edit(link.source) or can_edit(link.target)):
        abort(404)
    return link
