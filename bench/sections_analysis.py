"""Bench section "analysis": one area's analysis page and the national ranking of areas by their gaps.

bench/run.py exec's this file in a fresh namespace, so it defines its own small helpers.
Targets (issue 5): one area's analysis under 200 ms median; the national ranking under 10 s.
"""
import statistics
import time

from sqlalchemy import event, func, select

from directory.extensions import db
from directory.models import Actor, Area


def _timed(fn, runs):
    """Median and 95th percentile of fn() in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2), "runs": runs}


def _queries(fn):
    """How many SQL statements fn() runs."""
    seen = []

    def listener(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def _get(client, url):
    def go():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response
    return go


def bench_analysis(app, client):
    """Time the busiest generated area's analysis page (and its CSV) and the national ranking."""
    busiest = db.session.execute(
        select(Area.slug, func.count(Actor.id)).join(Actor, Actor.area_id == Area.id)
        .where(Area.slug.like("gen-%")).group_by(Area.id, Area.slug)
        .order_by(func.count(Actor.id).desc(), Area.slug).limit(1)
    ).first()
    slug = busiest.slug if busiest else db.session.scalar(select(Area.slug).order_by(Area.id).limit(1))
    out = {}
    for name, url, runs in (("area_analysis_page", f"/areas/{slug}/analysis", 15),
                            ("area_analysis_csv", f"/areas/{slug}/analysis.csv", 15),
                            ("national_ranking", "/analysis", 3)):
        fn = _get(client, url)
        out[name] = {"url": url, **_timed(fn, runs), "queries": _queries(fn),
                     "kb": round(len(fn().data) / 1024, 1)}
    out["area_analysis_page"]["actors_in_area"] = busiest[1] if busiest else None
    out["area_analysis_page"]["target_ms"] = 200
    out["national_ranking"]["target_ms"] = 10000
    out["national_ranking"]["areas"] = db.session.scalar(select(func.count(Area.id)))
    return out


SECTIONS = {"analysis": bench_analysis}
