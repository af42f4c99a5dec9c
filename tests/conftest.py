"""Fixtures: a real database (SQLite file, or PostgreSQL by TEST_DATABASE_URL), the app, clients."""
from __future__ import annotations

import copy
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import cache, db, limiter

from . import factories
from .helpers import FAST_PASSWORD_HASH


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
        **_own_folders(mail_dir),
        "RATELIMIT_STORAGE_URI": "memory://",
        # Tests ask for the national pages far more often than a person would; the limit's own test lowers it.
        "LIMIT_NATIONAL_PAGES": "10000 per minute",
        "LIMIT_NATIONAL_BUILDS": "10000 per minute",
        "SERVER_NAME": None,
        # Passwords hashed cheaply: at full strength (scrypt, 60-250 ms a hash or a check) hashing was a large
        # part of the suite's time. tests/unit/test_passwords.py checks the app's own setting is scrypt.
        "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
    }


def _own_folders(mail_dir) -> dict:
    """A test's mail folder, and its own cache beside it."""
    return {"MAIL_DIR": str(mail_dir), "CACHE_DIR": str(Path(mail_dir).parent / "cache"),
            "CACHE_LOCK_DIR": str(Path(mail_dir).parent / "cache-locks")}


def _drop_everything() -> None:
    """Start from an empty schema (PostgreSQL keeps tables between runs)."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _empty_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
    _database.demo_kept = False


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


# Fixtures that serve the app to other threads or processes, which may read the database while fixtures
# are still being set up; writes by another process are not seen (_note_writes).
_SERVED_ELSEWHERE = {"live_server", "gunicorn"}
_OTHER_PROCESSES = {"gunicorn"}


def pytest_configure(config):
    config.addinivalue_line("markers", "own_app: the test changes the app itself (adds a route, say), so it "
                                       "gets an app of its own instead of the one shared by the session")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """The factories flush rather than commit each row while fixtures are set up, and commit them all at the
    end of the setup (factories._Saving); not for tests whose app is served elsewhere."""
    with factories.batched(not _SERVED_ELSEWHERE & set(item.fixturenames)):
        return (yield)


@event.listens_for(Pool, "checkout")
def _commit_rows_before_another_connection(*_args) -> None:
    """Something else asks the database while fixtures are set up (the test client signing in, say): it finds
    the rows made so far committed."""
    if threading.current_thread() is threading.main_thread():
        factories.commit_flushed()


@pytest.fixture(scope="session")
def _one_app(database_url, tmp_path_factory):
    """The app, made once: making it and compiling its templates again for every test took a quarter of a
    second each. The `app` fixture gives each test its own settings, mail folder, cache and rate-limit counts."""
    app = create_app(_settings(database_url, tmp_path_factory.mktemp("app") / "mail"))
    app.test_client_class = RequestIsolatedClient
    yield app, dict(app.config)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(_one_app, tmp_path, request):
    """The real app on the test database, as a fresh one: the settings as made (a test may change them),
    this test's own mail folder and cache, no requests counted by the rate limits; tables are emptied after
    each test that wrote to them (the demo is kept for the next test of it while no test writes: see `demo`)."""
    app, settings = _one_app
    own = request.node.get_closest_marker("own_app") is not None
    if own:
        app = create_app({**settings, **_own_folders(tmp_path / "mail")})
        app.test_client_class = RequestIsolatedClient
    else:
        app.config.clear()
        app.config.update(copy.deepcopy(settings))
        app.config.update(_own_folders(tmp_path / "mail"))
        cache.init_app(app)
    limiter.reset()
    with app.app_context():
        if _database.demo_kept and "demo" not in request.fixturenames:
            _empty_tables()
        _database.writes = False
        yield app
        db.session.remove()
        if _database.writes or _OTHER_PROCESSES & set(request.fixturenames):
            _empty_tables()
        # else nothing was written: the tables are as the test found them (empty, or the demo kept)
        if own:
            db.engine.dispose()


@pytest.fixture
def client(app):
    """Flask's test client, CSRF on."""
    return app.test_client()


@pytest.fixture
def live_server(app):
    """The test app served by a real HTTP server on 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    # Polling every 0.05 s (not 0.5 s) for the shutdown: stopping the server no longer takes half a second.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
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


class _Database:
    """What the test database holds between tests: nothing, or the demo as loaded (`demo_kept`), and
    whether the running test has written to it."""

    demo_kept = False
    writes = False


_database = _Database()
_READS = ("SELECT", "PRAGMA", "SHOW", "SET", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "EXPLAIN")


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(_conn, _cursor, statement, *_args) -> None:
    """Note any statement that may change the database (from any engine and thread of this process)."""
    words = statement.lstrip().split(None, 1)
    first = words[0].upper() if words else ""
    if first == "WITH":
        if re.search(r"\b(INSERT|UPDATE|DELETE)\b", statement, re.I):
            _database.writes = True
    elif first not in _READS:
        _database.writes = True


@pytest.fixture
def demo(app):
    """The demo area, loaded through the same function as `flask demo load`.

    Loaded once for the tests of a module that only read it: it is kept after a test that wrote nothing
    to the database, emptied (and loaded again by the next test that asks for it) after one that did.
    """
    from directory.demo.load import load_demo_area

    if not _database.demo_kept:
        wrote_before = _database.writes  # a fixture set up before this one wrote: not the demo as loaded
        load_demo_area()
        _database.demo_kept, _database.writes = True, wrote_before
    return factories.area_by_slug("demo-soarbridge")


@pytest.fixture(scope="module", autouse=True)
def _empty_after_module(request):
    """Each module starts from an empty database: the demo kept by the last one is emptied."""
    yield
    if _database.demo_kept:
        app, _ = request.getfixturevalue("_one_app")
        with app.app_context():
            _empty_tables()


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
