"""What a moderator may see and decide on."""
from __future__ import annotations

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import access
from ..extensions import db
from ..models import Actor, ClaimRequest, Management, User


def is_moderator(user) -> bool:
    """True for admins and for coordinators of an active forum with an area."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_admin or access.moderated_area_ids(user))


def _in_my_areas(stmt, user):
    """Limit a statement over Actor to the areas the user moderates (admins: everywhere)."""
    if user.is_admin:
        return stmt
    return stmt.where(Actor.area_id.in_(access.moderated_area_ids(user) or {-1}))


def pending_records(user):
    """Pending records the user may decide on, oldest first."""
    stmt = select(Actor).where(Actor.status == "pending").order_by(Actor.created_at, Actor.id)
    return _in_my_areas(stmt, user)


def pending_claims(user):
    """Pending requests to manage records the user may decide on, oldest first."""
    stmt = (select(ClaimRequest).join(Actor, ClaimRequest.actor_id == Actor.id)
            .where(ClaimRequest.status == "pending")
            .options(joinedload(ClaimRequest.actor), joinedload(ClaimRequest.user))
            .order_by(ClaimRequest.created_at, ClaimRequest.id))
    return _in_my_areas(stmt, user)


def count(stmt) -> int:
    """How many rows a statement returns."""
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def managers_of(actor_ids) -> dict[int, list[User]]:
    """The managers of each record, in one query."""
    found: dict[int, list[User]] = {i: [] for i in actor_ids}
    if not found:
        return found
    rows = db.session.execute(select(Management.actor_id, User).join(User, Management.user_id == User.id)
                              .where(Management.actor_id.in_(found)).order_by(User.email))
    for actor_id, user in rows:
        found[actor_id].append(user)
    return found


def record_to_moderate_or_404(actor_id: int) -> Actor:
    """A record the current user moderates: 404 if they may not see it, 403 if they may not decide."""
    actor = access.get_actor_or_404(actor_id)
    if not access.moderates(actor):
        abort(403)
    return actor


def claim_to_moderate_or_404(claim_id: int) -> ClaimRequest:
    """A request to manage a record in an area the current user moderates, else 404."""
    claim = db.session.get(ClaimRequest, claim_id)
    if claim is None or not access.moderates(claim.actor):
        abort(404)
    return claim
