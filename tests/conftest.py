"""Fixtures: a real database (SQLite file, or PostgreSQL by TEST_DATABASE_URL), the app, clients."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import db

from . import factories


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database: PostgreSQL when TEST_DATABASE_URL is set, else a fresh SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app(_settings(url, tmp_path_factory.mktemp("mail")))
    with app.app_context():
        _drop_everything()
        upgrade()
    return url


def _settings(url: str, mail_dir) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "TILES_URL": None,
        "MAIL_DIR": str(mail_dir),
        # Each test's own cache, beside its mail folder.
        "CACHE_DIR": str(Path(mail_dir).parent / "cache"),
        "CACHE_LOCK_DIR": str(Path(mail_dir).parent / "cache-locks"),
        "RATELIMIT_STORAGE_URI": "memory://",
        # Tests ask for the national pages far more often than a person would; the limit's own test lowers it.
        "LIMIT_NATIONAL_PAGES": "10000 per minute",
        "LIMIT_NATIONAL_BUILDS": "10000 per minute",
        "SERVER_NAME": None,
    }


def _drop_everything() -> None:
    """Start from an empty schema (PostgreSQL keeps tables between runs)."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _empty_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


class RequestIsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    The fixture keeps an app context open for the test body (factories, assertions); without
    this, requests would reuse it and share `g` (Flask-Login's cached user) and the database
    session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        """Hide the test's app context while the request runs."""
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


@pytest.fixture
def app(database_url, tmp_path):
    """The real app on the test database; tables are emptied after each test."""
    app = create_app(_settings(database_url, tmp_path / "mail"))
    app.test_client_class = RequestIsolatedClient
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        # Close this app's pooled connections now, not whenever its engine is garbage collected:
        # PostgreSQL allows few, and tests serving the app from threads open several.
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Flask's test client, CSRF on."""
    return app.test_client()


@pytest.fixture
def live_server(app):
    """The test app served by a real HTTP server on 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def runner(app):
    """The CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """The demo area, loaded through the same function as `flask demo load`."""
    from directory.demo.load import load_demo_area

    load_demo_area()
    return factories.area_by_slug("demo-soarbridge")


@pytest.fixture
def make(app):
    """Factories for areas, actors, links, users and barrier reports."""
    return factories


@pytest.fixture
def count_queries(app):
    """Context manager counting SQL statements run inside it."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def _before(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", _before)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", _before)

    return counter
