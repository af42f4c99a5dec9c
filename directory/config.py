"""Settings: defaults here, then instance/config.py, then the environment."""
from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the configuration cannot work; shown as one line on start."""


DEFAULTS = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "TILES_URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "TILES_ATTRIBUTION": "&copy; OpenStreetMap contributors",
    "PER_PAGE": 25,
    "MAIL_SERVER": None,
    "MAIL_PORT": 587,
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_USE_TLS": True,
    "MAIL_FROM": "directory@localhost",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Requests one address may make for each of the national map, its GeoJSON, its list and the ranking.
    "LIMIT_NATIONAL_PAGES": "30 per minute",
    # Of those, requests that had to build a national map, GeoJSON or ranking afresh (not already cached).
    "LIMIT_NATIONAL_BUILDS": "6 per minute",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "GEOCODER_URL": None,
    # How passwords are hashed (werkzeug's method string). Keep scrypt; the tests set a cheap one for speed.
    "PASSWORD_HASH_METHOD": "scrypt",
}

# Environment variables read as settings, and how to convert them.
ENV_SETTINGS = {
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "SECRET_KEY": ("SECRET_KEY", str),
    "TILES_URL": ("TILES_URL", str),
    "TILES_ATTRIBUTION": ("TILES_ATTRIBUTION", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_FROM": ("MAIL_FROM", str),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "SESSION_COOKIE_SECURE": ("SESSION_COOKIE_SECURE", lambda v: v.lower() in ("1", "true", "yes")),
    "GEOCODER_URL": ("GEOCODER_URL", str),
    "CACHE_REDIS_URL": ("CACHE_REDIS_URL", str),
}


def from_environment(environ=os.environ) -> dict:
    """Settings found in the environment, converted to their types."""
    found = {}
    for env_name, (key, convert) in ENV_SETTINGS.items():
        raw = environ.get(env_name)
        if raw is None or raw == "":
            continue
        try:
            found[key] = convert(raw)
        except ValueError as exc:
            raise ConfigError(f"{env_name}={raw!r} is not valid: {exc}") from exc
    # TILES_URL=none switches tiles off (offline use and tests).
    if found.get("TILES_URL", "").lower() in ("none", "off"):
        found["TILES_URL"] = None
    return found


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for plain postgres:// and postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret(instance_path: str) -> str:
    """Read the secret key from instance/secret_key, generating it on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if len(key) < 32:
            raise ConfigError(f"{path} holds a key shorter than 32 characters; delete it to make a new one")
        return key
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def database_unreachable(url, exc: Exception) -> str:
    """One line saying which database could not be reached and why (the password left out)."""
    shown = url.render_as_string(hide_password=True) if hasattr(url, "render_as_string") else str(url)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"cannot connect to the database {shown}: {reason[0] if reason else type(exc).__name__}"
