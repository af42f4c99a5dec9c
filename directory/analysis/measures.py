"""Network metrics and pathway stage coverage."""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from .. import vocab
from .core import BETWEENNESS_BUDGET, BETWEENNESS_EXACT_LIMIT, STAGES, prepare
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
    graph = nx.Graph()
    graph.add_nodes_from(net.actors)
    graph.add_edges_from((i, j) for i in net.adj for j in net.adj[i] if i < j)
    sample = betweenness_sample
    if sample is None and n > BETWEENNESS_EXACT_LIMIT:
        sample = max(10, BETWEENNESS_BUDGET // n)
    estimated = sample is not None and sample < n
    between = (nx.betweenness_centrality(graph, k=sample, normalized=True, seed=0) if estimated
               else nx.betweenness_centrality(graph, normalized=True)) if n else {}
    comps = _components(net.adj, net.ordered, net.sort_key)
    return {
        "nodes": n, "links": len(net.links), "ties": graph.number_of_edges(),
        "density": len(pairs) / (n * (n - 1)) if n > 1 else 0.0,
        "degree_centralisation": centralisation,
        "components": len(comps), "component_sizes": [len(c) for c in comps],
        "isolated": sum(1 for d in degree.values() if d == 0),
        "betweenness_estimated": estimated,
        "actors": {i: {"name": net.name(i), "kind": net.actors[i].kind, "in_degree": ins[i],
                       "out_degree": outs[i], "degree": degree[i], "betweenness": between.get(i, 0.0)}
                   for i in net.ordered},
    }


def stage_coverage(snapshot) -> list[dict]:
    """Per pathway stage: number, label, count of active services and their ids (by name)."""
    net = prepare(snapshot)
    return [{"stage": k, "label": vocab.PATHWAY_STAGES.label(str(k)), "count": len(net.at_stage[k]),
             "service_ids": list(net.at_stage[k])} for k in STAGES]
