"""Forms of the public pages: the directory filters (GET, no CSRF)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms.widgets import html_params
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from .. import vocab


def _with_any(choices, any_label="Any"):
    return [("", any_label)] + list(choices)


class PlainSelectWidget:
    """Renders a select in one pass; WTForms' own widget costs ~20 ms for the directory's 200 options."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        chosen = "" if field.data is None else str(field.data)
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(label)}</option>'
            for value, label in field.choices
        )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class FilterSelect(SelectField):
    """A select whose empty default is allowed and whose error names the field."""

    widget = PlainSelectWidget()

    def __init__(self, label, choices=(), **kwargs):
        super().__init__(label, choices=choices, default="", **kwargs)

    def pre_validate(self, form) -> None:
        """Refuse values that are not among the choices, with a message people understand."""
        if self.data not in (None, "") and self.data not in {c[0] for c in self.choices}:
            raise ValidationError(f"Choose a {self.label.text.lower()} from the list")


class DirectoryFilterForm(FlaskForm):
    """Search and filter the directory."""

    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Search", validators=[Optional(), Length(max=200, message="Search for 200 characters or fewer")])
    kind = FilterSelect("Kind", choices=_with_any(vocab.ACTOR_KINDS.choices()))
    area = FilterSelect("Area", choices=[("", "Any area")])
    service_type = FilterSelect("Service type", choices=_with_any(vocab.SERVICE_TYPES.choices()))
    stage = FilterSelect("Pathway stage", choices=_with_any(vocab.PATHWAY_STAGES.choices()))
    client_group = FilterSelect("Client group", choices=_with_any(vocab.CLIENT_GROUPS.choices()))
    open_to_research = BooleanField("Open to research only")
    page = IntegerField("Page", default=1, validators=[
        Optional(), NumberRange(min=1, max=100000, message="Page must be a whole number from 1")])

    def __init__(self, *args, area_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [("", "Any area")] + list(area_choices)
