"""The map's list and the network table read one page of actors, not the whole country (issue 9, item 12)."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event

from directory.extensions import db
from directory.loader import SnapshotFilter, load_snapshot
from directory.maps.views import actor_rows
from tests.helpers import headed_rows, login, parse


@pytest.fixture
def country(make, app):
    """Two areas of 13 actors each (three kinds, one confidential), linked within and across areas, a page of 5."""
    app.config["PER_PAGE"] = 5
    north = make.area(name="North", slug="north")
    south = make.area(name="South", slug="south")
    actors = []
    for n in range(26):
        kind = ("service", "service", "forum", "researcher")[n % 4]
        actors.append(make.actor(kind, area=north if n % 2 else south, name=f"{'abcdefghij'[n % 10]}ctor {n:02d}",
                                 stages=[1 + n % 7] if kind == "service" else (), confidential=n == 4,
                                 latitude=52.1 + n / 100, longitude=-1.2))
    make.actor("service", area=north, name="Aaa pending", status="pending")
    services = [a for a in actors if a.kind == "service"]
    for n in range(0, 24, 4):
        make.link(actors[n], "refers_to", actors[n + 1])  # 00 -> 01, 04 -> 05, ...
    for n, a in enumerate(actors):
        if a.kind == "service" and (n // 4) * 4 + 2 < 26:
            make.link(a, "member_of", actors[(n // 4) * 4 + 2], status="proposed" if n % 3 == 0 else "confirmed")
        if a.kind == "researcher":
            make.link(a, "evaluates", services[(n * 7) % len(services)], status="proposed" if n % 2 else "confirmed")
    return {"north": north, "south": south, "actors": actors}


def _rows_on_page(html: str) -> list[tuple[str, str]]:
    """(actor name, the rest of its row's text) for each row of the list's table."""
    return [(row.name, row.rest) for row in headed_rows(parse(html), r"/actors/\d+")]


def _counts(actors: int, links: int) -> str:
    return f"{actors} actor{'' if actors == 1 else 's'} and {links} link{'' if links == 1 else 's'}"


def _expected(f: SnapshotFilter, page: int, per_page: int = 5) -> tuple[list[str], int, int]:
    """The page's names, the actor count and the link count, worked out from the whole snapshot."""
    whole = load_snapshot(f, with_barriers=False)
    rows = actor_rows(whole)
    return [r["name"] for r in rows[(page - 1) * per_page:page * per_page]], len(rows), len(whole.links)


@pytest.mark.parametrize("query, f", [
    ("", SnapshotFilter()),
    ("kind=service&kind=researcher", SnapshotFilter(kinds=frozenset({"service", "researcher"}))),
    ("link_kind=member_of&stage=3", SnapshotFilter(link_kinds=frozenset({"member_of"}), stage=3)),
])
def test_every_page_of_the_national_list_is_the_same_as_the_whole_list_cut_into_pages(client, country, query, f):
    names, total, links = _expected(f, 1)
    pages = -(-total // 5)
    seen = []
    for page in range(1, pages + 1):
        r = client.get(f"/map/list?{query}&page={page}")
        assert r.status_code == 200
        assert _counts(total, links) in r.text
        on_page = [name for name, _ in _rows_on_page(r.text)]
        assert on_page == _expected(f, page)[0]
        seen += on_page
    assert len(seen) == total == len(set(seen))
    assert "Aaa pending" not in seen
    assert f"There is no page {pages + 1}" in client.get(f"/map/list?{query}&page={pages + 1}").text


def test_a_page_lists_links_to_actors_on_other_pages_and_confidential_services_at_the_centre(client, country):
    actors = country["actors"]
    # "actor 20" is on the first page; "bctor 21", at the other end of its referral, is on the second.
    first = dict(_rows_on_page(client.get("/map/list").text))
    second = dict(_rows_on_page(client.get("/map/list?page=2").text))
    assert "Outgoing: refers to bctor 21 (service)" in first["actor 20"]
    assert "Incoming: refers to actor 20 (service)" in second["bctor 21"]
    everything = {}
    for page in range(1, 7):
        everything.update(_rows_on_page(client.get(f"/map/list?page={page}").text))
    assert "Confidential location" in everything["ector 04"]
    assert "proposed" not in " ".join(everything.values())
    assert actors[20].name == "actor 20"


def test_an_admin_sees_proposed_links_on_the_list_and_an_area_list_is_paged_the_same_way(client, country, make):
    make.user("admin@example.org", admin=True)
    login(client, "admin@example.org")
    f = SnapshotFilter(include_proposed=True)
    names, total, links = _expected(f, 2)
    r = client.get("/map/list?proposed=y&page=2")
    assert [n for n, _ in _rows_on_page(r.text)] == names
    assert _counts(total, links) in r.text
    everything = " ".join(text for p in range(1, 7) for _, text in _rows_on_page(
        client.get(f"/map/list?proposed=y&page={p}").text))
    assert "proposed)" in everything
    north = country["north"]
    f = SnapshotFilter(area_id=north.id, include_proposed=True)
    names, total, links = _expected(f, 2)
    r = client.get("/areas/north/network/table?proposed=y&page=2")
    assert [n for n, _ in _rows_on_page(r.text)] == names
    assert _counts(total, links) in r.text


def test_a_page_reads_only_its_own_actors_and_their_partners(client, country, app):
    """The actors' details are read for the page (5) and the other ends of its links, never for all 26."""
    statements = []

    def _before(_conn, _cursor, statement, parameters, *_args):
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", _before)
    try:
        assert client.get("/map/list?page=3").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", _before)
    reads = [(s, p) for s, p in statements if "actor.latitude" in s]
    assert reads, "the actors' details were not read"
    for statement, parameters in reads:
        assert re.search(r"actor\.id IN \(", statement), statement
        assert len(parameters) <= 5 * 3, parameters
    assert date.today()  # the list has no date-dependent part
