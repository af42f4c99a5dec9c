"""Network metrics and pathway stage coverage."""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import vocab
from .core import BETWEENNESS_BUDGET, BETWEENNESS_EXACT_LIMIT, STAGES, prepare
from .pathway import listed_groups
from .structure import _components


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
    sample = betweenness_sample
    if sample is None and n > BETWEENNESS_EXACT_LIMIT:
        sample = max(10, BETWEENNESS_BUDGET // n)
    estimated = sample is not None and sample < n
    between = betweenness(net.adj, list(net.actors), sample if estimated else None)
    comps = _components(net.adj, net.ordered, net.sort_key)
    return {
        "nodes": n, "links": len(net.links), "ties": sum(len(js) for js in net.adj.values()) // 2,
        "density": len(pairs) / (n * (n - 1)) if n > 1 else 0.0,
        "degree_centralisation": centralisation,
        "components": len(comps), "component_sizes": [len(c) for c in comps],
        "isolated": sum(1 for d in degree.values() if d == 0),
        "betweenness_estimated": estimated,
        "actors": {i: {"name": net.name(i), "kind": net.actors[i].kind, "in_degree": ins[i],
                       "out_degree": outs[i], "degree": degree[i], "betweenness": between.get(i, 0.0)}
                   for i in net.ordered},
    }


def betweenness(adj: dict[int, set[int]], nodes: list[int], sample: int | None = None,
                seed: int = 0) -> dict[int, float]:
    """Normalised betweenness of an undirected graph: networkx's, exact, or (with `sample`) estimated from that
    many source actors drawn with the seed, so the same snapshot always gives the same figures. Only the
    area analysis asks for it (the national ranking does not), and metrics() samples above
    BETWEENNESS_EXACT_LIMIT actors so its cost stays roughly flat."""
    if len(nodes) <= 2:
        return {v: 0.0 for v in nodes}  # no actor can lie between two others
    graph = nx.Graph()
    graph.add_nodes_from(nodes)  # in this order: the sample is drawn from the node list
    graph.add_edges_from((v, w) for v in nodes for w in adj[v])
    return nx.betweenness_centrality(graph, k=sample, normalized=True, seed=seed)


def stage_coverage(snapshot, client_group: str | None = None) -> list[dict]:
    """Per pathway stage: number, label, count of active services and their ids (by name); read for the
    network's client group (or the one given), a service counting when it lists the group or none."""
    net = prepare(snapshot, client_group)
    return [{"stage": k, "label": vocab.PATHWAY_STAGES.label(str(k)), "count": len(net.at_stage[k]),
             "service_ids": list(net.at_stage[k])} for k in STAGES]


def client_group_coverage(snapshot) -> list[dict]:
    """One row per client group that at least one of the area's active services lists, in the vocabulary's
    order: {"group", "label", "counts" (stage -> services serving the group there, every stage), "services"
    (how many services serve the group)}. A service serves a group it lists, or every group when it lists
    none. All the area's services count, whatever client group the network is read for."""
    net = prepare(snapshot)
    rows = []
    for g in listed_groups(net):
        serving = [i for i in net.all_services if net.serves(i, g)]
        counts = {k: sum(1 for i in serving if k in (net.actors[i].stages or ())) for k in STAGES}
        rows.append({"group": g, "label": vocab.CLIENT_GROUPS.label(g), "counts": counts,
                     "services": len(serving)})
    return rows
