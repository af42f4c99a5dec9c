"""Every mutating route, tried by six people through real POSTs carrying the real CSRF token.

The people (ROLES): an anonymous visitor; a member who manages nothing; the manager of the record the
route acts on (for routes that belong to one person, the person it belongs to); a coordinator of the
record's area (manager of an active forum there); a coordinator of another area; an admin.

ROWS holds one row per rule that accepts POST (two for routes whose answer depends on the record).
`test_every_post_rule_has_a_row` walks the URL map, so a new mutating route fails the suite until it has
a row. Each row says what every role gets and how to read the state the route changes; the matrix test
reads it before and after the POST: a refusal must leave it as it was, a success must change it.
Admin pages that only read (ADMIN_READS) are tried by the same six people with a GET.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from directory.auth.tokens import make_email_change_token, make_reset_token, make_sign_up_token
from directory.extensions import db
from directory.mail import sent_mail
from directory.manage.managers import token_hash
from directory.models import (
    Actor, Area, BarrierReport, ChangeLog, ClaimRequest, Collaboration, Management, ManagerInvitation, Notification,
    User,
)
from directory.models._common import utcnow
from tests.helpers import csrf_token, fast_password_hash, form_values, login, service_answers
from tests.web.test_register import about, location, service_details

PASSWORD = "correct horse battery"
# Hashed once, and cheaply (as the app does in tests): each sign-in checks it.
HASH = fast_password_hash(PASSWORD)

ROLES = ("anonymous", "member", "manager", "coordinator", "far_coordinator", "admin")
EMAIL = {role: role.replace("_", "-") + "@example.org" for role in ROLES[1:]}
LONG_AGO = date(2020, 1, 1)
INVITATION_TOKEN = "matrix-invitation-token-0123456789abcdef"

# What a role gets. An int: exactly that status, and nothing changed.
SIGN_IN = "sign-in"  # 302 to /account/sign-in, nothing changed
OK = "ok"            # a 2xx or 3xx (not to sign-in), and the change happened
SAME = "same"        # a 2xx or 3xx with nothing to do for this person (e.g. already signed in); nothing changed


def record(refused: int = 403, **override) -> dict:
    """A record's route: its managers, coordinators of its area and admins; others refused."""
    expect = {"anonymous": SIGN_IN, "member": refused, "manager": OK, "coordinator": OK,
              "far_coordinator": refused, "admin": OK}
    return expect | override


def admins_only() -> dict:
    return {role: SIGN_IN if role == "anonymous" else OK if role == "admin" else 403 for role in ROLES}


def signed_in(**override) -> dict:
    """Per-user by nature: anyone signed in acts for themselves."""
    return {role: SIGN_IN if role == "anonymous" else OK for role in ROLES} | override


def owner_only(refused: int) -> dict:
    """Per-user by nature: the object belongs to the person in the "manager" column; others refused."""
    return {role: SIGN_IN if role == "anonymous" else OK if role == "manager" else refused for role in ROLES}


def public(signed_in_gets: str = SAME) -> dict:
    """Open to anonymous visitors (signing in, signing up, password reset)."""
    return {role: OK if role == "anonymous" else signed_in_gets for role in ROLES}


# --- the world ------------------------------------------------------------------------------------------

@dataclass
class World:
    """Ids of everything the rows act on (rows re-read the rows from the database)."""

    area: int
    far_area: int
    service: int        # active service in the area, managed by "manager" (and "helper")
    neighbour: int      # active service in the area, open to research, managed by nobody
    pending: int        # pending service in the area, managed by "manager"
    researcher: int     # active researcher, managed by "manager"
    forum: int          # active forum in the area, managed by "coordinator"
    report: int         # barrier report of the service
    archived_report: int
    proposed: int       # neighbour -> service, waiting for the service's side
    confirmed: int      # service -> neighbour
    claim: int          # "claimant" asks to manage the service
    invitation: int     # for "manager", to help manage the neighbour
    notice: int         # the manager's unread notice
    reset_token: str    # the member's password-reset link
    sign_up_token: str  # the link mailed to finish creating newcomer@example.org's account
    email_token: str    # the link mailed to confirm the member's new address, moved-member@example.org
    users: dict[str, int]


def _user(email: str, manages=(), admin: bool = False) -> User:
    user = User(email=email, password_hash=HASH, is_admin=admin)
    db.session.add(user)
    db.session.flush()
    for actor in manages:
        db.session.add(Management(user_id=user.id, actor_id=actor.id))
    return user


def _world(make) -> World:
    area, far_area = make.area(name="Permission Area"), make.area(name="Far Area")
    service = make.actor("service", area=area, name="Permission Service", stages=[4], verified_at=LONG_AGO)
    neighbour = make.actor("service", area=area, name="Neighbour Night Shelter", stages=[4], open_to_research=True)
    pending = make.actor("service", area=area, name="Pending Place", stages=[2], status="pending")
    researcher = make.actor("researcher", area=area, name="Dr Matrix")
    forum = make.actor("forum", area=area, name="Permission Forum", forum_type="homelessness_forum")
    far_forum = make.actor("forum", area=far_area, forum_type="homelessness_forum")
    users = {
        "member": _user(EMAIL["member"]),
        "manager": _user(EMAIL["manager"], manages=[service, pending, researcher]),
        "coordinator": _user(EMAIL["coordinator"], manages=[forum]),
        "far_coordinator": _user(EMAIL["far_coordinator"], manages=[far_forum]),
        "admin": _user(EMAIL["admin"], admin=True),
        "helper": _user("helper@example.org", manages=[service]),
        "claimant": _user("claimant@example.org"),
        "subject": _user("subject@example.org"),
    }
    for user in users.values():
        db.session.add(Notification(user_id=user.id, message=f"Hello {user.email}"))
    db.session.flush()
    notice = db.session.scalar(select(Notification.id).where(Notification.user_id == users["manager"].id))
    claim = ClaimRequest(actor_id=service.id, user_id=users["claimant"].id, message="This is us")
    invitation = ManagerInvitation(actor_id=neighbour.id, email=EMAIL["manager"],
                                   token_hash=token_hash(INVITATION_TOKEN),
                                   expires_at=utcnow() + timedelta(days=7))
    db.session.add_all([claim, invitation])
    db.session.commit()
    report = make.barrier(service, description="Old")
    archived_report = make.barrier(service, "risk_exclusion", archived=True)
    proposed = make.link(neighbour, "trains", service, status="proposed")
    confirmed = make.link(service, "refers_to", neighbour)
    confirmed.last_confirmed = LONG_AGO
    db.session.commit()
    return World(area=area.id, far_area=far_area.id, service=service.id, neighbour=neighbour.id,
                 pending=pending.id, researcher=researcher.id, forum=forum.id, report=report.id,
                 archived_report=archived_report.id, proposed=proposed.id, confirmed=confirmed.id, claim=claim.id,
                 invitation=invitation.id, notice=notice, reset_token=make_reset_token(users["member"]),
                 sign_up_token=make_sign_up_token("newcomer@example.org", "Newcomer", HASH, ""),
                 email_token=make_email_change_token(users["member"], "moved-member@example.org"),
                 users={k: u.id for k, u in users.items()})


# --- reading state --------------------------------------------------------------------------------------

def _get(model, key):
    return db.session.get(model, key)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _session(client) -> dict:
    with client.session_transaction() as session:
        return dict(session)


def _draft(client) -> dict | None:
    return _session(client).get("register_draft_service")


def _me(w: World, role: str) -> User | None:
    return _get(User, w.users[role]) if role in w.users else None


def _unread(w: World) -> dict[str, int]:
    return {role: _count(Notification, Notification.user_id == uid, Notification.read_at.is_(None))
            for role, uid in w.users.items()}


def _only_mine_read(before: dict, after: dict, role: str) -> bool:
    return before[role] > 0 and after[role] == 0 and all(after[r] == before[r] for r in before if r != role)


def _walk_to_check(client, w: World) -> None:
    """Answer every question page of "Register a service" (a new name, no likely duplicate)."""
    area = _get(Area, w.area)
    for step, answers in (("about", about(area, name="Brand New Day Centre")), ("details", service_details()),
                          ("location", location(postcode=""))):
        token = csrf_token(client, f"/register/service/{step}")
        r = client.post(f"/register/service/{step}", data={"csrf_token": token, **answers})
        assert r.status_code == 302, r.text[:2000]
    assert _draft(client)["done"] == ["about", "details", "location"]


def _answer_about(name: str):
    def walk(client, w: World) -> None:
        token = csrf_token(client, "/register/service/about")
        client.post("/register/service/about", data={"csrf_token": token, **about(_get(Area, w.area), name=name)})
        assert _draft(client) is not None
    return walk


def _set(model, key: Callable[[World], Any], field: str, value):
    """A set-up step: one field of one row."""
    def prepare(w: World) -> None:
        setattr(_get(model, key(w)), field, value)
    return prepare


# --- the table ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One mutating route: where to POST, what to send, what each role gets, what it changes."""

    endpoint: str
    path: Callable[[World], str]
    expect: dict[str, Any]
    state: Callable[..., Any]  # (world, client, role) -> a value the route changes
    data: Callable[[World], dict] = lambda w: {}
    prepare: Callable[[World], None] | None = None  # database set-up before signing in
    walk: Callable[[Any, World], None] | None = None  # form steps a signed-in role takes first
    done: Callable[[Any, Any, str], bool] | None = None  # the change that counts (default: any change)
    note: str = ""
    label: str = ""

    @property
    def id(self) -> str:
        return self.endpoint + (f"[{self.label}]" if self.label else "")


BARRIER = {"category": "funding", "stage": "", "description": "Short-term grants", "since": "",
           "visibility": "public"}
REASON = {"reason": "Not a homelessness service"}
NEW_PASSWORD = {"password": "a brand new passphrase", "confirm": "a brand new passphrase"}


def _forum_form(w: World, area_id: int) -> dict:
    forum = _get(Actor, w.forum)
    return {"name": forum.name, "area_id": str(area_id), "forum_type": forum.forum_type,
            "latitude": str(forum.latitude), "longitude": str(forum.longitude)}


ROWS = [
    # Records, by their managers, the coordinators of their area and admins.
    Row("manage.confirm_accurate", lambda w: f"/actors/{w.service}/still-accurate", record(),
        lambda w, c, r: _get(Actor, w.service).verified_at),
    Row("manage.archive", lambda w: f"/actors/{w.service}/archive", record(),
        lambda w, c, r: _get(Actor, w.service).status),
    Row("manage.restore", lambda w: f"/actors/{w.service}/restore", record(404),
        lambda w, c, r: _get(Actor, w.service).status,
        prepare=_set(Actor, lambda w: w.service, "status", "archived"),
        note="an archived record is hidden: a 404 to those who may not see it"),
    Row("manage.restore", lambda w: f"/actors/{w.service}/restore", record(404, manager=403),
        lambda w, c, r: (_get(Actor, w.service).status, _count(ChangeLog)),
        prepare=lambda w: _set(Actor, lambda w: w.service, "status", "archived")(w) or _set(
            Actor, lambda w: w.service, "archived_as", "moderator")(w),
        label="archived by a moderator",
        note="only a coordinator of its area or an admin may undo a moderator's archive; its manager gets a "
             "403 saying why"),
    Row("manage.managers", lambda w: f"/actors/{w.service}/managers", record(),
        lambda w, c, r: _count(ManagerInvitation, ManagerInvitation.actor_id == w.service),
        data=lambda w: {"email": "invitee@example.org"}),
    Row("manage.remove_manager", lambda w: f"/actors/{w.service}/managers/{w.users['helper']}/remove", record(),
        lambda w, c, r: _get(Management, (w.users["helper"], w.service)) is not None),
    Row("manage.propose_link", lambda w: f"/actors/{w.service}/links/new", record(),
        lambda w, c, r: _count(Collaboration),
        data=lambda w: {"kind": "member_of", "direction": "out", "other": str(w.forum), "q": ""}),
    Row("manage.add_barrier", lambda w: f"/actors/{w.service}/barriers/new", record(),
        lambda w, c, r: _count(BarrierReport), data=lambda w: BARRIER),
    Row("manage.edit_barrier", lambda w: f"/actors/{w.service}/barriers/{w.report}/edit", record(),
        lambda w, c, r: _get(BarrierReport, w.report).description, data=lambda w: BARRIER),
    Row("manage.archive_barrier", lambda w: f"/actors/{w.service}/barriers/{w.report}/archive", record(),
        lambda w, c, r: _get(BarrierReport, w.report).archived),
    Row("manage.restore_barrier", lambda w: f"/actors/{w.service}/barriers/{w.archived_report}/restore",
        record(), lambda w, c, r: _get(BarrierReport, w.archived_report).archived),
    Row("records.edit", lambda w: f"/actors/{w.service}/edit", record(),
        lambda w, c, r: _get(Actor, w.service).name,
        data=lambda w: service_answers(_get(Actor, w.service), name="Permission Service (renamed)")),
    Row("records.edit", lambda w: f"/actors/{w.forum}/edit",
        record(coordinator=400, manager=403),
        lambda w, c, r: _get(Actor, w.forum).area_id, data=lambda w: _forum_form(w, w.far_area),
        label="forum moved to another area",
        note="the forum's own manager may not move it into an area they do not coordinate: that would make "
             "them a coordinator there (400, a message beside the field); admins may"),
    # Links: a party to the link (a manager or moderator of either end); others get a 404.
    Row("manage.confirm_link", lambda w: f"/links/{w.proposed}/confirm", record(404),
        lambda w, c, r: _get(Collaboration, w.proposed).status),
    Row("manage.decline_link", lambda w: f"/links/{w.proposed}/decline", record(404),
        lambda w, c, r: _get(Collaboration, w.proposed).status),
    Row("manage.end_link", lambda w: f"/links/{w.confirmed}/end", record(404),
        lambda w, c, r: _get(Collaboration, w.confirmed).status),
    Row("manage.reconfirm_link", lambda w: f"/links/{w.confirmed}/reconfirm", record(404),
        lambda w, c, r: _get(Collaboration, w.confirmed).last_confirmed),
    # Moderation: coordinators of the record's area and admins. A record's own manager may see it but not
    # decide on it (403); those who may not see a pending record or the request get a 404.
    Row("moderation.approve_record", lambda w: f"/moderation/records/{w.pending}/approve",
        record(404, manager=403), lambda w, c, r: _get(Actor, w.pending).status),
    Row("moderation.reject_record", lambda w: f"/moderation/records/{w.pending}/reject",
        record(404, manager=403), lambda w, c, r: _get(Actor, w.pending).status, data=lambda w: REASON),
    Row("moderation.approve_claim", lambda w: f"/moderation/claims/{w.claim}/approve", record(404, manager=404),
        lambda w, c, r: _get(ClaimRequest, w.claim).status),
    Row("moderation.reject_claim", lambda w: f"/moderation/claims/{w.claim}/reject", record(404, manager=404),
        lambda w, c, r: _get(ClaimRequest, w.claim).status, data=lambda w: REASON),
    # Administration: admins only; anyone else signed in gets a 403.
    Row("admin.make_admin", lambda w: f"/admin/users/{w.users['subject']}/make-admin", admins_only(),
        lambda w, c, r: _get(User, w.users["subject"]).is_admin),
    Row("admin.remove_admin", lambda w: f"/admin/users/{w.users['subject']}/remove-admin", admins_only(),
        lambda w, c, r: _get(User, w.users["subject"]).is_admin,
        prepare=_set(User, lambda w: w.users["subject"], "is_admin", True)),
    Row("admin.deactivate", lambda w: f"/admin/users/{w.users['subject']}/deactivate", admins_only(),
        lambda w, c, r: _get(User, w.users["subject"]).active),
    Row("admin.reactivate", lambda w: f"/admin/users/{w.users['subject']}/reactivate", admins_only(),
        lambda w, c, r: _get(User, w.users["subject"]).active,
        prepare=_set(User, lambda w: w.users["subject"], "active", False)),
    Row("admin.add_managed_record", lambda w: f"/admin/users/{w.users['subject']}/records", admins_only(),
        lambda w, c, r: _get(Management, (w.users["subject"], w.neighbour)) is not None,
        data=lambda w: {"actor_id": str(w.neighbour)}),
    Row("admin.remove_managed_record", lambda w: f"/admin/users/{w.users['helper']}/records/{w.service}/remove",
        admins_only(), lambda w, c, r: _get(Management, (w.users["helper"], w.service)) is not None,
        note="the helper is not the service's last manager, so an admin may remove them"),
    Row("admin.new_area", lambda w: "/admin/areas/new", admins_only(), lambda w, c, r: _count(Area),
        data=lambda w: {"name": "Brand New Area", "slug": "", "centre_lat": "52.1", "centre_lon": "-1.2",
                        "zoom": "11", "boundary": ""}),
    Row("admin.edit_area", lambda w: f"/admin/areas/{w.area}/edit", admins_only(),
        lambda w, c, r: _get(Area, w.area).name,
        data=lambda w: {"name": "Renamed Area", "slug": _get(Area, w.area).slug, "centre_lat": "53.0",
                        "centre_lon": "-1.5", "zoom": "12", "boundary": ""}),
    # Per-user by nature.
    Row("manage.accept_invitation", lambda w: f"/invitations/{INVITATION_TOKEN}/accept", owner_only(403),
        lambda w, c, r: _get(ManagerInvitation, w.invitation).accepted_at is not None,
        note="only the account the invitation was sent to (the manager's) may accept it"),
    Row("manage.read_notice", lambda w: f"/account/notices/{w.notice}/read", owner_only(404),
        lambda w, c, r: _get(Notification, w.notice).read_at is not None,
        note="the notice is the manager's; anyone else's is a 404"),
    Row("manage.read_all_notices", lambda w: "/account/notices/read-all", signed_in(),
        lambda w, c, r: _unread(w), done=_only_mine_read,
        note="marks the signed-in person's own notices only"),
    Row("records.claim", lambda w: f"/actors/{w.neighbour}/claim", signed_in(),
        lambda w, c, r: _count(ClaimRequest, ClaimRequest.actor_id == w.neighbour),
        note="anyone signed in may ask to manage a record they can see; a moderator decides"),
    Row("records.claim", lambda w: f"/actors/{w.pending}/claim", record(404, manager=SAME),
        lambda w, c, r: _count(ClaimRequest, ClaimRequest.actor_id == w.pending), label="pending record",
        note="a pending record is hidden from those who may not see it (404); its manager already manages it"),
    Row("records.step", lambda w: "/register/service/about", signed_in(), lambda w, c, r: _draft(c),
        data=lambda w: about(_get(Area, w.area), name="Brand New Day Centre"),
        note="a registration in progress is the signed-in person's own (kept in their session)"),
    Row("records.duplicates", lambda w: "/register/service/possible-duplicates", signed_in(),
        lambda w, c, r: (_draft(c) or {}).get("dismissed"), walk=_answer_about("Permission Service"),
        note="the person's own registration: dismiss the likely duplicates and carry on"),
    Row("records.check", lambda w: "/register/service/check", signed_in(),
        lambda w, c, r: _count(Actor, Actor.name == "Brand New Day Centre"), walk=_walk_to_check,
        note="creates a pending record managed by the person who registers it"),
    Row("records.start_again", lambda w: "/register/service/start-again", signed_in(),
        lambda w, c, r: _draft(c), walk=_answer_about("Brand New Day Centre"),
        note="forgets the person's own answers"),
    Row("partners.express_interest", lambda w: f"/research/partners/{w.neighbour}/interest", owner_only(403),
        lambda w, c, r: _count(Collaboration, Collaboration.kind == "hosts_research"),
        data=lambda w: {"researcher": str(w.researcher), "engagement": "researcher_in_residence",
                        "message": "We would like to study reflective practice with your team."},
        note="written as a researcher record the person manages (the manager's Dr Matrix); "
             "anyone without one gets a 403"),
    Row("auth.logout", lambda w: "/account/sign-out", signed_in(),
        lambda w, c, r: _session(c).get("_user_id")),
    Row("auth.change_password", lambda w: "/account/password", signed_in(),
        lambda w, c, r: _me(w, r) and _me(w, r).password_hash,
        data=lambda w: {"current": PASSWORD, **NEW_PASSWORD}, note="the signed-in person's own password"),
    Row("auth.change_email", lambda w: "/account/email", signed_in(),
        lambda w, c, r: len(sent_mail("brand-new-address@example.org")),
        data=lambda w: {"email": "brand-new-address@example.org", "current": PASSWORD},
        note="the signed-in person's own email address: a link goes to the new address (auth.confirm_email)"),
    # Open to anonymous visitors.
    Row("auth.login", lambda w: "/account/sign-in", public(), lambda w, c, r: _session(c).get("_user_id"),
        data=lambda w: {"email": EMAIL["member"], "password": PASSWORD},
        note="signed-in people are sent home, still signed in as themselves"),
    Row("auth.register", lambda w: "/account/sign-up", public(),
        lambda w, c, r: len(sent_mail("newcomer@example.org")),
        data=lambda w: {"name": "Newcomer", "email": "newcomer@example.org", "password": "a long passphrase",
                        "confirm": "a long passphrase"},
        note="mails a link to finish creating the account (auth.finish_sign_up); signed-in people are sent "
             "home and nothing is mailed"),
    Row("auth.finish_sign_up", lambda w: f"/account/sign-up/finish/{w.sign_up_token}", public(signed_in_gets=OK),
        lambda w, c, r: _count(User, User.email == "newcomer@example.org"),
        note="the emailed link is the credential: whoever holds it creates that account and is signed in "
             "as it"),
    Row("auth.confirm_email", lambda w: f"/account/email/confirm/{w.email_token}", public(signed_in_gets=OK),
        lambda w, c, r: _get(User, w.users["member"]).email,
        note="the link mailed to the new address is the credential: whoever holds it moves the member's "
             "account to that address, signed in or not"),
    Row("auth.forgot", lambda w: "/account/forgot-password", public(signed_in_gets=OK),
        lambda w, c, r: len(sent_mail(EMAIL["member"])), data=lambda w: {"email": EMAIL["member"]},
        note="anyone may ask; the link goes to the account's own email address"),
    Row("auth.reset", lambda w: f"/account/reset-password/{w.reset_token}", public(signed_in_gets=OK),
        lambda w, c, r: _get(User, w.users["member"]).password_hash, data=lambda w: NEW_PASSWORD,
        note="the emailed link is the credential: whoever holds the member's link resets the member's "
             "password (and is signed out)"),
]


# --- the tests ------------------------------------------------------------------------------------------

def test_every_post_rule_has_a_row(app):
    """A new mutating route cannot be added without saying who may use it."""
    posting = {rule.endpoint for rule in app.url_map.iter_rules()
               if "POST" in rule.methods and rule.endpoint != "static"}
    covered = {row.endpoint for row in ROWS}
    assert not posting - covered, f"POST routes without a row in ROWS: {sorted(posting - covered)}"
    assert not covered - posting, f"rows for routes that no longer exist: {sorted(covered - posting)}"
    assert all(set(row.expect) == set(ROLES) for row in ROWS)


def _read(row: Row, w: World, client, role: str):
    db.session.expire_all()
    return row.state(w, client, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_mutating_route_permissions(app, client, make, row, role):
    w = _world(make)
    path = row.path(w)
    assert app.url_map.bind("localhost").match(path, method="POST")[0] == row.endpoint
    if row.prepare:
        row.prepare(w)
        db.session.commit()
    if role != "anonymous":
        login(client, EMAIL[role])
        if row.walk:
            row.walk(client, w)
    token = csrf_token(client, "/account/sign-in" if role == "anonymous" else "/")
    # An edit form carries the version of the record it was opened at (none when the page is refused).
    opened = form_values(client.get(path).text) if path.endswith("/edit") else {}
    before = _read(row, w, client, role)
    r = client.post(path, data={"csrf_token": token, **opened, **row.data(w)})
    after = _read(row, w, client, role)
    expected = row.expect[role]
    # Refused for want of signing in: sent to sign in and back (?next=). Success may also land on the sign-in
    # page (after a password reset), without a next.
    location = urlsplit(r.headers.get("Location", ""))
    to_sign_in = r.status_code == 302 and location.path == "/account/sign-in" and "next=" in location.query
    shown = f"{role} on {row.id}: {r.status_code} {r.headers.get('Location', '')} {r.text[:1500]}"
    if expected == SIGN_IN:
        assert to_sign_in, shown
        assert after == before
    elif expected in (OK, SAME):
        assert r.status_code < 400 and not to_sign_in, shown
        if expected == SAME:
            assert after == before, shown
        elif row.done:
            assert row.done(before, after, role), (before, after, shown)
        else:
            assert after != before, (before, shown)
    else:
        assert r.status_code == expected, shown
        assert after == before, shown


# Admin pages that only read (GET): the same six people; an admin reads them, anyone else is refused.
ADMIN_READS = ("/admin/expected-routes",)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ADMIN_READS)
def test_admin_pages_that_only_read_are_for_admins(app, client, make, path, role):
    _world(make)
    if role != "anonymous":
        login(client, EMAIL[role])
    r = client.get(path)
    expected = admins_only()[role]
    if expected == SIGN_IN:
        assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/account/sign-in"
    elif expected == OK:
        assert r.status_code == 200
    else:
        assert r.status_code == expected


def test_moving_a_forum_needs_a_coordinator_of_the_new_area(client, make):
    """Managing an active forum makes you a coordinator of its area: moving it into another area is
    refused unless you coordinate that area already (or are an admin); the move is logged."""
    w = _world(make)
    login(client, EMAIL["coordinator"])
    form = _forum_form(w, w.far_area) | {"name": "Moved Forum"}
    opened = form_values(client.get(f"/actors/{w.forum}/edit").text)
    r = client.post(f"/actors/{w.forum}/edit", data={**opened, **form})
    assert r.status_code == 400 and "Only an administrator or a coordinator of that area" in r.text
    assert 'value="Moved Forum"' in r.text
    db.session.expire_all()
    assert _get(Actor, w.forum).area_id == w.area and _get(Actor, w.forum).name == "Permission Forum"

    extra = make.actor("forum", area=_get(Area, w.far_area), forum_type="homelessness_forum")
    db.session.add(Management(user_id=w.users["coordinator"], actor_id=extra.id))
    db.session.commit()
    r = client.post(f"/actors/{w.forum}/edit", data={**opened, **form})
    assert r.status_code == 302, r.text[:2000]
    db.session.expire_all()
    assert _get(Actor, w.forum).area_id == w.far_area
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.object_id == w.forum, ChangeLog.action == "edited"))
    assert entry.changes["area_id"] == ["Permission Area", "Far Area"]
