"""The small map on an actor's page: the actor, its direct confirmed links and the actors at their other ends."""
from __future__ import annotations

from collections import defaultdict

from flask import current_app, g, url_for
from markupsafe import Markup
from sqlalchemy import case, or_, select

from ..extensions import db
from ..mapping import build_map
from ..models import Actor, ActorFacet, Area, Collaboration
from ..snapshot import ActorNode, LinkEdge, Snapshot

ACTOR_URL_PLACEHOLDER = 987654321


def actor_url_template() -> str:
    """The actor page URL with "{id}" where the id goes, for the map and graph builders."""
    return url_for("public.actor", actor_id=ACTOR_URL_PLACEHOLDER).replace(str(ACTOR_URL_PLACEHOLDER), "{id}")


def _node(actor: Actor, stages) -> ActorNode:
    point = actor.public_point  # a confidential service: its area's centre, never its own point
    return ActorNode(
        id=actor.id, kind=actor.kind, name=actor.name, status=actor.status, area_id=actor.area_id,
        lat=point[0] if point else None, lon=point[1] if point else None, confidential=actor.confidential,
        stages=tuple(sorted(stages)), subtype=(actor.forum_type or "") if actor.kind == "forum" else (actor.institution or ""),
    )


def actor_neighbourhood(actor: Actor) -> Snapshot:
    """The actor, the active actors it has confirmed links with and those links, in two queries.

    The actor itself comes from the page's own (already loaded) record; one query reads the links with
    the actor at their other end and its area's centre, one reads those actors' pathway stages.
    """
    other_id = case((Collaboration.source_id == actor.id, Collaboration.target_id), else_=Collaboration.source_id)
    rows = db.session.execute(
        select(Collaboration.id.label("link_id"), Collaboration.kind.label("link_kind"), Collaboration.source_id,
               Collaboration.target_id, Actor.id, Actor.kind, Actor.name, Actor.area_id, Actor.latitude,
               Actor.longitude, Actor.confidential, Actor.forum_type, Actor.institution, Area.centre_lat,
               Area.centre_lon)
        .join(Actor, Actor.id == other_id)
        .outerjoin(Area, Area.id == Actor.area_id)
        .where(or_(Collaboration.source_id == actor.id, Collaboration.target_id == actor.id),
               Collaboration.source_id != Collaboration.target_id,
               Collaboration.status == "confirmed", Actor.status == "active")
        .order_by(Collaboration.id)
    ).all()
    stages: dict[int, list[int]] = defaultdict(list)
    service_ids = sorted({r.id for r in rows if r.kind == "service"})
    if service_ids:
        for actor_id, value in db.session.execute(
            select(ActorFacet.actor_id, ActorFacet.value)
            .where(ActorFacet.facet == "stage", ActorFacet.actor_id.in_(service_ids))
        ):
            stages[actor_id].append(int(value))
    actors = {actor.id: _node(actor, actor.stages if actor.kind == "service" else ())}
    links = []
    for r in rows:
        if r.id not in actors:
            lat, lon = (r.centre_lat, r.centre_lon) if r.confidential else (r.latitude, r.longitude)
            actors[r.id] = ActorNode(
                id=r.id, kind=r.kind, name=r.name, area_id=r.area_id, lat=lat, lon=lon,
                confidential=r.confidential, stages=tuple(sorted(stages.get(r.id, ()))),
                subtype=(r.forum_type or "") if r.kind == "forum" else (r.institution or ""))
        links.append(LinkEdge(id=r.link_id, kind=r.link_kind, source_id=r.source_id, target_id=r.target_id))
    return Snapshot(actors=actors, links=links)


def actor_mini_map(actor: Actor) -> dict | None:
    """The pieces of the actor page's small map (see build_map), or None when nothing has a point."""
    snapshot = actor_neighbourhood(actor)
    if not any(a.lat is not None for a in snapshot.actors.values()):
        return None
    parts = build_map(
        snapshot, tiles_url=current_app.config.get("TILES_URL"),
        attribution=Markup(current_app.config.get("TILES_ATTRIBUTION") or ""),
        static_url=lambda f: url_for("static", filename=f), actor_url_template=actor_url_template(),
        nonce=g.csp_nonce, height="360px", label=f"Map of {actor.name} and the actors it works with",
        link_statuses=("confirmed",), cluster=False,
    )
    parts["actors"] = len(snapshot.actors)
    parts["links"] = len(snapshot.links)
    return parts
