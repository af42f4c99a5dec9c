"""Map, graph and GeoJSON builders (directory/mapping.py) on hand-built snapshots."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from directory.mapping import (
    KIND_STYLES,
    LINK_STYLES,
    STAGE_COLOURS,
    build_map,
    geojson,
    graph_data,
    json_for_script,
    map_data,
)
from directory.snapshot import ActorNode, AreaInfo, LinkEdge, Snapshot
from directory.vocab import ACTOR_KINDS, LINK_KINDS, STAGE_NUMBERS
from tests.helpers import json_data, parse, script_and_style_tags

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'
NONCE = "r4nd0m-N0nce_value"
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"

AREA = AreaInfo(id=1, name="Camden", slug="camden", lat=51.54, lon=-0.14, zoom=13)
# The refuge's real address is somewhere else; the loader moves it to the area centre.
REFUGE_REAL_POINT = (51.5555, -0.1777)


def static_url(filename: str) -> str:
    return "/static/" + filename


def area_snapshot() -> Snapshot:
    actors = {
        1: ActorNode(1, "service", "Camden Assessment Hub", area_id=1, lat=51.541, lon=-0.143,
                     stages=(3, 2), summary="Assessment and relief."),
        2: ActorNode(2, "service", "Safe Haven Refuge", area_id=1, lat=AREA.lat, lon=AREA.lon,
                     confidential=True, stages=(4,), service_types=("domestic_abuse",)),
        3: ActorNode(3, "forum", "Camden Homelessness Forum", area_id=1, lat=51.539, lon=-0.142,
                     subtype="homelessness_forum"),
        4: ActorNode(4, "researcher", "Dr A. Researcher", area_id=1, lat=51.52, lon=-0.13,
                     subtype="UCL"),
        5: ActorNode(5, "service", "No Address Outreach", area_id=1, lat=None, lon=None, stages=(2,)),
    }
    links = [
        LinkEdge(10, "refers_to", 1, 2),
        LinkEdge(11, "member_of", 1, 3),
        LinkEdge(12, "member_of", 2, 3, status="proposed"),
        LinkEdge(13, "evaluates", 4, 1),
        LinkEdge(14, "refers_to", 5, 1),  # no point at one end: not on the map
        LinkEdge(15, "refers_to", 2, 1, status="declined"),
    ]
    return Snapshot(actors=actors, links=links, area=AREA)


def xss_snapshot() -> Snapshot:
    actors = {
        1: ActorNode(1, "service", XSS_SCRIPT, lat=51.5, lon=-0.1, summary=XSS_IMG, organisation=XSS_IMG,
                     stages=(1,)),
        2: ActorNode(2, "forum", XSS_IMG, lat=51.51, lon=-0.11, summary=XSS_SCRIPT, subtype="other"),
        3: ActorNode(3, "researcher", "R & D </script><script>alert(2)</script>", lat=51.52, lon=-0.12,
                     subtype=XSS_IMG),
        4: ActorNode(4, "service", "Line\u2028separator\u2029 {{ 7*7 }} {% raw %}", lat=51.53, lon=-0.13),
    }
    links = [LinkEdge(1, "member_of", 1, 2), LinkEdge(2, "evaluates", 3, 1)]
    area = AreaInfo(9, "Area <b>{{ 6*6 }}</b>", "a", 51.5, -0.1)
    return Snapshot(actors=actors, links=links, area=area)


def render(snapshot: Snapshot, **kwargs) -> dict:
    args = dict(tiles_url=TILES, attribution="Map data OpenStreetMap contributors", static_url=static_url,
                actor_url_template="/actors/{id}", nonce=NONCE)
    args.update(kwargs)
    return build_map(snapshot, **args)


def whole(parts: dict) -> str:
    return str(parts["head"]) + str(parts["body"]) + str(parts["script"])


def data_from_html(parts: dict) -> dict:
    return json_data(parse(str(parts["body"])), parts["data_id"])


# --- map_data ----------------------------------------------------------------


def test_map_data_rows_and_legend():
    data = map_data(area_snapshot())
    ids = [row[0] for row in data["actors"]]
    assert ids == [1, 2, 3, 4]  # actor 5 has no point
    hub = data["actors"][0]
    assert hub[1] == ACTOR_KINDS.keys().index("service")
    assert hub[2:4] == [51.541, -0.143]
    assert hub[4] == "Camden Assessment Hub"
    assert hub[5] == "23"  # stages in order: first stage 2 is the marker label
    assert hub[6] == 0
    assert hub[7] == "/actors/1"
    forum = data["actors"][2]
    assert forum[5] == "Homelessness forum"
    assert data["actors"][3][5] == "UCL"

    kinds = [k[0] for k in data["linkKinds"]]
    statuses = [s[0] for s in data["statuses"]]
    decoded = {(ids[s], ids[t], kinds[k], statuses[st]) for s, t, k, st in data["links"]}
    assert decoded == {
        (1, 2, "refers_to", "confirmed"),
        (1, 3, "member_of", "confirmed"),
        (2, 3, "member_of", "proposed"),
        (4, 1, "evaluates", "confirmed"),
    }  # declined link and the link to the actor without a point are left out

    assert [k[0] for k in data["kinds"]] == ["service", "forum", "researcher"]
    assert {k[2] for k in data["kinds"]} == {"circle", "square", "triangle"}
    assert [s[0] for s in data["stages"]] == [1, 2, 3, 4, 5, 6, 7]
    assert data["area"]["slug"] == "camden"
    json.dumps(data)  # JSON-able


def test_map_data_without_links_and_all_statuses():
    assert map_data(area_snapshot(), include_links=False)["links"] == []
    everything = map_data(area_snapshot(), link_statuses=None)
    assert len(everything["links"]) == 5  # the declined one too


def test_every_link_kind_has_a_style_and_kinds_differ_by_shape():
    assert set(LINK_STYLES) == {lk.key for lk in LINK_KINDS}
    shapes = [style[0] for style in KIND_STYLES.values()]
    assert len(set(shapes)) == len(shapes)
    # Within a group, kinds differ by dash pattern (colour is per group).
    by_group: dict[str, list[str]] = {}
    for lk in LINK_KINDS:
        by_group.setdefault(lk.group, []).append(LINK_STYLES[lk.key][1])
    for dashes in by_group.values():
        assert len(set(dashes)) == len(dashes)


def _contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_stage_has_its_own_colour_that_white_numbers_read_on():
    assert sorted(STAGE_COLOURS) == STAGE_NUMBERS
    assert len(set(STAGE_COLOURS.values())) == len(STAGE_COLOURS)
    for colour in STAGE_COLOURS.values():
        assert _contrast(colour, "#ffffff") >= 4.5, colour
        assert _contrast(colour, "#eef2f4") >= 3, colour  # the plain map background
    assert map_data(area_snapshot())["stages"][0] == [1, "1. Prevention", STAGE_COLOURS[1]]


def test_map_stylesheet_repeats_the_kind_and_stage_colours():
    """static/css/map.css cannot read styles.py: the two must not drift apart."""
    css = (Path(__file__).parents[2] / "static" / "css" / "map.css").read_text()
    for kind, (_shape, _vis, colour) in KIND_STYLES.items():
        assert f".dm-kind-{kind} {{ --dm-colour: {colour}; }}" in css
    for number, colour in STAGE_COLOURS.items():
        assert f".dm-kind-service.dm-stage-{number} {{ --dm-colour: {colour}; }}" in css


# --- Confidential services -------------------------------------------------------


def _assert_no_real_point(text: str):
    lat, lon = REFUGE_REAL_POINT
    assert str(lat) not in text and str(lon) not in text


def test_confidential_service_only_at_snapshot_point_and_flagged():
    snap = area_snapshot()
    data = map_data(snap)
    refuge = next(row for row in data["actors"] if row[0] == 2)
    assert refuge[2:4] == [AREA.lat, AREA.lon]
    assert refuge[6] == 1
    assert all(row[6] == 0 for row in data["actors"] if row[0] != 2)
    _assert_no_real_point(json.dumps(data))

    gj = geojson(snap)
    feature = next(f for f in gj["features"]
                   if f["properties"].get("feature") == "actor" and f["properties"]["id"] == 2)
    assert feature["geometry"]["coordinates"] == [AREA.lon, AREA.lat]
    assert feature["properties"]["confidential"] is True
    others = [f for f in gj["features"] if f["properties"].get("feature") == "actor" and f["properties"]["id"] != 2]
    assert all(f["properties"]["confidential"] is False for f in others)
    # Links to the refuge end at the area centre too.
    for f in gj["features"]:
        if f["geometry"]["type"] == "LineString" and 2 in (f["properties"]["source"], f["properties"]["target"]):
            assert [AREA.lon, AREA.lat] in f["geometry"]["coordinates"]
    _assert_no_real_point(json.dumps(gj))

    html = whole(render(snap))
    _assert_no_real_point(html)
    assert data_from_html(render(snap))["actors"][1][6] == 1


def test_confidential_popup_text_is_in_map_js():

    js = (Path(__file__).resolve().parents[2] / "static" / "js" / "map.js").read_text(encoding="utf-8")
    assert "Location withheld (confidential service) \\u2014 shown at area centre" in js


# --- geojson and graph_data ----------------------------------------------------------


def test_geojson_feature_collection():
    gj = geojson(area_snapshot())
    assert gj["type"] == "FeatureCollection"
    points = [f for f in gj["features"] if f["geometry"]["type"] == "Point"]
    lines = [f for f in gj["features"] if f["geometry"]["type"] == "LineString"]
    assert sorted(f["properties"]["id"] for f in points) == [1, 2, 3, 4]
    hub = next(f for f in points if f["properties"]["id"] == 1)
    assert hub["geometry"]["coordinates"] == [-0.143, 51.541]  # [lon, lat]
    assert hub["properties"] == {"feature": "actor", "id": 1, "kind": "service", "name": "Camden Assessment Hub",
                                 "stages": [2, 3], "confidential": False, "url": "/actors/1"}
    assert {(f["properties"]["kind"], f["properties"]["status"]) for f in lines} == {
        ("refers_to", "confirmed"), ("member_of", "confirmed"), ("member_of", "proposed"),
        ("evaluates", "confirmed")}
    json.dumps(gj)


def test_graph_data_nodes_and_edges():
    g = graph_data(area_snapshot(), actor_url_template="/a/{id}")
    nodes = {n["id"]: n for n in g["nodes"]}
    assert set(nodes) == {1, 2, 3, 4, 5}  # the network view needs no point
    assert nodes[1] == {"id": 1, "label": "Camden Assessment Hub", "kind": "service", "group": "service",
                        "stages": [2, 3], "subtype": "", "url": "/a/1", "degree": 4, "main": True,
                        "betweenness": None}
    assert nodes[3]["kind"] == "forum" and nodes[3]["stages"] == []
    edges = {e["id"]: e for e in g["edges"]}
    assert set(edges) == {10, 11, 12, 13, 14}  # declined left out
    assert edges[10] == {"id": 10, "from": 1, "to": 2, "kind": "refers_to", "label": "Refers to",
                         "status": "confirmed", "dashes": False}
    assert edges[12]["status"] == "proposed" and edges[12]["dashes"]  # proposed: dashed
    assert all(isinstance(e["dashes"], (bool, list)) for e in g["edges"])
    json.dumps(g)


def test_graph_data_marks_the_main_group_degrees_and_the_betweenness_given():
    snapshot = area_snapshot()
    snapshot.actors[6] = ActorNode(6, "service", "Far Off Advice", area_id=1, lat=None, lon=None, stages=(1,))
    snapshot.actors[7] = ActorNode(7, "forum", "Lonely Forum", area_id=1, lat=None, lon=None)
    snapshot.links.append(LinkEdge(16, "member_of", 6, 7))
    g = graph_data(snapshot, betweenness={1: 0.8333333, 3: 0.1})
    nodes = {n["id"]: n for n in g["nodes"]}
    # The largest connected group is the main one; a pair linked only to each other is not in it.
    assert {i for i, n in nodes.items() if n["main"]} == {1, 2, 3, 4, 5}
    assert not nodes[6]["main"] and not nodes[7]["main"]
    # Degree counts the other actors linked in the edges shown (1 and 2 twice over: counted once).
    assert {i: n["degree"] for i, n in nodes.items()} == {1: 4, 2: 2, 3: 2, 4: 1, 5: 1, 6: 1, 7: 1}
    assert {i: n["betweenness"] for i, n in nodes.items()} == {1: 0.8333, 2: 0.0, 3: 0.1, 4: 0.0, 5: 0.0,
                                                               6: 0.0, 7: 0.0}


def test_graph_data_with_no_links_shows_every_actor_alike():
    snapshot = area_snapshot()
    snapshot.links.clear()
    g = graph_data(snapshot)
    assert all(n["main"] and n["degree"] == 0 for n in g["nodes"])


# --- Escaping ---------------------------------------------------------------------


def test_json_for_script_escapes_html_and_line_separators():
    obj = {"a": XSS_SCRIPT, "b": XSS_IMG, "c": "x & y", "d": "\u2028\u2029", "e": "</script><!--"}
    out = json_for_script(obj)
    text = str(out)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert "\\u003cscript\\u003e" in text
    assert json.loads(text) == obj
    assert type(out).__name__ == "Markup"


def test_build_map_escapes_user_text():
    parts = render(xss_snapshot())
    html = whole(parts)
    assert "<script>alert" not in html
    assert "</script><script>alert(2)" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "\u2028" not in html and "\u2029" not in html
    # The data round-trips intact, for the browser to put in textContent.
    data = data_from_html(parts)
    names = {row[0]: row[4] for row in data["actors"]}
    assert names[1] == XSS_SCRIPT
    assert names[2] == XSS_IMG
    assert data["actors"][2][5] == XSS_IMG  # a researcher's institution


def test_build_map_user_text_is_not_evaluated_as_a_template():
    # branca compiles macro output as Jinja; user text must never be evaluated.
    parts = render(xss_snapshot())
    html = whole(parts)
    assert "{{ 7*7 }} {% raw %}" in html
    assert data_from_html(parts)["actors"][3][4] == "Line\u2028separator\u2029 {{ 7*7 }} {% raw %}"
    assert data_from_html(parts)["area"]["name"] == "Area <b>{{ 6*6 }}</b>"
    assert 'aria-label="Map of Area &lt;b&gt;&#123;&#123; 6*6 &#125;&#125;&lt;/b&gt;"' in html
    assert "Map of Area &lt;b&gt;36" not in html


def test_build_map_escapes_attribution_unless_markup():
    html = whole(render(area_snapshot(), attribution="<img src=x>"))
    assert "<img" not in html
    with pytest.raises(ValueError):
        render(area_snapshot(), tiles_url='javascript:alert(1)//{z}')
    with pytest.raises(ValueError):
        render(area_snapshot(), tiles_url="https://t.example/{{7*7}}/{z}/{x}/{y}.png")


# --- CSP: nonces, no CDN, no inline style --------------------------------------------


@pytest.mark.parametrize("tiles", [TILES, None])
def test_every_script_and_style_tag_has_the_nonce(tiles):
    parts = render(area_snapshot(), tiles_url=tiles, focus_actor_id=1)
    html = whole(parts)
    tags = script_and_style_tags(parse(html))
    assert tags, "expected script tags"
    for tag in tags:
        assert tag.get("nonce") == NONCE, tag
    assert html.lower().count("<script") == html.lower().count("</script>")  # each closed, none swallowed
    assert " style=" not in html  # no inline style attributes of our own
    assert "<style" not in html


def test_bad_nonce_is_refused():
    with pytest.raises(ValueError):
        render(area_snapshot(), nonce='x" onload="alert(1)')


@pytest.mark.parametrize("tiles", [TILES, None])
def test_no_url_other_than_the_tiles_url(tiles):
    html = whole(render(area_snapshot(), tiles_url=tiles))
    urls = set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html))
    allowed = {TILES} if tiles else set()
    assert urls <= allowed, urls - allowed
    for needle in ("cdn", "jsdelivr", "cdnjs", "unpkg", "jquery", "bootstrap", "fontawesome", "awesome"):
        assert needle not in html.lower()


def test_assets_are_vendored_static_files():

    root = Path(__file__).resolve().parents[2] / "static"
    parts = render(area_snapshot())
    srcs = [tag.get("src", tag.get("href")) for tag in parse(str(parts["head"])).find_all(
        lambda tag: tag.has_attr("src") or tag.has_attr("href"))]
    assert srcs == [
        "/static/vendor/leaflet/leaflet.js",
        "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "/static/js/dm-common.js",
        "/static/js/map.js",
        "/static/vendor/leaflet/leaflet.css",
        "/static/vendor/leaflet.markercluster/MarkerCluster.css",
        "/static/css/map.css",
    ]
    for src in srcs:
        assert (root / src.removeprefix("/static/")).is_file(), src
    assert (root / "vendor" / "vis-network" / "vis-network.min.js").is_file()
    assert (root / "vendor" / "axe-core" / "axe.min.js").is_file()


def test_build_map_pieces_and_options():
    parts = render(area_snapshot(), tiles_url=None, focus_actor_id=2, height="480px")
    body, script = str(parts["body"]), str(parts["script"])
    assert f'id="{parts["map_id"]}"' in body
    assert 'data-height="480px"' in body
    assert "dm-no-tiles" in body
    assert 'aria-label="Map of Camden"' in body
    assert "L.tileLayer" not in script
    assert f'DirectoryMap.init({parts["map_id"]}, "{parts["data_id"]}"' in script
    assert '"focus":2' in script
    # Links: only the selected actor's until the reader switches them all on; a record's small map
    # (markers not grouped) draws its own links from the start.
    assert '"allLinks":false' in script
    assert '"allLinks":true' in str(render(area_snapshot(), cluster=False)["script"])
    assert '"allLinks":true' in str(render(area_snapshot(), all_links=True)["script"])
    assert "L.marker" not in script and "L.polyline" not in script  # drawn by map.js from the data
    with_tiles = str(render(area_snapshot())["script"])
    assert "L.tileLayer" in with_tiles and TILES in with_tiles
    with pytest.raises(ValueError):
        render(area_snapshot(), height="1px;background:url(x)")


def test_build_map_without_area_or_points():
    snap = Snapshot(actors={1: ActorNode(1, "service", "Nowhere")}, links=[])
    parts = render(snap)
    data = data_from_html(parts)
    assert data["actors"] == [] and data["bounds"] is None and data["area"] is None
    assert '"fitBounds":true' in str(parts["script"])


# --- Scale (size, not time) --------------------------------------------------------------


def synthetic_national(n_actors: int = 20_000, n_links: int = 100_000, seed: int = 7) -> Snapshot:
    rnd = random.Random(seed)
    words = ["Riverside", "St Martin's", "Harbour", "Northgate", "Crossroads", "Lantern", "Compass"]
    types = ["Assessment Hub", "Night Shelter", "Housing First", "Supported Housing", "Tenancy Support"]
    actors = {}
    for i in range(1, n_actors + 1):
        r = rnd.random()
        kind = "service" if r < 0.85 else ("forum" if r < 0.93 else "researcher")
        actors[i] = ActorNode(
            id=i, kind=kind, name=f"{rnd.choice(words)} {rnd.choice(types)} {i}",
            lat=round(rnd.uniform(50.0, 58.5), 6), lon=round(rnd.uniform(-5.5, 1.7), 6),
            confidential=kind == "service" and rnd.random() < 0.02,
            stages=tuple(sorted(rnd.sample(range(1, 8), rnd.randint(1, 3)))) if kind == "service" else (),
            subtype="homelessness_forum" if kind == "forum" else ("University of Leeds" if kind == "researcher" else ""),
        )
    links = []
    for j in range(1, n_links + 1):
        lk = rnd.choice(LINK_KINDS.terms)
        s = rnd.randint(1, n_actors)
        t = rnd.randint(1, n_actors - 1)
        t = t + 1 if t >= s else t
        links.append(LinkEdge(j, lk.key, s, t, status="proposed" if rnd.random() < 0.1 else "confirmed"))
    return Snapshot(actors=actors, links=links)


def test_national_map_data_serialises_under_4_mb():
    snap = synthetic_national()
    data = map_data(snap)
    assert len(data["actors"]) == 20_000
    assert len(data["links"]) == 100_000
    size = len(str(json_for_script(data)).encode("utf-8"))
    assert size < 4_000_000, size
    html = whole(render(snap))
    assert len(html.encode("utf-8")) < 5_000_000
