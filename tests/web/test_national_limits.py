"""The national map, its GeoJSON, its list and the national ranking are rate-limited per address (issue 9, item 12)."""
from __future__ import annotations

import re

import pytest

from tests.helpers import parse, text

NATIONAL = ["/map", "/map.geojson", "/map/list", "/analysis"]


@pytest.fixture
def places(make):
    area = make.area(name="Limitford", slug="limitford")
    make.actor("service", area=area, name="Limit House", stages=[3])
    return area


@pytest.mark.parametrize("path", NATIONAL)
def test_each_national_page_is_limited_per_address_with_a_page_saying_when_to_try_again(client, app, places, path):
    app.config["LIMIT_NATIONAL_PAGES"] = "3 per minute"
    for page in ("", "?page=2", "?page=3"):
        assert client.get(path + page, environ_base={"REMOTE_ADDR": "10.1.0.1"}).status_code == 200
    r = client.get(path + "?page=4", environ_base={"REMOTE_ADDR": "10.1.0.1"})
    assert r.status_code == 429
    wait = int(r.headers["Retry-After"])
    assert 0 < wait <= 60
    assert "<h1>Too many requests</h1>" in r.text
    heading = parse(r).find("h1")
    paragraph = heading.find_next_sibling(True)
    assert text(heading) == "Too many requests" and paragraph.name == "p" and not paragraph.find(True)
    message = text(paragraph)
    assert "too many requests for this page from your address" in message
    assert re.search(r"Wait (\d+ seconds?|1 minute), then try again", message), message
    # Another address is not affected, and an area's own pages are not limited by it.
    assert client.get(path, environ_base={"REMOTE_ADDR": "10.1.0.2"}).status_code == 200
    assert client.get("/areas/limitford/map", environ_base={"REMOTE_ADDR": "10.1.0.1"}).status_code == 200


def test_the_limit_counts_each_national_page_on_its_own(client, app, places):
    app.config["LIMIT_NATIONAL_PAGES"] = "2 per minute"
    for _ in range(2):
        for path in NATIONAL:
            assert client.get(path, environ_base={"REMOTE_ADDR": "10.1.0.3"}).status_code == 200
    assert {client.get(p, environ_base={"REMOTE_ADDR": "10.1.0.3"}).status_code for p in NATIONAL} == {429}
