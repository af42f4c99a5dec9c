"""The map and network filters: an ordinary GET form (no CSRF: it changes nothing)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from .. import vocab
from ..fields import CheckboxesField, FilterSelect, page_field


class MapFilterForm(FlaskForm):
    """Area, kinds of actor and link, pathway stage, service type, proposed links and the gaps overlay."""

    class Meta:
        csrf = False

    area = FilterSelect("Area", choices=[("", "Whole country")])
    kind = CheckboxesField("Kinds of actor", choices=vocab.ACTOR_KINDS.choices())
    link_kind = CheckboxesField("Kinds of link", choices=vocab.link_kind_choices())
    stage = FilterSelect("Pathway stage", choices=[("", "Any stage")] + vocab.PATHWAY_STAGES.choices())
    service_type = FilterSelect("Service type", choices=[("", "Any type")] + vocab.SERVICE_TYPES.choices())
    proposed = BooleanField("Include proposed links (not yet confirmed)")
    gaps = BooleanField("Show gaps and reported barriers")
    page = page_field()

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
