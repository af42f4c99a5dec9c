"""Area analysis page, its CSV and JSON downloads, and the national ranking: through the real app."""
import csv
import io
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from directory import analysis as A
from directory.access import BarrierScope
from directory.extensions import db
from directory.loader import SnapshotFilter, load_snapshot
from directory.models import Actor
from tests.helpers import all_text, headed_rows, login, parse, texts
from tests.helpers import text as text_of

AREA_ANALYSIS = r"/areas/([a-z-]+)/analysis"


def text(page: str) -> str:
    """The page's text with tags dropped and entities decoded, whitespace collapsed."""
    return all_text(parse(page))


def _ranking(page: str) -> list[tuple[int, str, float, list[str], int]]:
    """(rank, area slug, score, its four parts' cells, high-severity findings) for each row of the national
    ranking."""
    rows = []
    for row in headed_rows(parse(page), AREA_ANALYSIS):
        th = row.element.find("th", scope="row")
        slug = re.fullmatch(AREA_ANALYSIS, th.a["href"]).group(1)
        rank = th.find_previous_sibling("td")
        cells = [text_of(td) for td in th.find_next_siblings("td")]
        rows.append((int(text_of(rank)) if rank is not None else None, slug, float(cells[0]), cells[1:5],
                     int(cells[5])))
    return rows


def findings_for(area):
    """The findings an anonymous visitor sees, worked out as the page does (public barrier reports only):
    proposed links and the links leaving the area shape the next steps."""
    snapshot = load_snapshot(SnapshotFilter.whole_area(area.id, BarrierScope()))
    return A.find_all(snapshot, date.today()), snapshot


# --- the demo area ------------------------------------------------------------------

def test_demo_analysis_shows_its_deliberate_gaps_with_reasons(client, demo):
    response = client.get(f"/areas/{demo.slug}/analysis")
    assert response.status_code == 200
    page = text(response.text)
    findings, _ = findings_for(demo)
    by_kind = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)

    missing = by_kind["missing_stage"]
    assert [f.stages for f in missing] == [(6,)]
    assert "No service at stage 6 (Move-on and rehousing)" in page and missing[0].reason in page
    assert "0 – missing stage" in page  # the chart marks it in text, not by colour alone

    handoff = next(f for f in by_kind["broken_handoff"] if f.stages == (2, 3))
    # titles name the stages since issue 11
    assert "No handoff from stage 2 (First contact and outreach) to stage 3 (Assessment and relief)" in page
    assert handoff.reason in page and handoff.next_step in page

    isolated = by_kind["isolated"]
    assert [f.title for f in isolated] == ["Eastgate Veterans' Housing Advice has no links"]
    assert isolated[0].reason in page
    eastgate = isolated[0].actor_ids[0]
    assert f'href="/actors/{eastgate}"' in response.text

    broker = by_kind["broker"][0]
    assert broker.title in page and broker.reason in page
    assert "Top brokers by betweenness" in page
    for kind in ("missing_stage", "broken_handoff", "isolated", "broker"):
        assert A.FINDING_KINDS.label(kind) in page
    assert "High severity" in page and "Medium severity" in page  # severity as text
    assert A.METRIC_EXPLANATIONS["density"] in page and A.METRIC_EXPLANATIONS["degree_centralisation"] in page


def test_demo_coverage_chart_is_an_accessible_svg_with_a_table(client, demo):
    page = client.get(f"/areas/{demo.slug}/analysis").text
    soup = parse(page)
    svg = soup.find("svg")
    assert svg["role"] == "img" and svg.find("title") and svg.find("desc")
    after = [e.name for e in svg.find_all_next(True)]  # no script in the chart, nor after it up to another one
    assert "script" not in after[:after.index("svg") if "svg" in after else None] and not svg.find("script")
    assert "6. Move-on and rehousing: 0 (missing)" in text_of(svg.find("desc"))
    table = soup.select_one('table[class="table coverage-table"]')
    assert "Missing stage" in text_of(table) and len(table.find_all("tr")) == 8


def test_demo_downloads_agree_with_the_analysis(client, demo):
    findings, snapshot = findings_for(demo)
    names = {i: a.name for i, a in snapshot.actors.items()}

    response = client.get(f"/areas/{demo.slug}/analysis.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert re.fullmatch(r'attachment; filename="analysis-demo-soarbridge-\d{4}-\d{2}-\d{2}\.csv"',
                        response.headers["Content-Disposition"])
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["kind"], r["severity"], r["actor ids"]) for r in rows] == [
        (A.FINDING_KINDS.label(f.kind), A.SEVERITIES.label(f.severity), "; ".join(map(str, f.actor_ids)))
        for f in findings]
    assert [r["title"] for r in rows] == [f.title for f in findings]
    assert [r["actor names"] for r in rows] == ["; ".join(names[i] for i in f.actor_ids) for f in findings]
    assert [r["next step"] for r in rows] == [f.next_step for f in findings]
    assert [r["reason"] for r in rows] == [f.reason for f in findings]
    assert [r["stages"] for r in rows] == ["; ".join(map(str, f.stages)) for f in findings]

    response = client.get(f"/areas/{demo.slug}/analysis.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="analysis-demo-soarbridge-')
    data = json.loads(response.text)
    assert [(f["kind"], f["severity"], f["actor_ids"], f["stages"]) for f in data["findings"]] == [
        (f.kind, f.severity, list(f.actor_ids), list(f.stages)) for f in findings]
    assert [(f["reason"], f["next_step"]) for f in data["findings"]] == [(f.reason, f.next_step) for f in findings]
    expected = A.metrics(snapshot)
    assert data["metrics"]["density"] == pytest.approx(expected["density"])
    assert data["metrics"]["components"] == expected["components"]
    assert {a["id"]: a["betweenness"] for a in data["metrics"]["actors"]} == pytest.approx(
        {i: m["betweenness"] for i, m in expected["actors"].items()})
    assert data["coverage"] == A.stage_coverage(snapshot)
    assert data["area"] == {"name": demo.name, "slug": demo.slug}


def test_findings_group_by_kind_and_sort_by_severity_or_kind(client, demo, make):
    # The demo's own barrier reports now sit inside the gaps they bear on (and its fragile ties inside the
    # brokers they hang on), which leaves severity and kind order alike; three services reporting data
    # sharing (which bears on no gap) at stage 4 make a high barrier group that severity lifts.
    for name in ("Winter Night Shelter", "SWEP Emergency Beds", "Bridge Street Hostel"):
        hostel = db.session.scalar(select(Actor).where(Actor.name == name))
        make.barrier(hostel, "data_sharing", 4, description="No data-sharing agreement.")

    def group_order(url):
        return [h3["id"].removeprefix("group-") for h3 in parse(client.get(url)).select('h3[id^="group-"]')]

    by_severity = group_order(f"/areas/{demo.slug}/analysis")
    by_kind = group_order(f"/areas/{demo.slug}/analysis?sort=kind")
    assert sorted(by_severity) == sorted(by_kind)
    assert by_kind == [k for k in A.FINDING_KINDS.keys() if k in by_kind]
    assert by_severity[:2] == ["missing_stage", "broken_handoff"]
    # The data-sharing group is high; dead ends are all medium: severity order lifts barriers above them.
    assert by_severity.index("barriers") < by_severity.index("dead_end")
    assert by_kind.index("dead_end") < by_kind.index("barriers")
    assert group_order(f"/areas/{demo.slug}/analysis?sort=nonsense") == by_severity


def test_area_page_links_to_its_analysis_and_home_to_the_ranking(client, demo):
    assert f'href="/areas/{demo.slug}/analysis"' in client.get(f"/areas/{demo.slug}").text
    home = client.get("/").text
    assert 'href="/analysis"' in home
    assert "Gaps by area" in texts(parse(home), 'nav li > a:only-child[href="/analysis"]')  # in the nav


# --- bad input and thin data -----------------------------------------------------------

@pytest.mark.parametrize("suffix", ["", ".csv", ".json"])
def test_unknown_area_is_404(client, suffix):
    assert client.get(f"/areas/nowhere/analysis{suffix}").status_code == 404


def test_empty_area(client, make):
    area = make.area(name="Empty Vale", slug="empty-vale")
    response = client.get("/areas/empty-vale/analysis")
    assert response.status_code == 200
    page = text(response.text)
    assert "No active services, forums or researchers are registered in this area yet" in page
    assert page.count("0 – missing stage") == 7
    assert "No actor sits between others yet." in page and "No barriers reported" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/areas/empty-vale/analysis.csv").text)))
    assert [r["kind"] for r in rows] == ["Missing stage"] * 7
    data = client.get("/areas/empty-vale/analysis.json").get_json()
    assert data["metrics"]["nodes"] == 0 and data["metrics"]["actors"] == [] and len(data["findings"]) == 7
    assert area.id


def test_single_actor_area(client, make):
    area = make.area(slug="one-actor")
    solo = make.actor(area=area, name="Only Hostel", stages=[4])
    page = text(client.get("/areas/one-actor/analysis").text)
    assert "Only one active record is registered in this area" in page
    assert "Only Hostel has no links" in page and "Only one service at stage 4" in page
    data = client.get("/areas/one-actor/analysis.json").get_json()
    assert data["metrics"]["nodes"] == 1 and data["metrics"]["density"] == 0
    assert data["metrics"]["actors"][0]["id"] == solo.id


def test_area_with_no_links(client, make):
    area = make.area(slug="no-links")
    a = make.actor(area=area, name="Alpha Advice", stages=[1])
    b = make.actor(area=area, name="Beta Beds", stages=[3])  # 1->3 is an expected route, 1->2 is not (issue 11)
    make.link(a, "refers_to", b, status="proposed")  # proposed links do not count
    page = text(client.get("/areas/no-links/analysis").text)
    assert "No confirmed links between this area's 2 active records yet" in page
    assert "Alpha Advice has no links" in page and "Beta Beds has no links" in page
    assert "No handoff from stage 1 (Prevention) to stage 3 (Assessment and relief)" in page
    assert "No actor has a confirmed link to it yet." in page


def test_links_to_archived_actors_are_left_out_and_reported(client, make):
    area = make.area(slug="with-archived")
    live = make.actor(area=area, name="Live Service", stages=[1])
    gone = make.actor(area=area, name="Closed Down Project", stages=[2], status="archived")
    waiting = make.actor(area=area, name="Waiting Project", stages=[3], status="pending")
    make.link(live, "refers_to", gone)
    make.link(waiting, "refers_to", live)
    response = client.get("/areas/with-archived/analysis")
    assert response.status_code == 200
    page = text(response.text)
    assert "2 confirmed links were left out because they join an archived or pending record" in page
    assert "Closed Down Project" not in page and "Waiting Project" not in page
    assert "Live Service has no links" in page
    csv_text = client.get("/areas/with-archived/analysis.csv").text
    assert "Closed Down Project" not in csv_text and "Waiting Project" not in csv_text


def test_user_text_is_escaped(client, make):
    area = make.area(slug="escaping")
    make.actor(area=area, name="<script>alert(1)</script> House", stages=[1])
    page = client.get("/areas/escaping/analysis").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; House" in page


def test_csv_defuses_formulas_in_names(client, make):
    area = make.area(slug="formulas")
    make.actor(area=area, name='=HYPERLINK("http://evil.example","x")', stages=[1])
    rows = list(csv.reader(io.StringIO(client.get("/areas/formulas/analysis.csv").text)))
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells


def test_analysis_page_runs_a_fixed_number_of_queries(client, make, count_queries):
    def queries(slug):
        with count_queries() as statements:
            assert client.get(f"/areas/{slug}/analysis").status_code == 200
        return len(statements)

    small = make.area(slug="small-q")
    make.actor(area=small, stages=[1])
    big = make.area(slug="big-q")
    actors = [make.actor(area=big, stages=[1 + n % 7]) for n in range(12)]
    for a, b in zip(actors, actors[1:]):
        make.link(a, "refers_to", b)
    make.barrier(actors[0])
    assert queries("small-q") == queries("big-q") <= 8


# --- barrier visibility ------------------------------------------------------------------

@pytest.fixture
def barrier_area(make):
    area = make.area(slug="barrier-vale")
    hostel = make.actor(area=area, name="Harbour Hostel", stages=[4])
    forum = make.actor("forum", area=area, name="Barrier Vale Forum")
    make.link(hostel, "member_of", forum)
    make.barrier(hostel, "capacity_full", 4, description="Public: beds full every night.", visibility="public")
    make.barrier(hostel, "risk_exclusion", 4, description="Members: insurer excludes arson history.",
                 visibility="members")
    make.barrier(hostel, "data_sharing", 3, description="Coordinators: no data-sharing agreement.",
                 visibility="coordinators")
    make.barrier(hostel, "funding", None, description="Archived: old funding worry.", archived=True)
    return area, forum


def test_anonymous_visitors_see_public_barriers_only(client, barrier_area):
    page = text(client.get("/areas/barrier-vale/analysis").text)
    assert "Public: beds full every night." in page
    assert "Members: insurer" not in page and "Coordinators: no data-sharing" not in page
    assert "Archived: old funding" not in page
    assert "You are seeing public reports only" in page
    exported = client.get("/areas/barrier-vale/analysis.json").get_json()
    assert "Risk exclusion" not in json.dumps(exported)


def test_members_see_members_barriers_but_not_coordinators(client, make, barrier_area):
    make.user("member@example.org")
    login(client, "member@example.org")
    page = text(client.get("/areas/barrier-vale/analysis").text)
    assert "Public: beds full every night." in page and "Members: insurer excludes arson history." in page
    assert "Signed-in members only" in page
    assert "Coordinators: no data-sharing" not in page


def test_coordinators_of_the_area_see_every_barrier(client, make, barrier_area):
    _, forum = barrier_area
    make.user("coordinator@example.org", manages=[forum])
    login(client, "coordinator@example.org")
    response = client.get("/areas/barrier-vale/analysis")
    page = text(response.text)
    assert "Coordinators: no data-sharing agreement." in page and "Members: insurer" in page
    assert "Archived: old funding" not in page
    sections = [h3["id"].removeprefix("barriers-") for h3 in parse(response).select('h3[id^="barriers-"]')]
    assert sections == ["3", "4"]  # grouped by stage, in pathway order
    rows = list(csv.DictReader(io.StringIO(client.get("/areas/barrier-vale/analysis.csv").text)))
    assert "Data sharing at stage 3 (Assessment and relief)" in [r["title"] for r in rows]


def test_coordinators_of_another_area_do_not_see_coordinator_barriers(client, make, barrier_area):
    elsewhere = make.area(slug="elsewhere")
    other_forum = make.actor("forum", area=elsewhere)
    make.user("other@example.org", manages=[other_forum])
    login(client, "other@example.org")
    page = text(client.get("/areas/barrier-vale/analysis").text)
    assert "Members: insurer" in page and "Coordinators: no data-sharing" not in page


# --- the national ranking ------------------------------------------------------------------

def _area_with(make, slug, name, stages_list, link_all=False):
    area = make.area(slug=slug, name=name)
    actors = [make.actor(area=area, stages=stages) for stages in stages_list]
    if link_all:
        for a, b in zip(actors, actors[1:]):
            make.link(a, "refers_to", b)
    return area


def test_national_ranking_puts_the_lowest_score_first(client, make):
    # Full: stages 1-7 twice, chained 1 -> 2 -> ... -> 7 -> 1 -> ... -> 7: stages 7/7; handoffs 2-3, 3-4,
    # 4-5, 5-6, 6-7 = 5/9 (no 1-3, 3-5, 4-6 or Housing First); forums 0/14; linked 14/14:
    # (1 + 0.556 + 0 + 1) / 4 = 63.9.
    _area_with(make, "full", "Area Full", [[k] for k in range(1, 8)] * 2, link_all=True)
    # Gappy: stages 1 and 2, unlinked: (2/7 + 0 + 0 + 0) / 4 = 7.1.
    _area_with(make, "gappy", "Area Gappy", [[1], [2]])
    # Empty: 0.
    make.area(slug="empty", name="Area Empty")
    # Middling: stages 1-4 chained: stages 4/7, handoffs 2-3 and 3-4 = 2/9, forums 0/4, linked 4/4:
    # (0.571 + 0.222 + 0 + 1) / 4 = 44.8.
    _area_with(make, "middling", "Area Middling", [[1], [2], [3], [4]], link_all=True)
    response = client.get("/analysis")
    assert response.status_code == 200
    rows = _ranking(response.text)
    assert [(slug, score) for _, slug, score, _, _ in rows] == [
        ("empty", 0.0), ("gappy", 7.1), ("middling", 44.8), ("full", 63.9)]
    assert [rank for rank, *_ in rows] == [1, 2, 3, 4]
    full = rows[3][3]
    assert full == ["7 of 7 (100%)", "5 of 9 (56%)", "0 of 14 (0%)", "14 of 14 (100%)"]
    page = text(response.text)
    for part in A.SCORE_PARTS:
        assert part.label in page and part.description in page
    assert "never lowers the score" in page


def test_a_linked_service_in_a_forum_raises_its_area_in_the_ranking(client, make):
    # Steady: assessment -> hostel -> supported housing, all in a forum: stages 3/7, handoffs 3-4 and 4-5 =
    # 2/9, forums 3/3, linked 3/3: (0.429 + 0.222 + 1 + 1) / 4 = 66.3.
    steady = make.area(slug="steady", name="Steady")
    group = make.actor("forum", area=steady)
    chain = [make.actor(area=steady, stages=[k]) for k in (3, 4, 5)]
    for a, b in zip(chain, chain[1:]):
        make.link(a, "refers_to", b)
    for a in chain:
        make.link(a, "member_of", group)
    # Rival: assessment -> hostel only, both in a forum: stages 2/7, handoffs 3-4 = 1/9, forums 2/2, linked
    # 2/2: (0.286 + 0.111 + 1 + 1) / 4 = 59.9.
    rival = make.area(slug="rival", name="Rival")
    rival_forum = make.actor("forum", area=rival)
    pair = [make.actor(area=rival, stages=[k]) for k in (3, 4)]
    make.link(pair[0], "refers_to", pair[1])
    for a in pair:
        make.link(a, "member_of", rival_forum)
    before = {slug: (rank, score) for rank, slug, score, _, _ in _ranking(client.get("/analysis").text)}
    assert before == {"rival": (1, 59.9), "steady": (2, 66.3)}
    # The rival registers a move-on service at its missing stage 6, referred to by its hostel, in its
    # forum: stages 3/7, handoffs 3-4 and 4-6 = 2/9, forums 3/3, linked 3/3 = 66.3, level with Steady.
    move_on = make.actor(area=rival, stages=[6])
    make.link(pair[1], "refers_to", move_on)
    make.link(move_on, "member_of", rival_forum)
    after = {slug: score for _, slug, score, _, _ in _ranking(client.get("/analysis").text)}
    assert after == {"rival": 66.3, "steady": 66.3}


def _first_service(area) -> Actor:
    """The area's first active service by id."""
    return db.session.scalar(select(Actor).where(Actor.area_id == area.id, Actor.kind == "service",
                                                 Actor.status == "active").order_by(Actor.id).limit(1))


def _neighbour_of_the_demo(make, demo):
    """Another area with a service (the outsider) linked to the demo's first service (inside): confirmed one
    way, proposed the other. Returns (the other area, inside, outsider)."""
    other = _area_with(make, "other", "Other Area", [[1], [2]])
    outsider = make.actor(area=other, stages=[5])
    inside = _first_service(demo)
    make.link(inside, "refers_to", outsider)
    make.link(outsider, "refers_to", inside, status="proposed")
    return other, inside, outsider


def test_national_ranking_matches_each_area_analysis(client, demo, make):
    # The demo area's neighbour, with a link into it: the ranking reads both areas as their own pages do.
    # The page also reads proposed links and archived records (for its next steps); the ranking does not,
    # and its counts and score are the same.
    other, inside, _ = _neighbour_of_the_demo(make, demo)
    make.link(inside, "refers_to", make.actor(area=other, stages=[6], status="archived"))
    page = client.get("/analysis").text
    snapshot = load_snapshot(SnapshotFilter.whole_area(demo.id, BarrierScope()))
    assert snapshot.outside  # the link leaving the area is read
    findings, score = A.find_all(snapshot, date.today()), A.area_score(snapshot)
    [(rank, score_shown, parts, high)] = [row[:1] + row[2:] for row in _ranking(page) if row[1] == "demo-soarbridge"]
    assert score_shown == score.score and high == A.severity_counts(findings)["high"]
    assert parts == [f"{p.count} of {p.total} ({p.percent}%)" for p in score.parts]
    assert "6. Move-on and rehousing" in text(page)


def test_the_national_split_gives_each_area_what_its_page_reads(app, demo, make):
    other, inside, outsider = _neighbour_of_the_demo(make, demo)
    national = load_snapshot(SnapshotFilter(area_id=None, include_inactive=True, include_proposed=True))
    parts = A.split_by_area(national, [demo.id, other.id], {demo.id: demo.name, other.id: other.name})
    for area in (demo, other):
        own = load_snapshot(SnapshotFilter.whole_area(area.id, BarrierScope()))
        part = parts[area.id]
        assert part.actors == own.actors and part.outside == own.outside and part.area_names == own.area_names
        assert sorted(l.id for l in part.links) == sorted(l.id for l in own.links)
        assert sorted(b.id for b in part.barriers) == sorted(b.id for b in own.barriers)
    assert outsider.id in parts[demo.id].outside and inside.id in parts[other.id].outside


def test_national_ranking_is_paginated_and_uses_a_fixed_number_of_queries(app, client, make, count_queries):
    app.config["PER_PAGE"] = 2
    for n in range(5):
        _area_with(make, f"paged-{n}", f"Paged {n}", [[1 + n % 7]])
    with count_queries() as statements:
        first = client.get("/analysis")
    assert first.status_code == 200
    assert len(parse(first).select('th[scope="row"]')) == 2 and 'rel="next"' in first.text
    assert len(statements) <= 7  # the areas, the data version, and the snapshot (built once, then cached)
    last = client.get("/analysis?page=3").text
    assert len(parse(last).select('th[scope="row"]')) == 1
    assert "Go to the first page" in client.get("/analysis?page=99").text
    assert client.get("/analysis?page=x").status_code == 400  # as on the directory: a malformed page is refused
    for n in range(5, 10):
        _area_with(make, f"paged-{n}", f"Paged {n}", [[1]])
    with count_queries() as more:
        client.get("/analysis")
    assert len(more) == len(statements)


def test_national_ranking_with_no_areas(client):
    response = client.get("/analysis")
    assert response.status_code == 200 and "No areas yet." in response.text
