"""Forms of the manage pages."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from .. import vocab
from ..conflicts import VersionedForm
from ..converters import MAX_ID
from ..fields import convert
from ..validation import check_email

DIRECTIONS = [("out", "This record → the other record"), ("in", "The other record → this record")]


class FriendlyDateField(DateField):
    """A date field whose error says what to type."""

    def process_formdata(self, valuelist):
        """Parse the date, with a message people understand."""
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Enter a real date, for example 2024-03-31") from exc


def not_in_future(_form, field) -> None:
    """WTForms validator: a date that is not after today."""
    if field.data and field.data > date.today():
        raise ValidationError("The date must be today or in the past")


def kinds_for(actor_kind: str) -> list[tuple[str, str]]:
    """Link kinds this actor kind may take part in, at either end."""
    return [(k.key, k.label) for k in vocab.LINK_KINDS
            if actor_kind in k.sources or actor_kind in k.targets]


class LinkProposalForm(FlaskForm):
    """Propose a link from a record you manage to another record."""

    kind = SelectField("Kind of link", validate_choice=False,
                       validators=[DataRequired("Choose a kind of link")])
    direction = RadioField("Which way does the link go?", choices=DIRECTIONS, default="out",
                           validators=[InputRequired("Choose which way the link goes")])
    other = IntegerField("The other record", validators=[
        InputRequired("Search for the other record and choose it from the results"),
        NumberRange(1, MAX_ID, "Choose another active record from the search results")])
    q = HiddenField()
    note = TextAreaField("Note (optional)", validators=[
        Optional(), Length(max=1000, message="Keep the note to 1,000 characters or fewer")])
    start_date = FriendlyDateField("Start date (optional)", validators=[Optional(), not_in_future])

    def __init__(self, *args, actor_kind: str = "service", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", "Choose a kind of link")] + kinds_for(actor_kind)

    def validate_kind(self, field) -> None:
        """The kind must be one the vocabulary knows."""
        if field.data not in vocab.LINK_KINDS:
            raise ValidationError("Choose a kind of link")


class BarrierForm(FlaskForm):
    """Add or change a barrier report."""

    category = SelectField("Category", choices=[("", "Choose a category")] + vocab.BARRIER_CATEGORIES.choices(),
                           validators=[DataRequired("Choose the kind of barrier")])
    stage = SelectField("Pathway stage (optional)",
                        choices=[("", "Not one particular stage")] + vocab.PATHWAY_STAGES.choices())
    description = TextAreaField("What happens", validators=[
        DataRequired("Describe the barrier in a sentence or two"),
        Length(max=2000, message="Keep the description to 2,000 characters or fewer")])
    since = FriendlyDateField("Since (optional)", validators=[Optional(), not_in_future])
    visibility = RadioField("Who can see this report?", choices=vocab.BARRIER_VISIBILITIES.choices(),
                            default="public", validators=[InputRequired("Choose who can see this report")])


class BarrierEditForm(VersionedForm, BarrierForm):
    """Change a barrier report: the form carries the version it was opened at."""


class InviteForm(FlaskForm):
    """Invite someone by email to manage a record."""

    email = EmailField("Their email address", validators=[DataRequired("Enter their email address")])

    def __init__(self, *args, managers=(), **kwargs):
        """managers: the people who manage the record already (they need no invitation)."""
        super().__init__(*args, **kwargs)
        self.managers = managers

    def validate_email(self, field) -> None:
        """A well-formed address, normalised in place, of someone who does not manage the record yet."""
        convert(field, check_email)
        if any(person.email == field.data for person in self.managers):
            raise ValidationError("That person already manages this record")
