"""The map and network filters: an ordinary GET form (no CSRF: it changes nothing)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField

from .. import vocab
from ..fields import CheckboxesField, FilterSelect, page_field
from ..loader import SnapshotFilter


class MapFilterForm(FlaskForm):
    """Area, kinds of actor and link, pathway stage, service type, client group, proposed links and the gaps
    overlay. A new filter is a field here, read in `snapshot_filter`, and a field of SnapshotFilter the loader
    reads; the template shows every field of `service_filters` by itself."""

    class Meta:
        csrf = False

    area = FilterSelect("Area", choices=[("", "Whole country")])
    kind = CheckboxesField("Kinds of actor", choices=vocab.ACTOR_KINDS.choices())
    link_kind = CheckboxesField("Kinds of link", choices=vocab.LINK_KINDS.choices())
    stage = FilterSelect("Pathway stage", choices=[("", "Any stage")] + vocab.PATHWAY_STAGES.choices())
    service_type = FilterSelect("Service type", choices=[("", "Any type")] + vocab.SERVICE_TYPES.choices())
    client_group = FilterSelect("Client group", choices=[("", "Any client group")] + vocab.CLIENT_GROUPS.choices())
    proposed = BooleanField("Include proposed links (not yet confirmed)")
    gaps = BooleanField("Show gaps and reported barriers")
    page = page_field()

    def __init__(self, *args, area_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.area.choices = [("", "Whole country")] + list(area_choices)

    @property
    def service_filters(self) -> list:
        """The fields that narrow the services only (forums and researchers stay), in the order shown."""
        return [self.stage, self.service_type, self.client_group]

    def snapshot_filter(self, area_id: int | None) -> SnapshotFilter:
        """What a valid form asks the loader for, in the area (None: the whole country)."""
        return SnapshotFilter(
            area_id=area_id, kinds=self.kinds, link_kinds=self.link_kinds,
            stage=int(self.stage.data) if self.stage.data else None, service_type=self.service_type.data or None,
            client_group=self.client_group.data or None, include_proposed=bool(self.proposed.data),
        )

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
