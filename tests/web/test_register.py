"""Registering a service through the real question pages, CSRF on."""
import re

from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor, ChangeLog, ClaimRequest, Management
from tests.helpers import login, logout, parse, post_form, without_tokens


def about(area, **kw):
    """Answers to the first question page."""
    data = {"name": "Harbour Lights Day Centre", "organisation": "Harbour Trust",
            "summary": "Breakfast, showers and advice.", "description": "Open every weekday.",
            "area_id": str(area.id)}
    data.update(kw)
    return data


def service_details(**kw):
    """Answers to a service's second question page."""
    data = {"service_types": ["day_centre", "advice_advocacy"], "stages": ["2", "3"],
            "client_groups": ["rough_sleepers"], "eligibility": "Adults 18+", "capacity": "60 a day",
            "referral_route": "Drop in", "self_referral": "y", "pie_learning_enquiry": "2",
            "engagement_offered": ["training"], "open_to_research": "y", "research_topics": "Peer support"}
    data.update(kw)
    return data


def location(**kw):
    """Answers to the location and contact page (coordinates typed, no map)."""
    data = {"address": "1 Quay Street", "postcode": "m1 1ae", "latitude": "53.4808", "longitude": "-2.2426",
            "website": "https://harbour.example.org", "phone": "0161 000 0000",
            "contact_email": "Info@Harbour.example.org"}
    data.update(kw)
    return data


def coordinator_of(make, area, email):
    """A user who manages an active forum in the area (so moderates it)."""
    forum = make.actor("forum", area=area, forum_type="homelessness_forum")
    return make.user(email, manages=[forum])


def register_service(client, area, **about_kw):
    """Walk the whole service journey; return the response to the final submit."""
    r = post_form(client, "/register/service/about", about(area, **about_kw))
    assert r.status_code == 302 and r.headers["Location"].endswith("/register/service/details"), r.text
    r = post_form(client, "/register/service/details", service_details())
    assert r.status_code == 302 and r.headers["Location"].endswith("/register/service/location"), r.text
    r = post_form(client, "/register/service/location", location())
    assert r.status_code == 302 and r.headers["Location"].endswith("/register/service/check"), r.text
    return post_form(client, "/register/service/check", {})


def test_register_page_is_linked_from_home_and_asks_to_sign_in(client):
    home = client.get("/")
    assert 'href="/register"' in home.text
    page = client.get("/register")
    assert page.status_code == 200 and "Register a service" in page.text
    r = client.get("/register/service/about")
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
    assert "next=" in r.headers["Location"]


def test_whole_service_journey_creates_a_pending_record_managed_by_the_user(client, make):
    area = make.area(name="Harbourside")
    user = make.user("ana@example.org")
    login(client, "ana@example.org")
    assert client.get("/register/service").headers["Location"].endswith("/register/service/about")
    post_form(client, "/register/service/about", about(area))
    post_form(client, "/register/service/details", service_details())
    post_form(client, "/register/service/location", location())
    check = client.get("/register/service/check")
    assert check.status_code == 200
    for text in ("Harbour Lights Day Centre", "Harbourside", "Day centre", "2. First contact and outreach",
                 "M1 1AE", "53.4808", "info@harbour.example.org", "Developing", "Change"):
        assert text in check.text, text
    assert 'href="/register/service/details?change=1' in check.text
    assert db.session.scalar(select(Actor).where(Actor.name == "Harbour Lights Day Centre")) is None

    r = post_form(client, "/register/service/check", {})
    assert r.status_code == 302
    actor = db.session.scalar(select(Actor).where(Actor.name == "Harbour Lights Day Centre"))
    assert r.headers["Location"].endswith(f"/actors/{actor.id}")
    assert actor.status == "pending" and actor.kind == "service" and actor.verified_at is None
    assert actor.area_id == area.id and actor.organisation == "Harbour Trust"
    assert (actor.latitude, actor.longitude) == (53.4808, -2.2426)
    assert actor.postcode == "M1 1AE" and actor.contact_email == "info@harbour.example.org"
    assert actor.service_types == ["advice_advocacy", "day_centre"] and actor.stages == [2, 3]
    assert actor.self_referral and actor.open_to_research and actor.pie_profile == {"learning_enquiry": "2"}
    assert actor.values("engagement_offered") == ["training"]
    assert db.session.get(Management, (user.id, actor.id)) is not None
    log = db.session.scalars(select(ChangeLog).where(ChangeLog.object_id == actor.id)).all()
    assert [e.action for e in log] == ["created"] and log[0].user_id == user.id
    assert log[0].changes["name"] == [None, "Harbour Lights Day Centre"]
    assert log[0].changes["stages"] == [None, ["2", "3"]]

    page = client.get(f"/actors/{actor.id}")
    assert page.status_code == 200 and "pending approval" in page.text
    assert client.get("/register/service/check").headers["Location"].endswith("/register/service/about")

    logout(client)
    assert client.get(f"/actors/{actor.id}").status_code == 404
    make.user("other@example.org")
    login(client, "other@example.org")
    assert client.get(f"/actors/{actor.id}").status_code == 404
    logout(client)
    coordinator_of(make, area, "coord@example.org")
    login(client, "coord@example.org")
    assert client.get(f"/actors/{actor.id}").status_code == 200
    logout(client)
    coordinator_of(make, make.area(), "far@example.org")
    login(client, "far@example.org")
    assert client.get(f"/actors/{actor.id}").status_code == 404


def test_steps_must_be_answered_in_order(client, make):
    make.area()
    make.user("order@example.org")
    login(client, "order@example.org")
    r = client.get("/register/service/location")
    assert r.headers["Location"].endswith("/register/service/about")
    assert client.get("/register/service/check").headers["Location"].endswith("/register/service/about")
    assert client.get("/register/nonsense").status_code == 404


def test_about_step_errors_keep_the_input(client, make):
    make.area()
    make.user("err1@example.org")
    login(client, "err1@example.org")
    r = post_form(client, "/register/service/about", {"name": "", "summary": "Kept <summary>", "area_id": ""})
    assert r.status_code == 400
    assert "Enter the name" in r.text and "Choose the home area" in r.text
    assert 'value="Kept &lt;summary&gt;"' in r.text
    r = post_form(client, "/register/service/about", {"name": "X", "area_id": "999999"})
    assert r.status_code == 400 and "Choose an area from the list" in r.text


def test_an_area_served_twice_is_stored_once(client, make):
    """Was a 500 on both databases: the two equal rows broke actor_area's key when the record was created."""
    area, other = make.area(), make.area(name="Riverside")
    make.user("twice@example.org")
    login(client, "twice@example.org")
    r = register_service(client, area, areas_served=[str(other.id), str(other.id)])
    assert r.status_code == 302, r.text
    actor = db.session.scalar(select(Actor).where(Actor.name == "Harbour Lights Day Centre"))
    assert [a.name for a in actor.areas_served] == ["Riverside"]


def test_service_needs_a_stage_and_a_type(client, make):
    area = make.area()
    make.user("err2@example.org")
    login(client, "err2@example.org")
    post_form(client, "/register/service/about", about(area))
    r = post_form(client, "/register/service/details", service_details(stages=[], eligibility="Kept text"))
    assert r.status_code == 400
    assert "Choose at least one pathway stage" in r.text
    assert "Kept text" in r.text
    [day_centre] = parse(r).select('input[name="service_types"][value="day_centre"]')
    assert day_centre.has_attr("checked") and day_centre["type"] == "checkbox", day_centre  # the choice is kept
    assert day_centre["class"] == ["checkbox-input"] and re.fullmatch(r"service_types-\d+", day_centre["id"])
    r = post_form(client, "/register/service/details", service_details(service_types=[]))
    assert r.status_code == 400 and "Choose at least one service type" in r.text
    r = post_form(client, "/register/service/details", service_details(stages=["9"]))
    assert r.status_code == 400


def test_location_step_errors_are_shown_beside_fields_and_keep_the_input(client, make):
    area = make.area()
    make.user("err3@example.org")
    login(client, "err3@example.org")
    post_form(client, "/register/service/about", about(area))
    post_form(client, "/register/service/details", service_details())
    r = post_form(client, "/register/service/location", location(
        postcode="NOT A CODE", website="javascript:alert(1)", contact_email="not-an-email",
        latitude="123", longitude="-2.2"))
    assert r.status_code == 400
    assert "is not a UK postcode" in r.text
    assert "Enter a web address starting with http:// or https://" in r.text
    assert "Enter an email address in the right format" in r.text
    assert "Latitude must be between -90 and 90" in r.text
    assert 'value="NOT A CODE"' in r.text and 'value="not-an-email"' in r.text and 'value="123"' in r.text
    r = post_form(client, "/register/service/location", location(latitude="fifty", longitude=""))
    assert r.status_code == 400 and "Enter a number" in r.text
    r = post_form(client, "/register/service/location", location(latitude="53.1", longitude=""))
    assert r.status_code == 400 and "Enter both latitude and longitude" in r.text
    r = post_form(client, "/register/service/location", location(latitude="", longitude="", postcode=""))
    assert r.status_code == 302


def test_location_page_has_map_picker_with_nonce_and_inputs(client, make):
    area = make.area()
    make.user("map@example.org")
    login(client, "map@example.org")
    post_form(client, "/register/service/about", about(area))
    post_form(client, "/register/service/details", service_details())
    page = client.get("/register/service/location")
    assert 'id="location-map"' in page.text and 'data-tiles-url=""' in page.text
    assert 'src="/static/js/location-picker.js"' in page.text
    assert 'src="/static/vendor/leaflet/leaflet.js"' in page.text
    nonce = page.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert page.text.count(f'nonce="{nonce}"') >= 2
    assert 'name="latitude"' in page.text and 'name="longitude"' in page.text


def test_change_link_returns_to_check_answers(client, make):
    area = make.area()
    make.user("chg@example.org")
    login(client, "chg@example.org")
    register_steps = [("about", about(area)), ("details", service_details()), ("location", location())]
    for step, data in register_steps:
        post_form(client, f"/register/service/{step}", data)
    page = client.get("/register/service/about?change=1")
    assert 'href="/register/service/check"' in page.text
    r = post_form(client, "/register/service/about?change=1", about(area, name="Harbour Lights Cafe"))
    assert r.headers["Location"].endswith("/register/service/check")
    assert "Harbour Lights Cafe" in client.get("/register/service/check").text


def test_start_again_clears_the_draft(client, make):
    area = make.area()
    make.user("again@example.org")
    login(client, "again@example.org")
    post_form(client, "/register/service/about", about(area))
    r = post_form(client, "/register/service/start-again", {}, form_page="/register/service/about")
    assert r.status_code == 302
    assert "Harbour Lights" not in client.get("/register/service/about").text


def test_duplicate_warning_for_a_similar_name_in_the_same_area_and_claim(client, make):
    area = make.area()
    existing = make.actor("service", area=area, name="Harbour Lights Day Centre", stages=[2])
    user = make.user("dup@example.org")
    login(client, "dup@example.org")
    r = post_form(client, "/register/service/about", about(area, name="harbour lights day-centre"))
    assert r.headers["Location"].endswith("/register/service/possible-duplicates")
    page = client.get("/register/service/possible-duplicates")
    assert "Harbour Lights Day Centre" in page.text and "a similar name in the same area" in page.text
    assert "This is us: ask to manage it" in page.text and "None of these — continue" in page.text
    r = post_form(client, f"/actors/{existing.id}/claim",
                  {"message": "I am the manager", "from_registration": "1"},
                  form_page="/register/service/possible-duplicates")
    assert r.status_code == 302
    claim = db.session.scalar(select(ClaimRequest))
    assert (claim.actor_id, claim.user_id, claim.status, claim.message) == (
        existing.id, user.id, "pending", "I am the manager")
    assert db.session.scalar(select(ChangeLog).where(ChangeLog.object_type == "claimrequest")).action == \
        "requested"
    # The draft is gone, and asking twice does not make a second request.
    assert client.get("/register/service").headers["Location"].endswith("/register/service/about")
    post_form(client, f"/actors/{existing.id}/claim", {}, form_page=f"/actors/{existing.id}")
    assert len(db.session.scalars(select(ClaimRequest)).all()) == 1


def test_duplicate_warning_for_the_same_postcode_then_continue(client, make):
    area, elsewhere = make.area(), make.area()
    make.actor("service", area=elsewhere, name="Quayside Hostel", postcode="M1 1AE", stages=[4])
    make.actor("forum", area=area, name="Harbour Lights Day Centre", postcode="M1 1AE")  # other kind
    make.user("pc@example.org")
    login(client, "pc@example.org")
    r = post_form(client, "/register/service/about", about(area))
    assert r.headers["Location"].endswith("/register/service/details")
    post_form(client, "/register/service/details", service_details())
    r = post_form(client, "/register/service/location", location())
    assert r.headers["Location"].endswith("/register/service/possible-duplicates")
    page = client.get("/register/service/possible-duplicates")
    assert "Quayside Hostel" in page.text and "the same postcode" in page.text
    assert client.get("/register/service/check").headers["Location"].endswith("/possible-duplicates")
    r = post_form(client, "/register/service/possible-duplicates", {})
    assert r.headers["Location"].endswith("/register/service/check")
    assert client.get("/register/service/check").status_code == 200
    r = post_form(client, "/register/service/check", {})
    assert r.status_code == 302
    assert db.session.scalar(select(Actor).where(Actor.name == "Harbour Lights Day Centre",
                                                 Actor.kind == "service")).status == "pending"


def test_pending_duplicate_can_be_claimed_only_from_the_warning(client, make):
    area = make.area()
    pending = make.actor("service", area=area, name="Harbour Lights Day Centre", status="pending", stages=[2])
    make.user("pend@example.org")
    login(client, "pend@example.org")
    assert client.get(f"/actors/{pending.id}/claim").status_code == 404
    post_form(client, "/register/service/about", about(area))
    page = client.get("/register/service/possible-duplicates")
    assert "Waiting for approval" in page.text
    assert f'href="/actors/{pending.id}"' not in page.text
    r = post_form(client, f"/actors/{pending.id}/claim", {"from_registration": "1"},
                  form_page="/register/service/possible-duplicates")
    assert r.status_code == 302 and r.headers["Location"].endswith("/register")
    assert db.session.scalar(select(ClaimRequest)).actor_id == pending.id


def test_forged_submit_without_csrf_is_refused(client, make):
    area = make.area()
    make.user("forge@example.org")
    login(client, "forge@example.org")
    r = client.post("/register/service/about", data=about(area))
    assert r.status_code == 400 and "Your form has expired" in r.text


# --- a confidential service (a refuge) is matched by name and area only, and its location never shown ------

def _refuge(make, area, **kw):
    values = dict(area=area, name="Hillside Refuge", confidential=True, address="7 Hidden Row",
                  postcode="LE2 1AB", latitude=52.6111, longitude=-1.1222, stages=[4])
    values.update(kw)
    return make.actor("service", **values)


def test_a_refuge_is_never_matched_by_postcode_so_a_guessed_postcode_is_not_confirmed(client, make):
    area, elsewhere = make.area(), make.area()
    _refuge(make, elsewhere)
    _refuge(make, elsewhere, name="Eastgate Refuge", status="pending")
    make.user("guess@example.org")
    login(client, "guess@example.org")
    assert post_form(client, "/register/service/about", about(area)).headers["Location"].endswith("/details")
    post_form(client, "/register/service/details", service_details())
    # Re-posting the location step postcode after postcode: the refuge's one answers like any other.
    for postcode in ("LE2 1AA", "le2 1ab", "LE21AB", "LE2 1AD"):
        r = post_form(client, "/register/service/location", location(postcode=postcode))
        assert r.status_code == 302 and r.headers["Location"].endswith("/register/service/check"), postcode
    page = client.get("/register/service/possible-duplicates")
    assert page.status_code == 302 and "Hillside" not in page.text


def test_a_refuge_matched_by_name_shows_neither_its_postcode_nor_address_and_can_be_claimed(client, make):
    area = make.area()
    refuge = _refuge(make, area)
    coordinator_of(make, area, "mod@example.org")
    make.user("staff@example.org")
    login(client, "staff@example.org")
    r = post_form(client, "/register/service/about", about(area, name="Hillside Refuge"))
    assert r.headers["Location"].endswith("/register/service/possible-duplicates")
    page = without_tokens(client.get("/register/service/possible-duplicates").text)
    assert "Hillside Refuge" in page and "Matched on a similar name in the same area." in page
    claim_page = without_tokens(client.get(f"/actors/{refuge.id}/claim").text)
    for text in (page, claim_page):
        for secret in ("LE2 1AB", "LE2", "7 Hidden Row", "52.6111", "-1.1222"):
            assert secret not in text
    r = post_form(client, f"/actors/{refuge.id}/claim", {"message": "I run it", "from_registration": "1"},
                  form_page="/register/service/possible-duplicates")
    assert r.status_code == 302
    assert db.session.scalar(select(ClaimRequest)).actor_id == refuge.id
    # The claim goes to the area's moderator, who decides it; the person who asked sees nothing more.
    assert "LE2 1AB" not in without_tokens(client.get("/").text)
    logout(client)
    login(client, "mod@example.org")
    assert "Hillside Refuge" in client.get("/moderation/claims").text
