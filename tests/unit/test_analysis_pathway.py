"""The pathway side of issue 11: expected routes, client groups and next steps that name a partner.

Snapshots are built by hand; every right answer is worked out by hand in its test."""
from __future__ import annotations

from directory import analysis as A
from directory.snapshot import Snapshot
from tests.unit.test_analysis import TODAY, forum, ln, snap, svc


def stages_of(findings):
    return [f.stages for f in findings]


# --- broken handoffs follow the expected routes ------------------------------------------------

def test_one_to_two_gap_is_not_flagged_but_two_to_three_is():
    # Prevention (1) refers to the Hub (3): route 1->3 is there. Nobody links 1->2 (no expected route)
    # nor Outreach (2) -> Hub (3), so 2->3 is the only broken handoff.
    s = snap([svc(1, "Prevention", 1), svc(2, "Outreach", 2), svc(3, "Hub", 3)], [ln("refers_to", 1, 3)])
    found = A.broken_handoffs(s)
    assert stages_of(found) == [(2, 3)]
    f = found[0]
    assert f.severity == "high" and f.actor_ids == (2, 3)
    assert f.title == "No handoff from stage 2 (First contact and outreach) to stage 3 (Assessment and relief)"
    route = next(r for r in A.vocab.EXPECTED_ROUTES if r.key == "2-3")
    assert route.why in f.reason and "Outreach works at stage 2" in f.reason
    assert f.key == "broken_handoff::2-3:"


def test_housing_first_route_needs_a_housing_first_service():
    # Hub (3); at stage 7 Tenancy Support (tenancy sustainment) and Housing First Soarbridge (housing_first).
    # Lettings (6) -> Tenancy Support closes 6->7. Route 3->7 is only to Housing First: Hub -> Tenancy
    # Support does not close it, Hub -> Housing First does. Routes 3->4 and 3->5 have no far end.
    actors = [svc(1, "Hub", 3), svc(2, "Lettings", 6, service_types=("lettings_prs_access",)),
              svc(3, "Tenancy Support", 7, service_types=("tenancy_sustainment",)),
              svc(4, "Housing First Soarbridge", 7, service_types=("housing_first",))]
    links = [ln("refers_to", 2, 3), ln("refers_to", 1, 3)]
    found = A.broken_handoffs(snap(actors, links))
    assert stages_of(found) == [(3, 7)]
    f = found[0]
    assert f.severity == "medium" and f.actor_ids == (1, 4)
    assert f.title == "No handoff from stage 3 (Assessment and relief) to Housing First (stage 7)"
    assert "Housing First Soarbridge runs Housing First" in f.reason
    assert A.broken_handoffs(snap(actors, links + [ln("refers_to", 1, 4)])) == []
    # without a Housing First service the route does not apply at all
    assert A.broken_handoffs(snap(actors[:3], links)) == []


def awayshire(local_hostel: bool):
    # Hub (3) in Testshire refers people to Night Shelter (4) in Awayshire (area 2), out of area.
    actors = [svc(1, "Hub", 3), svc(9, "Night Shelter", 4, area=2, area_ids=frozenset({2}))]
    if local_hostel:
        actors.append(svc(2, "Local Hostel", 4))
    return Snapshot({a.id: a for a in actors}, [ln("refers_to", 1, 9)], outside=frozenset({9}),
                    area_names={2: "Awayshire"})


def test_an_out_of_area_referral_closes_a_route_and_is_named():
    # No stage-4 service in the area: stage 4 is missing (an in-area fact) but route 3->4 is there through
    # the Awayshire shelter, and the missing-stage reason says so.
    s = awayshire(local_hostel=False)
    assert A.broken_handoffs(s) == []
    missing = {f.stages: f for f in A.missing_stages(s)}
    assert "Hub refers people to Night Shelter (out of area: Awayshire)" in missing[(4,)].reason
    row = next(r for r in A.handoff_routes(s) if r["route"].key == "3-4")
    assert row["applies"] and row["present"] and row["links"] == [(1, 9)]
    assert row["out_of_area"] == ["Hub refers people to Night Shelter (out of area: Awayshire)"]
    # With a local hostel the Hub does not refer to, the out-of-area referral still closes 3->4.
    s = awayshire(local_hostel=True)
    assert A.broken_handoffs(s) == [] and 4 not in [f.stages[0] for f in A.missing_stages(s)]


# --- client groups ---------------------------------------------------------------------------

def groups_snapshot():
    # Youth Advice (1) and Youth Outreach (2) take young people; Street Team (2) and Night Shelter (4) take
    # anyone; Oak House (5) takes only women, Willow Court (5) only families; Old Youth Hostel is archived.
    return snap([svc(1, "Youth Advice", 1, client_groups=("young_people",)),
                 svc(2, "Youth Outreach", 2, client_groups=("young_people",)),
                 svc(3, "Street Team", 2), svc(4, "Night Shelter", 4),
                 svc(5, "Oak House", 5, client_groups=("women",)),
                 svc(6, "Willow Court", 5, client_groups=("families",)),
                 svc(7, "Old Youth Hostel", 5, status="archived", client_groups=("young_people",))])


def test_client_group_coverage_counts_unrestricted_services_for_every_group():
    # Groups listed, in the vocabulary's order: families, young people, women.
    # families: Willow Court + Street Team + Night Shelter -> stage 2: 1, 4: 1, 5: 1; 3 services.
    # young people: Youth Advice, Youth Outreach + the two unrestricted -> 1: 1, 2: 2, 4: 1; 4 services.
    # women: Oak House + the two unrestricted -> 2: 1, 4: 1, 5: 1; 3 services.
    rows = A.client_group_coverage(groups_snapshot())
    zero = {k: 0 for k in range(1, 8)}
    assert rows == [
        {"group": "families", "label": "Families with children", "counts": {**zero, 2: 1, 4: 1, 5: 1}, "services": 3},
        {"group": "young_people", "label": "Young people (16-25)", "counts": {**zero, 1: 1, 2: 2, 4: 1},
         "services": 4},
        {"group": "women", "label": "Women", "counts": {**zero, 2: 1, 4: 1, 5: 1}, "services": 3}]
    # stage coverage read for women: Street Team at 2, Night Shelter at 4, Oak House at 5
    cov = A.stage_coverage(groups_snapshot(), client_group="women")
    assert [c["count"] for c in cov] == [0, 1, 0, 1, 1, 0, 0]
    assert A.stage_coverage(A.prepare(groups_snapshot(), "women")) == cov


def test_client_group_gap_for_young_people_at_stage_five():
    # Young people: Night Shelter (unrestricted) takes them at 4; at 5 Oak House and Willow Court take
    # neither: one gap at stage 5. Women and families each have a place at 5 (their own service).
    found = A.client_group_gaps(groups_snapshot())
    assert len(found) == 1
    f = found[0]
    assert (f.kind, f.severity, f.client_group, f.stages, f.actor_ids) == (
        "client_group_gap", "medium", "young_people", (5,), (1, 2))
    assert f.title == "No supported accommodation (stage 5) for young people (16-25)"
    assert f.reason == (
        "0 of 2 services at stage 5 (Supported accommodation) take young people (16-25): Oak House takes only "
        "women; Willow Court takes only families with children. The 2 services that name young people (16-25) "
        "work at stages 1 and 2.")
    assert "Oak House and Willow Court" in f.next_step
    assert f.key == "client_group_gap:young_people:5:"
    # read for one client group, the whole pathway is already for that group: no such findings
    assert A.client_group_gaps(A.prepare(groups_snapshot(), "young_people")) == []


def test_restricted_stages():
    # Stage 1: Youth Advice alone, young people only. Stage 5: Oak House (women) and Willow Court (families).
    # Stage 2 has Street Team, which takes anyone; stage 4 Night Shelter, likewise.
    found = A.restricted_stages(groups_snapshot())
    assert [(f.stages, f.actor_ids) for f in found] == [((1,), (1,)), ((5,), (5, 6))]
    assert all(f.kind == "restricted_stage" and f.severity == "medium" for f in found)
    assert found[1].title == "Stage 5 (Supported accommodation) is open to families with children and women only"
    assert "Oak House takes only women; Willow Court takes only families with children" in found[1].reason
    assert A.restricted_stages(A.prepare(groups_snapshot(), "women")) == []
    kinds = {f.kind for f in A.find_all(groups_snapshot(), TODAY)}
    assert {"client_group_gap", "restricted_stage"} <= kinds


# --- next steps that name the right partner ------------------------------------------------------

def test_a_peer_organisation_is_never_offered_for_moving_people_on():
    # Hostel (4, direct access) receives from Outreach and passes nobody on. At stage 6: Elm Lettings
    # (lettings, a housing type) and Peer Network (peer organisation that also lists tenancy sustainment).
    hostel = svc(2, "Hostel", 4, service_types=("direct_access_hostel",))
    elm = svc(3, "Elm Lettings", 6, service_types=("lettings_prs_access",))
    peer = svc(4, "Peer Network", 6, service_types=("lived_experience_org", "tenancy_sustainment"))
    s = snap([svc(1, "Outreach", 2), hostel, elm, peer], [ln("refers_to", 1, 2)])
    dead = next(f for f in A.dead_ends(s) if f.actor_ids[0] == 2)
    # no groups, forums or points: Elm Lettings scores 1 (moving people on to housing), Peer Network 0
    assert [(a.how, a.link_kind, a.source_id, a.target_id) for a in dead.actions] == [
        ("link", "moves_on_to", 2, 3), ("link", "refers_to", 2, 4)]
    assert dead.actions[0].ask == (2, 3)
    # Elm Lettings also scores 1 as a housing service for moving people on
    assert dead.next_step == ("Agree a move-on route from Hostel to Elm Lettings and record it as a link "
                              "(a housing service)")
    assert not A.kind_fits("moves_on_to", hostel, peer)
    assert A.link_kind_for(hostel, peer, onward=True) == "refers_to"
    assert A.link_kind_for(hostel, elm, onward=True) == "moves_on_to"
    assert A.link_kind_for(elm, hostel, onward=True) == "refers_to"  # lettings is not accommodation


def test_a_closer_service_with_shared_client_groups_ranks_first():
    # Hub (3, young people, 52.0 N 1.0 W) has no route to stage 4. Near Hostel (young people) is 0.01 degrees
    # of latitude north: 1.1 km, so 2 (shared group) + 2 (within 2 km) = 4. Far Hostel takes anyone, is
    # 0.5 degrees north (55.6 km, no points) and shares the Forum with the Hub: 1. Women's Refuge takes only
    # women, no group in common with the Hub: never offered.
    hub = svc(1, "Hub", 3, client_groups=("young_people",), lat=52.0, lon=-1.0)
    near = svc(2, "Near Hostel", 4, client_groups=("young_people",), lat=52.01, lon=-1.0)
    far = svc(3, "Far Hostel", 4, lat=52.5, lon=-1.0)
    refuge = svc(4, "Women's Refuge", 4, client_groups=("women",), lat=52.0, lon=-1.0)
    s = snap([hub, near, far, refuge, forum(5, "Soarbridge Homelessness Forum")],
             [ln("member_of", 1, 5), ln("member_of", 3, 5)])
    f = next(f for f in A.broken_handoffs(s) if f.stages == (3, 4))
    assert [a.target_id for a in f.actions] == [2, 3]
    assert f.actions[0].reasons == ("both take young people (16-25)", "1.1 km apart")
    assert f.actions[1].reasons == ("both in Soarbridge Homelessness Forum", "55.6 km apart")
    assert f.next_step == ("Agree a referral route from Hub to Near Hostel and record it as a link "
                           "(both take young people (16-25); 1.1 km apart)")
    assert round(A.distance_km(hub, near), 2) == 1.11


def test_a_waiting_proposed_link_comes_first():
    # Outreach proposed a referral to the Hub, not yet confirmed: confirming it closes 2->3, and the Hub
    # (its target) must confirm. Then a new pair with the Advice Centre (the Hub is already proposed).
    actors = [svc(1, "Soarbridge Street Outreach Team", 2), svc(2, "Soarbridge Assessment Hub", 3),
              svc(3, "Advice Centre", 3)]
    waiting = ln("refers_to", 1, 2, status="proposed")
    f = A.broken_handoffs(snap(actors, [waiting]))[0]
    first = f.actions[0]
    assert (first.how, first.ask, first.link_id, first.link_kind) == ("confirm", (2,), waiting.id, "refers_to")
    assert f.next_step == ("Confirm the waiting referral route from Soarbridge Street Outreach Team to "
                           "Soarbridge Assessment Hub")
    assert [(a.how, a.target_id) for a in f.actions[1:]] == [("link", 3)]


def test_an_archived_far_end_gives_a_replace_action():
    # Outreach's confirmed referral goes to Old Hub, now archived, so 2->3 is broken (New Hub is at 3).
    # Outreach has lost its partner: it is asked to replace the route, then a new pair with New Hub.
    actors = [svc(1, "Outreach", 2), svc(2, "Old Hub", 3, status="archived"), svc(3, "New Hub", 3)]
    gone = ln("refers_to", 1, 2)
    f = A.broken_handoffs(snap(actors, [gone]))[0]
    assert f.stages == (2, 3)
    first = f.actions[0]
    assert (first.how, first.ask, first.link_id) == ("replace", (1,), gone.id)
    assert first.text == ("Replace the referral route from Outreach to Old Hub, which ended when Old Hub's record "
                          "was archived")
    assert [(a.how, a.ask) for a in f.actions[1:]] == [("link", (1, 3))]


def test_an_empty_stage_names_who_could_take_it_on_and_who_hands_people_on_to_it():
    # Stage 6 is empty. Next to it: at stage 7 Homes (social housing), Floating Support (tenancy sustainment)
    # and Cafe (substance use, not a housing service: left out); at stage 5 Oak House (supported housing).
    # Settled housing and tenancy support first (by name), then Oak House. Routes into 6 start at 4 and 5:
    # Hostel (4) and Oak House (5), already named, hand people on to it.
    actors = [svc(1, "Hostel", 4, service_types=("direct_access_hostel",)),
              svc(2, "Oak House", 5, service_types=("second_stage_supported",)),
              svc(3, "Floating Support", 7, service_types=("tenancy_sustainment",)),
              svc(4, "Homes", 7, service_types=("social_housing_provider",)),
              svc(5, "Cafe", 7, service_types=("substance_use",))]
    [six] = [f for f in A.missing_stages(snap(actors)) if f.stages == (6,)]
    [action] = six.actions
    assert action.how == "ask" and action.ask == (3, 4, 2, 1)
    assert action.text == ("Ask Floating Support, Homes and Oak House whether they could take on move-on and "
                           "rehousing (stage 6), and ask Hostel where people go from them now.")
    assert six.next_step == action.text


def test_no_move_on_reports_bear_on_the_empty_stage_they_should_hand_on_to():
    # Oak House (5) reports "no move-on" at stage 5: route 5 -> 6 leads to the empty stage 6, so the report
    # is evidence for it. Its "capacity full" at stage 5 is about stage 5 itself, not stage 6.
    from directory.snapshot import BarrierItem
    actors = [svc(1, "Oak House", 5, service_types=("second_stage_supported",)),
              svc(2, "Homes", 7, service_types=("social_housing_provider",))]
    reports = [BarrierItem(1, 1, "no_move_on", 5, "Residents wait a year."),
               BarrierItem(2, 1, "capacity_full", 5, "Full.")]
    found = A.find_all(snap(actors, barriers=reports), TODAY)
    [six] = [f for f in found if f.kind == "missing_stage" and f.stages == (6,)]
    assert six.evidence == (1,) and six.reason.endswith("Oak House reports: 'Residents wait a year.'")


def test_read_for_one_client_group_only_the_pathway_is_found_and_titles_say_for_whom():
    # Young people: Foyer (5, young people) and Drop-in (2, no groups: takes anyone); Hostel (4) takes only
    # single adults, so stage 4 is missing for young people, and 1, 3, 6 and 7 too; stages 2 and 5 have one
    # service each (thin); Foyer receives from Hostel and passes nobody on (a dead end). Drop-in has no
    # links: isolated for everyone, but that network finding is not read for a group.
    actors = [svc(1, "Drop-in", 2), svc(2, "Hostel", 4, client_groups=("single_adults",)),
              svc(3, "Foyer", 5, client_groups=("young_people",))]
    s = snap(actors, [ln("moves_on_to", 2, 3)])
    found = A.find_all(s, TODAY, client_group="young_people")
    assert sorted((f.kind, f.stages) for f in found) == sorted(
        [("missing_stage", (k,)) for k in (1, 3, 4, 6, 7)] + [("thin_stage", (2,)), ("thin_stage", (5,)),
                                                              ("dead_end", (5,))])
    assert [f.title for f in found if f.stages == (4,)] == [
        "No service at stage 4 (Emergency accommodation) for young people (16-25)"]
    assert all(f.client_group == "young_people" for f in found)
    assert "isolated" in {f.kind for f in A.find_all(s, TODAY)}


def test_without_partners_the_same_findings_name_no_partner_chosen_by_fit():
    # Outreach (2) and Hub (3), unlinked: a broken 2 -> 3 handoff whose action names the pair. Read without
    # partners (as the national ranking does), the same finding is found with no action.
    s = snap([svc(1, "Outreach", 2), svc(2, "Hub", 3)])
    with_partners = A.broken_handoffs(s)
    without = A.broken_handoffs(A.Network(s, partners=False))
    assert [(f.key, f.severity) for f in without] == [(f.key, f.severity) for f in with_partners] == [
        ("broken_handoff::2-3:", "high")]
    assert [a.how for a in with_partners[0].actions] == ["link"] and without[0].actions == ()
