"""`flask --app wsgi users create-admin`, through the CLI runner."""
from sqlalchemy import select

from directory.extensions import db
from directory.models import User
from tests.helpers import login


def _create(runner, email, password):
    return runner.invoke(args=["users", "create-admin", "--email", email, "--password", password])


def test_create_admin_makes_an_admin_who_can_sign_in_and_reach_admin(runner, client):
    result = _create(runner, "First.Admin@Example.org", "a long admin password")
    assert result.exit_code == 0, result.output
    assert "Created administrator first.admin@example.org" in result.output
    user = db.session.scalar(select(User).where(User.email == "first.admin@example.org"))
    assert user.is_admin and user.active
    login(client, "first.admin@example.org", "a long admin password")
    assert client.get("/admin").status_code == 200


def test_create_admin_promotes_an_existing_user(runner, make):
    make.user("member@example.org")
    result = _create(runner, "member@example.org", "a new long password")
    assert result.exit_code == 0 and "Updated administrator member@example.org" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User.is_admin).where(User.email == "member@example.org")) is True
    assert len(db.session.scalars(select(User)).all()) == 1


def test_bad_email_is_refused_with_a_clear_message(runner):
    result = _create(runner, "not-an-email", "a long admin password")
    assert result.exit_code != 0
    assert "Enter an email address in the right format" in result.output
    assert db.session.scalar(select(User.id)) is None


def test_short_password_is_refused_with_a_clear_message(runner):
    result = _create(runner, "ok@example.org", "short")
    assert result.exit_code != 0
    assert "Use at least 10 characters" in result.output
    assert db.session.scalar(select(User.id)) is None
