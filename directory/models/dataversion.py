"""The data version: a token that changes with every committed change to what the map and analysis read."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class DataVersion(db.Model):
    """One row (id 1): a random token, replaced in the same transaction as any change to the snapshot's tables.

    Cached national maps and rankings are keyed by it, so every process sees a change on its next request.
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
