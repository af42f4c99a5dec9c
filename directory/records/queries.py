"""Database look-ups for the registration journeys."""
from __future__ import annotations

from sqlalchemy import case, or_, select

from ..extensions import db
from ..models import Actor, Area, ClaimRequest, Management
from .duplicates import Candidate, likely_duplicates


def all_areas() -> list[Area]:
    """Every area, by name."""
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def duplicate_matches(kind: str, answers: dict, *, exclude_ids=()) -> list:
    """Likely duplicates (active or pending, same kind) of the record the answers describe.

    A confidential service's postcode is neither compared nor read: it is found by name and area only.
    """
    area_id = int(answers["area_id"]) if answers.get("area_id") else None
    postcode = answers.get("postcode") or None
    near = []
    if area_id is not None:
        near.append(Actor.area_id == area_id)
    if postcode:
        near.append((Actor.postcode == postcode) & Actor.confidential.is_(False))
    if not near:
        return []
    rows = db.session.execute(
        select(Actor.id, Actor.name, Actor.area_id, case((Actor.confidential.is_(True), None), else_=Actor.postcode),
               Actor.status, Actor.confidential).where(
            Actor.kind == kind, Actor.status.in_(("active", "pending")), or_(*near))
    )
    candidates = [Candidate(*r) for r in rows]
    return likely_duplicates(answers.get("name", ""), area_id, postcode, candidates, exclude_ids=exclude_ids)


def has_pending_claim(actor_id: int, user_id: int) -> bool:
    """True when the user already asked to manage the record and is waiting."""
    return db.session.scalar(select(ClaimRequest.id).where(
        ClaimRequest.actor_id == actor_id, ClaimRequest.user_id == user_id,
        ClaimRequest.status == "pending").limit(1)) is not None


def is_manager(actor_id: int, user_id: int) -> bool:
    """True when the user already manages the record."""
    return db.session.get(Management, (user_id, actor_id)) is not None
