"""Build a network snapshot from the database for an area and filter, in a fixed number of queries.

The map, the network view, the analysis and the exports all start here. A confidential
service's own point is never read into the snapshot: it is placed at its area's centre.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, func, or_, select

from . import vocab
from .access import BarrierScope
from .extensions import db
from .models import Actor, ActorFacet, Area, BarrierReport, Collaboration, actor_areas
from .snapshot import ActorNode, AreaInfo, BarrierItem, LinkEdge, Snapshot


@dataclass(frozen=True)
class SnapshotFilter:
    """What to include: area (None for the whole country), actor kinds, link kinds, and the stage, service type
    and client group that narrow the services."""

    area_id: int | None = None
    kinds: frozenset[str] = frozenset(vocab.ACTOR_KINDS.keys())
    link_kinds: frozenset[str] = frozenset(vocab.LINK_KINDS.keys())
    stage: int | None = None
    service_type: str | None = None
    client_group: str | None = None
    include_proposed: bool = False
    include_inactive: bool = False  # archived/pending actors, for the analysis of links to them
    with_neighbours: bool = False  # also the links leaving the area and the actors at their far ends
    barrier_visibility: BarrierScope = BarrierScope()  # which reports the viewer may see (access.barrier_scope)

    @classmethod
    def whole_area(cls, area_id: int, barrier_visibility: BarrierScope) -> SnapshotFilter:
        """Everything the analysis of an area works on: every kind of actor and link, proposed links (a waiting
        proposal may close a gap), inactive actors too (for the links to them), the links leaving the area
        with the actors at their far ends, and the barrier reports the viewer may see."""
        return cls(area_id=area_id, include_inactive=True, include_proposed=True, with_neighbours=True,
                   barrier_visibility=barrier_visibility)

    @property
    def link_statuses(self) -> tuple[str, ...]:
        """The statuses of the links shown: confirmed, and proposed when asked for."""
        return ("proposed", "confirmed") if self.include_proposed else ("confirmed",)

    def key(self) -> dict:
        """The filter as plain, ordered data: the same for the same filter in every process (a cache key)."""
        return _plain(asdict(self))


def _plain(value):
    """Dicts, sets and sequences as JSON-ready data in a fixed order (sets sorted)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


# The tables a snapshot is read from: a change to any of them changes the data version (datacache.py).
SNAPSHOT_TABLES = frozenset({"actor", "actor_facet", "actor_area", "area", "collaboration", "barrier_report"})


def _actor_condition(f: SnapshotFilter):
    cond = [Actor.kind.in_(sorted(f.kinds))]
    if not f.include_inactive:
        cond.append(Actor.status == "active")
    if f.area_id is not None:
        served = select(actor_areas.c.actor_id).where(actor_areas.c.area_id == f.area_id)
        cond.append(or_(Actor.area_id == f.area_id, Actor.id.in_(served)))
    # Stage and service type narrow the services only; forums and researchers stay.
    for facet, value in (("stage", str(f.stage) if f.stage else None), ("service_type", f.service_type),
                         ("client_group", f.client_group)):
        if value:
            matching = select(ActorFacet.actor_id).where(ActorFacet.facet == facet, ActorFacet.value == value)
            cond.append(or_(Actor.kind != "service", Actor.id.in_(matching)))
    return and_(*cond)


def _actor_nodes(cond) -> dict[int, ActorNode]:
    """The actors matching a condition, with their facets and areas served: three queries."""
    actor_ids = select(Actor.id).where(cond)
    rows = db.session.execute(
        select(Actor.id, Actor.kind, Actor.name, Actor.status, Actor.area_id, Actor.latitude, Actor.longitude,
               Actor.confidential, Actor.summary, Actor.organisation, Actor.open_to_research,
               Actor.forum_type, Actor.institution, Actor.verified_at, Actor.open_to_new_members,
               Area.centre_lat, Area.centre_lon)
        .outerjoin(Area, Area.id == Actor.area_id).where(cond)
    ).all()
    facets: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for actor_id, facet, value in db.session.execute(
        select(ActorFacet.actor_id, ActorFacet.facet, ActorFacet.value).where(
            ActorFacet.actor_id.in_(actor_ids), ActorFacet.facet.in_(("service_type", "stage", "client_group")))
    ):
        facets[actor_id][facet].append(value)
    served: dict[int, set[int]] = defaultdict(set)
    for actor_id, area_id in db.session.execute(
        select(actor_areas.c.actor_id, actor_areas.c.area_id).where(actor_areas.c.actor_id.in_(actor_ids))
    ):
        served[actor_id].add(area_id)

    actors: dict[int, ActorNode] = {}
    type_order, group_order = vocab.SERVICE_TYPES.keys(), vocab.CLIENT_GROUPS.keys()
    for r in rows:
        fc = facets.get(r.id, {})
        lat, lon = (r.centre_lat, r.centre_lon) if r.confidential else (r.latitude, r.longitude)
        actors[r.id] = ActorNode(
            id=r.id, kind=r.kind, name=r.name, status=r.status, area_id=r.area_id,
            area_ids=frozenset(served.get(r.id, set()) | ({r.area_id} if r.area_id else set())),
            lat=lat, lon=lon, confidential=r.confidential, summary=r.summary or "",
            organisation=r.organisation or "",
            service_types=tuple(k for k in type_order if k in fc.get("service_type", ())),
            stages=tuple(sorted(int(s) for s in fc.get("stage", ()))),
            client_groups=tuple(k for k in group_order if k in fc.get("client_group", ())),
            open_to_research=bool(r.open_to_research), open_to_new_members=bool(r.open_to_new_members),
            subtype=(r.forum_type or "") if r.kind == "forum" else (r.institution or ""),
            verified_at=r.verified_at,
        )
    return actors


def _link_condition(f: SnapshotFilter):
    return and_(Collaboration.status.in_(f.link_statuses), Collaboration.kind.in_(sorted(f.link_kinds)))


# Columns in LinkEdge's field order: positional construction is a third faster at national scale.
_LINK_COLUMNS = (Collaboration.id, Collaboration.kind, Collaboration.source_id, Collaboration.target_id,
                 Collaboration.status, Collaboration.last_confirmed, Collaboration.start_date, Collaboration.end_date)


def _area_info(area_id: int | None) -> AreaInfo | None:
    area = db.session.get(Area, area_id) if area_id is not None else None
    if area is None:
        return None
    return AreaInfo(id=area.id, name=area.name, slug=area.slug, lat=area.centre_lat, lon=area.centre_lon,
                    zoom=area.zoom)


def load_snapshot(f: SnapshotFilter, *, with_barriers: bool = True) -> Snapshot:
    """Load actors, their facets, links among them and barrier reports: at most five queries."""
    info = _area_info(f.area_id)
    cond = _actor_condition(f)
    actor_ids = select(Actor.id).where(cond)
    actors = _actor_nodes(cond)
    links = [
        LinkEdge(*l)
        for l in db.session.execute(
            select(*_LINK_COLUMNS).where(_link_condition(f), Collaboration.source_id.in_(actor_ids),
                                         Collaboration.target_id.in_(actor_ids))
            .order_by(Collaboration.id)
        )
    ]
    barriers = []
    if with_barriers:
        barriers = [
            BarrierItem(id=b.id, actor_id=b.actor_id, category=b.category, stage=b.stage,
                        description=b.description or "", since=b.since, visibility=b.visibility)
            for b in db.session.execute(
                select(BarrierReport.id, BarrierReport.actor_id, BarrierReport.category, BarrierReport.stage,
                       BarrierReport.description, BarrierReport.since, BarrierReport.visibility)
                .where(BarrierReport.actor_id.in_(actor_ids), BarrierReport.archived.is_(False),
                       BarrierReport.visibility.in_(f.barrier_visibility.levels))
                .order_by(BarrierReport.id)
            )
            if f.barrier_visibility.allows(b.visibility, b.actor_id)
        ]
    outside, area_names = frozenset(), {}
    if f.with_neighbours and f.area_id is not None:
        outside, area_names = _neighbours(f, actor_ids, actors, links)
    return Snapshot(actors=actors, links=links, barriers=barriers, area=info,
                    taken_at=datetime.now(timezone.utc), outside=outside, area_names=area_names)


def _neighbours(f: SnapshotFilter, actor_ids, actors: dict[int, ActorNode], links: list[LinkEdge]):
    """Add the links leaving the area (either way) and the actors at their far ends to `actors` and `links`;
    returns those actors' ids and the names of their areas. Two or three more queries."""
    leaving = [LinkEdge(*l) for l in db.session.execute(
        select(*_LINK_COLUMNS).where(_link_condition(f), or_(
            and_(Collaboration.source_id.in_(actor_ids), Collaboration.target_id.not_in(actor_ids)),
            and_(Collaboration.target_id.in_(actor_ids), Collaboration.source_id.not_in(actor_ids))))
        .order_by(Collaboration.id))]
    far = sorted({i for l in leaving for i in (l.source_id, l.target_id)} - actors.keys())
    if not far:
        return frozenset(), {}
    kinds = [Actor.kind.in_(sorted(f.kinds))] + ([] if f.include_inactive else [Actor.status == "active"])
    found = _actor_nodes(and_(Actor.id.in_(far), *kinds))
    actors.update(found)
    links.extend(l for l in leaving if l.source_id in actors and l.target_id in actors)
    area_ids = {a for node in found.values() for a in node.area_ids}
    names = dict(db.session.execute(select(Area.id, Area.name).where(Area.id.in_(sorted(area_ids)))).all()) \
        if area_ids else {}
    return frozenset(found), names


@dataclass
class SnapshotPage:
    """One page of a snapshot's actors (by name), with the other ends of their links."""

    snapshot: Snapshot  # the page's actors, the actors at the other end of their links, and those links
    page_ids: list[int]  # the page's actors, in order


def load_page(f: SnapshotFilter, page: int, per_page: int) -> SnapshotPage:
    """One page of the actors a filter selects, ordered by name, and the links between them and other such actors.

    Reads the page, the links touching it (by their indexed ends) and the actors at their ends: never the
    whole snapshot. count_snapshot gives the whole's counts.
    """
    cond = _actor_condition(f)
    page_ids = list(db.session.scalars(select(Actor.id).where(cond).order_by(func.lower(Actor.name), Actor.id)
                                       .limit(per_page).offset((page - 1) * per_page)))
    links = []
    if page_ids:
        links = [LinkEdge(*l) for l in db.session.execute(
            select(*_LINK_COLUMNS).where(_link_condition(f), or_(Collaboration.source_id.in_(page_ids),
                                                                 Collaboration.target_id.in_(page_ids)))
            .order_by(Collaboration.id))]
    ends = set(page_ids) | {l.source_id for l in links} | {l.target_id for l in links}
    # Only the other ends the filter selects too: a link to any other actor is not shown.
    actors = _actor_nodes(and_(cond, Actor.id.in_(sorted(ends)))) if ends else {}
    links = [l for l in links if l.source_id in actors and l.target_id in actors]
    snapshot = Snapshot(actors=actors, links=links, barriers=[], area=_area_info(f.area_id),
                        taken_at=datetime.now(timezone.utc))
    return SnapshotPage(snapshot=snapshot, page_ids=page_ids)


def count_snapshot(f: SnapshotFilter) -> tuple[int, int]:
    """How many actors and links the snapshot of a filter holds, counted by the database (two queries)."""
    actor_ids = select(Actor.id).where(_actor_condition(f))
    actors = db.session.scalar(select(func.count()).select_from(actor_ids.subquery()))
    links = db.session.scalar(select(func.count(Collaboration.id)).where(
        _link_condition(f), Collaboration.source_id.in_(actor_ids), Collaboration.target_id.in_(actor_ids)))
    return actors, links
