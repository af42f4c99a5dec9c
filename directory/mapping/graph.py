"""Graph data for the network view and GeoJSON, from a snapshot."""
from __future__ import annotations

from typing import Iterable

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
) -> dict:
    """Nodes and edges for the network view (vis-network), plus legend tables.

    Nodes: ``{id, label, kind, group, stages, url}``; edges: ``{id, from, to,
    kind, label, status, dashes}`` where ``dashes`` is False (solid) or a list
    of dash/gap lengths. Labels are plain text: vis-network draws them on a
    canvas, and network.js passes tooltips as plain strings.
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
    data = {"nodes": nodes, "edges": edges}
    data.update(legend_tables())
    return data


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
