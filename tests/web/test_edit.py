"""Editing a record on one page; every change written to the change log."""
from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor, ChangeLog
from tests.helpers import login, logout, post_form, service_answers


def test_manager_edits_and_each_change_is_logged_with_old_and_new_values(client, make):
    area, other_area = make.area(), make.area(name="Riverside")
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4])
    manager = make.user("m@example.org", manages=[service])
    login(client, "m@example.org")
    page = client.get(f"/actors/{service.id}")
    assert f'href="/actors/{service.id}/edit"' in page.text and "Edit this record" in page.text
    form = client.get(f"/actors/{service.id}/edit")
    assert form.status_code == 200 and 'value="Harbour Hostel"' in form.text
    r = post_form(client, f"/actors/{service.id}/edit", service_answers(
        service, name="Harbour House", stages=["4", "5"], postcode="ls1 1ur", areas_served=[str(other_area.id)],
        pie_three_rs="3"))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/actors/{service.id}")
    db.session.expire_all()
    actor = db.session.get(Actor, service.id)
    assert actor.name == "Harbour House" and actor.stages == [4, 5] and actor.postcode == "LS1 1UR"
    entry = db.session.scalars(select(ChangeLog).where(ChangeLog.object_id == actor.id,
                                                       ChangeLog.action == "edited")).one()
    assert entry.user_id == manager.id
    assert entry.changes["name"] == ["Harbour Hostel", "Harbour House"]
    assert entry.changes["stages"] == [["4"], ["4", "5"]]
    assert entry.changes["postcode"] == ["", "LS1 1UR"]
    assert entry.changes["areas_served"] == [[], ["Riverside"]]
    assert entry.changes["pie_three_rs"] == ["", "3"]
    assert "summary" not in entry.changes and "service_types" not in entry.changes


def test_saving_without_changes_logs_nothing(client, make):
    area = make.area()
    service = make.actor("service", area=area, name="Quiet Place", stages=[2])
    make.user("q@example.org", manages=[service])
    login(client, "q@example.org")
    r = post_form(client, f"/actors/{service.id}/edit", service_answers(service))
    assert r.status_code == 302
    assert db.session.scalars(select(ChangeLog).where(ChangeLog.action == "edited")).all() == []


def test_edit_errors_keep_input_and_save_nothing(client, make):
    area = make.area()
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4])
    make.user("e@example.org", manages=[service])
    login(client, "e@example.org")
    r = post_form(client, f"/actors/{service.id}/edit", service_answers(
        service, name="Changed name", stages=[], website="ftp://x.example"))
    assert r.status_code == 400
    assert "Choose at least one pathway stage" in r.text and "starting with http://" in r.text
    assert 'value="Changed name"' in r.text
    db.session.expire_all()
    assert db.session.get(Actor, service.id).name == "Harbour Hostel"


def test_a_malformed_web_address_or_a_blank_or_repeated_area_is_a_message_or_counted_once(client, make):
    """Each was a 500: urlparse raises on "http://[", a blank area slipped past the list check (Optional()
    cleared its error) and failed int(), and an area sent twice broke the actor_area key."""
    area, other = make.area(), make.area(name="Riverside")
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4])
    make.user("e@example.org", manages=[service])
    login(client, "e@example.org")
    r = post_form(client, f"/actors/{service.id}/edit", service_answers(service, website="http://[::1"))
    assert r.status_code == 400 and "starting with http://" in r.text and 'value="http://[::1"' in r.text
    for blank in ("", "   "):
        r = post_form(client, f"/actors/{service.id}/edit", service_answers(service, areas_served=[blank]))
        assert r.status_code == 400 and "Choose other areas it also serves from the list" in r.text
        r = post_form(client, f"/actors/{service.id}/edit", service_answers(service, client_groups=[blank]))
        assert r.status_code == 400 and "Choose client groups from the list" in r.text
    r = post_form(client, f"/actors/{service.id}/edit", service_answers(
        service, areas_served=[str(other.id), str(other.id)], client_groups=["families", "families"]))
    assert r.status_code == 302, r.text
    db.session.expire_all()
    actor = db.session.get(Actor, service.id)
    assert [a.name for a in actor.areas_served] == ["Riverside"] and actor.client_groups == ["families"]


def test_only_managers_and_moderators_may_edit(client, make):
    area = make.area()
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4])
    pending = make.actor("service", area=area, name="Pending One", status="pending", stages=[4])
    make.user("m2@example.org", manages=[service, pending])
    path = f"/actors/{service.id}/edit"
    r = client.get(path)
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]

    make.user("member@example.org")
    login(client, "member@example.org")
    assert client.get(path).status_code == 403
    assert "Edit this record" not in client.get(f"/actors/{service.id}").text
    r = post_form(client, path, service_answers(service, name="Hijacked"), form_page=f"/actors/{service.id}/claim")
    assert r.status_code == 403
    assert client.get(f"/actors/{pending.id}/edit").status_code == 404
    logout(client)

    far_forum = make.actor("forum", area=make.area(), forum_type="homelessness_forum")
    make.user("far@example.org", manages=[far_forum])
    login(client, "far@example.org")
    assert client.get(path).status_code == 403
    logout(client)

    forum = make.actor("forum", area=area, forum_type="homelessness_forum")
    make.user("coord@example.org", manages=[forum])
    login(client, "coord@example.org")
    assert client.get(path).status_code == 200
    r = post_form(client, path, service_answers(service, name="Harbour Hostel (North)"))
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Actor, service.id).name == "Harbour Hostel (North)"
    logout(client)

    make.user("admin@example.org", admin=True)
    login(client, "admin@example.org")
    assert client.get(path).status_code == 200


def test_forum_edit_page(client, make):
    area = make.area()
    forum = make.actor("forum", area=area, name="Harbour Forum", forum_type="homelessness_forum")
    make.user("f@example.org", manages=[forum])
    login(client, "f@example.org")
    page = client.get(f"/actors/{forum.id}/edit")
    assert page.status_code == 200 and "Forum type" in page.text and "Organisation" not in page.text
    r = post_form(client, f"/actors/{forum.id}/edit", {
        "name": "Harbour Forum", "area_id": str(area.id), "forum_type": "strategy_group",
        "meeting_frequency": "monthly", "latitude": "", "longitude": ""})
    assert r.status_code == 302
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.action == "edited"))
    assert entry.changes["forum_type"] == ["homelessness_forum", "strategy_group"]
    assert entry.changes["meeting_frequency"] == ["", "monthly"]
    assert entry.changes["latitude"][1] is None


def test_changing_only_the_home_area_is_saved_and_logged(client, make):
    area, other_area = make.area(name="Upriver"), make.area(name="Downriver")
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4])
    make.user("mover@example.org", manages=[service])
    login(client, "mover@example.org")
    r = post_form(client, f"/actors/{service.id}/edit", service_answers(service, area_id=str(other_area.id)))
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Actor, service.id).area_id == other_area.id
    entry = db.session.scalars(select(ChangeLog).where(ChangeLog.action == "edited")).one()
    assert entry.changes == {"area_id": ["Upriver", "Downriver"]}
