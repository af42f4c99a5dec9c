"""Password reset by emailed, single-use, expiring link, through the real forms with CSRF on."""
import re
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from directory.auth import tokens
from directory.extensions import db
from directory.mail import sent_mail
from directory.models import ChangeLog
from tests.helpers import csrf_token, login, logout, post_form

LINK = re.compile(r"http://localhost(/account/reset-password/\S+)")
SENT = "If an account exists for that email address, we have sent it a link"


def _request_reset(client, email):
    return post_form(client, "/account/forgot-password", {"email": email})


def _link_from_mail(to):
    messages = sent_mail(to)
    assert len(messages) == 1
    match = LINK.search(messages[0].get_content())
    assert match, messages[0].get_content()
    return match.group(1)


def _sign_in(client, email, password):
    return post_form(client, "/account/sign-in", {"email": email, "password": password})


def test_sign_in_page_links_to_forgotten_password(client):
    page = client.get("/account/sign-in").text
    assert 'href="/account/forgot-password"' in page and "Forgot your password?" in page


def test_reset_end_to_end_and_the_link_works_once(client, make):
    user = make.user("reset@example.org", "old password 123")
    r = _request_reset(client, "Reset@Example.org")
    assert r.status_code == 302 and r.headers["Location"] == "/account/sign-in"
    assert SENT in client.get("/account/sign-in").text
    link = _link_from_mail("reset@example.org")

    assert client.get(link).status_code == 200
    r = post_form(client, link, {"password": "brand new password", "confirm": "brand new password"})
    assert r.status_code == 302 and r.headers["Location"] == "/account/sign-in"

    assert _sign_in(client, "reset@example.org", "old password 123").status_code == 400
    login(client, "reset@example.org", "brand new password")
    logout(client)

    # Used once: the same link is refused, for GET and for POST.
    again = client.get(link)
    assert again.status_code == 400 and "This link cannot be used" in again.text
    token = csrf_token(client, "/account/sign-in")
    r = client.post(link, data={"csrf_token": token, "password": "a third password", "confirm": "a third password"})
    assert r.status_code == 400
    login(client, "reset@example.org", "brand new password")

    assert db.session.scalars(select(ChangeLog.action).where(
        ChangeLog.object_type == "user", ChangeLog.object_id == user.id)).all() == ["password_reset"]
    # The account is told its password changed.
    assert [m["Subject"] for m in sent_mail("reset@example.org")] == [
        "Reset your password", "Your password has been changed"]


def test_unknown_email_gets_the_same_answer_and_a_mail_without_a_link(client, make):
    make.user("someone@example.org")
    known = _request_reset(client, "someone@example.org")
    known_page = client.get("/account/sign-in").text
    unknown = _request_reset(client, "nobody@example.org")
    unknown_page = client.get("/account/sign-in").text
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert SENT in known_page and SENT in unknown_page
    # Both addresses are mailed (so sending takes the same time either way); only the account gets a link.
    (told,) = sent_mail("nobody@example.org")
    assert told["Subject"] == "Someone asked to reset a password"
    body = told.get_content()
    assert "there is no account with this email address" in body and "/account/sign-up" in body
    assert "/account/reset-password/" not in body
    assert len(sent_mail()) == 2


def test_deactivated_account_gets_no_link(client, make):
    make.user("gone@example.org", active=False)
    assert _request_reset(client, "gone@example.org").status_code == 302
    (told,) = sent_mail("gone@example.org")
    assert "has been closed by an administrator" in told.get_content()
    assert "/account/reset-password/" not in told.get_content()


def test_expired_link_is_refused(client, make):
    user = make.user("late@example.org")

    class PastSigner(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - tokens.MAX_AGE - 60

    old = URLSafeTimedSerializer(client.application.config["SECRET_KEY"], salt=tokens.SALT, signer=PastSigner)
    token = old.dumps({"id": user.id, "fp": user.credentials_fingerprint})
    r = client.get(f"/account/reset-password/{token}")
    assert r.status_code == 400 and "This link cannot be used" in r.text
    # The same token, fresh, would have worked: only its age refuses it.
    assert tokens.user_for_reset_token(token, max_age=10 * tokens.MAX_AGE) == user


def test_forged_or_mangled_link_is_refused(client, make):
    user = make.user("forge@example.org")
    other_salt = URLSafeTimedSerializer(client.application.config["SECRET_KEY"], salt="something-else")
    wrong_key = URLSafeTimedSerializer("another-secret-key-0123456789-0123456789", salt=tokens.SALT)
    payload = {"id": user.id, "fp": user.credentials_fingerprint}
    for token in (other_salt.dumps(payload), wrong_key.dumps(payload), "not-a-token",
                  tokens.make_reset_token(user)[:-3] + "abc"):
        assert client.get(f"/account/reset-password/{token}").status_code == 400


def test_reset_form_errors_beside_fields(client, make):
    make.user("typo@example.org")
    _request_reset(client, "typo@example.org")
    link = _link_from_mail("typo@example.org")
    r = post_form(client, link, {"password": "short", "confirm": "different"})
    assert r.status_code == 400
    assert "Use at least 10 characters" in r.text
    r = post_form(client, link, {"password": "long enough one", "confirm": "long enough two"})
    assert r.status_code == 400 and "The passwords do not match" in r.text
    # Errors do not use the link up.
    assert client.get(link).status_code == 200


def test_forgot_form_needs_a_valid_email(client):
    r = _request_reset(client, "not an email")
    assert r.status_code == 400
    assert "Enter an email address in the right format" in r.text
    assert 'value="not an email"' in r.text


def test_a_variant_of_the_address_gets_the_account_its_link(client, make):
    make.user("dave@example.org")
    assert _request_reset(client, "ｄave@exａmple.org").status_code == 302
    link = _link_from_mail("dave@example.org")
    assert client.get(link).status_code == 200
    assert len(sent_mail()) == 1
