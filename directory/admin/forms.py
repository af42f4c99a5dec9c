"""Administration forms: user search, confirmations, areas."""
from __future__ import annotations

import json
import math
import re

from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import FloatField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, StopValidation, ValidationError,
)

from ..conflicts import VersionedForm
from ..converters import MAX_ID
from ..extensions import db
from ..models import Actor, Area
from ..validation import slugify

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_BOUNDARY = 2_000_000  # characters of GeoJSON
SLUG_TAKEN = "Another area already uses “{}”: choose another"
CHOOSE_RECORD = "Choose a record from the search results"
CANNOT_ADD = {
    "archived": "“{name}” is archived, so no one can be added to manage it. Restore it first.",
    "rejected": "“{name}” was not approved, so no one can be added to manage it.",
}


class _SearchForm(FlaskForm):
    """A search, sent by GET: no CSRF token."""

    class Meta:
        csrf = False


class UserSearchForm(_SearchForm):
    """Search users by email."""

    q = StringField("Email address contains", validators=[
        Optional(), Length(max=254, message="Enter 254 characters or fewer")])


class ConfirmForm(FlaskForm):
    """An empty form: carries the CSRF token for a POST-only button."""


class _NumberText:
    """A number typed as text: when it is not one, say only that, in plain words (not also that it is out of
    range). `message` may be given per field, else the class's own is used."""

    convert = float
    message = "Enter a number, like 53.48"

    def __init__(self, *args, message: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if message is not None:
            self.message = message

    def process_formdata(self, valuelist):
        """Read the number, or keep the text and complain in plain words."""
        if valuelist and valuelist[0].strip():
            try:
                self.data = self.convert(valuelist[0].strip())
            except ValueError as exc:
                self.data = None
                self.raw_data = valuelist
                raise ValueError(self.message) from exc
        else:
            self.data = None

    def pre_validate(self, form) -> None:
        """Stop after the "not a number" message."""
        if self.process_errors:
            raise StopValidation()


class NumberField(_NumberText, FloatField):
    """A decimal number with a message people understand when it is not one."""


class WholeNumberField(_NumberText, IntegerField):
    """A whole number with a message people understand when it is not one."""

    convert = int
    message = "Enter a whole number, like 12"


def _finite_number(n) -> bool:
    """A JSON number other than NaN and ±Infinity (which Python's json reads, and 1e400 becomes)."""
    return (isinstance(n, int) and not isinstance(n, bool)) or (isinstance(n, float) and math.isfinite(n))


def _position_ok(position) -> bool:
    return (isinstance(position, list) and len(position) in (2, 3) and all(map(_finite_number, position))
            and -180 <= position[0] <= 180 and -90 <= position[1] <= 90)


def _polygon_problem(polygon) -> str | None:
    """What is wrong with the coordinates of one polygon, or None."""
    if not isinstance(polygon, list) or not polygon:
        return "A polygon needs at least one ring of points"
    for ring in polygon:
        if not isinstance(ring, list) or len(ring) < 4:
            return "Each ring of a polygon needs at least 4 points"
        if not all(_position_ok(p) for p in ring):
            return "Each point must be [longitude, latitude], with longitude -180 to 180 and latitude -90 to 90"
        if ring[0] != ring[-1]:
            return "Each ring of a polygon must end at the point where it starts"
    return None


def parse_boundary(text: str | None) -> str | None:
    """Check a GeoJSON boundary (a Polygon or MultiPolygon, bare or in a Feature) and return the geometry as JSON.

    Raises ValidationError with a message fit to show beside the field.
    """
    if text is None or not text.strip():
        return None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError("The boundary is not valid JSON. Paste GeoJSON, like "
                              '{"type": "Polygon", "coordinates": [...]}') from exc
    except RecursionError:  # lists or objects nested thousands deep
        raise ValidationError("The boundary is nested too deeply to be GeoJSON. Paste a Polygon or MultiPolygon, "
                              'like {"type": "Polygon", "coordinates": [...]}') from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError("The boundary must be a GeoJSON Polygon or MultiPolygon geometry")
    coords = data.get("coordinates")
    if data["type"] == "Polygon":
        problem = _polygon_problem(coords)
    elif not isinstance(coords, list) or not coords:
        problem = "A MultiPolygon needs at least one polygon"
    else:
        problem = next((p for p in map(_polygon_problem, coords) if p), None)
    if problem:
        raise ValidationError(problem)
    return json.dumps({"type": data["type"], "coordinates": coords}, separators=(",", ":"))


def boundary_summary(geometry: str | None) -> str | None:
    """A short description of a stored boundary for the change log ("Polygon, 120 points")."""
    if not geometry:
        return None
    try:
        data = json.loads(geometry)
    except ValueError:
        return "unreadable"
    polygons = [data["coordinates"]] if data.get("type") == "Polygon" else data.get("coordinates", [])
    points = sum(len(ring) for polygon in polygons for ring in polygon)
    return f"{data.get('type')}, {points} points"


class AreaForm(FlaskForm):
    """Create or edit an area."""

    name = StringField("Name", validators=[
        DataRequired("Enter the name of the area"),
        Length(max=200, message="Enter a name in 200 characters or fewer")])
    slug = StringField("Web address name", validators=[
        Optional(), Length(max=200, message="Use 200 characters or fewer"),
        Regexp(SLUG, message="Use lower-case letters, numbers and single hyphens, like north-tyneside")])
    centre_lat = NumberField("Centre latitude", validators=[
        InputRequired("Enter the latitude of the centre of the map"),
        NumberRange(-90, 90, "Latitude must be between -90 and 90")])
    centre_lon = NumberField("Centre longitude", validators=[
        InputRequired("Enter the longitude of the centre of the map"),
        NumberRange(-180, 180, "Longitude must be between -180 and 180")])
    zoom = WholeNumberField("Map zoom", default=12, validators=[
        InputRequired("Enter a zoom level from 1 to 19"),
        NumberRange(1, 19, "Enter a zoom level from 1 (the world) to 19 (a street)")])
    boundary = TextAreaField("Boundary (GeoJSON, optional)", validators=[
        Optional(), Length(max=MAX_BOUNDARY, message="The boundary is too large: simplify it first")])

    def __init__(self, *args, area_id: int | None = None, **kwargs):
        """area_id: the area being edited (None for a new one), which may keep its own web address name."""
        super().__init__(*args, **kwargs)
        self.area_id = area_id
        self.slug_taken = False

    def web_address_name(self) -> str:
        """The slug typed, or else the one made from the name."""
        return self.slug.data or slugify(self.name.data)

    def validate_boundary(self, field) -> None:
        """The boundary must be a Polygon or MultiPolygon."""
        parse_boundary(field.data)

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: no other area uses the web address name (typed, or made from the name)."""
        if not super().validate(extra_validators):
            return False
        stmt = select(Area.id).where(Area.slug == self.web_address_name())
        if self.area_id is not None:
            stmt = stmt.where(Area.id != self.area_id)
        if db.session.scalar(stmt.limit(1)) is not None:
            self.refuse_slug()
            return False
        return True

    def refuse_slug(self) -> None:
        """Say beside the field that another area uses the web address name (also when the database finds it
        taken a moment after the check above)."""
        self.slug_taken = True
        self.slug.errors.append(SLUG_TAKEN.format(self.web_address_name()))


class AreaEditForm(VersionedForm, AreaForm):
    """Edit an area: the form carries the version it was opened at."""


class RecordSearchForm(_SearchForm):
    """Search records by name on a user's page."""

    q = StringField("Name of the service, forum or researcher", validators=[
        Optional(), Length(max=200, message="Enter a name in 200 characters or fewer")])


class AddManagedRecordForm(FlaskForm):
    """The "Add" button beside a search result: the chosen record's number, with the CSRF token."""

    actor_id = WholeNumberField("Record", message=CHOOSE_RECORD, validators=[
        InputRequired(CHOOSE_RECORD), NumberRange(1, MAX_ID, CHOOSE_RECORD)])
    actor: Actor | None = None

    def validate_actor_id(self, field) -> None:
        """The record exists and may have managers added (it is not archived or rejected); kept as .actor."""
        if field.errors:  # not a record number: said already, and a bigger one is a database error
            return
        self.actor = db.session.get(Actor, field.data)
        if self.actor is None:
            raise ValidationError(f"There is no record number {field.data}. "
                                  "Search for the record by name and choose it from the results.")
        if self.actor.status in CANNOT_ADD:
            raise ValidationError(CANNOT_ADD[self.actor.status].format(name=self.actor.name))
