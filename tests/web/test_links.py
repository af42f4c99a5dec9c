"""Links through the web client, CSRF on: propose, confirm, decline, end, and who may do each."""
from datetime import date, timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.mail import sent_mail
from directory.models import ChangeLog, Collaboration, Notification
from tests.helpers import csrf_token, login, logout, post_form


def _setup(make):
    area = make.area()
    service = make.actor("service", area=area, name="Harbour Day Centre")
    forum = make.actor("forum", area=area, name="Soarbridge Homelessness Forum", forum_type="homelessness_forum")
    make.user("alice@example.org", manages=[service])
    make.user("bob@example.org", manages=[forum])
    return area, service, forum


def _propose(client, actor, other, kind="member_of", direction="out", **extra):
    path = f"/actors/{actor.id}/links/new"
    data = {"kind": kind, "direction": direction, "other": str(other.id), "q": other.name, "note": "",
            "start_date": "", **extra}
    return post_form(client, path, data)


def _the_link():
    return db.session.scalars(select(Collaboration)).unique().one()


def _link_made(response, kind, source, target, status="proposed", *, proposed_from=None) -> Collaboration:
    """Assert the request made (or moved) a link: a redirect, and one row of this kind between these ends now
    with this status, proposed from proposed_from (default: the source). Returns it."""
    assert response.status_code == 302, response.text
    db.session.expire_all()
    link = db.session.scalars(select(Collaboration).where(
        Collaboration.kind == kind, Collaboration.source_id == source.id, Collaboration.target_id == target.id,
        Collaboration.status == status)).unique().one()
    assert link.proposed_from_id == (proposed_from or source).id
    return link


def test_propose_confirm_shows_on_both_public_pages(client, make):
    _area, service, forum = _setup(make)
    login(client, "alice@example.org")
    page = client.get(f"/actors/{service.id}/links/new?q=soarbridge")
    assert page.status_code == 200 and "Soarbridge Homelessness Forum" in page.text
    r = _propose(client, service, forum, note="We attend monthly")
    link = _link_made(r, "member_of", service, forum)
    assert link.id == _the_link().id and link.note == "We attend monthly"
    assert (link.status, link.proposed_from_id, link.source_id) == ("proposed", service.id, service.id)
    assert "Soarbridge Homelessness Forum" not in client.get(f"/actors/{service.id}").text.split("Works with")[1]
    assert "Proposed links" in client.get(f"/actors/{service.id}").text
    assert sent_mail("bob@example.org")
    logout(client)

    # Not public yet
    assert "Harbour Day Centre" not in client.get(f"/actors/{forum.id}").text

    login(client, "bob@example.org")
    dash = client.get("/account/records")
    assert "Links waiting for you (1)" in dash.text and "We attend monthly" in dash.text
    r = post_form(client, f"/links/{link.id}/confirm", {}, form_page="/account/records")
    assert _link_made(r, "member_of", service, forum, "confirmed").id == link.id
    link = _the_link()
    assert link.status == "confirmed" and link.last_confirmed == date.today()
    assert link.confirmed_by.email == "bob@example.org"
    told = sent_mail("alice@example.org")
    assert told and told[-1]["Subject"] == "Your proposed link was confirmed"
    logout(client)

    assert "Soarbridge Homelessness Forum" in client.get(f"/actors/{service.id}").text
    assert "Harbour Day Centre" in client.get(f"/actors/{forum.id}").text
    actions = set(db.session.scalars(select(ChangeLog.action).where(ChangeLog.object_type == "collaboration")))
    assert actions == {"proposed", "confirmed"}
    assert db.session.scalars(select(Notification).where(Notification.message.like("%confirmed%"))).first()


def test_reverse_direction_and_search_lists_only_active(client, make):
    area, service, forum = _setup(make)
    make.actor("service", area=area, name="Harbour Hidden", status="pending")
    login(client, "bob@example.org")
    page = client.get(f"/actors/{forum.id}/links/new?q=harbour")
    assert "Harbour Day Centre" in page.text and "Harbour Hidden" not in page.text
    r = _propose(client, forum, service, direction="in")
    assert _link_made(r, "member_of", service, forum, proposed_from=forum)
    link = _the_link()
    assert (link.source_id, link.target_id, link.proposed_from_id) == (service.id, forum.id, forum.id)


def test_decline(client, make):
    _area, service, forum = _setup(make)
    login(client, "alice@example.org")
    _link_made(_propose(client, service, forum), "member_of", service, forum)
    logout(client)
    login(client, "bob@example.org")
    link = _the_link()
    r = post_form(client, f"/links/{link.id}/decline", {}, form_page="/account/records")
    assert _link_made(r, "member_of", service, forum, "declined").id == link.id
    assert _the_link().status == "declined"
    assert "No links are waiting for you" in client.get("/account/records").text


def test_end_needs_a_confirmation_page(client, make):
    _area, service, forum = _setup(make)
    link = make.link(service, "member_of", forum)
    login(client, "alice@example.org")
    page = client.get(f"/links/{link.id}/end")
    assert page.status_code == 200 and "End this link?" in page.text
    ended = _link_made(post_form(client, f"/links/{link.id}/end", {}), "member_of", service, forum, "ended")
    assert ended.id == link.id
    link = _the_link()
    assert link.status == "ended" and link.end_date == date.today()
    logout(client)
    assert "Soarbridge Homelessness Forum" not in client.get(f"/actors/{service.id}").text.split("Works with")[1]


def test_proposer_cannot_confirm_own_proposal(client, make):
    _area, service, forum = _setup(make)
    login(client, "alice@example.org")
    link = _link_made(_propose(client, service, forum), "member_of", service, forum)
    assert link.id == _the_link().id
    assert post_form(client, f"/links/{link.id}/confirm", {}, form_page="/account/records").status_code == 403
    db.session.expire_all()
    assert _the_link().status == "proposed"


def test_proposer_managing_both_ends_still_cannot_confirm(client, make):
    area = make.area()
    a = make.actor("service", area=area)
    b = make.actor("service", area=area)
    make.user("both@example.org", manages=[a, b])
    login(client, "both@example.org")
    link = _link_made(_propose(client, a, b, kind="refers_to"), "refers_to", a, b)
    assert link.id == _the_link().id
    assert post_form(client, f"/links/{link.id}/confirm", {}, form_page="/account/records").status_code == 403
    db.session.expire_all()
    assert _the_link().status == "proposed"


def test_admin_may_confirm_even_own_proposal(client, make):
    _area, service, forum = _setup(make)
    make.user("admin@example.org", admin=True)
    login(client, "admin@example.org")
    link = _link_made(_propose(client, service, forum), "member_of", service, forum)
    assert link.id == _the_link().id
    r = post_form(client, f"/links/{link.id}/confirm", {}, form_page="/")
    assert _link_made(r, "member_of", service, forum, "confirmed").id == link.id


def test_disallowed_kind_refused_with_message(client, make):
    _area, service, forum = _setup(make)
    login(client, "alice@example.org")
    r = _propose(client, service, forum, kind="refers_to")
    assert r.status_code == 400
    assert "cannot join a service to a forum" in r.text
    assert db.session.scalar(select(Collaboration.id)) is None
    # The choices offered only list kinds a service takes part in.
    page = client.get(f"/actors/{service.id}/links/new")
    assert 'value="reports_to"' not in page.text and 'value="member_of"' in page.text


def test_missing_other_and_bad_date_show_messages_and_keep_input(client, make):
    _area, service, _forum = _setup(make)
    login(client, "alice@example.org")
    r = post_form(client, f"/actors/{service.id}/links/new",
                  {"kind": "member_of", "direction": "out", "other": "", "q": "", "note": "kept note",
                   "start_date": "31/02/2024"})
    assert r.status_code == 400
    assert "Search for the other record and choose it" in r.text
    assert "Enter a real date" in r.text
    assert "kept note" in r.text


def test_an_id_too_big_for_the_database_is_refused_with_a_message(client, make):
    """Was a 500 on both databases: SQLite cannot bind it, PostgreSQL's integer key cannot hold it."""
    _area, service, _forum = _setup(make)
    login(client, "alice@example.org")
    for other in ("2147483648", "99999999999999999999999", "0"):
        r = post_form(client, f"/actors/{service.id}/links/new",
                      {"kind": "member_of", "direction": "out", "other": other, "q": "", "note": "kept note"})
        assert r.status_code == 400 and "Choose another active record from the search results" in r.text, other
        assert "kept note" in r.text
    assert db.session.scalar(select(Collaboration.id)) is None


def test_duplicate_live_link_refused(client, make):
    _area, service, forum = _setup(make)
    make.link(service, "member_of", forum)
    login(client, "alice@example.org")
    r = _propose(client, service, forum)
    assert r.status_code == 400
    assert "already have a proposed or confirmed “Member of” link" in r.text
    assert len(db.session.scalars(select(Collaboration)).unique().all()) == 1


def test_duplicate_both_ways_link_refused_either_order(client, make):
    area = make.area()
    a = make.actor("service", area=area)
    b = make.actor("service", area=area)
    make.link(a, "co_located", b)
    make.user("bm@example.org", manages=[b])
    login(client, "bm@example.org")
    r = _propose(client, b, a, kind="co_located")
    assert r.status_code == 400 and "already have a proposed or confirmed" in r.text


def test_ended_link_can_be_proposed_again(client, make):
    _area, service, forum = _setup(make)
    ended = make.link(service, "member_of", forum, status="ended")
    login(client, "alice@example.org")
    again = _link_made(_propose(client, service, forum), "member_of", service, forum)
    assert again.id != ended.id and db.session.get(Collaboration, ended.id).status == "ended"


def test_outsider_gets_404_on_confirm_decline_end(client, make):
    area, service, forum = _setup(make)
    other_area = make.area()
    stranger_service = make.actor("service", area=other_area)
    make.user("stranger@example.org", manages=[stranger_service])
    make.user("member@example.org")
    proposed = make.link(service, "member_of", forum, status="proposed")
    other = make.actor("service", area=area)
    confirmed = make.link(other, "member_of", forum)
    for email in ("stranger@example.org", "member@example.org"):
        login(client, email)
        token = csrf_token(client, "/")
        for path in (f"/links/{proposed.id}/confirm", f"/links/{proposed.id}/decline",
                     f"/links/{confirmed.id}/end", f"/links/{confirmed.id}/reconfirm"):
            assert client.post(path, data={"csrf_token": token}).status_code == 404, (email, path)
        assert client.get(f"/links/{confirmed.id}/end").status_code == 404
        logout(client)
    db.session.expire_all()
    assert db.session.get(Collaboration, proposed.id).status == "proposed"
    assert db.session.get(Collaboration, confirmed.id).status == "confirmed"


def test_anonymous_is_sent_to_sign_in(client, make):
    _area, service, forum = _setup(make)
    link = make.link(service, "member_of", forum, status="proposed")
    token = csrf_token(client, "/account/sign-in")
    r = client.post(f"/links/{link.id}/confirm", data={"csrf_token": token})
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]
    r = client.get(f"/actors/{service.id}/links/new")
    assert r.status_code == 302 and "/account/sign-in" in r.headers["Location"]


def test_other_manager_cannot_propose_from_someone_elses_record(client, make):
    _area, service, forum = _setup(make)
    other_area = make.area()
    mine = make.actor("service", area=other_area)
    make.user("carol@example.org", manages=[mine])
    login(client, "carol@example.org")
    assert client.get(f"/actors/{service.id}/links/new").status_code == 403
    assert client.get(f"/actors/{service.id}/links").status_code == 403
    r = post_form(client, f"/actors/{service.id}/links/new",
                  {"kind": "member_of", "direction": "out", "other": str(forum.id)}, form_page="/")
    assert r.status_code == 403
    assert db.session.scalar(select(Collaboration.id)) is None


def test_withdraw_own_proposal(client, make):
    _area, service, forum = _setup(make)
    login(client, "alice@example.org")
    link = _link_made(_propose(client, service, forum), "member_of", service, forum)
    assert link.id == _the_link().id
    assert "Withdraw" in client.get(f"/actors/{service.id}").text
    r = post_form(client, f"/links/{link.id}/decline", {}, form_page="/")
    assert _link_made(r, "member_of", service, forum, "declined").id == link.id
    assert _the_link().status == "declined"
    assert db.session.scalar(select(ChangeLog.action).where(ChangeLog.action == "withdrawn"))


def test_reconfirm_stale_link(client, make):
    _area, service, forum = _setup(make)
    link = make.link(service, "member_of", forum)
    link.last_confirmed = date.today() - timedelta(days=400)
    db.session.commit()
    login(client, "alice@example.org")
    r = post_form(client, f"/links/{link.id}/reconfirm", {}, form_page="/")
    assert _link_made(r, "member_of", service, forum, "confirmed").id == link.id
    assert _the_link().last_confirmed == date.today()
