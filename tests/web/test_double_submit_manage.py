"""Every change a record's managers make by pressing a button, sent twice at the same moment, happens once.

Real concurrent requests against the served app (see test_double_submit.py): links, invitations,
archive and restore, barrier reports, managers, freshness, expressions of interest.
"""
from datetime import date, timedelta

from sqlalchemy import func, select

from directory.extensions import db
from directory.mail import sent_mail
from directory.manage.managers import token_hash
from directory.models import Actor, BarrierReport, Collaboration, Management, ManagerInvitation
from directory.models._common import utcnow
from tests.http_clients import at_once, press_together

from .test_double_submit import flashes, fresh, log_actions, notices_to, signed_in


def _linked(make, status="proposed"):
    """A service and a forum with a link between them (the service proposed it); Ann and Bob manage them."""
    area = make.area()
    service = make.actor(area=area, name="Harbour Day Centre")
    forum = make.actor("forum", area=area, name="Soarbridge Forum", forum_type="homelessness_forum")
    ann = make.user("ann@example.org", manages=[service])
    make.user("bob@example.org", manages=[forum])
    link = make.link(service, "member_of", forum, status=status, proposed_by_id=ann.id)
    if status == "confirmed":
        link.last_confirmed = date.today() - timedelta(days=30)
        db.session.commit()
    return service, forum, ann, link


def _statuses(presses) -> list[int]:
    return [answer.status_code for _browser, answer in presses]


def test_decline_pressed_twice_at_once_logs_and_tells_once(live_server, make):
    _service, _forum, ann, link = _linked(make)
    bob = signed_in(live_server, "bob@example.org")
    presses = press_together(bob, f"/links/{link.id}/decline", {}, form_page="/account/records")
    assert _statuses(presses) == [302, 302]
    assert log_actions("collaboration", link.id) == ["declined"]
    assert len(notices_to(ann)) == 1 and len(sent_mail("ann@example.org")) == 1
    assert sum("This link has already been declined or withdrawn" in p for p in flashes(presses)) == 1


def test_confirm_and_decline_at_once_one_answer_wins(live_server, make):
    _service, forum, ann, link = _linked(make)
    make.user("bea@example.org", manages=[forum])
    bob, bea = signed_in(live_server, "bob@example.org"), signed_in(live_server, "bea@example.org")
    confirm, decline = f"/links/{link.id}/confirm", f"/links/{link.id}/decline"
    bodies = [{"csrf_token": bob.token("/account/records")}, {"csrf_token": bea.token("/account/records")}]
    answers = at_once([lambda: bob.post(confirm, bodies[0]), lambda: bea.post(decline, bodies[1])])
    assert [a.status_code for a in answers] == [302, 302]
    actions = log_actions("collaboration", link.id)
    assert actions in (["confirmed"], ["declined"])
    assert fresh(Collaboration, link.id).status == actions[0]
    assert len(notices_to(ann)) == 1


def test_end_and_reconfirm_pressed_twice_at_once_log_once(live_server, make):
    _service, _forum, _ann, link = _linked(make, status="confirmed")
    bob = signed_in(live_server, "bob@example.org")
    presses = press_together(bob, f"/links/{link.id}/reconfirm", {}, form_page="/account/records")
    assert _statuses(presses) == [302, 302]
    assert log_actions("collaboration", link.id) == ["reconfirmed"]
    for page in flashes(presses):
        assert "Link re-confirmed as still in place." in page

    presses = press_together(bob, f"/links/{link.id}/end", {}, form_page=f"/links/{link.id}/end")
    assert _statuses(presses) == [302, 302]
    assert log_actions("collaboration", link.id) == ["reconfirmed", "ended"]
    assert sum("This link has already been ended" in p for p in flashes(presses)) == 1


def test_propose_and_express_interest_pressed_twice_at_once_make_one_link(live_server, make):
    service, forum, _ann, link = _linked(make, status="declined")
    service.open_to_research = True
    researcher = make.actor("researcher", area=service.area, name="Dr Rowan Ash")
    make.user("rowan@example.org", manages=[researcher])
    db.session.commit()
    ann = signed_in(live_server, "ann@example.org")
    path = f"/actors/{service.id}/links/new"
    presses = press_together(ann, path, {"kind": "member_of", "direction": "out", "other": str(forum.id),
                                         "q": "", "note": "Monthly", "start_date": ""}, form_page=path)
    assert _statuses(presses) == [302, 302]
    for page in flashes(presses):
        assert "Link proposed." in page

    rowan = signed_in(live_server, "rowan@example.org")
    path = f"/research/partners/{service.id}/interest"
    presses = press_together(rowan, path, {"researcher": str(researcher.id), "engagement": "researcher_in_residence",
                                           "message": "We would like to study peer support."}, form_page=path)
    assert _statuses(presses) == [302, 302]
    for page in flashes(presses):
        assert "Your message has been sent." in page
    db.session.expire_all()
    live = db.session.scalars(select(Collaboration).where(Collaboration.id != link.id)).unique().all()
    assert sorted(l.kind for l in live) == ["hosts_research", "member_of"]
    for made in live:
        assert log_actions("collaboration", made.id) == ["proposed"]
    # Each new proposal told the other side once, by notice and by email.
    assert len(sent_mail("bob@example.org")) == 1 and len(sent_mail("ann@example.org")) == 1


def test_invitation_accepted_twice_at_once_adds_one_manager(live_server, make):
    service = make.actor(area=make.area(), name="Mill Lane")
    owner = make.user("owner@example.org", manages=[service])
    new = make.user("new@example.org")
    db.session.add(ManagerInvitation(actor_id=service.id, email="new@example.org", token_hash=token_hash("t0ken"),
                                     invited_by_id=owner.id, expires_at=utcnow() + timedelta(days=7)))
    db.session.commit()
    browser = signed_in(live_server, "new@example.org")
    presses = press_together(browser, "/invitations/t0ken/accept", {}, form_page="/invitations/t0ken")
    assert _statuses(presses) == [302, 302]
    assert log_actions("actor", service.id) == ["manager_added"]
    assert fresh(Management, (new.id, service.id)) is not None
    for page in flashes(presses):
        assert "You now help manage “Mill Lane”." in page


def test_invitation_pressed_again_after_it_was_accepted_gets_the_same_answer(live_server, make):
    """The second press of a double click may arrive after the first has finished: it is told the same."""
    service = make.actor(area=make.area(), name="Mill Lane")
    owner = make.user("owner@example.org", manages=[service])
    make.user("new@example.org")
    db.session.add(ManagerInvitation(actor_id=service.id, email="new@example.org", token_hash=token_hash("t0ken"),
                                     invited_by_id=owner.id, expires_at=utcnow() + timedelta(days=7)))
    db.session.commit()
    browser = signed_in(live_server, "new@example.org")
    body = {"csrf_token": browser.token("/invitations/t0ken")}
    for _press in range(2):
        answer = browser.post("/invitations/t0ken/accept", body)
        assert answer.status_code == 302
        assert "You now help manage “Mill Lane”." in browser.told(answer)
    assert log_actions("actor", service.id) == ["manager_added"]
    # Someone else holding the used link is still refused.
    make.user("other@example.org")
    other = signed_in(live_server, "other@example.org")
    assert other.post("/invitations/t0ken/accept", {"csrf_token": other.token("/")}).status_code == 404


def test_archive_and_restore_pressed_twice_at_once_log_once(live_server, make):
    service = make.actor(area=make.area(), name="Mill Lane")
    make.user("owner@example.org", manages=[service])
    owner = signed_in(live_server, "owner@example.org")
    for action, status in (("archive", "archived"), ("restore", "active")):
        path = f"/actors/{service.id}/{action}"
        presses = press_together(owner, path, {}, form_page=path)
        assert _statuses(presses) == [302, 302]
        assert fresh(Actor, service.id).status == status
        already = "has already been archived" if action == "archive" else "has already been restored"
        assert sum(already in p for p in flashes(presses)) == 1
    assert log_actions("actor", service.id) == ["archived", "restored"]


def test_barrier_archive_and_restore_pressed_twice_at_once_log_once(live_server, make):
    service = make.actor(area=make.area())
    make.user("owner@example.org", manages=[service])
    report = make.barrier(service)
    owner = signed_in(live_server, "owner@example.org")
    base = f"/actors/{service.id}/barriers"
    presses = press_together(owner, f"{base}/{report.id}/archive", {}, form_page=f"{base}/{report.id}/archive")
    assert _statuses(presses) == [302, 302]
    presses += press_together(owner, f"{base}/{report.id}/restore", {}, form_page=base)
    assert _statuses(presses) == [302] * 4
    assert log_actions("barrierreport", report.id) == ["archived", "restored"]
    assert fresh(BarrierReport, report.id).archived is False


def test_barrier_report_added_twice_at_once_is_one_report(live_server, make):
    service = make.actor(area=make.area())
    make.user("owner@example.org", manages=[service])
    owner = signed_in(live_server, "owner@example.org")
    path = f"/actors/{service.id}/barriers/new"
    answers = {"category": "no_move_on", "stage": "5", "description": "Nowhere to move on to",
               "since": "2023-01-15", "visibility": "public"}
    presses = press_together(owner, path, answers, form_page=path, times=3)
    assert _statuses(presses) == [302] * 3
    for page in flashes(presses):
        assert "Barrier report added." in page
    reports = db.session.scalars(select(BarrierReport).where(BarrierReport.actor_id == service.id)).all()
    assert len(reports) == 1
    assert log_actions("barrierreport", reports[0].id) == ["added"]
    # A different report added afterwards, or the same one once the first is archived, is a new report.
    assert owner.post_form(path, {**answers, "description": "No move-on for couples"}).status_code == 302
    reports[0].archived = True
    db.session.commit()
    assert owner.post_form(path, answers).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(BarrierReport)) == 3


def test_still_accurate_pressed_twice_at_once_logs_once(live_server, make):
    service = make.actor(area=make.area(), verified_at=date.today() - timedelta(days=400))
    make.user("owner@example.org", manages=[service])
    owner = signed_in(live_server, "owner@example.org")
    presses = press_together(owner, f"/actors/{service.id}/still-accurate", {}, form_page=f"/actors/{service.id}")
    assert _statuses(presses) == [302, 302]
    assert log_actions("actor", service.id) == ["confirmed_accurate"]
    assert fresh(Actor, service.id).verified_at == date.today()


def test_remove_manager_pressed_twice_at_once_tells_them_once(live_server, make):
    service = make.actor(area=make.area(), name="Mill Lane")
    make.user("owner@example.org", manages=[service])
    other = make.user("other@example.org", manages=[service])
    owner = signed_in(live_server, "owner@example.org")
    path = f"/actors/{service.id}/managers/{other.id}/remove"
    presses = press_together(owner, path, {}, form_page=path)
    assert _statuses(presses) == [302, 302]
    assert log_actions("actor", service.id) == ["manager_removed"]
    assert len(sent_mail("other@example.org")) == 1 and len(notices_to(other)) == 1


def test_two_managers_removing_each_other_at_once_leave_one(live_server, make):
    service = make.actor(area=make.area(), name="Mill Lane")
    one, two = make.user("one@example.org", manages=[service]), make.user("two@example.org", manages=[service])
    first, second = signed_in(live_server, "one@example.org"), signed_in(live_server, "two@example.org")
    remove_two, remove_one = f"/actors/{service.id}/managers/{two.id}/remove", f"/actors/{service.id}/managers/{one.id}/remove"
    bodies = [{"csrf_token": first.token(remove_two)}, {"csrf_token": second.token(remove_one)}]
    answers = at_once([lambda: first.post(remove_two, bodies[0]), lambda: second.post(remove_one, bodies[1])])
    # The second is told the record needs a manager, or (when the first had finished) that they may no
    # longer change it.
    assert sorted(a.status_code for a in answers) in ([302, 302], [302, 403])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Management)
                             .where(Management.actor_id == service.id)) == 1
    assert log_actions("actor", service.id) == ["manager_removed"]
