"""The pathway diagram's layout as a plain function: snapshot in, positions and paths out (issue 12).

Snapshots are built by hand; each right answer is worked out by hand in its test."""
from __future__ import annotations

import random
import re

from directory import vocab
from directory.diagrams import layout_pathway, summary
from directory.diagrams.pathway import COL_W, GAP, PAD
from directory.snapshot import Snapshot
from tests.unit.test_analysis import forum, ln, snap, svc


def col_x(stage):
    return PAD + (stage - 1) * (COL_W + GAP)


def node(d, actor_id):
    return next(n for n in d.nodes if n.actor_id == actor_id)


def overlaps(a, b) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def test_each_service_sits_in_its_stage_column_and_a_run_of_stages_is_one_wide_box():
    # Advice (1), Outreach (2), Hub (3), Hostel (4 and 5: one box across both columns), Lettings (6),
    # Tenancy (7). The forum is not a service: not drawn.
    d = layout_pathway(snap([svc(1, "Advice", 1), svc(2, "Outreach", 2), svc(3, "Hub", 3), svc(4, "Hostel", 4, 5),
                             svc(5, "Lettings", 6), svc(6, "Tenancy", 7), forum(7, "Forum")]))
    assert [c.stage for c in d.columns] == [1, 2, 3, 4, 5, 6, 7]
    assert [c.x for c in d.columns] == [col_x(k) for k in range(1, 8)]
    assert sorted(n.actor_id for n in d.nodes) == [1, 2, 3, 4, 5, 6]
    for i, stage in ((1, 1), (2, 2), (3, 3), (5, 6), (6, 7)):
        n = node(d, i)
        assert (n.x, n.w, n.first, n.last) == (col_x(stage), COL_W, stage, stage)
    hostel = node(d, 4)
    assert (hostel.x, hostel.first, hostel.last) == (col_x(4), 4, 5)
    assert hostel.w == 2 * COL_W + GAP  # its right edge is stage 5's right edge
    assert d.marks == [] and d.outside == [] and d.band_y is None
    assert all(c.state == "thin" for c in d.columns if c.stage != 5)  # one service each
    assert next(c for c in d.columns if c.stage == 5).services == (4,)


def test_a_service_at_stages_apart_has_one_box_and_a_mark_in_the_later_column():
    # Advice works at 2, 3 and 6: a box across 2-3, and an "also here" mark in column 6 pointing back to 2.
    d = layout_pathway(snap([svc(1, "Advice", 2, 3, 6), svc(2, "Other", 6)]))
    assert [(n.actor_id, n.first, n.last) for n in d.nodes] == [(1, 2, 3), (2, 6, 6)]
    (mark,) = d.marks
    assert (mark.actor_id, mark.x, mark.stages, mark.home) == (1, col_x(6), (6,), 2)
    assert not overlaps(mark, node(d, 2))


def test_missing_stages_thin_stages_and_dead_ends_are_the_analysis_own():
    # Hub (3) refers to Shelter (4); Shelter passes nobody on: a dead end (it receives, has no route on).
    # Stages 1, 2, 5, 6 and 7 have no service; 3 and 4 have one each.
    d = layout_pathway(snap([svc(1, "Hub", 3), svc(2, "Shelter", 4)], [ln("refers_to", 1, 2)]))
    states = {c.stage: c.state for c in d.columns}
    assert states == {1: "missing", 2: "missing", 3: "thin", 4: "thin", 5: "missing", 6: "missing", 7: "missing"}
    assert next(c for c in d.columns if c.stage == 6).reason.startswith("No active service in this network works at")
    assert node(d, 2).dead_end and node(d, 2).note == "Dead end" and not node(d, 1).dead_end
    assert "dead end" in node(d, 2).description
    words = summary(d)
    assert "No service at stages 1, 2, 5, 6 and 7." in words and "1 dead end: Shelter." in words


def test_links_are_bundled_per_pair_of_stages_with_their_count():
    # A (1), B (2), C (3), D (3), E (4, 5), F (7). Pathway links: A->C, A->D (bundle 1->3, two links),
    # B->C (2->3), C->E and D->E (3->4: E's nearest stage after 3), C->D (same stage: "within 3"), F->A (7->1,
    # backward), and E->F (4 and 5 -> 7: the nearest forward pair is 5->7). A membership link and a proposed
    # referral are not pathway bundles.
    links = {"1-3": [ln("refers_to", 1, 3), ln("duty_to_refer", 1, 4)], "2-3": [ln("refers_to", 2, 3)],
             "3-4": [ln("refers_to", 3, 5), ln("moves_on_to", 4, 5)], "3-3": [ln("refers_to", 3, 4)],
             "7-1": [ln("refers_to", 6, 1)], "5-7": [ln("moves_on_to", 5, 6)]}
    others = [ln("member_of", 1, 9), ln("refers_to", 2, 6, status="proposed")]
    actors = [svc(1, "A", 1), svc(2, "B", 2), svc(3, "C", 3), svc(4, "D", 3), svc(5, "E", 4, 5), svc(6, "F", 7),
              forum(9, "Forum")]
    d = layout_pathway(snap(actors, [l for ls in links.values() for l in ls] + others))
    got = {f"{a.from_stage}-{a.to_stage}": (a.kind, sorted(a.link_ids)) for a in d.bundles}
    assert got == {k: ({"3-3": "within", "7-1": "back"}.get(k, "forward"), sorted(l.id for l in ls))
                   for k, ls in links.items()}
    for a in d.bundles:
        assert a.count == len(a.link_ids) and a.label.endswith(str(a.count)) or a.label == f"↻ {a.count} within"
    assert d.links == 8 == sum(len(ls) for ls in links.values())
    # an arrow runs from its first stage's column to its second's, and a forward one curves above the headers
    a13 = next(a for a in d.bundles if (a.from_stage, a.to_stage) == (1, 3))
    x1, y1, *_, x2, y2 = map(float, re.findall(r"-?\d+(?:\.\d+)?", a13.path))
    assert col_x(1) < x1 < col_x(1) + COL_W and col_x(3) < x2 < col_x(3) + COL_W
    assert y1 == y2 == d.header_y and a13.label_y < d.header_y


def test_a_missing_expected_handoff_is_a_broken_arrow_with_its_route():
    # Outreach (2) and Hub (3) with no link: route 2->3 applies and is missing. Prevention (1) -> Hub closes
    # 1->3. No 1->2 route is expected, so no broken arrow there.
    d = layout_pathway(snap([svc(1, "Prevention", 1), svc(2, "Outreach", 2), svc(3, "Hub", 3)],
                            [ln("refers_to", 1, 3)]))
    assert [(a.from_stage, a.to_stage, a.route_key, a.count) for a in d.broken] == [(2, 3, "2-3", 0)]
    route = next(r for r in vocab.EXPECTED_ROUTES if r.key == "2-3")
    assert route.why in d.broken[0].title and d.broken[0].label == "✕ missing"
    assert "1 expected handoff missing: stage 2 to 3." in summary(d)


def test_read_for_a_client_group_the_diagram_keeps_only_its_services():
    # Foyer (4) takes young people only; Women's Refuge (4) women only; Hub (3) takes anyone. For young people:
    # Hub and Foyer are drawn, the refuge is not; 3->4 is there through Hub -> Foyer.
    actors = [svc(1, "Hub", 3), svc(2, "Foyer", 4, client_groups=("young_people",)),
              svc(3, "Women's Refuge", 4, client_groups=("women",))]
    d = layout_pathway(snap(actors, [ln("refers_to", 1, 2), ln("refers_to", 1, 3)]), "young_people")
    assert d.client_group == "young_people"
    assert sorted(n.actor_id for n in d.nodes) == [1, 2]
    assert [(a.from_stage, a.to_stage, a.count) for a in d.bundles] == [(3, 4, 1)]


def test_partners_out_of_area_stand_in_the_band_below_the_columns():
    # Hub (3) in Testshire refers to Night Shelter (4) in Awayshire: the shelter is in the out-of-area band,
    # in column 4, named with its area; it is not a box of the area's own.
    actors = [svc(1, "Hub", 3), svc(9, "Night Shelter", 4, area=2, area_ids=frozenset({2}))]
    s = Snapshot({a.id: a for a in actors}, [ln("refers_to", 1, 9)], outside=frozenset({9}),
                 area_names={2: "Awayshire"})
    d = layout_pathway(s)
    assert [n.actor_id for n in d.nodes] == [1]
    (far,) = d.outside
    assert (far.actor_id, far.x, far.outside, far.note) == (9, col_x(4), "Awayshire", "1 link with this area")
    assert far.y > d.band_y > max(n.y + n.h for n in d.nodes)
    assert next(c for c in d.columns if c.stage == 4).state == "missing"  # out of area does not fill the stage


def test_a_service_with_no_stage_is_listed_not_drawn():
    d = layout_pathway(snap([svc(1, "Hub", 3), svc(2, "Commissioners")]))
    assert [n.actor_id for n in d.nodes] == [1] and d.no_stage == [(2, "Commissioners")]


def _big_area(rnd, n=200):
    """n services at random stages (a run, or stages apart), with random pathway links among them."""
    actors = []
    for i in range(1, n + 1):
        first = rnd.randint(1, 7)
        stages = {first, *range(first, min(7, first + rnd.choice([0, 0, 0, 1, 2])) + 1)}
        if rnd.random() < 0.1:
            stages.add(rnd.randint(1, 7))
        name = " ".join(rnd.choice(["Soarbridge", "Housing", "Advice", "Night", "Shelter", "Support",
                                    "Community Mental Health Team", "X" * 40]) for _ in range(rnd.randint(1, 5)))
        actors.append(svc(i, name, *sorted(stages)))
    links = [ln(rnd.choice(["refers_to", "moves_on_to", "duty_to_refer"]), rnd.randint(1, n), rnd.randint(1, n))
             for _ in range(4 * n)]
    return snap(actors, links)


def test_two_hundred_services_no_two_boxes_overlap_and_every_bundle_counts_its_links():
    rnd = random.Random(12)
    s = _big_area(rnd)
    d = layout_pathway(s)
    assert len(d.nodes) == 200
    boxes = d.nodes + d.marks
    for n, a in enumerate(boxes):
        for b in boxes[n + 1:]:
            assert not overlaps(a, b), (a, b)
    for n in d.nodes:  # in its stage column, inside the picture
        assert n.x == col_x(n.stages[0]) and n.first == n.stages[0] and n.y + n.h <= d.height
        assert all(len(line) <= 16 for line in n.lines) and "".join(n.lines).replace(" ", "") == n.name.replace(" ", "")
    # every confirmed pathway link between two different services is in exactly one bundle
    expected = sorted(l.id for l in s.links if l.source_id != l.target_id)
    assert sorted(i for a in d.bundles for i in a.link_ids) == expected
    assert all(a.count == len(set(a.link_ids)) for a in d.bundles)
    # arrows' labels do not sit on each other
    labels = [(a.label_x, a.label_y) for a in d.arrows if a.kind != "within"]
    for n, (x, y) in enumerate(labels):
        for x2, y2 in labels[n + 1:]:
            assert abs(x - x2) >= 60 or abs(y - y2) >= 18
