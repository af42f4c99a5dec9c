"""The app stores passwords with scrypt (the tests set a cheap hash: see _settings in tests/conftest.py)."""
from werkzeug import security

from directory.config import DEFAULTS
from directory.models import User


def test_the_app_hashes_passwords_with_scrypt(app):
    app.config["PASSWORD_HASH_METHOD"] = DEFAULTS["PASSWORD_HASH_METHOD"]
    stored = User.hash_password("correct horse battery")
    assert stored.startswith("scrypt:") and security.check_password_hash(stored, "correct horse battery")


def test_the_tests_hash_cheaply_through_the_setting(app):
    assert User.hash_password("correct horse battery").startswith("pbkdf2:sha256:1$")
