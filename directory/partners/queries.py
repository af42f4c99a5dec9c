"""Load partner-finding candidates as plain records, each kind in a fixed number of queries.

The candidate set is one SELECT of ids; the facets, served areas, forum memberships and
research-link counts are then read for that whole set at once (a subquery, never a loop).
A confidential service's own point is never read: the ranking measures from its area centre.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from .. import vocab
from ..extensions import db
from ..models import Actor, ActorFacet, Area, Collaboration, actor_areas
from ..public.queries import has_facet, in_area
from .ranking import ForumMembership, ResearcherCandidate, ServiceCandidate

def _facets_of(ids, facets) -> dict[int, dict[str, list[str]]]:
    """{actor id: {facet: [values]}} for every actor in the ids subquery, in one query."""
    found: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(select(ActorFacet.actor_id, ActorFacet.facet, ActorFacet.value).where(
        ActorFacet.actor_id.in_(ids), ActorFacet.facet.in_(facets)))
    for actor_id, facet, value in rows:
        found[actor_id][facet].append(value)
    return found


def _areas_served(ids) -> dict[int, set[int]]:
    """{actor id: ids of the areas it serves besides its home}, in one query."""
    found: dict[int, set[int]] = defaultdict(set)
    for actor_id, area_id in db.session.execute(
            select(actor_areas.c.actor_id, actor_areas.c.area_id).where(actor_areas.c.actor_id.in_(ids))):
        found[actor_id].add(area_id)
    return found


def _forums_of(ids) -> dict[int, list[ForumMembership]]:
    """{service id: its confirmed memberships of active forums}, in one query."""
    forum = aliased(Actor)
    rows = db.session.execute(
        select(Collaboration.source_id, forum.name, forum.forum_type, forum.area_id)
        .join(forum, forum.id == Collaboration.target_id)
        .where(Collaboration.source_id.in_(ids), Collaboration.kind.in_(sorted(vocab.MEMBERSHIP_LINK_KINDS)),
               Collaboration.status == "confirmed", forum.status == "active")
        .order_by(forum.name))
    found: dict[int, list[ForumMembership]] = defaultdict(list)
    for source_id, name, forum_type, area_id in rows:
        if all(f.name != name for f in found[source_id]):  # a forum it both joins and chairs counts once
            found[source_id].append(ForumMembership(name, forum_type or "other", area_id))
    return found


def _research_link_counts(ids) -> dict[int, int]:
    """{service id: confirmed research partnerships (hosts research by, evaluated by)}, in one query.

    The service is the source of a research kind that starts at a service (hosts research by) and the
    target of the others (evaluates)."""
    starts = sorted(k.key for k in vocab.LINK_KINDS if k.key in vocab.RESEARCH_LINK_KINDS and "service" in k.sources)
    ends = sorted(vocab.RESEARCH_LINK_KINDS - set(starts))
    service_id = case((Collaboration.kind.in_(starts), Collaboration.source_id), else_=Collaboration.target_id)
    stmt = (select(service_id, func.count()).where(
        Collaboration.status == "confirmed",
        or_(and_(Collaboration.kind.in_(starts), Collaboration.source_id.in_(ids)),
            and_(Collaboration.kind.in_(ends), Collaboration.target_id.in_(ids))))
        .group_by(service_id))
    return dict(db.session.execute(stmt).all())


def service_candidates(*, area_id: int | None = None, service_types=(), stages=(),
                       client_groups=()) -> list[ServiceCandidate]:
    """Active services open to research (narrowed in SQL by area and facets), as plain records."""
    ids = select(Actor.id).where(Actor.kind == "service", Actor.status == "active",
                                 Actor.open_to_research.is_(True))
    if area_id:
        ids = ids.where(in_area(area_id))
    for facet, values in (("service_type", service_types), ("stage", stages), ("client_group", client_groups)):
        if values:
            ids = ids.where(or_(*(has_facet(facet, str(v)) for v in values)))
    rows = db.session.execute(
        select(Actor.id, Actor.name, Actor.area_id, Actor.confidential,
               case((Actor.confidential.is_(True), None), else_=Actor.latitude),
               case((Actor.confidential.is_(True), None), else_=Actor.longitude),
               Actor.status, Actor.open_to_research, Actor.research_topics, Actor.research_conditions,
               Actor.research_capacity, Actor.pie_profile, Actor.organisation, Actor.summary,
               Area.name, Area.centre_lat, Area.centre_lon)
        .outerjoin(Area, Area.id == Actor.area_id)
        .where(Actor.id.in_(ids))).all()
    facets = _facets_of(ids, ("service_type", "stage", "client_group"))
    served = _areas_served(ids)
    forums = _forums_of(ids)
    research = _research_link_counts(ids)
    out = []
    for (aid, name, home, confidential, lat, lon, status, open_, topics, conditions, capacity, pie, org,
         summary, area_name, clat, clon) in rows:
        f = facets.get(aid, {})
        out.append(ServiceCandidate(
            id=aid, name=name, area_id=home, area_ids=frozenset(served.get(aid, ())),
            area_centre=(clat, clon) if clat is not None else None,
            lat=lat, lon=lon, confidential=bool(confidential), status=status, open_to_research=bool(open_),
            research_topics=topics or "", research_conditions=conditions or "",
            research_capacity=capacity or "", pie_profile=dict(pie or {}),
            service_types=tuple(f.get("service_type", ())),
            stages=tuple(sorted(int(s) for s in f.get("stage", ()))),
            client_groups=tuple(f.get("client_group", ())),
            forums=tuple(forums.get(aid, ())), research_links=research.get(aid, 0),
            organisation=org or "", summary=summary or "", area_name=area_name or ""))
    return out


def researcher_candidates(*, area_id: int | None = None, engagement_types=(),
                          seeking_only: bool = True) -> list[ResearcherCandidate]:
    """Active researchers (narrowed in SQL by area, engagement types, seeking), as plain records."""
    ids = select(Actor.id).where(Actor.kind == "researcher", Actor.status == "active")
    if seeking_only:
        ids = ids.where(Actor.seeking_partners.is_(True))
    if area_id:
        ids = ids.where(in_area(area_id))
    if engagement_types:
        ids = ids.where(or_(*(has_facet("research_engagement", v) for v in engagement_types)))
    rows = db.session.execute(
        select(Actor.id, Actor.name, Actor.status, Actor.area_id, Actor.institution, Actor.disciplines,
               Actor.interests, Actor.methods, Actor.seeking_partners, Actor.summary, Area.name)
        .outerjoin(Area, Area.id == Actor.area_id).where(Actor.id.in_(ids))).all()
    facets = _facets_of(ids, ("research_engagement",))
    served = _areas_served(ids)
    return [ResearcherCandidate(
        id=rid, name=name, status=status, area_id=home, area_ids=frozenset(served.get(rid, ())),
        institution=inst or "", disciplines=disc or "", interests=interests or "", methods=methods or "",
        engagement_types=tuple(facets.get(rid, {}).get("research_engagement", ())),
        seeking_partners=bool(seeking), summary=summary or "", area_name=area_name or "")
        for rid, name, status, home, inst, disc, interests, methods, seeking, summary, area_name in rows]


def known_postcode_point(postcode: str) -> tuple[float, float] | None:
    """The point of an active, non-confidential record with exactly this (normalised) postcode, if any."""
    row = db.session.execute(
        select(Actor.latitude, Actor.longitude).where(
            Actor.postcode == postcode, Actor.status == "active", Actor.confidential.is_(False),
            Actor.latitude.is_not(None), Actor.longitude.is_not(None))
        .order_by(Actor.id).limit(1)).first()
    return (row.latitude, row.longitude) if row else None
