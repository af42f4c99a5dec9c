"""What the analysis pages show, worked out from one snapshot: no request handling here."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .. import analysis as A
from .. import vocab

TOP = 10  # rows in each "top actors" table


def inactive_links(snapshot) -> int:
    """How many confirmed links touch an archived or pending record (left out of the analysis)."""
    actors = snapshot.actors
    return sum(1 for l in snapshot.links if l.status == "confirmed" and l.source_id != l.target_id and any(
        actors.get(i) is None or actors[i].status != "active" for i in (l.source_id, l.target_id)))


def barrier_sections(net: A.Network) -> list[dict]:
    """Reported barriers of active services, grouped by stage (in pathway order, no stage last) then category."""
    cats = {k: n for n, k in enumerate(vocab.BARRIER_CATEGORIES.keys())}
    by_stage: dict = defaultdict(lambda: defaultdict(list))
    for b in net.snapshot.barriers or ():
        if b.actor_id in net.actors:
            by_stage[b.stage][b.category].append(b)
    out = []
    for stage in sorted(by_stage, key=lambda s: (s is None, s or 0)):
        groups = by_stage[stage]
        out.append({
            "stage": stage,
            "label": vocab.PATHWAY_STAGES.label(str(stage)) if stage is not None else "No particular stage",
            "categories": [{"category": c, "label": vocab.BARRIER_CATEGORIES.label(c),
                            "reports": sorted(groups[c], key=lambda b: (net.sort_key(b.actor_id), b.id))}
                           for c in sorted(groups, key=lambda c: (cats.get(c, 99), str(c)))],
        })
    return out


def top_actors(metrics: dict, key: str, limit: int = TOP) -> list[dict]:
    """The actors with the highest value of a per-actor metric (above zero), highest first, then by name."""
    rows = [{"id": i, **m} for i, m in metrics["actors"].items() if m[key] > 0]
    rows.sort(key=lambda r: (-r[key], r["name"].casefold(), r["id"]))
    return rows[:limit]


@dataclass
class AreaAnalysis:
    """Everything the area analysis page and its downloads show."""

    net: A.Network
    findings: list
    metrics: dict
    coverage: list[dict]
    today: date
    ignored_links: int

    @property
    def names(self) -> dict[int, str]:
        """Actor id -> name, for active actors."""
        return {i: self.net.name(i) for i in self.net.actors}

    def coverage_rows(self) -> list[dict]:
        """Coverage with the chart's bar widths (0-100) and a note for missing and thin stages."""
        top = max((c["count"] for c in self.coverage), default=0) or 1
        return [{**c, "width": round(100 * c["count"] / top, 1),
                 "note": "Missing" if c["count"] == 0 else "Only one" if c["count"] == 1 else ""}
                for c in self.coverage]


def analyse_area(snapshot, today: date, *, with_metrics: bool = True) -> AreaAnalysis:
    """Read an area's snapshot once and work out findings, metrics (unless not wanted) and coverage from it."""
    net = A.prepare(snapshot)
    return AreaAnalysis(net=net, findings=A.find_all(net, today), metrics=A.metrics(net) if with_metrics else {},
                        coverage=A.stage_coverage(net), today=today, ignored_links=inactive_links(snapshot))
