"""Admin → Users → a person: add and remove records they manage (a forum makes them a coordinator), CSRF on."""

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import ChangeLog, Management, Notification
from tests.helpers import csrf_token, login, logout, parse, post_form, text


def _world(make):
    area = make.area(name="Harbourside")
    forum = make.actor("forum", area=area, name="Harbourside Homelessness Forum")
    chair = make.user("chair@example.org", manages=[forum])
    pending = make.actor("service", area=area, name="New Day Centre", status="pending", verified_at=None)
    make.user("applicant@example.org", manages=[pending])
    member = make.user("member@example.org", name="Morgan Member")
    boss = make.user("boss@example.org", admin=True)
    return {"area": area, "forum": forum, "chair": chair, "member": member, "boss": boss}


def _manages(user_id, actor_id) -> bool:
    db.session.expire_all()
    return db.session.get(Management, (user_id, actor_id)) is not None


def _log(obj_type, obj_id):
    return [(c.action, c.user_id, c.changes) for c in db.session.scalars(
        select(ChangeLog).where(ChangeLog.object_type == obj_type, ChangeLog.object_id == obj_id)
        .order_by(ChangeLog.id))]


def _add_form_token(page: str, actor_id: int) -> str:
    """The CSRF token of the "Add" form beside one search result, read from the page."""
    found = parse(page).select(f'form input[type="hidden"][name="actor_id"][value="{actor_id}"]')
    assert len(found) == 1, "no Add button for that record"
    form = found[0].find_parent("form")
    token = form.select_one('input[type="hidden"][name="csrf_token"]')
    assert token is not None and token["value"] and text(form.find("button")).startswith("Add"), form
    return token["value"]


def test_admin_adds_a_forum_then_removes_it_and_the_member_becomes_then_stops_being_a_coordinator(client, make):
    w = _world(make)
    member, forum, boss = w["member"], w["forum"], w["boss"]
    login(client, "member@example.org")
    assert client.get("/moderation").status_code == 403
    logout(client)

    login(client, "boss@example.org")
    user_page = f"/admin/users/{member.id}"
    page = client.get(f"{user_page}?q=harbourside+forum")
    assert page.status_code == 200
    assert "Add a record they manage" in page.text and "Records this person manages" in page.text
    assert "Harbourside Homelessness Forum" in page.text and "Harbourside</td>" in page.text
    assert "They will coordinate Harbourside because this is a forum." in page.text
    token = _add_form_token(page.text, forum.id)
    r = client.post(f"{user_page}/records", data={"csrf_token": token, "actor_id": str(forum.id),
                                                  "q": "harbourside forum"})
    assert r.status_code == 302 and r.headers["Location"] == user_page
    assert _manages(member.id, forum.id)
    page = client.get(user_page).text
    assert "now manages “Harbourside Homelessness Forum”. They will coordinate Harbourside because this is a forum." \
        in page
    assert "Coordinator in</dt><dd>Harbourside</dd>" in page
    roles = client.get("/admin/roles").text
    assert f'href="/admin/users/{member.id}#records">Change roles' in roles

    # Change log on the record (as when a record's own managers change) and on the account.
    assert ("manager_added", boss.id, {"manager": [None, "member@example.org"]}) in _log("actor", forum.id)
    assert _log("user", member.id) == [("made_manager", boss.id, {"manages": [None, forum.name]})]
    assert "<td>Made manager</td>" in client.get(user_page).text  # the account's history, in words
    # Told in the app and by email.
    (notice,) = db.session.scalars(select(Notification).where(Notification.user_id == member.id))
    assert notice.message == ("An administrator made you a manager of “Harbourside Homelessness Forum”. "
                              "You will coordinate Harbourside because this is a forum.")
    (mail,) = sent_mail("member@example.org")
    assert "Harbourside Homelessness Forum" in mail["Subject"]
    assert "You will coordinate Harbourside" in mail.get_content()
    assert "boss@example.org" not in mail.get_content()
    logout(client)

    login(client, "member@example.org")
    queue = client.get("/moderation")
    assert queue.status_code == 200 and "New Day Centre" in queue.text
    logout(client)

    login(client, "boss@example.org")
    remove = f"{user_page}/records/{forum.id}/remove"
    assert f'href="{remove}"' in client.get(user_page).text
    confirm = client.get(remove)
    assert confirm.status_code == 200
    assert "They will no longer coordinate Harbourside." in confirm.text
    assert _manages(member.id, forum.id)  # a GET changes nothing
    r = post_form(client, remove, {})
    assert r.status_code == 302 and r.headers["Location"] == user_page
    assert not _manages(member.id, forum.id) and _manages(w["chair"].id, forum.id)
    assert "They no longer coordinate Harbourside." in client.get(user_page).text
    assert ("manager_removed", boss.id, {"manager": ["member@example.org", None]}) in _log("actor", forum.id)
    assert _log("user", member.id)[-1] == ("manager_removed", boss.id, {"manages": [forum.name, None]})
    notices = db.session.scalars(select(Notification).where(Notification.user_id == member.id)
                                 .order_by(Notification.id)).all()
    assert notices[-1].message == ("An administrator removed you as a manager of “Harbourside Homelessness Forum”. "
                                   "You no longer coordinate Harbourside.")
    assert len(sent_mail("member@example.org")) == 2
    logout(client)

    login(client, "member@example.org")
    assert client.get("/moderation").status_code == 403


def test_a_service_is_added_without_any_coordinator_wording(client, make):
    w = _world(make)
    service = make.actor("service", area=w["area"], name="Quayside Advice")
    login(client, "boss@example.org")
    page = client.get(f"/admin/users/{w['member'].id}?q=quayside").text
    assert "Quayside Advice" in page and "will coordinate" not in page
    r = post_form(client, f"/admin/users/{w['member'].id}/records", {"actor_id": str(service.id)},
                  form_page=f"/admin/users/{w['member'].id}?q=quayside")
    assert r.status_code == 302
    assert _manages(w["member"].id, service.id)
    page = client.get(f"/admin/users/{w['member'].id}").text
    assert "now manages “Quayside Advice”." in page and "coordinate" not in page.split("Coordinator in")[1][:60]


def test_the_last_manager_of_a_record_cannot_be_removed(client, make):
    w = _world(make)
    login(client, "boss@example.org")
    remove = f"/admin/users/{w['chair'].id}/records/{w['forum'].id}/remove"
    for r in (client.get(remove), client.post(remove, data={"csrf_token": csrf_token(client, "/")})):
        assert r.status_code == 302 and r.headers["Location"] == f"/admin/users/{w['chair'].id}"
    assert _manages(w["chair"].id, w["forum"].id)
    page = client.get(f"/admin/users/{w['chair'].id}").text
    assert "is the only manager of “Harbourside Homelessness Forum”" in page and "Add another manager first" in page
    assert _log("actor", w["forum"].id) == []


def test_adding_someone_who_already_manages_changes_nothing(client, make):
    w = _world(make)
    login(client, "boss@example.org")
    chair_page = f"/admin/users/{w['chair'].id}"
    page = client.get(f"{chair_page}?q=harbourside").text
    assert "Already manages it" in page
    r = post_form(client, f"{chair_page}/records", {"actor_id": str(w["forum"].id)}, form_page=chair_page)
    assert r.status_code == 302
    assert "chair@example.org already manages “Harbourside Homelessness Forum”: nothing was changed." \
        in client.get(chair_page).text
    assert db.session.scalars(select(Management).where(Management.actor_id == w["forum"].id)).all() \
        == [db.session.get(Management, (w["chair"].id, w["forum"].id))]
    assert _log("actor", w["forum"].id) == [] and _log("user", w["chair"].id) == []
    assert sent_mail() == []


@pytest.mark.parametrize("actor_id, message", [
    ("999999", "There is no record number 999999."),
    ("", "Choose a record from the search results"),
    ("abc", "Choose a record from the search results"),
    ("-3", "Choose a record from the search results"),
])
def test_unknown_or_bad_record_numbers_get_a_message_beside_the_search(client, make, actor_id, message):
    w = _world(make)
    login(client, "boss@example.org")
    user_page = f"/admin/users/{w['member'].id}"
    r = post_form(client, f"{user_page}/records", {"actor_id": actor_id, "q": "harbourside"}, form_page=user_page)
    assert r.status_code == 400
    assert message in r.text and 'id="q-error"' in r.text and "There is a problem" in r.text
    assert 'value="harbourside"' in r.text and "Harbourside Homelessness Forum" in r.text  # the search stays
    assert db.session.scalars(select(Management).where(Management.user_id == w["member"].id)).all() == []


@pytest.mark.parametrize("status, message", [
    ("archived", "is archived, so no one can be added to manage it. Restore it first."),
    ("rejected", "was not approved, so no one can be added to manage it."),
])
def test_archived_and_rejected_records_cannot_be_added(client, make, status, message):
    w = _world(make)
    gone = make.actor("service", area=w["area"], name="Old Quay Shelter", status=status)
    login(client, "boss@example.org")
    user_page = f"/admin/users/{w['member'].id}"
    page = client.get(f"{user_page}?q=old+quay").text
    assert "Old Quay Shelter" in page and "Cannot be added" in page
    assert f'name="actor_id" value="{gone.id}"' not in page
    r = post_form(client, f"{user_page}/records", {"actor_id": str(gone.id)}, form_page=user_page)
    assert r.status_code == 400 and f"“Old Quay Shelter” {message}" in r.text
    assert not _manages(w["member"].id, gone.id)


def test_a_pending_forum_makes_them_a_coordinator_once_approved(client, make):
    w = _world(make)
    make.actor("forum", area=w["area"], name="Harbourside Youth Forum", status="pending", verified_at=None)
    login(client, "boss@example.org")
    page = client.get(f"/admin/users/{w['member'].id}?q=youth+forum").text
    assert "They will coordinate Harbourside once this forum is approved." in page


def test_removing_a_record_they_do_not_manage_is_404(client, make):
    w = _world(make)
    login(client, "boss@example.org")
    assert client.get(f"/admin/users/{w['member'].id}/records/{w['forum'].id}/remove").status_code == 404
    assert client.get(f"/admin/users/999999/records/{w['forum'].id}/remove").status_code == 404
    r = post_form(client, "/admin/users/999999/records", {"actor_id": str(w["forum"].id)}, form_page="/admin")
    assert r.status_code == 404


def test_members_and_coordinators_are_refused_and_anonymous_visitors_sent_to_sign_in(client, make):
    w = _world(make)
    add = f"/admin/users/{w['member'].id}/records"
    remove = f"/admin/users/{w['chair'].id}/records/{w['forum'].id}/remove"
    make.user("second@example.org", manages=[w["forum"]])
    for path in (f"/admin/users/{w['member'].id}?q=forum", remove):
        r = client.get(path)
        assert r.status_code == 302 and r.headers["Location"].startswith("/account/sign-in?next="), path
    token = csrf_token(client, "/account/sign-in")
    for path, data in ((add, {"actor_id": str(w["forum"].id)}), (remove, {})):
        r = client.post(path, data={"csrf_token": token, **data})
        assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"], path

    for email in ("member@example.org", "chair@example.org"):
        login(client, email)
        token = csrf_token(client, "/")
        assert client.get(f"/admin/users/{w['member'].id}?q=forum").status_code == 403
        assert client.get(remove).status_code == 403
        assert client.post(add, data={"csrf_token": token, "actor_id": str(w["forum"].id)}).status_code == 403
        assert client.post(remove, data={"csrf_token": token}).status_code == 403
        logout(client)
    assert not _manages(w["member"].id, w["forum"].id) and _manages(w["chair"].id, w["forum"].id)


def test_a_forged_post_without_the_token_is_refused(client, make):
    w = _world(make)
    make.user("second@example.org", manages=[w["forum"]])
    login(client, "boss@example.org")
    assert client.post(f"/admin/users/{w['member'].id}/records", data={"actor_id": str(w["forum"].id)}
                       ).status_code == 400
    r = client.post(f"/admin/users/{w['chair'].id}/records/{w['forum'].id}/remove")
    assert r.status_code == 400
    assert not _manages(w["member"].id, w["forum"].id) and _manages(w["chair"].id, w["forum"].id)
