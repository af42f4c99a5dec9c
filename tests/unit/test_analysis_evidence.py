"""Network findings judged on an actor's whole network, findings merged, and barrier reports put inside the
gaps they bear on; every right answer is worked out by hand."""
from __future__ import annotations

from directory import analysis as A
from directory.analysis.evidence import OUTSIDE_FORUMS_NOTE, corroborate, merge
from directory.snapshot import AreaInfo, BarrierItem, Snapshot
from tests.unit.test_analysis import TODAY, forum, ln, svc


def area_snap(actors, links=(), barriers=(), outside=()):
    """An area-1 snapshot whose `outside` actors belong to area 2 ("Valeshire")."""
    return Snapshot({a.id: a for a in actors}, list(links), list(barriers),
                    area=AreaInfo(1, "Testshire", "testshire", 52.0, -1.0),
                    outside=frozenset(a.id for a in outside), area_names={2: "Valeshire"})


def away(i, name, *stages):
    """A service of area 2, at the far end of a link leaving area 1."""
    return svc(i, name, *stages, area=2, area_ids=frozenset({2}))


def kinds(findings):
    return sorted(f.kind for f in findings)


# --- the whole network -------------------------------------------------------------------------

def valley():
    # Valley (area 1) has four ties to area 2's services O1-O4 and one to Bridge; Bridge links Valley and
    # Cove; Cove links Bridge only. Within the area alone Valley would hang on one tie (Bridge).
    outside = [away(11, "O1"), away(12, "O2"), away(13, "O3"), away(14, "O4")]
    actors = [svc(1, "Valley"), svc(2, "Bridge"), svc(3, "Cove")] + outside
    links = [ln("refers_to", 1, o) for o in (11, 12, 13, 14)] + [ln("refers_to", 1, 2), ln("refers_to", 2, 3)]
    return area_snap(actors, links, outside=outside)


def test_ties_leaving_the_area_count_for_isolation_fragile_ties_and_brokers():
    s = valley()
    assert A.isolated_actors(s) == []
    # Only Cove's confirmed ties all go to one actor (Bridge); Valley has five.
    assert [f.actor_ids for f in A.fragile_ties(s)] == [(3, 2)]
    # With everyone outside as one node E: E-Valley-Bridge-Cove. Without Valley, the pieces are {E} and
    # {Bridge, Cove}: the larger is kept and only E (no actor of the area) is apart: no finding. Without
    # Bridge: {E, Valley} is kept and Cove is cut off.
    found = A.brokers(s)
    assert [f.actor_ids for f in found] == [(2, 3)]
    assert "1 actor of this area would be cut off" in found[0].reason and "Cove" in found[0].reason
    assert "Valley" not in found[0].reason


def test_a_service_tied_only_outside_the_area_is_not_isolated_nor_fragile():
    outside = [away(11, "O1"), away(12, "O2"), away(13, "O3"), away(14, "O4")]
    s = area_snap([svc(1, "Valley")] + outside, [ln("refers_to", 1, o) for o in (11, 12, 13, 14)],
                  outside=outside)
    assert A.isolated_actors(s) == [] and A.fragile_ties(s) == [] and A.brokers(s) == []
    # The metrics stay within the area: there Valley has no link.
    assert A.metrics(s)["isolated"] == 1 and A.metrics(s)["nodes"] == 1


def test_no_broker_when_only_outside_actors_would_be_cut_off():
    # Triangle Wren-Pike-Quay, and Wren's one tie out of the area to X (which has no other tie here).
    # Without Wren: {E} and {Pike, Quay}; only E is apart, so Wren is no broker (as the triangle alone).
    outside = [away(11, "X")]
    s = area_snap([svc(1, "Wren"), svc(2, "Pike"), svc(3, "Quay")] + outside,
                  [ln("refers_to", 1, 2), ln("refers_to", 2, 3), ln("refers_to", 3, 1), ln("refers_to", 1, 11)],
                  outside=outside)
    assert A.brokers(s) == []


def test_an_outside_hub_is_never_a_broker_and_is_named_as_outside():
    # Pike and Quay each tie only to X in area 2: X would split them, but it is not the area's.
    outside = [away(11, "X")]
    s = area_snap([svc(1, "Pike"), svc(2, "Quay")] + outside, [ln("refers_to", 1, 11), ln("refers_to", 11, 2)],
                  outside=outside)
    assert A.brokers(s) == []
    fragile = A.fragile_ties(s)
    assert [f.actor_ids for f in fragile] == [(1, 11), (2, 11)]
    assert "only confirmed tie is with X (out of area: Valeshire)" in fragile[0].reason
    # Within the area, Pike and Quay have no link between them: fragmentation counts linked actors only.
    assert A.fragmentation(s) == []


def test_fragmentation_says_it_is_judged_within_the_area():
    s = area_snap([svc(1, "A"), svc(2, "B"), svc(3, "C"), svc(4, "D")], [ln("refers_to", 1, 2), ln("refers_to", 3, 4)])
    [f] = A.fragmentation(s)
    assert "within this area" in f.title and "within this area" in f.reason
    assert all("within this area" in A.METRIC_EXPLANATIONS[k] for k in ("nodes", "density", "components", "isolated"))


def test_outside_forums_reads_memberships_that_leave_the_area():
    # Ash belongs only to North Forum of area 2 (outside); Birch serves area 2 too, so North Forum is one of
    # its areas' forums; Elm (area 2, outside) is a member of Home Forum: Home has 1 member service.
    north = forum(20, "North Forum", area=2, area_ids=frozenset({2}))
    elm = away(12, "Elm")
    actors = [forum(10, "Home Forum"), svc(1, "Ash"), svc(2, "Birch", area_ids=frozenset({1, 2})), north, elm]
    links = [ln("member_of", 1, 20), ln("member_of", 2, 20), ln("member_of", 12, 10)]
    found = A.outside_forums(area_snap(actors, links, outside=[north, elm]))
    assert [f.actor_ids for f in found] == [(1, 10)]
    assert "(it belongs to North Forum, elsewhere)" in found[0].reason
    assert found[0].next_step == "Invite Ash to Home Forum, which has 1 member service."
    [invite] = found[0].actions
    assert (invite.how, invite.ask, invite.source_id, invite.target_id, invite.link_kind) == (
        "invite", (10,), 1, 10, "member_of")
    assert invite.text == found[0].next_step


# --- merging --------------------------------------------------------------------------------------

def test_an_isolated_service_outside_the_forums_is_one_finding():
    # Home Forum has two member services (Ash, Birch); Zed has no link at all.
    actors = [forum(10, "Home Forum"), svc(1, "Ash"), svc(2, "Birch"), svc(3, "Zed")]
    s = area_snap(actors, [ln("member_of", 1, 10), ln("member_of", 2, 10)])
    net = A.prepare(s)
    raw = A.isolated_actors(net) + A.outside_forums(net)
    assert [(f.kind, f.actor_ids) for f in raw] == [("isolated", (3,)), ("outside_forums", (3, 10))]
    [one] = merge(raw, net)
    assert one.kind == "isolated" and one.actor_ids == (3,) and one.merged == (OUTSIDE_FORUMS_NOTE,)
    assert OUTSIDE_FORUMS_NOTE == "Also outside the forums: not a member of any forum of its area."
    [invite] = one.actions
    assert invite.how == "invite" and invite.target_id == 10 and invite.source_id == 3
    assert one.next_step == ("Invite Zed to Home Forum, which has 2 member services. "
                             "Then ask Zed to record who it works with.")
    found = A.find_all(s, TODAY)
    assert [f.kind for f in found if 3 in f.actor_ids] == ["isolated"]


def test_fragile_ties_to_a_broker_are_named_on_the_broker():
    # Path Pike - Quay - Rook: Quay is a cut vertex (without it, Pike and Rook are apart; the first piece,
    # Pike's, is kept and Rook is cut off); Pike and Rook each tie only to Quay.
    s = area_snap([svc(1, "Pike"), svc(2, "Quay"), svc(3, "Rook")], [ln("refers_to", 1, 2), ln("refers_to", 2, 3)])
    net = A.prepare(s)
    raw = A.fragile_ties(net) + A.brokers(net)
    assert kinds(raw) == ["broker", "fragile_tie", "fragile_tie"]
    [broker] = merge(raw, net)
    assert broker.actor_ids == (2, 3) and broker.merged == ("Pike and Rook each have their only link to Quay.",)
    one = merge(A.fragile_ties(net)[1:] + A.brokers(net), net)
    assert [f.merged for f in one] == [("Rook's only link is to Quay.",)]
    assert "fragile_tie" not in {f.kind for f in A.find_all(s, TODAY)}


def test_a_fragile_tie_to_an_actor_that_is_no_broker_stays():
    # Pike - Quay only: neither is a cut vertex, both hang on one tie.
    s = area_snap([svc(1, "Pike"), svc(2, "Quay")], [ln("refers_to", 1, 2)])
    net = A.prepare(s)
    assert merge(A.fragile_ties(net), net) == A.fragile_ties(net)


# --- barrier reports as evidence ---------------------------------------------------------------------

def outreach_area(*barriers):
    # Outreach and Night Walk at stage 2, Hub at stage 3, Hostel at stage 4 (Hub -> Hostel); nothing runs
    # from stage 2 to stage 3, so there is a 2 -> 3 broken handoff; Hostel is the only stage 4 service.
    actors = [svc(1, "Soarbridge Street Outreach Team", 2), svc(2, "Night Walk", 2), svc(3, "Hub", 3),
              svc(4, "Hostel", 4), svc(5, "Closed", 2, status="archived")]
    links = [ln("refers_to", 3, 4), ln("refers_to", 1, 2)]
    return area_snap(actors, links, barriers)


def test_a_refused_referral_report_sits_inside_the_broken_handoff():
    report = BarrierItem(7, 1, "referrals_rejected", 2, "Assessment hub referrals from outreach are often returned.")
    before = A.barrier_groups(outreach_area(report))
    assert [(f.kind, f.evidence) for f in before] == [("barriers", (7,))]
    found = A.find_all(outreach_area(report), TODAY)
    [handoff] = [f for f in found if f.kind == "broken_handoff" and f.stages == (2, 3)]
    assert handoff.evidence == (7,)
    assert handoff.reason.endswith(" Soarbridge Street Outreach Team reports: "
                                   "'Assessment hub referrals from outreach are often returned.'")
    # The barrier group is gone, its text kept on the handoff.
    assert "barriers" not in {f.kind for f in found}
    assert handoff.merged == (before[0].reason,)
    # Nothing else took the report: it names stage 2, which no other gap is about.
    assert [f.key for f in found if f.evidence] == [handoff.key]


def test_which_reports_bear_on_which_gaps():
    reports = [
        BarrierItem(1, 4, "capacity_full", 4, "Beds full most nights"),  # Hostel: thin stage 4, not 2 -> 3
        BarrierItem(2, 1, "data_sharing", 2, "No data-sharing agreement."),  # bears on no gap
        BarrierItem(3, 2, "funding", 2, "Funded a year at a time."),  # never on a handoff; stage 2 is not thin
        BarrierItem(4, 5, "referrals_rejected", 2, "From an archived service."),  # not an active service
        BarrierItem(5, 3, "needs_too_complex", None, ""),  # no stage: Hub is in the 2 -> 3 handoff
        BarrierItem(6, 3, "eligibility_legal", 3, "Local connection."),  # who may be helped: never a handoff
        BarrierItem(7, 1, "no_move_on", 2, "Nowhere to send people."),  # the 2 -> 3 handoff's first end: bears
        BarrierItem(8, 3, "no_move_on", 3, "Stuck at assessment."),  # "from" stage 3: not the 2 -> 3 handoff
    ]
    found = A.find_all(outreach_area(*reports), TODAY)
    by_key = {f.key: f for f in found}
    thin = by_key["thin_stage::4:4"]
    # The description has no full stop of its own: the sentence's goes outside the quote. People stuck at
    # stage 3 (report 8), which should hand on to stage 4 (the 3 -> 4 route), bear on the thin stage 4 too.
    assert thin.evidence == (1, 8)
    assert thin.reason.endswith("Hostel reports: 'Beds full most nights'. Hub reports: 'Stuck at assessment.'")
    handoff = by_key["broken_handoff::2-3:"]
    assert handoff.evidence == (5, 7)
    assert handoff.reason.endswith("Hub reports 'Needs judged too complex' at no particular stage. "
                                   "Soarbridge Street Outreach Team reports: 'Nowhere to send people.'")
    # Hub is also the only stage 3 service: its unstaged report and its two reports at stage 3 bear on that
    # thin stage (eligibility and "no move-on" at the stage itself), and so does Outreach's "nowhere to send
    # people" at stage 2, which should hand on to stage 3 (the 2 -> 3 route).
    assert by_key["thin_stage::3:3"].evidence == (5, 6, 7, 8)
    # The data-sharing and funding groups stay; the absorbed ones are gone.
    groups = [f for f in found if f.kind == "barriers"]
    assert sorted(f.evidence for f in groups) == [(2,), (3,)]


def test_long_and_many_reports_are_quoted_briefly():
    # "word " * 40 is 200 characters: cut to 120 ("word " * 24), then back to the last whole word (24 words,
    # the last without its space) and an ellipsis. Five reports: three quoted, two counted.
    long = "word " * 40
    reports = [BarrierItem(i, 1, "referrals_rejected", 2, long if i == 1 else f"Report {i}.") for i in range(1, 6)]
    net = A.prepare(outreach_area(*reports))
    [handoff] = [f for f in corroborate(A.broken_handoffs(net), net) if f.stages == (2, 3)]
    assert handoff.evidence == (1, 2, 3, 4, 5)
    assert "Soarbridge Street Outreach Team reports: '" + "word " * 23 + "word…'" in handoff.reason
    assert "reports: 'Report 3.'" in handoff.reason and "Report 4." not in handoff.reason
    assert handoff.reason.endswith("2 other reports bear on this too.")


def test_a_group_only_partly_absorbed_stays():
    # Funding at no particular stage, reported by Hub and by Outreach. Hub is the only stage 3 service, so
    # its report bears on that thin stage; Outreach sits only in the 2 -> 3 handoff, and funding never
    # bears on a handoff. One of the group's two reports is left: the group stays.
    reports = [BarrierItem(1, 3, "funding", None, "Funded a year at a time."),
               BarrierItem(2, 1, "funding", None, "Funded a year at a time.")]
    found = A.find_all(outreach_area(*reports), TODAY)
    assert [f.evidence for f in found if f.kind == "thin_stage" and f.stages == (3,)] == [(1,)]
    assert [f.evidence for f in found if f.kind == "barriers"] == [(1, 2)]
    assert all(not f.merged for f in found)


def test_find_all_reads_one_client_group():
    # Outreach serves rough sleepers only; Night Walk lists no group (serves everyone).
    actors = [svc(1, "Outreach", 2, client_groups=("rough_sleepers",)), svc(2, "Night Walk", 2), svc(3, "Hub", 3)]
    s = area_snap(actors)
    thin = [f.actor_ids for f in A.find_all(s, TODAY, client_group="families") if f.kind == "thin_stage"]
    assert thin == [(2,), (3,)]  # for families only Night Walk is at stage 2
    assert [f.actor_ids for f in A.find_all(s, TODAY) if f.kind == "thin_stage"] == [(3,)]
