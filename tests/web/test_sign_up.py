"""Sign-up by emailed link: the form's answer never tells whether an address has an account (CSRF on)."""
import base64
import time

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from directory.auth import tokens
from directory.extensions import db
from directory.mail import sent_mail
from directory.models import User
from tests.helpers import csrf_token, login, parse, post_form, sign_up, sign_up_link

PW = "a long new password"


def _ask(client, email, *, path="/account/sign-up", addr="127.0.0.1", password=PW):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "name": "Pat", "email": email, "password": password,
                                   "confirm": password}, environ_base={"REMOTE_ADDR": addr})


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _normalised(text: str, email: str) -> str:
    """The page without what differs by design: the CSRF token, the CSP nonce and the address typed."""
    soup = parse(text)
    for token in soup.select('input[name="csrf_token"]'):
        text = text.replace(f'value="{token["value"]}"', 'value="CSRF"')
    for element in soup.select("[nonce]"):
        text = text.replace(f'nonce="{element["nonce"]}"', 'nonce="NONCE"')
    return text.replace(email, "EMAIL")


def test_new_and_used_addresses_get_the_same_answer(client, make):
    make.user("taken@example.org", "the owner's password")
    other = client.application.test_client()  # each asks from a fresh browser, as an outsider would
    used = _ask(client, "taken@example.org")
    new = _ask(other, "fresh@example.org")
    assert used.status_code == new.status_code == 200
    assert _normalised(used.text, "taken@example.org") == _normalised(new.text, "fresh@example.org")
    assert "Check your email" in new.text and "fresh@example.org" in new.text
    assert sorted(used.headers.keys()) == sorted(new.headers.keys())
    assert used.headers["Content-Length"] == new.headers["Content-Length"]  # same-length addresses
    # Nothing is stored until the link is followed, and nobody is signed in.
    assert _users() == 1
    assert "Sign out" not in client.get("/").text

    (finish,) = sent_mail("fresh@example.org")
    assert finish["Subject"] == "Finish creating your account"
    assert "/account/sign-up/finish/" in finish.get_content() and "24 hours" in finish.get_content()
    (told,) = sent_mail("taken@example.org")
    assert told["Subject"] == "Someone tried to create an account with your email address"
    body = told.get_content()
    assert "/account/sign-in" in body and "/account/forgot-password" in body
    assert "/account/sign-up/finish/" not in body
    # The owner's account is untouched.
    login(client, "taken@example.org", "the owner's password")


def test_following_the_link_creates_the_account_once(client):
    assert _ask(client, "New@Example.org").status_code == 200
    link = sign_up_link("new@example.org")
    page = client.get(link)
    assert page.status_code == 200 and "Finish creating your account" in page.text
    assert "new@example.org" in page.text and "Pat" in page.text
    assert _users() == 0  # opening the link (a mail scanner might) creates nothing

    r = post_form(client, link, {})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    home = client.get("/").text
    assert "Your account has been created. You are signed in." in home and "Sign out" in home
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.name == "Pat" and user.check_password(PW) and PW not in user.password_hash

    again = client.get(link)
    assert again.status_code == 400 and "This link has already been used" in again.text
    assert _users() == 1


def test_link_for_an_address_taken_meanwhile_changes_nothing(client, make):
    _ask(client, "race@example.org")
    link = sign_up_link("race@example.org")
    make.user("race@example.org", "first owner password")
    r = post_form(client, link, {}, form_page="/account/sign-in")
    assert r.status_code == 400 and "You already have an account" in r.text
    assert _users() == 1
    login(client, "race@example.org", "first owner password")


def test_next_is_kept_through_the_link_and_stays_on_this_site(client):
    r = sign_up(client, "next@example.org", path="/account/sign-up?next=/register")
    assert r.headers["Location"] == "/register"
    client.post("/account/sign-out", data={"csrf_token": csrf_token(client, "/")})
    r = sign_up(client, "evil@example.org", path="/account/sign-up?next=https://evil.example/")
    assert r.headers["Location"] == "/"


def test_forged_mangled_or_expired_links_are_refused(client):
    _ask(client, "late@example.org")
    good = sign_up_link("late@example.org").rsplit("/", 1)[1]

    key = client.application.config["SECRET_KEY"]
    payload = {"email": "late@example.org", "name": "Pat", "pw": "x", "next": ""}
    with client.application.test_request_context():
        expired = tokens.make_sign_up_token(*payload.values(), issued_at=time.time() - tokens.LINK_MAX_AGE - 60)
        assert tokens.sign_up_from_token(good)["email"] == "late@example.org"
    for token in (expired, good[:-3] + "abc", good[:40], "not-a-token", "%C3%A9t%C3%A9",
                  URLSafeTimedSerializer(key, salt=tokens.SIGN_UP_SALT).dumps(payload),  # signed, not encrypted
                  URLSafeTimedSerializer(key, salt=tokens.SALT).dumps(payload)):
        r = client.get(f"/account/sign-up/finish/{token}")
        assert r.status_code == 400 and "This link cannot be used" in r.text
    assert _users() == 0


def test_the_emailed_link_does_not_reveal_the_password_hash(client):
    _ask(client, "secret@example.org")
    (mail,) = sent_mail("secret@example.org")
    token = sign_up_link("secret@example.org").rsplit("/", 1)[1]
    opened = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert b"scrypt" not in opened and b"secret@example.org" not in opened
    post_form(client, sign_up_link("secret@example.org"), {})
    stored = db.session.scalar(select(User.password_hash).where(User.email == "secret@example.org"))
    salt_and_digest = stored.split("$", 1)[1]
    assert salt_and_digest not in mail.get_content() and "scrypt" not in mail.get_content()


def test_sign_up_mail_is_limited_per_address_whatever_it_is(client, make):
    make.user("busy@example.org")
    for email in ("busy@example.org", "quiet@example.org"):
        # Typos do not count against the address.
        assert _ask(client, email, password="short", addr="10.1.0.1").status_code == 400
        for n in range(3):
            assert _ask(client, email, addr=f"10.1.{n}.2").status_code == 200
        r = _ask(client, email.upper(), addr="10.1.9.9")
        assert r.status_code == 429 and "too many requests to create an account" in r.text
        r = _ask(client, " " + email.replace("e", "ｅ", 1), addr="10.1.9.9")  # a fullwidth letter
        assert r.status_code == 429
        assert len(sent_mail(email)) == 3


def test_a_variant_of_a_used_address_cannot_make_a_second_account(client, make):
    make.user("dave@example.org", "the owner's password")
    for variant in ("ｄave@example.org", "DAVE@exａmple.org ", "Dave@EXAMPLE.ORG"):
        assert _ask(client, variant).status_code == 200
    # Each ask told the account; no link to finish a sign-up went anywhere.
    told = sent_mail("dave@example.org")
    assert [m["Subject"] for m in told] == ["Someone tried to create an account with your email address"] * 3
    assert len(sent_mail()) == 3
    assert _users() == 1


def test_sign_up_is_limited_per_address(client):
    for n in range(20):
        assert _ask(client, f"many{n}@example.org", addr="10.2.0.1", password="short").status_code == 400
    assert _ask(client, "one-more@example.org", addr="10.2.0.1").status_code == 429
    assert _ask(client, "one-more@example.org", addr="10.2.0.2").status_code == 200
