"""Test data factories: real rows in the real database."""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from directory.extensions import db
from directory.models import Actor, Area, BarrierReport, Collaboration, Management, User

_seq = itertools.count(1)


class _Saving:
    """How the factories save a row. In a test, each is committed at once, as the test may hand over to the
    app at any moment (a request, a thread, another connection) or roll back its own session. While fixtures
    are set up (see conftest.py) rows are only flushed, and committed together at the end of the setup, or
    sooner when something else asks the database: far fewer statements for fixtures of many rows."""

    batch = False
    session = None  # the session with rows flushed and not yet committed


_saving = _Saving()


@event.listens_for(Session, "after_transaction_end")
def _committed_or_not(session, transaction) -> None:
    """The batch's session ended its transaction (committed it, or rolled it back): nothing is waiting."""
    if session is _saving.session and transaction.parent is None:
        _saving.session = None


def _save(record) -> None:
    db.session.add(record)
    if _saving.batch:
        db.session.flush()
        _saving.session = db.session()
    else:
        db.session.commit()


def commit_flushed() -> None:
    """Commit the rows made in batch and only flushed so far, if any."""
    session, _saving.session = _saving.session, None
    if session is not None and session.in_transaction():
        session.commit()


@contextmanager
def batched(enabled: bool = True):
    """Flush rather than commit each row inside (committed at the end)."""
    _saving.batch = enabled
    try:
        yield
        commit_flushed()
    finally:
        _saving.batch, _saving.session = False, None


def area(**kw) -> Area:
    """An area (saved: see _Saving)."""
    n = next(_seq)
    values = dict(name=f"Test area {n}", slug=f"test-area-{n}", centre_lat=53.0, centre_lon=-1.5, zoom=12)
    values.update(kw)
    record = Area(**values)
    _save(record)
    return record


def area_by_slug(slug: str) -> Area:
    """Look up an area by slug."""
    return db.session.scalar(select(Area).where(Area.slug == slug))


def actor(kind: str = "service", *, area=None, stages=(), service_types=(), client_groups=(), **kw) -> Actor:
    """An actor (saved: see _Saving), active and verified today unless told otherwise."""
    n = next(_seq)
    values = dict(kind=kind, name=f"Test {kind} {n}", status="active", verified_at=date.today(),
                  latitude=53.0 + n / 1000, longitude=-1.5)
    values.update(kw)
    record = Actor(**values)
    record.area = area
    if kind == "service":
        record.set_values("stage", [str(s) for s in stages])
        record.set_values("service_type", service_types or ["advice_advocacy"])
        record.set_values("client_group", client_groups)
    _save(record)
    return record


def link(source: Actor, kind: str, target: Actor, status: str = "confirmed", **kw) -> Collaboration:
    """A collaboration (saved: see _Saving)."""
    record = Collaboration(source=source, kind=kind, target=target, status=status,
                           proposed_from_id=source.id,
                           last_confirmed=date.today() if status == "confirmed" else None, **kw)
    _save(record)
    return record


def user(email: str | None = None, password: str = "correct horse battery", *, manages=(), admin=False,
         **kw) -> User:
    """A user (saved: see _Saving) who manages the given actors."""
    record = User(email=email or f"user{next(_seq)}@example.org", is_admin=admin, **kw)
    record.set_password(password)
    db.session.add(record)
    db.session.flush()
    for a in manages:
        db.session.add(Management(user_id=record.id, actor_id=a.id))
    _save(record)
    return record


def barrier(actor: Actor, category: str = "capacity_full", stage: int | None = 4, **kw) -> BarrierReport:
    """A barrier report (saved: see _Saving)."""
    record = BarrierReport(actor=actor, category=category, stage=stage, **kw)
    _save(record)
    return record
