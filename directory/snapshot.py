"""A plain network snapshot: actors, links and barrier reports of an area.

The loader (`directory.loader`) builds one from the database; the map, the
network view, the analysis and the exports all read it. Nothing here knows
about Flask or the database, so analysis code can be tested on hand-built
snapshots.

A confidential service's real point never enters a snapshot: the loader puts
it at its area's centre and sets ``confidential``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class AreaInfo:
    """The area a snapshot was taken for."""

    id: int
    name: str
    slug: str
    lat: float
    lon: float
    zoom: int = 12


@dataclass(frozen=True)
class ActorNode:
    """One actor (service, forum or researcher) as the analysis sees it."""

    id: int
    kind: str
    name: str
    status: str = "active"
    area_id: int | None = None
    area_ids: frozenset[int] = frozenset()
    lat: float | None = None
    lon: float | None = None
    confidential: bool = False
    summary: str = ""
    organisation: str = ""
    service_types: tuple[str, ...] = ()
    stages: tuple[int, ...] = ()
    client_groups: tuple[str, ...] = ()
    open_to_research: bool = False
    open_to_new_members: bool = False  # forums only
    subtype: str = ""  # forum type for forums, institution for researchers
    verified_at: date | None = None

    @property
    def active(self) -> bool:
        """True when the record is approved and not archived."""
        return self.status == "active"

    @property
    def areas(self) -> frozenset[int]:
        """Every area the actor is based in or serves."""
        return self.area_ids | {self.area_id} if self.area_id is not None else frozenset(self.area_ids)

    def takes(self, group: str | None) -> bool:
        """True when a service takes people of the client group: it lists the group, or lists none (no
        restriction). Everyone takes "no group" (None)."""
        return not group or not self.client_groups or group in self.client_groups


@dataclass(frozen=True)
class LinkEdge:
    """One collaboration between two actors."""

    id: int
    kind: str
    source_id: int
    target_id: int
    status: str = "confirmed"
    last_confirmed: date | None = None
    start_date: date | None = None
    end_date: date | None = None

    @property
    def confirmed(self) -> bool:
        """True when the other side has confirmed the link."""
        return self.status == "confirmed"


@dataclass(frozen=True)
class BarrierItem:
    """A service's own report of where it struggles to fit in."""

    id: int
    actor_id: int
    category: str
    stage: int | None
    description: str = ""
    since: date | None = None
    visibility: str = "public"


@dataclass
class Snapshot:
    """Actors, links and barriers for one area (or the whole country) and filter.

    `outside` holds the ids of actors that are in `actors` only as the far end of a link leaving the area
    (a service elsewhere that the area's services refer to); `area_names` names the areas of such actors.
    Both are empty unless the snapshot was asked for them (SnapshotFilter.with_neighbours)."""

    actors: dict[int, ActorNode]
    links: list[LinkEdge]
    barriers: list[BarrierItem] = field(default_factory=list)
    area: AreaInfo | None = None
    taken_at: datetime | None = None
    outside: frozenset[int] = frozenset()
    area_names: dict[int, str] = field(default_factory=dict)
