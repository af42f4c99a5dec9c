"""Sign-in and reset throttling (Flask-Limiter): per account, per address, friendly 429 page."""
import pytest

from tests.helpers import csrf_token


def _sign_in(client, email, password, addr):
    token = csrf_token(client, "/account/sign-in")
    return client.post("/account/sign-in", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def test_sixth_wrong_password_for_one_account_is_refused_from_any_address(client, make):
    make.user("target@example.org")
    for _ in range(5):
        assert _sign_in(client, "target@example.org", "wrong password", "10.0.0.1").status_code == 400
    r = _sign_in(client, "target@example.org", "wrong password", "10.0.0.2")
    assert r.status_code == 429
    # The account is locked for the window, even with the right password, from another address,
    # and whatever the case of the email typed.
    r = _sign_in(client, "Target@Example.org ", "correct horse battery", "10.0.0.3")
    assert r.status_code == 429
    assert "Too many attempts" in r.text and "Wait 15 minutes" in r.text
    assert "Sector engagement directory" in r.text  # the site's own error page
    # The page itself still opens, and other accounts are not affected.
    assert client.get("/account/sign-in").status_code == 200
    make.user("other@example.org")
    assert _sign_in(client, "other@example.org", "correct horse battery", "10.0.0.2").status_code == 302


def test_successful_sign_ins_do_not_count_as_failures(client, make):
    make.user("regular@example.org")
    for _ in range(7):
        assert _sign_in(client, "regular@example.org", "correct horse battery", "10.0.0.3").status_code == 302
        client.post("/account/sign-out", data={"csrf_token": csrf_token(client, "/")})


def test_failed_sign_ins_from_one_address_are_limited_across_accounts(client):
    for n in range(10):
        assert _sign_in(client, f"guess{n}@example.org", "wrong password", "10.0.0.4").status_code == 400
    assert _sign_in(client, "guess-new@example.org", "wrong password", "10.0.0.4").status_code == 429
    assert _sign_in(client, "guess-new@example.org", "wrong password", "10.0.0.5").status_code == 400


@pytest.mark.parametrize("run", [1, 2])
def test_limits_do_not_leak_between_tests(client, make, run):
    make.user("same@example.org")
    for _ in range(5):
        assert _sign_in(client, "same@example.org", "wrong password", "10.0.0.6").status_code == 400


def test_reset_requests_are_limited_per_account(client):
    for _ in range(3):
        token = csrf_token(client, "/account/forgot-password")
        r = client.post("/account/forgot-password", data={"csrf_token": token, "email": "x@example.org"},
                        environ_base={"REMOTE_ADDR": "10.0.0.7"})
        assert r.status_code == 302
    token = csrf_token(client, "/account/forgot-password")
    r = client.post("/account/forgot-password", data={"csrf_token": token, "email": "X@example.org"},
                    environ_base={"REMOTE_ADDR": "10.0.0.8"})
    assert r.status_code == 429 and "too many requests to reset a password" in r.text


# Variants of one address: a fullwidth letter, capitals, spaces around, a fullwidth local part.
VARIANTS = ["dave@exａmple.org", "DAVE@example.org", " dave@example.org ", "ｄave@example.org",
            "Dave@EXAMPLE.ORG"]


def test_variants_of_an_address_share_its_sign_in_limit(client, make):
    make.user("dave@example.org")
    for n, variant in enumerate(VARIANTS):
        assert _sign_in(client, variant, "wrong password", f"10.3.0.{n}").status_code == 400, variant
    r = _sign_in(client, "dave@ｅxample.org", "correct horse battery", "10.3.1.1")
    assert r.status_code == 429 and "Too many attempts" in r.text


def test_variants_of_an_address_share_its_reset_request_limit(client, make):
    make.user("dave@example.org")
    for n, variant in enumerate(VARIANTS[:3]):
        token = csrf_token(client, "/account/forgot-password")
        r = client.post("/account/forgot-password", data={"csrf_token": token, "email": variant},
                        environ_base={"REMOTE_ADDR": f"10.3.2.{n}"})
        assert r.status_code == 302, variant
    token = csrf_token(client, "/account/forgot-password")
    r = client.post("/account/forgot-password", data={"csrf_token": token, "email": VARIANTS[3]},
                    environ_base={"REMOTE_ADDR": "10.3.3.1"})
    assert r.status_code == 429 and "too many requests to reset a password" in r.text
