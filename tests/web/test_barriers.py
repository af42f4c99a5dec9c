"""Barrier reports through the web client: add, change, archive, and who sees them."""
from sqlalchemy import select

from directory.extensions import db
from directory.models import BarrierReport, ChangeLog
from tests.helpers import csrf_token, login, logout, post_form


def _setup(make):
    area = make.area()
    service = make.actor("service", area=area, name="Quay Hostel")
    make.user("svc@example.org", manages=[service])
    return area, service


def _form(**kw):
    data = {"category": "no_move_on", "stage": "5", "description": "Nowhere to move on to",
            "since": "2023-01-15", "visibility": "public"}
    data.update(kw)
    return data


def test_add_edit_archive_restore_with_history(client, make):
    _area, service = _setup(make)
    login(client, "svc@example.org")
    assert client.get(f"/actors/{service.id}/barriers/new").status_code == 200
    r = post_form(client, f"/actors/{service.id}/barriers/new", _form())
    assert r.status_code == 302
    report = db.session.scalar(select(BarrierReport))
    assert (report.category, report.stage, report.visibility) == ("no_move_on", 5, "public")
    assert "Nowhere to move on to" in client.get(f"/actors/{service.id}").text

    r = post_form(client, f"/actors/{service.id}/barriers/{report.id}/edit",
                  _form(description="Still nowhere", visibility="members"))
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(BarrierReport, report.id).visibility == "members"

    page = client.get(f"/actors/{service.id}/barriers/{report.id}/archive")
    assert "Archive this barrier report?" in page.text
    assert post_form(client, f"/actors/{service.id}/barriers/{report.id}/archive", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(BarrierReport, report.id).archived
    assert "Still nowhere" not in client.get(f"/actors/{service.id}").text

    assert post_form(client, f"/actors/{service.id}/barriers/{report.id}/restore", {},
                     form_page=f"/actors/{service.id}/barriers").status_code == 302
    db.session.expire_all()
    assert not db.session.get(BarrierReport, report.id).archived
    actions = list(db.session.scalars(select(ChangeLog.action).where(ChangeLog.object_type == "barrierreport")
                                      .order_by(ChangeLog.id)))
    assert actions == ["added", "changed", "archived", "restored"]
    history = client.get(f"/actors/{service.id}/history").text
    assert "Nowhere to move on to → Still nowhere" in history
    assert "public → members" in history


def test_errors_beside_fields_and_input_kept(client, make):
    _area, service = _setup(make)
    login(client, "svc@example.org")
    r = post_form(client, f"/actors/{service.id}/barriers/new",
                  _form(category="", description="typed text", since="2999-01-01", stage="9"))
    assert r.status_code == 400
    assert "Choose the kind of barrier" in r.text
    assert "The date must be today or in the past" in r.text
    assert "typed text" in r.text
    assert db.session.scalar(select(BarrierReport.id)) is None


def test_visibility_rules(client, make):
    area, service = _setup(make)
    make.barrier(service, "capacity_full", description="Seen by all", visibility="public")
    make.barrier(service, "risk_exclusion", description="Seen by members", visibility="members")
    make.barrier(service, "funding", description="Seen by its coordinators", visibility="coordinators")
    own_forum = make.actor("forum", area=area)
    make.link(service, "member_of", own_forum)
    make.user("own-coord@example.org", manages=[own_forum])
    # A coordinator of another forum in the same area moderates the area (can edit the record, so sees
    # every report on its barrier page anyway): the same rule as the analysis, access.barrier_scope.
    other_forum = make.actor("forum", area=area)
    make.user("other-coord@example.org", manages=[other_forum])
    make.user("member@example.org")
    make.user("admin@example.org", admin=True)

    def seen():
        text = client.get(f"/actors/{service.id}").text
        return [t for t in ("Seen by all", "Seen by members", "Seen by its coordinators") if t in text]

    assert seen() == ["Seen by all"]
    expected = {"member@example.org": 2, "other-coord@example.org": 3, "own-coord@example.org": 3,
                "svc@example.org": 3, "admin@example.org": 3}
    for email, n in expected.items():
        login(client, email)
        assert len(seen()) == n, email
        logout(client)


def test_proposed_forum_membership_does_not_count(client, make):
    area, service = _setup(make)
    make.barrier(service, "funding", description="Coordinators only", visibility="coordinators")
    forum = make.actor("forum", area=make.area())
    make.link(service, "member_of", forum, status="proposed")
    make.user("fc@example.org", manages=[forum])
    login(client, "fc@example.org")
    assert "Coordinators only" not in client.get(f"/actors/{service.id}").text


def test_another_manager_cannot_touch_these_reports(client, make):
    _area, service = _setup(make)
    report = make.barrier(service, description="Original")
    other_area = make.area()
    other = make.actor("service", area=other_area)
    make.user("other@example.org", manages=[other])
    login(client, "other@example.org")
    token = csrf_token(client, "/")
    base = f"/actors/{service.id}/barriers"
    for path in (base, f"{base}/new", f"{base}/{report.id}/edit", f"{base}/{report.id}/archive"):
        assert client.get(path).status_code == 403, path
    for path in (f"{base}/new", f"{base}/{report.id}/edit", f"{base}/{report.id}/archive",
                 f"{base}/{report.id}/restore"):
        assert client.post(path, data={"csrf_token": token, **_form()}).status_code == 403, path
    # Reaching this report through one's own service is a 404.
    assert client.get(f"/actors/{other.id}/barriers/{report.id}/edit").status_code == 404
    db.session.expire_all()
    assert db.session.get(BarrierReport, report.id).description == "Original"
    assert db.session.scalar(select(BarrierReport.id).where(BarrierReport.actor_id == service.id,
                                                            BarrierReport.id != report.id)) is None


def test_forums_have_no_barrier_reports(client, make):
    forum = make.actor("forum", area=make.area())
    make.user("f@example.org", manages=[forum])
    login(client, "f@example.org")
    assert client.get(f"/actors/{forum.id}/barriers").status_code == 404
