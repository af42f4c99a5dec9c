"""Expressions of interest: a proposed "hosts research by" link with the message; privacy; throttle."""
import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import Collaboration, Notification
from tests.helpers import login, logout, post_form

MESSAGE = "We would like to study reflective practice meetings with your staff team over six months."


@pytest.fixture
def world(make):
    """A service open to research with a manager; two researchers, each with its own manager."""
    area = make.area(name="Eastmoor", slug="eastmoor")
    service = make.actor(area=area, name="Harbour Hostel", open_to_research=True,
                         research_topics="reflective practice", research_conditions="Co-production required",
                         contact_email="harbour-private@example.org")
    researcher = make.actor("researcher", area=area, name="Dr Rowan Ash", institution="Eastmoor University",
                            contact_email="rowan-private@example.org", seeking_partners=True)
    rival = make.actor("researcher", area=area, name="Dr Kit Vale", contact_email="kit-private@example.org")
    forum = make.actor("forum", area=area, name="Eastmoor Forum", forum_type="homelessness_forum")
    users = {
        "service": make.user("svc-manager@example.org", manages=[service], name="Sam Service"),
        "researcher": make.user("rowan-user@example.org", manages=[researcher], name="Rowan"),
        "rival": make.user("kit-user@example.org", manages=[rival], name="Kit"),
        "coordinator": make.user("coord-user@example.org", manages=[forum], name="Cora"),
        "nobody": make.user("nobody@example.org"),
    }
    return {"area": area, "service": service, "researcher": researcher, "rival": rival, "users": users}


def url(service):
    return f"/research/partners/{service.id}/interest"


def send(client, service, researcher, message=MESSAGE, engagement="researcher_in_residence"):
    return post_form(client, url(service), {"researcher": str(researcher.id), "engagement": engagement,
                                            "message": message})


def switch(client, email, signed_in: bool) -> bool:
    """Sign out if signed in, then sign in as email (None: stay signed out); returns whether signed in."""
    if signed_in:
        logout(client)
    if email:
        login(client, email)
    return bool(email)


def links(service):
    return list(db.session.scalars(select(Collaboration).where(Collaboration.source_id == service.id)))


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    r = client.get(url(world["service"]))
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
    # The button on the public page leads there; the search works without signing in.
    page = client.get(f"/actors/{world['service'].id}").text
    assert "Express interest in research here" in page
    assert client.get("/research/partners").status_code == 200


def test_the_button_shows_only_for_services_open_to_research(client, world, make):
    closed = make.actor(area=world["area"], open_to_research=False)
    assert "Express interest in research here" not in client.get(f"/actors/{closed.id}").text
    assert "Express interest in research here" not in client.get(f"/actors/{world['researcher'].id}").text


def test_a_researcher_sends_an_expression_of_interest(client, world):
    service, researcher = world["service"], world["researcher"]
    login(client, "rowan-user@example.org")
    page = client.get(url(service))
    assert page.status_code == 200 and "Co-production required" in page.text
    r = send(client, service, researcher)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/actors/{service.id}")
    (link,) = links(service)
    assert (link.kind, link.source_id, link.target_id, link.status) == (
        "hosts_research", service.id, researcher.id, "proposed")
    assert link.proposed_from_id == researcher.id
    assert link.proposed_by_id == world["users"]["researcher"].id
    assert MESSAGE in link.note and "Researcher in residence" in link.note
    # The service's manager gets an in-app notice and an email; nobody else does.
    manager = world["users"]["service"]
    notices = list(db.session.scalars(select(Notification)))
    assert [n.user_id for n in notices] == [manager.id]
    assert "Dr Rowan Ash would like to do research with Harbour Hostel" in notices[0].message
    (mail,) = sent_mail()
    assert mail["To"] == "svc-manager@example.org"
    assert "Harbour Hostel" in mail["Subject"]
    body = mail.get_content()
    assert MESSAGE in body
    for private in ("rowan-private@example.org", "rowan-user@example.org"):
        assert private not in body
    # The proposal is not public yet.
    assert "Dr Rowan Ash" not in client.get(f"/actors/{service.id}").text.split("Works with")[1]


def test_duplicates_of_a_live_link_are_refused_with_a_clear_message(client, world, make):
    service, researcher = world["service"], world["researcher"]
    login(client, "rowan-user@example.org")
    assert send(client, service, researcher).status_code == 302
    r = send(client, service, researcher, message="Again?")
    assert r.status_code == 400
    assert "Dr Rowan Ash already has a proposed or confirmed research link with Harbour Hostel" in r.text
    assert "Again?" in r.text  # the input is kept
    assert len(links(service)) == 1
    # Once declined, a new message may be sent.
    links(service)[0].status = "declined"
    db.session.commit()
    assert send(client, service, researcher).status_code == 302
    assert len(links(service)) == 2


@pytest.mark.parametrize("data, error", [
    ({"message": ""}, "Enter a message to the service"),
    ({"message": "   "}, "Enter a message to the service"),
    ({"message": "x" * 2001}, "Enter a message of 2000 characters or fewer"),
    ({"engagement": ""}, "Choose the kind of engagement you have in mind"),
    ({"engagement": "gossip"}, "Not a valid choice"),
])
def test_bad_input_is_refused_next_to_the_field(client, world, data, error):
    login(client, "rowan-user@example.org")
    form = {"researcher": str(world["researcher"].id), "engagement": "evaluation_partner", "message": MESSAGE}
    form.update(data)
    r = post_form(client, url(world["service"]), form)
    assert r.status_code == 400
    assert error in r.text and 'class="error-message"' in r.text
    assert links(world["service"]) == []


def test_nobody_can_write_as_a_researcher_they_do_not_manage(client, world):
    login(client, "kit-user@example.org")
    r = send(client, world["service"], world["researcher"])  # Kit manages Dr Kit Vale, not Dr Rowan Ash
    assert r.status_code == 400
    assert links(world["service"]) == []


def test_a_user_without_a_researcher_profile_is_told_how_to_get_one(client, world, make):
    make.actor("researcher", area=world["area"], status="pending", name="Pending Prof")
    login(client, "nobody@example.org")
    r = client.get(url(world["service"]))
    assert r.status_code == 200 and "You need a researcher profile" in r.text
    r = post_form(client, url(world["service"]), {"researcher": "1", "engagement": "evaluation_partner",
                                                  "message": MESSAGE}, form_page="/")
    assert r.status_code == 403
    assert links(world["service"]) == []


def test_a_researcher_with_several_profiles_chooses_one(client, world, make):
    second = make.actor("researcher", area=world["area"], name="Ash Lab")
    make.user("two@example.org", manages=[world["researcher"], second])
    login(client, "two@example.org")
    page = client.get(url(world["service"]), query_string={"researcher": second.id}).text
    assert "Which of your researcher profiles" in page
    assert f'<option selected value="{second.id}">Ash Lab</option>' in page
    assert send(client, world["service"], second).status_code == 302
    assert links(world["service"])[0].target_id == second.id


def test_the_service_accepts_and_the_link_shows_on_both_public_pages(client, world):
    service, researcher = world["service"], world["researcher"]
    login(client, "rowan-user@example.org")
    send(client, service, researcher)
    logout(client)
    login(client, "svc-manager@example.org")
    inbox = client.get("/account/inbox")
    assert MESSAGE in inbox.text  # a party reads the message
    (link,) = links(service)
    r = post_form(client, f"/links/{link.id}/confirm", {}, form_page="/account/inbox")
    assert r.status_code == 302
    logout(client)
    assert "Dr Rowan Ash" in client.get(f"/actors/{service.id}").text
    assert "Harbour Hostel" in client.get(f"/actors/{researcher.id}").text
    # The researcher is told.
    told = db.session.scalars(select(Notification).where(
        Notification.user_id == world["users"]["researcher"].id)).all()
    assert any("confirmed" in n.message for n in told)


def _answer(client, world, make, action):
    """Rowan sends a message; a second manager joins the profile; the service's manager answers it."""
    service, researcher = world["service"], world["researcher"]
    second = make.user("rowan-colleague@example.org", manages=[researcher], name="Robin")
    login(client, "rowan-user@example.org")
    send(client, service, researcher)
    logout(client)
    login(client, "svc-manager@example.org")
    (link,) = links(service)
    r = post_form(client, f"/links/{link.id}/{action}", {}, form_page="/account/inbox")
    assert r.status_code == 302
    return link, [world["users"]["researcher"], second]


@pytest.mark.parametrize("action, word", [("confirm", "confirmed"), ("decline", "declined")])
def test_the_researchers_managers_are_told_in_app_and_by_email_when_the_service_answers(
        client, world, make, action, word):
    link, managers = _answer(client, world, make, action)
    db.session.expire_all()
    assert db.session.get(Collaboration, link.id).status == word
    for manager in managers:
        notices = db.session.scalars(select(Notification).where(Notification.user_id == manager.id)).all()
        assert [n.message for n in notices] == [
            f"Your proposed link was {word}: Harbour Hostel – hosts research by – Dr Rowan Ash."], manager.email
        assert notices[0].url.endswith(f"/actors/{world['researcher'].id}/links")
        (mail,) = sent_mail(manager.email)
        assert mail["Subject"] == f"Your proposed link was {word}"
        body = mail.get_content()
        assert "Harbour Hostel" in body and "Dr Rowan Ash" in body
        for private in ("harbour-private@example.org", "svc-manager@example.org", "rowan-private@example.org"):
            assert private not in body
    # The service's manager, who answered, is not told about their own answer; nobody else is told.
    assert sent_mail("svc-manager@example.org")[-1]["Subject"] != f"Your proposed link was {word}"
    for bystander in ("kit-user@example.org", "coord-user@example.org", "nobody@example.org"):
        assert sent_mail(bystander) == []


def test_other_researchers_cannot_read_the_message_anywhere(client, world, demo):
    service, researcher = world["service"], world["researcher"]
    login(client, "rowan-user@example.org")
    send(client, service, researcher)
    secret = "reflective practice meetings"
    signed_in = True
    for email in ("kit-user@example.org", "nobody@example.org", "coord-user@example.org", None):
        signed_in = switch(client, email, signed_in)
        pages = [f"/actors/{service.id}", f"/actors/{researcher.id}", "/research/partners",
                 "/research/partners?topics=reflective+practice", "/research/researchers",
                 "/research/researchers?interests=anything&include_all=y", "/directory"]
        if email:
            pages += [url(service), "/account/inbox", "/account/records", "/account/notices",
                      f"/areas/{world['area'].slug}/research",
                      f"/areas/{world['area'].slug}/research?show=proposed",
                      f"/actors/{service.id}/links", f"/actors/{researcher.id}/links"]
        for path in pages:
            r = client.get(path)
            assert r.status_code in (200, 302, 403, 404), (email, path)
            assert secret not in r.text, (email, path)
    # The coordinator sees that a partnership was proposed, with its parties, but not the message:
    # on the area's research page, and on both records' links pages (which moderators may open).
    signed_in = switch(client, "coord-user@example.org", signed_in)
    r = client.get(f"/areas/{world['area'].slug}/research")
    assert "Harbour Hostel" in r.text and "Dr Rowan Ash" in r.text and secret not in r.text
    for actor in (service, researcher):
        r = client.get(f"/actors/{actor.id}/links")
        assert r.status_code == 200
        assert "Harbour Hostel" in r.text and "Dr Rowan Ash" in r.text and secret not in r.text
    # The rival researcher may not open either links page.
    signed_in = switch(client, "kit-user@example.org", signed_in)
    for actor in (service, researcher):
        assert client.get(f"/actors/{actor.id}/links").status_code == 403
    # The managers of either end do read it there.
    for email, own in (("svc-manager@example.org", service), ("rowan-user@example.org", researcher)):
        signed_in = switch(client, email, signed_in)
        assert secret in client.get(f"/actors/{own.id}/links").text, email


def test_no_email_address_appears_on_any_page_or_endpoint_of_partner_finding(client, world, demo):
    login(client, "rowan-user@example.org")
    send(client, world["service"], world["researcher"])
    emails = ["harbour-private@example.org", "rowan-private@example.org", "kit-private@example.org",
              "svc-manager@example.org", "rowan-user@example.org", "kit-user@example.org",
              "coord-user@example.org", "nobody@example.org"]
    area = world["area"].slug
    public = [f"/actors/{world['service'].id}", f"/actors/{world['researcher'].id}", f"/actors/{world['rival'].id}",
              "/research/partners", f"/research/partners?area={area}&topics=reflective+practice",
              f"/research/partners?near={area}&within_km=10", "/research/researchers",
              f"/research/researchers?area={area}&include_all=y"]
    signed_in = True
    for email in (None, "nobody@example.org", "coord-user@example.org", "svc-manager@example.org"):
        signed_in = switch(client, email, signed_in)
        pages = public + ([url(world["service"]), f"/areas/{area}/research",
                           f"/areas/{area}/research?show=active"] if email else [])
        for path in pages:
            text = client.get(path).text
            for address in emails:
                if address != email:  # the header may greet you, but never shows anyone else's
                    assert address not in text, (email, path, address)


def test_messages_are_throttled_per_user_with_a_friendly_page(app, client, world, make):
    app.config["LIMIT_RESEARCH_MESSAGES"] = "2 per hour"
    services = [make.actor(area=world["area"], open_to_research=True) for _ in range(4)]
    login(client, "rowan-user@example.org")
    # Refused (invalid) attempts do not count; sent messages do.
    assert send(client, services[0], world["researcher"], message="").status_code == 400
    assert send(client, services[0], world["researcher"]).status_code == 302
    assert send(client, services[1], world["researcher"]).status_code == 302
    r = send(client, services[2], world["researcher"])
    assert r.status_code == 429
    assert "Wait an hour, then try again. Your message has not been sent." in r.text
    assert "Sector engagement directory" in r.text
    assert links(services[2]) == []
    # Changing one's password (which renews the session id) does not reset the count.
    new = "another long passphrase"
    r = post_form(client, "/account/password", {"current": "correct horse battery", "password": new, "confirm": new})
    assert r.status_code == 302
    assert send(client, services[2], world["researcher"]).status_code == 429
    # The page still opens, and another user is not affected.
    assert client.get(url(services[2])).status_code == 200
    logout(client)
    login(client, "kit-user@example.org")
    assert send(client, services[3], world["rival"]).status_code == 302
