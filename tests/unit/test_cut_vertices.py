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


@pytest.mark.parametrize("seed", range(20))
def test_a_virtual_node_counts_for_its_piece_but_is_never_named_or_counted(seed):
    # The largest piece is chosen with the virtual node counted (as brokers() does with ELSEWHERE), then the
    # virtual node is left out of what is named and counted as cut off.
    g = _random_graph(seed)
    if not g:
        return
    virtual = min(g)
    dfs = _depth_first({v: set(g[v]) for v in g})
    for v, cut, tree in _cut_vertices(dfs):
        named, count = _detached(dfs, v, cut, tree, most=len(g), virtual=virtual)
        plain, total = _detached(dfs, v, cut, tree, most=len(g))
        assert named == [x for x in plain if x != virtual]
        assert count == total - (virtual in plain) == len(named)
