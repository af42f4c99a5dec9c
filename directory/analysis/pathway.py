"""Pathway findings: missing and thin stages, broken handoffs along the expected routes, dead ends, and
stages that some client groups cannot use."""
from __future__ import annotations

from .. import vocab
from .candidates import first_step, gap_actions, group_words, link_words
from .core import STAGES, _PATHWAY_WORDS, Action, Finding, _and, _names, _plural, _stage, _stage_topic, prepare

_ACC = sorted(vocab.ACCOMMODATION_STAGES)
OPEN_GROUP = "single_adults"


def _group(net) -> str:
    return net.client_group or ""


def _for_group(net) -> str:
    """" for young people (16-25)" when the pathway is read for a client group, else ""."""
    return f" for {group_words(net.client_group)}" if net.client_group else ""


def _handoff_text(net, link) -> str:
    """One confirmed handoff in words, saying when its far end is out of area."""
    t = link.target_id
    return f"{net.name(link.source_id)} {link_words(link.kind)} {net.name(t)}{net.where(t)}"


def _away(net, stage: int, sources=None) -> list:
    """Confirmed pathway links from the area's services (or the given ones) to services outside the area
    at a stage (and, read for a client group, serving it)."""
    links = [l for l in net.out_links if l.kind in vocab.PATHWAY_LINK_KINDS and l.source_id in net.actors
             and (sources is None or l.source_id in sources) and l.target_id in net.outside
             and stage in (net.outside[l.target_id].stages or ()) and net.serves(l.target_id, net.client_group)]
    return sorted(links, key=lambda l: (net.sort_key(l.source_id), net.sort_key(l.target_id), l.id))


def missing_stages(snapshot) -> list[Finding]:
    """A high finding for each pathway stage with no active service in the area; the reason says when the
    area's services refer people out of area for that stage."""
    net = prepare(snapshot)
    out = []
    for k in STAGES:
        if net.at_stage[k]:
            continue
        reason = f"No active service in this network works at {_stage(k)}."
        step = f"No service at stage {k} — who could take on {_stage_topic(k)}?"
        away = _away(net, k)
        if away:
            reason += (" The area hands people on out of area for it: "
                       + "; ".join(_handoff_text(net, l) for l in away[:3])
                       + (f" and {_plural(len(away) - 3, 'more link')}" if len(away) > 3 else "") + ".")
            step = (f"People go out of area for stage {k}: is that route enough, or who could take on "
                    f"{_stage_topic(k)} locally?")
        actions = _stage_actions(net, k)
        out.append(Finding("missing_stage", "high", f"No service at {_stage(k)}{_for_group(net)}", reason, (), (k,),
                           actions[0].text if actions and not away else step, actions, client_group=_group(net)))
    return out


def _stage_actions(net, k: int) -> tuple[Action, ...]:
    """Who to ask about an empty stage k: the services at the next stage (or the one before) that could stretch
    to it, settled-housing services first from stage 4 on, and the services whose people would be handed on to
    it (the first stages of the expected routes into k), who know where people go now."""
    near = [i for j in (k + 1, k - 1) for i in net.at_stage.get(j, []) if k not in (net.actors[i].stages or ())]
    if k >= 4:
        near = [i for i in near if set(net.actors[i].service_types or ()) & vocab.HOUSING_SERVICE_TYPES]
    settled = vocab.HOUSING_SERVICE_TYPES - vocab.ACCOMMODATION_SERVICE_TYPES
    could = sorted(dict.fromkeys(near), key=lambda i: (not set(net.actors[i].service_types or ()) & settled,
                                                       net.sort_key(i)))[:3]
    feeders = net.by_name(i for r in vocab.EXPECTED_ROUTES if r.to_stage == k and not r.to_service_types
                          for i in net.at_stage.get(r.from_stage, []) if i not in could)[:3]
    if not could and not feeders:
        return ()
    parts = []
    if could:
        parts.append(f"Ask {_names(net, could)} whether they could take on {_stage_topic(k)} (stage {k})")
    if feeders:
        parts.append(f"ask {_names(net, feeders)} where people go from them now" if could else
                     f"Ask {_names(net, feeders)} where people go from them now, and who could take on "
                     f"{_stage_topic(k)} (stage {k})")
    return (Action(", and ".join(parts) + ".", tuple(could) + tuple(feeders), "ask"),)


def thin_stages(snapshot) -> list[Finding]:
    """A medium finding for each stage with exactly one active service."""
    net = prepare(snapshot)
    out = []
    for k in STAGES:
        if len(net.at_stage[k]) == 1:
            i = net.at_stage[k][0]
            out.append(Finding(
                "thin_stage", "medium", f"Only one service at {_stage(k)}{_for_group(net)}",
                f"{net.name(i)} is the only active service at {_stage(k)}; if it closed or filled up, "
                "the stage would be empty.", (i,), (k,),
                f"Who else could work at stage {k}? Ask {net.name(i)} who could share {_stage_topic(k)}.",
                client_group=_group(net)))
    return out


# --- the expected handoffs ------------------------------------------------------------

def _at_far_end(net, route, actor) -> bool:
    """True when an actor (active or not, in the area or out of it) stands at a route's far end: a service at
    its stage, of its service types when it names some, serving the client group being read."""
    if actor is None or actor.kind != "service" or route.to_stage not in (actor.stages or ()):
        return False
    if route.to_service_types and not route.to_service_types & set(actor.service_types or ()):
        return False
    return actor.takes(net.client_group)


def _far_name(route) -> str:
    return f"{route.name} (stage {route.to_stage})" if route.name else _stage(route.to_stage)


def handoff_routes(snapshot) -> list[dict]:
    """Every expected route (vocab.EXPECTED_ROUTES) as the area stands, in the vocabulary's order.

    Each row: "route" (the ExpectedRoute), "sources" (area services at its first stage), "targets" (area
    services at its far end), "links" ((source, target) confirmed pathway links along it, by name),
    "out_of_area" (those that leave the area, in words naming where), "applies" (services at both ends, or
    a confirmed link out of area to the far end) and "present" (at least one such link; a link out of area
    counts)."""
    net = prepare(snapshot)
    rows = []
    for route in vocab.EXPECTED_ROUTES:
        here = net.at_stage[route.from_stage]
        there = [i for i in net.at_stage[route.to_stage] if _at_far_end(net, route, net.actor(i))]
        links = [(s, t) for s in here for t in net.by_name(net.path_out[s])
                 if t != s and _at_far_end(net, route, net.actor(t))]
        away = [l for l in _away(net, route.to_stage, set(here)) if _at_far_end(net, route, net.actor(l.target_id))]
        rows.append({"route": route, "sources": here, "targets": there, "links": links,
                     "out_of_area": [_handoff_text(net, l) for l in away],
                     "applies": bool(here) and bool(there or away), "present": bool(links)})
    return rows


def broken_handoffs(snapshot) -> list[Finding]:
    """A finding (of the route's severity) for each expected route that applies but has no confirmed
    pathway link from a service at its first stage to a different service at its far end."""
    net = prepare(snapshot)
    out = []
    for row in handoff_routes(net):
        route, here, there = row["route"], row["sources"], row["targets"]
        if not row["applies"] or row["present"]:
            continue
        far = _far_name(route)
        at_far = f"{'run' if len(there) > 1 else 'runs'} {route.name}" if route.name else f"at {far}"
        actions = gap_actions(net, here, there, lambda a, r=route: _at_far_end(net, r, a),
                              onward=route.from_stage in vocab.ACCOMMODATION_STAGES)
        if set(here) == set(there) and len(here) == 1:
            fallback = f"{net.name(here[0])} is the only service at both ends: who could take people on from it?"
        else:
            fallback = (f"Agree a referral route from a stage {route.from_stage} service to a service at {far} "
                        "and record it as a link.")
        out.append(Finding(
            "broken_handoff", route.severity, f"No handoff from {_stage(route.from_stage)} to {far}{_for_group(net)}",
            f"{_names(net, here)} work{'s' if len(here) == 1 else ''} at {_stage(route.from_stage)} and "
            f"{_names(net, there)} {at_far}, but no confirmed pathway link ({_PATHWAY_WORDS}) runs from a "
            f"service at the first stage to a different service at the second. Why it matters: {route.why}",
            tuple(dict.fromkeys(here + there)), (route.from_stage, route.to_stage),
            first_step(actions, fallback), actions, client_group=_group(net)))
    return out


def dead_ends(snapshot) -> list[Finding]:
    """A medium finding for each accommodation-stage service that receives people but passes nobody on.

    Its actions name partners at the stages the expected routes lead to from its accommodation stages (at any
    later stage when those are empty)."""
    net = prepare(snapshot)
    out = []
    for i in net.services:
        acc = sorted(set(net.actors[i].stages or ()) & vocab.ACCOMMODATION_STAGES)
        if not acc or not net.path_in[i] or net.path_out[i]:
            continue
        onward = {r.to_stage for r in vocab.EXPECTED_ROUTES if r.from_stage in acc and r.to_stage > max(acc)}
        later = [j for j in net.services if j != i and onward & set(net.actors[j].stages or ())]
        if not later:  # those stages are empty: any later stage will do
            later = [j for j in net.services if j != i and any(k > max(acc) for k in net.actors[j].stages or ())]
        actions = gap_actions(net, [i], later, lambda a: a is not None and a.kind == "service", onward=True)
        fallback = (f"No other service sits after {_stage(max(acc))}: who could take move-on from {net.name(i)}?"
                    if not later else f"Could {net.name(i)} move people on to {_names(net, later[:3])}? "
                    "Record its move-on routes.")
        senders = net.by_name(net.path_in[i])
        out.append(Finding(
            "dead_end", "medium", f"Dead end at {net.name(i)}",
            f"{net.name(i)}, at {' and '.join(_stage(k) for k in acc)}, receives people from "
            f"{_names(net, senders)} but has no confirmed pathway link onward, so nobody has a recorded "
            "route out.", (i, *senders), tuple(acc), first_step(actions, fallback), actions,
            client_group=_group(net)))
    return out


# --- client groups ----------------------------------------------------------------------

def _groups_text(keys) -> str:
    """Client groups in words, in the vocabulary's order: "women and survivors of domestic abuse"."""
    words = [group_words(g) for g in vocab.CLIENT_GROUPS.keys() if g in set(keys)]
    words += sorted(group_words(g) for g in set(keys) if g not in vocab.CLIENT_GROUPS)
    return _and(words)


def _take_only(net, ids, limit: int = 3) -> str:
    """ "Oak House takes only women; Willow Court takes only families with children" (and how many more)."""
    parts = [f"{net.name(i)} takes only {_groups_text(net.actors[i].client_groups)}" for i in ids[:limit]]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return "; ".join(parts) + more


def _stage_list(stages) -> str:
    stages = sorted(stages)
    if not stages:
        return "no recorded stage"
    return ("stage " if len(stages) == 1 else "stages ") + _and(map(str, stages))


def listed_groups(net) -> list[str]:
    """The client groups that at least one of the area's active services lists, in the vocabulary's order."""
    listed = {g for i in net.all_services for g in (net.actors[i].client_groups or ())}
    return [g for g in vocab.CLIENT_GROUPS.keys() if g in listed]


def client_group_gaps(snapshot) -> list[Finding]:
    """One medium finding per client group with services in the pathway but none at an accommodation stage
    (4, 5) where the area has services for others. Skipped when the network is read for one client group."""
    net = prepare(snapshot)
    if net.client_group:
        return []
    out = []
    at = {k: net.at_stage[k] for k in _ACC}  # every service there: the network is read for everyone
    for g in listed_groups(net):
        serving = [i for i in net.all_services if net.serves(i, g)]
        gaps = [k for k in _ACC if at[k] and not any(net.serves(i, g) for i in at[k])]
        elsewhere = any(set(net.actors[i].stages or ()) - set(gaps) for i in serving)
        if not gaps or not elsewhere:
            continue
        who, naming = group_words(g), [i for i in net.all_services if g in (net.actors[i].client_groups or ())]
        parts = [f"0 of {_plural(len(at[k]), 'service')} at {_stage(k)} take {who}: {_take_only(net, at[k])}."
                 for k in gaps]
        where = {k for i in naming for k in (net.actors[i].stages or ())}
        parts.append(f"The {_plural(len(naming), 'service')} that name{'s' if len(naming) == 1 else ''} {who} "
                     f"work{'s' if len(naming) == 1 else ''} at {_stage_list(where)}.")
        topic = " or ".join(_stage_topic(k) for k in gaps)
        hosts = list(dict.fromkeys(i for k in gaps for i in at[k]))
        step = (f"Ask {_names(net, hosts, limit=3)} whether they could take {who}, and ask "
                f"{_names(net, naming, limit=3)} where {who} go for {topic} now.")
        out.append(Finding("client_group_gap", "medium", f"No {topic} ({_stage_list(gaps)}) for {who}",
                           " ".join(parts), tuple(naming), tuple(gaps), step, (Action(step, tuple(hosts)),),
                           client_group=g))
    return out


def restricted_stages(snapshot) -> list[Finding]:
    """A medium finding for each stage whose every active service lists the client groups it takes, so
    anyone outside those groups has nowhere at that stage. Skipped when read for one client group.

    A stage where some service takes single adults (OPEN_GROUP, the sector's catch-all for adults without
    dependent children) is open to most people and is not flagged: the gaps for particular groups at the
    accommodation stages are client_group_gaps' to say."""
    net = prepare(snapshot)
    if net.client_group:
        return []
    out = []
    for k in STAGES:
        here = net.at_stage[k]  # every service there: the network is read for everyone
        if not here or not all(net.actors[i].client_groups for i in here):
            continue
        groups = {g for i in here for g in net.actors[i].client_groups}
        if OPEN_GROUP in groups:
            continue
        title = _stage(k)
        who = _groups_text(groups) if len(groups) <= 3 else f"{len(groups)} client groups"
        out.append(Finding(
            "restricted_stage", "medium", f"{title[:1].upper()}{title[1:]} is open to {who} only",
            f"Every active service at {_stage(k)} takes only certain people: {_take_only(net, here, 5)}. "
            "Anyone outside these groups has nowhere to go at this stage.", tuple(here), (k,),
            f"Ask {_names(net, here, limit=3)} whether they could take others, or who could offer "
            f"{_stage_topic(k)} to everyone.", client_group=""))
    return out
