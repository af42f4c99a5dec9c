"""The map and network filters: an ordinary GET form (no CSRF: it changes nothing)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import vocab


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes; none ticked means all of them."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form) -> None:
        """Refuse values that are not among the choices, naming the field."""
        known = {c[0] for c in self.choices}
        if any(v not in known for v in self.data or ()):
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


class ChoiceField(SelectField):
    """A select whose empty default is allowed and whose error names the field."""

    def __init__(self, label, choices=(), **kwargs):
        super().__init__(label, choices=choices, default="", **kwargs)

    def pre_validate(self, form) -> None:
        """Refuse values that are not among the choices, with a message people understand."""
        if self.data not in (None, "") and self.data not in {c[0] for c in self.choices}:
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


class MapFilterForm(FlaskForm):
    """Area, kinds of actor and link, pathway stage, service type, proposed links and the gaps overlay."""

    class Meta:
        csrf = False

    area = ChoiceField("Area", choices=[("", "Whole country")])
    kind = CheckboxesField("Kinds of actor", choices=vocab.ACTOR_KINDS.choices())
    link_kind = CheckboxesField("Kinds of link", choices=vocab.link_kind_choices())
    stage = ChoiceField("Pathway stage", choices=[("", "Any stage")] + vocab.PATHWAY_STAGES.choices())
    service_type = ChoiceField("Service type", choices=[("", "Any type")] + vocab.SERVICE_TYPES.choices())
    proposed = BooleanField("Include proposed links (not yet confirmed)")
    gaps = BooleanField("Show gaps and reported barriers")
    page = IntegerField("Page", default=1, validators=[
        Optional(), NumberRange(min=1, max=100000, message="Page must be a whole number from 1")])

    def __init__(self, *args, area_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [("", "Whole country")] + list(area_choices)

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of actor asked for (all when none are ticked)."""
        return frozenset(self.kind.data or vocab.ACTOR_KINDS.keys())

    @property
    def link_kinds(self) -> frozenset[str]:
        """The kinds of link asked for (all when none are ticked)."""
        return frozenset(self.link_kind.data or vocab.LINK_KINDS.keys())

    def tick_defaults(self) -> None:
        """Show every kind ticked when none was chosen (that is what the map shows)."""
        if not self.kind.data:
            self.kind.data = list(vocab.ACTOR_KINDS.keys())
        if not self.link_kind.data:
            self.link_kind.data = list(vocab.LINK_KINDS.keys())
