"""Network findings: isolated actors, services outside the forums, fragile ties, brokers, fragmentation."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice

from .. import vocab
from .candidates import forum_memberships
from .core import Action, Finding, _names, _plural, prepare


def isolated_actors(snapshot) -> list[Finding]:
    """A finding for each active actor of the area with no confirmed links at all, in the area or beyond it
    (medium; low for researchers)."""
    net = prepare(snapshot)
    steps = {"service": "Invite {n} to a forum of its area and ask it to record who it works with.",
             "forum": "Invite the area's services to record their membership of {n}.",
             "researcher": "Introduce {n} to services that are open to research."}
    out = []
    for i in net.ordered:
        if net.whole_adj[i]:
            continue
        kind = net.actors[i].kind
        out.append(Finding(
            "isolated", "low" if kind == "researcher" else "medium", f"{net.name(i)} has no links",
            f"{net.name(i)} ({vocab.ACTOR_KINDS.label(kind).lower()}) has no confirmed links with any "
            "active actor, in this area or elsewhere.", (i,), (),
            steps.get(kind, steps["service"]).format(n=net.name(i))))
    return out


def outside_forums(snapshot) -> list[Finding]:
    """A medium finding for each active service that is a member of no active forum of its area; a membership
    may be of a forum outside the area (it is named, but does not count). The forum to invite it to, when
    there is one, is its action (how="invite")."""
    net = prepare(snapshot)
    joined = forum_memberships(net)  # actor -> the active forums it is a confirmed member or chair of
    members = defaultdict(set)  # forum -> its member services
    for i, forums in joined.items():
        if net.actor(i).kind == "service":
            for f in forums:
                members[f].add(i)
    forums_in = defaultdict(list)
    for f in net.ordered:
        if net.actors[f].kind == "forum" and net.actors[f].area_id is not None:
            forums_in[net.actors[f].area_id].append(f)
    out = []
    for s in net.services:
        areas = net.actors[s].areas
        if any(net.actor(f).area_id in areas for f in joined.get(s, ())):
            continue
        local = [f for area in areas for f in forums_in[area]]
        reason = f"{net.name(s)} is not a confirmed member of any active forum of its area"
        if joined.get(s):
            reason += f" (it belongs to {_names(net, net.by_name(joined[s]))}, elsewhere)"
        actions = ()
        if local:
            # A forum open to new members first, then the one with most member services.
            best = min(local, key=lambda f: (not net.actor(f).open_to_new_members, -len(members[f]), net.sort_key(f)))
            size = _plural(len(members[best]), "member service")
            why = (size, "open to new members") if net.actor(best).open_to_new_members else (size,)
            step = f"Invite {net.name(s)} to {net.name(best)}, which has {size}" + (
                " and is open to new members." if len(why) > 1 else ".")
            ids = (s, best)
            actions = (Action(step, (best,), "invite", "member_of", s, best, reasons=why),)
        else:
            step = (f"No active forum covers {net.name(s)}'s area to invite it to — could one be set up, "
                    "or a neighbouring forum take it in?")
            ids = (s,)
        out.append(Finding("outside_forums", "medium", f"{net.name(s)} is outside the forums",
                           reason + ".", ids, (), step, actions))
    return out


def fragile_ties(snapshot) -> list[Finding]:
    """A low finding for each active service of the area whose confirmed links, in the area or beyond it, all
    go to a single other actor."""
    net = prepare(snapshot)
    out = []
    for s in net.services:
        if len(net.whole_adj[s]) != 1:
            continue
        (p,) = net.whole_adj[s]
        out.append(Finding(
            "fragile_tie", "low", f"{net.name(s)} hangs on one tie",
            f"{net.name(s)}'s only confirmed tie is with {net.name(p)}{net.where(p)}; if it lapsed, "
            f"{net.name(s)} would be cut off from the network.", (s, p), (),
            f"Help {net.name(s)} build a second link, for example through a forum of its area."))
    return out


@dataclass
class _DepthFirst:
    """A depth-first forest of an undirected graph: each actor's discovery index (its place in `order`), low
    link, subtree size and children; each tree (connected component) as a (start, length) slice of `order`."""

    order: list[int] = field(default_factory=list)
    disc: dict[int, int] = field(default_factory=dict)
    low: dict[int, int] = field(default_factory=dict)
    size: dict[int, int] = field(default_factory=dict)
    kids: dict[int, list[int]] = field(default_factory=dict)
    trees: list[tuple[int, int]] = field(default_factory=list)


def _depth_first(adj: dict[int, set[int]]) -> _DepthFirst:
    """Walk every component depth first, without recursion (an area may have thousands of actors): O(V + E)."""
    dfs = _DepthFirst()
    disc, low, size, kids, order = dfs.disc, dfs.low, dfs.size, dfs.kids, dfs.order
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
        dfs.trees.append((start, len(order) - start))
    return dfs


def _cut_vertices(dfs: _DepthFirst):
    """Yield (cut vertex, the children whose subtrees it cuts off, its tree): Tarjan's low-link rule."""
    for start, length in dfs.trees:
        root = dfs.order[start]
        for v in dfs.order[start:start + length]:
            if v == root:
                cut = dfs.kids[v] if len(dfs.kids[v]) >= 2 else []
            else:
                cut = [c for c in dfs.kids[v] if dfs.low[c] >= dfs.disc[v]]
            if cut:
                yield v, cut, (start, length)


def _detached(dfs: _DepthFirst, v: int, cut: list[int], tree: tuple[int, int], most: int = 5,
              virtual: int | None = None) -> tuple[list[int], int]:
    """What losing the cut vertex v leaves apart from the largest remaining piece of its tree: the first
    `most` actors of those pieces (in depth-first order) and how many they hold in all. A `virtual` node
    (not an actor) counts towards the size of its piece but is never named or counted."""
    start, length = tree
    order, disc, size = dfs.order, dfs.disc, dfs.size
    pieces = [("sub", c, size[c]) for c in cut]
    rest = length - 1 - sum(size[c] for c in cut)  # the part of the tree above v, if any
    if rest > 0:
        pieces.insert(0, ("rest", None, rest))
    keep = max(range(len(pieces)), key=lambda n: (pieces[n][2], -n))
    detached = [p for n, p in enumerate(pieces) if n != keep]
    count = sum(p[2] for p in detached) - _holds(dfs, v, cut, tree, detached, virtual)
    named: list[int] = []
    for how, c, _ in detached:
        if len(named) >= most:
            break
        if how == "sub":  # a subtree is a run of the depth-first order
            run = (order[n] for n in range(disc[c], disc[c] + size[c]) if order[n] != virtual)
            named += islice(run, most - len(named))
            continue
        skip = {disc[x]: size[x] for x in cut}  # the rest: the tree's order without v and its cut-off subtrees
        skip[disc[v]] = 1
        n = start
        while n < start + length and len(named) < most:
            if n in skip:
                n += skip[n]
            else:
                if order[n] != virtual:
                    named.append(order[n])
                n += 1
    return named, count


def _holds(dfs: _DepthFirst, v: int, cut: list[int], tree: tuple[int, int], pieces, node: int | None) -> int:
    """1 when `node` lies in one of the given pieces of v's tree (a ("sub", child, size) subtree or the
    ("rest", None, size) part above v), else 0."""
    start, length = tree
    at = dfs.disc.get(node) if node is not None else None
    if at is None or not start <= at < start + length or node == v:
        return 0
    below = next((c for c in cut if dfs.disc[c] <= at < dfs.disc[c] + dfs.size[c]), None)
    return int(any(c == below if how == "sub" else below is None for how, c, _ in pieces))


# The one node that stands for every actor outside the area when brokers are sought (no actor has id -1).
ELSEWHERE = -1


def _whole_graph(net) -> dict[int, set[int]]:
    """The area's actors and their confirmed ties, with every actor outside the area folded into one node,
    ELSEWHERE: the outside actors are joined to each other through the rest of the country."""
    graph = {i: set(net.adj[i]) for i in net.actors}
    far = [i for i in net.actors if len(net.whole_adj[i]) > len(net.adj[i])]
    if far:
        graph[ELSEWHERE] = set(far)
        for i in far:
            graph[i].add(ELSEWHERE)
    return graph


def brokers(snapshot) -> list[Finding]:
    """A medium finding for each actor of the area whose loss would cut other actors of the area off from
    their whole network (links leaving the area count, every outside actor joined through ELSEWHERE),
    naming what would be cut off; a cut that would leave only outside actors apart is no finding."""
    net = prepare(snapshot)
    dfs = _depth_first(_whole_graph(net))
    cuts = [(v, *_detached(dfs, v, cut, tree, virtual=ELSEWHERE))
            for v, cut, tree in _cut_vertices(dfs) if v != ELSEWHERE]
    cuts = sorted((c for c in cuts if c[2]), key=lambda c: (-c[2], net.sort_key(c[0])))
    return [Finding(
        "broker", "medium", f"The network depends on {net.name(v)}",
        f"If {net.name(v)} went, {_plural(count, 'actor')} of this area would be cut off from the rest of "
        f"their network: {_names(net, named, total=count)}.", (v, *named), (),
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
    """One medium finding when the actors linked within the area fall into more than one separate group
    (judged within the area only: groups may still be joined through actors elsewhere)."""
    net = prepare(snapshot)
    comps = _components(net.adj, [i for i in net.ordered if net.adj[i]], net.sort_key)
    if len(comps) < 2:
        return []
    sizes = ", ".join(str(len(c)) for c in comps[:-1]) + f" and {len(comps[-1])}"
    others = [i for c in comps[1:] for i in c]
    return [Finding(
        "fragmentation", "medium", f"The network within this area is in {len(comps)} separate groups",
        f"The {sum(map(len, comps))} linked actors fall into {len(comps)} groups of {sizes} actors within this "
        "area, with no confirmed link between the groups here (they may still be joined through actors "
        f"elsewhere). The largest group includes {_names(net, comps[0], 3)}.",
        tuple(others), (),
        f"Look for links between the smaller groups (such as {_names(net, [c[0] for c in comps[1:]], 3)}) "
        "and the largest group.")]
