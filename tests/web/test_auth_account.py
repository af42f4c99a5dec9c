"""The account page: details, change password, change email; through the real forms with CSRF on."""
import re

from sqlalchemy import select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import ChangeLog, User
from tests.helpers import login, logout, post_form

PW = "correct horse battery"


def test_account_needs_sign_in(client):
    r = client.get("/account")
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
    for path in ("/account/password", "/account/email"):
        assert client.get(path).status_code == 302


def test_account_page_shows_details_roles_and_records(client, make):
    area = make.area(name="Northby")
    forum = make.actor("forum", area=area, name="Northby Forum")
    make.user("me@example.org", manages=[forum], name="Mo")
    login(client, "me@example.org")
    home = client.get("/").text
    assert 'href="/account">Account</a>' in home
    page = client.get("/account").text
    assert "me@example.org" in page and "Mo" in page
    assert "Northby Forum" in page
    assert "Coordinator" in page and "Northby" in page
    assert "Administrator" not in page


def test_change_password_errors_then_success(client, make):
    user = make.user("pw@example.org")
    login(client, "pw@example.org")
    r = post_form(client, "/account/password", {"current": "wrong one", "password": "new password 1",
                                                "confirm": "new password 1"})
    assert r.status_code == 400 and "Your current password is not right" in r.text
    r = post_form(client, "/account/password", {"current": PW, "password": "short", "confirm": "short"})
    assert r.status_code == 400 and "Use at least 10 characters" in r.text
    r = post_form(client, "/account/password", {"current": PW, "password": "new password 1",
                                                "confirm": "new password 2"})
    assert r.status_code == 400 and "The passwords do not match" in r.text
    r = post_form(client, "/account/password", {"current": "", "password": "", "confirm": ""})
    assert "Enter your current password" in r.text and "Enter a new password" in r.text

    r = post_form(client, "/account/password", {"current": PW, "password": "new password 1",
                                                "confirm": "new password 1"})
    assert r.status_code == 302 and r.headers["Location"] == "/account"
    assert "Your password has been changed" in client.get("/account").text
    logout(client)
    assert post_form(client, "/account/sign-in", {"email": "pw@example.org", "password": PW}).status_code == 400
    login(client, "pw@example.org", "new password 1")
    assert sent_mail("pw@example.org")[-1]["Subject"] == "Your password has been changed"
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.object_type == "user",
                                                      ChangeLog.object_id == user.id))
    assert entry.action == "password_changed" and entry.user_id == user.id
    assert entry.changes == {}  # never the hash


EMAIL_LINK = re.compile(r"https?://[^/\s]+(/account/email/confirm/\S+)")


def _email_link(to):
    messages = sent_mail(to)
    assert messages and messages[-1]["Subject"] == "Confirm your new email address"
    match = EMAIL_LINK.search(messages[-1].get_content())
    assert match, messages[-1].get_content()
    return match.group(1)


def test_change_email_errors_keep_input(client, make):
    make.user("mine@example.org")
    login(client, "mine@example.org")

    r = post_form(client, "/account/email", {"email": "Mine@Example.org", "current": PW})
    assert r.status_code == 400 and "Enter a different email address" in r.text

    r = post_form(client, "/account/email", {"email": "theirs@example.org", "current": "wrong password"})
    assert r.status_code == 400 and "Your current password is not right" in r.text
    assert 'value="theirs@example.org"' in r.text

    r = post_form(client, "/account/email", {"email": "nope", "current": PW})
    assert r.status_code == 400 and "Enter an email address in the right format" in r.text
    assert sent_mail() == []
    assert db.session.scalar(select(User.email).where(User.email == "mine@example.org"))


def test_change_email_answer_is_the_same_for_a_taken_address(client, make):
    make.user("mine@example.org")
    make.user("theirs@example.org")
    login(client, "mine@example.org")
    taken = post_form(client, "/account/email", {"email": "theirs@example.org", "current": PW})
    taken_page = client.get("/account").text
    free = post_form(client, "/account/email", {"email": "spare@example.org", "current": PW})
    free_page = client.get("/account").text
    assert taken.status_code == free.status_code == 302
    assert taken.headers["Location"] == free.headers["Location"] == "/account"
    assert "We have sent a link to theirs@example.org" in taken_page
    assert "We have sent a link to spare@example.org" in free_page
    # Both addresses get the same kind of link; the taken one only learns it cannot be used by following it.
    link = _email_link("theirs@example.org")
    r = client.get(link)
    assert r.status_code == 400 and "Your email address could not be changed" in r.text
    assert post_form(client, link, {}, form_page="/account").status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(User.id).where(User.email == "mine@example.org"))


def test_a_variant_of_a_taken_address_cannot_be_taken(client, make):
    make.user("mine@example.org")
    make.user("theirs@example.org")
    login(client, "mine@example.org")
    r = post_form(client, "/account/email", {"email": "ｔheirs@exａmple.org", "current": PW})
    assert r.status_code == 302 and "We have sent a link to theirs@example.org" in client.get("/account").text
    link = _email_link("theirs@example.org")
    assert post_form(client, link, {}, form_page="/account").status_code == 400
    db.session.expire_all()
    assert sorted(db.session.scalars(select(User.email))) == ["mine@example.org", "theirs@example.org"]


def test_change_email_happens_when_the_link_is_followed(client, make):
    user = make.user("before@example.org")
    login(client, "before@example.org")
    r = post_form(client, "/account/email", {"email": "After@Example.org", "current": PW})
    assert r.status_code == 302 and r.headers["Location"] == "/account"
    page = client.get("/account").text
    assert "before@example.org" in page and "We have sent a link to after@example.org" in page
    assert sent_mail("before@example.org") == []  # nothing has changed yet

    link = _email_link("after@example.org")
    confirm = client.get(link)
    assert confirm.status_code == 200 and "after@example.org" in confirm.text
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "before@example.org"  # opening it changes nothing

    r = post_form(client, link, {})
    assert r.status_code == 302 and r.headers["Location"] == "/account"
    page = client.get("/account").text
    assert "after@example.org" in page and "Your email address has been changed" in page
    notice = sent_mail("before@example.org")
    assert len(notice) == 1 and "after@example.org" in notice[0].get_content()
    # The link works once.
    again = client.get(link)
    assert again.status_code == 400 and "This link cannot be used" in again.text

    logout(client)
    assert post_form(client, "/account/sign-in", {"email": "before@example.org", "password": PW}).status_code == 400
    login(client, "after@example.org")
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.object_type == "user",
                                                      ChangeLog.object_id == user.id))
    assert entry.action == "email_changed"
    assert entry.changes == {"email": ["before@example.org", "after@example.org"]}


def test_change_email_link_works_without_being_signed_in_and_dies_with_the_password(client, make):
    make.user("a@example.org")
    login(client, "a@example.org")
    post_form(client, "/account/email", {"email": "b@example.org", "current": PW})
    first = _email_link("b@example.org")
    post_form(client, "/account/email", {"email": "c@example.org", "current": PW})
    second = _email_link("c@example.org")
    post_form(client, "/account/password", {"current": PW, "password": "new password 1",
                                            "confirm": "new password 1"})
    # A link sent before the password changed no longer works.
    assert client.get(first).status_code == 400
    assert client.get(second).status_code == 400

    post_form(client, "/account/email", {"email": "d@example.org", "current": "new password 1"})
    link = _email_link("d@example.org")
    logout(client)
    r = post_form(client, link, {})  # opened in another browser, signed out
    assert r.status_code == 302 and r.headers["Location"] == "/account/sign-in"
    login(client, "d@example.org", "new password 1")


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_changing_the_password_signs_out_other_sessions(app, client, make):
    make.user("two@example.org")
    other = app.test_client()
    login(client, "two@example.org")
    login(other, "two@example.org")
    assert _signed_in(client) and _signed_in(other)
    r = post_form(client, "/account/password", {"current": PW, "password": "new password 1",
                                                "confirm": "new password 1"})
    assert r.status_code == 302
    assert _signed_in(client)  # the session that changed it stays signed in
    r = other.get("/account")
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
    assert "Sign out" not in other.get("/").text
    login(other, "two@example.org", "new password 1")


def test_resetting_the_password_signs_out_every_session(app, client, make):
    make.user("lost@example.org")
    other = app.test_client()
    login(other, "lost@example.org")
    post_form(client, "/account/forgot-password", {"email": "lost@example.org"})
    link = re.search(r"https?://[^/\s]+(/account/reset-password/\S+)",
                     sent_mail("lost@example.org")[0].get_content()).group(1)
    post_form(client, link, {"password": "brand new password", "confirm": "brand new password"})
    assert not _signed_in(other)


def test_a_session_cookie_without_a_sign_in_is_refused(app, client, make):
    make.user("old@example.org")
    login(client, "old@example.org")
    with client.session_transaction() as session:
        del session["sign_in"]  # the cookie Flask-Login alone made before sign-ins were kept
    assert not _signed_in(client)
