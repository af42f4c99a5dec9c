"""Every moderator's and administrator's decision, sent twice at the same moment, happens once.

Real concurrent requests against the served app (see test_double_submit.py): one change-log entry,
one notice and one email; the other press is told what the first did; never a 5xx.
"""
from sqlalchemy import func, select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import Actor, Area, ClaimRequest, Management, User
from tests.http_clients import at_once, press_together

from .test_double_submit import flashes, fresh, log_actions, notices_to, signed_in
from .test_register import coordinator_of


def _pending_record(make):
    area = make.area()
    coordinator_of(make, area, "coord@example.org")
    record = make.actor(area=area, name="New Day Centre", status="pending", verified_at=None)
    owner = make.user("owner@example.org", manages=[record])
    return area, record, owner


def _claim(make):
    area = make.area()
    coordinator_of(make, area, "coord@example.org")
    record = make.actor(area=area, name="Mill Lane")
    make.user("owner@example.org", manages=[record])
    asker = make.user("asker@example.org")
    claim = ClaimRequest(actor_id=record.id, user_id=asker.id, message="We run it")
    db.session.add(claim)
    db.session.commit()
    return record, asker, claim


def test_reject_pressed_twice_at_once_logs_and_tells_once(live_server, make):
    _area, record, owner = _pending_record(make)
    coord = signed_in(live_server, "coord@example.org")
    path = f"/moderation/records/{record.id}/reject"
    presses = press_together(coord, path, {"reason": "Not in this area"}, form_page=path)
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("actor", record.id) == ["rejected"]
    assert len(notices_to(owner)) == 1 and len(sent_mail("owner@example.org")) == 1
    pages = flashes(presses)
    assert sum("“New Day Centre” has already been rejected" in p for p in pages) == 1


def test_approve_and_reject_at_once_one_decision_wins(live_server, make):
    area, record, owner = _pending_record(make)
    coordinator_of(make, area, "coord2@example.org")
    first, second = signed_in(live_server, "coord@example.org"), signed_in(live_server, "coord2@example.org")
    approve_path, reject_path = f"/moderation/records/{record.id}/approve", f"/moderation/records/{record.id}/reject"
    approve = {"csrf_token": first.token("/moderation")}
    reject = {"csrf_token": second.token(reject_path), "reason": "Not in this area"}
    answers = at_once([lambda: first.post(approve_path, approve), lambda: second.post(reject_path, reject)])
    assert [a.status_code for a in answers] == [302, 302]
    decisions = log_actions("actor", record.id)
    assert decisions in (["approved"], ["rejected"])
    assert fresh(Actor, record.id).status == {"approved": "active", "rejected": "rejected"}[decisions[0]]
    assert len(notices_to(owner)) == 1 and len(sent_mail("owner@example.org")) == 1
    loser = second if decisions == ["approved"] else first
    told = loser.follow(answers[0] if loser is first else answers[1]).text
    assert f"has already been {'approved' if decisions == ['approved'] else 'rejected'}" in told


def test_claim_approved_twice_at_once_adds_one_manager(live_server, make):
    record, asker, claim = _claim(make)
    coord = signed_in(live_server, "coord@example.org")
    presses = press_together(coord, f"/moderation/claims/{claim.id}/approve", {}, form_page="/moderation/claims")
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("claimrequest", claim.id) == ["approved"]
    assert log_actions("actor", record.id) == ["manager_added"]
    assert fresh(Management, (asker.id, record.id)) is not None
    assert len(notices_to(asker)) == 1 and len(sent_mail("asker@example.org")) == 1
    assert sum("That request has already been approved" in p for p in flashes(presses)) == 1


def test_claim_rejected_twice_at_once_tells_once(live_server, make):
    _record, asker, claim = _claim(make)
    coord = signed_in(live_server, "coord@example.org")
    path = f"/moderation/claims/{claim.id}/reject"
    presses = press_together(coord, path, {"reason": "Not you"}, form_page=path)
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("claimrequest", claim.id) == ["rejected"]
    assert len(notices_to(asker)) == 1 and len(sent_mail("asker@example.org")) == 1


def test_asking_to_manage_twice_at_once_sends_one_request(live_server, make):
    record = make.actor(area=make.area(), name="Mill Lane")
    asker = make.user("asker@example.org")
    browser = signed_in(live_server, "asker@example.org")
    path = f"/actors/{record.id}/claim"
    presses = press_together(browser, path, {"message": "We run it"}, form_page=path, times=3)
    assert [a.status_code for _b, a in presses] == [302, 302, 302]
    db.session.expire_all()
    claims = db.session.scalars(select(ClaimRequest).where(ClaimRequest.user_id == asker.id)).all()
    assert len(claims) == 1 and log_actions("claimrequest", claims[0].id) == ["requested"]
    pages = flashes(presses)
    assert sum("Your request to manage “Mill Lane” has been sent to the moderators" in p for p in pages) == 1
    assert sum("You have already asked to manage “Mill Lane”" in p for p in pages) == 2


def test_admin_role_given_twice_at_once_is_logged_once(live_server, make):
    make.user("admin@example.org", admin=True)
    person = make.user("person@example.org")
    admin = signed_in(live_server, "admin@example.org")
    presses = press_together(admin, f"/admin/users/{person.id}/make-admin", {},
                             form_page=f"/admin/users/{person.id}")
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("user", person.id) == ["made_admin"]
    assert fresh(User, person.id).is_admin


def test_admin_adds_and_removes_a_manager_twice_at_once(live_server, make):
    make.user("admin@example.org", admin=True)
    record = make.actor(area=make.area(), name="Mill Lane")
    make.user("owner@example.org", manages=[record])
    person = make.user("person@example.org")
    admin = signed_in(live_server, "admin@example.org")
    page = f"/admin/users/{person.id}"
    presses = press_together(admin, f"/admin/users/{person.id}/records", {"actor_id": str(record.id)},
                             form_page=page)
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("user", person.id) == ["made_manager"]

    remove = f"/admin/users/{person.id}/records/{record.id}/remove"
    presses = press_together(admin, remove, {}, form_page=remove)
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert log_actions("user", person.id) == ["made_manager", "manager_removed"]
    assert [m["Subject"] for m in sent_mail("person@example.org")] == [
        "You now help manage “Mill Lane” in the sector engagement directory",
        "You no longer manage “Mill Lane” in the sector engagement directory"]


def test_new_area_added_twice_at_once_is_one_area(live_server, make):
    make.user("admin@example.org", admin=True)
    admin = signed_in(live_server, "admin@example.org")
    presses = press_together(admin, "/admin/areas/new",
                             {"name": "Riverside", "slug": "riverside", "centre_lat": "52.6",
                              "centre_lon": "-1.1", "zoom": "12"}, form_page="/admin/areas/new")
    assert [a.status_code for _b, a in presses] == [302, 302]
    assert db.session.scalar(select(func.count()).select_from(Area).where(Area.slug == "riverside")) == 1
    for page in flashes(presses):
        assert "Area “Riverside” added." in page
