"""Pathway findings: missing and thin stages, broken handoffs, dead ends."""
from __future__ import annotations

from .. import vocab
from .core import STAGES, _PATHWAY_WORDS, Finding, _names, _stage, _stage_topic, prepare


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
