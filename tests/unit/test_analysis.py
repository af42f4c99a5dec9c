"""Findings and metrics over hand-built snapshots; every right answer is worked out by hand."""
from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

import networkx as nx
import pytest

from directory import analysis as A
from directory.snapshot import ActorNode, AreaInfo, BarrierItem, LinkEdge, Snapshot

TODAY = date(2025, 6, 1)
FRESH = TODAY - timedelta(days=10)


def svc(i, name, *stages, area=1, status="active", **kw):
    return ActorNode(i, "service", name, status=status, area_id=area, stages=tuple(stages),
                     verified_at=kw.pop("verified_at", FRESH), **kw)


def forum(i, name, area=1, status="active", **kw):
    return ActorNode(i, "forum", name, status=status, area_id=area, verified_at=FRESH, **kw)


def researcher(i, name, status="active", **kw):
    return ActorNode(i, "researcher", name, status=status, verified_at=FRESH, **kw)


_ids = iter(range(1000, 10**6))


def ln(kind, s, t, status="confirmed", last_confirmed=FRESH):
    return LinkEdge(next(_ids), kind, s, t, status=status, last_confirmed=last_confirmed)


def snap(actors, links=(), barriers=()):
    return Snapshot({a.id: a for a in actors}, list(links), list(barriers),
                    area=AreaInfo(1, "Testshire", "testshire", 52.0, -1.0))


def ids(findings):
    return [f.actor_ids for f in findings]


# --- vocabulary and Finding -----------------------------------------------------

def test_finding_kinds_vocabulary():
    assert A.FINDING_KINDS.keys() == [
        "missing_stage", "thin_stage", "broken_handoff", "client_group_gap", "restricted_stage", "dead_end",
        "isolated", "outside_forums",
        "fragile_tie", "broker", "fragmentation", "barriers", "stale_record", "stale_link"]
    assert all(t.label and t.description for t in A.FINDING_KINDS)
    assert A.SEVERITIES.keys() == ["high", "medium", "low"]


def test_finding_to_dict_is_json_ready():
    f = A.Finding("thin_stage", "medium", "T", "R", (1, 2), (3,), "N")
    d = f.to_dict()
    assert d == {"key": "thin_stage::3:1", "kind": "thin_stage", "kind_label": "Thin stage",
                 "severity": "medium", "title": "T", "reason": "R", "actor_ids": [1, 2], "stages": [3],
                 "next_step": "N", "actions": [], "evidence": [], "merged": [], "client_group": ""}
    json.dumps(d)
    with pytest.raises(Exception):
        f.kind = "x"  # frozen


def test_metric_explanations_cover_metrics():
    m = A.metrics(snap([svc(1, "A", 1)]))
    for key in ("nodes", "links", "density", "degree_centralisation", "components", "component_sizes"):
        assert key in A.METRIC_EXPLANATIONS and key in m
    for key in ("in_degree", "out_degree", "betweenness"):
        assert key in A.METRIC_EXPLANATIONS and key in m["actors"][1]


# --- missing and thin stages ------------------------------------------------------

def test_missing_stages_counts_only_active_services():
    s = snap([svc(1, "Alpha", 1, 2), svc(2, "Beta", 3),
              svc(3, "Closed", 4, status="archived"), svc(4, "Waiting", 5, status="pending"),
              forum(5, "Forum", stages=(6,))])
    found = A.missing_stages(s)
    assert [f.stages for f in found] == [(4,), (5,), (6,), (7,)]
    assert all(f.severity == "high" and f.kind == "missing_stage" for f in found)
    assert "Move-on and rehousing" in found[2].reason
    assert "stage 6" in found[2].next_step


def test_missing_stages_all_seven_when_empty():
    assert [f.stages for f in A.missing_stages(snap([]))] == [(k,) for k in range(1, 8)]


def test_thin_stages():
    # stage 1: Alpha only; stage 2: Alpha and Beta (not thin); stage 3: Gamma (Delta archived).
    s = snap([svc(1, "Alpha", 1, 2), svc(2, "Beta", 2), svc(3, "Gamma", 3), svc(4, "Delta", 3, status="archived")])
    found = A.thin_stages(s)
    assert [(f.stages, f.actor_ids) for f in found] == [((1,), (1,)), ((3,), (3,))]
    assert all(f.severity == "medium" for f in found)
    assert "Gamma" in found[1].reason and "Assessment and relief" in found[1].reason


# --- broken handoffs ----------------------------------------------------------------

def test_broken_handoffs_worked_example():
    # Handoffs follow vocab.EXPECTED_ROUTES (issue 11), so Alpha->Beta (1->2) is no expected route and the
    # 1->3 route (Alpha to Carol or Dora) is broken. 2->3: Carol sits at both but links to no other stage-3
    # service, Beta->Dora is only proposed. 3->4: Dora and Eve only case-conference (not a pathway link).
    # 3->5, 4->5, 4->6: no stage 5 or 6 service, so no handoff to judge.
    s = snap([svc(1, "Alpha", 1), svc(2, "Beta", 2), svc(3, "Carol", 2, 3), svc(4, "Dora", 3), svc(5, "Eve", 4)],
             [ln("refers_to", 1, 2), ln("refers_to", 2, 4, status="proposed"),
              ln("case_conferences", 4, 5)])
    found = A.broken_handoffs(s)
    assert [f.stages for f in found] == [(1, 3), (2, 3), (3, 4)]
    assert set(found[1].actor_ids) == {2, 3, 4}
    assert set(found[2].actor_ids) == {3, 4, 5}
    assert all(f.severity == "high" for f in found)
    assert "Beta and Carol" in found[1].reason and "Carol and Dora" in found[1].reason


def test_service_at_both_stages_bridges_only_to_another_service():
    # stages 2 and 3 (not 1 and 2): 1->2 is no expected route since issue 11, 2->3 is
    both = svc(1, "Both", 2, 3)
    assert [f.stages for f in A.broken_handoffs(snap([both]))] == [(2, 3)]
    # a self-link does not bridge either
    assert [f.stages for f in A.broken_handoffs(snap([both], [ln("refers_to", 1, 1)]))] == [(2, 3)]
    # a link from it to a different stage-3 service does
    assert A.broken_handoffs(snap([both, svc(2, "Other", 3)], [ln("refers_to", 1, 2)])) == []


def test_handoff_ignores_wrong_direction_archived_and_missing_targets():
    # stages 2 and 3 (not 1 and 2): 1->2 is no expected route since issue 11, 2->3 is
    actors = [svc(1, "Alpha", 2), svc(2, "Beta", 3), svc(3, "Gone", 3, status="archived")]
    links = [ln("refers_to", 2, 1),          # wrong direction
             ln("refers_to", 1, 3),          # to an archived service
             ln("refers_to", 1, 99),         # to a service not in the snapshot
             ln("refers_to", 1, 2, status="declined"),
             ln("member_of", 1, 2)]          # not a pathway kind
    assert [f.stages for f in A.broken_handoffs(snap(actors, links))] == [(2, 3)]
    for kind in ("refers_to", "moves_on_to", "duty_to_refer"):
        assert A.broken_handoffs(snap(actors, [ln(kind, 1, 2)])) == []


# --- dead ends -------------------------------------------------------------------------

def test_dead_ends():
    actors = [svc(1, "Outreach", 2), svc(10, "Hostel", 4), svc(11, "Supported", 5), svc(12, "Move-on", 6),
              svc(13, "Proposed-in", 4), svc(14, "Proposed-out", 4), svc(15, "Out-to-closed", 4),
              svc(16, "Closed", 6, status="archived"), svc(17, "Assessment", 3), svc(18, "From-closed", 4),
              svc(19, "Forum-only", 5), forum(20, "Forum")]
    links = [ln("refers_to", 1, 10),                               # Hostel: in, no out -> dead end
             ln("refers_to", 1, 11), ln("moves_on_to", 11, 12),    # Supported: onward -> fine
             ln("refers_to", 1, 13, status="proposed"),            # nothing confirmed in -> fine
             ln("refers_to", 1, 14), ln("moves_on_to", 14, 12, status="proposed"),  # dead end
             ln("refers_to", 1, 15), ln("moves_on_to", 15, 16),    # onward only to archived -> dead end
             ln("refers_to", 1, 17),                               # stage 3 is not accommodation -> fine
             ln("refers_to", 16, 18),                              # only in-link from archived -> fine
             ln("refers_to", 1, 19), ln("member_of", 19, 20)]      # membership is not onward -> dead end
    found = A.dead_ends(snap(actors, links))
    assert sorted(f.actor_ids[0] for f in found) == [10, 14, 15, 19]
    assert all(f.severity == "medium" for f in found)
    hostel = next(f for f in found if f.actor_ids[0] == 10)
    assert hostel.stages == (4,) and hostel.actor_ids == (10, 1)
    assert "Hostel" in hostel.reason and "Outreach" in hostel.reason
    # Since issue 11 the next step names partners at the stages the expected routes lead to from stage 4
    # (5 and 6): Supported, Move-on and Forum-only, none closer in fit than another, so by name.
    assert [a.target_id for a in hostel.actions] == [19, 12, 11]
    assert hostel.next_step == hostel.actions[0].text and "Forum-only" in hostel.next_step
    # Proposed-out's waiting link comes first; Out-to-closed's route to Closed (archived) is to replace.
    by_actor = {f.actor_ids[0]: f for f in found}
    assert by_actor[14].actions[0].how == "confirm" and by_actor[14].actions[0].ask == (12,)
    assert by_actor[15].actions[0].how == "replace" and "Closed" in by_actor[15].next_step


# --- isolated, outside forums, fragile ties ------------------------------------------------

def test_isolated_actors():
    actors = [svc(1, "Alpha"), svc(2, "Beta"), svc(3, "Carol"), svc(4, "Dora"), svc(5, "Eve", status="archived"),
              svc(6, "Fay"), researcher(7, "Gil"), forum(8, "Hub")]
    links = [ln("refers_to", 1, 2),
             ln("refers_to", 3, 1, status="proposed"),   # Carol: proposed only
             ln("co_located", 4, 5),                     # Dora: only to archived Eve
             ln("refers_to", 6, 99)]                     # Fay: only to a missing actor
    found = A.isolated_actors(snap(actors, links))
    assert [(f.actor_ids, f.severity) for f in found] == [
        ((3,), "medium"), ((4,), "medium"), ((6,), "medium"), ((7,), "low"), ((8,), "medium")]
    assert "Carol" in found[0].reason


def test_outside_forums():
    actors = [forum(1, "Big Forum", area=1), forum(2, "Small Forum", area=1),
              forum(3, "Closed Forum", area=2, status="archived"), forum(4, "North Forum", area=2),
              svc(11, "S1"), svc(12, "S2"), svc(13, "S3"), svc(14, "S4"),
              svc(15, "S5"), svc(16, "S6", area=2), svc(17, "S7", area=3, area_ids=frozenset({1})),
              svc(18, "S8", area=5), svc(19, "S9"), svc(20, "S10", area=2)]
    links = [ln("member_of", 11, 1), ln("member_of", 12, 1), ln("chairs", 13, 1), ln("member_of", 14, 2),
             ln("member_of", 16, 1),                       # S6 (area 2) only in an area-1 forum
             ln("member_of", 17, 2),                       # S7 serves area 1 too: fine
             ln("member_of", 19, 1, status="proposed"),    # S9: proposed only
             ln("member_of", 20, 3)]                       # S10: forum archived
    found = {f.actor_ids[0]: f for f in A.outside_forums(snap(actors, links))}
    assert sorted(found) == [15, 16, 18, 19, 20]
    # Big Forum has 4 member services (S1, S2, S3 chairs, S6), Small Forum 1.
    assert found[15].actor_ids == (15, 1) and "Invite S5 to Big Forum" in found[15].next_step
    assert "4 member services" in found[15].next_step
    assert found[16].actor_ids == (16, 4) and "North Forum" in found[16].next_step
    assert "Big Forum" in found[16].reason  # says where it does belong
    assert found[18].actor_ids == (18,) and "No active forum" in found[18].next_step
    assert found[20].actor_ids == (20, 4)
    assert all(f.severity == "medium" for f in found.values())


def test_fragile_ties():
    actors = [svc(1, "Hub"), svc(2, "One"), svc(3, "Multi"), svc(4, "Half"), svc(5, "Pair"),
              svc(6, "Closed", status="archived"), forum(7, "Forum"), researcher(8, "Res"), svc(9, "Alone")]
    links = [ln("refers_to", 2, 1),                                   # One: a single tie -> flagged
             ln("refers_to", 3, 1), ln("co_located", 1, 3),           # Multi: two links, one partner -> flagged
             ln("refers_to", 4, 1), ln("refers_to", 4, 5, status="proposed"),  # Half: one confirmed -> flagged
             ln("refers_to", 5, 1), ln("refers_to", 5, 6), ln("member_of", 5, 7),  # Pair: Hub + Forum -> fine
             ln("member_of", 1, 7), ln("evaluates", 8, 1)]            # Forum, Res: not services
    found = A.fragile_ties(snap(actors, links))
    assert sorted(f.actor_ids for f in found) == [(2, 1), (3, 1), (4, 1)]
    assert all(f.severity == "low" for f in found)


# --- brokers and fragmentation -----------------------------------------------------------------

def bowtie():
    # triangle A-B-C; C-D; D-E; D-F. X (archived) joins A and E; A-E proposed.
    actors = [svc(1, "A"), svc(2, "B"), svc(3, "C"), svc(4, "D"), svc(5, "E"), svc(6, "F"),
              svc(7, "X", status="archived")]
    links = [ln("refers_to", 1, 2), ln("refers_to", 2, 3), ln("co_located", 3, 1), ln("refers_to", 3, 4),
             ln("refers_to", 4, 5), ln("duty_to_refer", 4, 6), ln("refers_to", 4, 6),  # multi-edge D-F
             ln("refers_to", 1, 7), ln("refers_to", 7, 5), ln("refers_to", 1, 5, status="proposed")]
    return snap(actors, links)


def test_brokers_bowtie():
    # Without C: {A,B} and {D,E,F}; {A,B} is cut off (2). Without D: {A,B,C}, {E}, {F}; E and F cut off (2).
    found = {f.actor_ids[0]: f for f in A.brokers(bowtie())}
    assert sorted(found) == [3, 4]
    assert set(found[3].actor_ids[1:]) == {1, 2} and "2 actors" in found[3].reason
    assert set(found[4].actor_ids[1:]) == {5, 6} and "E" in found[4].reason
    assert all(f.severity == "medium" for f in found.values())


def test_brokers_names_five_and_counts_the_rest():
    actors = [svc(1, "Centre")] + [svc(i, f"Leaf {i}") for i in range(2, 9)]
    found = A.brokers(snap(actors, [ln("refers_to", 1, i) for i in range(2, 9)]))
    assert len(found) == 1
    f = found[0]
    assert f.actor_ids[0] == 1 and len(f.actor_ids) == 6
    assert "6 actors" in f.reason and "and 1 more" in f.reason


def test_no_brokers_in_a_cycle_or_a_pair():
    actors = [svc(i, f"S{i}") for i in range(1, 5)]
    cycle = [ln("refers_to", i, i % 4 + 1) for i in range(1, 5)]
    assert A.brokers(snap(actors, cycle)) == []
    assert A.brokers(snap(actors[:2], [ln("refers_to", 1, 2)])) == []


@pytest.mark.parametrize("seed", range(12))
def test_brokers_agree_with_networkx(seed):
    rnd = random.Random(seed)
    n = rnd.randint(2, 30)
    actors = [svc(i, f"S{i:02d}") for i in range(n)]
    links = [ln("refers_to", rnd.randrange(n), rnd.randrange(n)) for _ in range(rnd.randint(0, 2 * n))]
    s = snap(actors, links)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from((l.source_id, l.target_id) for l in links if l.source_id != l.target_id)
    found = {f.actor_ids[0]: f for f in A.brokers(s)}
    assert set(found) == set(nx.articulation_points(g))
    for v, f in found.items():
        comp = nx.node_connected_component(g, v) - {v}
        pieces = sorted((len(c) for c in nx.connected_components(g.subgraph(comp))), reverse=True)
        detached = sum(pieces[1:])
        assert f"{detached} actor" in f.reason
        assert len(f.actor_ids) == 1 + min(5, detached)
        named = set(f.actor_ids[1:])
        assert named <= comp and len(named) == len(f.actor_ids) - 1


def test_fragmentation():
    # A-B and C-D-E; F isolated (own finding); G archived would join A and C.
    actors = [svc(1, "A"), svc(2, "B"), svc(3, "C"), svc(4, "D"), svc(5, "E"), svc(6, "F"),
              svc(7, "G", status="archived")]
    links = [ln("refers_to", 1, 2), ln("refers_to", 3, 4), ln("refers_to", 4, 5),
             ln("refers_to", 7, 1), ln("refers_to", 7, 3), ln("refers_to", 1, 3, status="proposed")]
    found = A.fragmentation(snap(actors, links))
    assert len(found) == 1
    f = found[0]
    assert f.severity == "medium" and f.actor_ids == (1, 2)
    assert "2 groups of 3 and 2" in f.reason and "5 linked actors" in f.reason


def test_no_fragmentation_when_linked_actors_are_one_group():
    actors = [svc(1, "A"), svc(2, "B"), svc(3, "Lonely")]
    assert A.fragmentation(snap(actors, [ln("refers_to", 1, 2)])) == []
    assert A.fragmentation(snap([])) == []


# --- barriers ---------------------------------------------------------------------------------

def test_barrier_groups():
    actors = [svc(1, "S1"), svc(2, "S2"), svc(3, "S3"), svc(4, "Closed", status="archived")]
    barriers = [BarrierItem(1, 1, "capacity_full", 4), BarrierItem(2, 1, "capacity_full", 4),
                BarrierItem(3, 2, "capacity_full", 4), BarrierItem(4, 3, "capacity_full", 4),
                BarrierItem(5, 4, "no_move_on", 5),          # archived: ignored
                BarrierItem(6, 1, "no_move_on", 5), BarrierItem(7, 2, "no_move_on", 5),
                BarrierItem(8, 3, "funding", None),
                BarrierItem(9, 99, "funding", None)]         # missing actor: ignored
    found = A.barrier_groups(snap(actors, barriers=barriers))
    assert [(f.stages, f.severity, f.actor_ids) for f in found] == [
        ((4,), "high", (1, 2, 3)), ((5,), "medium", (1, 2)), ((), "low", (3,))]
    assert "3 services report 'Capacity full'" in found[0].reason and "4 reports" in found[0].reason
    assert "Emergency accommodation" in found[0].title


def test_one_service_reporting_often_is_still_low():
    barriers = [BarrierItem(i, 1, "risk_exclusion", 3) for i in range(3)]
    found = A.barrier_groups(snap([svc(1, "S1")], barriers=barriers))
    assert [(f.severity, f.actor_ids) for f in found] == [("low", (1,))]


# --- stale records and links --------------------------------------------------------------------

def test_stale_records():
    days = A.vocab.STALE_AFTER_DAYS
    actors = [svc(1, "Fresh", verified_at=TODAY - timedelta(days=days)),
              svc(2, "Old", verified_at=TODAY - timedelta(days=days + 1)),
              svc(3, "Never", verified_at=None),
              svc(4, "Closed", verified_at=None, status="archived"),
              svc(5, "Stamp", verified_at=datetime(2020, 1, 1, 12, 0))]
    found = A.stale_records(snap(actors), TODAY)
    assert [f.actor_ids for f in found] == [(3,), (2,), (5,)]
    assert all(f.severity == "low" for f in found)
    assert "never been verified" in found[0].reason
    assert A.stale_records(snap(actors), datetime(2025, 6, 1, 9, 0)) == found


def test_stale_links():
    days = A.vocab.STALE_AFTER_DAYS
    actors = [svc(1, "A"), svc(2, "B"), svc(3, "Closed", status="archived")]
    links = [ln("refers_to", 1, 2, last_confirmed=TODAY - timedelta(days=days)),       # fresh enough
             ln("co_located", 1, 2, last_confirmed=TODAY - timedelta(days=days + 1)),  # stale
             ln("duty_to_refer", 2, 1, last_confirmed=None),                           # never
             ln("refers_to", 1, 2, status="proposed", last_confirmed=None),            # not confirmed
             ln("refers_to", 1, 3, last_confirmed=None),                               # archived end
             ln("refers_to", 1, 42, last_confirmed=None)]                              # missing end
    found = A.stale_links(snap(actors, links), TODAY)
    assert sorted(f.actor_ids for f in found) == [(1, 2), (2, 1)]
    assert all(f.severity == "low" for f in found)
    assert any("never been reconfirmed" in f.reason for f in found)
    assert any("A co-located with B" in f.reason for f in found)


# --- find_all, metrics, coverage ------------------------------------------------------------------

def test_find_all_sorted_and_known_kinds():
    s = bowtie()
    # Data sharing bears on no gap, so its barrier group stays (a full-capacity report at stage 1 would now
    # sit inside the missing stage 1 finding instead: see test_analysis_evidence).
    s.barriers = [BarrierItem(1, 1, "data_sharing", 1)]
    found = A.find_all(s, TODAY)
    rank_s = {k: i for i, k in enumerate(A.SEVERITIES.keys())}
    rank_k = {k: i for i, k in enumerate(A.FINDING_KINDS.keys())}
    keys = [(rank_s[f.severity], rank_k[f.kind]) for f in found]
    assert keys == sorted(keys)
    assert {f.kind for f in found} <= set(A.FINDING_KINDS.keys())
    assert {"missing_stage", "broker", "outside_forums", "barriers"} <= {f.kind for f in found}
    assert all(f.title and f.reason and f.next_step for f in found)


def tiny():
    # A->B, B->C (confirmed), A->C proposed, C<->D co-located, E alone, F archived linked to A.
    actors = [svc(1, "A"), svc(2, "B"), svc(3, "C"), svc(4, "D"), svc(5, "E"), svc(6, "F", status="archived")]
    links = [ln("refers_to", 1, 2), ln("refers_to", 2, 3), ln("refers_to", 1, 3, status="proposed"),
             ln("co_located", 3, 4), ln("refers_to", 6, 1)]
    return snap(actors, links)


def test_metrics_tiny_graph():
    m = A.metrics(tiny())
    assert m["nodes"] == 5 and m["links"] == 3 and m["ties"] == 3
    # ordered pairs: A>B, B>C, C>D, D>C = 4 of 5*4 = 20
    assert m["density"] == pytest.approx(4 / 20)
    # undirected degrees 1,2,2,1,0; max 2; sum of gaps 4; (n-1)(n-2) = 12
    assert m["degree_centralisation"] == pytest.approx(4 / 12)
    assert m["components"] == 2 and m["component_sizes"] == [4, 1] and m["isolated"] == 1
    a = m["actors"]
    assert [(a[i]["in_degree"], a[i]["out_degree"]) for i in range(1, 6)] == [(0, 1), (1, 1), (2, 1), (1, 1), (0, 0)]
    # path A-B-C-D: B is between A-C and A-D, C between A-D and B-D; normalised by (n-1)(n-2)/2 = 6
    assert [a[i]["betweenness"] for i in range(1, 6)] == pytest.approx([0, 2 / 6, 2 / 6, 0, 0])
    assert 6 not in a and m["betweenness_estimated"] is False


def test_centralisation_star_and_triangle():
    star = snap([svc(i, f"S{i}") for i in range(1, 5)], [ln("refers_to", 1, i) for i in range(2, 5)])
    assert A.metrics(star)["degree_centralisation"] == pytest.approx(1.0)
    tri = snap([svc(i, f"S{i}") for i in range(1, 4)],
               [ln("refers_to", 1, 2), ln("refers_to", 2, 3), ln("refers_to", 3, 1)])
    m = A.metrics(tri)
    assert m["degree_centralisation"] == 0 and m["density"] == pytest.approx(3 / 6)


def test_metrics_small_and_multi_edges():
    two = snap([svc(1, "A"), svc(2, "B")], [ln("refers_to", 1, 2), ln("duty_to_refer", 1, 2)])
    m = A.metrics(two)
    assert m["links"] == 2 and m["ties"] == 1
    assert m["density"] == pytest.approx(1 / 2) and m["degree_centralisation"] == 0
    empty = A.metrics(snap([]))
    assert empty["nodes"] == 0 and empty["density"] == 0 and empty["components"] == 0 and empty["actors"] == {}


def test_metrics_sampled_betweenness():
    m = A.metrics(tiny(), betweenness_sample=2)
    assert m["betweenness_estimated"] is True
    assert all(0 <= v["betweenness"] <= 1 for v in m["actors"].values())


def test_stage_coverage():
    s = snap([svc(1, "Zed", 1, 4), svc(2, "Abe", 1), svc(3, "Old", 1, status="archived"), forum(4, "F", stages=(2,))])
    cov = A.stage_coverage(s)
    assert [c["stage"] for c in cov] == list(range(1, 8))
    assert cov[0] == {"stage": 1, "label": "1. Prevention", "count": 2, "service_ids": [2, 1]}
    assert cov[1]["count"] == 0 and cov[3]["service_ids"] == [1]


# --- bad inputs -------------------------------------------------------------------------------

BAD = {
    "empty": snap([]),
    "single": snap([svc(1, "Only", 4)]),
    "no links": snap([svc(1, "A", 1), forum(2, "F"), researcher(3, "R")]),
    "dangling": snap([svc(1, "A", 4), svc(2, "B", status="archived")],
                     [ln("refers_to", 1, 2), ln("refers_to", 3, 1), ln("refers_to", 1, 1), ln("co_located", 5, 6)],
                     [BarrierItem(1, 77, "funding", 2), BarrierItem(2, 1, "made_up", 9)]),
    "multi": snap([svc(1, "A", 4), svc(2, "B", 5), ActorNode(3, "service", "", stages=(0, 9))],
                  [ln("co_located", 1, 2), ln("co_located", 2, 1), ln("case_conferences", 1, 2),
                   ln("refers_to", 1, 2), ln("refers_to", 1, 2), ln("made_up_kind", 2, 3)]),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_never_raises_on_bad_input(name):
    s = BAD[name]
    found = A.find_all(s, TODAY)
    json.dumps([f.to_dict() for f in found])
    for fn in (A.missing_stages, A.thin_stages, A.broken_handoffs, A.dead_ends, A.isolated_actors,
               A.outside_forums, A.fragile_ties, A.brokers, A.fragmentation, A.barrier_groups):
        fn(s)
    A.stale_records(s, TODAY)
    A.stale_links(s, TODAY)
    json.dumps(A.metrics(s))
    assert len(A.stage_coverage(s)) == 7


def test_dangling_links_are_ignored():
    s = BAD["dangling"]
    assert A.metrics(s)["links"] == 0
    assert [f.actor_ids for f in A.isolated_actors(s)] == [(1,)]
    assert [f.actor_ids for f in A.barrier_groups(s)] == [(1,)]


def test_prepare_shares_the_work():
    net = A.prepare(bowtie())
    assert A.prepare(net) is net
    assert A.find_all(net, TODAY) == A.find_all(bowtie(), TODAY)
