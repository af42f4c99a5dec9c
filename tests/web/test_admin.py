"""Administration: who may enter, users (search, pages, roles, deactivation) and the roles page."""
import pytest
from sqlalchemy import select

from directory import vocab
from directory.extensions import db
from directory.models import ChangeLog, User
from tests.helpers import csrf_token, login, logout, parse, post_form, text

ADMIN_PAGES = ["/admin", "/admin/users", "/admin/areas", "/admin/areas/new", "/admin/roles", "/admin/expected-routes"]


def _admin(client, make, email="boss@example.org"):
    user = make.user(email, admin=True)
    login(client, email)
    return user


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    r = client.get(path)
    assert r.status_code == 302
    assert r.headers["Location"].startswith("/account/sign-in?next=")


def test_members_and_coordinators_get_403_everywhere(client, make):
    area = make.area()
    forum = make.actor("forum", area=area)
    target = make.user("target@example.org")
    make.user("coord@example.org", manages=[forum])
    login(client, "coord@example.org")
    for path in ADMIN_PAGES + [f"/admin/users/{target.id}", f"/admin/users/{target.id}/deactivate",
                               f"/admin/areas/{area.id}/edit"]:
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/")
    for action in ("make-admin", "remove-admin", "deactivate", "reactivate"):
        r = client.post(f"/admin/users/{target.id}/{action}", data={"csrf_token": token})
        assert r.status_code == 403, action
    r = client.post("/admin/areas/new", data={"csrf_token": token, "name": "Sneaky", "centre_lat": "1",
                                              "centre_lon": "1", "zoom": "10"})
    assert r.status_code == 403
    assert db.session.get(User, target.id).is_admin is False
    assert "Admin</a>" not in client.get("/").text


def test_admin_sees_the_admin_link_and_pages(client, make):
    _admin(client, make)
    assert 'href="/admin">Admin</a>' in client.get("/").text
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path


def test_user_list_search_and_pages(client, make, app):
    _admin(client, make)
    for name in ("alice", "bob", "carol", "dave"):
        make.user(f"{name}@example.org")
    make.user("a_b%@example.org")
    page = client.get("/admin/users?q=CAROL").text
    assert "carol@example.org" in page and "bob@example.org" not in page
    # % and _ are searched for as themselves.
    page = client.get("/admin/users?q=_b%25").text
    assert "a_b%@example.org" in page and "alice@example.org" not in page
    assert "No users match" in client.get("/admin/users?q=nobody-here").text

    app.config["PER_PAGE"] = 2
    first = client.get("/admin/users").text
    assert "a_b%@example.org" in first and "alice@example.org" in first and "bob@example.org" not in first
    assert 'rel="next"' in first
    second = client.get("/admin/users?page=2").text
    assert "bob@example.org" in second and "alice@example.org" not in second


def test_make_and_remove_admin_are_logged(client, make):
    boss = _admin(client, make)
    helper = make.user("helper@example.org")
    r = post_form(client, f"/admin/users/{helper.id}/make-admin", {}, form_page=f"/admin/users/{helper.id}")
    assert r.status_code == 302 and r.headers["Location"] == f"/admin/users/{helper.id}"
    db.session.expire_all()
    assert db.session.get(User, helper.id).is_admin is True
    r = post_form(client, f"/admin/users/{helper.id}/remove-admin", {}, form_page=f"/admin/users/{helper.id}")
    db.session.expire_all()
    assert db.session.get(User, helper.id).is_admin is False
    log = db.session.scalars(select(ChangeLog).where(ChangeLog.object_type == "user",
                                                     ChangeLog.object_id == helper.id).order_by(ChangeLog.id)).all()
    assert [(c.action, c.user_id, c.changes) for c in log] == [
        ("made_admin", boss.id, {"is_admin": [False, True]}),
        ("admin_removed", boss.id, {"is_admin": [True, False]}),
    ]
    assert "<td>Made admin</td>" in client.get(f"/admin/users/{helper.id}").text


def test_admins_cannot_lock_themselves_out(client, make):
    boss = _admin(client, make)
    token = csrf_token(client, "/")
    for action in ("remove-admin", "deactivate"):
        r = client.post(f"/admin/users/{boss.id}/{action}", data={"csrf_token": token})
        assert r.status_code == 302
    assert client.get(f"/admin/users/{boss.id}/deactivate").status_code == 302
    db.session.expire_all()
    me = db.session.get(User, boss.id)
    assert me.is_admin and me.active
    assert "You cannot" in client.get(f"/admin/users/{boss.id}").text


def test_deactivate_needs_confirmation_then_stops_sign_in_and_can_be_undone(client, make, app):
    _admin(client, make)
    member = make.user("leaving@example.org")
    member_client = app.test_client()
    # The member's requests run in their own app context, so the admin's signed-in user (kept on g) is not shared.
    with app.app_context():
        login(member_client, "leaving@example.org")

    page = client.get(f"/admin/users/{member.id}/deactivate")
    assert page.status_code == 200 and "Deactivate leaving@example.org?" in page.text
    db.session.expire_all()
    assert db.session.get(User, member.id).active  # a GET changes nothing

    r = post_form(client, f"/admin/users/{member.id}/deactivate", {})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, member.id).active is False
    assert "Deactivated" in client.get("/admin/users").text
    # Their session ends and they cannot sign in again.
    with app.app_context():
        assert member_client.get("/account").status_code == 302
    with app.app_context():
        r = post_form(member_client, "/account/sign-in", {"email": "leaving@example.org",
                                                          "password": "correct horse battery"})
        assert r.status_code == 400

    post_form(client, f"/admin/users/{member.id}/reactivate", {}, form_page=f"/admin/users/{member.id}")
    with app.app_context():
        assert member_client.get("/account").status_code == 200
    actions = db.session.scalars(select(ChangeLog.action).where(
        ChangeLog.object_type == "user", ChangeLog.object_id == member.id).order_by(ChangeLog.id)).all()
    assert actions == ["deactivated", "reactivated"]


def test_admin_actions_need_a_csrf_token(client, make):
    _admin(client, make)
    member = make.user("m@example.org")
    r = client.post(f"/admin/users/{member.id}/make-admin")
    assert r.status_code == 400 and "Your form has expired" in r.text
    db.session.expire_all()
    assert db.session.get(User, member.id).is_admin is False


def test_unknown_user_is_404_and_actions_are_post_only(client, make):
    _admin(client, make)
    assert client.get("/admin/users/999999").status_code == 404
    member = make.user("p@example.org")
    assert client.get(f"/admin/users/{member.id}/make-admin").status_code == 405


def test_roles_page_lists_coordinators_by_area(client, make):
    north = make.area(name="Northby")
    south = make.area(name="Southby")
    forum_n = make.actor("forum", area=north, name="Northby Forum")
    forum_s = make.actor("forum", area=south, name="Southby <Forum>")
    pending = make.actor("forum", area=north, name="Pending Forum", status="pending")
    service = make.actor("service", area=north, name="Just A Service")
    make.user("n.coord@example.org", manages=[forum_n])
    make.user("s.coord@example.org", manages=[forum_s])
    make.user("not.yet@example.org", manages=[pending])
    make.user("service.manager@example.org", manages=[service])
    _admin(client, make)
    page = client.get("/admin/roles").text
    assert "n.coord@example.org" in page and "s.coord@example.org" in page
    assert page.index("Northby") < page.index("n.coord@example.org") < page.index("Southby")
    assert page.index("Southby") < page.index("s.coord@example.org")
    assert "Southby &lt;Forum&gt;" in page
    assert "not.yet@example.org" not in page and "service.manager@example.org" not in page
    assert "boss@example.org" in page  # administrators listed too
    assert "Coordinator" in page and "moderates that forum" in page


def test_roles_page_empty_state(client, make):
    _admin(client, make)
    assert "No one coordinates an area yet" in client.get("/admin/roles").text
    logout(client)


def test_expected_routes_page_lists_every_route_from_the_vocabulary(client, make):
    _admin(client, make)
    assert 'href="/admin/expected-routes"' in client.get("/admin").text  # linked from the admin home
    page = parse(client.get("/admin/expected-routes").text)
    rows = [[text(td) for td in tr.find_all("td")] for tr in page.select("tbody tr")]
    assert len(rows) == len(vocab.EXPECTED_ROUTES) == 9
    for row, route in zip(rows, vocab.EXPECTED_ROUTES):
        assert row[0] == vocab.PATHWAY_STAGES.label(str(route.from_stage))
        assert row[1].startswith(vocab.PATHWAY_STAGES.label(str(route.to_stage)))
        assert row[2] == {"high": "High", "medium": "Medium"}[route.severity] and row[3] == route.why
    # Stage 3 to 7 is for Housing First only: the service type is named.
    assert rows[-1][1] == "7. Tenancy sustainment and recovery (only services of type Housing First)"
    assert rows[2][:3] == ["3. Assessment and relief", "4. Emergency accommodation", "High"]
    words = text(page)
    assert "directory/vocab.py" in words and "EXPECTED_ROUTES" in words
    assert "There is no handoff from stage 1 to stage 2" in words
    assert "prevention hands people on at assessment" in words
    assert not any(r.from_stage == 1 and r.to_stage == 2 for r in vocab.EXPECTED_ROUTES)
