"""Forms of partner finding: the two searches (GET, no CSRF) and the expression of interest."""
from __future__ import annotations

import re

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from limits import parse as parse_limit
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from .. import vocab
from ..extensions import limiter
from ..fields import CheckboxesField, FilterSelect, NumberInRange, page_field
from ..geocode import GeocoderUnavailable, PostcodeNotFound, lookup_postcode
from ..validation import InvalidValue, normalise_postcode
from .queries import known_postcode_point

MESSAGE_MAX = 2000
DEFAULT_LOOKUP_LIMIT = "30 per minute"  # postcodes sent to GEOCODER_URL, per address
POSTCODE_CACHE_SIZE = 4096
_POINT = re.compile(r"^\s*(-?\d{1,2}(?:\.\d+)?)\s*[, ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")


def parse_point(text: str) -> tuple[float, float] | None:
    """A "latitude, longitude" pair typed by a person, or None when it is not one."""
    match = _POINT.match(text or "")
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def postcode_point(postcode: str) -> tuple[float, float]:
    """Where a postcode is: a record here with it, else the postcode service (GEOCODER_URL) if one is set.

    Raises ValidationError with a message for the "Distance from" field when neither knows it.
    """
    point = known_postcode_point(postcode)
    if point is not None:
        return point
    base_url = current_app.config.get("GEOCODER_URL")
    if not base_url:
        raise ValidationError("We could not find that postcode among the records here; "
                              "enter an area or a latitude and longitude instead")
    # Points of postcodes do not move: each is asked of the service once per process (the newest
    # POSTCODE_CACHE_SIZE kept), and each address may ask for at most LIMIT_POSTCODE_LOOKUPS new ones.
    cache = current_app.extensions.setdefault("postcode_points", {})
    key = (base_url, postcode.replace(" ", "").upper())
    if key in cache:
        return cache[key]
    if not _lookup_allowed():
        raise ValidationError("You have looked up many postcodes in a short time: wait a minute, "
                              "or enter coordinates instead")
    try:
        point = lookup_postcode(base_url, postcode)
    except PostcodeNotFound:
        raise ValidationError("We could not find that postcode") from None
    except GeocoderUnavailable as exc:
        current_app.logger.warning("Postcode lookup of %s failed: %s", postcode, exc)
        raise ValidationError("The postcode lookup is not answering; enter coordinates instead") from None
    while len(cache) >= POSTCODE_CACHE_SIZE:
        cache.pop(next(iter(cache)))  # the oldest
    cache[key] = point
    return point


def _lookup_allowed() -> bool:
    """Count a lookup against the asking address's LIMIT_POSTCODE_LOOKUPS; False when it is used up."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    limit = parse_limit(current_app.config.get("LIMIT_POSTCODE_LOOKUPS") or DEFAULT_LOOKUP_LIMIT)
    return limiter.limiter.hit(limit, "postcode-lookup", get_remote_address())


class PartnerSearchForm(FlaskForm):
    """A researcher's search for partner sites."""

    class Meta:
        csrf = False  # a GET search changes nothing

    topics = StringField("Research topics", validators=[
        Optional(), Length(max=200, message="Enter topics in 200 characters or fewer")])
    area = FilterSelect("Area", choices=[("", "Any area")])
    near = StringField("Distance from", validators=[
        Optional(), Length(max=100, message="Enter a place in 100 characters or fewer")])
    within_km = NumberInRange("Within (kilometres)", minimum=0.1, maximum=1000,
                              message="Enter a distance in kilometres from 0.1 to 1000, for example 5 or 2.5",
                              render_kw={"inputmode": "decimal"})
    service_type = CheckboxesField("Service types", choices=vocab.SERVICE_TYPES.choices())
    stage = CheckboxesField("Pathway stages", choices=vocab.PATHWAY_STAGES.choices())
    client_group = CheckboxesField("Client groups", choices=vocab.CLIENT_GROUPS.choices())
    pie_theme = CheckboxesField("PIE themes", choices=vocab.PIE_THEMES.choices())
    page = page_field()

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        self.area.choices = [("", "Any area")] + [(a.slug, a.name) for a in self.areas]
        self.point: tuple[float, float] | None = None

    def validate_near(self, field) -> None:
        """A latitude and longitude, the name of an area (measured from its centre), or a UK postcode."""
        text = (field.data or "").strip()
        if not text:
            return
        self.point = parse_point(text)
        if self.point is not None:
            return
        wanted = text.lower()
        area = next((a for a in self.areas if wanted in (a.name.lower(), a.slug.lower())), None)
        if area is not None:
            self.point = (area.centre_lat, area.centre_lon)
            return
        try:
            postcode = normalise_postcode(text)
        except InvalidValue:
            raise ValidationError("Enter the name of an area in the list, a UK postcode such as LE1 5WW, "
                                  "or a latitude and longitude such as 52.63, -1.14") from None
        self.point = postcode_point(postcode)

    def validate_within_km(self, field) -> None:
        """A distance needs a place to measure from."""
        if field.data and not (self.near.data or "").strip():
            raise ValidationError("Enter a place to measure the distance from")


class ResearcherSearchForm(FlaskForm):
    """A service's search for researchers."""

    class Meta:
        csrf = False

    interests = StringField("Research interests", validators=[
        Optional(), Length(max=200, message="Enter interests in 200 characters or fewer")])
    engagement = CheckboxesField("Engagement types", choices=vocab.RESEARCH_ENGAGEMENT_TYPES.choices())
    area = FilterSelect("Area", choices=[("", "Any area")])
    include_all = BooleanField("Include researchers not looking for partner sites just now")
    page = page_field()

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [("", "Any area")] + [(a.slug, a.name) for a in areas]


class InterestForm(FlaskForm):
    """A researcher's expression of interest to a service."""

    researcher = SelectField("Which of your researcher profiles is this from?", coerce=int,
                             validators=[InputRequired(message="Choose one of your researcher profiles")])
    engagement = SelectField("Kind of engagement", choices=[("", "Choose a kind of engagement")]
                             + vocab.RESEARCH_ENGAGEMENT_TYPES.choices(),
                             validators=[DataRequired(message="Choose the kind of engagement you have in mind")])
    message = TextAreaField("Your message to the service", validators=[
        DataRequired(message="Enter a message to the service"),
        Length(max=MESSAGE_MAX, message=f"Enter a message of {MESSAGE_MAX} characters or fewer")])

    def __init__(self, *args, researchers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.researcher.choices = [(r.id, r.name) for r in researchers]

    def validate_message(self, field) -> None:
        """Spaces alone are not a message."""
        if not (field.data or "").strip():
            raise ValidationError("Enter a message to the service")
