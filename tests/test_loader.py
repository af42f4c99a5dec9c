"""The snapshot loader and the actor page's neighbourhood loader: what they include, and how many queries."""
from __future__ import annotations

from directory.access import BarrierScope
from directory.extensions import db
from directory.loader import SnapshotFilter, load_snapshot
from directory.maps.neighbourhood import actor_neighbourhood


def _area_with(make, n_services: int):
    """An area with a forum, a researcher and n services, each a member of the forum and referring onward."""
    area = make.area()
    forum = make.actor("forum", area=area)
    researcher = make.actor("researcher", area=area)
    previous = None
    services = []
    for i in range(n_services):
        s = make.actor("service", area=area, stages=[1 + i % 7], client_groups=["women"])
        make.link(s, "member_of", forum)
        if previous is not None:
            make.link(previous, "refers_to", s)
        previous = s
        services.append(s)
    make.link(researcher, "evaluates", services[0])
    make.barrier(services[0])
    return area, forum, services


def test_loader_query_count_does_not_grow_with_the_area(app, make, count_queries):
    small, _, _ = _area_with(make, 5)
    big, _, _ = _area_with(make, 60)
    counts = []
    for area in (small, big):
        db.session.expire_all()
        with count_queries() as statements:
            snap = load_snapshot(SnapshotFilter(area_id=area.id, include_proposed=True))
        counts.append(len(statements))
        assert snap.actors and snap.links and snap.barriers
    assert counts[0] == counts[1]
    assert counts[0] <= 6
    db.session.expire_all()
    with count_queries() as national:
        snap = load_snapshot(SnapshotFilter(area_id=None))
    assert len(national) == counts[0] - 1  # no area row to read
    assert len(snap.actors) == 5 + 60 + 4


def test_actor_neighbourhood_query_count_does_not_grow(app, make, count_queries):
    _, small_forum, _ = _area_with(make, 5)
    _, big_forum, _ = _area_with(make, 60)
    counts = []
    for forum, n in ((small_forum, 5), (big_forum, 60)):
        db.session.expire_all()
        forum = db.session.get(type(forum), forum.id)
        with count_queries() as statements:
            snap = actor_neighbourhood(forum)
        counts.append(len(statements))
        assert len(snap.actors) == n + 1 and len(snap.links) == n
        assert all(a.stages for a in snap.actors.values() if a.kind == "service")
    assert counts[0] == counts[1] <= 2


def test_actor_page_with_its_map_runs_a_fixed_number_of_queries(client, make, count_queries):
    _, small_forum, _ = _area_with(make, 5)
    _, big_forum, _ = _area_with(make, 60)
    counts = []
    for forum in (small_forum, big_forum):
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(f"/actors/{forum.id}")
        assert response.status_code == 200 and "On the map" in response.text
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_filters_by_kind_link_kind_and_stage(app, make):
    area = make.area()
    forum = make.actor("forum", area=area)
    researcher = make.actor("researcher", area=area)
    early = make.actor("service", area=area, stages=[1], service_types=["housing_options"])
    late = make.actor("service", area=area, stages=[6], service_types=["advice_advocacy"])
    make.link(early, "member_of", forum)
    make.link(early, "refers_to", late)
    make.link(researcher, "evaluates", early)

    only_services = load_snapshot(SnapshotFilter(area_id=area.id, kinds=frozenset({"service"})))
    assert set(only_services.actors) == {early.id, late.id}
    assert [l.kind for l in only_services.links] == ["refers_to"]

    pathway = load_snapshot(SnapshotFilter(area_id=area.id, link_kinds=frozenset({"refers_to"})))
    assert set(pathway.actors) == {forum.id, researcher.id, early.id, late.id}
    assert [l.kind for l in pathway.links] == ["refers_to"]

    stage_one = load_snapshot(SnapshotFilter(area_id=area.id, stage=1))
    assert set(stage_one.actors) == {forum.id, researcher.id, early.id}  # forums and researchers stay
    assert {l.kind for l in stage_one.links} == {"member_of", "evaluates"}

    advice = load_snapshot(SnapshotFilter(area_id=area.id, service_type="advice_advocacy"))
    assert set(advice.actors) == {forum.id, researcher.id, late.id}


def test_proposed_links_only_when_asked_and_never_declined_or_ended(app, make):
    area = make.area()
    a, b = make.actor("service", area=area), make.actor("service", area=area)
    make.link(a, "refers_to", b)
    make.link(a, "trains", b, status="proposed")
    make.link(b, "refers_to", a, status="declined")
    make.link(b, "supervises", a, status="ended")
    plain = load_snapshot(SnapshotFilter(area_id=area.id))
    assert [l.kind for l in plain.links] == ["refers_to"]
    with_proposed = load_snapshot(SnapshotFilter(area_id=area.id, include_proposed=True))
    assert sorted((l.kind, l.status) for l in with_proposed.links) == [("refers_to", "confirmed"),
                                                                       ("trains", "proposed")]


def test_pending_and_archived_actors_are_left_out(app, make):
    area = make.area()
    live = make.actor("service", area=area)
    pending = make.actor("service", area=area, status="pending")
    archived = make.actor("service", area=area, status="archived")
    make.link(live, "refers_to", pending)
    make.link(archived, "refers_to", live)
    snap = load_snapshot(SnapshotFilter(area_id=area.id))
    assert set(snap.actors) == {live.id}
    assert snap.links == []


def test_confidential_service_is_at_its_area_centre(app, make):
    area = make.area(centre_lat=52.5, centre_lon=-1.9)
    refuge = make.actor("service", area=area, confidential=True, latitude=52.4321, longitude=-1.8765)
    snap = load_snapshot(SnapshotFilter(area_id=area.id))
    node = snap.actors[refuge.id]
    assert (node.lat, node.lon) == (52.5, -1.9) and node.confidential
    neighbour = make.actor("forum", area=area)
    make.link(refuge, "member_of", neighbour)
    around = actor_neighbourhood(neighbour)
    assert (around.actors[refuge.id].lat, around.actors[refuge.id].lon) == (52.5, -1.9)
    own = actor_neighbourhood(db.session.get(type(refuge), refuge.id))
    assert (own.actors[refuge.id].lat, own.actors[refuge.id].lon) == (52.5, -1.9)


def test_actors_serving_the_area_are_included(app, make):
    home, other = make.area(), make.area()
    local = make.actor("service", area=home)
    visitor = make.actor("service", area=other)
    visitor.areas_served.append(home)
    db.session.commit()
    make.link(visitor, "refers_to", local)
    snap = load_snapshot(SnapshotFilter(area_id=home.id))
    assert set(snap.actors) == {local.id, visitor.id}
    assert home.id in snap.actors[visitor.id].area_ids
    assert len(snap.links) == 1
    assert set(load_snapshot(SnapshotFilter(area_id=other.id)).actors) == {visitor.id}


def test_neighbourhood_has_confirmed_links_to_active_actors_only(app, make):
    area = make.area()
    me = make.actor("service", area=area, stages=[3])
    friend = make.actor("service", area=area, stages=[4, 5])
    hopeful = make.actor("service", area=area)
    gone = make.actor("forum", area=area, status="archived")
    make.link(me, "refers_to", friend)
    make.link(friend, "co_located", me)
    make.link(me, "trains", hopeful, status="proposed")
    make.link(me, "member_of", gone)
    snap = actor_neighbourhood(me)
    assert set(snap.actors) == {me.id, friend.id}
    assert sorted(l.kind for l in snap.links) == ["co_located", "refers_to"]
    assert snap.actors[friend.id].stages == (4, 5) and snap.actors[me.id].stages == (3,)


def test_a_filters_cache_key_is_the_same_in_every_process():
    """Sets are iterated in an order that changes with PYTHONHASHSEED; the key must not."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import json; from directory.loader import SnapshotFilter as F; "
            "print(json.dumps(F(kinds=frozenset({'service', 'forum'}), link_kinds=frozenset({'trains', 'refers_to', "
            "'member_of'}), stage=3).key()))")
    root = Path(__file__).resolve().parents[1]
    keys = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(1, 4)}
    assert len(keys) == 1 and '"kinds": ["forum", "service"]' in keys.pop()


def test_whole_area_brings_the_links_that_leave_it_and_their_far_ends(app, make, count_queries):
    home, away = make.area(name="Homeshire"), make.area(name="Awayshire")
    local = make.actor("service", area=home, stages=[3])
    partner = make.actor("service", area=away, stages=[4])
    stranger = make.actor("service", area=away, stages=[4])
    waiting = make.actor("service", area=away, stages=[5])
    make.link(local, "refers_to", partner)
    make.link(stranger, "co_located", partner)  # wholly elsewhere: not brought in
    make.link(waiting, "refers_to", local, status="proposed")
    db.session.expire_all()
    with count_queries() as statements:
        snap = load_snapshot(SnapshotFilter.whole_area(home.id, BarrierScope()))
    assert set(snap.actors) == {local.id, partner.id, waiting.id}
    assert snap.outside == {partner.id, waiting.id}
    assert sorted((l.source_id, l.target_id, l.status) for l in snap.links) == sorted(
        [(local.id, partner.id, "confirmed"), (waiting.id, local.id, "proposed")])
    assert snap.area_names == {away.id: "Awayshire"}
    assert len(statements) <= 11  # the five of a plain snapshot and the area, then leaving links, far ends (3), areas
    plain = load_snapshot(SnapshotFilter(area_id=home.id))
    assert set(plain.actors) == {local.id} and not plain.outside and not plain.links
