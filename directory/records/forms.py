"""The question pages of the registration journeys, reused whole on the edit page."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .. import vocab
from ..conflicts import VersionedForm
from ..fields import CheckboxesField, convert
from ..validation import (
    InvalidValue, check_email, check_latitude, check_longitude, check_web_address, normalise_postcode,
)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _text(label, max_len, required=None):
    checks = [DataRequired(required)] if required else [Optional()]
    return StringField(label, filters=[_strip], validators=checks + [
        Length(max=max_len, message=f"Use {max_len} characters or fewer")])


def _long(label, max_len=1000):
    return TextAreaField(label, filters=[_strip], validators=[
        Optional(), Length(max=max_len, message=f"Use {max_len} characters or fewer")])


def _at_least_one(message):
    def check(_form, field):
        if not field.data:
            raise ValidationError(message)
    return check  # unlike DataRequired, puts no "required" on each checkbox


def _checkboxes(label, terms, required=None):
    return CheckboxesField(label, choices=terms.choices(), validate_choice=True,
                           validators=[_at_least_one(required)] if required else [])


def _number(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return float(str(value).strip())
    except ValueError:
        raise InvalidValue("Enter a number, like 53.4808 or -2.2426") from None


class AboutForm(FlaskForm):
    """Step 1: name, organisation, what it is, and where."""

    name = _text("Name", 200, "Enter the name")
    organisation = _text("Organisation that runs it", 200)
    summary = _text("Summary", 500)
    description = _long("Description", 2000)
    area_id = SelectField("Home area", choices=[], validate_choice=False)
    areas_served = CheckboxesField("Other areas it also serves", choices=[], validate_choice=True)

    def validate_area_id(self, field) -> None:
        """A home area from the list."""
        if not field.data:
            raise ValidationError("Choose the home area")
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError("Choose an area from the list")


class ServiceDetailsForm(FlaskForm):
    """Step 2 for a service: what it does, for whom, and how it engages."""

    service_types = _checkboxes("Service types", vocab.SERVICE_TYPES, "Choose at least one service type")
    stages = _checkboxes("Pathway stages", vocab.PATHWAY_STAGES, "Choose at least one pathway stage")
    client_groups = _checkboxes("Client groups", vocab.CLIENT_GROUPS)
    eligibility = _long("Eligibility")
    capacity = _text("Capacity", 200)
    referral_route = _long("How people are referred")
    self_referral = BooleanField("People can refer themselves")
    engagement_offered = _checkboxes("Offered to other services", vocab.ENGAGEMENT_OFFERED)
    open_to_research = BooleanField("Open to research")
    research_topics = _long("Research topics welcome")
    research_conditions = _long("Conditions for research")
    research_capacity = _text("Capacity for research", 200)
    confidential = BooleanField("Confidential location (for example a refuge)")


PIE_FIELDS = [f"pie_{t.key}" for t in vocab.PIE_THEMES]
for _theme in vocab.PIE_THEMES:
    setattr(ServiceDetailsForm, f"pie_{_theme.key}", SelectField(
        _theme.label, choices=[("", "Not given")] + vocab.PIE_LEVELS.choices(), validate_choice=True, default="",
        description=_theme.description))


class ForumDetailsForm(FlaskForm):
    """Step 2 for a forum."""

    forum_type = SelectField("Forum type", choices=[("", "Choose a forum type")] + vocab.FORUM_TYPES.choices(),
                             validate_choice=True, validators=[DataRequired("Choose the forum type")])
    meeting_frequency = SelectField("How often it meets",
                                    choices=[("", "Not given")] + vocab.MEETING_FREQUENCIES.choices(),
                                    validate_choice=True, default="")
    open_to_new_members = BooleanField("Open to new members")
    coordinator_contact = _text("Coordinator contact", 200)


class ResearcherDetailsForm(FlaskForm):
    """Step 2 for a researcher or research group."""

    institution = _text("Institution", 200)
    disciplines = _text("Disciplines", 300)
    interests = _long("Research interests")
    methods = _long("Methods")
    research_engagement = _checkboxes("Ways of working with services", vocab.RESEARCH_ENGAGEMENT_TYPES)
    seeking_partners = BooleanField("Seeking partner sites")


class LocationForm(FlaskForm):
    """Step 3: where it is and how to contact it."""

    address = _text("Address", 300)
    postcode = _text("Postcode", 10)
    latitude = StringField("Latitude", filters=[_strip])
    longitude = StringField("Longitude", filters=[_strip])
    website = _text("Website", 300)
    phone = _text("Public phone number", 40)
    contact_email = _text("Contact email address", 254)

    def validate_postcode(self, field) -> None:
        """A UK postcode, tidied to capitals with one space."""
        convert(field, normalise_postcode)

    def validate_website(self, field) -> None:
        """http or https only."""
        convert(field, check_web_address)

    def validate_contact_email(self, field) -> None:
        """A well-formed email address."""
        convert(field, check_email)

    def validate_latitude(self, field) -> None:
        """-90 to 90."""
        convert(field, lambda v: check_latitude(_number(v)))

    def validate_longitude(self, field) -> None:
        """-180 to 180."""
        convert(field, lambda v: check_longitude(_number(v)))

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then: a point needs both latitude and longitude."""
        ok = super().validate(extra_validators)
        lat, lon = self.latitude, self.longitude
        if not lat.errors and not lon.errors and (lat.data is None) != (lon.data is None):
            missing = lat if lat.data is None else lon
            missing.errors.append("Enter both latitude and longitude, or leave both empty")
            ok = False
        return ok


STEP_FORMS = {
    "service": (AboutForm, ServiceDetailsForm, LocationForm),
    "forum": (AboutForm, ForumDetailsForm, LocationForm),
    "researcher": (AboutForm, ResearcherDetailsForm, LocationForm),
}


class ServiceEditForm(VersionedForm, AboutForm, ServiceDetailsForm, LocationForm):
    """Every field of a service, on one page."""


class ForumEditForm(VersionedForm, AboutForm, ForumDetailsForm, LocationForm):
    """Every field of a forum, on one page."""


class ResearcherEditForm(VersionedForm, AboutForm, ResearcherDetailsForm, LocationForm):
    """Every field of a researcher profile, on one page."""


EDIT_FORMS = {"service": ServiceEditForm, "forum": ForumEditForm, "researcher": ResearcherEditForm}

NAME_LABELS = {
    "service": "Name of the service",
    "forum": "Name of the forum",
    "researcher": "Your name, or your research group's name",
}


def prepare(form, kind: str, areas) -> None:
    """Fit a form to the kind of record and the current list of areas."""
    if "organisation" in form and kind != "service":
        del form.organisation
    if "name" in form:
        form.name.label.text = NAME_LABELS[kind]
    if "area_id" in form:
        choices = [(str(a.id), a.name) for a in areas]
        form.area_id.choices = [("", "Choose an area")] + choices
        form.areas_served.choices = choices
        if kind == "researcher":  # a researcher's served areas are the areas they would like to work in
            form.areas_served.label.text = "Areas of interest"


class ClaimForm(FlaskForm):
    """Ask to manage an existing record."""

    message = TextAreaField("Message for the moderator (optional)", filters=[_strip], validators=[
        Optional(), Length(max=1000, message="Use 1000 characters or fewer")])


class ActionForm(FlaskForm):
    """An empty form that carries a CSRF token for POST-only buttons."""
