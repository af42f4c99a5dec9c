"""The two searches: partner sites for researchers, researchers for services."""
from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import access
from ..extensions import db
from ..mapping import json_for_script
from ..models import Actor, Management
from ..pagination import ListPagination, paginate_list
from ..public.queries import all_areas
from . import queries
from .blueprint import bp
from .forms import PartnerSearchForm, ResearcherSearchForm
from .ranking import PartnerQuery, ResearcherQuery, rank_researchers, rank_services, service_point


def _map_points(pagination: ListPagination) -> list[list]:
    """[rank, name, lat, lon, approximate, url] for each result on this page that has a point."""
    points = []
    first = (pagination.page - 1) * pagination.per_page
    for n, result in enumerate(pagination.items, start=first + 1):
        point, approximate = service_point(result.service)
        if point is not None:
            points.append([n, result.service.name, round(point[0], 5), round(point[1], 5), approximate,
                           url_for("public.actor", actor_id=result.service.id)])
    return points


def _activity_areas(areas, chosen) -> list:
    """Areas whose research activity the user may see: those they coordinate (admins: the one chosen)."""
    if not current_user.is_authenticated:
        return []
    mine = access.moderated_area_ids()
    shown = [a for a in areas if a.id in mine]
    if current_user.is_admin and chosen is not None and chosen not in shown:
        shown.insert(0, chosen)
    return shown


@bp.get("/research/partners")
def partner_search():
    """Services open to research, ranked for the researcher's topics and filters, as a list and a map."""
    areas = all_areas()
    form = PartnerSearchForm(request.args, areas=areas)
    if request.args and not form.validate():
        return render_template("partners/search.html", form=form, pagination=None, points=[]), 400
    area = next((a for a in areas if a.slug == form.area.data), None)
    stages = frozenset(int(s) for s in form.stage.data or ())
    query = PartnerQuery(
        topics=form.topics.data or "", area_id=area.id if area else None, point=form.point,
        max_km=form.within_km.data if form.point else None,
        service_types=frozenset(form.service_type.data or ()), stages=stages,
        client_groups=frozenset(form.client_group.data or ()), pie_themes=frozenset(form.pie_theme.data or ()))
    candidates = queries.service_candidates(
        area_id=query.area_id, service_types=sorted(query.service_types), stages=sorted(stages),
        client_groups=sorted(query.client_groups))
    pagination = paginate_list(rank_services(query, candidates), form.page.data or 1,
                               current_app.config["PER_PAGE"])
    points = _map_points(pagination)
    return render_template("partners/search.html", form=form, pagination=pagination, points=points,
                           points_json=json_for_script(points), area=area,
                           activity_areas=_activity_areas(areas, area))


def _my_active_services() -> list[Actor]:
    """Active services the signed-in user manages (to invite a researcher from)."""
    if not current_user.is_authenticated:
        return []
    mine = select(Management.actor_id).where(Management.user_id == current_user.id)
    return list(db.session.scalars(select(Actor).where(
        Actor.id.in_(mine), Actor.kind == "service", Actor.status == "active").order_by(Actor.name)).unique())


@bp.get("/research/researchers")
def researcher_search():
    """Researchers ranked for a service's interests and engagement types."""
    areas = all_areas()
    form = ResearcherSearchForm(request.args, areas=areas)
    services = _my_active_services()
    if request.args and not form.validate():
        return render_template("partners/researchers.html", form=form, pagination=None,
                               services=services), 400
    area = next((a for a in areas if a.slug == form.area.data), None)
    query = ResearcherQuery(interests=form.interests.data or "",
                            engagement_types=frozenset(form.engagement.data or ()),
                            seeking_only=not form.include_all.data, area_id=area.id if area else None)
    candidates = queries.researcher_candidates(area_id=query.area_id,
                                               engagement_types=sorted(query.engagement_types),
                                               seeking_only=query.seeking_only)
    pagination = paginate_list(rank_researchers(query, candidates), form.page.data or 1,
                               current_app.config["PER_PAGE"])
    return render_template("partners/researchers.html", form=form, pagination=pagination, services=services)
