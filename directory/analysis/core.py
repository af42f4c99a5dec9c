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
         "Services at both ends of an expected handoff, but no confirmed pathway link from one stage to the other."),
    Term("client_group_gap", "Gap for a client group",
         "A client group with services elsewhere in the pathway but none at a stage where people need a place."),
    Term("restricted_stage", "Stage open to some people only",
         "Every service at a stage takes only certain client groups, so others have nowhere at that stage."),
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

METRIC_EXPLANATIONS = {  # the metrics are worked out within the area: links leaving it do not count
    "nodes": "How many active actors are in the network within this area.",
    "links": "How many confirmed links join active actors within this area.",
    "ties": "How many pairs of actors within this area are joined by at least one confirmed link.",
    "density": "The share of all possible one-way links within this area that exist (0 = none, 1 = everyone "
               "links to everyone).",
    "degree_centralisation": "How far the network within this area hangs on one hub (0 = links spread evenly, "
                             "1 = a single star).",
    "in_degree": "How many actors within this area have a confirmed link to this actor.",
    "out_degree": "How many actors within this area this actor has a confirmed link to.",
    "degree": "How many actors within this area this actor is linked with, in either direction.",
    "betweenness": "How often this actor sits on the shortest route between two others within this area "
                   "(a broker), 0 to 1.",
    "components": "How many separate groups the network within this area falls into (an actor with no links "
                  "here is a group of one).",
    "component_sizes": "The number of actors in each separate group within this area, largest first.",
    "isolated": "How many active actors have no confirmed links within this area.",
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
class Action:
    """One thing to do about a finding, and who to ask.

    `how` says what kind of action it is: "confirm" (a proposed link waiting for the other side would close
    the gap), "replace" (a link whose other end was archived), "link" (a new link between a named pair,
    chosen by fit), "invite" (to a forum) or "ask" (anything else). For a link, `link_kind`, `source_id`
    and `target_id` name it (and `link_id` the existing link, for confirm and replace); `reasons` say why
    this pair was chosen ("both take young people", "1.2 km apart", "both in X forum")."""

    text: str
    ask: tuple[int, ...] = ()
    how: str = "ask"
    link_kind: str = ""
    source_id: int | None = None
    target_id: int | None = None
    link_id: int | None = None
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """A plain dict for JSON."""
        return {"text": self.text, "ask": list(self.ask), "how": self.how, "link_kind": self.link_kind,
                "source_id": self.source_id, "target_id": self.target_id, "link_id": self.link_id,
                "reasons": list(self.reasons)}


@dataclass(frozen=True)
class Finding:
    """One thing the analysis noticed: what, how serious, who, where, and what to do next.

    `actions` are the next steps, best first (`next_step` is the first one's text, or a sentence when there
    is no named action); `evidence` the ids of barrier reports that bear on it; `merged` short notes of other
    findings about the same actor and cause folded into this one; `client_group` the group a finding is
    about (a client-group gap, or any pathway finding read for one group)."""

    kind: str
    severity: str
    title: str
    reason: str
    actor_ids: tuple[int, ...] = ()
    stages: tuple[int, ...] = ()
    next_step: str = ""
    actions: tuple[Action, ...] = ()
    evidence: tuple[int, ...] = ()
    merged: tuple[str, ...] = ()
    client_group: str = ""

    @property
    def label(self) -> str:
        """The label of this finding's kind."""
        return FINDING_KINDS.label(self.kind)

    @property
    def key(self) -> str:
        """A stable key made of its kind, client group, stages and actors: the same finding on another day
        has the same key."""
        if self.kind in _STAGES_KEY:
            actors = ()
        elif self.kind in _ONE_ACTOR_KEY:
            actors = self.actor_ids[:1]
        else:
            actors = sorted(self.actor_ids)
        return ":".join([self.kind, self.client_group, "-".join(map(str, self.stages)), "-".join(map(str, actors))])

    def to_dict(self) -> dict:
        """A plain dict (lists, not tuples) for JSON or CSV export."""
        return {"key": self.key, "kind": self.kind, "kind_label": self.label, "severity": self.severity,
                "title": self.title, "reason": self.reason, "actor_ids": list(self.actor_ids),
                "stages": list(self.stages), "next_step": self.next_step,
                "actions": [a.to_dict() for a in self.actions], "evidence": list(self.evidence),
                "merged": list(self.merged), "client_group": self.client_group}


# Kinds whose key is their stages (and client group) alone, whoever is involved.
_STAGES_KEY = frozenset({"missing_stage", "broken_handoff", "client_group_gap", "restricted_stage",
                         "fragmentation"})
# Kinds whose key is their first actor alone: the others they name change as the network changes.
_ONE_ACTOR_KEY = frozenset({"thin_stage", "dead_end", "isolated", "outside_forums", "fragile_tie", "broker",
                            "stale_record"})


class Network:
    """A snapshot read once: the active actors, the links that count, and indexes over them.

    `actors` are the area's own active actors; `outside` the active actors elsewhere at the far end of a
    confirmed or proposed link that leaves the area (the snapshot's `outside`). `links` are the confirmed
    links among the area's own actors (metrics, fragmentation); `out_links` the confirmed links between an
    area actor and an outside one; `proposed` the proposed links waiting for the other side, between active
    actors. Pathway indexes (path_out, path_in) and `whole_adj` (an actor's whole network) include the
    links that leave the area; `adj` is the area alone.

    With `client_group`, the pathway (`services`, `at_stage`) is read for one client group: a service counts
    when it lists that group or lists no client group at all (see `serves`). With `partners=False` the
    findings name no partners chosen by fit (the national ranking counts findings and shows no next steps).
    """

    def __init__(self, snapshot: Snapshot, client_group: str | None = None, *, partners: bool = True):
        self.snapshot = snapshot
        self.client_group = client_group or None
        self.partners = partners  # False: findings without the partners chosen by fit (candidates.gap_actions)
        far = snapshot.outside or frozenset()
        active = {i: a for i, a in (snapshot.actors or {}).items() if a is not None and a.status == "active"}
        self.actors = {i: a for i, a in active.items() if i not in far}
        self.outside = {i: a for i, a in active.items() if i in far}
        self.links, self.out_links, self.proposed = [], [], []
        self.adj: dict[int, set[int]] = {i: set() for i in self.actors}
        self.whole_adj: dict[int, set[int]] = {i: set() for i in active}
        self.path_out: dict[int, set[int]] = defaultdict(set)
        self.path_in: dict[int, set[int]] = defaultdict(set)
        for l in snapshot.links or ():
            s, t = l.source_id, l.target_id
            if s == t or s not in active or t not in active or (s in far and t in far):
                continue
            if l.status == "proposed":
                self.proposed.append(l)
                continue
            if l.status != "confirmed":
                continue
            if s in far or t in far:
                self.out_links.append(l)
            else:
                self.links.append(l)
                self.adj[s].add(t)
                self.adj[t].add(s)
            self.whole_adj[s].add(t)
            self.whole_adj[t].add(s)
            if l.kind in vocab.PATHWAY_LINK_KINDS:
                self.path_out[s].add(t)
                self.path_in[t].add(s)
        self.ordered = sorted(self.actors, key=self.sort_key)
        self.all_services = [i for i in self.ordered if self.actors[i].kind == "service"]
        self.services = [i for i in self.all_services if self.serves(i, self.client_group)]
        self.at_stage = {k: [i for i in self.services if k in (self.actors[i].stages or ())] for k in STAGES}

    def actor(self, i: int):
        """The active actor with this id, in the area or outside it (None when it is neither)."""
        return self.actors.get(i) or self.outside.get(i)

    def name(self, i: int) -> str:
        """An actor's name (or #id when it has none)."""
        a = self.actor(i)
        return (a.name if a and a.name else f"#{i}")

    def where(self, i: int) -> str:
        """For an actor outside the area, " (out of area: <its area>)"; "" for the area's own actors."""
        return f" ({self.out_of_area(i)})" if i in self.outside else ""

    def out_of_area(self, i: int) -> str:
        """For an actor outside the area, "out of area: <its areas>" ("out of area" when the snapshot does not
        name them); "" for the area's own actors."""
        if i not in self.outside:
            return ""
        names = self.area_names(i)
        return f"out of area: {', '.join(names)}" if names else "out of area"

    def area_names(self, i: int) -> list[str]:
        """The names of the areas an actor outside the area is based in or serves, as far as the snapshot knows."""
        a = self.outside.get(i)
        return sorted(n for n in map(self.snapshot.area_names.get, a.areas) if n) if a is not None else []

    def serves(self, i: int, group: str | None) -> bool:
        """True when the service takes people of the client group: it lists the group, or lists none
        (no restriction). Every service serves "no group" (None)."""
        a = self.actor(i)
        return a.takes(group) if a is not None else not group

    def sort_key(self, i: int) -> tuple:
        """Sort actors by name, then id."""
        return (self.name(i).casefold(), i)

    def by_name(self, ids) -> list[int]:
        """The given actor ids, sorted by name."""
        return sorted(set(ids), key=self.sort_key)


def prepare(snapshot: Snapshot | Network, client_group: str | None = None) -> Network:
    """Read a snapshot once so several analysis functions can share the work (for one client group, if given)."""
    if isinstance(snapshot, Network) and (client_group is None or snapshot.client_group == client_group):
        return snapshot
    return Network(snapshot.snapshot if isinstance(snapshot, Network) else snapshot, client_group)


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
    return _and(names)


def _and(words) -> str:
    """Words joined as a list in a sentence: "A", "A and B", "A, B and C"."""
    words = list(words)
    return " and ".join(words) if len(words) <= 2 else ", ".join(words[:-1]) + " and " + words[-1]


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


def _day(d) -> date | None:
    return d.date() if isinstance(d, datetime) else d


def _when(d: date) -> str:
    return f"{d.day} {d:%B} {d.year}"


def _stale(d, today) -> bool:
    d, today = _day(d), _day(today)
    return d is None or (today - d).days > vocab.STALE_AFTER_DAYS
