"""The national map, its GeoJSON and the national ranking are built once per data change (issue 9, item 12).

Built results are cached under a key holding the data version (a token in the database replaced by every
committed change to what a snapshot reads), the filter (which carries what the viewer may see) and the date.
"""
from __future__ import annotations

import threading
import urllib.request
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from werkzeug.serving import make_server

from directory import create_app
from directory.extensions import db
from tests.conftest import RequestIsolatedClient
from tests.helpers import assert_scripts_carry_the_nonce, headed_rows, login, logout, parse, post_form
from tests.web.test_maps import map_data


@pytest.fixture
def country(make):
    """Two areas; a service with a forum, a confidential service, and a proposed link."""
    north = make.area(name="Northby", slug="northby", centre_lat=54.0, centre_lon=-1.6)
    make.area(name="Southby", slug="southby", centre_lat=51.0, centre_lon=-1.0)
    hub = make.actor("service", area=north, name="Northby Hub", stages=[3], latitude=54.01, longitude=-1.61)
    forum = make.actor("forum", area=north, name="Northby Forum", latitude=54.02, longitude=-1.62)
    refuge = make.actor("service", area=north, name="Northby Refuge", stages=[4], confidential=True,
                        latitude=54.3, longitude=-1.9)
    make.link(hub, "member_of", forum)
    proposed = make.link(hub, "refers_to", refuge, status="proposed")
    manager = make.user("manager@example.org", manages=[hub, refuge])
    coordinator = make.user("coord@example.org", manages=[forum])
    return {"north": north, "hub": hub, "forum": forum, "refuge": refuge, "proposed": proposed,
            "manager": manager, "coordinator": coordinator}


@pytest.fixture
def another_app(app):
    """Makes a second app on the same database and settings (changed by keyword); its connections closed after."""
    made = []

    def make(**changes):
        other = create_app({**{k: app.config[k] for k in (
            "TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TILES_URL", "MAIL_DIR", "RATELIMIT_STORAGE_URI",
            "CACHE_DIR", "CACHE_LOCK_DIR", "LIMIT_NATIONAL_PAGES", "LIMIT_NATIONAL_BUILDS")}, **changes})
        other.test_client_class = RequestIsolatedClient
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def snapshot_reads(*apps):
    """Counts the reads of actors' details: one per snapshot built (map, GeoJSON or ranking), by any of the apps."""
    reads = []

    def _before(_conn, _cursor, statement, *_args):
        if "actor.latitude" in statement:
            reads.append(statement)

    engines = {db.engine}
    for other in apps:
        with other.app_context():
            engines.add(db.engine)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", _before)
    try:
        yield reads
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", _before)


def _ranking(html: str) -> dict[str, str]:
    """Area name -> its ranking row's cells as text."""
    return {row.name: row.rest for row in headed_rows(parse(html), r"/areas/[^/]+/analysis")}


def _national(client) -> dict:
    """What the anonymous national pages show: map actor names, GeoJSON names, the ranking's Northby row."""
    page = client.get("/map")
    geo = client.get("/map.geojson").get_json()
    return {"map": {row[4] for row in map_data(page)["actors"]},
            "geojson": {f["properties"]["name"] for f in geo["features"] if f["properties"]["feature"] != "link"},
            "ranking": _ranking(client.get("/analysis").text)["Northby"]}


def test_warm_national_pages_are_built_once_and_a_change_shows_on_the_next_request(client, app, country):
    with snapshot_reads() as reads:
        before = _national(client)
        assert len(reads) == 3  # the map, the GeoJSON and the ranking: one snapshot each
        for _ in range(3):
            assert _national(client) == before
        assert len(reads) == 3  # ...and not again
    assert "Northby Hub" in before["map"] and "Northby Hub" in before["geojson"]
    # A manager renames the hub and gives it stage 6 through the edit form.
    login(client, "manager@example.org")
    hub = country["hub"]
    r = post_form(client, f"/actors/{hub.id}/edit", {
        "name": "Northby Hub Renamed", "organisation": "", "summary": "", "description": "",
        "area_id": str(hub.area_id), "service_types": hub.service_types, "stages": ["3", "6"], "address": "",
        "postcode": "", "latitude": "54.01", "longitude": "-1.61"})
    assert r.status_code == 302
    logout(client)
    after = _national(client)
    assert "Northby Hub Renamed" in after["map"] and "Northby Hub" not in after["map"]
    assert "Northby Hub Renamed" in after["geojson"] and "Northby Hub" not in after["geojson"]
    assert after["ranking"] != before["ranking"]  # one stage fewer missing


def test_another_process_sees_a_change_made_in_this_one_on_its_next_request(client, app, country, another_app):
    """A second app on the same database and cache stands for another gunicorn worker: it is told nothing."""
    other_app = another_app()
    other = other_app.test_client()
    with snapshot_reads(other_app) as reads:
        assert _national(client) == _national(other)
        assert len(reads) == 3  # the other process used what this one built
    # A coordinator confirms the proposed referral here; the other process shows it at once.
    before = map_data(other.get("/map"))
    assert "3 actors and 1 link" in other.get("/map/list").text  # the list's counts are cached too
    login(client, "coord@example.org")
    link = country["proposed"]
    assert post_form(client, f"/links/{link.id}/confirm", {}, form_page="/account/records").status_code == 302
    after = map_data(other.get("/map"))
    assert len(after["links"]) == len(before["links"]) + 1
    assert "3 actors and 2 links" in other.get("/map/list").text
    # An admin moves the area's centre: the confidential refuge, drawn at the centre, moves with it.
    logout(client)
    country["manager"].is_admin = True
    db.session.commit()
    login(client, "manager@example.org")
    north = country["north"]
    assert post_form(client, f"/admin/areas/{north.id}/edit", {
        "name": "Northby", "slug": "northby", "centre_lat": "54.5", "centre_lon": "-1.5", "zoom": "11",
        "boundary": ""}).status_code == 302
    refuge = next(row for row in map_data(other.get("/map"))["actors"] if row[4] == "Northby Refuge")
    assert (refuge[2], refuge[3]) == (54.5, -1.5)


def test_what_an_admin_may_see_is_never_served_to_anyone_else_nor_the_other_way_round(client, app, country):
    def statuses(response):
        data = map_data(response)
        return sorted(data["statuses"][link[3]][0] for link in data["links"])

    def geo_statuses(response):
        return sorted(f["properties"]["status"] for f in response.get_json()["features"]
                      if f["properties"]["feature"] == "link")

    # Anonymous first: its answers are cached...
    assert statuses(client.get("/map?proposed=y")) == ["confirmed"]
    assert geo_statuses(client.get("/map.geojson?proposed=y")) == ["confirmed"]
    # ...and an admin asking for proposed links does not get them.
    country["manager"].is_admin = True
    db.session.commit()
    login(client, "manager@example.org")
    assert statuses(client.get("/map?proposed=y")) == ["confirmed", "proposed"]
    geo = client.get("/map.geojson?proposed=y")
    assert geo_statuses(geo) == ["confirmed", "proposed"] and geo.headers["Cache-Control"] == "private, no-store"
    assert "Sign out" in client.get("/map").text
    logout(client)
    # The admin's answers, cached too, never reach anyone else: anonymous, or a coordinator.
    assert statuses(client.get("/map?proposed=y")) == ["confirmed"]
    assert geo_statuses(client.get("/map.geojson?proposed=y")) == ["confirmed"]
    login(client, "coord@example.org")
    assert statuses(client.get("/map?proposed=y")) == ["confirmed"]
    assert geo_statuses(client.get("/map.geojson?proposed=y")) == ["confirmed"]
    page = client.get("/map")
    assert "Sign out" in page.text  # the page around the cached map is the coordinator's own


def test_each_cached_map_carries_its_own_pages_nonce(client, country):
    for _ in range(2):
        r = client.get("/map")
        assert_scripts_carry_the_nonce(r)


def test_six_concurrent_requests_for_a_cold_national_map_build_it_once(app, country):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    answers, barrier = [], threading.Barrier(6)

    def ask(path):
        barrier.wait()
        with urllib.request.urlopen(base + path, timeout=60) as response:
            answers.append((path, response.status, len(response.read())))

    try:
        with snapshot_reads() as reads:
            askers = [threading.Thread(target=ask, args=(p,)) for p in ["/map", "/map.geojson", "/analysis"] * 2]
            for t in askers:
                t.start()
            for t in askers:
                t.join(timeout=60)
        assert sorted(status for _, status, _ in answers) == [200] * 6
        assert len(reads) == 3  # each of the three built once, the second asker of each waited for it
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_builds_are_limited_per_address_but_cached_answers_are_not(client, app, country):
    app.config["LIMIT_NATIONAL_BUILDS"] = "2 per minute"
    addr = {"REMOTE_ADDR": "10.2.0.1"}
    assert client.get("/map?kind=service", environ_base=addr).status_code == 200  # built
    assert client.get("/map?kind=forum", environ_base=addr).status_code == 200  # built
    for _ in range(5):
        assert client.get("/map?kind=service", environ_base=addr).status_code == 200  # cached
    r = client.get("/map?kind=researcher", environ_base=addr)  # would be a third build
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 60
    assert "too many requests for this page from your address" in r.text and "then try again" in r.text
    assert client.get("/map?kind=researcher", environ_base={"REMOTE_ADDR": "10.2.0.2"}).status_code == 200
    # The build that was refused left nothing half-made: the other address built it, this one reads it.
    assert client.get("/map?kind=researcher", environ_base=addr).status_code == 200


def _redis_or_skip(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {url}: {exc}")


def test_with_redis_named_by_a_setting_the_cache_lives_there_and_follows_the_data_too(app, client, country,
                                                                                    another_app):
    url = "redis://127.0.0.1:6379/15"
    _redis_or_skip(url)
    redis_app = another_app(CACHE_REDIS_URL=url)
    assert redis_app.config["CACHE_TYPE"] == "RedisCache"
    worker = redis_app.test_client()
    with snapshot_reads(redis_app) as reads:
        first = _national(worker)
        assert _national(worker) == first
        assert len(reads) == 3
    make_hub = country["hub"]
    make_hub.name = "Northby Hub Moved"
    db.session.commit()  # a write by any means that goes through the session changes the data version
    assert "Northby Hub Moved" in _national(worker)["map"]
