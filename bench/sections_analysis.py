"""Bench section "analysis": one area's analysis page and the national ranking of areas by their gaps.

Targets (issues 5, 11 and 12): one area's analysis under 200 ms median; the national ranking under 10 s, built
cold (national_ranking_build) as well as served from the cache (national_ranking); the busiest area's pathway
diagram under 100 ms median and 300 KB.
"""
from datetime import date

from sqlalchemy import func, select

from benchlib import against_target, measure_page, page, peak_mb, timed
from directory import analysis as A
from directory.access import BarrierScope
from directory.extensions import db
from directory.loader import SnapshotFilter, load_snapshot
from directory.models import Actor, Area


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
                            ("area_pathway_page", f"/areas/{slug}/pathway", 15),
                            ("national_ranking", "/analysis", 3)):
        out[name] = measure_page(client, url, runs)
    out["area_analysis_page"]["actors_in_area"] = busiest[1] if busiest else None
    # The page keeps the network measures (betweenness) per data change: what the first visitor after a change
    # waits for on top of the page is this build.
    area_id = db.session.scalar(select(Area.id).where(Area.slug == slug))
    snapshot = load_snapshot(SnapshotFilter.whole_area(area_id, BarrierScope()))
    out["area_metrics_build"] = {**timed(lambda: A.metrics(A.prepare(snapshot)), 15),
                                 "note": "cold: the network measures the analysis page keeps per data change"}
    against_target(out["area_analysis_page"], 200)
    against_target(out["area_pathway_page"], 100, 300)
    out["area_pathway_page"]["actors_in_area"] = out["area_analysis_page"]["actors_in_area"]
    against_target(out["national_ranking"], 10000)
    out["national_ranking"]["peak_python_mb"] = peak_mb(page(client, "/analysis"))
    out["national_ranking"]["areas"] = db.session.scalar(select(func.count(Area.id)))
    # The page above is served from the cache after its first build: time the build itself (what the first
    # visitor after a change waits for), as the national page does it.
    areas = db.session.execute(select(Area.id, Area.name).order_by(Area.name, Area.id)).all()
    order, names = [a.id for a in areas], {a.id: a.name for a in areas}
    out["national_ranking_build"] = {
        **timed(lambda: A.rank_areas(load_snapshot(SnapshotFilter(area_id=None)), order, date.today(), names), 3),
        "note": "cold: loading the national snapshot, cutting it by area and scoring every area, uncached"}
    against_target(out["national_ranking_build"], 10000)
    return out


SECTIONS = {"analysis": bench_analysis}
