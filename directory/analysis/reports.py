"""Barrier reports grouped by stage and category, and stale records and links."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from .. import vocab
from .core import Finding, _day, _names, _plural, _stage, _stale, _when, prepare


def barrier_groups(snapshot) -> list[Finding]:
    """One finding per (stage, category) of reported barriers; severity by how many services report it; its
    evidence is the ids of its reports."""
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
            f"{_names(net, who)}.", tuple(who), (stage,) if stage is not None else (), step,
            evidence=tuple(b.id for b in reports)))
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
