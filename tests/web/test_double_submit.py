"""Pressing Register, Approve or Confirm twice at the same moment: the change happens once.

Each test posts the same form from two threads at once against the served app (live_server), the way a
double click sends it: the same cookies and the same CSRF token. The second press is answered with the
result of the first, with no second record, change-log entry, notice or email.
"""
from sqlalchemy import func, select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import Actor, ChangeLog, Collaboration, Management, Notification
from tests.http_clients import Browser, press_together
from tests.web.test_register import about, location, service_details

from .test_register import coordinator_of


def signed_in(live_server, email) -> Browser:
    """A browser signed in as email."""
    browser = Browser(live_server)
    browser.login(email)
    return browser


def fresh(model, key):
    """A row as the database holds it now (not as this test's session last saw it)."""
    db.session.expire_all()
    return db.session.get(model, key)


def log_actions(object_type: str, object_id: int) -> list[str]:
    """The change-log actions of one object, oldest first, read afresh."""
    db.session.expire_all()
    return list(db.session.scalars(select(ChangeLog.action).where(
        ChangeLog.object_type == object_type, ChangeLog.object_id == object_id).order_by(ChangeLog.id)))


def notices_to(user) -> list[str]:
    """The in-app notices a user has."""
    return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user.id)))


def flashes(presses) -> list[str]:
    """The page each press ends on (its redirect followed with its own cookies)."""
    return [browser.follow(answer).text for browser, answer in presses]


def walk_to_check(browser: Browser, area) -> None:
    """Answer every question of the service journey, up to check-your-answers."""
    for step, answers in (("about", about(area)), ("details", service_details()), ("location", location())):
        answer = browser.post_form(f"/register/service/{step}", answers)
        assert answer.status_code == 302, answer.text


def test_register_pressed_twice_at_once_creates_one_record(live_server, make):
    area = make.area(name="Harbourside")
    ana = make.user("ana@example.org")
    browser = signed_in(live_server, "ana@example.org")
    walk_to_check(browser, area)

    presses = press_together(browser, "/register/service/check", {}, form_page="/register/service/check",
                             times=3)

    db.session.expire_all()
    created = db.session.scalars(select(Actor).where(Actor.name == "Harbour Lights Day Centre")).all()
    assert len(created) == 1, [a.id for a in created]
    record = created[0]
    for _browser, answer in presses:
        assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/actors/{record.id}")
    for page in flashes(presses):
        assert "“Harbour Lights Day Centre” is waiting for a moderator to approve it" in page
    assert log_actions("actor", record.id) == ["created"]
    assert db.session.scalar(select(func.count()).select_from(Management)
                             .where(Management.user_id == ana.id)) == 1


def test_register_posted_again_later_with_the_same_answers_goes_to_the_record(live_server, make):
    """A press replayed after the first finished (the old cookie still holds the draft): no second record."""
    area = make.area(name="Harbourside")
    make.user("ana@example.org")
    browser = signed_in(live_server, "ana@example.org")
    walk_to_check(browser, area)
    body = {"csrf_token": browser.token("/register/service/check")}
    replay = browser.twin()
    first = browser.post("/register/service/check", body)
    again = replay.post("/register/service/check", body)
    db.session.expire_all()
    record = db.session.scalar(select(Actor).where(Actor.name == "Harbour Lights Day Centre"))
    assert db.session.scalar(select(func.count()).select_from(Actor)) == 1
    assert first.headers["Location"] == again.headers["Location"]
    assert first.headers["Location"].endswith(f"/actors/{record.id}")
    assert "is waiting for a moderator to approve it" in replay.follow(again).text


def test_approve_pressed_twice_at_once_logs_and_tells_once(live_server, make):
    area = make.area()
    coordinator_of(make, area, "coord@example.org")
    record = make.actor(area=area, name="New Day Centre", status="pending", verified_at=None)
    owner = make.user("owner@example.org", manages=[record])
    coord = signed_in(live_server, "coord@example.org")

    presses = press_together(coord, f"/moderation/records/{record.id}/approve", {}, form_page="/moderation")

    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("actor", record.id) == ["approved"]
    assert fresh(Actor, record.id).status == "active"
    assert len(notices_to(owner)) == 1
    assert [m["Subject"] for m in sent_mail("owner@example.org")] == ["Your record has been approved"]
    pages = flashes(presses)
    assert sum("“New Day Centre” is approved and now in the directory" in p for p in pages) == 1
    assert sum("“New Day Centre” has already been approved" in p for p in pages) == 1


def test_confirm_pressed_twice_at_once_logs_and_tells_once(live_server, make):
    area = make.area()
    service = make.actor(area=area)
    forum = make.actor("forum", area=area, forum_type="homelessness_forum")
    proposer = make.user("ann@example.org", manages=[service])
    make.user("bob@example.org", manages=[forum])
    link = make.link(service, "member_of", forum, status="proposed", proposed_by_id=proposer.id)
    bob = signed_in(live_server, "bob@example.org")

    presses = press_together(bob, f"/links/{link.id}/confirm", {}, form_page="/account/records")

    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("collaboration", link.id) == ["confirmed"]
    assert fresh(Collaboration, link.id).status == "confirmed"
    assert len(notices_to(proposer)) == 1
    assert len(sent_mail("ann@example.org")) == 1
    pages = flashes(presses)
    assert sum("Link confirmed." in p for p in pages) == 1
    assert sum("This link has already been confirmed" in p for p in pages) == 1
