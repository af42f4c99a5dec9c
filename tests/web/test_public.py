"""Public pages: home, directory, actor detail, areas; bad input; query counts."""
from datetime import date, timedelta

import pytest

from directory.extensions import db
from tests.helpers import links, parse, text

ACTOR = r"/actors/\d+"


def test_home_shows_counts_search_and_areas(client, demo):
    page = client.get("/").text
    assert "Search the directory" in page
    assert "42 services" in [text(strong.parent) for strong in parse(page).find_all("strong", string="42")]
    assert "Demo: Soarbridge (fictional)" in page and "Demo data" in page


def test_every_page_is_reachable_from_home_by_links_and_forms(client, demo):
    home = client.get("/").text
    area_url = f"/areas/{demo.slug}"
    assert f'href="{area_url}"' in home
    assert 'action="/directory"' in home  # the search form
    area_page = client.get(area_url).text
    assert "/directory?area=demo-soarbridge" in area_page.replace("&amp;", "&")
    listing = client.get("/directory?q=hostel").text
    actor_link = links(parse(listing), ACTOR)[0]["href"]
    assert client.get(actor_link).status_code == 200
    assert 'href="/areas"' in home
    assert client.get("/areas").status_code == 200


def test_directory_filters_and_count(client, demo):
    page = client.get("/directory?kind=service&stage=4&area=demo-soarbridge").text
    soup = parse(page)
    names = [text(a) for a in links(soup, ACTOR, "h3 > a:first-child")]
    assert "Winter Night Shelter" in names and "Gateway Direct-Access Hostel" in names
    assert "Soarbridge Street Outreach Team" not in names
    assert text(soup.find(id="results-heading")).startswith(f"{len(names)} results")
    research = client.get("/directory?open_to_research=y&kind=service").text
    assert "The Lantern Day Centre" in research and "Winter Night Shelter" not in research
    typed = client.get("/directory?service_type=housing_first").text
    assert "Housing First Soarbridge" in typed and "1 result" in typed
    lantern = client.get("/directory?q=lantern").text
    assert "The Lantern Day Centre" in lantern and "1 result" in lantern
    groups = client.get("/directory?client_group=veterans").text
    assert "Eastgate Veterans" in groups


def test_directory_paginates(client, demo):
    first = client.get("/directory?kind=service").text
    assert "page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/directory?kind=service&page=2").text
    assert "page 2 of 2" in second
    names1 = {a["href"] for a in links(parse(first), ACTOR, "h3 > a:first-child")}
    names2 = {a["href"] for a in links(parse(second), ACTOR, "h3 > a:first-child")}
    assert names1.isdisjoint(names2) and len(names1 | names2) == 42
    beyond = client.get("/directory?kind=service&page=9").text
    assert "There is no page 9" in beyond


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-3", "kind=robot", "stage=9", "area=nowhere",
                                   "service_type=<script>", "q=" + "x" * 201])
def test_malformed_filters_are_a_400_with_a_message(client, demo, query):
    r = client.get("/directory?" + query)
    assert r.status_code == 400
    assert "There is a problem" in r.text
    assert "<script>" not in r.text


def test_unknown_ids_are_404(client, demo):
    assert client.get("/actors/999999").status_code == 404
    assert "Page not found" in client.get("/actors/999999").text
    assert client.get("/areas/no-such-area").status_code == 404
    assert client.get("/actors/abc").status_code == 404


def test_actor_page_shows_fields_links_both_ways_forums_barriers_and_freshness(client, make):
    area = make.area()
    forum = make.actor("forum", area=area, name="Riverside Forum", forum_type="homelessness_forum")
    hostel = make.actor("service", area=area, name="Hill Hostel", stages=[4], service_types=["direct_access_hostel"],
                        organisation="Hill Housing", verified_at=date.today() - timedelta(days=400))
    outreach = make.actor("service", area=area, name="Outreach Team", stages=[2])
    proposer = make.actor("service", area=area, name="Proposed Partner", stages=[1])
    archived = make.actor("service", area=area, name="Archived Partner", status="archived")
    make.link(hostel, "member_of", forum)
    make.link(outreach, "refers_to", hostel)
    make.link(hostel, "refers_to", archived)
    make.link(proposer, "refers_to", hostel, status="proposed")
    make.barrier(hostel, "capacity_full", 4, description="Full every night", visibility="public")
    make.barrier(hostel, "risk_exclusion", 4, description="Members only text", visibility="members")
    page = client.get(f"/actors/{hostel.id}").text
    assert "Hill Housing" in page and "4. Emergency accommodation" in page
    assert "Riverside Forum" in page  # its forums
    assert "Outreach Team" in page and "Refers to (from others)" in page  # incoming link
    assert "Proposed Partner" not in page  # proposed links are not public
    assert "Archived Partner" not in page  # nor links to archived records
    assert "Full every night" in page and "Members only text" not in page
    assert "Not confirmed for over 12 months" in page
    forum_page = client.get(f"/actors/{forum.id}").text
    assert "Hill Hostel" in forum_page and "Member of (from others)" in forum_page


def test_confidential_service_never_shows_its_address_or_point(client, make):
    area = make.area()
    refuge = make.actor("service", area=area, name="Quiet Refuge", confidential=True, address="12 Secret Lane",
                        postcode="LE1 5WW", latitude=52.6111, longitude=-1.1222, stages=[4])
    page = client.get(f"/actors/{refuge.id}").text
    assert "Location withheld" in page
    for secret in ("12 Secret Lane", "LE1 5WW", "52.6111", "-1.1222"):
        assert secret not in page
    listing = client.get("/directory?q=quiet").text
    assert "Quiet Refuge" in listing and "LE1 5WW" not in listing
    assert "Quiet Refuge" not in client.get("/directory?q=LE1+5WW").text  # no search by its postcode


def test_pending_and_archived_records_are_hidden(client, make):
    pending = make.actor("service", name="Pending Place", status="pending")
    archived = make.actor("service", name="Archived Place", status="archived")
    assert client.get(f"/actors/{pending.id}").status_code == 404
    assert client.get(f"/actors/{archived.id}").status_code == 404
    assert "Pending Place" not in client.get("/directory?q=place").text


def test_area_page_shows_coverage_and_the_gap(client, demo):
    page = client.get(f"/areas/{demo.slug}").text
    assert "6. Move-on and rehousing" in page
    assert "a gap in the pathway" in page
    assert "Soarbridge Homelessness Forum" in page


def test_contact_email_never_shown(client, make):
    actor = make.actor("service", name="Mail Place", contact_email="private@example.org")
    assert "private@example.org" not in client.get(f"/actors/{actor.id}").text
    assert "private@example.org" not in client.get("/directory?q=mail").text


def _grow(make, area, n):
    forum = make.actor("forum", area=area)
    for i in range(n):
        s = make.actor("service", area=area, stages=[1 + i % 7], client_groups=["women"])
        make.link(s, "member_of", forum)
    return forum


def test_query_counts_do_not_grow_with_rows(client, make, count_queries):
    area = make.area()
    forum = _grow(make, area, 3)
    db.session.expire_all()
    with count_queries() as small_dir:
        client.get(f"/directory?area={area.slug}")
    with count_queries() as small_actor:
        client.get(f"/actors/{forum.id}")
    with count_queries() as small_area:
        client.get(f"/areas/{area.slug}")
    for _ in range(40):
        s = make.actor("service", area=area, stages=[3])
        make.link(s, "member_of", forum)
    db.session.expire_all()
    with count_queries() as big_dir:
        client.get(f"/directory?area={area.slug}")
    with count_queries() as big_actor:
        client.get(f"/actors/{forum.id}")
    with count_queries() as big_area:
        client.get(f"/areas/{area.slug}")
    assert len(big_dir) == len(small_dir)
    assert len(big_actor) == len(small_actor)
    assert len(big_area) == len(small_area)
    assert len(big_actor) <= 16


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    assert r.headers["X-Content-Type-Options"] == "nosniff"
