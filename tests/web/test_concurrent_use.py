"""Several people using the app at once, as in production: gunicorn (2 workers x 4 threads) on the test
database (a SQLite file or PostgreSQL), driven through the real forms by plain HTTP clients in threads: registering, proposing and confirming
links, approving records and editing the same record, all at once.

Every success a person is shown must be in the database, nothing may be duplicated, no answer may be a
5xx, and no change may be overwritten without the person being told. Rate limits cannot make this flaky: each person signs in once, far below the sign-in limits,
and each run starts a fresh gunicorn (Flask-Limiter's memory storage starts empty).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Actor, ChangeLog, Collaboration, Notification
from tests.helpers import form_values, service_answers
from tests.http_clients import Browser, at_once, press_together

from .test_register import about, location, service_details

ROOT = Path(__file__).resolve().parents[2]
SECRET = "concurrency-test-secret-key-0123456789abcdef"


@pytest.fixture
def gunicorn(app, database_url, tmp_path):
    """gunicorn serving the app on the test database, on a port the OS picked; yields its base URL.

    The listening socket is made here and handed to gunicorn (fd://), so no other process can take the port
    between choosing it and serving on it.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "TILES_URL": "none"}
    factory = f"directory:create_app({{'MAIL_DIR': {str(tmp_path / 'mail')!r}}})"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "2", "--threads", "4", "--timeout", "120",
             "-b", f"fd://{listener.fileno()}", factory],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),))
    listener.close()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server, log)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        db.session.remove()  # the test's own connection, before the tables are emptied


def _wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    """Poll the sign-in page until gunicorn's workers answer (the machine may be slow); fail with its log."""
    for _ in range(600):
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped ({server.returncode}):\n{log.read_text()}")
        try:
            if requests.get(base + "/account/sign-in", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer:\n{log.read_text()}")


class People:
    """The people of the test, each with their own browser; every answer any of them got is kept."""

    def __init__(self, base: str):
        self.base = base
        self.seen: list[tuple[str, str, int]] = []
        self.browsers: dict[str, Browser] = {}

    def __getitem__(self, email: str) -> Browser:
        if email not in self.browsers:
            browser = Browser(self.base, seen=self.seen)
            browser.login(email)
            self.browsers[email] = browser
        return self.browsers[email]

    def server_errors(self) -> list[tuple[str, str, int]]:
        """Every 5xx answer."""
        return [s for s in self.seen if s[2] >= 500]


def _register(browser: Browser, area_id: int, name: str, postcode: str) -> list[str]:
    """Answer the service journey, then press Register twice at once; what each press showed."""
    area = SimpleNamespace(id=area_id)
    for step, answers in (("about", about(area, name=name)), ("details", service_details()),
                          ("location", location(postcode=postcode, latitude="", longitude=""))):
        answer = browser.post_form(f"/register/service/{step}", answers)
        assert answer.status_code == 302, (step, answer.status_code, answer.text[:2000])
    presses = press_together(browser, "/register/service/check", {}, form_page="/register/service/check")
    return [b.told(a) for b, a in presses]


def _propose(browser: Browser, source_id: int, target_id: int, note: str) -> list[str]:
    """Propose source "refers to" target, pressing twice at once; what each press showed."""
    path = f"/actors/{source_id}/links/new"
    presses = press_together(browser, path, {"kind": "refers_to", "direction": "out", "other": str(target_id),
                                             "q": "", "note": note, "start_date": ""}, form_page=path)
    return [b.told(a) for b, a in presses]


def _press_twice(browser: Browser, path: str, form_page: str) -> list[str]:
    """Press a button twice at once; what each press showed."""
    return [b.told(a) for b, a in press_together(browser, path, {}, form_page=form_page)]


def _save(browser: Browser, path: str, body: dict) -> tuple[int, str]:
    """Press Save on an edit form; the answer's status and what the person read."""
    answer = browser.post(path, body)
    return answer.status_code, browser.told(answer)


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def _log(object_type: str, object_id: int, action: str) -> list[ChangeLog]:
    return list(db.session.scalars(select(ChangeLog).where(
        ChangeLog.object_type == object_type, ChangeLog.object_id == object_id, ChangeLog.action == action)))


@pytest.fixture
def world(make):
    """An area with a forum (its coordinator), an administrator, Harbour with two managers, three services
    that will propose links to Harbour (the first with two managers), and two links waiting for the forum."""
    area = make.area(name="Riverside")
    forum = make.actor("forum", area=area, name="Riverside Forum", forum_type="homelessness_forum")
    make.user("coord@example.org", manages=[forum], name="Cora")
    make.user("admin@example.org", admin=True, name="Ada")
    harbour = make.actor(area=area, name="Harbour Day Centre", stages=[3])
    make.user("m1@example.org", manages=[harbour], name="Mo")
    make.user("m2@example.org", manages=[harbour], name="Meg")
    services = [make.actor(area=area, name=f"Outreach Team {n}") for n in (1, 2, 3)]
    proposers = [make.user(f"p{n}@example.org", manages=[s], name=f"P{n}") for n, s in enumerate(services, 1)]
    make.user("p1b@example.org", manages=[services[0]], name="P1b")
    waiting = [make.link(s, "member_of", forum, status="proposed", proposed_by_id=p.id)
               for s, p in zip(services[:2], proposers[:2])]
    for n in (1, 2, 3):
        make.user(f"r{n}@example.org", name=f"R{n}")
    return {"area": area, "forum": forum, "harbour": harbour, "services": services, "waiting": waiting}


def test_people_registering_linking_and_confirming_at_once(gunicorn, world):
    people = People(gunicorn)
    area, harbour, services = world["area"], world["harbour"], world["services"]
    waiting = [link.id for link in world["waiting"]]
    for email in ("coord@example.org", "admin@example.org", "m1@example.org", "m2@example.org",
                  "p1@example.org", "p1b@example.org", "p2@example.org", "p3@example.org",
                  "r1@example.org", "r2@example.org", "r3@example.org"):
        people[email]  # everyone signs in first, once
    names = {"r1@example.org": ("Aspen House", "LE1 1AA"), "r2@example.org": ("Birch Lodge", "LE2 2BB"),
             "r3@example.org": ("Cedar Court", "LE3 3DD")}
    proposals = {"p1@example.org": services[0], "p1b@example.org": services[0], "p2@example.org": services[1],
                 "p3@example.org": services[2]}

    area_id, harbour_id = area.id, harbour.id  # plain values for the threads (no database in them)
    source_ids = {email: source.id for email, source in proposals.items()}
    # Harbour's two managers open its edit form now, each to change a different answer ...
    edit_path = f"/actors/{harbour_id}/edit"
    edits = {"m1@example.org": {"phone": "0116 496 0101"}, "m2@example.org": {"summary": "Open every day from 8"}}
    bodies = {email: {**form_values(people[email].get(edit_path).text), **service_answers(harbour, **change)}
              for email, change in edits.items()}
    # At once: three people register (each pressing Register twice), four propose links to Harbour (two of
    # them for the same record), and the coordinator and the administrator confirm links waiting for the forum.
    jobs = {email: (lambda e=email, n=name, pc=pc: _register(people[e], area_id, n, pc))
            for email, (name, pc) in names.items()}
    jobs.update({email: (lambda e=email, s=source_id: _propose(people[e], s, harbour_id, f"From {e}"))
                 for email, source_id in source_ids.items()})
    jobs["coord@example.org"] = lambda: sum((_press_twice(people["coord@example.org"], f"/links/{i}/confirm",
                                                          "/account/records") for i in waiting), [])
    jobs["admin@example.org"] = lambda: _press_twice(people["admin@example.org"], f"/links/{waiting[1]}/confirm",
                                                     "/account/records")
    # ... and press Save at the same moment as all of that.
    jobs.update({email: (lambda e=email: _save(people[e], edit_path, bodies[e])) for email in edits})
    told = dict(zip(jobs, at_once(list(jobs.values()))))

    db.session.expire_all()
    registered = {}
    for email, (name, _postcode) in names.items():
        assert all(f"Thank you. “{name}” is waiting for a moderator" in page for page in told[email]), email
        records = db.session.scalars(select(Actor).where(Actor.name == name)).all()
        assert len(records) == 1, name
        registered[name] = records[0].id
        assert len(_log("actor", records[0].id, "created")) == 1
    _check_proposals(told, proposals, harbour)
    _check_confirmations(told, waiting, {"coord@example.org", "admin@example.org"})
    _check_edits(told, edits, harbour_id)

    # At once: Harbour's two managers confirm every link proposed to it (each pressing twice), and the
    # coordinator and the administrator approve every new record (each pressing twice).
    incoming = list(db.session.scalars(select(Collaboration.id).where(Collaboration.target_id == harbour.id)))
    assert len(incoming) == 3
    jobs = {email: (lambda e=email: sum((_press_twice(people[e], f"/links/{i}/confirm", "/account/records")
                                         for i in incoming), []))
            for email in ("m1@example.org", "m2@example.org")}
    jobs.update({email: (lambda e=email: sum((_press_twice(people[e], f"/moderation/records/{i}/approve",
                                                           "/moderation") for i in registered.values()), []))
                 for email in ("coord@example.org", "admin@example.org")})
    told = dict(zip(jobs, at_once(list(jobs.values()))))

    db.session.expire_all()
    _check_confirmations(told, incoming, {"m1@example.org", "m2@example.org"})
    for name, actor_id in registered.items():
        assert db.session.get(Actor, actor_id).status == "active"
        approvals = _log("actor", actor_id, "approved")
        assert len(approvals) == 1, name
        shown = [e for e in ("coord@example.org", "admin@example.org")
                 if any(f"“{name}” is approved and now in the directory" in p for p in told[e])]
        assert shown == [approvals[0].user.email], name
        assert _count(select(Notification).where(Notification.message.like(f"%“{name}” has been approved%"))) == 1
    assert people.server_errors() == []


def _check_edits(told: dict, edits: dict, harbour_id: int) -> None:
    """Both forms were opened at the same version: one save is kept and that person was told "saved"; the
    other person was told the record changed, with their answer still in the form, and it is not saved."""
    harbour = db.session.get(Actor, harbour_id)
    saved = [email for email in edits if told[email][0] == 302]
    assert len(saved) == 1, {email: told[email][0] for email in edits}
    assert len(_log("actor", harbour_id, "edited")) == 1
    for email, change in edits.items():
        (field, value), = change.items()
        status, page = told[email]
        if email in saved:
            assert "Your changes have been saved." in page and getattr(harbour, field) == value
        else:
            assert status == 409 and "changed this record after you opened this page" in page
            assert "Your changes have not been saved" in page and value in page
            assert getattr(harbour, field) != value


def _check_proposals(told: dict, proposals: dict, harbour: Actor) -> None:
    """One live link per pair, proposed (and logged) once, by the person who was told it was proposed."""
    for source in set(proposals.values()):
        links = db.session.scalars(select(Collaboration).where(
            Collaboration.source_id == source.id, Collaboration.target_id == harbour.id)).unique().all()
        assert len(links) == 1, source.name
        assert len(_log("collaboration", links[0].id, "proposed")) == 1
        for email, proposed_from in proposals.items():
            if proposed_from is not source:
                continue
            if any("Link proposed." in page for page in told[email]):
                assert links[0].proposed_by.email == email
                assert all("Link proposed." in page for page in told[email])
            else:  # the other manager of the same record was first: told so beside the field
                assert all("already have a proposed or confirmed “Refers to” link" in p for p in told[email])


def _check_confirmations(told: dict, link_ids: list[int], confirmers: set[str]) -> None:
    """Each link confirmed and logged once, by the one person told it was confirmed; the others told it was
    already confirmed; the proposer told once."""
    for link_id in link_ids:
        link = db.session.get(Collaboration, link_id)
        assert link.status == "confirmed"
        assert len(_log("collaboration", link_id, "confirmed")) == 1
        assert _count(select(Notification).where(
            Notification.user_id == link.proposed_by_id, Notification.message.like("Your proposed link was confirmed%"),
            Notification.message.like(f"%{link.source.name}%"), Notification.message.like(f"%{link.target.name}%"))) == 1
    confirmed_by = {}
    for email in confirmers:
        shown = sum("Link confirmed." in page for page in told[email])
        confirmed_by[email] = shown
    assert sum(confirmed_by.values()) == len(link_ids)
    for email, shown in confirmed_by.items():
        assert shown == _count(select(Collaboration).where(
            Collaboration.id.in_(link_ids), Collaboration.confirmed_by.has(email=email)))
