"""Sign up, sign in and sign out through the real forms, CSRF on."""
from tests.helpers import csrf_token, login, logout, post_form, sign_up


def test_sign_up_then_sign_in_and_out(client, app):
    r = sign_up(client, "Ana@Example.org", "long enough pw", "Ana")
    assert r.headers["Location"] == "/"
    home = client.get("/").text
    assert "Your account has been created" in home and "Sign out" in home
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
    r = post_form(client, "/account/sign-up", {"name": "A" * 201, "email": "ana@example.org",
                                               "password": "p" * 201, "confirm": "p" * 201})
    assert r.status_code == 400
    assert "Enter a name in 200 characters or fewer" in r.text and "Use 200 characters or fewer" in r.text
    assert "Use at least 10 characters" not in r.text


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make):
    make.user("known@example.org")
    a = post_form(client, "/account/sign-in", {"email": "known@example.org", "password": "wrong password"})
    b = post_form(client, "/account/sign-in", {"email": "nobody@example.org", "password": "wrong password"})
    assert a.status_code == b.status_code == 400
    assert "The email address or password is not right" in a.text
    assert "The email address or password is not right" in b.text


def test_unknown_email_still_checks_a_password_hash(client, make, monkeypatch):
    """Timing: an unknown email costs one (dummy) hash check, like a known one with a wrong password."""
    import directory.models.user as user_module

    calls = []
    real = user_module.check_password_hash
    monkeypatch.setattr(user_module, "check_password_hash", lambda h, p: calls.append(h) or real(h, p))
    make.user("closed@example.org", active=False)
    for email in ("nobody@example.org", "closed@example.org"):
        calls.clear()
        r = post_form(client, "/account/sign-in", {"email": email, "password": "wrong password"})
        assert r.status_code == 400 and len(calls) == 1, email


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


def test_a_variant_of_the_address_signs_in_to_the_same_account(client, make):
    make.user("dave@example.org", name="Dave")
    login(client, "ＤＡＶＥ@exａmple.org ")
    assert "dave@example.org" in client.get("/account").text
