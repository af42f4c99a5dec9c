"""Hostile text in every text field of an actor (and in the area's name) never runs anywhere it is shown.

Three payloads, each stored in every text field of a service, a forum and a researcher: a script
element, an attribute break-out into an <img onerror>, and a Jinja expression (folium's templates
compile text they are given, so `{{ 7*7 }}` must never become 49). Every page that shows actors, the
map HTML, the GeoJSON and the graph JSON are checked for the raw markup and for the evaluated sum.
"""
from __future__ import annotations

import pytest

from tests.helpers import json_data, parse

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JINJA = "zq{{ 7*7 }}qz"
PAYLOADS = (SCRIPT, IMG, JINJA)
# A web address must be http(s) without spaces, so its break-out has none.
WEBSITE = 'https://x.example/"><img/src=x/onerror=alert(1)>'

TEXT_FIELDS = ("name", "summary", "description", "organisation", "address", "eligibility", "capacity",
               "referral_route", "research_topics", "research_conditions", "coordinator_contact", "institution",
               "disciplines", "interests", "methods", "phone", "research_capacity")


def assert_inert(text: str, where: str) -> None:
    """No raw script element or img tag from the payloads, and the template expression not evaluated."""
    lowered = text.lower()
    assert "<script>alert" not in lowered, f"raw <script> on {where}"
    assert "<img src=x" not in lowered and "<img/src=x" not in lowered, f"raw <img> on {where}"
    assert "zq49qz" not in text, f"template expression evaluated on {where}"


@pytest.fixture
def hostile(make):
    """An area named with every payload, and per payload a service, a forum and a researcher with it in
    every text field, linked to each other and with a barrier report describing it."""
    area = make.area(name=f"{IMG} {SCRIPT} {JINJA}"[:200], slug="hostile")
    actors = []
    for n, payload in enumerate(PAYLOADS):
        fields = {f: payload for f in TEXT_FIELDS} | {"website": WEBSITE}
        service = make.actor("service", area=area, stages=[2, 4], latitude=53.0 + n / 100, longitude=-1.5,
                             open_to_research=True, **fields)
        forum = make.actor("forum", area=area, forum_type="homelessness_forum", latitude=53.005 + n / 100,
                           longitude=-1.49, **fields)
        researcher = make.actor("researcher", area=area, latitude=53.01 + n / 100, longitude=-1.48, **fields)
        make.link(service, "member_of", forum)
        make.link(researcher, "evaluates", service)
        make.barrier(service, description=payload, visibility="public")
        actors += [service, forum, researcher]
    return area, actors


def test_no_page_map_or_data_endpoint_lets_hostile_text_run(client, app, hostile):
    area, actors = hostile
    urls = [f"/actors/{a.id}" for a in actors] + [
        "/", "/areas", "/areas/hostile", "/directory?area=hostile", "/directory?q=script",
        "/areas/hostile/map", "/areas/hostile/map?gaps=1", "/areas/hostile/map?proposed=y&kind=service",
        "/areas/hostile/map/list?gaps=1", "/map", "/map/list",
        "/areas/hostile/network", "/areas/hostile/network/table",
        "/areas/hostile/map.geojson", "/map.geojson", "/areas/hostile/graph.json",
    ]
    urls += ["/areas/hostile/analysis", "/areas/hostile/analysis?sort=kind", "/analysis", "/areas/hostile/pathway"]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, url
        assert_inert(r.text, url)


def test_analysis_downloads_are_attachments_that_no_browser_renders(client, hostile):
    """The CSV and JSON carry the names as data (a spreadsheet or script reads them): they are served as
    downloads, with their own type and nosniff, under the same strict policy."""
    for url, mimetype in (("/areas/hostile/analysis.csv", "text/csv"),
                          ("/areas/hostile/analysis.json", "application/json")):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.mimetype == mimetype
        assert r.headers["Content-Disposition"].startswith("attachment;")
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert "script-src" in r.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in r.headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
        assert "zq49qz" not in r.text
    data = client.get("/areas/hostile/analysis.json").get_json()
    assert any(SCRIPT in finding["reason"] for finding in data["findings"])  # kept as data, not dropped


def test_the_payloads_are_shown_as_text_not_dropped(client, hostile):
    _, actors = hostile
    page = client.get(f"/actors/{actors[0].id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    map_page = client.get("/areas/hostile/map?gaps=1").text
    data = json_data(parse(map_page), "map-data-*")
    assert {row[4] for row in data["actors"]} == set(PAYLOADS)
    assert any(SCRIPT in texts[0] for _, texts in data["barriers"])
    assert "Map of &#34;&gt;&lt;img" in map_page or "Map of &quot;&gt;&lt;img" in map_page
    graph = client.get("/areas/hostile/graph.json").get_json()
    assert {n["label"] for n in graph["nodes"]} == set(PAYLOADS)
    geo = client.get("/areas/hostile/map.geojson").get_json()
    assert JINJA in {f["properties"].get("name") for f in geo["features"]}
    table = client.get("/areas/hostile/network/table").text
    assert "zq{{ 7*7 }}qz" in table
    service = client.get(f"/actors/{actors[0].id}").text
    assert 'href="https://x.example/&#34;&gt;&lt;img/src=x/onerror=alert(1)&gt;"' in service \
        or 'href="https://x.example/&quot;&gt;&lt;img/src=x/onerror=alert(1)&gt;"' in service
