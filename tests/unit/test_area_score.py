"""An area's score (directory/analysis/scores.py) on hand-built areas: each part worked out by hand, and a
property test that a new service which links in and joins a forum never lowers the score or any part."""
from __future__ import annotations

import random

import pytest

from directory import analysis as A
from directory import vocab
from directory.snapshot import Snapshot
from tests.unit.test_analysis import forum, ln, researcher, snap, svc


def parts(snapshot) -> dict[str, tuple[int, int]]:
    """Each part's (count, total), by key."""
    return {p.key: (p.count, p.total) for p in A.area_score(snapshot).parts}


def with_outside(actors, links, outside):
    """A snapshot whose actors in `outside` are the far ends of links leaving the area."""
    s = snap(actors, links)
    return Snapshot(s.actors, s.links, [], s.area, outside=frozenset(outside), area_names={2: "Elsewhere"})


ROUTES = len(vocab.EXPECTED_ROUTES)  # 9: the denominator of the handoffs part


# --- each part, by hand -----------------------------------------------------------------------

def test_an_empty_area_scores_zero_with_every_part_counted():
    score = A.area_score(snap([]))
    assert score.score == 0.0
    assert [(p.key, p.count, p.total, p.share) for p in score.parts] == [
        ("stages", 0, 7, 0.0), ("routes", 0, ROUTES, 0.0), ("forums", 0, 0, 0.0), ("linked", 0, 0, 0.0)]
    assert [p.label for p in score.parts] == ["Stages covered", "Expected handoffs present",
                                             "Services in a forum", "Services not isolated"]
    assert all(p.explanation for p in score.parts)
    assert score.stages.text == "0 of 7" and score.parts == (score.stages, score.routes, score.forums, score.linked)


def test_stages_covered_counts_stages_with_an_active_service():
    # Active services at 1, 2+3 and 3: stages 1, 2, 3. The archived one at 5, the pending one at 6 and the
    # forum do not count: 3 of 7.
    s = snap([svc(1, "A", 1), svc(2, "B", 2, 3), svc(3, "C", 3), svc(4, "D", 5, status="archived"),
              svc(5, "E", 6, status="pending"), forum(6, "F")])
    assert parts(s)["stages"] == (3, 7)
    assert A.area_score(s).stages.percent == 43  # 3 / 7 = 42.9 %


def test_expected_handoffs_need_a_confirmed_pathway_link_to_another_service_at_the_far_stage():
    hf = svc(5, "Housing First Team", 7, service_types=("housing_first",))
    s = snap([svc(1, "Assess", 3), svc(2, "Hostel", 4), svc(3, "Supported", 5), svc(4, "Floating Support", 7),
              hf, svc(6, "Both", 4, 5), svc(7, "Move-on", 6)],
             [ln("refers_to", 1, 2),                        # 3 -> 4: present
              ln("refers_to", 1, 4),                        # 3 -> 7 but not Housing First: not the 3-7 route
              ln("duty_to_refer", 1, 5),                    # 3 -> 7 Housing First: present
              ln("refers_to", 1, 3, status="proposed"),     # 3 -> 5 only proposed: absent
              ln("trains", 2, 3),                           # 4 -> 5 by a learning link: absent
              ln("moves_on_to", 2, 6),                      # 4 -> 5 (Both is at 5): present
              ln("co_located", 6, 7),                       # 4/5 -> 6 by a joint link: absent
              ln("refers_to", 7, 4)])                       # 6 -> 7: present
    # Present: 3-4, 3-7 Housing First, 4-5, 6-7 = 4 of 9. A link from Both (4 and 5) to itself would not
    # count (Network drops such links).
    assert parts(s)["routes"] == (4, ROUTES)


def test_a_handoff_to_a_service_in_another_area_counts_but_not_one_from_it():
    # Area: Assess (3), Supported (5). Outside: Hostel (4), Advice (1). Assess refers to the outside
    # hostel: 3-4 present. The outside advice service refers to Assess: 1-3 starts outside, absent.
    s = with_outside([svc(1, "Assess", 3), svc(2, "Supported", 5), svc(3, "Hostel", 4, area=2),
                      svc(4, "Advice", 1, area=2)],
                     [ln("refers_to", 1, 3), ln("refers_to", 4, 1)], outside={3, 4})
    assert parts(s)["routes"] == (1, ROUTES)
    assert parts(s)["stages"] == (2, 7)  # the outside hostel does not cover stage 4 for the area


def test_services_in_a_forum_count_confirmed_membership_of_an_active_forum_here_or_elsewhere():
    s = with_outside(
        [svc(1, "Member", 1), svc(2, "Chair", 2), svc(3, "Away Member", 3), svc(4, "Proposed", 4),
         svc(5, "Closed Forum Member", 5), svc(6, "Trainer", 6), forum(7, "Local Forum"),
         forum(8, "Far Forum", area=2), forum(9, "Closed Forum", status="archived")],
        [ln("member_of", 1, 7), ln("chairs", 2, 7), ln("member_of", 3, 8), ln("member_of", 4, 7, status="proposed"),
         ln("member_of", 5, 9), ln("trains", 6, 7)],
        outside={8})
    # Member, Chair and Away Member (its forum is in another area) are in a forum: 3 of the 6 services.
    assert parts(s)["forums"] == (3, 6)


def test_services_not_isolated_count_any_confirmed_link_in_their_whole_network():
    s = with_outside(
        [svc(1, "Linked Here", 1), svc(2, "Partner", 2), svc(3, "Linked Away", 3), svc(4, "Proposed Only", 4),
         svc(5, "Linked To Closed", 5), svc(6, "Studied", 6), svc(7, "Away", 1, area=2),
         svc(8, "Closed", 1, status="archived"), researcher(9, "Dr R")],
        [ln("refers_to", 1, 2), ln("refers_to", 3, 7), ln("refers_to", 4, 2, status="proposed"),
         ln("refers_to", 5, 8), ln("evaluates", 9, 6)],
        outside={7})
    # Linked: Linked Here, Partner, Linked Away (to a service elsewhere), Studied (by a researcher) = 4 of 6.
    assert parts(s)["linked"] == (4, 6)


def test_the_score_is_the_mean_of_the_four_shares():
    # Stage 3 and 4 services, linked 3 -> 4, both in a forum; a stage 4 service alone.
    s = snap([svc(1, "Assess", 3), svc(2, "Hostel", 4), svc(3, "Alone", 4), forum(4, "Forum")],
             [ln("refers_to", 1, 2), ln("member_of", 1, 4), ln("member_of", 2, 4)])
    # stages 2/7, routes 1/9 (3-4), forums 2/3, linked 2/3:
    # (0.285714 + 0.111111 + 0.666667 + 0.666667) / 4 * 100 = 43.25 -> 43.3 (rounded to one decimal).
    score = A.area_score(s)
    assert parts(s) == {"stages": (2, 7), "routes": (1, ROUTES), "forums": (2, 3), "linked": (2, 3)}
    assert score.score == 43.3
    assert score.to_dict()["parts"][0] == {"key": "stages", "label": "Stages covered", "count": 2, "total": 7,
                                           "share": 2 / 7}


def test_a_complete_joined_up_area_scores_100():
    # One service per stage, each route's far end linked from its first stage, every service in the forum.
    stages = {k: svc(k, f"Stage {k}", k) for k in range(1, 8)}
    hf = svc(8, "Housing First", 7, service_types=("housing_first",))
    links = [ln("refers_to", r.from_stage, 8 if r.to_service_types else r.to_stage) for r in vocab.EXPECTED_ROUTES]
    links += [ln("member_of", i, 9) for i in range(1, 9)]
    s = snap([*stages.values(), hf, forum(9, "Forum")], links)
    assert A.area_score(s).score == 100.0


# --- adding a service that joins in never lowers the score -----------------------------------------

KINDS = vocab.LINK_KINDS.keys()
PATHWAY = sorted(vocab.PATHWAY_LINK_KINDS)
GROUPS = vocab.CLIENT_GROUPS.keys()
TYPES = vocab.SERVICE_TYPES.keys()


def _random_service(rnd, i, area=1, status="active"):
    return svc(i, f"S{i}", *sorted(rnd.sample(range(1, 8), rnd.randint(0, 3))), area=area, status=status,
               client_groups=tuple(rnd.sample(GROUPS, rnd.randint(0, 2))),
               service_types=tuple(rnd.sample(TYPES, rnd.randint(0, 2))))


def _random_actor(rnd, i, area):
    status = rnd.choices(["active", "archived", "pending"], [8, 1, 1])[0]
    kind = rnd.choices(["service", "forum", "researcher"], [8, 2, 1])[0]
    if kind == "service":
        return _random_service(rnd, i, area, status)
    if kind == "forum":
        return forum(i, f"F{i}", area=area, status=status)
    return researcher(i, f"R{i}", status=status)


def random_area(rnd) -> Snapshot:
    """Up to 30 actors of the area and up to 5 outside it, with links of random kinds and statuses."""
    here = [_random_actor(rnd, i, 1) for i in range(1, rnd.randint(0, 30) + 1)]
    away = [_random_actor(rnd, 100 + i, 2) for i in range(rnd.randint(0, 5))]
    everyone = [a.id for a in here + away]
    links = []
    for _ in range(rnd.randint(0, 3 * len(everyone)) if everyone else 0):
        s, t = rnd.choice(everyone), rnd.choice(everyone)
        links.append(ln(rnd.choice(KINDS), s, t, status=rnd.choices(
            ["confirmed", "proposed", "declined", "ended"], [6, 2, 1, 1])[0]))
    return with_outside(here + away, links, {a.id for a in away})


def add_joining_service(rnd, before: Snapshot) -> Snapshot:
    """The area with one more active service: random stages, confirmed pathway links (either way) with
    1 to 3 of the area's active services (when it has any), and confirmed membership of a forum of the
    area (a new forum when the area has none)."""
    net = A.prepare(before)
    new_id = max(before.actors, default=0) + 1000
    new = _random_service(rnd, new_id)
    actors, links = dict(before.actors), list(before.links)
    actors[new_id] = new
    for other in rnd.sample(net.all_services, min(len(net.all_services), rnd.randint(1, 3))):
        pair = (new_id, other) if rnd.random() < 0.5 else (other, new_id)
        links.append(ln(rnd.choice(PATHWAY), *pair))
    forums = [i for i in net.ordered if net.actors[i].kind == "forum"]
    if forums:
        joined = rnd.choice(forums)
    else:
        joined = new_id + 1
        actors[joined] = forum(joined, "New Forum")
    links.append(ln(rnd.choice(sorted(vocab.MEMBERSHIP_LINK_KINDS)), new_id, joined))
    return Snapshot(actors, links, [], before.area, outside=before.outside, area_names=before.area_names)


@pytest.mark.parametrize("seed", range(12))
def test_a_service_that_links_in_and_joins_a_forum_never_lowers_the_score(seed):
    rnd = random.Random(seed)
    for case in range(25):  # 12 seeds x 25 cases = 300 random areas
        before = random_area(rnd)
        after = add_joining_service(rnd, before)
        old, new = A.area_score(before), A.area_score(after)
        where = f"seed {seed}, case {case}"
        assert new.score >= old.score, where
        for was, now in zip(old.parts, new.parts):
            assert now.share >= was.share, (where, was, now)
            assert now.count >= was.count, (where, was, now)
        assert new.forums.total == old.forums.total + 1 and new.linked.total == old.linked.total + 1, where
        # The handoffs part agrees with the broken-handoff finder's reading of each route.
        for snapshot, scored in ((before, old), (after, new)):
            assert scored.routes.count == sum(r["present"] for r in A.pathway.handoff_routes(snapshot)), where
