"""Findings and metrics over a network snapshot: where the pathway breaks.

Plain functions over `directory.snapshot.Snapshot`; no Flask, no database.
Every public function takes a Snapshot, or a `Network` from `prepare()` so
several functions can share the work of reading one snapshot.

Rules used throughout:
- Only active actors count (status "active").
- A link counts only when it is confirmed, both its ends are active actors in
  the snapshot and it does not join an actor to itself; anything else is
  ignored, never an error.
- Several links between the same two actors are one *tie* where ties matter
  (isolated, fragile ties, brokers, components, degrees, density).
- Both-ways kinds (co-located, case-conferences) count in both directions for
  in/out degree and density.

Decisions: an isolated service or forum is medium, an isolated researcher low
(researchers usually arrive without partners). Fragmentation counts groups
among actors with at least one link (isolated actors have their own finding);
metrics' components count every active actor. Barrier severity counts distinct
reporting services, not reports. A broker finding's actor_ids are the broker
then up to five of the actors it would cut off. Brokers are found by one
depth-first search (linear time), not by removing each actor in turn.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import networkx as nx

from . import vocab
from .snapshot import Snapshot
from .vocab import Term, Vocabulary

SEVERITIES = Vocabulary("finding severities", [
    Term("high", "High", "The pathway is broken here; raise it first."),
    Term("medium", "Medium", "A weak point that could break the pathway."),
    Term("low", "Low", "Worth tidying up."),
])

FINDING_KINDS = Vocabulary("finding kinds", [
    Term("missing_stage", "Missing stage", "No active service works at a pathway stage."),
    Term("thin_stage", "Thin stage", "Only one active service at a stage: a single point of failure."),
    Term("broken_handoff", "Broken handoff",
         "Services at two neighbouring stages, but no confirmed pathway link from one stage to the next."),
    Term("dead_end", "Dead end",
         "An accommodation service that receives people but has no confirmed onward pathway link."),
    Term("isolated", "Isolated actor", "An actor with no confirmed links at all."),
    Term("outside_forums", "Outside the forums", "A service that belongs to no forum of its area."),
    Term("fragile_tie", "Fragile tie", "A service whose confirmed links all go to one other actor."),
    Term("broker", "Broker dependency",
         "An actor whose loss would split the network, and what would be cut off."),
    Term("fragmentation", "Fragmentation", "The linked actors fall into more than one separate group."),
    Term("barriers", "Reported barriers", "Barriers that services report, grouped by stage and category."),
    Term("stale_record", "Stale record", "A record not verified for over 12 months."),
    Term("stale_link", "Stale link", "A confirmed link not reconfirmed for over 12 months."),
])

METRIC_EXPLANATIONS = {
    "nodes": "How many active actors are in the network.",
    "links": "How many confirmed links join active actors.",
    "ties": "How many pairs of actors are joined by at least one confirmed link.",
    "density": "The share of all possible one-way links that exist (0 = none, 1 = everyone links to everyone).",
    "degree_centralisation": "How far the network hangs on one hub (0 = links spread evenly, 1 = a single star).",
    "in_degree": "How many actors have a confirmed link to this actor.",
    "out_degree": "How many actors this actor has a confirmed link to.",
    "degree": "How many actors this actor is linked with, in either direction.",
    "betweenness": "How often this actor sits on the shortest route between two others (a broker), 0 to 1.",
    "components": "How many separate groups the network falls into (an actor with no links is a group of one).",
    "component_sizes": "The number of actors in each separate group, largest first.",
    "isolated": "How many active actors have no confirmed links.",
}

STAGES = list(vocab.STAGE_NUMBERS)
# Exact betweenness costs about n * links; above BETWEENNESS_EXACT_LIMIT actors it is estimated
# from BETWEENNESS_BUDGET // n sampled source actors (at least 10), so cost stays roughly flat.
BETWEENNESS_EXACT_LIMIT = 500
BETWEENNESS_BUDGET = 250_000
_SEVERITY_RANK = {k: i for i, k in enumerate(SEVERITIES.keys())}
_KIND_RANK = {k: i for i, k in enumerate(FINDING_KINDS.keys())}
_PATHWAY_WORDS = " or ".join(k.label.lower() for k in vocab.LINK_KINDS_LIST if k.key in vocab.PATHWAY_LINK_KINDS)


@dataclass(frozen=True)
class Finding:
    """One thing the analysis noticed: what, how serious, who, where, and what to do next."""

    kind: str
    severity: str
    title: str
    reason: str
    actor_ids: tuple[int, ...] = ()
    stages: tuple[int, ...] = ()
    next_step: str = ""

    @property
    def label(self) -> str:
        """The label of this finding's kind."""
        return FINDING_KINDS.label(self.kind)

    def to_dict(self) -> dict:
        """A plain dict (lists, not tuples) for JSON or CSV export."""
        return {"kind": self.kind, "kind_label": self.label, "severity": self.severity,
                "title": self.title, "reason": self.reason, "actor_ids": list(self.actor_ids),
                "stages": list(self.stages), "next_step": self.next_step}


class Network:
    """A snapshot read once: the active actors, the links that count, and indexes over them."""

    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot
        self.actors = {i: a for i, a in (snapshot.actors or {}).items()
                       if a is not None and a.status == "active"}
        self.links = [l for l in (snapshot.links or ()) if l.status == "confirmed"
                      and l.source_id in self.actors and l.target_id in self.actors
                      and l.source_id != l.target_id]
        self.adj: dict[int, set[int]] = {i: set() for i in self.actors}
        self.path_out: dict[int, set[int]] = defaultdict(set)
        self.path_in: dict[int, set[int]] = defaultdict(set)
        for l in self.links:
            self.adj[l.source_id].add(l.target_id)
            self.adj[l.target_id].add(l.source_id)
            if l.kind in vocab.PATHWAY_LINK_KINDS:
                self.path_out[l.source_id].add(l.target_id)
                self.path_in[l.target_id].add(l.source_id)
        self.ordered = sorted(self.actors, key=self.sort_key)
        self.services = [i for i in self.ordered if self.actors[i].kind == "service"]
        self.at_stage = {k: [i for i in self.services if k in (self.actors[i].stages or ())] for k in STAGES}

    def name(self, i: int) -> str:
        """An actor's name (or #id when it has none)."""
        a = self.actors.get(i)
        return (a.name if a and a.name else f"#{i}")

    def sort_key(self, i: int) -> tuple:
        """Sort actors by name, then id."""
        return (self.name(i).casefold(), i)

    def by_name(self, ids) -> list[int]:
        """The given actor ids, sorted by name."""
        return sorted(set(ids), key=self.sort_key)


def prepare(snapshot: Snapshot | Network) -> Network:
    """Read a snapshot once so several analysis functions can share the work."""
    return snapshot if isinstance(snapshot, Network) else Network(snapshot)


# --- wording helpers ----------------------------------------------------------

def _stage(k) -> str:
    label = vocab.PATHWAY_STAGES.label(str(k))
    return f"stage {k}" if label == str(k) else f"stage {k} ({label.split('. ', 1)[-1]})"


def _stage_topic(k) -> str:
    label = vocab.PATHWAY_STAGES.label(str(k))
    return label.split(". ", 1)[-1].lower() if label != str(k) else f"stage {k}"


def _names(net: Network, ids, limit: int = 5, total: int | None = None) -> str:
    ids = list(ids)
    names = [net.name(i) for i in ids[:limit]]
    extra = (len(ids) if total is None else total) - len(names)
    if extra > 0:
        return ", ".join(names) + f" and {extra} more"
    return " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _day(d) -> date | None:
    return d.date() if isinstance(d, datetime) else d


def _when(d: date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def _stale(d, today) -> bool:
    d, today = _day(d), _day(today)
    return d is None or (today - d).days > vocab.STALE_AFTER_DAYS


# --- pathway findings -----------------------------------------------------------

def missing_stages(snapshot) -> list[Finding]:
    """A high finding for each pathway stage with no active service."""
    net = prepare(snapshot)
    return [Finding("missing_stage", "high", f"No service at {_stage(k)}",
                    f"No active service in this network works at {_stage(k)}.", (), (k,),
                    f"No service at stage {k} — who could take on {_stage_topic(k)}?")
            for k in STAGES if not net.at_stage[k]]


def thin_stages(snapshot) -> list[Finding]:
    """A medium finding for each stage with exactly one active service."""
    net = prepare(snapshot)
    out = []
    for k in STAGES:
        if len(net.at_stage[k]) == 1:
            i = net.at_stage[k][0]
            out.append(Finding(
                "thin_stage", "medium", f"Only one service at {_stage(k)}",
                f"{net.name(i)} is the only active service at {_stage(k)}; if it closed or filled up, "
                "the stage would be empty.", (i,), (k,),
                f"Who else could work at stage {k}? Ask {net.name(i)} who could share {_stage_topic(k)}."))
    return out


def broken_handoffs(snapshot) -> list[Finding]:
    """A high finding for each pair of neighbouring stages with no confirmed pathway link between them."""
    net = prepare(snapshot)
    out = []
    for k in STAGES[:-1]:
        here, there = net.at_stage[k], net.at_stage.get(k + 1, [])
        if not here or not there:
            continue
        there_set = set(there)
        if any(t in there_set and t != s for s in here for t in net.path_out[s]):
            continue
        pair = next(((s, t) for s in here for t in there if s != t), None)
        if pair:
            step = (f"Agree a referral route from a stage {k} service (such as {net.name(pair[0])}) to a "
                    f"stage {k + 1} service (such as {net.name(pair[1])}) and record it as a link.")
        else:
            step = (f"{net.name(here[0])} is the only service at both stages: who could take people on "
                    f"from it at stage {k + 1}?")
        out.append(Finding(
            "broken_handoff", "high", f"No handoff from stage {k} to stage {k + 1}",
            f"{_names(net, here)} work{'s' if len(here) == 1 else ''} at {_stage(k)} and "
            f"{_names(net, there)} at {_stage(k + 1)}, but no confirmed pathway link ({_PATHWAY_WORDS}) "
            "runs from a service at the first stage to a different service at the second.",
            tuple(dict.fromkeys(here + there)), (k, k + 1), step))
    return out


def dead_ends(snapshot) -> list[Finding]:
    """A medium finding for each accommodation-stage service that receives people but passes nobody on."""
    net = prepare(snapshot)
    after = {k: [] for k in vocab.ACCOMMODATION_STAGES}  # first few services sitting after stage k
    for j in net.services:
        for k, found in after.items():
            if len(found) < 4 and any(s > k for s in (net.actors[j].stages or ())):
                found.append(j)
    out = []
    for i in net.services:
        acc = sorted(set(net.actors[i].stages or ()) & vocab.ACCOMMODATION_STAGES)
        if not acc or not net.path_in[i] or net.path_out[i]:
            continue
        later = [j for j in after[max(acc)] if j != i][:3]
        step = (f"Could {net.name(i)} move people on to {_names(net, later)}? Record its move-on routes."
                if later else f"No other service sits after {_stage(max(acc))}: who could take move-on "
                f"from {net.name(i)}?")
        senders = net.by_name(net.path_in[i])
        out.append(Finding(
            "dead_end", "medium", f"Dead end at {net.name(i)}",
            f"{net.name(i)}, at {' and '.join(_stage(k) for k in acc)}, receives people from "
            f"{_names(net, senders)} but has no confirmed pathway link onward, so nobody has a recorded "
            "route out.", (i, *senders), tuple(acc), step))
    return out


# --- network findings -------------------------------------------------------------

def isolated_actors(snapshot) -> list[Finding]:
    """A finding for each active actor with no confirmed links (medium; low for researchers)."""
    net = prepare(snapshot)
    steps = {"service": "Invite {n} to a forum of its area and ask it to record who it works with.",
             "forum": "Invite the area's services to record their membership of {n}.",
             "researcher": "Introduce {n} to services that are open to research."}
    out = []
    for i in net.ordered:
        if net.adj[i]:
            continue
        kind = net.actors[i].kind
        out.append(Finding(
            "isolated", "low" if kind == "researcher" else "medium", f"{net.name(i)} has no links",
            f"{net.name(i)} ({vocab.ACTOR_KINDS.label(kind).lower()}) has no confirmed links with any "
            "active actor in this network.", (i,), (),
            steps.get(kind, steps["service"]).format(n=net.name(i))))
    return out


def _areas(actor) -> set:
    areas = set(actor.area_ids or ())
    if actor.area_id is not None:
        areas.add(actor.area_id)
    return areas


def outside_forums(snapshot) -> list[Finding]:
    """A medium finding for each active service that is a member of no active forum of its area."""
    net = prepare(snapshot)
    kind = {i: a.kind for i, a in net.actors.items()}
    members, joined = defaultdict(set), defaultdict(set)
    for l in net.links:
        if l.kind in vocab.MEMBERSHIP_LINK_KINDS and kind[l.source_id] == "service" \
                and kind[l.target_id] == "forum":
            members[l.target_id].add(l.source_id)
            joined[l.source_id].add(l.target_id)
    forums_in = defaultdict(list)
    for f in net.ordered:
        if kind[f] == "forum" and net.actors[f].area_id is not None:
            forums_in[net.actors[f].area_id].append(f)
    out = []
    for s in net.services:
        areas = _areas(net.actors[s])
        if any(net.actors[f].area_id in areas for f in joined[s]):
            continue
        local = [f for area in areas for f in forums_in[area]]
        reason = f"{net.name(s)} is not a confirmed member of any active forum of its area"
        if joined[s]:
            reason += f" (it belongs to {_names(net, net.by_name(joined[s]))}, elsewhere)"
        if local:
            best = min(local, key=lambda f: (-len(members[f]), net.sort_key(f)))  # most service members
            step = (f"Invite {net.name(s)} to {net.name(best)}, which has "
                    f"{_plural(len(members[best]), 'member service')}.")
            ids = (s, best)
        else:
            step = (f"No active forum covers {net.name(s)}'s area to invite it to — could one be set up, "
                    "or a neighbouring forum take it in?")
            ids = (s,)
        out.append(Finding("outside_forums", "medium", f"{net.name(s)} is outside the forums",
                           reason + ".", ids, (), step))
    return out


def fragile_ties(snapshot) -> list[Finding]:
    """A low finding for each active service whose confirmed links all go to a single other actor."""
    net = prepare(snapshot)
    out = []
    for s in net.services:
        if len(net.adj[s]) != 1:
            continue
        (p,) = net.adj[s]
        out.append(Finding(
            "fragile_tie", "low", f"{net.name(s)} hangs on one tie",
            f"{net.name(s)}'s only confirmed tie is with {net.name(p)}; if it lapsed, {net.name(s)} would "
            "be cut off from the network.", (s, p), (),
            f"Help {net.name(s)} build a second link, for example through a forum of its area."))
    return out


def _cut_vertices(adj: dict[int, set[int]]):
    """Yield (cut vertex, detached ids (first few), detached count): iterative Tarjan, O(V + E)."""
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    size: dict[int, int] = {}
    kids: dict[int, list[int]] = {}
    order: list[int] = []
    for root in sorted(adj):
        if root in disc:
            continue
        start = len(order)
        disc[root] = low[root] = len(order)
        order.append(root)
        size[root], kids[root] = 1, []
        stack = [(root, None, iter(sorted(adj[root])))]
        while stack:
            v, parent, it = stack[-1]
            for w in it:
                if w not in disc:
                    disc[w] = low[w] = len(order)
                    order.append(w)
                    size[w], kids[w] = 1, []
                    kids[v].append(w)
                    stack.append((w, v, iter(sorted(adj[w]))))
                    break
                if w != parent:
                    low[v] = min(low[v], disc[w])
            else:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[v])
                    size[parent] += size[v]
        comp = order[start:]
        for v in comp:
            if v == root:
                cut = kids[v] if len(kids[v]) >= 2 else []
            else:
                cut = [c for c in kids[v] if low[c] >= disc[v]]
            if not cut:
                continue
            pieces = [("sub", c, size[c]) for c in cut]
            rest = len(comp) - 1 - sum(size[c] for c in cut)
            if rest > 0:
                pieces.insert(0, ("rest", None, rest))
            keep = max(range(len(pieces)), key=lambda n: (pieces[n][2], -n))
            detached = [p for n, p in enumerate(pieces) if n != keep]
            named: list[int] = []
            for how, c, _ in detached:
                if len(named) >= 5:
                    break
                if how == "sub":
                    named += order[disc[c]:disc[c] + min(size[c], 5 - len(named))]
                    continue
                skip = {disc[x]: size[x] for x in cut}
                skip[disc[v]] = 1
                n = start
                while n < start + len(comp) and len(named) < 5:
                    if n in skip:
                        n += skip[n]
                    else:
                        named.append(order[n])
                        n += 1
            yield v, named, sum(p[2] for p in detached)


def brokers(snapshot) -> list[Finding]:
    """A medium finding for each articulation point, naming what would be cut off without it."""
    net = prepare(snapshot)
    cuts = sorted(_cut_vertices(net.adj), key=lambda c: (-c[2], net.sort_key(c[0])))
    return [Finding(
        "broker", "medium", f"The network depends on {net.name(v)}",
        f"If {net.name(v)} went, {_plural(count, 'actor')} would be cut off from the rest of its "
        f"network: {_names(net, named, total=count)}.", (v, *named), (),
        f"Build links between {net.name(named[0])} and others, so the network does not depend on "
        f"{net.name(v)} alone.") for v, named, count in cuts]


def _components(adj: dict[int, set[int]], nodes, key) -> list[list[int]]:
    """Connected components over the given nodes, largest first, each sorted by key."""
    seen, comps = set(), []
    for i in nodes:
        if i in seen:
            continue
        seen.add(i)
        comp, todo = [], [i]
        while todo:
            v = todo.pop()
            comp.append(v)
            for w in adj[v]:
                if w not in seen:
                    seen.add(w)
                    todo.append(w)
        comps.append(sorted(comp, key=key))
    return sorted(comps, key=lambda c: (-len(c), key(c[0])))


def fragmentation(snapshot) -> list[Finding]:
    """One medium finding when the linked actors fall into more than one separate group."""
    net = prepare(snapshot)
    comps = _components(net.adj, [i for i in net.ordered if net.adj[i]], net.sort_key)
    if len(comps) < 2:
        return []
    sizes = ", ".join(str(len(c)) for c in comps[:-1]) + f" and {len(comps[-1])}"
    others = [i for c in comps[1:] for i in c]
    return [Finding(
        "fragmentation", "medium", f"The network is in {len(comps)} separate groups",
        f"The {sum(map(len, comps))} linked actors fall into {len(comps)} groups of {sizes} actors, with no "
        f"confirmed link between groups. The largest group includes {_names(net, comps[0], 3)}.",
        tuple(others), (),
        f"Look for links between the smaller groups (such as {_names(net, [c[0] for c in comps[1:]], 3)}) "
        "and the largest group.")]


# --- barriers and freshness ---------------------------------------------------------

def barrier_groups(snapshot) -> list[Finding]:
    """One finding per (stage, category) of reported barriers; severity by how many services report it."""
    net = prepare(snapshot)
    groups = defaultdict(list)
    for b in net.snapshot.barriers or ():
        if b.actor_id in net.actors:
            groups[(b.stage, b.category)].append(b)
    cats = {k: n for n, k in enumerate(vocab.BARRIER_CATEGORIES.keys())}

    def order(item):
        (stage, cat), reports = item
        return (-len({b.actor_id for b in reports}), stage is None, stage or 0, cats.get(cat, 99), str(cat))

    out = []
    for (stage, cat), reports in sorted(groups.items(), key=order):
        who = net.by_name(b.actor_id for b in reports)
        n, label = len(who), vocab.BARRIER_CATEGORIES.label(cat)
        where = _stage(stage) if stage is not None else "no particular stage"
        extra = f" ({len(reports)} reports)" if len(reports) > n else ""
        step = (f"Bring {_names(net, who)} together to look at '{label}' at {where}." if n > 1 else
                f"Ask {net.name(who[0])} what would help with '{label}', and whether others see it too.")
        out.append(Finding(
            "barriers", "high" if n >= 3 else "medium" if n == 2 else "low", f"{label} at {where}",
            f"{_plural(n, 'service')} report{'s' if n == 1 else ''} '{label}' at {where}{extra}: "
            f"{_names(net, who)}.", tuple(who), (stage,) if stage is not None else (), step))
    return out


def stale_records(snapshot, today: date) -> list[Finding]:
    """A low finding for each active actor not verified within vocab.STALE_AFTER_DAYS of today."""
    net = prepare(snapshot)
    out = []
    for i in net.ordered:
        d = _day(net.actors[i].verified_at)
        if _stale(d, today):
            when = f"was last verified on {_when(d)}, over 12 months ago" if d else "has never been verified"
            out.append(Finding("stale_record", "low", f"{net.name(i)} needs checking",
                               f"{net.name(i)}'s record {when}.", (i,), (),
                               f"Ask {net.name(i)}'s managers to check the record is still right."))
    return out


def stale_links(snapshot, today: date) -> list[Finding]:
    """A low finding for each counted link not reconfirmed within vocab.STALE_AFTER_DAYS of today."""
    net = prepare(snapshot)
    out = []
    for l in sorted(net.links, key=lambda l: (net.sort_key(l.source_id), net.sort_key(l.target_id), l.id)):
        d = _day(l.last_confirmed)
        if _stale(d, today):
            s, t = net.name(l.source_id), net.name(l.target_id)
            what = f"{s} {vocab.LINK_KINDS[l.kind].label.lower() if l.kind in vocab.LINK_KINDS else l.kind} {t}"
            when = f"was last confirmed on {_when(d)}, over 12 months ago" if d else "has never been reconfirmed"
            out.append(Finding("stale_link", "low", f"Link needs reconfirming: {what}",
                               f"The link '{what}' {when}.", (l.source_id, l.target_id), (),
                               f"Ask {s} and {t} to reconfirm the link, or end it."))
    return out


def find_all(snapshot, today: date) -> list[Finding]:
    """Every finding for a snapshot, sorted by severity (high first) then by kind."""
    net = prepare(snapshot)
    found = [f for fn in (missing_stages, thin_stages, broken_handoffs, dead_ends, isolated_actors,
                          outside_forums, fragile_ties, brokers, fragmentation, barrier_groups)
             for f in fn(net)]
    found += stale_records(net, today) + stale_links(net, today)
    return sorted(found, key=lambda f: (_SEVERITY_RANK.get(f.severity, 9), _KIND_RANK.get(f.kind, 99)))


# --- metrics and coverage ------------------------------------------------------------

def metrics(snapshot, betweenness_sample: int | None = None) -> dict:
    """Network metrics: counts, density, centralisation, components, per-actor degrees and betweenness."""
    net = prepare(snapshot)
    n = len(net.actors)
    pairs = set()
    for l in net.links:
        pairs.add((l.source_id, l.target_id))
        kind = vocab.LINK_KINDS.get(l.kind)
        if kind is not None and kind.both_ways:
            pairs.add((l.target_id, l.source_id))
    ins, outs = defaultdict(int), defaultdict(int)
    for s, t in pairs:
        outs[s] += 1
        ins[t] += 1
    degree = {i: len(net.adj[i]) for i in net.actors}
    top = max(degree.values(), default=0)
    centralisation = sum(top - d for d in degree.values()) / ((n - 1) * (n - 2)) if n >= 3 else 0.0
    graph = nx.Graph()
    graph.add_nodes_from(net.actors)
    graph.add_edges_from((i, j) for i in net.adj for j in net.adj[i] if i < j)
    sample = betweenness_sample
    if sample is None and n > BETWEENNESS_EXACT_LIMIT:
        sample = max(10, BETWEENNESS_BUDGET // n)
    estimated = sample is not None and sample < n
    between = (nx.betweenness_centrality(graph, k=sample, normalized=True, seed=0) if estimated
               else nx.betweenness_centrality(graph, normalized=True)) if n else {}
    comps = _components(net.adj, net.ordered, net.sort_key)
    return {
        "nodes": n, "links": len(net.links), "ties": graph.number_of_edges(),
        "density": len(pairs) / (n * (n - 1)) if n > 1 else 0.0,
        "degree_centralisation": centralisation,
        "components": len(comps), "component_sizes": [len(c) for c in comps],
        "isolated": sum(1 for d in degree.values() if d == 0),
        "betweenness_estimated": estimated,
        "actors": {i: {"name": net.name(i), "kind": net.actors[i].kind, "in_degree": ins[i],
                       "out_degree": outs[i], "degree": degree[i], "betweenness": between.get(i, 0.0)}
                   for i in net.ordered},
    }


def stage_coverage(snapshot) -> list[dict]:
    """Per pathway stage: number, label, count of active services and their ids (by name)."""
    net = prepare(snapshot)
    return [{"stage": k, "label": vocab.PATHWAY_STAGES.label(str(k)), "count": len(net.at_stage[k]),
             "service_ids": list(net.at_stage[k])} for k in STAGES]
