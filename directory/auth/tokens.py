"""Signed, expiring links sent by email: password reset, finishing a sign-up, confirming a new email address.

Reset and change-email links name the current password hash and email address (their fingerprint), so a
used or outdated link dies, and so does every link sent before the password or the address changed. The
sign-up link carries the new account itself, so nothing is stored until it is followed; then the digest
of its token is kept, so it works once. That link holds the hashed password, so it is encrypted as well as signed (Fernet, with a key derived
from SECRET_KEY): whoever reads the email learns nothing they could try to crack.
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete

from ..extensions import db
from ..models import UsedLink, User
from ..models._common import utcnow

SALT = "password-reset"
MAX_AGE = 3600  # seconds: a reset link works for one hour
SIGN_UP_SALT = "sign-up"
EMAIL_SALT = "change-email"
LINK_MAX_AGE = 24 * 3600  # seconds: sign-up and change-email links work for a day
LINK_HOURS = LINK_MAX_AGE // 3600


def token_hash(token: str) -> str:
    """The stored form of a secret token (invitations, sign-ins): only its SHA-256 is kept."""
    return hashlib.sha256(token.encode()).hexdigest()


def _serializer(salt: str = SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _load(token: str, salt: str, max_age: int) -> dict | None:
    """The payload of a token signed with this salt and younger than max_age, or None."""
    try:
        data = _serializer(salt).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None


def _user_with_fingerprint(data: dict) -> User | None:
    """The active user a payload names, if their password and email have not changed since it was made."""
    if not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.active or data.get("fp") != user.credentials_fingerprint:
        return None
    return user


def make_reset_token(user: User) -> str:
    """A signed token naming the user and their current password."""
    return _serializer().dumps({"id": user.id, "fp": user.credentials_fingerprint})


def user_for_reset_token(token: str, max_age: int = MAX_AGE) -> User | None:
    """The active user a reset token is for, or None when it is forged, expired or already used."""
    data = _load(token, SALT, max_age)
    return None if data is None else _user_with_fingerprint(data)


def _sign_up_cipher() -> Fernet:
    """Fernet (AES-128 in CBC mode with an HMAC-SHA256, timestamped) under a key derived from SECRET_KEY."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SIGN_UP_SALT.encode()).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def make_sign_up_token(email: str, name: str, password_hash: str, next_url: str, *,
                       issued_at: int | None = None) -> str:
    """An encrypted, signed token carrying a new account (the password already hashed) and where to go after.

    `issued_at` (seconds since the epoch; default now) is for tests of expired links.
    """
    payload = json.dumps({"email": email, "name": name, "pw": password_hash, "next": next_url}).encode()
    when = int(time.time()) if issued_at is None else int(issued_at)
    return _sign_up_cipher().encrypt_at_time(payload, when).decode("ascii")


def sign_up_from_token(token: str, max_age: int = LINK_MAX_AGE) -> dict | None:
    """The new account a sign-up token carries, or None when it is forged, mangled or expired."""
    try:
        data = json.loads(_sign_up_cipher().decrypt(token.encode("ascii"), ttl=max_age))
    except (InvalidToken, UnicodeEncodeError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("email", "name", "pw", "next")):
        return None
    return data


def _link_key(token: str) -> str:
    """The digest of what a sign-up token (one sign_up_from_token accepted) decodes to: base64 decoding
    skips stray characters, so one link can be written several ways, and all of them are the same link."""
    return hashlib.sha256(base64.urlsafe_b64decode(token.encode("ascii"))).hexdigest()


def link_used(token: str) -> bool:
    """True when this single-use link has been followed already."""
    return db.session.get(UsedLink, _link_key(token)) is not None


def mark_link_used(token: str) -> None:
    """Record in the caller's transaction that a single-use link has been followed (a second try at the
    same moment fails on the key); keys of links too old to work any more are tidied away."""
    db.session.execute(delete(UsedLink).where(UsedLink.used_at < utcnow() - timedelta(seconds=LINK_MAX_AGE)))
    db.session.add(UsedLink(key=_link_key(token)))


def make_email_change_token(user: User, new_email: str) -> str:
    """A signed token to move the user from their current email address to new_email."""
    return _serializer(EMAIL_SALT).dumps(
        {"id": user.id, "fp": user.credentials_fingerprint, "old": user.email, "new": new_email})


def email_change_from_token(token: str, max_age: int = LINK_MAX_AGE) -> tuple[User, str] | None:
    """(user, new address) for a change-email token, or None when it is forged, expired or out of date.

    Out of date: the password or the email address changed since it was sent (so it works once).
    """
    data = _load(token, EMAIL_SALT, max_age)
    if data is None or not isinstance(data.get("new"), str):
        return None
    user = _user_with_fingerprint(data)
    if user is None or user.email != data.get("old"):
        return None
    return user, data["new"]
