"""A form opened before a colleague's save: nothing is overwritten, the person is told what changed."""
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select, update

from directory.extensions import db
from directory.models import Actor, Area, BarrierReport, ChangeLog, record_change
from tests.helpers import form_values, login, post_form, service_answers
from tests.web.test_admin_areas import _area_form as area_form
from tests.web.test_barriers import _form as barrier_form


def _entries(actor_id: int, action: str) -> list[ChangeLog]:
    return list(db.session.scalars(select(ChangeLog).where(
        ChangeLog.object_type == "actor", ChangeLog.object_id == actor_id, ChangeLog.action == action)))


@pytest.fixture
def harbour(make):
    """A service with two managers, Ann and Bob."""
    area = make.area()
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4], phone="")
    make.user("ann@example.org", name="Ann Archer", manages=[service])
    make.user("bob@example.org", name="Bob Baker", manages=[service])
    return service


def test_a_save_from_a_form_opened_before_a_colleagues_save_overwrites_nothing(app, harbour):
    """Before the fix Ann's save was "saved" and put back the old name and stages Bob had just changed."""
    ann, bob = app.test_client(), app.test_client()
    login(ann, "ann@example.org")
    login(bob, "bob@example.org")
    path = f"/actors/{harbour.id}/edit"
    opened = form_values(ann.get(path).text)  # Ann opens the form ...
    r = post_form(bob, path, service_answers(harbour, name="Harbour House", stages=["4", "5"]))  # Bob saves
    assert r.status_code == 302
    # ... and saves her own change (the phone), the rest of the form as she opened it.
    r = ann.post(path, data={**opened, **service_answers(harbour, phone="0116 496 0000")})
    assert r.status_code == 409
    assert "Your changes have not been saved" in r.text and "Not saved:" in r.text
    assert "Bob Baker changed this record after you opened this page (last at " in r.text  # who, and when
    assert "Saved now: <strong>Harbour House</strong>" in r.text
    assert "In your form: <strong>Harbour Hostel</strong>" in r.text
    assert 'href="#stages"' in r.text and 'href="#phone"' not in r.text  # only what Bob changed is listed
    # Ann's own answers are still in the form to review.
    assert 'value="0116 496 0000"' in r.text and 'value="Harbour Hostel"' in r.text
    db.session.expire_all()
    actor = db.session.get(Actor, harbour.id)
    assert (actor.name, actor.stages, actor.phone) == ("Harbour House", [4, 5], "")
    assert len(_entries(harbour.id, "edited")) == 1
    # She takes Bob's name and stages and saves again: the form now carries the version she was shown.
    again = form_values(r.text)
    assert again["version"] != opened["version"]
    r = ann.post(path, data={**again, **service_answers(actor, phone="0116 496 0000")})
    assert r.status_code == 302
    db.session.expire_all()
    actor = db.session.get(Actor, harbour.id)
    assert (actor.name, actor.stages, actor.phone) == ("Harbour House", [4, 5], "0116 496 0000")
    assert [e.changes for e in _entries(harbour.id, "edited")][-1] == {"phone": ["", "0116 496 0000"]}


def test_a_change_to_a_list_alone_moves_the_version_on(client, harbour):
    """Changing only the stages changes no column of the record's row; it must still make older forms stale."""
    login(client, "ann@example.org")
    path = f"/actors/{harbour.id}/edit"
    opened = form_values(client.get(path).text)
    assert post_form(client, path, service_answers(harbour, stages=["3", "4"])).status_code == 302
    r = client.post(path, data={**opened, **service_answers(harbour, stages=["4"])})
    assert r.status_code == 409 and "You (in another tab or window) changed this record" in r.text
    db.session.expire_all()
    assert db.session.get(Actor, harbour.id).stages == [3, 4]


def test_a_form_without_its_version_saves_nothing(client, harbour):
    login(client, "ann@example.org")
    path = f"/actors/{harbour.id}/edit"
    token = form_values(client.get(path).text)["csrf_token"]
    r = client.post(path, data={"csrf_token": token, **service_answers(harbour, name="Harbour Lodge")})
    assert r.status_code == 409 and "Saved now: <strong>Harbour Hostel</strong>" in r.text
    db.session.expire_all()
    assert db.session.get(Actor, harbour.id).name == "Harbour Hostel"


@contextmanager
def colleague_saves_first(actor_id: int):
    """Two sessions interleaved at the database: just before the request's first write, a colleague's save of
    the record (another connection) changes its phone and moves its version on, and commits."""
    pending = [True]

    def before_write(_conn, _cursor, statement, *_args):
        if pending and statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            pending.clear()
            with db.engine.begin() as other:
                other.execute(update(Actor.__table__).where(Actor.__table__.c.id == actor_id)
                              .values(phone="0116 496 0001", version=Actor.__table__.c.version + 1))

    event.listen(db.engine, "before_cursor_execute", before_write)
    try:
        yield
    finally:
        event.remove(db.engine, "before_cursor_execute", before_write)
    assert not pending, "the request wrote nothing"


def test_confirming_a_record_while_a_colleague_saves_it_keeps_both(client, harbour):
    """Other changes to a record (here "still accurate") touch no answer of the edit form: meeting a
    colleague's save, neither is a 500 or undoes the other."""
    yesterday = date.today() - timedelta(days=1)
    db.session.execute(update(Actor).where(Actor.id == harbour.id).values(verified_at=yesterday))
    db.session.commit()
    login(client, "ann@example.org")
    with colleague_saves_first(harbour.id):
        r = post_form(client, f"/actors/{harbour.id}/still-accurate", {}, form_page=f"/actors/{harbour.id}")
    assert r.status_code == 302
    db.session.expire_all()
    actor = db.session.get(Actor, harbour.id)
    assert (actor.verified_at, actor.phone) == (date.today(), "0116 496 0001")
    assert len(_entries(harbour.id, "confirmed_accurate")) == 1


@pytest.mark.own_app  # adds a route
def test_any_save_from_a_stale_read_is_a_409_with_nothing_saved(app, client, harbour):
    """The safety net for a path that saves a record the ordinary way (the edit forms catch it themselves and
    show what changed): its UPDATE from a stale read raises StaleDataError; the answer is a 409 saying so,
    the session is rolled back (its change-log entry with it) and the next request works."""

    @app.post("/actors/<int:actor_id>/rename-for-this-test")
    def rename(actor_id: int):
        actor = db.session.get(Actor, actor_id)
        record_change(actor, "edited", None, {"name": (actor.name, "Renamed")})
        actor.name = "Renamed"
        db.session.commit()
        return "saved"

    login(client, "ann@example.org")
    path = f"/actors/{harbour.id}/rename-for-this-test"
    with colleague_saves_first(harbour.id):
        r = post_form(client, path, {}, form_page=f"/actors/{harbour.id}",
                      headers={"Referer": f"http://localhost/actors/{harbour.id}"})
    assert r.status_code == 409
    assert "Someone else changed this record at the same moment as you" in r.text
    assert f'href="/actors/{harbour.id}"' in r.text  # back to the page the person came from
    db.session.expire_all()
    actor = db.session.get(Actor, harbour.id)
    assert (actor.name, actor.phone) == ("Harbour Hostel", "0116 496 0001")
    assert _entries(harbour.id, "edited") == []
    assert post_form(client, path, {}, form_page=f"/actors/{harbour.id}").status_code == 200


def test_a_barrier_report_changed_by_a_colleague_is_not_overwritten(app, harbour, make):
    """Before the fix Ann's save put back the description and visibility Bob had just changed."""
    report = make.barrier(harbour, category="no_move_on", stage=5, description="Nowhere to move on to",
                          visibility="public")
    ann, bob = app.test_client(), app.test_client()
    login(ann, "ann@example.org")
    login(bob, "bob@example.org")
    path = f"/actors/{harbour.id}/barriers/{report.id}/edit"
    opened = form_values(ann.get(path).text)
    r = post_form(bob, path, barrier_form(description="Move-on flats full until spring", visibility="members"))
    assert r.status_code == 302
    r = ann.post(path, data={**opened, **barrier_form(description="Nowhere to move on to", stage="6")})
    text = " ".join(r.text.split())
    assert r.status_code == 409 and "Bob Baker changed this barrier report after you opened this page" in text
    assert "Saved now: <strong>Move-on flats full until spring</strong>" in text
    assert "Saved now: <strong>Signed-in members</strong>" in text and "In your form: <strong>Public</strong>" in text
    assert 'href="#stage"' not in text  # Ann's own change is not something that changed under her
    assert "Nowhere to move on to</textarea>" in r.text  # her answers are kept
    db.session.expire_all()
    saved = db.session.get(BarrierReport, report.id)
    assert (saved.description, saved.visibility, saved.stage) == ("Move-on flats full until spring", "members", 5)
    r = ann.post(path, data={**form_values(r.text), **barrier_form(
        description="Move-on flats full until spring", visibility="members", stage="6")})
    assert r.status_code == 302
    db.session.expire_all()
    saved = db.session.get(BarrierReport, report.id)
    assert (saved.description, saved.visibility, saved.stage) == ("Move-on flats full until spring", "members", 6)


def test_an_area_changed_by_another_admin_is_not_overwritten(app, make):
    """Before the fix the second admin's save put back the name the first had just changed."""
    area = make.area(name="Riverton", slug="riverton", centre_lat=53.1, centre_lon=-1.5, zoom=11)
    make.user("one@example.org", name="Admin One", admin=True)
    make.user("two@example.org", name="Admin Two", admin=True)
    one, two = app.test_client(), app.test_client()
    login(one, "one@example.org")
    login(two, "two@example.org")
    path = f"/admin/areas/{area.id}/edit"
    opened = form_values(two.get(path).text)
    assert post_form(one, path, area_form(name="Riverton and Vale", slug="riverton")).status_code == 302
    r = two.post(path, data={**opened, **area_form(name="Riverton", slug="riverton", zoom="12")})
    text = " ".join(r.text.split())
    assert r.status_code == 409 and "Admin One changed this area after you opened this page" in text
    assert "Saved now: <strong>Riverton and Vale</strong>" in text and "In your form: <strong>Riverton</strong>" in text
    assert 'name="zoom" required type="number" value="12"' in text  # his own answer is kept
    db.session.expire_all()
    assert (db.session.get(Area, area.id).name, db.session.get(Area, area.id).zoom) == ("Riverton and Vale", 11)
    r = two.post(path, data={**form_values(r.text), **area_form(name="Riverton and Vale", slug="riverton",
                                                                zoom="12")})
    assert r.status_code == 302
    db.session.expire_all()
    assert (db.session.get(Area, area.id).name, db.session.get(Area, area.id).zoom) == ("Riverton and Vale", 12)
