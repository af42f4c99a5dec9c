"""Administration of areas: list, create, edit, boundary checks, change log."""
import json

from sqlalchemy import select

from directory.extensions import db
from directory.models import Area, ChangeLog
from tests.helpers import login, post_form

SQUARE = {"type": "Polygon", "coordinates": [[[-1.6, 53.0], [-1.4, 53.0], [-1.4, 53.2], [-1.6, 53.2],
                                               [-1.6, 53.0]]]}


def _admin(client, make):
    user = make.user("boss@example.org", admin=True)
    login(client, "boss@example.org")
    return user


def _area_form(**kw):
    data = {"name": "Riverton", "slug": "", "centre_lat": "53.1", "centre_lon": "-1.5", "zoom": "11",
            "boundary": ""}
    data.update(kw)
    return data


def test_create_area_with_a_slug_made_from_the_name_and_logged(client, make):
    boss = _admin(client, make)
    r = post_form(client, "/admin/areas/new", _area_form(name="River Town & Vale"))
    assert r.status_code == 302 and r.headers["Location"] == "/admin/areas"
    area = db.session.scalar(select(Area).where(Area.slug == "river-town-vale"))
    assert (area.name, area.centre_lat, area.centre_lon, area.zoom, area.boundary) == (
        "River Town & Vale", 53.1, -1.5, 11, None)
    listing = client.get("/admin/areas").text
    assert "River Town &amp; Vale" in listing and "added" in listing
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.object_type == "area",
                                                      ChangeLog.object_id == area.id))
    assert entry.action == "created" and entry.user_id == boss.id
    assert entry.changes["name"] == [None, "River Town & Vale"]


def test_area_form_errors_beside_fields_and_input_kept(client, make):
    _admin(client, make)
    r = post_form(client, "/admin/areas/new", _area_form(name="", centre_lat="north", centre_lon="200",
                                                         zoom="25", slug="Bad Slug"))
    assert r.status_code == 400
    for message in ("Enter the name of the area", "Enter a number, like 53.48",
                    "Longitude must be between -180 and 180", "Enter a zoom level from 1",
                    "Use lower-case letters, numbers and single hyphens"):
        assert message in r.text, message
    assert 'value="north"' in r.text and 'value="Bad Slug"' in r.text
    r = post_form(client, "/admin/areas/new", _area_form(centre_lat="", zoom="twelve"))
    assert "Enter the latitude of the centre of the map" in r.text and "Enter a whole number" in r.text
    assert db.session.scalar(select(Area.id)) is None


def test_latitude_zero_is_a_real_value(client, make):
    _admin(client, make)
    r = post_form(client, "/admin/areas/new", _area_form(name="Null Island", centre_lat="0", centre_lon="0"))
    assert r.status_code == 302
    assert db.session.scalar(select(Area.centre_lat).where(Area.slug == "null-island")) == 0


def test_boundary_must_be_a_polygon_or_multipolygon(client, make):
    _admin(client, make)
    cases = {
        "{not json": "The boundary is not valid JSON",
        json.dumps({"type": "Point", "coordinates": [-1.5, 53.1]}): "must be a GeoJSON Polygon or MultiPolygon",
        json.dumps({"type": "Polygon", "coordinates": [[[-1.6, 53.0], [-1.4, 53.0], [-1.6, 53.0]]]}):
            "at least 4 points",
        json.dumps({"type": "Polygon", "coordinates": [[[-1.6, 53.0], [-1.4, 53.0], [-1.4, 53.2],
                                                         [-1.6, 53.2]]]}): "must end at the point where it starts",
        json.dumps({"type": "Polygon", "coordinates": [[[-1.6, 95], [-1.4, 53.0], [-1.4, 53.2], [-1.6, 95]]]}):
            "longitude -180 to 180",
        json.dumps({"type": "MultiPolygon", "coordinates": []}): "at least one polygon",
        "[1, 2]": "must be a GeoJSON Polygon or MultiPolygon",
        # Python's json reads these (NaN, Infinity; 1e400 becomes infinity): none is a coordinate.
        '{"type": "Polygon", "coordinates": [[[-1.6, 53, NaN], [-1.4, 53, 1e400], [-1.4, 53.2], [-1.6, 53, NaN]]]}':
            "longitude -180 to 180",
        # Nested past Python's recursion limit: was a RecursionError, a 500.
        "[" * 100_000 + "]" * 100_000: "nested too deeply",
    }
    for text, message in cases.items():
        r = post_form(client, "/admin/areas/new", _area_form(boundary=text))
        assert r.status_code == 400, text
        assert message in r.text, (text, message)
    assert db.session.scalar(select(Area.id)) is None


def test_boundary_accepted_bare_or_in_a_feature_and_stored_as_geometry(client, make):
    _admin(client, make)
    feature = {"type": "Feature", "properties": {"name": "x"}, "geometry": SQUARE}
    post_form(client, "/admin/areas/new", _area_form(name="Bare", boundary=json.dumps(SQUARE)))
    post_form(client, "/admin/areas/new", _area_form(name="Wrapped", boundary=json.dumps(feature)))
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    post_form(client, "/admin/areas/new", _area_form(name="Multi", boundary=json.dumps(multi)))
    stored = dict(db.session.execute(select(Area.slug, Area.boundary)).all())
    assert json.loads(stored["bare"]) == SQUARE
    assert json.loads(stored["wrapped"]) == SQUARE
    assert json.loads(stored["multi"]) == multi


def test_duplicate_slug_is_refused(client, make):
    _admin(client, make)
    make.area(name="Taken", slug="taken")
    r = post_form(client, "/admin/areas/new", _area_form(name="Taken"))
    assert r.status_code == 400 and "Another area already uses “taken”" in r.text


def test_edit_area_logs_old_and_new_values(client, make):
    boss = _admin(client, make)
    area = make.area(name="Oldham-ish", slug="oldham-ish", centre_lat=53.5, centre_lon=-2.1, zoom=12)
    page = client.get(f"/admin/areas/{area.id}/edit").text
    assert 'value="Oldham-ish"' in page and 'value="53.5"' in page
    r = post_form(client, f"/admin/areas/{area.id}/edit",
                  _area_form(name="Newham-ish", slug="oldham-ish", centre_lat="53.5", centre_lon="-2.1",
                             zoom="10", boundary=json.dumps(SQUARE)))
    assert r.status_code == 302
    db.session.expire_all()
    area = db.session.get(Area, area.id)
    assert (area.name, area.zoom, json.loads(area.boundary)) == ("Newham-ish", 10, SQUARE)
    entry = db.session.scalar(select(ChangeLog).where(ChangeLog.object_type == "area",
                                                      ChangeLog.object_id == area.id))
    assert entry.action == "edited" and entry.user_id == boss.id
    assert entry.changes == {"name": ["Oldham-ish", "Newham-ish"], "zoom": [12, 10],
                             "boundary": [None, "Polygon, 5 points"]}

    # Saving with no changes writes nothing to the log.
    r = post_form(client, f"/admin/areas/{area.id}/edit",
                  _area_form(name="Newham-ish", slug="oldham-ish", centre_lat="53.5", centre_lon="-2.1",
                             zoom="10", boundary=area.boundary))
    assert r.status_code == 302
    assert len(db.session.scalars(select(ChangeLog).where(ChangeLog.object_type == "area")).all()) == 1
    # Its own slug is not "taken".
    assert "Nothing was changed" in client.get("/admin/areas").text


def test_edit_unknown_area_is_404(client, make):
    _admin(client, make)
    assert client.get("/admin/areas/999999/edit").status_code == 404


def test_areas_list_pages_and_empty_state(client, make, app):
    _admin(client, make)
    assert "There are no areas yet" in client.get("/admin/areas").text
    for name in ("Aby", "Bby", "Cby"):
        make.area(name=name)
    app.config["PER_PAGE"] = 2
    first = client.get("/admin/areas").text
    assert "Aby" in first and "Bby" in first and "Cby" not in first
    assert "Cby" in client.get("/admin/areas?page=2").text
