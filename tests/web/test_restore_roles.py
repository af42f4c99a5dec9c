"""Who may restore an archived record depends on who archived it, through the real forms (CSRF on).

A manager's archive: any manager, a coordinator of the record's area or an admin may restore it. A
moderator's (a coordinator of the record's area, or someone who is both its manager and its area's
coordinator) or an admin's archive: only a coordinator of its area or an admin; its managers see why,
where the Restore link would be and on the restore page, and a forged POST is refused with nothing changed
and nothing logged. A coordinator of another area never sees the archived record.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Actor, ChangeLog
from directory.templating import format_date
from tests.helpers import csrf_token, login, post_form
from tests.web.test_permission_matrix import _user  # users with the suite's password, hashed once

PEOPLE = ("owner", "colleague", "coordinator", "far_coordinator", "admin", "both")


@dataclass
class World:
    service: int
    forum: int
    emails: dict[str, str]


def _world(make) -> World:
    area, far = make.area(name="Riverside"), make.area(name="Far Hills")
    service = make.actor("service", area=area, name="Riverside Day Centre")
    forum = make.actor("forum", area=area, name="Riverside Homelessness Forum", forum_type="homelessness_forum")
    far_forum = make.actor("forum", area=far, forum_type="homelessness_forum")
    emails = {who: f"{who.replace('_', '-')}@example.org" for who in PEOPLE}
    _user(emails["owner"], manages=[service])
    _user(emails["colleague"], manages=[service])
    _user(emails["coordinator"], manages=[forum])
    _user(emails["far_coordinator"], manages=[far_forum])
    _user(emails["admin"], admin=True)
    _user(emails["both"], manages=[service, forum])  # a manager of the service who coordinates its area
    db.session.commit()
    return World(service=service.id, forum=forum.id, emails=emails)


def _as(app, w: World, who: str):
    client = app.test_client()
    login(client, w.emails[who])
    return client


def _archive(app, w: World, who: str, actor_id: int | None = None) -> None:
    actor_id = actor_id or w.service
    r = post_form(_as(app, w, who), f"/actors/{actor_id}/archive", {})
    assert r.status_code == 302, r.text
    db.session.expire_all()
    assert db.session.get(Actor, actor_id).status == "archived"


def _state(actor_id: int):
    """What a restore would change: the record's row and the change log."""
    db.session.expire_all()
    row = {c.key: getattr(db.session.get(Actor, actor_id), c.key) for c in Actor.__table__.columns}
    return row, db.session.scalar(select(func.count()).select_from(ChangeLog))


def _restored_by(app, w: World, who: str, actor_id: int | None = None) -> None:
    """The person sees the Restore link and the confirmation page, and restoring works."""
    actor_id = actor_id or w.service
    client = _as(app, w, who)
    assert f'href="/actors/{actor_id}/restore"' in client.get(f"/actors/{actor_id}").text
    page = client.get(f"/actors/{actor_id}/restore")
    assert page.status_code == 200 and "Yes, restore it" in page.text
    assert post_form(client, f"/actors/{actor_id}/restore", {}).status_code == 302
    db.session.expire_all()
    row, _ = _state(actor_id)
    assert row["status"] == "active" and row.get("archived_as", None) is None and row.get("archived_at") is None


def _refused_to(app, w: World, who: str, archiver: str) -> None:
    """The person sees why, on the record page and the restore page; a forged POST is a 403 changing nothing."""
    client = _as(app, w, who)
    before = _state(w.service)
    token = csrf_token(client, f"/actors/{w.service}")
    r = client.post(f"/actors/{w.service}/restore", data={"csrf_token": token})
    assert (r.status_code, _state(w.service)) == (403, before)  # still archived, nothing logged
    why = f"archived by {archiver} on {format_date(db.session.get(Actor, w.service).archived_at)}"
    record_page = client.get(f"/actors/{w.service}").text
    assert f'href="/actors/{w.service}/restore"' not in record_page
    for page in (r.text, record_page, client.get(f"/actors/{w.service}/restore").text):
        assert why in page, page
        assert "Only a coordinator of Riverside or an administrator can restore it" in page
        assert "Riverside Homelessness Forum" in page  # whose coordinators to ask
        assert "Yes, restore it" not in page


def _hidden_from(app, w: World, who: str) -> None:
    client = _as(app, w, who)
    assert client.get(f"/actors/{w.service}").status_code == 404
    before = _state(w.service)
    token = csrf_token(client, "/")
    assert client.post(f"/actors/{w.service}/restore", data={"csrf_token": token}).status_code == 404
    assert _state(w.service) == before


@pytest.mark.parametrize("archiver", ["coordinator", "admin", "both"])
@pytest.mark.parametrize("who", ["owner", "colleague", "coordinator", "far_coordinator", "admin"])
def test_a_moderators_or_admins_archive_is_theirs_to_undo(app, make, archiver, who):
    w = _world(make)
    _archive(app, w, archiver)
    if who in ("coordinator", "admin"):
        _restored_by(app, w, who)
    elif who == "far_coordinator":
        _hidden_from(app, w, who)
    else:
        _refused_to(app, w, who, "an administrator" if archiver == "admin" else "a moderator")
        assert db.session.get(Actor, w.service).archived_as == ("admin" if archiver == "admin" else "moderator")


@pytest.mark.parametrize("who", ["owner", "colleague", "coordinator", "admin", "both"])
def test_a_managers_archive_any_manager_or_moderator_may_undo(app, make, who):
    w = _world(make)
    _archive(app, w, "owner")
    _restored_by(app, w, who)


def test_a_manager_who_also_moderates_may_undo_their_own_moderators_archive(app, make):
    w = _world(make)
    _archive(app, w, "both")
    _restored_by(app, w, "both")


def test_a_coordinator_archiving_their_own_forum_archives_it_as_its_manager(app, make):
    """The forum is what makes them a coordinator; once it is archived they are not, so it is a manager's archive
    that its other managers (here the person who is "both") may undo."""
    w = _world(make)
    _archive(app, w, "coordinator", w.forum)
    _restored_by(app, w, "both", w.forum)


def test_the_archive_page_says_who_can_restore(app, make):
    w = _world(make)
    page = _as(app, w, "coordinator").get(f"/actors/{w.service}/archive").text
    assert "only a coordinator of Riverside or an administrator can restore it" in page
    page = _as(app, w, "owner").get(f"/actors/{w.service}/archive").text
    assert "its managers can still see it and restore it" in page


def test_history_says_in_which_role_it_was_archived(app, make):
    w = _world(make)
    _archive(app, w, "coordinator")
    history = _as(app, w, "owner").get(f"/actors/{w.service}/history").text
    assert "archived as" in history and "moderator" in history
