"""Queries behind the public pages, each a fixed number of SQL statements."""
from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from .. import vocab
from ..access import BarrierScope
from ..extensions import db
from ..models import Actor, ActorFacet, ActorWord, Area, BarrierReport, Collaboration, actor_areas
from ..models.actor import search_words


def in_area(area_id: int):
    """SQL condition: the actor's home area is area_id or it serves area_id."""
    # A UNION of two indexed lookups; an OR across them would scan the whole table.
    home = select(Actor.id).where(Actor.area_id == area_id)
    served = select(actor_areas.c.actor_id).where(actor_areas.c.area_id == area_id)
    return Actor.id.in_(home.union(served))


def word_match(prefix: str):
    """SQL condition: one of the actor's words starts with prefix (an index range scan)."""
    # Words hold only a-z and 0-9, so every word with this prefix sorts between these two bounds.
    upper = prefix + "z" * (40 - len(prefix))
    return Actor.id.in_(select(ActorWord.actor_id).where(ActorWord.word >= prefix, ActorWord.word <= upper))


def has_facet(facet: str, value: str):
    """SQL condition: the actor has this value of a multi-valued field."""
    return Actor.id.in_(select(ActorFacet.actor_id).where(ActorFacet.facet == facet, ActorFacet.value == value))


def directory_query(*, q: str = "", kind: str = "", area_id: int | None = None, service_type: str = "",
                    stage: str = "", client_group: str = "", open_to_research: bool = False) -> Select:
    """Active actors matching the directory's search and filters, by name."""
    stmt = select(Actor).where(Actor.status == "active")
    for word in search_words(q)[:8]:
        stmt = stmt.where(word_match(word))
    if kind:
        stmt = stmt.where(Actor.kind == kind)
    if area_id:
        stmt = stmt.where(in_area(area_id))
    if service_type:
        stmt = stmt.where(has_facet("service_type", service_type))
    if stage:
        stmt = stmt.where(has_facet("stage", stage))
    if client_group:
        stmt = stmt.where(has_facet("client_group", client_group))
    if open_to_research:
        stmt = stmt.where(Actor.open_to_research.is_(True))
    return stmt.order_by(Actor.name, Actor.id)


def confirmed_links(actor_id: int) -> list[Collaboration]:
    """The actor's confirmed links, both directions, whose other end is active."""
    rows = db.session.scalars(
        select(Collaboration)
        .where(or_(Collaboration.source_id == actor_id, Collaboration.target_id == actor_id),
               Collaboration.status == "confirmed")
        .order_by(Collaboration.kind, Collaboration.id)
    ).unique().all()
    return [l for l in rows if l.other_end(actor_id).status == "active"]


def group_links(actor_id: int, links: list[Collaboration]) -> list[tuple[str, list[Collaboration]]]:
    """Links grouped by kind and direction, as (heading, links), in vocabulary order."""
    groups: dict[str, list[Collaboration]] = {}
    for link in links:
        kind = link.link_kind
        if kind.both_ways:
            heading = kind.label
        elif link.source_id == actor_id:
            heading = kind.label
        else:
            heading = f"{kind.label} (from others)"
        groups.setdefault(heading, []).append(link)
    order = {k.key: i for i, k in enumerate(vocab.LINK_KINDS)}
    return sorted(groups.items(), key=lambda kv: (order[kv[1][0].kind], kv[0].endswith(")")))


def visible_barriers(actor_id: int, scope: BarrierScope) -> list[BarrierReport]:
    """Barrier reports of an actor that the viewer may see (scope: access.barrier_scope)."""
    reports = db.session.scalars(
        select(BarrierReport).where(BarrierReport.actor_id == actor_id, BarrierReport.archived.is_(False),
                                    BarrierReport.visibility.in_(scope.levels))
        .order_by(BarrierReport.stage, BarrierReport.category)
    )
    return [r for r in reports if scope.allows(r.visibility, actor_id)]


def counts_by_kind(area_id: int | None = None) -> dict[str, int]:
    """Active actors per kind, in one query."""
    stmt = select(Actor.kind, func.count()).where(Actor.status == "active").group_by(Actor.kind)
    if area_id:
        stmt = stmt.where(in_area(area_id))
    found = dict(db.session.execute(stmt).all())
    return {k: found.get(k, 0) for k in vocab.ACTOR_KINDS.keys()}


def stage_counts(area_id: int) -> dict[int, int]:
    """Active services per pathway stage in an area, in one query."""
    stmt = (select(ActorFacet.value, func.count()).join(Actor, Actor.id == ActorFacet.actor_id)
            .where(ActorFacet.facet == "stage", Actor.status == "active", Actor.kind == "service",
                   in_area(area_id))
            .group_by(ActorFacet.value))
    found = {int(k): n for k, n in db.session.execute(stmt).all()}
    return {s: found.get(s, 0) for s in vocab.STAGE_NUMBERS}


def area_forums(area_id: int) -> list[Actor]:
    """Active forums of an area."""
    return list(db.session.scalars(
        select(Actor).where(Actor.kind == "forum", Actor.status == "active", Actor.area_id == area_id)
        .order_by(Actor.name)))


def all_areas() -> list[Area]:
    """Every area, by name."""
    return list(db.session.scalars(select(Area).order_by(Area.name)))
