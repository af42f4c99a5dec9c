"""The shared parts of the analysis: vocabularies, Finding, Network and wording helpers."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from .. import vocab
from ..snapshot import Snapshot
from ..vocab import Term, Vocabulary

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
_PATHWAY_WORDS = " or ".join(k.label.lower() for k in vocab.LINK_KINDS if k.key in vocab.PATHWAY_LINK_KINDS)


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
