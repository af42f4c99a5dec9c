"""Small helpers shared by the manage routes."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from flask import request
from sqlalchemy import select

from .. import vocab
from ..extensions import db
from ..models import Management, User


def stale_cutoff() -> date:
    """The last date that still counts as fresh: older confirmations are stale."""
    return date.today() - timedelta(days=vocab.STALE_AFTER_DAYS)


def back_to(default: str) -> str:
    """The `next` form value if it is a path on this site, else default."""
    target = request.form.get("next") or request.args.get("next") or ""
    parts = urlsplit(target)
    if (not target or parts.scheme or parts.netloc or not target.startswith("/")
            or target.startswith("//") or "\\" in target):
        return default
    return target


def managers_of(actor_id: int) -> list[User]:
    """The users who manage an actor, by name then email."""
    return list(db.session.scalars(
        select(User).join(Management, Management.user_id == User.id)
        .where(Management.actor_id == actor_id).order_by(User.name, User.email)))


def managed_ids(user) -> set[int]:
    """Ids of the actors a user manages."""
    return set(db.session.scalars(select(Management.actor_id).where(Management.user_id == user.id)))


def who(user) -> str:
    """How to name a user to other managers."""
    if user is None:
        return "someone"
    return user.name or user.email


