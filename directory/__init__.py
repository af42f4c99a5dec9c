"""The sector-engagement network directory: app factory."""
from __future__ import annotations

import os
import secrets as _secrets
from pathlib import Path

from flask import Flask, g, request
from limits.errors import ConfigurationError as LimitsConfigurationError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import ArgumentError

from . import config as cfg
from .extensions import csrf, db, limiter, login_manager, migrate

BLUEPRINTS = (
    "directory.analysis_views.routes:bp",
    "directory.public.routes:bp",
    "directory.auth.routes:bp",
    "directory.manage.routes:bp",
    "directory.admin.routes:bp",
    "directory.records.routes:bp",
    "directory.moderation.routes:bp",
    "directory.partners.routes:bp",
    "directory.maps.routes:bp",
)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings from defaults, instance/config.py, the environment, then test_config."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(cfg.DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(Path(app.instance_path) / "directory.sqlite3")
    app.config["MAIL_DIR"] = str(Path(app.instance_path) / "mail")
    _read_instance_config(app)
    app.config.update(cfg.from_environment())
    if test_config:
        app.config.update(test_config)
    _check_config(app)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    try:
        limiter.init_app(app)
    except LimitsConfigurationError as exc:
        raise cfg.ConfigError(
            f"RATELIMIT_STORAGE_URI={app.config['RATELIMIT_STORAGE_URI']!r} cannot be used: {exc}") from exc

    from . import cli, converters, datacache, errors, guards, templating

    datacache.init_app(app)

    converters.init_app(app)
    for spec in BLUEPRINTS:
        module_name, _, attr = spec.partition(":")
        module = __import__(module_name, fromlist=[attr])
        app.register_blueprint(getattr(module, attr))
    templating.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    _security_headers(app)
    guards.init_app(app)  # after the nonce, which the error page uses
    return app


def _read_instance_config(app: Flask) -> None:
    """Read instance/config.py if there is one; a mistake in it is one clear line, not a traceback."""
    path = Path(app.instance_path) / "config.py"
    try:
        app.config.from_pyfile("config.py", silent=True)
    except SyntaxError as exc:
        raise cfg.ConfigError(f"{path} has a syntax error on line {exc.lineno}: {exc.msg}") from exc
    except Exception as exc:  # noqa: BLE001  (any error raised by running the file)
        raise cfg.ConfigError(f"{path} cannot be read: {type(exc).__name__}: {exc}") from exc


def _check_config(app: Flask) -> None:
    """Fail with one clear line when a setting cannot work."""
    url = cfg.normalise_database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise cfg.ConfigError(f"DATABASE_URL is not a database URL: {url!r}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise cfg.ConfigError(f"DATABASE_URL must be SQLite or PostgreSQL, not {parsed.get_backend_name()}")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = cfg.instance_secret(app.instance_path)
    per_page = app.config.get("PER_PAGE")
    if not isinstance(per_page, int) or not 1 <= per_page <= 500:
        raise cfg.ConfigError("PER_PAGE must be a whole number from 1 to 500")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: foreign keys on, WAL journal for concurrent readers."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _security_headers(app: Flask) -> None:
    """A strict Content-Security-Policy with a per-request nonce, and friends.

    The nonce serves scripts and styles alike: no inline script, and no ``style="..."`` attribute or
    ``<style>`` element without the nonce ('unsafe-inline' is not allowed). Scripts style elements through
    the CSSOM (``element.style``), which the policy allows; vis-network's stylesheet gets the nonce from
    static/js/network.js, and the cached national map's tags carry it through datacache.with_nonce.
    """

    @app.before_request
    def _nonce() -> None:
        g.csp_nonce = _secrets.token_urlsafe(16)

    @app.after_request
    def _headers(response):
        nonce = getattr(g, "csp_nonce", "")
        tiles = app.config.get("TILES_URL") or ""
        img_src = "'self' data:"
        if tiles.startswith("http"):
            from urllib.parse import urlparse

            parts = urlparse(tiles.replace("{s}", "a"))
            img_src += f" {parts.scheme}://{parts.netloc.replace('a.', '*.', 1) if '{s}' in tiles else parts.netloc}"
        response.headers.setdefault(
            "Content-Security-Policy",
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
            f"style-src 'self' 'nonce-{nonce}'; img-src {img_src}; connect-src 'self'; "
            "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if _private(response) and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = "no-store"  # replaces e.g. the map data's "public, max-age=60"
        return response


def _private(response) -> bool:
    """True when no browser or shared cache may keep the response (so it says Cache-Control: no-store).

    That is everything served to a signed-in person (pages, downloads, redirects, errors), the account
    pages (CSRF tokens; sign-up, reset and email links), and any response that sets a cookie. Static files
    are the same for everyone; public pages for signed-out visitors may be cached.
    """
    from flask_login import current_user

    if request.endpoint == "static":
        return False
    return (request.blueprint == "auth" or "Set-Cookie" in response.headers
            or current_user.is_authenticated)
