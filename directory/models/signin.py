"""Sign-ins (one row per signed-in browser) and the emailed links that have been used."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ._common import utcnow


class SignIn(db.Model):
    """A browser signed in to an account. Its session cookie holds a random token; this row holds its hash.

    Signing out deletes the row, so a copy of the cookie taken before then signs nobody in; a new password
    deletes every other row of the account (directory/auth/sign_ins.py).
    """

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class UsedLink(db.Model):
    """An emailed single-use link that has been followed: the digest of its token, so it works once."""

    __tablename__ = "used_link"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
