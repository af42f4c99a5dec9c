"""Stale records and links of an area, for its coordinators and admins."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import or_, select

from .. import access
from ..extensions import db
from ..models import Actor, Collaboration
from ..pagination import page_from_request
from .blueprint import bp
from .helpers import managed_ids, stale_cutoff


@bp.get("/areas/<slug>/stale")
@login_required
def stale(slug: str):
    """Records and confirmed links of an area not confirmed for 12 months, a page at a time."""
    area = access.get_area_or_404(slug, coordinated="this page")
    show = "links" if request.args.get("show") == "links" else "records"
    cutoff = stale_cutoff()
    records = (select(Actor).where(Actor.area_id == area.id, Actor.status == "active",
                                   or_(Actor.verified_at.is_(None), Actor.verified_at < cutoff))
               .order_by(Actor.verified_at, Actor.name, Actor.id))
    in_area = select(Actor.id).where(Actor.area_id == area.id)
    links = (select(Collaboration).where(
        Collaboration.status == "confirmed",
        or_(Collaboration.last_confirmed.is_(None), Collaboration.last_confirmed < cutoff),
        or_(Collaboration.source_id.in_(in_area), Collaboration.target_id.in_(in_area)))
        .order_by(Collaboration.last_confirmed, Collaboration.id))
    pagination = db.paginate(records if show == "records" else links, page=page_from_request(), per_page=25,
                             error_out=False)
    parties = _party_to(pagination.items) if show == "links" else set()
    return render_template("manage/stale.html", area=area, show=show, pagination=pagination, parties=parties)


def _party_to(links: list[Collaboration]) -> set[int]:
    """Ids of the links the current user may re-confirm (manager or moderator of an end), in two queries."""
    mine, areas = managed_ids(current_user), access.moderated_area_ids()
    return {l.id for l in links if current_user.is_admin or {l.source_id, l.target_id} & mine
            or {l.source.area_id, l.target.area_id} & areas}
