"""Forms of the public pages: the directory filters (GET, no CSRF)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from .. import vocab
from ..fields import FilterSelect, page_field


def _with_any(choices, any_label="Any"):
    return [("", any_label)] + list(choices)


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
    page = page_field()

    def __init__(self, *args, area_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [("", "Any area")] + list(area_choices)
