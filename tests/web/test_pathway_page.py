"""The pathway diagram page, /areas/<slug>/pathway, through the real app: what it draws, for whom, and its
table alternative (issue 12)."""
from __future__ import annotations

import re

from tests.helpers import all_text, parse, texts


def page_of(client, url):
    r = client.get(url)
    assert r.status_code == 200, url
    return parse(r.text)


def test_demo_pathway_draws_seven_columns_its_gap_and_a_broken_handoff(client, demo):
    soup = page_of(client, f"/areas/{demo.slug}/pathway")
    svg = soup.find("svg", class_="pathway")
    assert svg is not None and svg["aria-labelledby"] == "pd-title pd-desc"
    assert svg.find("title", id="pd-title").get_text() == f"Pathway diagram of {demo.name}"
    columns = svg.find_all("g", class_="pd-col")
    assert len(columns) == 7
    missing = svg.find_all("g", class_="pd-col-missing")
    assert [c.find("text", class_="pd-col-num").get_text() for c in missing] == ["6"]  # the demo's deliberate gap
    broken = svg.find_all("g", class_="pd-arrow-broken")
    assert broken and all("Missing handoff" in g.find("title").get_text() for g in broken)
    assert any("from stage 2 to stage 3" in g.find("title").get_text() for g in broken)
    # every service box links to its record and names it for screen readers
    boxes = svg.find_all("a", class_="pd-node")
    assert boxes and all(re.fullmatch(r"/actors/\d+", a["href"]) and a["aria-label"] for a in boxes)
    # the table alternative says the same: stage 6 has none, 2->3 is missing
    words = all_text(soup)
    assert "6. Move-on and rehousing None No service" in words
    assert "Missing handoff: no confirmed pathway link from stage 2 to stage 3." in words
    # and the page says it in a sentence first
    assert "No service at stage 6." in texts(soup, "p.lead")[0]


def test_each_bundle_counts_the_confirmed_pathway_links_it_stands_for(client, demo):
    soup = page_of(client, f"/areas/{demo.slug}/pathway")
    counted = 0
    for g in soup.select("g.pd-arrow-forward, g.pd-arrow-back, g.pd-arrow-within"):
        n = int(re.search(r"\d+", g.find("text", class_="pd-arrow-label").get_text()).group())
        assert g.find("title").get_text().startswith(f"{n} confirmed pathway link")
        counted += n
    assert f"with {counted} confirmed pathway links between them" in texts(soup, "p.lead")[0]


def test_read_for_a_client_group_in_one_click(client, make):
    area = make.area(name="Grouptown", slug="grouptown")
    hub = make.actor(area=area, name="Open Hub", stages=[3])
    foyer = make.actor(area=area, name="Young Foyer", stages=[4], client_groups=["young_people"])
    refuge = make.actor(area=area, name="Women's Refuge", stages=[4], client_groups=["women"])
    make.link(hub, "refers_to", foyer)
    make.link(hub, "refers_to", refuge)
    soup = page_of(client, "/areas/grouptown/pathway")
    choice = {a.get_text(): a["href"] for a in soup.select("nav.pd-groups a")}
    assert choice["Everyone"] == "/areas/grouptown/pathway"
    assert choice["Young people (16-25)"] == "/areas/grouptown/pathway?client_group=young_people"
    assert soup.select_one("nav.pd-groups a[aria-current=page]").get_text() == "Everyone"
    assert {a.find("title").get_text().split(";")[0].split(",")[0] for a in soup.select("a.pd-node")} == {
        "Open Hub", "Young Foyer", "Women's Refuge"}

    soup = page_of(client, choice["Young people (16-25)"])
    assert soup.h1.get_text() == "Pathway of Grouptown for young people (16-25)"
    names = {a.find("title").get_text().split(";")[0].split(",")[0] for a in soup.select("a.pd-node")}
    assert names == {"Open Hub", "Young Foyer"}
    assert "2 of 3 services take them" in all_text(soup)
    # an unknown group is ignored: the pathway for everyone
    assert page_of(client, "/areas/grouptown/pathway?client_group=nobody").h1.get_text() == "Pathway of Grouptown"


def test_archived_and_pending_services_are_not_drawn_and_an_empty_area_says_so(client, make):
    area = make.area(name="Quiet", slug="quiet")
    make.actor(area=area, name="Gone Hostel", stages=[4], status="archived")
    make.actor(area=area, name="Waiting Hostel", stages=[4], status="pending")
    soup = page_of(client, "/areas/quiet/pathway")
    assert soup.select("a.pd-node") == []
    assert len(soup.select("g.pd-col-missing")) == 7
    assert "No active services are registered in Quiet yet" in all_text(soup)
    assert "Gone Hostel" not in soup.text and "Waiting Hostel" not in soup.text


def test_unknown_area_is_404_and_the_page_is_linked_from_the_area_its_analysis_map_and_network(client, demo):
    assert client.get("/areas/nowhere/pathway").status_code == 404
    target = f"/areas/{demo.slug}/pathway"
    for url in (f"/areas/{demo.slug}", f"/areas/{demo.slug}/analysis", f"/areas/{demo.slug}/map",
                f"/areas/{demo.slug}/network"):
        assert target in [a["href"].split("?")[0] for a in page_of(client, url).find_all("a", href=True)], url


def test_hostile_names_are_text_in_the_diagram(client, make):
    area = make.area(name="Hostile <b>town</b>", slug="hostile-pathway")
    make.actor(area=area, name="<script>alert(1)</script> Hostel", stages=[4])
    r = client.get("/areas/hostile-pathway/pathway")
    assert "<script>alert(1)" not in r.text and "<b>town</b>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_a_new_link_shows_on_the_next_request(client, make):
    # The layout is kept per data change: confirming a link must redraw it at once.
    area = make.area(name="Changetown", slug="changetown")
    outreach = make.actor(area=area, name="Outreach", stages=[2])
    hub = make.actor(area=area, name="Hub", stages=[3])
    before = page_of(client, "/areas/changetown/pathway")
    assert [g.find("title").get_text()[:40] for g in before.select("g.pd-arrow-broken")] == [
        "Missing handoff: no confirmed pathway li"]
    make.link(outreach, "refers_to", hub)
    after = page_of(client, "/areas/changetown/pathway")
    assert after.select("g.pd-arrow-broken") == []
    assert [g.find("title").get_text() for g in after.select("g.pd-arrow-forward")] == [
        "1 confirmed pathway link from stage 2 to stage 3"]
