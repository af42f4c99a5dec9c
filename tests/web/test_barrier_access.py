"""Who may see a coordinators-only barrier report: one rule on the record page, the analysis and its
downloads, the map's gaps overlay, the list and network views and their data."""

import pytest
from sqlalchemy import select

from directory import access
from directory.extensions import db
from directory.models import User
from tests.helpers import all_text, login, parse

SECRET = "Referral data kept on paper only"  # the report's description (map popups, lists, record page)
TITLE = "Data sharing at stage 3"  # its finding's title (analysis page and downloads)


def _text(response) -> str:
    """What a response carries as text: a page's (its map and chart data included), or a download's."""
    if response.mimetype == "text/html":
        return all_text(parse(response))
    return " ".join(response.text.split())


@pytest.fixture
def served(make):
    """A service homed in area A that also serves area B, with a coordinators-only report; and people."""
    home, served_area, elsewhere = (make.area(slug=s, name=s.title()) for s in ("home-a", "served-b", "forum-c"))
    service = make.actor(area=home, name="Hillside Hostel", stages=[3])
    service.areas_served = [served_area]
    db.session.commit()
    make.barrier(service, "data_sharing", 3, description=SECRET, visibility="coordinators")
    make.barrier(service, "capacity_full", 4, description="Beds full every night", visibility="public")
    # B's forum: the service is not a member, so B's coordinator moderates B but coordinates nothing of it.
    make.user("b-coord@example.org", manages=[make.actor("forum", area=served_area, name="B Forum")])
    # A forum elsewhere that the service belongs to: its coordinator sees the report wherever it is shown.
    own_forum = make.actor("forum", area=elsewhere, name="C Forum")
    make.link(service, "member_of", own_forum)
    make.user("own-coord@example.org", manages=[own_forum])
    # The home area's coordinator (who can already edit the record), its manager and an admin.
    make.user("a-coord@example.org", manages=[make.actor("forum", area=home, name="A Forum")])
    make.user("manager@example.org", manages=[service])
    make.user("admin@example.org", admin=True)
    make.user("member@example.org")
    return service


def _pages(service) -> dict[str, str]:
    """Every view of area B (and the record page) that could carry the report, and the text that betrays it."""
    b = "/areas/served-b"
    return {
        f"{b}/analysis": TITLE, f"{b}/analysis.csv": TITLE, f"{b}/analysis.json": TITLE,
        f"{b}/map?gaps=y": SECRET, f"{b}/map/list?gaps=y": SECRET, f"{b}/network/table?gaps=y": SECRET,
        f"{b}/network": SECRET, f"{b}/map.geojson": SECRET, f"{b}/graph.json": SECRET,
        f"/actors/{service.id}": SECRET,
    }


def _seen(client, service) -> set[str]:
    seen = set()
    for path, betrays in _pages(service).items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Hillside Hostel" in response.text, path  # the service itself is shown on every view
        if betrays in _text(response):
            seen.add(path)
    return seen


# Where the report shows to those who may see it (the network graph and the map data carry no reports).
SHOWN = {"/areas/served-b/analysis", "/areas/served-b/analysis.csv", "/areas/served-b/analysis.json",
         "/areas/served-b/map?gaps=y", "/areas/served-b/map/list?gaps=y", "/areas/served-b/network/table?gaps=y"}


def test_coordinator_of_an_area_the_service_only_serves_never_sees_its_coordinators_report(client, served):
    login(client, "b-coord@example.org")
    assert _seen(client, served) == set()


@pytest.mark.parametrize("email", ["own-coord@example.org", "a-coord@example.org", "manager@example.org",
                                   "admin@example.org"])
def test_its_forums_coordinators_home_coordinators_managers_and_admins_see_it_everywhere(client, served, email):
    login(client, email)
    assert _seen(client, served) == SHOWN | {f"/actors/{served.id}"}


@pytest.mark.parametrize("email", [None, "member@example.org"])
def test_visitors_and_members_never_see_it(client, served, email):
    if email:
        login(client, email)
    assert _seen(client, served) == set()
    assert "Beds full every night" in _text(client.get("/areas/served-b/map/list?gaps=y"))


def test_the_rule_as_a_set_is_one_query_however_many_services(make, served, count_queries):
    for _ in range(5):
        make.actor(area=served.area)  # more services in the home area: still one query
    coordinator = db.session.scalar(select(User).where(User.email == "a-coord@example.org"))
    with count_queries() as statements:
        scope = access.barrier_scope(coordinator)
    assert len(statements) == 1
    assert served.id in scope.coordinators_of and len(scope.coordinators_of) == 7  # 6 services and A's forum
