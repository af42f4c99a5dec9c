"""Graph data for the network view and GeoJSON, from a snapshot."""
from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx

from ..snapshot import Snapshot
from ..vocab import LINK_KINDS, LIVE_LINK_STATUSES
from .data import _actor_url, _live_links, _point, _stages, _summary, _without_gc
from .styles import _KIND_INDEX, DEFAULT_ACTOR_URL, LINK_STYLES, PROPOSED_STYLE, legend_tables

@_without_gc
def graph_data(
    snapshot: Snapshot,
    *,
    actor_url_template: str = DEFAULT_ACTOR_URL,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
    betweenness: Mapping[int, float] | None = None,
) -> dict:
    """Nodes and edges for the network view (vis-network), plus legend tables.

    Nodes: ``{id, label, kind, group, stages, subtype, url, degree, main,
    betweenness}``; edges: ``{id, from, to, kind, label, status, dashes}``
    where ``dashes`` is False (solid) or a list of dash/gap lengths. ``degree``
    counts the other actors a node is linked to in the edges shown; ``main`` is
    True for the actors in the largest connected group (every actor when no
    group has two); ``betweenness`` is the figure given for the actor (the
    area analysis's), None when none was given. Labels are plain text:
    vis-network draws them on a canvas, and network.js passes tooltips as
    plain strings.
    """
    nodes = []
    for actor in snapshot.actors.values():
        if actor.kind not in _KIND_INDEX:
            continue
        nodes.append({
            "id": actor.id,
            "label": actor.name or "",
            "kind": actor.kind,
            "group": actor.kind,
            "stages": _stages(actor) if actor.kind == "service" else [],
            "subtype": _summary(actor) if actor.kind != "service" else "",
            "url": _actor_url(actor_url_template, actor),
        })
    labels = {lk.key: lk.label for lk in LINK_KINDS}
    edges = []
    for link in _live_links(snapshot, link_statuses):
        if link.source_id not in snapshot.actors or link.target_id not in snapshot.actors:
            continue
        if link.status == "proposed":
            dash = PROPOSED_STYLE[1]
        else:
            dash = LINK_STYLES[link.kind][1]
        edges.append({
            "id": link.id,
            "from": link.source_id,
            "to": link.target_id,
            "kind": link.kind,
            "label": labels[link.kind],
            "status": link.status,
            "dashes": [int(x) for x in dash.split()] if dash else False,
        })
    _add_structure(nodes, edges, betweenness)
    data = {"nodes": nodes, "edges": edges}
    data.update(legend_tables())
    return data


def _add_structure(nodes: list[dict], edges: list[dict], betweenness: Mapping[int, float] | None) -> None:
    """Each node's degree, whether it is in the main (largest) connected group, and its betweenness."""
    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in nodes)
    graph.add_edges_from((e["from"], e["to"]) for e in edges if e["from"] != e["to"])
    order = {n["id"]: i for i, n in enumerate(nodes)}
    # Largest first; of equal size, the one holding the earliest node (the same answer every time).
    main = min(nx.connected_components(graph), key=lambda c: (-len(c), min(order[i] for i in c)), default=set())
    if len(main) < 2:
        main = set(graph)  # nothing is linked: no group stands out, every actor is shown alike
    for n in nodes:
        n["degree"] = graph.degree(n["id"])
        n["main"] = n["id"] in main
        n["betweenness"] = None if betweenness is None else round(float(betweenness.get(n["id"], 0.0)), 4)


# --- geojson ---------------------------------------------------------------------


@_without_gc
def geojson(
    snapshot: Snapshot,
    *,
    actor_url_template: str = DEFAULT_ACTOR_URL,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
) -> dict:
    """A GeoJSON FeatureCollection of actor Points and link LineStrings.

    Coordinates are [lon, lat] (RFC 7946). A confidential service appears at
    the point the snapshot holds (its area centre) with ``confidential: true``.
    """
    features = []
    points: dict[int, list[float]] = {}
    for actor in snapshot.actors.values():
        point = _point(actor)
        if point is None or actor.kind not in _KIND_INDEX:
            continue
        coords = [point[1], point[0]]
        points[actor.id] = coords
        features.append({
            "type": "Feature",
            "id": f"actor-{actor.id}",
            "geometry": {"type": "Point", "coordinates": coords},
            "properties": {
                "feature": "actor",
                "id": actor.id,
                "kind": actor.kind,
                "name": actor.name or "",
                "stages": _stages(actor),
                "confidential": bool(actor.confidential),
                "url": _actor_url(actor_url_template, actor),
            },
        })
    for link in _live_links(snapshot, link_statuses):
        a, b = points.get(link.source_id), points.get(link.target_id)
        if a is None or b is None:
            continue
        features.append({
            "type": "Feature",
            "id": f"link-{link.id}",
            "geometry": {"type": "LineString", "coordinates": [a, b]},
            "properties": {
                "feature": "link",
                "id": link.id,
                "kind": link.kind,
                "status": link.status,
                "source": link.source_id,
                "target": link.target_id,
            },
        })
    return {"type": "FeatureCollection", "features": features}
