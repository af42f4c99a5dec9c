"""What to raise: at most five findings, ranked by a documented score.

A finding's score is the sum of four parts:

- severity: high 6, medium 3, low 1;
- services: 0.5 for each of the area's services among its actors, counting at most 5 (so at most 2.5);
  without a network to tell services apart, each actor counts;
- barriers: 2 for each barrier report in its evidence, counting at most 3 (so at most 6); a barrier group's
  own reports are what it is, not corroboration, and do not count;
- action: 2 when one step would close it (an action that confirms a waiting link or replaces a link to a
  record no longer active), else 1 when a named new link or a forum invitation is suggested.

Stale records and stale links are never shortlisted, and at most two items are of one kind, so five
near-identical items never crowd out the rest. Items are chosen one at a time, and a barrier report counts
only for the first item chosen that it bears on, so two reports about move-on do not lift the missing stage
and every dead end alike. Order: score (highest first), then severity, then the
findings' own order. SCORE_RULE says the same in words for the page.
"""
from __future__ import annotations

from dataclasses import dataclass

from .candidates import route_words
from .core import _SEVERITY_RANK, SEVERITIES, Finding, Network, _plural

SEVERITY_POINTS = {"high": 6.0, "medium": 3.0, "low": 1.0}
SERVICE_POINTS, MOST_SERVICES = 0.5, 5
BARRIER_POINTS, MOST_BARRIERS = 2.0, 3
ONE_STEP, NAMED_STEP = 2.0, 1.0
ONE_STEP_HOWS = frozenset({"confirm", "replace"})
NAMED_HOWS = frozenset({"link", "invite"})
NEVER = frozenset({"stale_record", "stale_link"})
MOST_OF_A_KIND = 2

SCORE_RULE = (
    "Each finding scores points for how serious it is (high 6, medium 3, low 1), half a point for each of "
    "the area's services it involves (up to 5 services), 2 for each barrier report that bears on it (up to 3 "
    "reports), and 2 more when one step would close it (confirming a waiting link or replacing a link to a "
    "record no longer active) or 1 when a new link or a forum to join is named. Stale records and links are "
    "not raised here, and no more than two items are of one kind. A barrier report counts once, for the first "
    "item chosen that it bears on. The highest score comes first; on a tie, "
    "the more serious finding.")


@dataclass(frozen=True)
class ShortlistItem:
    """One thing to raise: the finding, its score, the score's parts by name and one sentence saying why."""

    finding: Finding
    score: float
    parts: dict[str, float]
    why: str


def shortlist(findings, limit: int = 5, net: Network | None = None) -> list[ShortlistItem]:
    """The findings most worth raising, best first: at most `limit`, never stale ones, at most two of one kind
    (see the module docstring for the score). Chosen one at a time: a barrier report counts for the first
    item chosen that it bears on and not again, so one report does not lift several items. With `net`, only
    the area's services count as services and the reasons count reporting services rather than reports."""
    left = [(n, f) for n, f in enumerate(findings) if f.kind not in NEVER]
    out, per_kind, used = [], {}, set()
    while left and len(out) < limit:
        best = None
        for n, f in left:
            if per_kind.get(f.kind, 0) >= MOST_OF_A_KIND:
                continue
            parts = score_parts(f, net, used)
            key = (-sum(parts.values()), _SEVERITY_RANK.get(f.severity, 9), n)
            if best is None or key < best[0]:
                best = (key, n, f, parts)
        if best is None:
            break
        key, n, f, parts = best
        left = [(m, g) for m, g in left if m != n]
        per_kind[f.kind] = per_kind.get(f.kind, 0) + 1
        out.append(ShortlistItem(f, -key[0], parts, why(f, parts, net, used)))
        used |= set(f.evidence)
    return out


def score_parts(f: Finding, net: Network | None = None, used: frozenset | set = frozenset()) -> dict[str, float]:
    """A finding's score by part: severity, services, barriers and action (see the module docstring); the
    reports in `used` (already counted for an item chosen before) do not count again."""
    if net is None:
        services = len(set(f.actor_ids))
    else:
        services = sum(1 for i in set(f.actor_ids) if i in net.actors and net.actors[i].kind == "service")
    reports = 0 if f.kind == "barriers" else len(set(f.evidence) - set(used))
    hows = {a.how for a in f.actions}
    action = ONE_STEP if hows & ONE_STEP_HOWS else NAMED_STEP if hows & NAMED_HOWS else 0.0
    return {"severity": SEVERITY_POINTS.get(f.severity, 0.0),
            "services": SERVICE_POINTS * min(services, MOST_SERVICES),
            "barriers": BARRIER_POINTS * min(reports, MOST_BARRIERS),
            "action": action}


def why(f: Finding, parts: dict[str, float], net: Network | None = None, used: frozenset | set = frozenset()) -> str:
    """One sentence from the score's parts: "High severity; 2 services report barriers here; a waiting
    referral route would close it."."""
    said = [f"{SEVERITIES.label(f.severity)} severity"]
    if parts["barriers"]:
        said.append(_barrier_words(f, net, set(f.evidence) - set(used)))
    services = round(parts["services"] / SERVICE_POINTS)
    if services >= 2:
        said.append(f"{f'{MOST_SERVICES} or more' if services >= MOST_SERVICES else services} services involved")
    step = _step_words(f)
    if step:
        said.append(step)
    return "; ".join(said) + "."


def _barrier_words(f: Finding, net: Network | None, counted: set) -> str:
    """"2 services report barriers here" (with a network), or "2 barrier reports bear on it": the reports
    that counted towards its score."""
    if net is not None:
        reporters = {b.actor_id for b in net.snapshot.barriers or () if b.id in counted}
        if len(reporters) == 1:
            return "1 service reports a barrier here"
        if reporters:
            return f"{len(reporters)} services report barriers here"
    n = len(counted)
    return f"{_plural(n, 'barrier report')} bear{'s' if n == 1 else ''} on it"


def _step_words(f: Finding) -> str:
    """What the best ready action would do, in a few words ("" when there is none)."""
    for how, words in (("confirm", "a waiting {route} would close it"),
                       ("replace", "replacing a lost {route} would close it"),
                       ("link", "a new {route} with a named partner could close it"),
                       ("invite", "a forum to invite it to is named")):
        action = next((a for a in f.actions if a.how == how), None)
        if action is not None:
            return words.format(route=route_words(action.link_kind))
    return ""
