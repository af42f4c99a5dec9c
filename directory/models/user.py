"""Users, who manages what, and the requests and notices around them."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..config import DEFAULTS
from ..extensions import db
from ..validation import check_email
from ._common import in_list, utcnow


class User(UserMixin, db.Model):
    """A person who signs in; may manage actors; may be an admin."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256), default="")
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    managements = relationship("Management", back_populates="user", cascade="all, delete-orphan")

    @validates("email")
    def _email(self, _key, value):
        return check_email(value)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @staticmethod
    def hash_password(password: str) -> str:
        """The stored form of a password (salted; scrypt unless the PASSWORD_HASH_METHOD setting says otherwise)."""
        return generate_password_hash(password, method=_hash_method())

    def set_password(self, password: str) -> None:
        """Hash and store a password."""
        self.password_hash = self.hash_password(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches; as slow when there is no password, so timing tells nothing."""
        if not self.password_hash:
            return dummy_password_check(password)
        return check_password_hash(self.password_hash, password)

    @property
    def credentials_fingerprint(self) -> str:
        """A short digest of the password hash and the email address: it changes when either does.

        Reset and change-email links carry it, so any change of password or email address ends them all.
        """
        return hashlib.sha256(f"{self.password_hash or ''}\n{self.email}".encode()).hexdigest()[:20]

    def __repr__(self) -> str:
        return f"<User {self.id}>"


def _hash_method() -> str:
    """The PASSWORD_HASH_METHOD setting (the default outside an app, as in a script)."""
    default = DEFAULTS["PASSWORD_HASH_METHOD"]
    return current_app.config.get("PASSWORD_HASH_METHOD", default) if has_app_context() else default


_DUMMY_HASH: dict[str, str] = {}  # method -> a throwaway hash made with it


def dummy_password_check(password: str) -> bool:
    """Check a password against a throwaway hash and return False.

    Used when there is no account (or no password) so that the answer takes as long as a real check
    and its timing does not tell whether an email address has an account.
    """
    method = _hash_method()
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash(secrets.token_hex(16), method=method)
    check_password_hash(_DUMMY_HASH[method], password)
    return False


class Management(db.Model):
    """A user manages an actor."""

    __tablename__ = "management"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", back_populates="managements")
    actor = relationship("Actor")


class ClaimRequest(db.Model):
    """A user asks to manage an existing record ("this is us")."""

    __tablename__ = "claim_request"
    __table_args__ = (
        CheckConstraint(in_list("status", ("pending", "approved", "rejected")), name="status_known"),
        # One waiting request per person and record, however many times "Send" is pressed at once.
        Index("uq_claim_request_pending", "actor_id", "user_id", unique=True,
              sqlite_where=text("status = 'pending'"), postgresql_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    actor = relationship("Actor")
    user = relationship("User", foreign_keys=[user_id])


class ManagerInvitation(db.Model):
    """An emailed invitation to become a manager of an actor; single use."""

    __tablename__ = "manager_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]

    actor = relationship("Actor")


class Notification(db.Model):
    """An in-app notice for a user."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
