"""Benchmark the map builders against plain folium done the obvious way.

    python bench/bench_map.py [--runs N] [--naive-runs N] [--skip-naive-national]

prints a JSON dict of timings (median of N runs, seconds) and HTML sizes
(bytes) for an area snapshot (150 actors, 700 links) and a national one
(20,000 actors, 100,000 links), both synthetic.

``bench_map_builders(snapshot_area, snapshot_national)`` is the function to
call with real snapshots (bench/run.py passes the loader's snapshots).

Targets (design section 7, product card): national map built in under 2 s and
under 5 MB of HTML; an area map in under 100 ms and 300 KB. Timings here are
server-side only (building the HTML); drawing in the browser is not measured.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from directory.mapping import build_map, graph_data, map_data, json_for_script  # noqa: E402
from directory.snapshot import ActorNode, AreaInfo, LinkEdge, Snapshot  # noqa: E402
from directory.vocab import FORUM_TYPES, LINK_KINDS  # noqa: E402

TARGETS = {
    "area": {"seconds": 0.1, "bytes": 300_000},
    "national": {"seconds": 2.0, "bytes": 5_000_000},
}
NONCE = "bench-nonce-0123456789"
TILES = "https://tiles.example.org/{z}/{x}/{y}.png"

_WORDS = ["Camden", "Riverside", "St Martin's", "Hope", "Harbour", "Northgate", "Oakfield", "Crossroads",
          "Bridge", "Haven", "Elm Court", "Lantern", "Millbrook", "Compass", "Greenway", "Anchor"]
_TYPES = ["Assessment Hub", "Night Shelter", "Housing First", "Day Centre", "Outreach Team",
          "Supported Housing", "Tenancy Support", "Advice Service", "Recovery Service", "Women's Refuge"]


def synthetic_snapshot(n_actors: int, n_links: int, *, seed: int = 1, area: bool = True,
                       spread: float = 0.1) -> Snapshot:
    """A random snapshot: 85% services, 8% forums, 7% researchers; a few confidential."""
    rnd = random.Random(seed)
    centre = (51.5, -0.12) if area else (53.5, -1.8)
    spread_lat, spread_lon = (spread, spread * 1.6) if area else (3.2, 2.2)
    actors = {}
    forum_types = FORUM_TYPES.keys()
    for i in range(1, n_actors + 1):
        r = rnd.random()
        kind = "service" if r < 0.85 else ("forum" if r < 0.93 else "researcher")
        confidential = kind == "service" and rnd.random() < 0.02
        lat = centre[0] + rnd.uniform(-spread_lat, spread_lat)
        lon = centre[1] + rnd.uniform(-spread_lon, spread_lon)
        if confidential:
            lat, lon = centre
        if kind == "service":
            name = f"{rnd.choice(_WORDS)} {rnd.choice(_TYPES)} {i}"
            stages = tuple(sorted(rnd.sample(range(1, 8), rnd.randint(1, 3))))
            subtype = ""
        elif kind == "forum":
            name = f"{rnd.choice(_WORDS)} Homelessness Forum {i}"
            stages = ()
            subtype = rnd.choice(forum_types)
        else:
            name = f"Dr {rnd.choice(_WORDS)} Research Group {i}"
            stages = ()
            subtype = "University of " + rnd.choice(_WORDS)
        actors[i] = ActorNode(
            id=i, kind=kind, name=name, lat=round(lat, 6), lon=round(lon, 6), confidential=confidential,
            stages=stages, subtype=subtype, summary="A synthetic record for benchmarking.", area_id=1,
        )
    by_kind: dict[str, list[int]] = {"service": [], "forum": [], "researcher": []}
    for a in actors.values():
        by_kind[a.kind].append(a.id)
    links = []
    kinds = LINK_KINDS.terms
    lid = 0
    while len(links) < n_links:
        lk = rnd.choice(kinds)
        src_kind = rnd.choice(sorted(lk.sources))
        tgt_kind = rnd.choice(sorted(lk.targets))
        if not by_kind[src_kind] or not by_kind[tgt_kind]:
            continue
        s, t = rnd.choice(by_kind[src_kind]), rnd.choice(by_kind[tgt_kind])
        if s == t:
            continue
        lid += 1
        links.append(LinkEdge(id=lid, kind=lk.key, source_id=s, target_id=t,
                              status="proposed" if rnd.random() < 0.1 else "confirmed"))
    area_info = AreaInfo(1, "Synthetic area", "synthetic", centre[0], centre[1], 12) if area else None
    return Snapshot(actors=actors, links=links, area=area_info)


def _median_time(fn, runs: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``runs`` calls, and the last result.

    CPU time (this process) is reported too because wall-clock time on a
    shared machine includes waiting for the processor.
    """
    walls, cpus, result = [], [], None
    for _ in range(max(1, runs)):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), result


def _ours(snapshot: Snapshot) -> str:
    parts = build_map(snapshot, tiles_url=TILES, attribution="Map data: OpenStreetMap contributors",
                      static_url=lambda f: "/static/" + f, nonce=NONCE)
    return parts["head"] + parts["body"] + parts["script"]


def _naive_folium(snapshot: Snapshot) -> str:
    """Plain folium the obvious way (issue 4): a Marker with a Popup per actor in one MarkerCluster, a
    PolyLine per link; no tooltips.

    (Unsafe as well as slow: folium's Popup does not escape the name.)
    """
    import folium
    from folium.plugins import MarkerCluster

    area = snapshot.area
    location = [area.lat, area.lon] if area else [54.0, -2.5]
    m = folium.Map(location=location, zoom_start=area.zoom if area else 6, tiles=TILES, attr="OSM")
    cluster = MarkerCluster().add_to(m)
    points = {}
    for a in snapshot.actors.values():
        if a.lat is None or a.lon is None:
            continue
        points[a.id] = (a.lat, a.lon)
        folium.Marker([a.lat, a.lon], popup=folium.Popup(f"<b>{a.name}</b><br>{a.kind}")).add_to(cluster)
    for link in snapshot.links:
        if link.source_id in points and link.target_id in points:
            folium.PolyLine([points[link.source_id], points[link.target_id]], weight=2).add_to(m)
    return m.get_root().render()


def _measure(name: str, fn, snapshot: Snapshot, runs: int, target: dict | None) -> dict:
    seconds, cpu_seconds, html = _median_time(lambda: fn(snapshot), runs)
    size = len(html.encode("utf-8"))
    out = {
        "builder": name,
        "actors": len(snapshot.actors),
        "links": len(snapshot.links),
        "runs": max(1, runs),
        "median_seconds": round(seconds, 4),
        "median_cpu_seconds": round(cpu_seconds, 4),
        "html_bytes": size,
    }
    if target:
        out["target_seconds"] = target["seconds"]
        out["target_bytes"] = target["bytes"]
        out["within_target"] = seconds <= target["seconds"] and size <= target["bytes"]
    return out


def bench_map_builders(snapshot_area: Snapshot, snapshot_national: Snapshot, *, runs: int = 5,
                       naive_runs: int = 1, skip_naive_national: bool = False) -> dict:
    """Time build_map and plain folium on an area and a national snapshot.

    Returns ``{"area": {...}, "national": {...}}`` where each holds ``ours``
    (build_map: median seconds, HTML bytes, target check), ``map_data_bytes``
    (the embedded JSON alone), ``graph_data_bytes`` and ``naive_folium``
    (one folium.Marker + Popup per actor in a MarkerCluster, one PolyLine per
    link), the latter None when skipped.
    """
    results = {}
    for label, snap in (("area", snapshot_area), ("national", snapshot_national)):
        entry = {"ours": _measure("build_map", _ours, snap, runs, TARGETS[label])}
        entry["map_data_bytes"] = len(str(json_for_script(map_data(snap))).encode("utf-8"))
        entry["graph_data_bytes"] = len(str(json_for_script(graph_data(snap))).encode("utf-8"))
        if label == "national" and skip_naive_national:
            entry["naive_folium"] = None
        else:
            entry["naive_folium"] = _measure("folium.Marker+PolyLine", _naive_folium, snap, naive_runs, None)
        if entry["naive_folium"]:
            n = entry["naive_folium"]
            entry["speedup"] = round(n["median_seconds"] / max(entry["ours"]["median_seconds"], 1e-9), 1)
            entry["size_ratio"] = round(n["html_bytes"] / max(entry["ours"]["html_bytes"], 1), 1)
        results[label] = entry
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of build_map per snapshot (median)")
    parser.add_argument("--naive-runs", type=int, default=1, help="runs of plain folium per snapshot")
    parser.add_argument("--skip-naive-national", action="store_true",
                        help="skip plain folium on the national snapshot (it takes minutes)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    area = synthetic_snapshot(150, 700, seed=1, area=True)
    national = synthetic_snapshot(20_000, 100_000, seed=2, area=False)
    gen = time.perf_counter() - t0
    results = bench_map_builders(area, national, runs=args.runs, naive_runs=args.naive_runs,
                                 skip_naive_national=args.skip_naive_national)
    results["synthetic_generation_seconds"] = round(gen, 2)
    if hasattr(os, "getloadavg"):
        results["load_average_1m"] = round(os.getloadavg()[0], 2)
        results["cpus"] = os.cpu_count()
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
