"""The moderation queue: approve or reject new records and requests to manage, CSRF on."""
from datetime import date

from sqlalchemy import select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import Actor, ChangeLog, ClaimRequest, Management, Notification
from tests.helpers import login, logout, post_form


def _setup(make):
    area = make.area(name="Harbourside")
    forum = make.actor("forum", area=area, forum_type="homelessness_forum")
    coord = make.user("coord@example.org", manages=[forum])
    pending = make.actor("service", area=area, name="New Day Centre", status="pending", verified_at=None,
                         stages=[2])
    applicant = make.user("applicant@example.org", manages=[pending])
    return area, coord, pending, applicant


def _log(obj_type, obj_id):
    return db.session.scalars(select(ChangeLog).where(ChangeLog.object_type == obj_type,
                                                      ChangeLog.object_id == obj_id)).all()


def test_queue_is_for_moderators_only(client, make):
    _area, _coord, pending, _applicant = _setup(make)
    r = client.get("/moderation")
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
    make.user("member@example.org")
    login(client, "member@example.org")
    assert client.get("/moderation").status_code == 403
    assert client.get("/moderation/claims").status_code == 403
    assert ">Moderation</a>" not in client.get("/").text
    logout(client)
    login(client, "coord@example.org")
    page = client.get("/moderation")
    assert page.status_code == 200 and "New Day Centre" in page.text
    assert ">Moderation</a>" in client.get("/").text
    logout(client)
    make.user("admin@example.org", admin=True)
    login(client, "admin@example.org")
    assert "New Day Centre" in client.get("/moderation").text


def test_coordinator_approves_a_record(client, make):
    _area, coord, pending, applicant = _setup(make)
    login(client, "coord@example.org")
    r = post_form(client, f"/moderation/records/{pending.id}/approve", {}, form_page="/moderation")
    assert r.status_code == 302
    db.session.expire_all()
    actor = db.session.get(Actor, pending.id)
    assert actor.status == "active" and actor.verified_at == date.today()
    entry = _log("actor", actor.id)[-1]
    assert entry.action == "approved" and entry.user_id == coord.id
    assert entry.changes["status"] == ["pending", "active"]
    notice = db.session.scalar(select(Notification).where(Notification.user_id == applicant.id))
    assert "approved" in notice.message
    assert [m["Subject"] for m in sent_mail("applicant@example.org")] == ["Your record has been approved"]
    assert "There are no new records waiting" in client.get("/moderation").text
    logout(client)
    assert client.get(f"/actors/{actor.id}").status_code == 200


def test_reject_needs_a_reason_which_is_sent_to_the_applicant(client, make):
    _area, coord, pending, applicant = _setup(make)
    login(client, "coord@example.org")
    page = client.get(f"/moderation/records/{pending.id}/reject")
    assert page.status_code == 200 and "Reason" in page.text
    r = post_form(client, f"/moderation/records/{pending.id}/reject", {"reason": "   "})
    assert r.status_code == 400 and "Give the reason" in r.text
    assert db.session.get(Actor, pending.id).status == "pending"
    r = post_form(client, f"/moderation/records/{pending.id}/reject",
                  {"reason": "Already listed as Harbour Day Centre"})
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Actor, pending.id).status == "rejected"
    entry = _log("actor", pending.id)[-1]
    assert entry.action == "rejected" and entry.changes["reason"] == [None, "Already listed as Harbour Day Centre"]
    notice = db.session.scalar(select(Notification).where(Notification.user_id == applicant.id))
    assert "Already listed as Harbour Day Centre" in notice.message
    mail = sent_mail("applicant@example.org")
    assert len(mail) == 1 and "Already listed as Harbour Day Centre" in mail[0].get_content()
    # Decided once only.
    r = post_form(client, f"/moderation/records/{pending.id}/approve", {}, form_page="/moderation")
    db.session.expire_all()
    assert db.session.get(Actor, pending.id).status == "rejected"


def test_coordinator_of_another_area_cannot_decide(client, make):
    area, _coord, pending, _applicant = _setup(make)
    active = make.actor("service", area=area, name="Old Hostel", stages=[4])
    claimant = make.user("claimant@example.org")
    claim = ClaimRequest(actor_id=active.id, user_id=claimant.id)
    db.session.add(claim)
    db.session.commit()
    far_forum = make.actor("forum", area=make.area(), forum_type="homelessness_forum")
    make.user("far@example.org", manages=[far_forum])
    login(client, "far@example.org")
    page = client.get("/moderation")
    assert page.status_code == 200 and "New Day Centre" not in page.text
    assert "Old Hostel" not in client.get("/moderation/claims").text
    token_page = "/moderation"
    assert post_form(client, f"/moderation/records/{pending.id}/approve", {}, form_page=token_page).status_code == 404
    assert client.get(f"/moderation/records/{pending.id}/reject").status_code == 404
    assert post_form(client, f"/moderation/records/{active.id}/approve", {},
                     form_page=token_page).status_code == 403
    assert post_form(client, f"/moderation/claims/{claim.id}/approve", {}, form_page=token_page).status_code == 404
    assert post_form(client, f"/moderation/claims/{claim.id}/reject", {"reason": "no"},
                     form_page=token_page).status_code == 404
    db.session.expire_all()
    assert db.session.get(Actor, pending.id).status == "pending"
    assert db.session.get(ClaimRequest, claim.id).status == "pending"


def test_member_and_manager_cannot_approve(client, make):
    _area, _coord, pending, _applicant = _setup(make)
    login(client, "applicant@example.org")
    r = post_form(client, f"/moderation/records/{pending.id}/approve", {}, form_page=f"/actors/{pending.id}")
    assert r.status_code == 403
    assert db.session.get(Actor, pending.id).status == "pending"


def test_claim_from_the_record_page_then_approved_makes_a_manager(client, make):
    area, coord, _pending, _applicant = _setup(make)
    service = make.actor("service", area=area, name="Old Hostel", stages=[4])
    claimant = make.user("claimant@example.org")
    login(client, "claimant@example.org")
    page = client.get(f"/actors/{service.id}")
    assert f'href="/actors/{service.id}/claim"' in page.text and "Edit this record" not in page.text
    r = post_form(client, f"/actors/{service.id}/claim", {"message": "I run the <b>hostel</b>"})
    assert r.status_code == 302
    logout(client)
    login(client, "coord@example.org")
    page = client.get("/moderation/claims")
    assert "Old Hostel" in page.text and "I run the &lt;b&gt;hostel&lt;/b&gt;" in page.text
    claim = db.session.scalar(select(ClaimRequest))
    r = post_form(client, f"/moderation/claims/{claim.id}/approve", {}, form_page="/moderation/claims")
    assert r.status_code == 302
    db.session.expire_all()
    assert db.session.get(Management, (claimant.id, service.id)) is not None
    claim = db.session.get(ClaimRequest, claim.id)
    assert claim.status == "approved" and claim.decided_by_id == coord.id
    assert _log("claimrequest", claim.id)[-1].action == "approved"
    assert _log("actor", service.id)[-1].action == "manager_added"
    assert sent_mail("claimant@example.org")[0]["Subject"] == "Your request to manage a record was approved"
    logout(client)
    login(client, "claimant@example.org")
    assert "Edit this record" in client.get(f"/actors/{service.id}").text


def test_reject_claim_with_reason(client, make):
    area, _coord, _pending, _applicant = _setup(make)
    service = make.actor("service", area=area, name="Old Hostel", stages=[4])
    claimant = make.user("claimant@example.org")
    claim = ClaimRequest(actor_id=service.id, user_id=claimant.id, message="me")
    db.session.add(claim)
    db.session.commit()
    login(client, "coord@example.org")
    r = post_form(client, f"/moderation/claims/{claim.id}/reject", {"reason": ""})
    assert r.status_code == 400 and "Give the reason" in r.text
    r = post_form(client, f"/moderation/claims/{claim.id}/reject", {"reason": "We could not reach you"})
    assert r.status_code == 302
    db.session.expire_all()
    claim = db.session.get(ClaimRequest, claim.id)
    assert claim.status == "rejected" and claim.reason == "We could not reach you"
    assert db.session.get(Management, (claimant.id, service.id)) is None
    assert "We could not reach you" in sent_mail("claimant@example.org")[0].get_content()
    assert "We could not reach you" in db.session.scalar(
        select(Notification).where(Notification.user_id == claimant.id)).message


def test_coordinator_cannot_approve_their_own_claim(client, make):
    area, coord, _pending, _applicant = _setup(make)
    service = make.actor("service", area=area, name="Old Hostel", stages=[4])
    claim = ClaimRequest(actor_id=service.id, user_id=coord.id)
    db.session.add(claim)
    db.session.commit()
    login(client, "coord@example.org")
    assert "Your own request" in client.get("/moderation/claims").text
    r = post_form(client, f"/moderation/claims/{claim.id}/approve", {}, form_page="/moderation/claims")
    assert r.status_code == 403


def test_queue_is_paginated(client, make, app):
    area, _coord, _pending, _applicant = _setup(make)
    app.config["PER_PAGE"] = 2
    for n in range(3):
        make.actor("service", area=area, name=f"Pending {n}", status="pending", stages=[1])
    login(client, "coord@example.org")
    first = client.get("/moderation")
    assert 'rel="next"' in first.text
    assert client.get("/moderation?page=2").status_code == 200
