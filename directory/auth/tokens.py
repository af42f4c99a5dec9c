"""Password-reset tokens: signed, expiring, and single use (they name the current password hash)."""
from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import User

SALT = "password-reset"
MAX_AGE = 3600  # seconds: a reset link works for one hour


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    """A short digest of the password hash: it changes when the password does, so a used link dies."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def make_reset_token(user: User) -> str:
    """A signed token naming the user and their current password."""
    return _serializer().dumps({"id": user.id, "fp": _fingerprint(user)})


def user_for_reset_token(token: str, max_age: int = MAX_AGE) -> User | None:
    """The active user a reset token is for, or None when it is forged, expired or already used."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.active or data.get("fp") != _fingerprint(user):
        return None
    return user
