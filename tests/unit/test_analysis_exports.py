"""CSV and JSON exports, grouping, map gap markers and the national split/ranking, on hand-built data."""
import csv
import io
import json
import random
from datetime import date, timedelta

import networkx as nx
import pytest

from directory import analysis as A
from directory.analysis_views import exports
from directory.analysis_views.views import analyse_area, inactive_links, top_actors
from directory.pagination import paginate_list
from directory.snapshot import ActorNode, BarrierItem, LinkEdge, Snapshot

TODAY = date(2025, 6, 1)
FRESH = TODAY - timedelta(days=5)


def svc(i, name, *stages, area=1, areas=(), status="active"):
    return ActorNode(i, "service", name, status=status, area_id=area, area_ids=frozenset(areas),
                     stages=tuple(stages), verified_at=FRESH)


def ln(i, s, t, kind="refers_to", status="confirmed"):
    return LinkEdge(i, kind, s, t, status=status, last_confirmed=FRESH)


def snap(actors, links=(), barriers=()):
    return Snapshot({a.id: a for a in actors}, list(links), list(barriers))


# --- CSV ---------------------------------------------------------------------------------

def test_safe_cell_defuses_formula_starts_only():
    assert exports.safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert exports.safe_cell("+44 20") == "'+44 20"
    assert exports.safe_cell("-1") == "'-1"
    assert exports.safe_cell("@cmd") == "'@cmd"
    assert exports.safe_cell("\tx") == "'\tx"
    assert exports.safe_cell("Plain = fine") == "Plain = fine"
    assert exports.safe_cell("") == "" and exports.safe_cell(None) == ""
    assert exports.safe_cell(3) == "3"


def test_findings_csv_one_row_per_finding_with_names_and_stages():
    findings = [A.Finding("broken_handoff", "high", "No handoff", "Because, \"quoted\"", (1, 2), (2, 3), "Agree"),
                A.Finding("isolated", "medium", "=Evil has no links", "-reason", (3,), (), "@step")]
    names = {1: "Alpha", 2: "Beta", 3: "=Evil"}
    rows = list(csv.reader(io.StringIO(exports.findings_csv(findings, names))))
    assert rows[0] == ["kind", "severity", "title", "reason", "stages", "actor ids", "actor names", "next step"]
    assert rows[1] == ["Broken handoff", "High", "No handoff", 'Because, "quoted"', "2; 3", "1; 2",
                       "Alpha; Beta", "Agree"]
    assert rows[2] == ["Isolated actor", "Medium", "'=Evil has no links", "'-reason", "", "3", "'=Evil", "'@step"]
    assert len(rows) == 3


def test_findings_csv_names_unknown_actors_by_id():
    rows = list(csv.reader(io.StringIO(exports.findings_csv([A.Finding("isolated", "low", "T", "R", (9,))], {}))))
    assert rows[1][6] == "#9"


def test_analysis_json_is_plain_data_that_round_trips():
    s = snap([svc(1, "A", 1), svc(2, "B", 2), svc(3, "C", 3, status="archived")],
             [ln(10, 1, 2), ln(11, 2, 1, status="proposed"), ln(12, 2, 3)])
    findings = A.find_all(s, TODAY)
    body = exports.analysis_json({"name": "X", "slug": "x"}, analyse_area(s, TODAY))
    data = json.loads(body)
    # The proposed link and the link to the archived record are left out, each with why.
    assert [(l["id"], l["reason"]) for l in data["links_left_out"]] == [(11, "proposed"), (12, "inactive")]
    assert data["links_out_of_area"] == [] and data["actors_outside_area"] == []
    assert data["analysed_on"] == "2025-06-01"
    assert [f["kind"] for f in data["findings"]] == [f.kind for f in findings]
    assert [a["id"] for a in data["metrics"]["actors"]] == [1, 2]
    assert data["metrics"]["actors"][0]["out_degree"] == 1 and data["metrics"]["links"] == 1
    assert [c["count"] for c in data["coverage"]] == [1, 1, 0, 0, 0, 0, 0]


def test_analysis_json_names_the_links_that_leave_the_area():
    # B (area 1) refers to Far (area 2, outside): counted, and listed with where Far is.
    s = Snapshot({1: svc(1, "B", 2), 9: svc(9, "Far", 3, area=2)}, [ln(10, 1, 9)], [], outside=frozenset({9}),
                 area_names={2: "Awayshire"})
    data = exports.analysis_data({"name": "X", "slug": "x"}, analyse_area(s, TODAY))
    assert data["actors_outside_area"] == [{"id": 9, "name": "Far (out of area: Awayshire)"}]
    assert data["links_out_of_area"] == [{"id": 10, "kind": "refers_to", "source_id": 1, "target_id": 9,
                                          "outside_id": 9, "outside_name": "Far",
                                          "outside_where": "out of area: Awayshire"}]
    assert data["links_left_out"] == []
    # An area whose name ends in a bracket keeps it (where's brackets are not stripped from the name).
    s = Snapshot({1: svc(1, "B", 2), 9: svc(9, "Far", 3, area=2)}, [ln(10, 1, 9)], [], outside=frozenset({9}),
                 area_names={2: "Bristol (City of)"})
    data = exports.analysis_data({"name": "X", "slug": "x"}, analyse_area(s, TODAY))
    assert data["links_out_of_area"][0]["outside_where"] == "out of area: Bristol (City of)"
    assert data["actors_outside_area"] == [{"id": 9, "name": "Far (out of area: Bristol (City of))"}]


# --- grouping, markers, view helpers ------------------------------------------------------

def test_group_by_kind_orders_groups_by_worst_severity_or_by_kind():
    f = A.Finding
    findings = [f("missing_stage", "high", "m", ""), f("thin_stage", "medium", "t", ""),
                f("barriers", "low", "b1", ""), f("barriers", "high", "b2", ""), f("stale_record", "low", "s", "")]
    by_sev = A.group_by_kind(findings, "severity")
    assert [k for k, _ in by_sev] == ["missing_stage", "barriers", "thin_stage", "stale_record"]
    assert [x.title for x in dict(by_sev)["barriers"]] == ["b2", "b1"]  # worst first inside a group
    by_kind = A.group_by_kind(findings, "kind")
    assert [k for k, _ in by_kind] == ["missing_stage", "thin_stage", "barriers", "stale_record"]
    assert A.group_by_kind([], "kind") == []


def test_severity_counts_always_has_every_severity():
    assert A.severity_counts([]) == {"high": 0, "medium": 0, "low": 0}
    assert A.severity_counts([A.Finding("isolated", "medium", "", "")] * 2)["medium"] == 2


def test_gap_markers_label_the_actor_each_finding_is_about():
    # 1 -> 2 -> 3 pathway; 2 is a broker; 3 (stage 4) receives but passes nobody on; 4 is alone.
    s = snap([svc(1, "Advice", 1), svc(2, "Hub", 3), svc(3, "Hostel", 4), svc(4, "Veterans", 1),
              ActorNode(5, "forum", "Forum", area_id=1, verified_at=FRESH)],
             [ln(10, 1, 2), ln(11, 2, 3), ln(12, 1, 5, "member_of")])
    markers = A.gap_markers(A.find_all(s, TODAY))
    # An isolated service is always outside the forums too (membership is a link): one finding, one label.
    assert markers[4] == ["Isolated"]
    assert markers[3] == ["Outside the forums", "Dead end"]
    assert markers[2] == ["Outside the forums", "Broker"]
    assert markers[1] == ["Broker"]  # 1 joins forum 5 to the rest
    assert 5 not in markers  # the forum itself is not marked
    assert A.gap_markers([]) == {}


def test_inactive_links_counts_confirmed_links_to_archived_or_pending_records():
    s = snap([svc(1, "A", 1), svc(2, "B", 1, status="archived"), svc(3, "C", 1, status="pending")],
             [ln(10, 1, 2), ln(11, 3, 1), ln(12, 1, 2, status="proposed"), ln(13, 1, 1)])
    assert inactive_links(s) == 2
    assert inactive_links(snap([])) == 0


def test_top_actors_highest_first_then_by_name_zeroes_left_out():
    m = {"actors": {1: {"name": "b", "in_degree": 2}, 2: {"name": "A", "in_degree": 2},
                    3: {"name": "c", "in_degree": 5}, 4: {"name": "d", "in_degree": 0}}}
    assert [r["id"] for r in top_actors(m, "in_degree")] == [3, 2, 1]
    assert [r["id"] for r in top_actors(m, "in_degree", limit=1)] == [3]


def test_paginate_list_pages_and_past_the_end():
    p = paginate_list(list(range(7)), 2, 3)
    assert p.items == [3, 4, 5] and p.pages == 3 and p.has_prev and p.has_next
    assert paginate_list(list(range(7)), 9, 3).items == []
    assert paginate_list(list(range(7)), -4, 3).page == 1
    assert paginate_list([], 1, 3).items == [] and paginate_list([], 1, 3).pages == 0


# --- the national split and ranking ---------------------------------------------------------

def national():
    actors = [
        svc(1, "North Advice", 1, area=1), svc(2, "North Hub", 2, area=1),
        svc(3, "Both Ways Outreach", 2, area=1, areas=(2,)),  # based in 1, also serves 2
        svc(4, "South Hostel", 4, area=2), svc(5, "South Gone", 5, area=2, status="archived"),
        svc(6, "Nowhere", 1, area=None),
    ]
    links = [ln(10, 1, 2), ln(11, 3, 4), ln(12, 1, 4), ln(13, 4, 5),
             LinkEdge(14, "trains", 2, 1, last_confirmed=TODAY - timedelta(days=800))]  # stale
    barriers = [BarrierItem(20, 4, "capacity_full", 4), BarrierItem(21, 3, "funding", None)]
    return snap(actors, links, barriers)


def test_split_by_area_gives_each_area_what_the_loader_would():
    parts = A.split_by_area(national(), [1, 2, 3], {1: "North", 2: "South", 3: "East"})
    # The area's own actors, then the far ends of links leaving it: 1 -> 4 and 3 -> 4 leave area 1 (3 also
    # serves area 2, so 3 -> 4 is inside area 2); 1 -> 4 leaves area 2 as well.
    assert sorted(parts[1].actors) == [1, 2, 3, 4] and parts[1].outside == {4}
    assert sorted(parts[2].actors) == [1, 3, 4, 5] and parts[2].outside == {1}
    assert parts[3].actors == {} and parts[3].links == [] and parts[3].outside == frozenset()
    assert [l.id for l in parts[1].links] == [10, 14, 11, 12]  # its own links, then those leaving it
    assert [l.id for l in parts[2].links] == [11, 13, 12]
    assert parts[1].area_names == {2: "South"} and parts[2].area_names == {1: "North"}
    # Barrier reports of the area's own actors only (not of the actors at the far ends).
    assert [b.id for b in parts[1].barriers] == [21] and [b.id for b in parts[2].barriers] == [20, 21]
    assert A.split_by_area(national(), [1])[1].area_names == {}  # no names given


def test_split_by_area_leaves_out_links_to_actors_not_in_the_snapshot():
    s = snap([svc(1, "A", 1), svc(2, "B", 2, area=2)], [ln(10, 1, 2), ln(11, 1, 99), ln(12, 98, 1)])
    parts = A.split_by_area(s, [1, 2])
    assert [l.id for l in parts[1].links] == [10] and parts[1].outside == {2}


def test_rank_areas_lowest_score_first_then_most_high_findings():
    ranked = A.rank_areas(national(), [1, 2, 3], TODAY)
    by_area = {g.area_id: g for g in ranked}
    # 3 is empty: score 0. Areas 1 and 2 both score (2/7 stages + 0 routes + 0 forums + all services
    # linked) / 4 = 32.1 and have 5 high findings each (5 missing stages): the given order decides.
    assert [g.area_id for g in ranked] == [3, 1, 2]
    assert [g.score for g in ranked] == [0.0, 32.1, 32.1]
    assert [g.rank_key for g in ranked] == sorted(g.rank_key for g in ranked)
    assert [(p.key, p.count, p.total) for p in by_area[1].parts] == [
        ("stages", 2, 7), ("routes", 0, 9), ("forums", 0, 3), ("linked", 3, 3)]
    assert by_area[3].missing_stages == (1, 2, 3, 4, 5, 6, 7) and by_area[3].high == 7 and by_area[3].actors == 0
    # Area 2: stages 2 and 4 (the archived stage-5 service does not count); its 2 active records (the
    # service it links to in area 1 is not its own).
    assert by_area[2].missing_stages == (1, 3, 5, 6, 7) and by_area[2].actors == 2
    # Area 1: stages 1 and 2, linked 1 -> 2, so only its missing stages are high.
    assert by_area[1].missing_stages == (3, 4, 5, 6, 7) and by_area[1].high == 5
    for area_id, part in A.split_by_area(national(), [1, 2, 3]).items():
        found = A.find_all(part, TODAY)
        counts = A.severity_counts(found)
        g = by_area[area_id]
        assert ("stale_link" in {f.kind for f in found}) == (area_id == 1)
        assert (g.high, g.medium, g.low) == (counts["high"], counts["medium"], counts["low"])
        assert (g.score, g.parts) == (A.area_score(part).score, A.area_score(part).parts)


def test_rank_areas_by_score_not_by_raw_findings():
    # Whole (area 1): a service at every stage, every expected route linked, all in a forum, but 40 more
    # services at stage 1 that link to nobody: stages 7/7, routes 9/9, forums 7/47, linked 7/47, score
    # (1 + 1 + 0.149 + 0.149) / 4 = 57.4, and no missing stage or broken handoff.
    hf = ActorNode(7, "service", "Stage 7", area_id=1, stages=(7,), service_types=("housing_first",),
                   verified_at=FRESH)
    whole = [svc(k, f"Stage {k}", k) for k in range(1, 7)] + [hf] + [svc(100 + n, f"Lone {n}", 1) for n in range(40)]
    whole += [ActorNode(50, "forum", "Whole Forum", area_id=1, verified_at=FRESH)]
    links = [ln(200 + n, r.from_stage, r.to_stage) for n, r in enumerate(A.vocab.EXPECTED_ROUTES)]
    links += [ln(300 + k, k, 50, kind="member_of") for k in range(1, 8)]
    # Small (area 2): assessment and a hostel, linked, both in a forum: stages 2/7, routes 1/9, forums and
    # linked 2/2, score (0.286 + 0.111 + 1 + 1) / 4 = 59.9, but 5 missing stages.
    small = [svc(60, "Assess", 3, area=2), svc(61, "Hostel", 4, area=2),
             ActorNode(62, "forum", "Small Forum", area_id=2, verified_at=FRESH)]
    links += [ln(400, 60, 61), ln(401, 60, 62, kind="member_of"), ln(402, 61, 62, kind="member_of")]
    ranked = A.rank_areas(snap(whole + small, links), [2, 1], TODAY)
    assert [(g.area_id, g.score) for g in ranked] == [(1, 57.4), (2, 59.9)]
    assert ranked[0].high < ranked[1].high and ranked[1].missing_stages == (1, 2, 5, 6, 7)


def test_rank_areas_ties_keep_the_given_order():
    ranked = A.rank_areas(snap([]), [30, 10, 20], TODAY)
    assert [g.area_id for g in ranked] == [30, 10, 20]


# --- betweenness --------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(12))
def test_betweenness_matches_networkx_exact_and_sampled(seed):
    rnd = random.Random(seed)
    n = rnd.randint(0, 40)
    g = nx.relabel_nodes(nx.gnm_random_graph(n, rnd.randint(0, 3 * n), seed=seed),
                         dict(zip(range(n), rnd.sample(range(1, 500), n))))
    adj, nodes = {v: set(g[v]) for v in g}, list(g)
    assert A.measures.betweenness(adj, nodes) == pytest.approx(nx.betweenness_centrality(g, normalized=True))
    if n > 4:
        k = n // 2
        assert A.measures.betweenness(adj, nodes, k) == pytest.approx(
            nx.betweenness_centrality(g, k=k, normalized=True, seed=0))


def test_betweenness_of_a_path_and_a_star():
    path = {1: {2}, 2: {1, 3}, 3: {2}}
    assert A.measures.betweenness(path, [1, 2, 3]) == {1: 0.0, 2: 1.0, 3: 0.0}
    star = {0: {1, 2, 3}, 1: {0}, 2: {0}, 3: {0}}
    assert A.measures.betweenness(star, [0, 1, 2, 3])[0] == 1.0
    assert A.measures.betweenness({}, []) == {} and A.measures.betweenness({1: set()}, [1]) == {1: 0.0}
