"""The "Your records" dashboard: records by status, the links inbox, notices and stale records."""
from datetime import date, timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.mail import notify
from directory.models import Collaboration, Notification
from tests.helpers import csrf_token, login, logout, post_form


def test_dashboard_lists_records_inbox_notices_and_stale(client, make):
    area = make.area()
    active = make.actor("service", area=area, name="Active One")
    pending = make.actor("service", area=area, name="Pending One", status="pending")
    archived = make.actor("service", area=area, name="Archived One", status="archived")
    old = make.actor("service", area=area, name="Old One", verified_at=date.today() - timedelta(days=400))
    forum = make.actor("forum", area=make.area(), name="Far Forum")
    other = make.actor("service", area=make.area(), name="Other Service")
    me = make.user("me@example.org", manages=[active, pending, archived, old])
    make.user("them@example.org", manages=[forum, other])
    make.link(forum, "trains", active, status="proposed")  # waits for me
    make.link(active, "refers_to", other, status="proposed")  # waits for them
    notify(me, "Something <b>happened</b>", "/directory")
    db.session.commit()

    assert client.get("/account/records").status_code == 302
    login(client, "me@example.org")
    page = client.get("/account/records").text
    table = page.split("<h2>Records you manage</h2>")[1]
    for name, status in (("Active One", "Active"), ("Pending One", "Pending approval"),
                         ("Archived One", "Archived")):
        row = table.split(name)[1].split("</tr>")[0]
        assert f"<td>{status}</td>" in row, name
    inbox = page.split("Links waiting for you")[1].split("Your proposals waiting")[0]
    assert "Far Forum" in inbox and "Confirm" in inbox
    assert "Other Service" not in inbox
    assert "Your proposals waiting for the other side (1)" in page
    assert "Something &lt;b&gt;happened&lt;/b&gt;" in page
    assert "Old One" in page.split("Records to confirm")[1].split("Records you manage")[0]
    assert "Your records" in client.get("/").text  # the nav link

    notice = db.session.scalar(select(Notification))
    assert post_form(client, f"/account/notices/{notice.id}/read", {}, form_page="/account/records").status_code == 302
    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is not None
    assert "No unread notices" in client.get("/account/records").text
    assert "Something" in client.get("/account/notices").text
    assert "Far Forum" in client.get("/account/inbox").text


def test_nobody_else_can_read_my_notices(client, make):
    me = make.user("me@example.org")
    make.user("you@example.org")
    notify(me, "Private")
    db.session.commit()
    notice = db.session.scalar(select(Notification))
    login(client, "you@example.org")
    assert "Private" not in client.get("/account/records").text
    token = csrf_token(client, "/")
    assert client.post(f"/account/notices/{notice.id}/read", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, notice.id).read_at is None


def test_mark_all_read(client, make):
    me = make.user("me@example.org")
    for n in range(3):
        notify(me, f"Notice {n}")
    db.session.commit()
    login(client, "me@example.org")
    assert "(3 unread)" in client.get("/account/records").text
    post_form(client, "/account/notices/read-all", {}, form_page="/account/records")
    assert "No unread notices" in client.get("/account/records").text


def test_empty_dashboard(client, make):
    make.user("new@example.org")
    login(client, "new@example.org")
    page = client.get("/account/records").text
    assert "You do not manage any records yet" in page
    assert "No links are waiting for you" in page


def test_confirm_from_the_dashboard_then_visible_to_both(client, make):
    area = make.area()
    service = make.actor("service", area=area, name="Hostel A")
    researcher = make.actor("researcher", name="Dr Research")
    make.user("svc@example.org", manages=[service])
    make.user("res@example.org", manages=[researcher])
    login(client, "res@example.org")
    r = post_form(client, f"/actors/{researcher.id}/links/new",
                  {"kind": "evaluates", "direction": "out", "other": str(service.id), "q": "hostel"})
    assert r.status_code == 302
    logout(client)
    login(client, "svc@example.org")
    page = client.get("/account/records").text
    assert "Dr Research" in page
    link_id = db.session.scalar(select(Collaboration.id))
    post_form(client, f"/links/{link_id}/confirm", {"next": "/account/records"}, form_page="/account/records")
    logout(client)
    assert "Hostel A" in client.get(f"/actors/{researcher.id}").text
    assert "Dr Research" in client.get(f"/actors/{service.id}").text
