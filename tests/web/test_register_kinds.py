"""The forum and researcher registration journeys."""
from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor, Management
from tests.helpers import login, post_form


def test_register_a_forum(client, make):
    area = make.area()
    user = make.user("forum@example.org")
    login(client, "forum@example.org")
    page = client.get("/register/forum/about")
    assert "Name of the forum" in page.text and "Organisation that runs it" not in page.text
    r = post_form(client, "/register/forum/about", {"name": "Harbour Homelessness Forum",
                                                    "area_id": str(area.id)})
    assert r.headers["Location"].endswith("/register/forum/details")
    r = post_form(client, "/register/forum/details", {"forum_type": ""})
    assert r.status_code == 400 and "Choose the forum type" in r.text
    r = post_form(client, "/register/forum/details", {"forum_type": "homelessness_forum",
                                                      "meeting_frequency": "monthly",
                                                      "open_to_new_members": "y",
                                                      "coordinator_contact": "Sam, forum chair"})
    assert r.headers["Location"].endswith("/register/forum/location")
    r = post_form(client, "/register/forum/location", {"postcode": "", "latitude": "", "longitude": ""})
    assert r.headers["Location"].endswith("/register/forum/check")
    check = client.get("/register/forum/check")
    assert "Homelessness forum" in check.text and "Monthly" in check.text
    r = post_form(client, "/register/forum/check", {})
    assert r.status_code == 302
    forum = db.session.scalar(select(Actor).where(Actor.kind == "forum"))
    assert (forum.name, forum.status, forum.forum_type, forum.meeting_frequency) == (
        "Harbour Homelessness Forum", "pending", "homelessness_forum", "monthly")
    assert forum.open_to_new_members and forum.latitude is None
    assert db.session.get(Management, (user.id, forum.id)) is not None


def test_create_a_researcher_profile(client, make):
    area = make.area()
    user = make.user("res@example.org")
    login(client, "res@example.org")
    other = make.area(name="Far Shire")
    about = client.get("/register/researcher/about").text
    assert "Areas of interest" in about and "Other areas it also serves" not in about
    r = post_form(client, "/register/researcher/about", {"name": "Dr Ada Reed", "area_id": str(area.id),
                                                         "summary": "Peer research on move-on",
                                                         "areas_served": [str(other.id)]})
    assert r.headers["Location"].endswith("/register/researcher/details")
    r = post_form(client, "/register/researcher/details", {
        "institution": "Harbour University", "disciplines": "Social policy", "interests": "Move-on",
        "methods": "Interviews", "research_engagement": ["evaluation_partner", "peer_research"],
        "seeking_partners": "y"})
    assert r.headers["Location"].endswith("/register/researcher/location")
    r = post_form(client, "/register/researcher/location", {"website": "https://ada.example.ac.uk",
                                                            "latitude": "", "longitude": ""})
    assert r.headers["Location"].endswith("/register/researcher/check")
    check = client.get("/register/researcher/check")
    assert "Evaluation partner" in check.text and "Harbour University" in check.text
    assert "Areas of interest" in check.text and "Far Shire" in check.text
    post_form(client, "/register/researcher/check", {})
    profile = db.session.scalar(select(Actor).where(Actor.kind == "researcher"))
    assert profile.status == "pending" and profile.seeking_partners
    assert profile.values("research_engagement") == ["evaluation_partner", "peer_research"]
    assert [a.name for a in profile.areas_served] == ["Far Shire"]
    assert db.session.get(Management, (user.id, profile.id)) is not None


def test_answers_too_long_for_the_session_are_refused_not_lost(client, make):
    area = make.area()
    make.user("long@example.org")
    login(client, "long@example.org")
    import secrets
    noise = secrets.token_urlsafe(1500)[:2000]  # does not compress
    r = post_form(client, "/register/researcher/about", {"name": "Long", "area_id": str(area.id),
                                                         "description": noise})
    assert r.status_code == 302
    r = post_form(client, "/register/researcher/details", {"interests": secrets.token_urlsafe(800)[:1000],
                                                           "methods": secrets.token_urlsafe(800)[:1000]})
    assert r.status_code == 400 and "too long for us to keep" in r.text
    assert "Sign out" in client.get("/").text  # still signed in
