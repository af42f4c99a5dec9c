"""Absurd or malformed ?page= values and bad distances: a 400 with a plain message, never a 500."""
import pytest

from directory.pagination import PAGE_MESSAGE
from tests.helpers import login

ABSURD = "99999999999999999999999"
BAD_PAGES = [ABSURD, "100001", "0", "-3", "abc", "1.5", "1e9", "9" * 5000]


@pytest.fixture
def world(make):
    """An area with a service open to research, a researcher, and an admin who coordinates its forum."""
    area = make.area(name="Pageford", slug="pageford", centre_lat=53.0, centre_lon=-1.5)
    service = make.actor(area=area, name="Page Hostel", open_to_research=True, research_topics="evictions",
                         latitude=53.01, longitude=-1.5)
    make.actor("researcher", area=area, name="Dr Page", seeking_partners=True)
    forum = make.actor("forum", area=area, forum_type="homelessness_forum")
    make.user("admin@example.org", admin=True, manages=[forum, service])
    return {"area": area, "service": service}


def paths(world):
    """Every page that reads ?page=, with the rest of its query string."""
    service_id = world["service"].id
    return [
        "/research/partners?", "/research/researchers?", "/areas/pageford/research?",
        "/areas/pageford/research?show=ended&", "/directory?", "/map/list?", "/analysis?",
        "/account/records?", "/account/inbox?", "/account/notices?", "/areas/pageford/stale?",
        f"/actors/{service_id}/history?", "/admin/users?", "/admin/areas?", "/admin/roles?",
        "/moderation?", "/moderation/claims?",
    ]


@pytest.mark.parametrize("page", BAD_PAGES)
def test_a_bad_page_is_a_400_with_a_message_everywhere(client, world, page):
    login(client, "admin@example.org")
    for path in paths(world):
        r = client.get(f"{path}page={page}")
        assert r.status_code == 400, (path, page, r.status_code)
        assert "Page must be a whole number from 1" in r.text, (path, page)


def test_good_and_empty_pages_still_work(client, world):
    login(client, "admin@example.org")
    for path in paths(world):
        for page in ("", "1", "2", " 3 ", "100000"):
            r = client.get(f"{path}page={page}")
            assert r.status_code == 200, (path, page, r.status_code)


@pytest.mark.parametrize("path", ["/research/partners", "/directory", "/map/list", "/areas/pageford/map",
                                  "/areas/pageford/network/table"])
def test_a_search_form_names_the_page_field_once(client, world, path):
    r = client.get(path, query_string={"page": "abc"})
    assert r.status_code == 400
    assert r.text.count(PAGE_MESSAGE) == 1  # in the error summary (the field itself is not drawn)
    assert "Not a valid integer value" not in r.text


DISTANCE_MESSAGE = "Enter a distance in kilometres from 0.1 to 1000, for example 5 or 2.5"


@pytest.mark.parametrize("within", ["abc", "0", "-2", "1001", "1e999", "nan", "inf", "5 km", ABSURD])
def test_a_bad_distance_gets_one_plain_message_beside_the_field(client, world, within):
    r = client.get("/research/partners", query_string={"near": "pageford", "within_km": within})
    assert r.status_code == 400
    assert 'id="within_km-error"' in r.text
    assert r.text.count(DISTANCE_MESSAGE) == 2  # the error summary and the field
    assert "Not a valid" not in r.text
    assert f'value="{within}"' in r.text  # the input is kept to correct


@pytest.mark.parametrize("within, found", [("1.5", True), ("0.5", False), ("2", True), (" 1000 ", True)])
def test_a_decimal_distance_is_accepted(client, world, within, found):
    r = client.get("/research/partners", query_string={"near": "53.0, -1.5", "within_km": within})
    assert r.status_code == 200
    assert ("Page Hostel" in r.text) is found  # about 1.1 km from the point
