"""What to raise: the shortlist's score, order and limits, every score worked out by hand."""
from __future__ import annotations

from directory import analysis as A
from directory.analysis.core import Action, Finding
from directory.analysis.shortlist import SCORE_RULE, ShortlistItem, score_parts, shortlist
from directory.snapshot import BarrierItem
from tests.unit.test_analysis import TODAY
from tests.unit.test_analysis_evidence import outreach_area


def act(how, kind="refers_to"):
    return Action(f"{how} it", how=how, link_kind=kind)


# Without a network each actor counts as a service. Scores, by hand:
FINDINGS = [
    # 6 (high) + 0 (no actors) = 6
    Finding("missing_stage", "high", "Missing 6", "R", (), (6,)),
    # 6 + 2.5 (7 actors, 5 counted) + 4 (2 reports) + 2 (a waiting link to confirm) = 14.5
    Finding("broken_handoff", "high", "2 to 3", "R", (1, 2, 3, 4, 5, 6, 7), (2, 3),
            actions=(act("link"), act("confirm")), evidence=(10, 11)),
    # 6 + 1 (2 actors) + 1 (a named new link) = 8
    Finding("broken_handoff", "high", "3 to 4", "R", (1, 2), (3, 4), actions=(act("link"),)),
    # 6 + 0.5 = 6.5, but a third broken handoff: left out (at most two of a kind)
    Finding("broken_handoff", "high", "4 to 5", "R", (1,), (4, 5)),
    # 3 (medium) + 1 + 6 (4 reports, 3 counted) + 2 (a lost link to replace) = 12
    Finding("dead_end", "medium", "Dead end", "R", (8, 9), (5,), actions=(act("replace", "moves_on_to"),),
            evidence=(12, 13, 14, 15)),
    # 3 + 0.5 + 1 (a forum to invite it to) = 4.5
    Finding("isolated", "medium", "Alone", "R", (20,), actions=(act("invite", "member_of"),)),
    # stale findings are never shortlisted, however high they would score
    Finding("stale_link", "low", "Old link", "R", (1, 2)),
    Finding("stale_record", "low", "Old record", "R", (3,)),
    # 1 (low) + 0.5; its own reports are what it is, not corroboration = 1.5
    Finding("barriers", "low", "Capacity full", "R", (30,), (4,), evidence=(16,)),
    # 3 + 0.5 = 3.5
    Finding("thin_stage", "medium", "Thin 3", "R", (40,), (3,)),
    # 1 + 1 = 2
    Finding("fragile_tie", "low", "Fragile", "R", (50, 51)),
]


def test_scores_by_hand():
    assert [sum(score_parts(f).values()) for f in FINDINGS] == [6, 14.5, 8, 6.5, 12, 4.5, 2, 1.5, 1.5, 3.5, 2]
    assert score_parts(FINDINGS[1]) == {"severity": 6, "services": 2.5, "barriers": 4, "action": 2}


def test_the_shortlist_order_limit_and_kinds():
    items = shortlist(FINDINGS)
    # 14.5, 12, 8, (6.5: a third broken handoff, skipped), 6, 4.5: five items.
    assert [(i.finding.title, i.score) for i in items] == [
        ("2 to 3", 14.5), ("Dead end", 12), ("3 to 4", 8), ("Missing 6", 6), ("Alone", 4.5)]
    assert all(isinstance(i, ShortlistItem) for i in items)
    assert items[0].parts == {"severity": 6, "services": 2.5, "barriers": 4, "action": 2}
    # With room for more: then 3.5 (thin stage), 2 (fragile tie), 1.5 (barriers); never the stale ones.
    more = shortlist(FINDINGS, limit=20)
    assert [i.finding.title for i in more][5:] == ["Thin 3", "Fragile", "Capacity full"]
    assert not {"stale_link", "stale_record"} & {i.finding.kind for i in more}
    assert [i.finding.title for i in shortlist(FINDINGS, limit=2)] == ["2 to 3", "Dead end"]
    assert shortlist([]) == []


def test_ties_go_to_severity_then_to_the_findings_order():
    # Each scores 4.5: medium 3 + 3 actors 1.5; low 1 + 1 report 2 + 3 actors 1.5. The medium ones come
    # first (in their own order), then the low one, though it is listed first.
    low = Finding("thin_stage", "low", "Low", "R", (1, 2, 3), evidence=(9,))
    first = Finding("dead_end", "medium", "First", "R", (4, 5, 6))
    second = Finding("broker", "medium", "Second", "R", (7, 8, 9))
    assert [i.finding.title for i in shortlist([low, first, second])] == ["First", "Second", "Low"]


def test_why_is_one_sentence_from_the_parts():
    items = shortlist(FINDINGS)
    assert items[0].why == ("High severity; 2 barrier reports bear on it; 5 or more services involved; "
                            "a waiting referral route would close it.")
    assert items[1].why == ("Medium severity; 4 barrier reports bear on it; 2 services involved; "
                            "replacing a lost move-on route would close it.")
    assert items[3].why == "High severity."
    assert items[4].why == "Medium severity; a forum to invite it to is named."


def test_the_shortlist_of_an_area_counts_its_services_and_reporters():
    # The outreach area (see test_analysis_evidence): the 2 -> 3 handoff names three active services
    # (Outreach, Night Walk, Hub) and holds Outreach's refused-referral report, with new pairs named:
    # 6 + 1.5 + 2 + 1 = 10.5. Then two of the four missing stages (6 each), then the medium dead end
    # at Hostel (Hostel and Hub: 3 + 1 = 4) and fragmentation (Outreach and Night Walk apart from Hub and
    # Hostel: 3 + 1 = 4), in the findings' order.
    report = BarrierItem(7, 1, "referrals_rejected", 2, "Assessment hub referrals from outreach are often returned.")
    s = outreach_area(report)
    net = A.prepare(s)
    items = shortlist(A.find_all(net, TODAY), net=net)
    assert [(i.finding.kind, i.score) for i in items] == [
        ("broken_handoff", 10.5), ("missing_stage", 6), ("missing_stage", 6), ("dead_end", 4), ("fragmentation", 4)]
    assert items[0].why == ("High severity; 1 service reports a barrier here; 3 services involved; "
                            "a new referral route with a named partner could close it.")


def test_the_score_rule_is_written_out():
    for words in ("high 6, medium 3, low 1", "half a point", "2 for each barrier report", "Stale records"):
        assert words in SCORE_RULE


def test_a_barrier_report_counts_for_the_first_item_chosen_only():
    # Two reports (10, 11) bear on the missing stage 6 and on both dead ends before it.
    found = [Finding("missing_stage", "high", "Missing 6", "R", (), (6,), evidence=(10, 11)),
             Finding("dead_end", "medium", "Dead end A", "R", (1,), (5,), evidence=(10, 11)),
             Finding("dead_end", "medium", "Dead end B", "R", (2,), (5,), evidence=(11,)),
             Finding("client_group_gap", "medium", "Young people", "R", (3, 4), (4,), evidence=(12,))]
    items = shortlist(found)
    # Missing 6: 6 + 4 = 10, chosen first; then the dead ends' reports are used: A 3 + 0.5 = 3.5,
    # B 3.5; the young people's gap keeps its own report: 3 + 1 + 2 = 6, so it comes second.
    assert [(i.finding.title, i.score) for i in items] == [
        ("Missing 6", 10), ("Young people", 6), ("Dead end A", 3.5), ("Dead end B", 3.5)]
    assert items[2].parts["barriers"] == 0 and "barrier" not in items[2].why
