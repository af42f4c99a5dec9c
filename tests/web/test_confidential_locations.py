"""A confidential service (a refuge) is never placed, found or matched by its postcode, address or point,
on any page, download or search, even when it was switched to confidential after giving them."""
import re

import pytest

from directory.extensions import db
from directory.models import Actor
from tests.helpers import login, logout, parse, post_form, text, without_tokens

POSTCODE, ADDRESS, LAT, LON = "LE2 1AB", "7 Hidden Row", 52.6111, -1.1222
# Anything that would place it: the postcode (and its halves, as search words), the address, the point.
SECRETS = ("LE2 1AB", "LE21AB", "le2 1ab", "Hidden Row", "52.611", "-1.122")
# Every public page and download that shows the area's services (the record page is added by id).
PAGES = ("/areas/quietshire/map", "/areas/quietshire/map?gaps=y", "/areas/quietshire/map/list",
         "/areas/quietshire/network", "/areas/quietshire/network/table", "/areas/quietshire/map.geojson",
         "/areas/quietshire/graph.json", "/map", "/map/list", "/map.geojson", "/areas/quietshire/analysis",
         "/areas/quietshire/analysis.json", "/areas/quietshire/analysis.csv", "/directory?q=hillside",
         "/research/partners?topics=domestic+abuse")


@pytest.fixture
def refuge(client, make):
    """A service registered with its address, postcode and point, then made confidential by its manager
    through the edit form; and a partner service in the same area whose manager proposes links."""
    area = make.area(name="Quietshire", slug="quietshire", centre_lat=52.0, centre_lon=-1.0)
    record = make.actor(area=area, name="Hillside Refuge", address=ADDRESS, postcode=POSTCODE, latitude=LAT,
                        longitude=LON, stages=[4], open_to_research=True, research_topics="domestic abuse")
    partner = make.actor(area=area, name="Quietshire Advice", stages=[3])
    make.link(partner, "refers_to", record)
    make.user("refuge@example.org", manages=[record])
    make.user("partner@example.org", manages=[partner])
    # Placed and found by its postcode while it is not confidential, so the checks below can see a leak;
    # every page is asked for once first, so a cache kept from before the switch would show too.
    assert "Hillside Refuge" in client.get("/directory", query_string={"q": POSTCODE}).text
    assert "52.611" in client.get("/areas/quietshire/map.geojson").text
    for path in PAGES + (f"/actors/{record.id}",):
        assert client.get(path).status_code == 200, path
    login(client, "refuge@example.org")
    r = post_form(client, f"/actors/{record.id}/edit", {
        "name": record.name, "area_id": str(area.id), "service_types": record.service_types, "stages": ["4"],
        "address": ADDRESS, "postcode": POSTCODE, "latitude": str(LAT), "longitude": str(LON),
        "open_to_research": "y", "research_topics": "domestic abuse", "confidential": "y"})
    assert r.status_code == 302, r.text
    logout(client)
    db.session.expire_all()
    assert db.session.get(Actor, record.id).confidential
    return record


def _clean(response, what):
    assert response.status_code in (200, 400), what
    text = without_tokens(response.text)
    for secret in SECRETS:
        assert secret not in text, (what, secret)


def test_no_public_page_download_or_search_places_it(client, refuge):
    for path in PAGES + (f"/actors/{refuge.id}",):
        response = client.get(path)
        _clean(response, path)
        assert "Hillside Refuge" in response.text, path


@pytest.mark.parametrize("q", [POSTCODE, "LE2", "1AB", "le21ab", "Hidden Row"])
def test_its_old_postcode_and_address_find_it_nowhere(client, refuge, q):
    assert "Hillside Refuge" not in client.get("/directory", query_string={"q": q}).text
    # Nor in the search for the other end of a new link.
    login(client, "partner@example.org")
    partner = db.session.scalar(db.select(Actor).where(Actor.name == "Quietshire Advice"))
    page = client.get(f"/actors/{partner.id}/links/new", query_string={"q": q, "kind": "refers_to"})
    assert page.status_code == 200 and "Hillside Refuge" not in page.text


def test_partner_search_distance_is_measured_from_its_area_centre_not_its_point(client, refuge):
    # Standing on its own point: it is as far as its area's centre (about 70 km), not 0 km away, so
    # moving "Distance from" about cannot triangulate it.
    r = client.get("/research/partners", query_string={"topics": "domestic abuse", "near": f"{LAT}, {LON}"})
    assert '"Hillside Refuge",52.0,-1.0,true' in r.text  # on the results map at its area's centre
    km = re.search(r"([\d.]+) km away, distance approximate \(confidential location\)", text(parse(r)))
    assert "Hillside Refuge" in r.text and km and 60 < float(km.group(1)) < 80
    near = client.get("/research/partners", query_string={"near": f"{LAT}, {LON}", "within_km": "5"})
    assert "Hillside Refuge" not in near.text
    centre = client.get("/research/partners", query_string={"near": "52.0, -1.0", "within_km": "5"})
    assert "Hillside Refuge" in centre.text
    # Its postcode is not a place partner search knows.
    r = client.get("/research/partners", query_string={"near": POSTCODE})
    assert r.status_code == 400 and "We could not find that postcode among the records here" in r.text


def test_registration_never_matches_it_by_its_old_postcode(client, make, refuge):
    from tests.web.test_register import about, location, service_details

    make.user("someone@example.org")
    login(client, "someone@example.org")
    post_form(client, "/register/service/about", about(make.area(), name="Another Place"))
    post_form(client, "/register/service/details", service_details())
    r = post_form(client, "/register/service/location", location(postcode=POSTCODE))
    assert r.headers["Location"].endswith("/register/service/check")
