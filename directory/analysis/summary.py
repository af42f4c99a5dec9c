"""Every finding at once, findings grouped for reading, map markers and the national ranking."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..snapshot import Snapshot
from .core import _KIND_RANK, _SEVERITY_RANK, SEVERITIES, Finding, Network, _stale, prepare
from .evidence import corroborate, merge
from .pathway import broken_handoffs, client_group_gaps, dead_ends, missing_stages, restricted_stages, thin_stages
from .reports import barrier_groups, stale_links, stale_records
from .scores import ScorePart, area_score
from .structure import brokers, fragile_ties, fragmentation, isolated_actors, outside_forums

SORT_ORDERS = ("severity", "kind")
# The map's gaps overlay: finding kind -> (the letter on its first actor's marker, the label in the popup,
# the map's legend and hint and the list); one place for all of them.
GAP_MARKS = {"isolated": ("I", "Isolated"), "outside_forums": ("O", "Outside the forums"),
             "dead_end": ("D", "Dead end"), "broker": ("B", "Broker")}
# The letter for an actor with reported barriers (the reports themselves are listed in its popup).
BARRIER_MARK = ("R", "Reported barriers")
GAP_LABELS = {kind: label for kind, (_letter, label) in GAP_MARKS.items()}


# The finders that need no date, in the order find_all runs them.
_FINDERS = (missing_stages, thin_stages, broken_handoffs, client_group_gaps, restricted_stages, dead_ends,
            isolated_actors, outside_forums, fragile_ties, brokers, fragmentation, barrier_groups)
# The finders that read the pathway for a client group (the others' findings are the network's, everyone's).
_GROUP_FINDERS = (missing_stages, thin_stages, broken_handoffs, dead_ends)


def find_all(snapshot, today: date, client_group: str | None = None) -> list[Finding]:
    """Every finding for a snapshot (for one client group, if given: then only the pathway's findings, missing and
    thin stages, handoffs and dead ends, read for that group's services), findings about one actor and cause
    merged and barrier reports put inside the gaps they bear on (see evidence), sorted by severity (high
    first) then by kind."""
    net = prepare(snapshot, client_group)
    if client_group:  # only the pathway is read for a group: the network's findings are everyone's
        found = [f for fn in _GROUP_FINDERS for f in fn(net)]
    else:
        found = [f for fn in _FINDERS for f in fn(net)] + stale_records(net, today) + stale_links(net, today)
    return _by_severity(corroborate(merge(_by_severity(found), net), net))


def _by_severity(findings) -> list[Finding]:
    """Findings sorted by severity (high first) then by kind, keeping their order otherwise."""
    return sorted(findings, key=lambda f: (_SEVERITY_RANK.get(f.severity, 9), _KIND_RANK.get(f.kind, 99)))


def severity_counts(findings) -> dict[str, int]:
    """How many findings of each severity, every severity present (high, medium, low)."""
    counts = {k: 0 for k in SEVERITIES.keys()}
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


def group_by_kind(findings, order: str = "severity") -> list[tuple[str, list[Finding]]]:
    """Findings grouped by kind, each group worst first; groups by their worst severity ("severity")
    or in the vocabulary's order ("kind")."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.kind].append(f)
    for items in groups.values():
        items.sort(key=lambda f: _SEVERITY_RANK.get(f.severity, 9))  # stable: keeps the analysis order

    def worst(kind):
        return min(_SEVERITY_RANK.get(f.severity, 9) for f in groups[kind])

    if order == "kind":
        kinds = sorted(groups, key=lambda k: _KIND_RANK.get(k, 99))
    else:
        kinds = sorted(groups, key=lambda k: (worst(k), _KIND_RANK.get(k, 99)))
    return [(k, groups[k]) for k in kinds]


def gap_markers(findings) -> dict[int, list[str]]:
    """For the map's gaps overlay: actor id -> labels such as "Isolated", "Outside the forums",
    "Dead end", "Broker" (the actor a finding is about, not the others it names)."""
    out: dict[int, list[str]] = {}
    for f in findings:
        label = GAP_LABELS.get(f.kind)
        if label is None or not f.actor_ids:
            continue
        labels = out.setdefault(f.actor_ids[0], [])
        if label not in labels:
            labels.append(label)
    order = list(GAP_LABELS.values())
    return {i: sorted(labels, key=order.index) for i, labels in out.items()}


# --- the national view -----------------------------------------------------------------

def split_by_area(snapshot: Snapshot, area_ids, area_names: dict[int, str] | None = None) -> dict[int, Snapshot]:
    """One national snapshot cut into one snapshot per area, as the loader gives an area's page
    (SnapshotFilter.whole_area): the actors based in or serving the area, the links among them, the links
    leaving it with the actors at their far ends (`outside`, their areas named from `area_names`), and
    the barrier reports of the area's own actors. Links with an end missing from the snapshot are left out."""
    wanted = set(area_ids)
    everyone = snapshot.actors or {}
    home = {i: actor.areas & wanted for i, actor in everyone.items()}
    actors: dict[int, dict] = {a: {} for a in wanted}
    for i, areas in home.items():
        for a in areas:
            actors[a][i] = everyone[i]
    inside: dict[int, list] = {a: [] for a in wanted}
    leaving: dict[int, list] = {a: [] for a in wanted}
    far: dict[int, dict] = {a: {} for a in wanted}
    for l in snapshot.links or ():
        s, t = home.get(l.source_id), home.get(l.target_id)
        if s is None or t is None or not (s or t):
            continue
        for a in s & t:
            inside[a].append(l)
        for areas, other in ((s - t, l.target_id), (t - s, l.source_id)):
            for a in areas:
                leaving[a].append(l)
                far[a][other] = everyone[other]
    barriers: dict[int, list] = {a: [] for a in wanted}
    for b in snapshot.barriers or ():
        for a in home.get(b.actor_id, ()):
            barriers[a].append(b)
    names = area_names or {}
    out = {}
    for a in wanted:
        seen = {x for node in far[a].values() for x in node.areas & names.keys()}
        out[a] = Snapshot({**actors[a], **far[a]}, inside[a] + leaving[a], barriers[a],
                          taken_at=snapshot.taken_at, outside=frozenset(far[a]),
                          area_names={x: names[x] for x in sorted(seen)})
    return out


@dataclass(frozen=True)
class AreaGaps:
    """One area's line in the national ranking: its score and the score's parts (see scores.py), its
    findings by severity, its missing stages and how many active records it has."""

    area_id: int
    high: int
    medium: int
    low: int
    missing_stages: tuple[int, ...]
    actors: int
    score: float = 0.0
    parts: tuple[ScorePart, ...] = ()

    @property
    def rank_key(self) -> tuple:
        """Lowest score first (most gaps for its size), then most high-severity findings."""
        return (self.score, -self.high)


def area_gaps(area_id: int, snapshot, today: date) -> AreaGaps:
    """Score one area, count its findings by severity and list its missing stages (no betweenness needed).

    The same counts as find_all, but stale links (often the most numerous, all low) are counted
    rather than worded, which keeps the national ranking fast."""
    net = Network(snapshot, partners=False)  # the ranking shows no next steps: skip choosing partners
    findings = [f for fn in _FINDERS for f in fn(net)] + stale_records(net, today)
    findings = corroborate(merge(findings, net), net)  # as find_all does, so the counts agree
    counts = severity_counts(findings)
    counts["low"] += sum(1 for l in net.links if _stale(l.last_confirmed, today))
    missing = tuple(s for f in findings if f.kind == "missing_stage" for s in f.stages)
    scored = area_score(net)
    return AreaGaps(area_id, counts["high"], counts["medium"], counts["low"], missing, len(net.actors),
                    scored.score, scored.parts)


def rank_areas(snapshot: Snapshot, areas, today: date, area_names: dict[int, str] | None = None) -> list[AreaGaps]:
    """Every area's score and gaps from one national snapshot: lowest score first, then most high-severity
    findings, then the given area order.

    `areas` is a list of area ids in the tie-break order (for example by name); `area_names` names them,
    for the findings about links to other areas."""
    areas = list(areas)
    parts = split_by_area(snapshot, areas, area_names)
    position = {a: n for n, a in enumerate(areas)}
    found = [area_gaps(a, parts[a], today) for a in areas]
    return sorted(found, key=lambda g: (g.rank_key, position[g.area_id]))
