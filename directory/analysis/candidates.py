"""Next steps that name the right partner: who could close a gap in the pathway, best first.

For a gap between some services (the `sources`, who would hand people on) and others (the far end), the
actions come in this order:

1. a proposed pathway link waiting for the other side that would close the gap ("confirm"; ask its target,
   the side that did not propose it);
2. a confirmed pathway link whose far end was archived or is pending ("replace"; ask the source, which has
   lost its partner);
3. up to three new pairs chosen by fit ("link"; ask both).

A new pair must be one a link kind allows (`link_kind_for`): people are moved on ("moves_on_to") only from an
accommodation service type to a housing one, and never to a lived-experience peer organisation, which
supports people but does not house them; otherwise the pair gets "refers_to". The two services must be able
to take the same people: both list a common client group, or either lists none. Among such pairs, `fit`
scores (higher first):

- 2 when they share a client group they both list ("both take young people (16-25)");
- 1 for each forum both belong to (confirmed member or chair), at most 2 ("both in X");
- 2 when they are within 2 km, 1 within 10 km ("1.2 km apart"; only when both points are known and
  neither is confidential, whose point is only its area's centre);
- 4 for moving people on from accommodation to a housing service ("a housing service"): a dead end needs a
  move-on route more than any referral, so such a pair comes before a referral to a service nearby.

Ties go to the nearer pair (unknown distance last), then by the two names. Forums open to new members
and capacity play no part yet.
"""
from __future__ import annotations

from math import asin, cos, radians, sin, sqrt
from weakref import WeakKeyDictionary

from .. import vocab
from .core import Action, Network

MAX_NEW_PAIRS = 3
MOVE_ON_BONUS = 4  # see the module docstring
PEER_TYPE = "lived_experience_org"
_MEMBERSHIP = vocab.MEMBERSHIP_LINK_KINDS
_ROUTE_WORDS = {"moves_on_to": "move-on route", "duty_to_refer": "duty-to-refer route"}
_LINK_WORDS = {"refers_to": "refers people to", "moves_on_to": "moves people on to",
               "duty_to_refer": "has a duty to refer to"}
_STATUS_WORDS = {"archived": "ended when {name}'s record was archived",
                 "pending": "is on hold while {name}'s record waits for approval",
                 "rejected": "ended when {name}'s record was rejected"}


def group_words(key: str) -> str:
    """A client group as it reads inside a sentence: "young people (16-25)", "LGBTQ+ people"."""
    label = vocab.CLIENT_GROUPS.label(key)
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def link_words(kind: str) -> str:
    """A pathway link kind as a verb phrase: "refers people to"."""
    return _LINK_WORDS.get(kind) or vocab.LINK_KINDS.label(kind).lower()


def route_words(kind: str) -> str:
    """A pathway link kind as the route agreed between two services: "referral route", "move-on route"."""
    return _ROUTE_WORDS.get(kind, "referral route")


def distance_km(a, b) -> float | None:
    """Great-circle distance in km between two actors (haversine), or None when either point is unknown or
    confidential."""
    if a is None or b is None or a.confidential or b.confidential:
        return None
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(radians, (a.lat, a.lon, b.lat, b.lon))
    h = sin((la2 - la1) / 2) ** 2 + cos(la1) * cos(la2) * sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * asin(min(1.0, sqrt(h)))


def kind_fits(kind: str, source, target) -> bool:
    """True when a link of this kind may join these two actors: the kind allows their actor kinds and
    service types, and a peer organisation is never offered for moving people on."""
    k = vocab.LINK_KINDS.get(kind)
    if k is None or source is None or target is None or not k.allows(source.kind, target.kind):
        return False
    s_types, t_types = set(source.service_types or ()), set(target.service_types or ())
    if k.source_service_types and not s_types & k.source_service_types:
        return False
    if k.target_service_types and not t_types & k.target_service_types:
        return False
    return not (kind == "moves_on_to" and PEER_TYPE in t_types)


def link_kind_for(source, target, onward: bool) -> str | None:
    """The kind of link to propose between two services: "moves_on_to" for an onward move from
    accommodation when the types allow it, else "refers_to" (None when neither fits)."""
    for kind in (("moves_on_to", "refers_to") if onward else ("refers_to",)):
        if kind_fits(kind, source, target):
            return kind
    return None


_FORUMS: WeakKeyDictionary = WeakKeyDictionary()  # worked out once per Network: every gap asks


def forum_memberships(net: Network) -> dict[int, set[int]]:
    """Actor id -> the active forums it is a confirmed member or chair of."""
    if net in _FORUMS:
        return _FORUMS[net]
    out: dict[int, set[int]] = {}
    for l in net.links + net.out_links:
        f = net.actor(l.target_id)
        if l.kind in _MEMBERSHIP and f is not None and f.kind == "forum":
            out.setdefault(l.source_id, set()).add(l.target_id)
    _FORUMS[net] = out
    return out


def fit(net: Network, s: int, t: int, forums: dict[int, set[int]]) -> tuple[int, float | None, tuple[str, ...]] | None:
    """How well two services fit as partners: (score, km apart or None, reasons), or None when they take no
    common client group. The score is documented at the top of this module."""
    a, b = net.actor(s), net.actor(t)
    ga, gb = set(a.client_groups or ()), set(b.client_groups or ())
    shared = [g for g in vocab.CLIENT_GROUPS.keys() if g in ga & gb]
    if ga and gb and not shared:
        return None
    score, reasons = 0, []
    if shared:
        score += 2
        reasons.append(f"both take {group_words(shared[0])}")
    common = sorted(forums.get(s, set()) & forums.get(t, set()), key=net.sort_key)[:2]
    score += len(common)
    reasons += [f"both in {net.name(f)}" for f in common]
    km = distance_km(a, b)
    if km is not None:
        score += 2 if km <= 2 else 1 if km <= 10 else 0
        reasons.append(f"{km:.1f} km apart")
    return score, km, tuple(reasons)


def _confirm(net: Network, link) -> Action:
    s, t = link.source_id, link.target_id
    return Action(f"Confirm the waiting {route_words(link.kind)} from {net.name(s)} to {net.name(t)}{net.where(t)}",
                  (t,), "confirm", link.kind, s, t, link.id)


def _replace(net: Network, link) -> Action:
    s, t = link.source_id, link.target_id
    gone = net.snapshot.actors[t]
    name = gone.name or f"#{t}"
    why = _STATUS_WORDS.get(gone.status, "ended when {name}'s record stopped being active").format(name=name)
    return Action(f"Replace the {route_words(link.kind)} from {net.name(s)} to {name}, which {why}",
                  (s,), "replace", link.kind, s, t, link.id)


def _new_pair(net: Network, s: int, t: int, kind: str, reasons: tuple[str, ...]) -> Action:
    why = f" ({'; '.join(reasons)})" if reasons else ""
    return Action(f"Agree a {route_words(kind)} from {net.name(s)} to {net.name(t)} and record it as a link{why}",
                  (s, t), "link", kind, s, t, None, reasons)


def gap_actions(net: Network, sources, targets, far_end, onward: bool = False) -> tuple[Action, ...]:
    """The actions that could close a gap between `sources` and the far end, best first (see the module).

    `targets` are the services at the far end a new link could go to; `far_end(actor)` says whether any
    actor (outside the area, archived) stands at the far end; `onward` is True when people move on from
    accommodation, so "moves people on to" is preferred where it fits. None when the network was read without
    partners (Network.partners)."""
    if not net.partners:
        return ()
    sources = list(sources)
    src = set(sources)
    pathway = vocab.PATHWAY_LINK_KINDS
    waiting = [l for l in net.proposed if l.kind in pathway and l.source_id in src and l.target_id != l.source_id
               and far_end(net.actor(l.target_id))]
    actors = net.snapshot.actors or {}
    lost = [l for l in net.snapshot.links or () if l.status == "confirmed" and l.kind in pathway
            and l.source_id in src and l.target_id in actors and actors[l.target_id] is not None
            and actors[l.target_id].status != "active" and far_end(actors[l.target_id])]
    order = (lambda l: (net.sort_key(l.source_id), net.sort_key(l.target_id), l.id))
    actions = [_confirm(net, l) for l in sorted(waiting, key=order)]
    actions += [_replace(net, l) for l in sorted(lost, key=order)]
    forums = forum_memberships(net)
    linked = {(l.source_id, l.target_id) for l in net.proposed} | {(s, t) for s in src for t in net.path_out[s]}
    pairs = []
    for s in sources:
        for t in targets:
            kind = link_kind_for(net.actor(s), net.actor(t), onward) if s != t else None
            scored = fit(net, s, t, forums) if kind and (s, t) not in linked else None
            if scored:
                score, km, reasons = scored
                if kind == "moves_on_to":
                    score, reasons = score + MOVE_ON_BONUS, reasons + ("a housing service",)
                pairs.append(((-score, km is None, km or 0.0, net.sort_key(s), net.sort_key(t)), s, t, kind, reasons))
    pairs.sort(key=lambda p: p[0])
    actions += [_new_pair(net, s, t, kind, reasons) for _, s, t, kind, reasons in pairs[:MAX_NEW_PAIRS]]
    return tuple(actions)


def first_step(actions, fallback: str) -> str:
    """The finding's next step: the best action's text, or the fallback sentence when there is none."""
    return actions[0].text if actions else fallback
