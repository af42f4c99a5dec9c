"""The client-group filter of the map, its list, the network view and their data: it narrows the services
only (forums and researchers stay), as the stage and service-type filters do."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from directory.loader import SnapshotFilter, load_snapshot
from directory.maps.forms import MapFilterForm


@pytest.fixture
def area(make):
    area = make.area(name="Northby", slug="northby")
    young = make.actor("service", area=area, name="Youth Foyer", stages=[5], client_groups=["young_people"])
    families = make.actor("service", area=area, name="Family Hostel", stages=[4], client_groups=["families"])
    forum = make.actor("forum", area=area, name="Northby Forum")
    make.actor("researcher", area=area, name="Dr Reader")
    make.link(young, "member_of", forum)
    make.link(families, "member_of", forum)
    return area


class _Selected(HTMLParser):
    """The selected options' values of a page's <select name="client_group">."""

    def __init__(self, html: str):
        super().__init__()
        self.inside, self.values = False, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == "client_group"
        elif tag == "option" and self.inside and "selected" in attrs:
            self.values.append(attrs["value"])


def _names(snapshot) -> set[str]:
    return {a.name for a in snapshot.actors.values()}


def test_the_loader_keeps_the_services_for_the_group_and_every_forum_and_researcher(area):
    snapshot = load_snapshot(SnapshotFilter(area_id=area.id, client_group="young_people"), with_barriers=False)
    assert _names(snapshot) == {"Youth Foyer", "Northby Forum", "Dr Reader"}
    assert [(l.kind, l.source_id) for l in snapshot.links] == [
        ("member_of", next(a.id for a in snapshot.actors.values() if a.name == "Youth Foyer"))]


def test_the_form_asks_the_loader_for_the_group(app, area):
    with app.test_request_context("/?client_group=families&stage=4") as context:
        form = MapFilterForm(context.request.args, area_choices=[("northby", "Northby")])
        assert form.validate()
        assert form.snapshot_filter(area.id) == SnapshotFilter(area_id=area.id, client_group="families", stage=4)


@pytest.mark.parametrize("path", ["/areas/northby/map", "/areas/northby/map/list", "/areas/northby/network",
                                  "/areas/northby/network/table"])
def test_each_page_offers_the_filter_and_applies_it(client, area, path):
    page = client.get(path + "?client_group=young_people")
    assert page.status_code == 200
    assert _Selected(page.text).values == ["young_people"]
    assert "Youth Foyer" in page.text and "Northby Forum" in page.text
    assert "Family Hostel" not in page.text
    assert "Family Hostel" in client.get(path).text


def test_the_data_endpoints_apply_it(client, area):
    geojson = client.get("/areas/northby/map.geojson?client_group=families").get_json()
    names = {f["properties"]["name"] for f in geojson["features"] if f["geometry"]["type"] == "Point"}
    assert names == {"Family Hostel", "Northby Forum", "Dr Reader"}
    graph = client.get("/areas/northby/graph.json?client_group=families").get_json()
    assert {n["label"] for n in graph["nodes"]} >= {"Family Hostel"} and len(graph["nodes"]) == 3


@pytest.mark.parametrize("path,title", [
    ("/areas/northby/map", "Map of Northby"), ("/areas/northby/map/list", "Map of Northby as a list"),
    ("/areas/northby/network", "Network of Northby"), ("/areas/northby/network/table", "Network of Northby as a table"),
])
def test_an_unknown_group_is_refused_next_to_the_field(client, area, path, title):
    page = client.get(path + "?client_group=martians")
    assert page.status_code == 400
    assert "Choose a client group from the list" in page.text
    assert f"<title>Error: {title}" in page.text
    assert client.get("/areas/northby/map.geojson?client_group=martians").get_json() == {
        "errors": {"client_group": ["Choose a client group from the list"]}}
