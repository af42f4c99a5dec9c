"""Areas: local authority areas or regions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..extensions import db
from ..validation import check_latitude, check_longitude
from ._common import Versioned, utcnow


class Area(Versioned, db.Model):
    """A local authority area or region with a map centre and optional boundary."""

    __tablename__ = "area"
    __table_args__ = (
        CheckConstraint("centre_lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("centre_lon BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint("zoom BETWEEN 1 AND 19", name="zoom_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    centre_lat: Mapped[float]
    centre_lon: Mapped[float]
    zoom: Mapped[int] = mapped_column(default=12)
    boundary: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, as text
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @validates("centre_lat")
    def _lat(self, _key, value):
        return check_latitude(value)

    @validates("centre_lon")
    def _lon(self, _key, value):
        return check_longitude(value)

    def __repr__(self) -> str:
        return f"<Area {self.slug}>"
