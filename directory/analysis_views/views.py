"""What the analysis pages show, worked out from one snapshot: no request handling here."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import analysis as A
from .. import vocab

TOP = 10  # rows in each "top actors" table


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


# Why the analysis leaves a link of the area's snapshot out (links_left_out).
LEFT_OUT_REASONS = {
    "proposed": "Proposed and waiting for the other side to confirm it: not counted until confirmed.",
    "inactive": "It joins a record that is archived or waiting for approval.",
}
CLIENT_GROUP_RULE = ("A service counts for a client group when it lists that group, or lists no client group at all "
                     "(it takes anyone).")
RECENT_DAYS = 90  # "changes worth noting" in the meeting pack look back this far


def links_left_out(net: A.Network) -> list[dict]:
    """Every live link of the snapshot the analysis does not count, with the reason (LEFT_OUT_REASONS)."""
    actors = net.snapshot.actors
    out = []
    for l in net.snapshot.links or ():
        if l.source_id == l.target_id or l.status not in vocab.LIVE_LINK_STATUSES:
            continue
        ends = [actors.get(i) for i in (l.source_id, l.target_id)]
        if any(a is None or a.status != "active" for a in ends):
            why = "inactive"
        elif l.status == "proposed":
            why = "proposed"
        else:
            continue
        out.append({"id": l.id, "kind": l.kind, "source_id": l.source_id, "target_id": l.target_id,
                    "status": l.status, "reason": why, "reason_text": LEFT_OUT_REASONS[why]})
    return out


def inactive_links(snapshot) -> int:
    """How many confirmed links touch an archived or pending record (left out of the analysis)."""
    return sum(1 for l in links_left_out(A.prepare(snapshot)) if l["reason"] == "inactive" and l["status"] == "confirmed")


def links_out_of_area(net: A.Network) -> list[dict]:
    """The confirmed links that leave the area (counted, as handoffs and in each actor's whole network)."""
    out = []
    for l in net.out_links:
        far = l.target_id if l.target_id in net.outside else l.source_id
        out.append({"id": l.id, "kind": l.kind, "source_id": l.source_id, "target_id": l.target_id,
                    "outside_id": far, "outside_name": net.name(far), "outside_where": net.out_of_area(far)})
    return out


def recent_changes(net: A.Network, today: date, days: int = RECENT_DAYS) -> dict:
    """What is worth noting from the last `days` days: links started and barriers reported since then
    (by the dates recorded on them), proposed links still waiting, and how many records and links have not
    been confirmed for a year (everyone's, whatever client group the network is read for: find_all leaves
    them out of a client group's findings)."""
    since = today - timedelta(days=days)
    started = sorted((l for l in net.links + net.out_links if l.start_date and l.start_date >= since),
                     key=lambda l: (l.start_date, l.id), reverse=True)
    reported = sorted((b for b in net.snapshot.barriers or () if b.actor_id in net.actors
                       and b.since and b.since >= since), key=lambda b: (b.since, b.id), reverse=True)
    return {"since": since, "links_started": started, "barriers_reported": reported,
            "proposed_waiting": len(net.proposed), "stale_records": len(A.stale_records(net, today)),
            "stale_links": len(A.stale_links(net, today))}


@dataclass
class AreaAnalysis:
    """Everything the area analysis page, its meeting pack and its downloads show."""

    net: A.Network
    findings: list
    metrics: dict
    coverage: list[dict]
    today: date
    ignored_links: int
    shortlist: list = field(default_factory=list)
    score: object = None
    group_grid: list[dict] = field(default_factory=list)
    client_group: str | None = None

    @property
    def names(self) -> dict[int, str]:
        """Actor id -> name, for active actors in the area and outside it (with where they are)."""
        names = {i: self.net.name(i) for i in self.net.actors}
        names.update({i: self.net.name(i) + self.net.where(i) for i in self.net.outside})
        return names

    def coverage_rows(self) -> list[dict]:
        """Coverage with the chart's bar widths (0-100) and a note for missing and thin stages."""
        top = max((c["count"] for c in self.coverage), default=0) or 1
        return [{**c, "width": round(100 * c["count"] / top, 1),
                 "note": "Missing" if c["count"] == 0 else "Only one" if c["count"] == 1 else ""}
                for c in self.coverage]

    def evidence(self, finding) -> list:
        """The barrier reports that bear on a finding (its evidence), in its order."""
        by_id = {b.id: b for b in self.net.snapshot.barriers or ()}
        return [by_id[i] for i in finding.evidence if i in by_id]

    def filtered(self, kind: str | None, severity: str | None) -> list:
        """The findings of one kind and/or severity (all when neither is given)."""
        return [f for f in self.findings if (not kind or f.kind == kind) and (not severity or f.severity == severity)]


def analyse_area(snapshot, today: date, *, measure=A.metrics, client_group: str | None = None) -> AreaAnalysis:
    """Read an area's snapshot once (for one client group, if given) and work out findings, the shortlist, the
    score, metrics (measure(net); none when measure is None), coverage and the stage x client-group grid."""
    net = A.prepare(snapshot, client_group)
    findings = A.find_all(net, today, client_group=client_group)
    everyone = A.prepare(snapshot) if client_group else net
    return AreaAnalysis(net=net, findings=findings, metrics=measure(net) if measure else {},
                        coverage=A.stage_coverage(net), today=today, ignored_links=inactive_links(net),
                        shortlist=A.shortlist(findings, net=net), score=A.area_score(everyone),
                        group_grid=A.client_group_coverage(everyone), client_group=client_group)


def stale_summaries(findings) -> tuple[list, list[dict]]:
    """Split findings into those shown one by one and one summary per stale kind (record, link):
    {"kind", "label", "count", "items"}, so a long list of routine checks takes one line each."""
    stale_kinds = ("stale_record", "stale_link")
    shown = [f for f in findings if f.kind not in stale_kinds]
    summaries = []
    for kind in stale_kinds:
        items = [f for f in findings if f.kind == kind]
        if items:
            summaries.append({"kind": kind, "label": A.FINDING_KINDS.label(kind), "count": len(items), "items": items})
    return shown, summaries
