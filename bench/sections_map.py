"""Bench section "map": the map and network pages and their data endpoints, against plain folium.

bench/bench_map.py draws plain folium the obvious way, and build_map, on the same snapshots.
Targets (issue 4): an area's map page under 100 ms median and 300 KB; the national map (every service,
with popups; links drawn when zoomed in) under 2 s and 5 MB; the loader's query count the same for a
small and a big area.
"""
from sqlalchemy import func, select

import bench_map as plain_folium
from benchlib import against_target, count_queries, measure_page, page, peak_mb
from directory.extensions import db
from directory.loader import SnapshotFilter, load_snapshot
from directory.models import Actor, Area


def _areas_by_size():
    """Generated areas with their actor counts, biggest first."""
    rows = db.session.execute(
        select(Area.id, Area.slug, func.count(Actor.id)).join(Actor, Actor.area_id == Area.id)
        .where(Actor.status == "active").group_by(Area.id, Area.slug)
        .order_by(func.count(Actor.id).desc(), Area.slug)
    ).all()
    return [r for r in rows if r.slug.startswith("gen-")] or rows


def bench_map(app, client):
    """Time the map, network and data pages of the busiest area and the national map; plain folium beside."""
    areas = _areas_by_size()
    big, small = areas[0], areas[-1]
    slug = big.slug
    out = {}
    pages = (
        ("area_map_page", f"/areas/{slug}/map", 15, 100, 300),
        ("area_map_gaps_page", f"/areas/{slug}/map?gaps=1", 15, None, None),
        ("area_map_list_page", f"/areas/{slug}/map/list", 15, None, None),
        ("area_network_page", f"/areas/{slug}/network", 15, None, None),
        ("area_network_table", f"/areas/{slug}/network/table", 15, None, None),
        ("area_geojson", f"/areas/{slug}/map.geojson", 15, None, None),
        ("area_graph_json", f"/areas/{slug}/graph.json", 15, None, None),
        ("national_map_page", "/map", 3, 2000, 5 * 1024),
        ("national_geojson", "/map.geojson", 3, None, None),
    )
    for name, url, runs, target_ms, target_kb in pages:
        entry = measure_page(client, url, runs)
        out[name] = against_target(entry, target_ms, target_kb) if target_ms else entry
    out["area_map_page"]["actors_in_area"] = big[2]
    out["national_map_page"]["peak_python_mb"] = peak_mb(page(client, "/map"))

    area_snapshot = load_snapshot(SnapshotFilter(area_id=big.id, include_proposed=True), with_barriers=False)
    national_snapshot = load_snapshot(SnapshotFilter(area_id=None, include_proposed=True), with_barriers=False)
    out["snapshots"] = {"area_actors": len(area_snapshot.actors), "area_links": len(area_snapshot.links),
                        "national_actors": len(national_snapshot.actors),
                        "national_links": len(national_snapshot.links)}
    # build_map and plain folium (a Marker + Popup per actor in a MarkerCluster, a PolyLine per link) on
    # the very same snapshots; "speedup" and "size_ratio" are plain folium's time and size over ours.
    builders = plain_folium.bench_map_builders(area_snapshot, national_snapshot, runs=5, naive_runs=1)
    for label in ("area", "national"):
        entry = builders[label]
        ours, naive = entry["ours"], entry["naive_folium"]
        whole_page = out["area_map_page" if label == "area" else "national_map_page"]
        out[f"{label}_build_map"] = {"median_ms": round(ours["median_seconds"] * 1000, 2),
                                     "kb": round(ours["html_bytes"] / 1024, 1)}
        out[f"{label}_plain_folium"] = {
            "median_ms": round(naive["median_seconds"] * 1000, 2), "kb": round(naive["html_bytes"] / 1024, 1),
            "runs": naive["runs"], "slower_than_build_map": entry.get("speedup"),
            "bigger_than_build_map": entry.get("size_ratio"),
            "slower_than_our_whole_page": round(naive["median_seconds"] * 1000 / max(whole_page["median_ms"], 1e-6), 1),
            "bigger_than_our_whole_page": round(naive["html_bytes"] / 1024 / max(whole_page["kb"], 1e-6), 1),
        }

    def loader(area_id):
        return lambda: load_snapshot(SnapshotFilter(area_id=area_id, include_proposed=True))

    out["loader_queries"] = {"small_area_actors": small[2], "small_area": count_queries(loader(small.id)),
                             "big_area_actors": big[2], "big_area": count_queries(loader(big.id)),
                             "national": count_queries(loader(None))}
    return out


SECTIONS = {"map": bench_map}
