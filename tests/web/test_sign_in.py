"""Sign up, sign in and sign out through the real forms, CSRF on."""
from tests.helpers import csrf_token, login, logout, post_form


def test_sign_up_then_sign_in_and_out(client, app):
    r = post_form(client, "/account/sign-up", {"name": "Ana", "email": "Ana@Example.org",
                                               "password": "long enough pw", "confirm": "long enough pw"})
    assert r.status_code == 302
    assert "Sign out" in client.get("/").text
    assert logout(client).status_code == 302
    assert "Sign in" in client.get("/").text
    login(client, "ana@example.org", "long enough pw")


def test_sign_up_errors_shown_beside_fields_and_input_kept(client):
    r = post_form(client, "/account/sign-up", {"name": "Ana", "email": "not-an-email",
                                               "password": "short", "confirm": "other"})
    assert r.status_code == 400
    assert "Enter an email address in the right format" in r.text
    assert "Use at least 10 characters" in r.text
    assert 'value="Ana"' in r.text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make):
    make.user("known@example.org")
    a = post_form(client, "/account/sign-in", {"email": "known@example.org", "password": "wrong password"})
    b = post_form(client, "/account/sign-in", {"email": "nobody@example.org", "password": "wrong password"})
    assert a.status_code == b.status_code == 400
    assert "The email address or password is not right" in a.text
    assert "The email address or password is not right" in b.text


def test_sign_up_with_existing_email_does_not_reveal_it(client, make):
    make.user("taken@example.org")
    r = post_form(client, "/account/sign-up", {"name": "X", "email": "taken@example.org",
                                               "password": "long enough pw", "confirm": "long enough pw"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/account/sign-in")


def test_next_redirect_stays_on_this_site(client, make):
    make.user("n@example.org")
    for target, expected in [("/directory", "/directory"), ("https://evil.example/", "/"),
                             ("//evil.example/", "/"), ("/\\evil.example", "/")]:
        token = csrf_token(client, "/account/sign-in")
        r = client.post("/account/sign-in?next=" + target,
                        data={"csrf_token": token, "email": "n@example.org", "password": "correct horse battery"})
        assert r.status_code == 302
        assert r.headers["Location"] == expected
        logout(client)


def test_sign_out_is_post_only(client, make):
    make.user("o@example.org")
    login(client, "o@example.org")
    assert client.get("/account/sign-out").status_code == 405


def test_forged_post_without_csrf_token_is_refused(client, make):
    make.user("f@example.org")
    r = client.post("/account/sign-in", data={"email": "f@example.org", "password": "correct horse battery"})
    assert r.status_code == 400
    assert "Your form has expired" in r.text
    assert "Sign in" in client.get("/").text
