"""Findings joined up: findings about one actor and cause merged, and barrier reports put inside the gaps
they bear on.

`merge` folds two pairs of findings into one:
- an isolated service that is also outside the forums: the isolated finding stays, with a merged note and
  the outside-the-forums finding's invitation to a forum among its actions;
- a fragile tie whose only partner is a broker: the broker finding stays, with a note naming who hangs on it
  ("X's only link is to Y."); losing the broker would leave the fragile service with no link at all.

`corroborate` puts each barrier report of an active service of the area inside the gap findings it bears
on (BEARS_ON says which categories bear on which kinds): its id joins the finding's evidence and the
finding's reason quotes it. A report bears on a finding when its category fits the kind and its stage is
one of the finding's stages (for a broken handoff, the end its category is about: HANDOFF_END), or it names
no stage and the reporting service is one of the finding's actors, or (for a missing or thin stage) it says
people cannot be handed on from a stage whose expected route leads to this one ("no move-on" at stage 5 bears
on an empty stage 6), or the finding is about the reporting service itself (a dead end, whose service may report where
it cannot move people on to); for a finding about one client group the reporter must also serve that
group. A report at another stage by one of the many services a handoff names does not bear on it. A
"barriers" group finding all of whose reports went into gap findings is then dropped, its reason kept as a
merged note on the first finding that took one of them, so no report is listed twice.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from .. import vocab
from .core import Finding, Network, _names, _plural, _stage

OUTSIDE_FORUMS_NOTE = "Also outside the forums: not a member of any forum of its area."

# The gap findings a barrier report can bear on.
GAP_KINDS = frozenset({"missing_stage", "thin_stage", "broken_handoff", "client_group_gap", "restricted_stage",
                       "dead_end"})
_STAGE_GAPS = frozenset({"missing_stage", "thin_stage", "client_group_gap", "restricted_stage"})
_EXCLUSION = frozenset({"restricted_stage", "client_group_gap", "broken_handoff", "thin_stage"})
# Barrier category -> the kinds of gap finding it bears on. Reports of people turned away, refused or
# stuck bear on stages and handoffs; money and staff bear on a stage's capacity only (never on a handoff);
# data sharing and "other" bear on no gap (they stay in their own barrier group).
BEARS_ON: dict[str, frozenset[str]] = {
    "capacity_full": frozenset({"missing_stage", "thin_stage", "client_group_gap", "broken_handoff", "dead_end"}),
    "needs_too_complex": _STAGE_GAPS | {"broken_handoff"},
    "risk_exclusion": _EXCLUSION,
    "eligibility_legal": _STAGE_GAPS,  # who may be helped, not whether a route exists
    "referrals_rejected": GAP_KINDS - {"thin_stage"},  # refused referrals say a route fails, not a stage
    "no_move_on": frozenset({"missing_stage", "thin_stage", "broken_handoff", "dead_end"}),
    "transition_cliff_edge": frozenset({"missing_stage", "thin_stage", "client_group_gap"}),
    "revolving_door": frozenset({"broken_handoff", "dead_end"}),
    "inflexible_rules": frozenset({"restricted_stage", "client_group_gap", "broken_handoff"}),
    "dual_diagnosis_exclusion": _EXCLUSION,
    "funding": frozenset({"missing_stage", "thin_stage"}),
    "workforce": frozenset({"missing_stage", "thin_stage"}),
    "data_sharing": frozenset(),
    "other": frozenset(),
}
# Which end of a broken handoff a report at a stage bears on: being refused or turned away is reported at the
# receiving stage ("to"); being unable to move people on, at the stage they cannot leave ("from"); returned
# referrals at either. A report at the other end of the handoff is about another route.
HANDOFF_END: dict[str, str] = {
    "capacity_full": "to", "needs_too_complex": "to", "risk_exclusion": "to", "dual_diagnosis_exclusion": "to",
    "inflexible_rules": "to", "no_move_on": "from", "revolving_door": "from", "referrals_rejected": "either",
}
# Stage -> the stages that expected routes hand people on from to it (5 and 4 for move-on, stage 6).
_FEEDING: dict[int, tuple[int, ...]] = {}
for _r in vocab.EXPECTED_ROUTES:
    if not _r.to_service_types:
        _FEEDING[_r.to_stage] = _FEEDING.get(_r.to_stage, ()) + (_r.from_stage,)
# Kinds about one service (their first actor): that service's own reports bear on them whatever their stage.
_SUBJECT_KINDS = frozenset({"dead_end"})
QUOTES = 3  # at most this many reports quoted in a finding's reason; the rest are counted
QUOTE_LENGTH = 120  # characters of a report's description quoted before it is cut short


# --- merging ------------------------------------------------------------------------------

def merge(findings, net: Network) -> list[Finding]:
    """The findings with those about the same actor and cause made one (see the module docstring); the
    order of the rest is kept."""
    return _fragile_into_brokers(_outside_forums_into_isolated(list(findings), net), net)


def _outside_forums_into_isolated(findings: list[Finding], net: Network) -> list[Finding]:
    """An isolated service's outside-the-forums finding dropped, its note and invitation kept on the isolated
    finding (whose next step becomes the invitation when it had no action before)."""
    isolated = {f.actor_ids[0] for f in findings if f.kind == "isolated" and f.actor_ids}
    outside = {f.actor_ids[0]: f for f in findings
               if f.kind == "outside_forums" and f.actor_ids and f.actor_ids[0] in isolated}
    out = []
    for f in findings:
        if f.kind == "outside_forums" and outside.get(f.actor_ids[0] if f.actor_ids else None) is f:
            continue
        if f.kind == "isolated" and f.actor_ids and f.actor_ids[0] in outside:
            invites = tuple(a for a in outside[f.actor_ids[0]].actions if a.how == "invite")
            step = f.next_step
            if invites and not f.actions:
                step = f"{invites[0].text} Then ask {net.name(f.actor_ids[0])} to record who it works with."
            f = replace(f, merged=f.merged + (OUTSIDE_FORUMS_NOTE,), actions=f.actions + invites, next_step=step)
        out.append(f)
    return out


def _fragile_into_brokers(findings: list[Finding], net: Network) -> list[Finding]:
    """Fragile-tie findings whose only partner is a broker dropped, and named in a note on its finding."""
    brokers = {f.actor_ids[0] for f in findings if f.kind == "broker" and f.actor_ids}
    hanging: dict[int, list[int]] = defaultdict(list)
    kept = []
    for f in findings:
        if f.kind == "fragile_tie" and len(f.actor_ids) == 2 and f.actor_ids[1] in brokers:
            hanging[f.actor_ids[1]].append(f.actor_ids[0])
        else:
            kept.append(f)
    out = []
    for f in kept:
        if f.kind == "broker" and f.actor_ids and f.actor_ids[0] in hanging:
            who, broker = net.by_name(hanging.pop(f.actor_ids[0])), net.name(f.actor_ids[0])
            note = (f"{net.name(who[0])}'s only link is to {broker}." if len(who) == 1 else
                    f"{_names(net, who)} each have their only link to {broker}.")
            f = replace(f, merged=f.merged + (note,))
        out.append(f)
    return out


# --- barrier reports as evidence -----------------------------------------------------------------

def corroborate(findings, net: Network) -> list[Finding]:
    """The findings with each barrier report inside the gap findings it bears on (evidence and a quote in
    the reason), and the barrier groups wholly taken into gaps dropped (see the module docstring)."""
    by_stage, by_actor = _report_index(net)
    out, taker = [], {}  # taker: report id -> position in out of the first finding that took it
    for f in findings:
        if f.kind in GAP_KINDS:
            found = _bearing(f, net, by_stage, by_actor)
            if found:
                ids = tuple(b.id for b in found)
                f = replace(f, evidence=tuple(dict.fromkeys(f.evidence + ids)),
                            reason=f"{f.reason} {_quotes(found, net)}")
                for i in ids:
                    taker.setdefault(i, len(out))
        out.append(f)
    notes: dict[int, list[str]] = defaultdict(list)
    dropped = set()
    for n, f in enumerate(out):
        if f.kind == "barriers" and f.evidence and all(i in taker for i in f.evidence):
            dropped.add(n)
            notes[min(taker[i] for i in f.evidence)].append(f.reason)
    return [replace(f, merged=f.merged + tuple(notes[n])) if n in notes else f
            for n, f in enumerate(out) if n not in dropped]


def _report_index(net: Network):
    """The reports of the area's active services that can bear on a gap: by stage, and by reporting
    service."""
    by_stage, by_actor = defaultdict(list), defaultdict(list)
    for b in net.snapshot.barriers or ():
        a = net.actors.get(b.actor_id)
        if a is None or a.kind != "service" or not BEARS_ON.get(b.category):
            continue
        by_actor[b.actor_id].append(b)
        if b.stage is not None:
            by_stage[b.stage].append(b)
    return by_stage, by_actor


def _bearing(f: Finding, net: Network, by_stage, by_actor) -> list:
    """The reports that bear on a gap finding, in the order they were reported (by id), each once."""
    found = {b.id: b for k in f.stages for b in by_stage.get(k, ())}
    if f.kind in ("missing_stage", "thin_stage"):  # people stuck at a stage that should hand on to this one
        found.update((b.id, b) for k in f.stages for j in _FEEDING.get(k, ()) for b in by_stage.get(j, ())
                     if HANDOFF_END.get(b.category) == "from")
    subject = f.actor_ids[0] if f.kind in _SUBJECT_KINDS and f.actor_ids else None
    found.update((b.id, b) for i in f.actor_ids for b in by_actor.get(i, ()) if b.stage is None or i == subject)
    return [found[i] for i in sorted(found) if f.kind in BEARS_ON[found[i].category]
            and (not f.client_group or net.serves(found[i].actor_id, f.client_group))
            and (f.kind != "broken_handoff" or _right_end(f, found[i]))]


def _right_end(f: Finding, b) -> bool:
    """For a broken handoff (stages from, to): whether a report bears on the end it was made at (HANDOFF_END);
    a report at no particular stage, by one of the handoff's services, bears whatever its category's end."""
    if b.stage is None or len(f.stages) != 2:
        return True
    end = HANDOFF_END.get(b.category, "either")
    return end == "either" or b.stage == f.stages[0 if end == "from" else 1]


def _quotes(reports, net: Network) -> str:
    """A short sentence quoting each report (the first QUOTES of them), then how many more there are."""
    said = []
    for b in reports[:QUOTES]:
        text = " ".join((b.description or "").split())
        if len(text) > QUOTE_LENGTH:
            text = text[:QUOTE_LENGTH].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        if text:
            said.append(f"{net.name(b.actor_id)} reports: '{text}'" + ("" if text[-1] in ".!?…" else "."))
        else:
            where = _stage(b.stage) if b.stage is not None else "no particular stage"
            said.append(f"{net.name(b.actor_id)} reports '{vocab.BARRIER_CATEGORIES.label(b.category)}' at "
                        f"{where}.")
    extra = len(reports) - len(said)
    if extra:
        said.append(f"{_plural(extra, 'other report')} bear{'s' if extra == 1 else ''} on this too.")
    return " ".join(said)
