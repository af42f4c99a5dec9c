"""Bench section "analysis": one area's analysis page and the national ranking of areas by their gaps.

Targets (issue 5): one area's analysis under 200 ms median; the national ranking under 10 s.
"""
from sqlalchemy import func, select

from benchlib import against_target, measure_page, page, peak_mb
from directory.extensions import db
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
                            ("national_ranking", "/analysis", 3)):
        out[name] = measure_page(client, url, runs)
    out["area_analysis_page"]["actors_in_area"] = busiest[1] if busiest else None
    against_target(out["area_analysis_page"], 200)
    against_target(out["national_ranking"], 10000)
    out["national_ranking"]["peak_python_mb"] = peak_mb(page(client, "/analysis"))
    out["national_ranking"]["areas"] = db.session.scalar(select(func.count(Area.id)))
    return out


SECTIONS = {"analysis": bench_analysis}
