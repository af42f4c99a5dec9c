"""Sign-ins kept on the server: one row per signed-in browser, so signing out really ends it.

The session cookie carries a random token (besides Flask-Login's user id); the database keeps only its
SHA-256 in `sign_in`. A request is signed in only while that row exists, so a copy of the cookie taken
before signing out signs nobody in afterwards. A new password ends every other browser's sign-in, and a
sign-in lasts at most MAX_AGE however active it is.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import session
from flask_login import login_user, logout_user
from sqlalchemy import delete, select

from ..extensions import db, login_manager
from ..models import SignIn, User
from ..models._common import utcnow
from .tokens import token_hash

SESSION_KEY = "sign_in"
MAX_AGE = timedelta(days=30)


def begin(user: User) -> None:
    """Sign this browser in as user: a new sign-in row (and a new token in the cookie), committed."""
    token = secrets.token_urlsafe(32)
    # The account's sign-ins too old to be used are tidied away as a new one begins.
    db.session.execute(delete(SignIn).where(SignIn.user_id == user.id, SignIn.created_at < utcnow() - MAX_AGE))
    db.session.add(SignIn(user_id=user.id, token_hash=token_hash(token)))
    db.session.commit()
    login_user(user)
    session[SESSION_KEY] = token


def end() -> None:
    """Sign this browser out: its sign-in row is deleted, so no copy of the cookie works any more."""
    token = session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        db.session.execute(delete(SignIn).where(SignIn.token_hash == token_hash(token)))
        db.session.commit()
    logout_user()


def end_all(user: User, *, but_this_browser: bool = False) -> None:
    """End every sign-in of the account (but this browser's, if asked); in the caller's transaction."""
    query = delete(SignIn).where(SignIn.user_id == user.id)
    token = session.get(SESSION_KEY)
    if but_this_browser and isinstance(token, str):
        query = query.where(SignIn.token_hash != token_hash(token))
    db.session.execute(query)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """Flask-Login: the signed-in user, while this browser's sign-in exists and the account is open."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    try:
        ident = int(user_id)
    except (TypeError, ValueError, OverflowError):
        return None
    user = db.session.scalar(select(User).join(SignIn, SignIn.user_id == User.id).where(
        User.id == ident, SignIn.token_hash == token_hash(token), SignIn.created_at >= utcnow() - MAX_AGE))
    return user if user is not None and user.active else None
