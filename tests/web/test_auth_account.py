"""The account page: details, change password, change email; through the real forms with CSRF on."""
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
    assert entry.action == "password changed" and entry.user_id == user.id
    assert entry.changes == {}  # never the hash


def test_change_email_errors_keep_input_and_do_not_leak(client, make):
    make.user("mine@example.org")
    make.user("theirs@example.org")
    login(client, "mine@example.org")

    r = post_form(client, "/account/email", {"email": "Mine@Example.org", "current": PW})
    assert r.status_code == 400 and "Enter a different email address" in r.text

    r = post_form(client, "/account/email", {"email": "theirs@example.org", "current": PW})
    assert r.status_code == 400 and "That email address cannot be used" in r.text
    assert "already" not in r.text.lower()
    assert 'value="theirs@example.org"' in r.text

    # A wrong password says nothing about the address.
    r = post_form(client, "/account/email", {"email": "theirs@example.org", "current": "wrong password"})
    assert r.status_code == 400 and "Your current password is not right" in r.text
    assert "cannot be used" not in r.text

    r = post_form(client, "/account/email", {"email": "nope", "current": PW})
    assert r.status_code == 400 and "Enter an email address in the right format" in r.text
    assert db.session.scalar(select(User.email).where(User.email == "mine@example.org"))


def test_change_email_success(client, make):
    user = make.user("before@example.org")
    login(client, "before@example.org")
    r = post_form(client, "/account/email", {"email": "After@Example.org", "current": PW})
    assert r.status_code == 302 and r.headers["Location"] == "/account"
    page = client.get("/account").text
    assert "after@example.org" in page and "Your email address has been changed" in page
    notice = sent_mail("before@example.org")
    assert len(notice) == 1 and "after@example.org" in notice[0].get_content()
    logout(client)
    assert post_form(client, "/account/sign-in", {"email": "before@example.org", "password": PW}).status_code == 400
    login(client, "after@example.org")
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.object_type == "user",
                                                      ChangeLog.object_id == user.id))
    assert entry.action == "email changed"
    assert entry.changes == {"email": ["before@example.org", "after@example.org"]}
