"""What the map, network and list pages show, worked out from snapshots: no request handling here."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from .. import analysis as A
from .. import vocab
from ..access import BarrierScope
from ..loader import SnapshotFilter, load_snapshot
from ..snapshot import Snapshot


def barrier_text(b) -> str:
    """A barrier report in words: category, stage, since when and the service's description."""
    text = vocab.BARRIER_CATEGORIES.label(b.category)
    if b.stage:
        text += f" at stage {b.stage} ({vocab.PATHWAY_STAGES.label(str(b.stage))})"
    if b.since:
        text += f", since {b.since.day} {b.since.strftime('%B %Y')}"
    if b.description:
        text += f": {b.description}"
    return text


def gap_overlay(area_id: int, visibility: BarrierScope, today: date) -> tuple[dict, dict]:
    """The gaps overlay for an area: (actor id -> gap labels, actor id -> barrier reports in words).

    Worked out on the whole area (every kind of actor and link), as the analysis page does, so that
    filtering the map by link kind does not make every actor look isolated.
    """
    whole = load_snapshot(SnapshotFilter.whole_area(area_id, visibility))
    gaps = A.gap_markers(A.find_all(whole, today))
    barriers: dict[int, list[str]] = defaultdict(list)
    for b in whole.barriers:
        actor = whole.actors.get(b.actor_id)
        if actor is not None and actor.active:
            barriers[b.actor_id].append(barrier_text(b))
    return gaps, dict(barriers)


def actor_rows(snapshot: Snapshot, *, gaps: dict | None = None, barriers: dict | None = None,
               only: list[int] | None = None) -> list[dict]:
    """One row per actor of the snapshot, by name (or those in `only`, in its order): kind, stages, gaps, links."""
    gaps, barriers = gaps or {}, barriers or {}
    actors = snapshot.actors
    links: dict[int, list[dict]] = defaultdict(list)
    for l in snapshot.links:
        if l.source_id == l.target_id or l.source_id not in actors or l.target_id not in actors:
            continue
        kind = vocab.LINK_KINDS.get(l.kind)
        if kind is None:
            continue
        proposed = l.status == "proposed"
        for this, other, direction in ((l.source_id, l.target_id, "Outgoing"), (l.target_id, l.source_id, "Incoming")):
            links[this].append({"kind": kind.label, "direction": "Both ways" if kind.both_ways else direction,
                                "other_id": other, "other_name": actors[other].name,
                                "other_kind": vocab.ACTOR_KINDS.label(actors[other].kind), "proposed": proposed})
    rows = []
    for a in (actors.values() if only is None else (actors[i] for i in only if i in actors)):
        rows.append({
            "id": a.id, "name": a.name, "kind": a.kind, "kind_label": vocab.ACTOR_KINDS.label(a.kind),
            "stages": list(a.stages) if a.kind == "service" else [], "confidential": a.confidential,
            "gaps": gaps.get(a.id, []), "barriers": barriers.get(a.id, []),
            "links": sorted(links.get(a.id, []), key=lambda r: (r["kind"], r["other_name"].casefold(), r["other_id"])),
        })
    if only is None:
        rows.sort(key=lambda r: (r["name"].casefold(), r["id"]))
    return rows
