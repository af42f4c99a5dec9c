"""Test data factories: real rows in the real database."""
from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor, Area, BarrierReport, Collaboration, Management, User

_seq = itertools.count(1)


def area(**kw) -> Area:
    """An area (committed)."""
    n = next(_seq)
    values = dict(name=f"Test area {n}", slug=f"test-area-{n}", centre_lat=53.0, centre_lon=-1.5, zoom=12)
    values.update(kw)
    record = Area(**values)
    db.session.add(record)
    db.session.commit()
    return record


def area_by_slug(slug: str) -> Area:
    """Look up an area by slug."""
    return db.session.scalar(select(Area).where(Area.slug == slug))


def actor(kind: str = "service", *, area=None, stages=(), service_types=(), client_groups=(), **kw) -> Actor:
    """An actor (committed), active and verified today unless told otherwise."""
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
    db.session.add(record)
    db.session.commit()
    return record


def link(source: Actor, kind: str, target: Actor, status: str = "confirmed", **kw) -> Collaboration:
    """A collaboration (committed)."""
    record = Collaboration(source=source, kind=kind, target=target, status=status,
                           proposed_from_id=source.id,
                           last_confirmed=date.today() if status == "confirmed" else None, **kw)
    db.session.add(record)
    db.session.commit()
    return record


def user(email: str | None = None, password: str = "correct horse battery", *, manages=(), admin=False,
         **kw) -> User:
    """A user (committed) who manages the given actors."""
    record = User(email=email or f"user{next(_seq)}@example.org", is_admin=admin, **kw)
    record.set_password(password)
    db.session.add(record)
    db.session.flush()
    for a in manages:
        db.session.add(Management(user_id=record.id, actor_id=a.id))
    db.session.commit()
    return record


def barrier(actor: Actor, category: str = "capacity_full", stage: int | None = 4, **kw) -> BarrierReport:
    """A barrier report (committed)."""
    record = BarrierReport(actor=actor, category=category, stage=stage, **kw)
    db.session.add(record)
    db.session.commit()
    return record
