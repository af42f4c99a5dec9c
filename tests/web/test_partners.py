"""Partner finding through the real app: searches, what is never offered, query counts, activity page."""
import re

from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor
from tests.helpers import assert_scripts_carry_the_nonce, definition, login, parse, text

SEARCH = "/research/partners"
TOPIC = "psychologically informed environments"


def by_name(name):
    return db.session.scalar(select(Actor).where(Actor.name == name))


def ranked_names(html):
    """Result names in rank order, from the result headings (<h3><span class="meta">1.</span> <a ...>Name</a>)."""
    names = []
    for h3 in parse(html).find_all("h3"):
        parts = h3.find_all(True, recursive=False)
        if ([p.name for p in parts] == ["span", "a"] and parts[0].get("class") == ["meta"]
                and re.fullmatch(r"\d+\.", text(parts[0]))
                and re.fullmatch(r"/actors/\d+", parts[1].get("href", ""))):
            names.append(text(parts[1]))
    return names


def _first_link(dd) -> str:
    """The text of the link a <dd> starts with."""
    first = dd.find(True)
    assert first is not None and first.name == "a" and dd.contents[0] is first, dd
    return text(first)


def test_demo_topic_search_ranks_the_services_that_welcome_it_first_with_reasons(client, demo):
    r = client.get(SEARCH, query_string={"topics": TOPIC, "area": demo.slug})
    assert r.status_code == 200
    names = ranked_names(r.text)
    assert set(names[:2]) == {"Gateway Direct-Access Hostel", "The Lantern Day Centre"}
    assert "welcomes psychologically informed environments" in r.text
    assert "open to research" in r.text and "Score " in r.text
    # Only services open to research: nothing else of the demo area appears.
    open_ = set(db.session.scalars(select(Actor.name).where(Actor.open_to_research.is_(True))))
    assert set(names) <= open_ and "Bridge Street Hostel" not in r.text


def test_distance_from_an_area_or_a_point_and_a_limit(client, demo):
    r = client.get(SEARCH, query_string={"near": "52.6369, -1.1398", "within_km": "50"})
    assert r.status_code == 200
    assert re.search(r"(under 1|\d+) km away", text(parse(r)))
    r = client.get(SEARCH, query_string={"near": demo.name, "within_km": "1"})
    assert r.status_code == 200
    r = client.get(SEARCH, query_string={"near": "Atlantis"})
    assert r.status_code == 400
    assert "Enter the name of an area in the list, a UK postcode such as LE1 5WW, or a latitude and longitude" in r.text
    assert 'value="Atlantis"' in r.text  # the input is kept
    r = client.get(SEARCH, query_string={"within_km": "5"})
    assert r.status_code == 400 and "Enter a place to measure the distance from" in r.text
    r = client.get(SEARCH, query_string={"service_type": "not-a-type"})
    assert r.status_code == 400 and "Choose service types from the list" in r.text


def test_filters_narrow_the_results(client, demo):
    r = client.get(SEARCH, query_string={"service_type": "direct_access_hostel", "stage": "4"})
    assert ranked_names(r.text) == ["Gateway Direct-Access Hostel"]
    assert "direct-access hostel" in r.text and "works at stage 4. Emergency accommodation" in r.text


def test_services_not_open_to_research_and_records_not_active_are_never_offered(client, make):
    area = make.area(name="Fenwick", slug="fenwick")
    topics = "zebra crossings"
    make.actor(area=area, name="Open Zebra", open_to_research=True, research_topics=topics,
               latitude=53.01, longitude=-1.5)  # the factory's default point drifts with its counter
    closed = make.actor(area=area, name="Closed Zebra", open_to_research=False, research_topics=topics)
    hidden = [make.actor(area=area, name=f"{status.title()} Zebra", status=status, open_to_research=True,
                         research_topics=topics) for status in ("archived", "pending", "rejected")]
    make.actor("forum", area=area, name="Zebra Forum", open_to_research=True, research_topics=topics)
    for args in ({}, {"topics": topics}, {"area": "fenwick"}, {"near": "fenwick", "within_km": "100"}):
        r = client.get(SEARCH, query_string=args)
        assert ranked_names(r.text) == ["Open Zebra"], args
        for name in ("Closed Zebra", "Archived Zebra", "Pending Zebra", "Rejected Zebra", "Zebra Forum"):
            assert name not in r.text
    # Nor can anyone write to them: the interest page is a 404, even for a researcher.
    researcher = make.actor("researcher", area=area)
    make.user("r@example.org", manages=[researcher])
    login(client, "r@example.org")
    for record in [closed] + hidden:
        assert client.get(f"/research/partners/{record.id}/interest").status_code == 404


def test_confidential_service_is_never_placed_at_its_own_point(client, make):
    area = make.area(name="Refuge Town", slug="refuge-town", centre_lat=53.0, centre_lon=-1.5)
    make.actor(area=area, name="Safe Place", confidential=True, latitude=53.4321, longitude=-1.8765,
               open_to_research=True, research_topics="domestic abuse")
    r = client.get(SEARCH, query_string={"topics": "domestic abuse", "near": "53.0, -1.5"})
    assert "Safe Place" in r.text
    assert "53.4321" not in r.text and "-1.8765" not in r.text and "53.43" not in r.text
    assert "distance approximate (confidential location)" in r.text
    assert "[1,\"Safe Place\",53.0,-1.5,true" in r.text  # on the map at the area centre


def test_map_data_is_escaped_json_and_scripts_carry_the_nonce(client, make):
    area = make.area()
    make.actor(area=area, name="</script><script>alert(1)</script>", open_to_research=True)
    r = client.get(SEARCH, query_string={"area": area.slug})
    assert "<script>alert(1)" not in r.text
    assert "\\u003c/script\\u003e" in r.text
    assert_scripts_carry_the_nonce(r)
    assert "vendor/leaflet/leaflet.js" in r.text and "js/partners-map.js" in r.text


def test_search_uses_a_fixed_number_of_queries(client, make, count_queries):
    area = make.area()
    forum = make.actor("forum", area=area, forum_type="community_of_practice")
    researcher = make.actor("researcher", area=area)

    def add(n):
        for _ in range(n):
            s = make.actor(area=area, open_to_research=True, research_topics="evictions", stages=[4],
                           client_groups=["single_adults"])
            make.link(s, "member_of", forum)
            make.link(s, "hosts_research", researcher)

    def run():
        with count_queries() as statements:
            r = client.get(SEARCH, query_string={"topics": "evictions", "area": area.slug, "stage": "4"})
        assert r.status_code == 200
        return len(statements)

    add(2)
    few = run()
    add(12)
    assert run() == few


def test_researcher_search_ranks_by_interest_and_engagement(client, demo):
    r = client.get("/research/researchers", query_string={"interests": "housing first",
                                                          "engagement": "evaluation_partner"})
    assert r.status_code == 200
    assert ranked_names(r.text)[0] == "Housing First Evaluation Group"
    assert "interested in housing first" in r.text and "offers evaluation partner" in r.text
    assert client.get("/research/researchers", query_string={"engagement": "nope"}).status_code == 400


def test_researcher_search_offers_an_invitation_from_the_services_you_manage(client, demo, make):
    make.user("svc@example.org", manages=[by_name("Housing First Soarbridge")])
    login(client, "svc@example.org")
    r = client.get("/research/researchers", query_string={"interests": "fidelity"})
    assert "Invite Housing First Evaluation Group to research with Housing First Soarbridge" in r.text
    assert "kind=hosts_research" in r.text


def test_not_seeking_researchers_only_when_asked(client, make):
    area = make.area()
    make.actor("researcher", area=area, name="Busy Team", interests="evictions", seeking_partners=False)
    make.actor("researcher", area=area, name="Keen Team", interests="evictions", seeking_partners=True)
    make.actor("researcher", area=area, name="Gone Team", interests="evictions", seeking_partners=True,
               status="archived")
    r = client.get("/research/researchers", query_string={"interests": "evictions"})
    assert ranked_names(r.text) == ["Keen Team"]
    r = client.get("/research/researchers", query_string={"interests": "evictions", "include_all": "y"})
    assert ranked_names(r.text) == ["Keen Team", "Busy Team"]


# --- Coordinators' view of research activity -------------------------------------------

def test_area_research_activity_for_coordinators_and_admins_only(client, demo, make):
    url = f"/areas/{demo.slug}/research"
    assert client.get(url).status_code == 302  # sign in first
    make.user("member@example.org")
    make.user("coord@example.org", manages=[by_name("Soarbridge PIE Network")])
    make.user("admin@example.org", admin=True)
    other_area = make.area()
    make.user("elsewhere@example.org", manages=[make.actor("forum", area=other_area)])
    for email in ("member@example.org", "elsewhere@example.org"):
        login(client, email)
        assert client.get(url).status_code == 403
        client.post("/account/sign-out", data={"csrf_token": _token(client)})
    for email in ("coord@example.org", "admin@example.org"):
        login(client, email)
        r = client.get(url)
        assert r.status_code == 200
        # The demo: The Lantern has proposed to host Dr Amira Okafor's research.
        assert "The Lantern Day Centre" in r.text and "Dr Amira Okafor" in r.text and "Proposed (1)" in r.text
        r = client.get(url, query_string={"show": "active"})
        assert "Housing First Evaluation Group" in r.text and "Evaluates" in r.text
        r = client.get(url, query_string={"show": "ended"})
        assert "Prof. Sam Whitfield" in r.text and "Inclusion Health Practice" in r.text
        client.post("/account/sign-out", data={"csrf_token": _token(client)})
    login(client, "coord@example.org")
    assert f'href="{url}"' in client.get(SEARCH).text  # coordinators find it from the search page
    assert client.get("/areas/no-such-area/research").status_code == 404


def _token(client):
    from tests.helpers import csrf_token

    return csrf_token(client, "/")


def test_public_pages_show_research_capacity_and_a_researchers_areas_of_interest(client, make):
    home, other = make.area(name="Home Shire"), make.area(name="Far Shire")
    service = make.actor(area=home, name="Open Door", open_to_research=True, research_capacity="One project a year")
    service.areas_served = [other]
    closed = make.actor(area=home, open_to_research=False, research_capacity="Left over from before")
    researcher = make.actor("researcher", area=home, name="Dr Ida Moss")
    researcher.areas_served = [other]
    db.session.commit()
    page = client.get(f"/actors/{service.id}").text
    soup = parse(page)
    assert text(definition(soup, "Capacity for research")) == "One project a year"
    assert _first_link(definition(soup, "Also serves")) == "Far Shire"
    assert "Capacity for research" not in client.get(f"/actors/{closed.id}").text  # not open: nothing to offer
    page = client.get(f"/actors/{researcher.id}").text
    assert _first_link(definition(parse(page), "Areas of interest")) == "Far Shire"
    assert "Also serves" not in page
    # The edit form names them the same way.
    make.user("ida@example.org", manages=[researcher, service])
    login(client, "ida@example.org")
    edit = client.get(f"/actors/{researcher.id}/edit").text
    assert "Areas of interest" in edit and "Other areas it also serves" not in edit
    assert "Other areas it also serves" in client.get(f"/actors/{service.id}/edit").text
