"""The area analysis as a coordinator uses it: the shortlist, client groups, filters, the meeting pack and the
JSON download, through the real app on the demo area."""
import json
from datetime import date

from directory import analysis as A
from directory.access import BarrierScope
from directory.analysis_views.views import analyse_area
from directory.loader import SnapshotFilter, load_snapshot
from tests.helpers import all_text, parse


def public_analysis(area, client_group=None):
    """The analysis an anonymous visitor sees (public barrier reports only)."""
    snapshot = load_snapshot(SnapshotFilter.whole_area(area.id, BarrierScope()))
    return analyse_area(snapshot, date.today(), client_group=client_group)


def test_the_shortlist_heads_the_page_with_at_most_five_items_each_with_an_action(client, demo):
    soup = parse(client.get(f"/areas/{demo.slug}/analysis").text)
    expected = public_analysis(demo).shortlist
    assert 1 <= len(expected) <= 5
    items = soup.select("#shortlist + ol > li")
    assert [all_text(li.h3) for li in items] == [item.finding.title for item in expected]
    first_h2 = soup.select("main h2")[0]
    assert first_h2["id"] == "shortlist"  # before coverage, findings and measures
    for li, item in zip(items, expected):
        words = all_text(li)
        assert "Why now:" in words and item.why in words
        assert "Action:" in words
        action = item.finding.actions[0].text if item.finding.actions else item.finding.next_step
        assert action and action in words
    assert "How this list is chosen" in all_text(soup) and A.SCORE_RULE in all_text(soup)


def test_findings_filter_by_kind_and_severity_and_stale_ones_fold_into_one_line(client, demo):
    result = public_analysis(demo)
    soup = parse(client.get(f"/areas/{demo.slug}/analysis?kind=broken_handoff").text)
    assert [h["id"] for h in soup.select('h3[id^="group-"]')] == ["group-broken_handoff"]
    handoffs = [f for f in result.findings if f.kind == "broken_handoff"]
    assert len(soup.select("#group-broken_handoff ~ ul > li.finding")) == len(handoffs)

    soup = parse(client.get(f"/areas/{demo.slug}/analysis?severity=high").text)
    assert {li["class"][1] for li in soup.select("li.finding")} == {"finding-high"}
    assert len(soup.select("li.finding")) == sum(f.severity == "high" for f in result.findings)

    soup = parse(client.get(f"/areas/{demo.slug}/analysis?kind=nonsense&severity=&sort=kind").text)
    stale = [f for f in result.findings if f.kind == "stale_record"]
    assert stale, "the demo has records not verified for a year"
    summary = soup.select_one("details#group-stale_record > summary")
    assert f"Stale record: {len(stale)}" in all_text(summary)
    assert not soup.select('h3#group-stale_record')  # one summary line, not a group of its own

    soup = parse(client.get(f"/areas/{demo.slug}/analysis?kind=isolated&severity=low").text)
    assert "No findings of that kind and severity." in all_text(soup)


def test_reading_the_pathway_for_one_client_group(client, demo):
    page = parse(client.get(f"/areas/{demo.slug}/analysis?client_group=young_people").text)
    words = all_text(page)
    result = public_analysis(demo, "young_people")
    notice = " ".join(page.select_one("main div.notice").get_text().split())  # the text as one reads it
    assert f"read for young people (16-25): {len(result.net.services)} of {len(result.net.all_services)} services" in notice
    assert "Young people (16-25)" in words
    # The network's findings are not read for a group: the notice says where they are, and none is listed.
    assert "the network's findings (isolation, forums, brokers) and stale records and links are listed only on " \
           "the page for everyone" in notice
    assert {f.kind for f in result.findings} <= {"missing_stage", "thin_stage", "broken_handoff", "dead_end"}
    assert not page.select("#group-isolated, #group-stale_record, #group-stale_link, #group-broker")
    options = {o["value"]: o.has_attr("selected") for o in page.select("select#client_group option")}
    assert options["young_people"] and not options[""]
    chart = all_text(page.select_one("#coverage-desc"))
    assert chart == " ".join(f"{c['label']}: {c['count']}{' (' + c['note'].lower() + ')' if c['note'] else ''}."
                             for c in result.coverage_rows())
    assert result.coverage[3]["count"] == 0  # no emergency accommodation for young people
    # An unknown group is ignored: the page is read for everyone.
    plain = parse(client.get(f"/areas/{demo.slug}/analysis?client_group=%3Cscript%3E").text)
    assert not any(o.has_attr("selected") and o["value"] for o in plain.select("select#client_group option"))


def test_the_grid_shows_each_client_group_at_each_stage_with_zeros_in_words(client, demo):
    soup = parse(client.get(f"/areas/{demo.slug}/analysis").text)
    grid = soup.select_one("table.group-grid")
    rows = {all_text(tr.th): [all_text(td) for td in tr.find_all("td")] for tr in grid.select("tbody tr")}
    expected = public_analysis(demo).group_grid
    assert list(rows) == [r["label"] for r in expected]
    for r in expected:
        assert rows[r["label"]] == [str(r["counts"][s]) if r["counts"][s] else "– none" for s in range(1, 8)]
    assert rows["Young people (16-25)"][3] == "– none"


def test_the_meeting_pack_has_the_shortlist_grid_and_changes(client, demo):
    response = client.get(f"/areas/{demo.slug}/analysis/pack")
    assert response.status_code == 200
    soup = parse(response.text)
    result = public_analysis(demo)
    assert [all_text(h) for h in soup.select("#shortlist + ol > li > h3")] == [i.finding.title for i in result.shortlist]
    assert soup.select_one("table.group-grid") is not None
    assert "Changes worth noting since" in all_text(soup)
    assert f"Score {result.score.score:.0f} out of 100" in all_text(soup)
    assert client.get("/areas/no-such-area/analysis/pack").status_code == 404


def _stale_line(soup) -> str:
    return next(all_text(li) for li in soup.select("#changes + ul > li") if "not confirmed for over 12 months" in all_text(li))


def test_the_meeting_pack_for_one_client_group_still_counts_the_stale_records_and_links(client, demo):
    # Stale records and links are everyone's (find_all leaves them out of a client group's reading), so the
    # pack read for young people counts them as the pack for everyone does, not as none.
    result = public_analysis(demo)
    records = sum(f.kind == "stale_record" for f in result.findings)
    links = sum(f.kind == "stale_link" for f in result.findings)
    assert records, "the demo has records not verified for a year"
    expected = (f"{records} record{'' if records == 1 else 's'} and {links} link{'' if links == 1 else 's'} "
                "not confirmed for over 12 months")
    everyone = parse(client.get(f"/areas/{demo.slug}/analysis/pack").text)
    grouped = parse(client.get(f"/areas/{demo.slug}/analysis/pack?client_group=young_people").text)
    assert _stale_line(everyone).startswith(expected)
    assert _stale_line(grouped).startswith(expected)


def test_the_json_download_carries_what_the_page_shows(client, demo):
    data = json.loads(client.get(f"/areas/{demo.slug}/analysis.json").text)
    result = public_analysis(demo)
    assert [s["title"] for s in data["shortlist"]] == [i.finding.title for i in result.shortlist]
    assert all(s["action"] and s["why"] for s in data["shortlist"])
    assert data["score"]["score"] == result.score.score
    assert data["client_group_coverage"] == json.loads(json.dumps(result.group_grid))  # stage keys as text
    assert [r["key"] for r in data["expected_routes"]][:2] == ["1-3", "2-3"]
    left_out = data["links_left_out"]
    assert left_out and {l["reason"] for l in left_out} <= {"proposed", "inactive"}
    assert all(l["reason_text"] for l in left_out)
    proposed = [l for l in left_out if l["reason"] == "proposed"]
    assert len(proposed) == len(result.net.proposed)
    assert data["client_group_rule"].startswith("A service counts for a client group when it lists that group")
    response = client.get(f"/areas/{demo.slug}/analysis.json?client_group=young_people")
    grouped = json.loads(response.text)
    assert grouped["client_group"] == "young_people"
    assert f'filename="analysis-{demo.slug}-young_people-{date.today().isoformat()}.json"' in \
        response.headers["Content-Disposition"]
    csv_response = client.get(f"/areas/{demo.slug}/analysis.csv?client_group=young_people")
    assert f'filename="analysis-{demo.slug}-young_people-{date.today().isoformat()}.csv"' in \
        csv_response.headers["Content-Disposition"]


def test_the_network_measures_are_rebuilt_after_a_change(client, make):
    # The measures are kept per data change (datacache): a new link shows on the next request.
    area = make.area(slug="measured", name="Measured")
    a, b, c = (make.actor(area=area, stages=[k]) for k in (1, 3, 4))
    make.link(a, "refers_to", b)

    def confirmed_links():
        soup = parse(client.get("/areas/measured/analysis").text)
        row = next(tr for tr in soup.select("#metrics ~ table tr") if tr.th and all_text(tr.th) == "Confirmed links")
        return int(all_text(row.td))

    assert confirmed_links() == 1
    assert confirmed_links() == 1  # from the cache
    make.link(b, "refers_to", c)
    assert confirmed_links() == 2
