"""Who may see or change what: every object lookup goes through here."""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, select

from .extensions import db
from .models import Actor, Collaboration, Management


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


def moderated_area_ids(user=None) -> set[int]:
    """Areas the user moderates: those of the active forums they manage."""
    user = _user(user)
    if user is None:
        return set()
    rows = db.session.scalars(
        select(Actor.area_id).join(Management, Management.actor_id == Actor.id).where(
            Management.user_id == user.id, Actor.kind == "forum", Actor.status == "active",
            Actor.area_id.is_not(None))
    )
    return set(rows)


def moderates(actor: Actor, user=None) -> bool:
    """True for admins, and for coordinators of a forum in the actor's area."""
    user = _user(user)
    if user is None:
        return False
    return user.is_admin or (actor.area_id is not None and actor.area_id in moderated_area_ids(user))


def coordinates_forum_of(actor: Actor, user=None) -> bool:
    """True for admins and for managers of an active forum the actor is a confirmed member of (or chairs)."""
    user = _user(user)
    if user is None:
        return False
    if user.is_admin:
        return True
    forum_ids = select(Collaboration.target_id).where(
        Collaboration.source_id == actor.id, Collaboration.status == "confirmed",
        Collaboration.kind.in_(("member_of", "chairs")))
    return bool(db.session.scalar(select(exists().where(
        Management.user_id == user.id, Management.actor_id.in_(forum_ids),
        Management.actor_id.in_(select(Actor.id).where(Actor.status == "active"))))))


def can_view(actor: Actor, user=None) -> bool:
    """Active records are public; others only to their managers and moderators."""
    if actor.status == "active":
        return True
    return manages(actor.id, user) or moderates(actor, user)


def can_edit(actor: Actor, user=None) -> bool:
    """Managers and moderators may change a record."""
    return manages(actor.id, user) or moderates(actor, user)


def get_actor_or_404(actor_id: int, *, edit: bool = False) -> Actor:
    """Fetch an actor the current user may see (or change), else 404 (or 403)."""
    actor = db.session.get(Actor, actor_id)
    if actor is None or not can_view(actor):
        abort(404)
    if edit and not can_edit(actor):
        abort(403)
    return actor


def get_link_or_404(link_id: int) -> Collaboration:
    """Fetch a link only a party to it (or a moderator of either end) may act on."""
    link = db.session.get(Collaboration, link_id)
    if link is None:
        abort(404)
    if not (can_edit(link.source) or can_edit(link.target)):
        abort(404)
    return link
