"""The map, the network view, their list and table alternatives and their data endpoints, through the real app."""
from __future__ import annotations

import json

import pytest

from tests.helpers import assert_scripts_carry_the_nonce, headed_rows, json_data, login, parse


def map_data(response) -> dict:
    """The map's data, from its <script type="application/json" id="map-data-..."> element."""
    return json_data(parse(response), "map-data-*")


def graph_data(response) -> dict:
    """The network view's data, from its <script type="application/json" id="graph-data" nonce=...> element."""
    data = parse(response).select_one('script[type="application/json"][id="graph-data"][nonce]')
    assert data is not None, "no graph data on the page"
    return json.loads(data.string)


def row(html: str, name: str):
    """The table row of one actor on a list or table page (headed by a link to its record)."""
    rows = [r for r in headed_rows(parse(html), r"/actors/\d+") if r.name == name]
    assert len(rows) == 1, f"{len(rows)} rows for {name}"
    return rows[0]


def names(data) -> set[str]:
    return {row[4] for row in data["actors"]}


@pytest.fixture
def town(make):
    """A small area: a forum, two services (one confidential), a researcher, and links of each status."""
    area = make.area(name="Townsville", slug="townsville", centre_lat=52.0, centre_lon=-1.0)
    forum = make.actor("forum", area=area, name="Town Forum", latitude=52.01, longitude=-1.01)
    hub = make.actor("service", area=area, name="Town Hub", stages=[3], latitude=52.02, longitude=-1.02,
                     contact_email="secret-hub@example.org")
    refuge = make.actor("service", area=area, name="Town Refuge", stages=[4], confidential=True,
                        latitude=52.1234, longitude=-1.2345, address="1 Hidden Lane")
    prof = make.actor("researcher", area=area, name="Prof Town", latitude=52.03, longitude=-1.03)
    make.actor("service", area=area, name="Pending Place", status="pending", latitude=52.04, longitude=-1.04)
    make.actor("service", area=area, name="Archived Place", status="archived", latitude=52.05, longitude=-1.05)
    make.link(hub, "member_of", forum)
    make.link(hub, "refers_to", refuge)
    make.link(prof, "evaluates", hub, status="proposed")
    make.link(refuge, "member_of", forum, status="declined")
    return {"area": area, "forum": forum, "hub": hub, "refuge": refuge, "prof": prof}


def test_area_map_page_shows_every_active_actor_and_confirmed_link(client, town):
    r = client.get("/areas/townsville/map")
    assert r.status_code == 200
    data = map_data(r)
    assert names(data) == {"Town Forum", "Town Hub", "Town Refuge", "Prof Town"}
    assert len(data["links"]) == 2
    assert {data["statuses"][l[3]][0] for l in data["links"]} == {"confirmed"}
    assert "Showing 4 actors and 2 links" in r.text
    assert "/areas/townsville/map/list" in r.text and "/areas/townsville/network" in r.text
    # Leaflet from static/vendor, every script with the nonce, nothing from elsewhere.
    assert_scripts_carry_the_nonce(r)
    soup = parse(r)
    assert soup.select_one('script[src="/static/vendor/leaflet/leaflet.js"]')
    for attribute in ("src", "href"):
        for element in soup.find_all(attrs={attribute: True}):
            assert not element[attribute].startswith(("http://", "https://")), element


def test_the_way_to_the_map_from_home_and_area_pages(client, town):
    assert 'href="/map"' in client.get("/").text
    area_page = client.get("/areas/townsville").text
    for href in ("/areas/townsville/map", "/areas/townsville/network", "/areas/townsville/map?gaps=1"):
        assert f'href="{href}"' in area_page


def test_confidential_service_never_shows_its_point_or_address(client, town):
    pages = [client.get(u).text for u in (
        "/areas/townsville/map", "/areas/townsville/map/list", "/areas/townsville/network",
        "/areas/townsville/network/table", "/areas/townsville/map.geojson", "/areas/townsville/graph.json",
        "/map", "/map.geojson", f"/actors/{town['refuge'].id}", f"/actors/{town['hub'].id}")]
    for text in pages:
        assert "52.1234" not in text and "-1.2345" not in text and "Hidden Lane" not in text
        assert "secret-hub@example.org" not in text
        assert "Pending Place" not in text and "Archived Place" not in text
    refuge_row = next(r for r in map_data(client.get("/areas/townsville/map"))["actors"] if r[4] == "Town Refuge")
    assert (refuge_row[2], refuge_row[3], refuge_row[6]) == (52.0, -1.0, 1)


def test_filters_redraw_the_map(client, town):
    data = map_data(client.get("/areas/townsville/map?kind=service"))
    assert names(data) == {"Town Hub", "Town Refuge"}
    assert len(data["links"]) == 1
    data = map_data(client.get("/areas/townsville/map?link_kind=member_of"))
    assert [data["linkKinds"][l[2]][0] for l in data["links"]] == ["member_of"]
    data = map_data(client.get("/areas/townsville/map?stage=4"))
    assert names(data) == {"Town Forum", "Town Refuge", "Prof Town"}
    r = client.get("/areas/townsville/map?kind=forum&kind=researcher")
    soup = parse(r)
    assert soup.select('input[value="forum"][checked]')
    assert not soup.select('input[value="service"][checked]')


@pytest.mark.parametrize("path", ["/areas/townsville/map", "/areas/townsville/network", "/areas/townsville/map/list",
                                  "/map"])
def test_filters_fold_behind_one_button_so_the_picture_comes_first(client, town, path):
    """One "Filters" button (details/summary: no script needed) holds the form; it says how many are in use
    and opens by itself only when a filter is refused."""
    fold = parse(client.get(path)).select_one("details.dm-filters-fold")
    assert fold.summary.get_text(strip=True) == "Filters" and not fold.has_attr("open")
    assert fold.select_one("form.dm-filters button[type=submit]")
    fold = parse(client.get(f"{path}?kind=service&kind=forum&stage=3&page=1")).select_one("details.dm-filters-fold")
    assert fold.summary.get_text(strip=True) == "Filters (2 in use)" and not fold.has_attr("open")
    refused = client.get(f"{path}?stage=9")
    assert refused.status_code == 400
    assert parse(refused).select_one("details.dm-filters-fold").has_attr("open")


@pytest.mark.parametrize("query, field", [
    ("kind=dragon", "Choose kinds of actor from the list"),
    ("link_kind=hugs", "Choose kinds of link from the list"),
    ("stage=9", "Choose a pathway stage from the list"),
    ("service_type=%3Cscript%3E", "Choose a service type from the list"),
    ("area=atlantis", "Choose an area from the list"),
    ("page=minus-one", "Page must be a whole number from 1"),
])
def test_malformed_filters_are_400_with_the_error_by_the_field(client, town, query, field):
    for path in ("/areas/townsville/map", "/areas/townsville/map/list", "/areas/townsville/network",
                 "/areas/townsville/network/table", "/map", "/map/list"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query)
        assert field in r.text
        assert "There is a problem" in r.text
    for path in ("/areas/townsville/map.geojson", "/areas/townsville/graph.json", "/map.geojson"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == 400 and r.is_json, (path, query)
        assert field in json.dumps(r.get_json()["errors"])


def test_choosing_another_area_moves_to_its_map(client, town, make):
    make.area(name="Elsewhere", slug="elsewhere")
    r = client.get("/areas/townsville/map?area=elsewhere&stage=3")
    assert r.status_code == 302 and r.headers["Location"].endswith("/areas/elsewhere/map?stage=3")
    assert client.get("/areas/townsville/map?area=").headers["Location"].endswith("/map")
    assert client.get("/map?area=townsville").headers["Location"].endswith("/areas/townsville/map")
    assert client.get("/areas/townsville/network?area=elsewhere").headers["Location"].endswith(
        "/areas/elsewhere/network")
    assert client.get("/areas/nowhere/map").status_code == 404
    assert client.get("/areas/nowhere/graph.json").status_code == 404


def test_public_never_sees_proposed_links(client, town, make):
    for query in ("", "?proposed=1", "?proposed=y"):
        data = map_data(client.get(f"/areas/townsville/map{query}"))
        assert {data["statuses"][l[3]][0] for l in data["links"]} == {"confirmed"}
        assert {e["status"] for e in graph_data(client.get(f"/areas/townsville/network{query}"))["edges"]} == {
            "confirmed"}
        geo = client.get(f"/areas/townsville/map.geojson{query}").get_json()
        assert {f["properties"]["status"] for f in geo["features"] if f["properties"]["feature"] == "link"} == {
            "confirmed"}
        assert {e["status"] for e in client.get(f"/areas/townsville/graph.json{query}").get_json()["edges"]} == {
            "confirmed"}
        assert "proposed" not in client.get(f"/areas/townsville/network/table{query}").text.split("<table")[-1]
    assert "Include proposed links" not in client.get("/areas/townsville/map").text
    # Signed in but coordinating nothing here: still no proposed links.
    make.user("member@example.org", manages=[town["hub"]])
    login(client, "member@example.org")
    data = map_data(client.get("/areas/townsville/map?proposed=1"))
    assert {data["statuses"][l[3]][0] for l in data["links"]} == {"confirmed"}


def test_coordinators_of_the_area_may_include_proposed_links(client, town, make):
    make.user("coord@example.org", manages=[town["forum"]])
    login(client, "coord@example.org")
    page = client.get("/areas/townsville/map")
    assert "Include proposed links" in page.text
    assert len(map_data(page)["links"]) == 2
    data = map_data(client.get("/areas/townsville/map?proposed=y"))
    assert sorted(data["statuses"][l[3]][0] for l in data["links"]) == ["confirmed", "confirmed", "proposed"]
    edges = graph_data(client.get("/areas/townsville/network?proposed=y"))["edges"]
    assert sorted(e["status"] for e in edges) == ["confirmed", "confirmed", "proposed"]
    geo = client.get("/areas/townsville/graph.json?proposed=y")
    assert geo.headers["Cache-Control"] == "private, no-store"
    table = client.get("/areas/townsville/network/table?proposed=y").text
    assert "(researcher, proposed)" in table
    # ...but not on the national map, which is for admins only.
    national = map_data(client.get("/map?proposed=y"))
    assert "proposed" not in {national["statuses"][l[3]][0] for l in national["links"]}


def test_admin_sees_proposed_links_on_the_national_map(client, town, make):
    make.user("admin@example.org", admin=True)
    login(client, "admin@example.org")
    data = map_data(client.get("/map?proposed=y"))
    assert "proposed" in {data["statuses"][l[3]][0] for l in data["links"]}


def test_gaps_overlay_marks_actors_and_lists_barriers_by_visibility(client, town, make):
    make.barrier(town["hub"], "no_move_on", 3, description="Nowhere to move people on to", visibility="public")
    make.barrier(town["hub"], "funding", None, description="Members-only worry", visibility="members")
    r = client.get("/areas/townsville/map?gaps=1")
    data = map_data(r)
    index = {row[4]: i for i, row in enumerate(data["actors"])}
    gaps = {data["actors"][i][4]: labels for i, labels in data["gaps"]}
    assert gaps["Prof Town"] == ["Isolated"]  # its only link is proposed
    assert "Town Forum" not in gaps or "Isolated" not in gaps["Town Forum"]
    barriers = dict(data["barriers"])
    assert barriers[index["Town Hub"]] == [
        "No move-on at stage 3 (3. Assessment and relief): Nowhere to move people on to"]
    assert "marked by the gaps overlay" in r.text
    listing = client.get("/areas/townsville/map/list?gaps=1").text
    assert "Nowhere to move people on to" in listing and "Members-only worry" not in listing
    assert ">Isolated<" in listing
    # Without ?gaps=1 there is no overlay at all.
    assert "gaps" not in map_data(client.get("/areas/townsville/map"))
    # Members see members' reports.
    make.user("member@example.org")
    login(client, "member@example.org")
    assert "Members-only worry" in client.get("/areas/townsville/map/list?gaps=1").text


def test_gaps_overlay_of_the_demo_area(client, demo):
    data = map_data(client.get(f"/areas/{demo.slug}/map?gaps=1"))
    labels = {label for _, row in data["gaps"] for label in row}
    assert {"Isolated", "Broker", "Outside the forums"} <= labels
    assert data["barriers"]
    # The national map does not offer the overlay.
    assert "gaps" not in map_data(client.get("/map?gaps=1"))


def test_gaps_overlay_letters_are_sent_from_one_table(client, town):
    """The letters on the markers and in the legend (map.js) and the page's hint all come from GAP_MARKS and
    BARRIER_MARK (directory/analysis/summary.py), sent with the map data."""
    from directory.analysis.summary import BARRIER_MARK, GAP_MARKS

    r = client.get("/areas/townsville/map?gaps=1")
    data = map_data(r)
    assert data["gapMarks"] == [list(mark) for mark in GAP_MARKS.values()]
    assert data["barrierMark"] == list(BARRIER_MARK)
    assert "Letters on a marker: I isolated, O outside the forums, D dead end, B broker, R reported barriers." in r.text
    plain = client.get("/areas/townsville/map")
    assert "gapMarks" not in map_data(plain) and "Letters on a marker" not in plain.text


def test_list_alternative_lists_every_actor_with_kind_stages_and_links(client, town):
    r = client.get("/areas/townsville/map/list")
    assert r.status_code == 200
    assert "4 actors and 2 links" in r.text
    for name in ("Town Forum", "Town Hub", "Town Refuge", "Prof Town"):
        assert f">{name}</a>" in r.text
    hub_row = row(r.text, "Town Hub").rest
    assert "3. Assessment and relief" in hub_row
    assert "Outgoing: member of" in hub_row and "Outgoing: refers to" in hub_row
    refuge_row = row(r.text, "Town Refuge").rest
    assert "Incoming: refers to" in refuge_row and "Confidential location" in refuge_row


def test_list_and_table_are_paginated(client, make, app):
    area = make.area(slug="busy")
    for i in range(app.config["PER_PAGE"] + 3):
        make.actor("service", area=area, name=f"Service {i:03d}")
    first = client.get("/areas/busy/network/table")
    assert "page 1 of 2" in first.text and "Service 000" in first.text
    second = client.get("/areas/busy/network/table?page=2")
    assert "page 2 of 2" in second.text and "Service 000" not in second.text
    assert f"Service {app.config['PER_PAGE'] + 2:03d}" in second.text
    assert "There is no page 9" in client.get("/areas/busy/map/list?page=9").text


def test_network_page_has_the_graph_and_its_scripts_in_order(client, town):
    r = client.get("/areas/townsville/network")
    assert r.status_code == 200
    graph = graph_data(r)
    assert {n["label"] for n in graph["nodes"]} == {"Town Forum", "Town Hub", "Town Refuge", "Prof Town"}
    assert {n["url"] for n in graph["nodes"]} == {f"/actors/{town[k].id}" for k in ("forum", "hub", "refuge", "prof")}
    assert '<div id="network"' in r.text and 'aria-label="Network graph of Townsville' in r.text
    assert r.text.index("js/network.js") < r.text.index("vis-network.min.js")
    assert "/areas/townsville/network/table" in r.text
    table = client.get("/areas/townsville/network/table").text
    forum_row = row(table, "Town Forum")
    assert "Incoming: member of" in forum_row.rest and forum_row.element.find("a", string="Town Hub")


def test_network_page_lists_the_actors_outside_the_main_group(client, town):
    r = client.get("/areas/townsville/network")
    nodes = {n["label"]: n for n in graph_data(r)["nodes"]}
    # The professor's only link is proposed (not shown): outside the main group, listed under the graph.
    assert [n for n, node in nodes.items() if not node["main"]] == ["Prof Town"]
    outliers = parse(r).select("#network-outliers a")
    assert [(a.string, a["href"]) for a in outliers] == [("Prof Town", f"/actors/{town['prof'].id}")]
    assert "1 actor has no link, direct or through others, to the main group of 3 actors" in " ".join(r.text.split())
    assert {n: node["degree"] for n, node in nodes.items()} == {
        "Town Forum": 1, "Town Hub": 2, "Town Refuge": 1, "Prof Town": 0}
    # Betweenness is the area analysis's (the hub stands between the forum, the refuge and the professor).
    assert nodes["Town Hub"]["betweenness"] > 0
    assert nodes["Town Forum"]["betweenness"] == nodes["Town Refuge"]["betweenness"] == 0
    # Everyone linked: no list.
    assert 'id="network-outliers"' not in client.get("/areas/townsville/network?kind=service").text


def test_data_endpoints_are_json_with_the_same_filters(client, town):
    geo = client.get("/areas/townsville/map.geojson?kind=service")
    assert geo.status_code == 200 and geo.mimetype == "application/json"
    body = geo.get_json()
    assert body["type"] == "FeatureCollection"
    points = [f for f in body["features"] if f["geometry"]["type"] == "Point"]
    assert {f["properties"]["name"] for f in points} == {"Town Hub", "Town Refuge"}
    refuge = next(f for f in points if f["properties"]["name"] == "Town Refuge")
    assert refuge["geometry"]["coordinates"] == [-1.0, 52.0] and refuge["properties"]["confidential"] is True
    graph = client.get("/areas/townsville/graph.json?link_kind=refers_to")
    assert graph.mimetype == "application/json"
    assert [e["kind"] for e in graph.get_json()["edges"]] == ["refers_to"]
    assert len(client.get("/map.geojson").get_json()["features"]) == 4 + 2


def test_actor_page_has_a_small_map_of_its_links(client, town, make):
    r = client.get(f"/actors/{town['hub'].id}")
    assert "On the map" in r.text
    data = map_data(r)
    assert names(data) == {"Town Hub", "Town Forum", "Town Refuge"}  # the proposed evaluation is not shown
    assert len(data["links"]) == 2
    assert '"allLinks":true' in r.text  # its own links, all drawn, no switch
    lonely = make.actor("researcher", name="No Place", latitude=None, longitude=None)
    assert "no location to show on a map" in client.get(f"/actors/{lonely.id}").text
