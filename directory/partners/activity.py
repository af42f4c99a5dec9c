"""Research activity in an area, for its coordinators and admins: partnerships proposed, active, ended."""
from __future__ import annotations

from flask import render_template, request
from flask_login import login_required
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from .. import access, vocab
from ..extensions import db
from ..models import Actor, Collaboration, actor_areas
from ..pagination import page_from_request
from .blueprint import bp

# Tab key -> (heading, link status).
TABS = {
    "proposed": ("Proposed", "proposed"),
    "active": ("Active", "confirmed"),
    "ended": ("Ended", "ended"),
    "declined": ("Declined", "declined"),
}
SHOWN_STATUSES = ("active", "archived")  # pending or rejected records are not part of the picture


def _research_links(area_id: int):
    """SQL: research links with an end in the area (home or served), both ends active or archived."""
    in_area = (select(Actor.id).where(Actor.area_id == area_id)
               .union(select(actor_areas.c.actor_id).where(actor_areas.c.area_id == area_id)))
    source, target = aliased(Actor), aliased(Actor)
    return (select(Collaboration)
            .join(source, source.id == Collaboration.source_id)
            .join(target, target.id == Collaboration.target_id)
            .where(Collaboration.kind.in_(sorted(vocab.RESEARCH_LINK_KINDS)),
                   or_(Collaboration.source_id.in_(in_area), Collaboration.target_id.in_(in_area)),
                   source.status.in_(SHOWN_STATUSES), target.status.in_(SHOWN_STATUSES)))


@bp.get("/areas/<slug>/research")
@login_required
def area_research(slug: str):
    """Research partnerships of an area by status, with the parties (never the private messages)."""
    area = access.get_area_or_404(slug, coordinated="its research activity")
    show = request.args.get("show", "proposed")
    if show not in TABS:
        show = "proposed"
    links = _research_links(area.id)
    counted = _counts(links)
    page = page_from_request()
    stmt = (links.where(Collaboration.status == TABS[show][1])
            .order_by(Collaboration.updated_at.desc(), Collaboration.id.desc()))
    pagination = db.paginate(stmt, page=page, per_page=25, error_out=False)
    return render_template("partners/activity.html", area=area, show=show, tabs=TABS, counts=counted,
                           pagination=pagination)


def _counts(links) -> dict[str, int]:
    """{tab key: number of links}, in one query."""
    sub = links.with_only_columns(Collaboration.status).subquery()
    found = dict(db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all())
    return {key: found.get(status, 0) for key, (_label, status) in TABS.items()}
