"""The app stores passwords with scrypt (the other tests swap in a cheap hash: see tests/conftest.py)."""
from werkzeug import security

from directory.models import User


def test_the_app_hashes_passwords_with_scrypt(monkeypatch):
    monkeypatch.setattr("directory.models.user.generate_password_hash", security.generate_password_hash)
    stored = User.hash_password("correct horse battery")
    assert stored.startswith("scrypt:") and security.check_password_hash(stored, "correct horse battery")
