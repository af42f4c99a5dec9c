"""What is expensive to build (the national map, its GeoJSON, ranking and list counts) is built once per data change.

Built results are kept with Flask-Caching: by default files in instance/cache (shared by every worker on the
machine, works offline); a Redis server when CACHE_REDIS_URL names one. A result is keyed by everything it
depends on: its name and arguments (the snapshot filter, which carries what the viewer may see), today's
date, this code, where the app is served, and the data version: a token in the database (DataVersion)
replaced in the same transaction as any change to the tables a snapshot reads. Every process reads it
on each request, so a change is seen on the next request, whichever process made it, and nothing built
from older data is ever served. Builds of one kind take a lock (a file in CACHE_LOCK_DIR), so concurrent
requests for the same missing result wait for one build instead of each building it.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from filelock import FileLock, Timeout
from flask import Flask, current_app, request
from markupsafe import Markup
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .config import ConfigError
from .extensions import cache, db
from .loader import SNAPSHOT_TABLES
from .models import DataVersion

_CHANGED = "directory.data_changed"
# Stands in for the page's CSP nonce in cached HTML (every cached script tag carries it); swapped on use.
NONCE_MARK = "cached-nonce-mark"


def init_app(app: Flask) -> None:
    """Configure the cache: Redis when CACHE_REDIS_URL is set, else files in instance/cache."""
    instance = Path(app.instance_path)
    if app.config.get("CACHE_REDIS_URL"):
        app.config.setdefault("CACHE_TYPE", "RedisCache")
    app.config.setdefault("CACHE_TYPE", "FileSystemCache")
    app.config.setdefault("CACHE_DIR", str(instance / "cache"))
    app.config.setdefault("CACHE_LOCK_DIR", str(instance / "cache-locks"))
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", 3600)  # a backstop: keys change with the data anyway
    app.config.setdefault("CACHE_THRESHOLD", 60)  # files kept at most (the national GeoJSON is ~25 MB)
    app.config.setdefault("CACHE_KEY_PREFIX", "directory-cache:")
    try:
        cache.init_app(app)
    except ValueError as exc:  # a malformed CACHE_REDIS_URL
        raise ConfigError(f"CACHE_REDIS_URL={app.config.get('CACHE_REDIS_URL')!r} cannot be used: {exc}") from exc


# --- the data version -------------------------------------------------------------------------------

def _touches_snapshot(objects) -> bool:
    return any(getattr(getattr(o, "__table__", None), "name", None) in SNAPSHOT_TABLES for o in objects)


@event.listens_for(Session, "before_flush")
def _note_changes(session, _flush_context, _instances) -> None:
    """Remember that this transaction changes what a snapshot reads (rows added, changed or deleted)."""
    if _touches_snapshot(session.new) or _touches_snapshot(session.deleted) or _touches_snapshot(
            o for o in session.dirty if session.is_modified(o)):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state) -> None:
    """The same for INSERT, UPDATE and DELETE statements run through the session (bulk inserts, say)."""
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name != DataVersion.__tablename__ and (name is None or name in SNAPSHOT_TABLES):
        session = state.session
        session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump(session) -> None:
    """Replace the data version in the committing transaction when it changed a snapshot's tables.

    Last in the transaction, so the row lock it takes (PostgreSQL) is held only until the commit.
    """
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    token = uuid.uuid4().hex
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)
    session.execute(insert(DataVersion).values(id=1, token=token)
                    .on_conflict_do_update(index_elements=[DataVersion.id], set_={"token": token}))


@event.listens_for(Session, "after_rollback")
def _forget(session) -> None:
    session.info.pop(_CHANGED, None)


def data_version() -> str | None:
    """The current data version (None when the database has none: then nothing is cached)."""
    return db.session.scalar(select(DataVersion.token).where(DataVersion.id == 1))


# --- cached builds ------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of this package's code and of folium's version: results built by other code are not reused."""
    import folium

    digest = hashlib.sha256(folium.__version__.encode())
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(name: str, args: Any, version: str) -> str:
    """The key of a result: its name and a hash of its arguments and of everything else it depends on."""
    parts = [args, version, date.today().isoformat(), code_version(), request.script_root]
    return f"{name}:" + hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def cached(name: str, args: Any, build: Callable[[], Any], *, before_build: Callable[[], None] | None = None):
    """The result of build(), made once per data change for these arguments and kept in the cache.

    `args` must hold everything build() depends on besides the data (filters, what the viewer may see).
    before_build runs just before a build (the per-address limit on builds).
    """
    version = data_version()
    if version is None:
        return _build(build, before_build)
    key = cache_key(name, args, version)
    value = _get(key)
    if value is not None:
        return value
    lock = FileLock(Path(current_app.config["CACHE_LOCK_DIR"]) / f"{name}.lock",
                    timeout=current_app.config.get("CACHE_BUILD_WAIT", 120))
    try:
        with lock:  # one build of a kind at a time; those waiting then find it made
            value = _get(key)
            if value is None:
                value = _build(build, before_build)
                _set(key, value)
    except Timeout:
        current_app.logger.warning("Waited too long for another build of %s; building it here", name)
        value = _build(build, before_build)
    return value


def _build(build, before_build):
    if before_build is not None:
        before_build()
    return build()


def _get(key: str):
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001  (a cache that cannot be read is a miss, not an error page)
        current_app.logger.exception("Cache read failed")
        return None


def _set(key: str, value) -> None:
    try:
        cache.set(key, value)
    except Exception:  # noqa: BLE001
        current_app.logger.exception("Cache write failed")


def with_nonce(html: str, nonce: str) -> Markup:
    """Cached HTML built with NONCE_MARK, carrying this page's nonce instead."""
    return Markup(str(html).replace(f'nonce="{NONCE_MARK}"', f'nonce="{nonce}"'))
