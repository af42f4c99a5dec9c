"""Network metrics and pathway stage coverage."""
from __future__ import annotations

import random
from collections import defaultdict

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
    """Normalised betweenness of an undirected graph (Brandes): the values networkx's betweenness_centrality
    gives, exact or (with `sample`) from the same sampled source actors for the same seed, about 3x faster.

    Written here rather than called from networkx for that speed on the national ranking (one pass per
    area); tests/unit/test_analysis_exports.py checks it against networkx on random graphs."""
    n = len(nodes)
    index = {v: k for k, v in enumerate(nodes)}
    nbrs = [[index[w] for w in adj[v]] for v in nodes]
    sources = range(n) if sample is None else [index[v] for v in random.Random(seed).sample(nodes, sample)]
    score = [0.0] * n
    for s in sources:
        sigma = [0] * n
        dist = [-1] * n
        sigma[s], dist[s] = 1, 0
        order = [s]
        for v in order:  # breadth-first: `order` grows while we walk it
            dv, sv = dist[v] + 1, sigma[v]
            for w in nbrs[v]:
                dw = dist[w]
                if dw < 0:
                    dist[w], sigma[w] = dv, sv
                    order.append(w)
                elif dw == dv:
                    sigma[w] += sv
        # Walk back from the farthest; a neighbour one step nearer the source is a predecessor.
        delta = [0.0] * n
        for w in reversed(order):
            dw, coeff = dist[w] - 1, (1.0 + delta[w]) / sigma[w]
            for v in nbrs[w]:
                if dist[v] == dw:
                    delta[v] += sigma[v] * coeff
            if w != s:
                score[w] += delta[w]
    if n <= 2:
        return {v: 0.0 for v in nodes}
    if sample is None:
        return {v: score[k] / ((n - 1) * (n - 2)) for k, v in enumerate(nodes)}
    # Sampled: a source actor's own paths were never counted through it, so it is scaled over one fewer source.
    # (networkx gives NaN for the lone source of a one-actor sample; 0 here.)
    picked = set(sources)
    out = {}
    for k, v in enumerate(nodes):
        over = sample - 1 if k in picked else sample
        out[v] = score[k] / (over * (n - 2)) if over else 0.0
    return out


def stage_coverage(snapshot) -> list[dict]:
    """Per pathway stage: number, label, count of active services and their ids (by name)."""
    net = prepare(snapshot)
    return [{"stage": k, "label": vocab.PATHWAY_STAGES.label(str(k)), "count": len(net.at_stage[k]),
             "service_ids": list(net.at_stage[k])} for k in STAGES]
