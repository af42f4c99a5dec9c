"""Each integrity rule refuses the bad case with a clear message, in the model layer and the database."""

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from directory.extensions import db
from directory.models import Actor, Collaboration, LinkRuleError, User
from directory.validation import InvalidValue, check_web_address, normalise_postcode


def _rollback():
    db.session.rollback()


def test_link_kind_must_allow_the_actor_kinds_at_both_ends(make):
    service, forum = make.actor("service"), make.actor("forum")
    with pytest.raises(LinkRuleError, match="“Member of” cannot join a forum to a service"):
        make.link(forum, "member_of", service)
    _rollback()
    with pytest.raises(LinkRuleError, match="must start at an accommodation service"):
        make.link(service, "moves_on_to", make.actor("service"))
    _rollback()
    assert make.link(service, "member_of", forum).status == "confirmed"


def test_no_link_from_an_actor_to_itself(make, app):
    service = make.actor("service")
    with pytest.raises(LinkRuleError, match="cannot be linked to itself"):
        make.link(service, "refers_to", service)
    _rollback()
    # The database refuses it too, whoever writes the row.
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Collaboration).values(kind="refers_to", source_id=service.id,
                                                        target_id=service.id, status="proposed", note=""))
        db.session.flush()
    _rollback()


def test_no_second_live_link_of_the_same_kind_between_the_same_pair(make):
    a, b = make.actor("service"), make.actor("service")
    make.link(a, "refers_to", b, status="proposed")
    with pytest.raises(IntegrityError):
        make.link(a, "refers_to", b, status="confirmed")
    _rollback()
    # An ended link does not block a new live one; a different kind is fine.
    first = db.session.scalars(db.select(Collaboration)).one()
    first.status = "ended"
    db.session.commit()
    make.link(a, "refers_to", b)
    make.link(a, "case_conferences", b)


def test_both_ways_links_count_once_whichever_end_proposes(make):
    a, b = make.actor("service"), make.actor("service")
    make.link(b, "co_located", a)
    with pytest.raises(IntegrityError):
        make.link(a, "co_located", b)
    _rollback()


@pytest.mark.parametrize("field,value,message", [
    ("latitude", 91.0, "Latitude must be between -90 and 90"),
    ("latitude", -90.5, "Latitude must be between -90 and 90"),
    ("longitude", 180.5, "Longitude must be between -180 and 180"),
])
def test_latitude_and_longitude_in_range(field, value, message):
    with pytest.raises(InvalidValue, match=message):
        Actor(kind="service", name="x", **{field: value})


def test_database_refuses_out_of_range_points(make, app):
    area = make.area()
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Actor).values(kind="service", name="x", status="active", latitude=95.0,
                                                longitude=0.0, area_id=area.id, search_text="",
                                                pie_profile={}))
        db.session.flush()
    _rollback()


@pytest.mark.parametrize("raw,normalised", [
    ("sw1a1aa", "SW1A 1AA"), ("  le1 5ww ", "LE1 5WW"), ("M1 1AE", "M1 1AE"), ("b338th", "B33 8TH"),
    ("CR2 6XH", "CR2 6XH"), ("dn551pt", "DN55 1PT"), ("GIR 0AA", "GIR 0AA"),
])
def test_uk_postcodes_are_normalised(raw, normalised):
    assert normalise_postcode(raw) == normalised
    assert Actor(kind="service", name="x", postcode=raw).postcode == normalised


@pytest.mark.parametrize("raw", ["12345", "SW1A", "QQ1 1AA", "SW1A 1A", "not a postcode", "E1 1AAA", "SW\u0661A 1AA",
                                 "M\uff11 1AE"])
def test_bad_postcodes_are_refused(raw):
    with pytest.raises(InvalidValue, match="is not a UK postcode"):
        Actor(kind="service", name="x", postcode=raw)


@pytest.mark.parametrize("raw", ["javascript:alert(1)", "ftp://example.org", "example.org", "http://",
                                 "data:text/html,hi", "https://exa mple.org"])
def test_web_addresses_must_be_http_or_https(raw):
    with pytest.raises(InvalidValue, match="starting with http:// or https://"):
        Actor(kind="service", name="x", website=raw)
    assert check_web_address("https://example.org/a?b=1") == "https://example.org/a?b=1"


@pytest.mark.parametrize("website", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi",
                                     "ftp://example.org", "//example.org"])
def test_database_refuses_web_addresses_that_are_not_http(make, app, website):
    area = make.area()
    # A Core insert: the model's validator never sees the value; the CHECK constraint must refuse it.
    with pytest.raises(IntegrityError):
        db.session.execute(insert(Actor).values(kind="service", name="x", status="active", area_id=area.id,
                                                search_text="", pie_profile={}, website=website))
        db.session.flush()
    _rollback()
    # http(s) in any case, and no address at all, are accepted.
    for ok in ("https://example.org", "HTTP://EXAMPLE.ORG/x", None):
        db.session.execute(insert(Actor).values(kind="service", name="ok", status="active", area_id=area.id,
                                                search_text="", pie_profile={}, website=ok))
    db.session.commit()


@pytest.mark.parametrize("raw", ["no-at-sign", "a@b", "a@@example.org", "a b@example.org"])
def test_emails_must_be_valid(raw):
    with pytest.raises(InvalidValue, match="Enter an email address in the right format"):
        Actor(kind="service", name="x", contact_email=raw)
    with pytest.raises(InvalidValue):
        User(email=raw)
    assert User(email="Someone@Example.ORG").email == "someone@example.org"


def test_unknown_vocabulary_is_refused(make):
    with pytest.raises(ValueError, match="is not a kind of actor"):
        Actor(kind="robot", name="x")
    actor = make.actor("service")
    with pytest.raises(ValueError, match="is not a known service type"):
        actor.set_values("service_type", ["spaceship"])
    _rollback()
    with pytest.raises(LinkRuleError, match="is not a kind of link"):
        Collaboration(kind="likes")


def test_confidential_service_point_is_never_public(make):
    area = make.area(centre_lat=52.0, centre_lon=-1.0)
    refuge = make.actor("service", area=area, confidential=True, latitude=52.123, longitude=-1.456)
    assert refuge.public_point == (52.0, -1.0)


@pytest.mark.parametrize("model", ["actor", "barrier", "area"])
def test_an_update_from_a_stale_read_changes_nothing(make, model):
    """Two sessions interleaved: the first reads the row, the second changes and commits it, then the
    first writes. Its UPDATE must match no row (StaleDataError), on SQLite too, where pysqlite runs the
    first read outside any transaction and begins one only at the first write."""
    area = make.area()
    record = {"actor": lambda: make.actor("service", area=area), "area": lambda: area,
              "barrier": lambda: make.barrier(make.actor("service", area=area))}[model]()
    text_field = "description" if model == "barrier" else "name"
    first, second = Session(db.engine), Session(db.engine)
    try:
        mine = first.get(type(record), record.id)
        setattr(second.get(type(record), record.id), text_field, "changed by a colleague")
        second.commit()
        setattr(mine, text_field, "mine")
        with pytest.raises(StaleDataError):
            first.commit()
    finally:
        first.close()
        second.close()
    db.session.expire_all()
    saved = db.session.get(type(record), record.id)
    assert (getattr(saved, text_field), saved.version) == ("changed by a colleague", 2)
