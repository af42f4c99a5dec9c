"""The broker finding's two steps, each checked against networkx on random graphs: finding the cut vertices
(linear-time depth-first search) and working out what each would leave cut off."""
import random

import networkx as nx
import pytest

from directory.analysis.structure import _cut_vertices, _depth_first, _detached


def _random_graph(seed: int) -> nx.Graph:
    rnd = random.Random(seed)
    n = rnd.randint(0, 60)
    g = nx.gnm_random_graph(n, rnd.randint(0, 2 * n), seed=seed)
    return nx.relabel_nodes(g, dict(zip(range(n), rnd.sample(range(1, 1000), n))))


@pytest.mark.parametrize("seed", range(20))
def test_the_cut_vertices_are_networkx_articulation_points(seed):
    g = _random_graph(seed)
    dfs = _depth_first({v: set(g[v]) for v in g})
    assert {v for v, _cut, _tree in _cut_vertices(dfs)} == set(nx.articulation_points(g))


@pytest.mark.parametrize("seed", range(20))
def test_what_a_cut_vertex_detaches_is_all_but_the_largest_remaining_piece(seed):
    g = _random_graph(seed)
    dfs = _depth_first({v: set(g[v]) for v in g})
    for v, cut, tree in _cut_vertices(dfs):
        named, count = _detached(dfs, v, cut, tree)
        rest = g.subgraph(nx.node_connected_component(g, v) - {v})
        pieces = sorted((len(c) for c in nx.connected_components(rest)), reverse=True)
        assert count == sum(pieces[1:])
        assert len(named) == min(count, 5) and len(set(named)) == len(named)
        largest = max(nx.connected_components(rest), key=len)
        assert not set(named) & largest or sum(1 for p in pieces if p == pieces[0]) > 1
