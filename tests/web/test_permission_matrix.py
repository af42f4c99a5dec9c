"""Every mutating route of the manage pages, tried by an anonymous visitor, a member, a coordinator of
another area, a manager and an admin, through real POSTs with the CSRF token."""
import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from directory.extensions import db
from directory.models import ChangeLog, Management, User
from tests.helpers import csrf_token, login, logout, post_form

# Hashed once: hashing a password per user per test would make this matrix slow.
HASH = generate_password_hash("correct horse battery")

BARRIER = {"category": "funding", "stage": "", "description": "Short-term grants", "since": "",
           "visibility": "public"}


def _user(email, manages=(), admin=False):
    user = User(email=email, password_hash=HASH, is_admin=admin)
    db.session.add(user)
    db.session.flush()
    for actor in manages:
        db.session.add(Management(user_id=user.id, actor_id=actor.id))
    db.session.commit()
    return user


def _world(make):
    area = make.area()
    service = make.actor("service", area=area, name="Permission Service")
    neighbour = make.actor("service", area=area)
    forum = make.actor("forum", area=area)
    far_forum = make.actor("forum", area=make.area())
    _user("manager@example.org", manages=[service])
    helper = _user("helper@example.org", manages=[service])
    _user("member@example.org")
    _user("far-coordinator@example.org", manages=[far_forum])
    _user("admin@example.org", admin=True)
    _user("forum-manager@example.org", manages=[forum])
    report = make.barrier(service, description="Old")
    archived_report = make.barrier(service, "risk_exclusion", archived=True)
    proposed = make.link(forum, "trains", service, status="proposed")  # waits for the service's side
    confirmed = make.link(service, "refers_to", neighbour)
    return dict(s=service.id, helper=helper.id, b=report.id, ab=archived_report.id, p=proposed.id,
                c=confirmed.id, forum=forum.id)


ROUTES = [
    ("/actors/{s}/still-accurate", {}),
    ("/actors/{s}/archive", {}),
    ("/actors/{s}/managers", {"email": "invitee@example.org"}),
    ("/actors/{s}/managers/{helper}/remove", {}),
    ("/actors/{s}/links/new", {"kind": "member_of", "direction": "out", "other": "{forum}", "q": ""}),
    ("/actors/{s}/barriers/new", BARRIER),
    ("/actors/{s}/barriers/{b}/edit", BARRIER),
    ("/actors/{s}/barriers/{b}/archive", {}),
    ("/actors/{s}/barriers/{ab}/restore", {}),
    ("/links/{p}/confirm", {}),
    ("/links/{p}/decline", {}),
    ("/links/{c}/end", {}),
    ("/links/{c}/reconfirm", {}),
]
ROLES = ["anonymous", "member@example.org", "far-coordinator@example.org", "manager@example.org",
         "admin@example.org"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route,data", ROUTES, ids=[r for r, _ in ROUTES])
def test_mutating_route_permissions(client, make, route, data, role):
    ids = _world(make)
    path = route.format(**ids)
    data = {k: v.format(**ids) for k, v in data.items()}
    if role != "anonymous":
        login(client, role)
    token = csrf_token(client, "/account/sign-in" if role == "anonymous" else "/")
    before = db.session.scalar(select(db.func.count()).select_from(ChangeLog))
    r = client.post(path, data={"csrf_token": token, **data})
    after = db.session.scalar(select(db.func.count()).select_from(ChangeLog))
    if role == "anonymous":
        assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
        assert after == before
    elif role in ("member@example.org", "far-coordinator@example.org"):
        assert r.status_code in (403, 404), r.status_code
        assert after == before
    else:
        assert r.status_code == 302, r.text[:2000]
        assert after > before


@pytest.mark.parametrize("role", ["member@example.org", "far-coordinator@example.org"])
def test_restore_refused_to_others(client, make, role):
    ids = _world(make)
    login(client, "manager@example.org")
    post_form(client, f"/actors/{ids['s']}/archive", {})
    logout(client)
    login(client, role)
    token = csrf_token(client, "/")
    assert client.post(f"/actors/{ids['s']}/restore", data={"csrf_token": token}).status_code == 404
