"""Freshness, managers by invitation, archive and restore, history and the stale page, via the web client."""
import re
from datetime import date, timedelta

from sqlalchemy import func, select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import Actor, ChangeLog, Management, ManagerInvitation, Notification, record_change
from directory.models._common import utcnow
from tests.helpers import csrf_token, login, logout, post_form


def _setup(make, **kw):
    area = make.area()
    service = make.actor("service", area=area, name="Mill Lane Service", **kw)
    owner = make.user("owner@example.org", manages=[service])
    return area, service, owner


def _invite_link(email: str) -> str:
    body = sent_mail(email)[-1].get_content()
    return re.search(r"http://[^/\s]+(/invitations/\S+)", body).group(1)


def test_confirm_still_accurate_in_one_click(client, make):
    _area, service, _owner = _setup(make, verified_at=date.today() - timedelta(days=500))
    login(client, "owner@example.org")
    page = client.get(f"/actors/{service.id}")
    assert "Not confirmed for over 12 months" in page.text
    assert "Confirm this record is still accurate" in page.text
    assert "Mill Lane Service" in client.get("/account/records").text.split("Records to confirm")[1]
    r = post_form(client, f"/actors/{service.id}/still-accurate", {"next": f"/actors/{service.id}"})
    assert r.status_code == 302 and r.headers["Location"] == f"/actors/{service.id}"
    db.session.expire_all()
    assert db.session.get(Actor, service.id).verified_at == date.today()
    assert "Not confirmed for over 12 months" not in client.get(f"/actors/{service.id}").text
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.action == "confirmed_accurate"))
    assert entry.changes["verified_at"][1] == date.today().isoformat()


def test_invitation_accept_is_single_use(client, make):
    _area, service, _owner = _setup(make)
    make.user("new@example.org")
    login(client, "owner@example.org")
    r = post_form(client, f"/actors/{service.id}/managers", {"email": "New@Example.org"})
    assert r.status_code == 302
    invitation = db.session.scalar(select(ManagerInvitation))
    link = _invite_link("new@example.org")
    token = link.rsplit("/", 1)[1]
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64
    assert "new@example.org" in client.get(f"/actors/{service.id}/managers").text
    logout(client)

    page = client.get(link)
    assert page.status_code == 200 and "Sign in" in page.text
    login(client, "new@example.org")
    assert "Accept the invitation" in client.get(link).text
    r = post_form(client, link + "/accept", {}, form_page=link)
    assert r.status_code == 302
    assert db.session.get(Management, (db.session.scalar(select(Management.user_id).where(
        Management.actor_id == service.id, Management.user_id != _owner.id)), service.id))
    # Used once: the link no longer works.
    assert client.get(link).status_code == 404
    # Accepting again (a second press) is told what the first press did and changes nothing; anyone else
    # holding the link gets a 404 (tests/web/test_double_submit_manage.py).
    token_value = csrf_token(client, "/")
    assert client.post(link + "/accept", data={"csrf_token": token_value}).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Management).where(
        Management.actor_id == service.id)) == 2
    assert "Mill Lane Service" in client.get("/account/records").text


def test_expired_invitation_refused(client, make):
    _area, service, _owner = _setup(make)
    make.user("late@example.org")
    login(client, "owner@example.org")
    post_form(client, f"/actors/{service.id}/managers", {"email": "late@example.org"})
    link = _invite_link("late@example.org")
    invitation = db.session.scalar(select(ManagerInvitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    logout(client)
    login(client, "late@example.org")
    assert client.get(link).status_code == 404
    token_value = csrf_token(client, "/")
    assert client.post(link + "/accept", data={"csrf_token": token_value}).status_code == 404
    assert db.session.scalar(select(Management).where(Management.actor_id == service.id,
                                                      Management.user_id != _owner.id)) is None


def test_invitation_needs_the_invited_account(client, make):
    _area, service, _owner = _setup(make)
    make.user("someone-else@example.org")
    login(client, "owner@example.org")
    post_form(client, f"/actors/{service.id}/managers", {"email": "invited@example.org"})
    link = _invite_link("invited@example.org")
    logout(client)
    login(client, "someone-else@example.org")
    assert "Sign out and sign in as invited@example.org" in client.get(link).text
    token_value = csrf_token(client, "/")
    assert client.post(link + "/accept", data={"csrf_token": token_value}).status_code == 403
    assert client.get("/invitations/not-a-real-token").status_code == 404


def test_invite_form_errors(client, make):
    _area, service, _owner = _setup(make)
    login(client, "owner@example.org")
    r = post_form(client, f"/actors/{service.id}/managers", {"email": "nope"})
    assert r.status_code == 400 and "Enter an email address in the right format" in r.text
    r = post_form(client, f"/actors/{service.id}/managers", {"email": "owner@example.org"})
    assert r.status_code == 400 and "already manages this record" in r.text


def test_remove_manager_but_never_the_last(client, make):
    _area, service, owner = _setup(make)
    helper = make.user("helper@example.org", manages=[service])
    login(client, "owner@example.org")
    page = client.get(f"/actors/{service.id}/managers/{helper.id}/remove")
    assert "Remove helper@example.org as a manager" in page.text
    assert post_form(client, f"/actors/{service.id}/managers/{helper.id}/remove", {}).status_code == 302
    assert db.session.get(Management, (helper.id, service.id)) is None
    # The person removed is told, in the app and by email; the one who removed them is not.
    notices = db.session.scalars(select(Notification.message).where(Notification.user_id == helper.id)).all()
    assert notices == ["owner@example.org removed you as a manager of “Mill Lane Service”."]
    [mail] = sent_mail("helper@example.org")
    assert "You no longer manage “Mill Lane Service”" in mail["Subject"]
    assert not db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    r = post_form(client, f"/actors/{service.id}/managers/{owner.id}/remove", {},
                  form_page=f"/actors/{service.id}/managers", follow_redirects=True)
    assert "at least one manager" in r.text
    assert db.session.get(Management, (owner.id, service.id)) is not None


def test_archive_and_restore_with_confirmation_and_history(client, make):
    _area, service, _owner = _setup(make)
    login(client, "owner@example.org")
    page = client.get(f"/actors/{service.id}/archive")
    assert page.status_code == 200 and "Archive “Mill Lane Service”?" in page.text
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "active"  # the GET changed nothing
    assert post_form(client, f"/actors/{service.id}/archive", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "archived"
    assert client.get(f"/actors/{service.id}").status_code == 200  # still there for its managers
    assert "Mill Lane Service" in client.get("/account/records").text
    logout(client)
    assert client.get(f"/actors/{service.id}").status_code == 404
    assert "Mill Lane Service" not in client.get("/directory?q=mill").text

    login(client, "owner@example.org")
    page = client.get(f"/actors/{service.id}/restore")
    assert "show in the directory again" in page.text
    assert post_form(client, f"/actors/{service.id}/restore", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "active"
    history = client.get(f"/actors/{service.id}/history").text
    assert "Archived" in history and "Restored" in history
    assert "active → archived" in history and "archived → active" in history
    assert "owner@example.org" in history


def test_restore_of_never_approved_record_goes_back_to_pending(client, make):
    _area, service, owner = _setup(make, status="pending")
    login(client, "owner@example.org")
    post_form(client, f"/actors/{service.id}/archive", {})
    page = client.get(f"/actors/{service.id}/restore")
    assert "wait for a moderator" in page.text
    post_form(client, f"/actors/{service.id}/restore", {})
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "pending"


def test_restore_after_approval_recorded_in_the_log(client, make):
    _area, service, owner = _setup(make, status="pending")
    record_change(service, "approved", owner, {"status": ("pending", "active")})
    service.status = "rejected"
    db.session.commit()
    login(client, "owner@example.org")
    post_form(client, f"/actors/{service.id}/archive", {})
    post_form(client, f"/actors/{service.id}/restore", {})
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "active"


def test_history_pages_and_shows_old_and_new_values(client, make):
    _area, service, owner = _setup(make)
    for n in range(30):
        record_change(service, "edited", owner, {"name": (f"Old {n}", f"New {n}")})
    db.session.commit()
    login(client, "owner@example.org")
    page = client.get(f"/actors/{service.id}/history")
    assert "Old 29 → New 29" in page.text and 'rel="next"' in page.text
    assert "Old 0 → New 0" in client.get(f"/actors/{service.id}/history?page=2").text


def test_history_only_for_managers_and_moderators(client, make):
    area, service, _owner = _setup(make)
    make.user("member@example.org")
    forum = make.actor("forum", area=area)
    make.user("coord@example.org", manages=[forum])
    assert client.get(f"/actors/{service.id}/history").status_code == 302
    login(client, "member@example.org")
    assert client.get(f"/actors/{service.id}/history").status_code == 403
    logout(client)
    login(client, "coord@example.org")
    assert client.get(f"/actors/{service.id}/history").status_code == 200


def test_stale_page_for_area_coordinators_and_admins_only(client, make):
    area, service, _owner = _setup(make, verified_at=date.today() - timedelta(days=400))
    make.actor("service", area=area, name="Fresh Service")
    forum = make.actor("forum", area=area, name="Area Forum")
    link = make.link(service, "member_of", forum)
    link.last_confirmed = date.today() - timedelta(days=400)
    db.session.commit()
    make.user("coord@example.org", manages=[forum])
    elsewhere = make.actor("forum", area=make.area())
    make.user("far-coord@example.org", manages=[elsewhere])
    make.user("admin@example.org", admin=True)

    path = f"/areas/{area.slug}/stale"
    login(client, "owner@example.org")
    assert client.get(path).status_code == 403
    logout(client)
    login(client, "far-coord@example.org")
    assert client.get(path).status_code == 403
    logout(client)
    assert client.get("/areas/no-such-area/stale").status_code == 302
    for email in ("coord@example.org", "admin@example.org"):
        login(client, email)
        page = client.get(path).text
        assert "Mill Lane Service" in page and "Fresh Service" not in page
        links = client.get(path + "?show=links").text
        assert "Area Forum" in links and "Re-confirm" in links
        logout(client)
    login(client, "coord@example.org")
    assert f"/areas/{area.slug}/stale" in client.get("/account/records").text
    r = post_form(client, f"/links/{link.id}/reconfirm", {"next": path + "?show=links"}, form_page=path)
    assert r.status_code == 302
    assert "Area Forum" not in client.get(path + "?show=links").text


def test_a_manager_of_one_record_cannot_change_another(client, make):
    """Every record route refuses a manager of a different record (403), and changes nothing."""
    _area, service, owner = _setup(make)
    other = make.actor("service", area=make.area())
    make.user("intruder@example.org", manages=[other])
    login(client, "intruder@example.org")
    token = csrf_token(client, "/")
    base = f"/actors/{service.id}"
    gets = ["/links", "/links/new", "/barriers", "/barriers/new", "/managers", f"/managers/{owner.id}/remove",
            "/archive", "/restore", "/history"]
    for suffix in gets:
        assert client.get(base + suffix).status_code == 403, suffix
    posts = {"/still-accurate": {}, "/archive": {}, "/restore": {}, "/managers": {"email": "x@example.org"},
             f"/managers/{owner.id}/remove": {}, "/links/new": {"kind": "member_of", "other": "1"},
             "/barriers/new": {"category": "funding", "description": "x", "visibility": "public"}}
    for suffix, data in posts.items():
        assert client.post(base + suffix, data={"csrf_token": token, **data}).status_code == 403, suffix
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "active"
    assert db.session.scalar(select(ManagerInvitation.id)) is None
    assert db.session.get(Management, (owner.id, service.id)) is not None
    # A record they may not even see is a 404.
    hidden = make.actor("service", area=make.area(), status="pending")
    for suffix in gets:
        assert client.get(f"/actors/{hidden.id}{suffix}").status_code == 404, suffix


def test_forged_post_without_token_is_refused(client, make):
    _area, service, _owner = _setup(make)
    login(client, "owner@example.org")
    r = client.post(f"/actors/{service.id}/archive")
    assert r.status_code == 400 and "Your form has expired" in r.text
    db.session.expire_all()
    assert db.session.get(Actor, service.id).status == "active"
