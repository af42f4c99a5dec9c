"""The most common passwords are refused wherever a password is chosen: sign up, reset, change, create-admin."""
import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import User
from tests.helpers import field_errors, login, parse, post_form
from tests.web.test_auth_reset import _link_from_mail, _request_reset

PW = "correct horse battery"  # the suite's password: must still be accepted
COMMON = ("password", "123456789", "qwertyuiop", "Password1")
MESSAGE = "This is one of the most common passwords; choose one that is harder to guess"


def _beside_the_field(page: str) -> bool:
    """The message is the password field's own error (not only in the summary at the top)."""
    return MESSAGE in field_errors(parse(page), "password")


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


@pytest.mark.parametrize("password", COMMON)
def test_sign_up_refuses_a_common_password(client, password):
    r = post_form(client, "/account/sign-up", {"name": "Pat", "email": "pat@example.org", "password": password,
                                               "confirm": password})
    assert r.status_code == 400 and _beside_the_field(r.text), r.text
    assert sent_mail("pat@example.org") == []


@pytest.mark.parametrize("password", COMMON)
def test_reset_refuses_a_common_password(client, make, password):
    make.user("reset@example.org", PW)
    _request_reset(client, "reset@example.org")
    link = _link_from_mail("reset@example.org")
    r = post_form(client, link, {"password": password, "confirm": password})
    assert r.status_code == 400 and _beside_the_field(r.text), r.text
    login(client, "reset@example.org", PW)  # unchanged


@pytest.mark.parametrize("password", COMMON)
def test_change_password_refuses_a_common_password(client, make, password):
    make.user("me@example.org", PW)
    login(client, "me@example.org")
    r = post_form(client, "/account/password", {"current": PW, "password": password, "confirm": password})
    assert r.status_code == 400 and _beside_the_field(r.text), r.text
    assert db.session.scalar(select(User).where(User.email == "me@example.org")).check_password(PW)


@pytest.mark.parametrize("password", COMMON)
def test_create_admin_refuses_a_common_password(runner, password):
    result = runner.invoke(args=["users", "create-admin", "--email", "boss@example.org", "--password", password])
    assert result.exit_code != 0 and MESSAGE in result.output, result.output
    assert _users() == 0


def test_a_good_password_is_still_accepted_everywhere(client, make, runner):
    assert runner.invoke(args=["users", "create-admin", "--email", "boss@example.org", "--password", PW]).exit_code == 0
    r = post_form(client, "/account/sign-up", {"name": "Pat", "email": "pat@example.org", "password": PW,
                                               "confirm": PW})
    assert r.status_code == 200 and "Check your email" in r.text
    login(client, "boss@example.org")
    r = post_form(client, "/account/password", {"current": PW, "password": "a different long one",
                                                "confirm": "a different long one"})
    assert r.status_code == 302
