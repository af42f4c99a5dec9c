"""Actors: the services, forums and researchers that make up the network."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from .. import vocab
from ..extensions import db
from ..validation import (
    check_email, check_latitude, check_longitude, check_web_address, normalise_postcode,
)
from ._common import Versioned, in_list, utcnow

# Areas an actor serves besides its home area.
actor_areas = Table(
    "actor_area",
    db.metadata,
    Column("actor_id", ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Multi-valued vocabulary fields, stored one row per value so they can be filtered with an index.
FACETS = {
    "service_type": vocab.SERVICE_TYPES,
    "stage": vocab.PATHWAY_STAGES,
    "client_group": vocab.CLIENT_GROUPS,
    "engagement_offered": vocab.ENGAGEMENT_OFFERED,
    "research_engagement": vocab.RESEARCH_ENGAGEMENT_TYPES,
}


class ActorFacet(db.Model):
    """One value of a multi-valued vocabulary field of an actor (a service type, a stage...)."""

    __tablename__ = "actor_facet"
    __table_args__ = (
        CheckConstraint(in_list("facet", FACETS), name="facet_known"),
        Index("ix_actor_facet_lookup", "facet", "value", "actor_id"),
    )

    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True)
    facet: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)

    @validates("value")
    def _value(self, _key, value):
        terms = FACETS.get(self.facet)
        if terms is not None and value not in terms:
            raise ValueError(f"“{value}” is not a known {terms.name[:-1]}")
        return value


class ActorWord(db.Model):
    """One word of an actor's searchable text, so directory search is an index range scan."""

    __tablename__ = "actor_word"

    word: Mapped[str] = mapped_column(String(40), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id", ondelete="CASCADE"), primary_key=True,
                                          index=True)


WEBSITE_HTTP_ONLY = ("website IS NULL OR lower(website) LIKE 'http://%' OR lower(website) LIKE 'https://%'")


def search_words(text: str, limit: int = 300) -> list[str]:
    """The distinct lower-case words of a text, in order, each at most 40 characters."""
    return list(dict.fromkeys(w[:40] for w in re.findall(r"[a-z0-9]+", text.lower())))[:limit]


class Actor(Versioned, db.Model):
    """A node of the network: a service, a forum or a researcher.

    One table holds all three kinds; the kind-specific columns are empty for the others.
    """

    __tablename__ = "actor"
    __table_args__ = (
        CheckConstraint(in_list("kind", vocab.ACTOR_KINDS.keys()), name="kind_known"),
        CheckConstraint(in_list("status", vocab.ACTOR_STATUSES.keys()), name="status_known"),
        CheckConstraint(in_list("archived_as", vocab.ARCHIVED_AS.keys()), name="archived_as_known"),
        CheckConstraint("latitude IS NULL OR latitude BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("longitude IS NULL OR longitude BETWEEN -180 AND 180", name="lon_range"),
        CheckConstraint("(latitude IS NULL) = (longitude IS NULL)", name="point_complete"),
        # Only http(s) web addresses, whoever writes the row (lower(): schemes are case-insensitive).
        CheckConstraint(WEBSITE_HTTP_ONLY, name="website_http"),
        Index("ix_actor_area_status_kind", "area_id", "status", "kind"),
        Index("ix_actor_status_name", "status", "name"),
        Index("ix_actor_status_kind_name", "status", "kind", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"))
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str | None] = mapped_column(String(10))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    website: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))  # never shown publicly
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # While archived: the role it was archived in (vocab.ARCHIVED_AS; access.archiving_role) and when.
    archived_as: Mapped[str | None] = mapped_column(String(20))
    archived_at: Mapped[datetime | None]
    verified_at: Mapped[date | None]
    is_demo: Mapped[bool] = mapped_column(default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The one-time key of the registration that created the record: a second press of Register finds it.
    registration_key: Mapped[str | None] = mapped_column(String(32), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Service
    organisation: Mapped[str] = mapped_column(String(200), default="")
    eligibility: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[str] = mapped_column(String(200), default="")
    referral_route: Mapped[str] = mapped_column(Text, default="")
    self_referral: Mapped[bool] = mapped_column(default=False)
    pie_profile: Mapped[dict] = mapped_column(JSON, default=dict)  # theme key -> level key
    open_to_research: Mapped[bool] = mapped_column(default=False)
    research_topics: Mapped[str] = mapped_column(Text, default="")
    research_conditions: Mapped[str] = mapped_column(Text, default="")
    research_capacity: Mapped[str] = mapped_column(String(200), default="")
    confidential: Mapped[bool] = mapped_column(default=False)

    # Forum
    forum_type: Mapped[str | None] = mapped_column(String(40))
    meeting_frequency: Mapped[str | None] = mapped_column(String(20))
    open_to_new_members: Mapped[bool] = mapped_column(default=False)
    coordinator_contact: Mapped[str] = mapped_column(String(200), default="")

    # Researcher
    institution: Mapped[str] = mapped_column(String(200), default="")
    disciplines: Mapped[str] = mapped_column(String(300), default="")
    interests: Mapped[str] = mapped_column(Text, default="")
    methods: Mapped[str] = mapped_column(Text, default="")
    seeking_partners: Mapped[bool] = mapped_column(default=False)

    area = relationship("Area", lazy="joined")
    areas_served = relationship("Area", secondary=actor_areas, lazy="selectin")
    facets = relationship("ActorFacet", cascade="all, delete-orphan", lazy="selectin")
    words = relationship("ActorWord", cascade="all, delete-orphan", lazy="select")

    # --- validation ---------------------------------------------------------
    @validates("kind")
    def _kind(self, _key, value):
        if value not in vocab.ACTOR_KINDS:
            raise ValueError(f"“{value}” is not a kind of actor")
        return value

    @validates("status")
    def _status(self, _key, value):
        if value not in vocab.ACTOR_STATUSES:
            raise ValueError(f"“{value}” is not a record status")
        return value

    @validates("forum_type")
    def _forum_type(self, _key, value):
        if value and value not in vocab.FORUM_TYPES:
            raise ValueError(f"“{value}” is not a forum type")
        return value or None

    @validates("meeting_frequency")
    def _frequency(self, _key, value):
        if value and value not in vocab.MEETING_FREQUENCIES:
            raise ValueError(f"“{value}” is not a meeting frequency")
        return value or None

    @validates("postcode")
    def _postcode(self, _key, value):
        return normalise_postcode(value)

    @validates("website")
    def _website(self, _key, value):
        return check_web_address(value)

    @validates("contact_email")
    def _email(self, _key, value):
        return check_email(value)

    @validates("latitude")
    def _lat(self, _key, value):
        return check_latitude(value)

    @validates("longitude")
    def _lon(self, _key, value):
        return check_longitude(value)

    @validates("pie_profile")
    def _pie(self, _key, value):
        value = dict(value or {})
        for theme, level in value.items():
            if theme not in vocab.PIE_THEMES or str(level) not in vocab.PIE_LEVELS:
                raise ValueError(f"“{theme}: {level}” is not a PIE theme and level")
        return {k: str(v) for k, v in value.items()}

    # --- multi-valued fields ------------------------------------------------
    def values(self, facet: str) -> list[str]:
        """The values of one multi-valued field, in vocabulary order."""
        have = {f.value for f in self.facets if f.facet == facet}
        return [k for k in FACETS[facet].keys() if k in have]

    def set_values(self, facet: str, values) -> None:
        """Replace the values of one multi-valued field."""
        wanted = list(dict.fromkeys(str(v) for v in values))
        keep = [f for f in self.facets if f.facet != facet or f.value in wanted]
        have = {f.value for f in keep if f.facet == facet}
        self.facets = keep + [ActorFacet(facet=facet, value=v) for v in wanted if v not in have]

    @property
    def service_types(self) -> list[str]:
        """Service type keys."""
        return self.values("service_type")

    @property
    def stages(self) -> list[int]:
        """Pathway stage numbers."""
        return [int(s) for s in self.values("stage")]

    @property
    def client_groups(self) -> list[str]:
        """Client group keys."""
        return self.values("client_group")

    # --- display -------------------------------------------------------------
    @property
    def kind_label(self) -> str:
        """The kind, in words."""
        return vocab.ACTOR_KINDS.label(self.kind)

    @property
    def is_active(self) -> bool:
        """True when approved and not archived."""
        return self.status == "active"

    @property
    def is_stale(self) -> bool:
        """True when nobody has confirmed the record for STALE_AFTER_DAYS."""
        if self.verified_at is None:
            return True
        return (date.today() - self.verified_at).days > vocab.STALE_AFTER_DAYS

    @property
    def public_point(self) -> tuple[float, float] | None:
        """Where the map may place this actor: never a confidential service's own point."""
        if self.confidential:
            return (self.area.centre_lat, self.area.centre_lon) if self.area else None
        if self.latitude is None:
            return None
        return (self.latitude, self.longitude)

    def refresh_search_text(self) -> None:
        """Keep the lower-cased text that directory search matches against."""
        parts = [self.name, self.organisation, self.summary, self.institution, self.disciplines,
                 self.interests, self.research_topics]
        if not self.confidential:
            parts.append(self.postcode or "")
        self.search_text = " ".join(p for p in parts if p).lower()

    def refresh_words(self) -> None:
        """Bring the search-word rows in line with the searchable text."""
        self.refresh_search_text()
        wanted = search_words(self.search_text)
        if self.id is not None and [w.word for w in self.words] == wanted:
            return
        keep = {w.word: w for w in self.words if w.word in set(wanted)}
        self.words = [keep.get(w) or ActorWord(word=w) for w in wanted]

    def __repr__(self) -> str:
        return f"<Actor {self.id} {self.kind} {self.name!r}>"


@event.listens_for(Session, "before_flush")
def _refresh_search(session: Session, _ctx, _instances) -> None:
    """Keep every new or changed actor's search text and words current."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Actor) and (obj in session.new or session.is_modified(obj, include_collections=False)):
            obj.refresh_words()
