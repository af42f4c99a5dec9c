"""Sign-ins and emailed links end when they should (through the real forms, CSRF on).

Signing out ends a copy of the cookie too; a change of email address or password ends every reset link
sent before it; a sign-up link works once, even after the account it made has changed its address.
"""
import hashlib
import re

from sqlalchemy import func, select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import SignIn, User
from tests.helpers import login, logout, post_form, sign_up_link

PW = "correct horse battery"
RESET_LINK = re.compile(r"https?://[^/\s]+(/account/reset-password/\S+)")
EMAIL_LINK = re.compile(r"https?://[^/\s]+(/account/email/confirm/\S+)")


def _signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def _copy(app, client):
    """A second browser holding a copy of client's session cookie (as someone who took it would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _link(pattern, to: str) -> str:
    match = pattern.search(sent_mail(to)[-1].get_content())
    assert match, sent_mail(to)[-1].get_content()
    return match.group(1)


def test_a_copy_of_the_cookie_taken_before_signing_out_signs_nobody_in(app, client, make):
    make.user("sam@example.org")
    login(client, "sam@example.org")
    thief = _copy(app, client)
    assert _signed_in(thief)  # the copy works while Sam is signed in ...
    assert logout(client).status_code == 302
    assert not _signed_in(client)
    answer = thief.get("/account")  # ... and not after Sam signs out
    assert answer.status_code == 302 and "/account/sign-in" in answer.headers["Location"]
    assert "Sign out" not in thief.get("/").text
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0


def test_signing_out_one_browser_leaves_the_others_signed_in(app, client, make):
    make.user("sam@example.org")
    phone = app.test_client()
    login(client, "sam@example.org")
    login(phone, "sam@example.org")
    logout(client)
    assert _signed_in(phone) and not _signed_in(client)


def test_a_sign_in_is_kept_as_a_digest_only(client, make):
    make.user("sam@example.org")
    login(client, "sam@example.org")
    with client.session_transaction() as session:
        token = session["sign_in"]
    row = db.session.scalar(select(SignIn))
    assert len(token) >= 40 and row.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_a_closed_account_is_signed_out_at_once(app, client, make):
    user = make.user("sam@example.org")
    login(client, "sam@example.org")
    user.active = False
    db.session.commit()
    assert not _signed_in(client)


def test_a_reset_link_sent_before_the_email_address_changed_no_longer_works(app, client, make):
    make.user("old@example.org")
    post_form(client, "/account/forgot-password", {"email": "old@example.org"})
    reset = _link(RESET_LINK, "old@example.org")
    assert client.get(reset).status_code == 200  # it works now
    browser = app.test_client()
    login(browser, "old@example.org")
    post_form(browser, "/account/email", {"email": "new@example.org", "current": PW})
    assert post_form(browser, _link(EMAIL_LINK, "new@example.org"), {}).status_code == 302
    # The reset link went to the old address, which may no longer be the person's: it is dead.
    answer = post_form(client, reset, {"password": "a takeover password", "confirm": "a takeover password"},
                       form_page="/account/forgot-password")
    assert answer.status_code == 400 and "This link cannot be used" in answer.text
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    db.session.refresh(user)
    assert user.check_password(PW) and not user.check_password("a takeover password")


def test_a_reset_link_sent_before_the_password_changed_no_longer_works(app, client, make):
    make.user("sam@example.org")
    post_form(client, "/account/forgot-password", {"email": "sam@example.org"})
    reset = _link(RESET_LINK, "sam@example.org")
    browser = app.test_client()
    login(browser, "sam@example.org")
    post_form(browser, "/account/password", {"current": PW, "password": "new password 1",
                                             "confirm": "new password 1"})
    assert client.get(reset).status_code == 400


def test_a_sign_up_link_works_once_even_after_the_address_changed(app, client):
    post_form(client, "/account/sign-up", {"name": "Pat", "email": "pat@example.org", "password": PW,
                                           "confirm": PW})
    link = sign_up_link("pat@example.org")
    assert post_form(client, link, {}).status_code == 302
    post_form(client, "/account/email", {"email": "pat@work.example.org", "current": PW})
    assert post_form(client, _link(EMAIL_LINK, "pat@work.example.org"), {}).status_code == 302
    logout(client)
    # The old address is free again, but the link has been used: another browser following it (or the
    # same link written another way, with a character base64 decoding skips) makes nothing.
    token = link.rsplit("/", 1)[1]
    for path in (link, link[: -len(token)] + token[:10] + "." + token[10:]):
        other = app.test_client()
        page = other.get(path)
        assert page.status_code == 400 and "This link has already been used" in page.text, path
        answer = post_form(other, path, {}, form_page="/account/sign-in")
        assert answer.status_code == 400 and "This link has already been used" in answer.text
        assert not _signed_in(other)
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
