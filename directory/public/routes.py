"""Public pages: home, directory, actor detail, areas."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from .. import access, vocab
from ..pagination import paginate
from . import queries
from .forms import DirectoryFilterForm

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    """What the directory is, a search box, counts and the way in."""
    return render_template(
        "public/home.html",
        counts=queries.counts_by_kind(),
        areas=queries.all_areas(),
        form=DirectoryFilterForm(formdata=None),
    )


@bp.get("/directory")
def directory():
    """Search and filter active actors, a page at a time."""
    areas = queries.all_areas()
    form = DirectoryFilterForm(request.args, area_choices=[(a.slug, a.name) for a in areas])
    if request.args and not form.validate():
        return render_template("public/directory.html", form=form, pagination=None, areas=areas), 400
    area = next((a for a in areas if a.slug == form.area.data), None)
    stmt = queries.directory_query(
        q=form.q.data or "", kind=form.kind.data or "", area_id=area.id if area else None,
        service_type=form.service_type.data or "", stage=form.stage.data or "",
        client_group=form.client_group.data or "", open_to_research=form.open_to_research.data,
    )
    pagination = paginate(stmt, page=form.page.data or 1, per_page=current_app.config["PER_PAGE"])
    return render_template("public/directory.html", form=form, pagination=pagination, areas=areas)


@bp.get("/actors/<int:actor_id>")
def actor(actor_id: int):
    """One actor: its fields, its confirmed links both ways, forums, barriers, freshness."""
    record = access.get_actor_or_404(actor_id)
    links = queries.confirmed_links(record.id)
    forums = [l.target for l in links if l.source_id == record.id and l.kind in vocab.MEMBERSHIP_LINK_KINDS]
    return render_template(
        "public/actor.html",
        actor=record,
        link_groups=queries.group_links(record.id, links),
        forums=forums,
        barriers=queries.visible_barriers(record.id, access.barrier_scope()),
        can_edit=access.can_edit(record),
    )


@bp.get("/areas")
def areas():
    """Every area with its counts."""
    return render_template("public/areas.html", areas=queries.all_areas())


@bp.get("/areas/<slug>")
def area(slug: str):
    """One area: counts, pathway coverage and forums."""
    record = access.get_area_or_404(slug)
    return render_template(
        "public/area.html",
        area=record,
        counts=queries.counts_by_kind(record.id),
        stages=queries.stage_counts(record.id),
        forums=queries.area_forums(record.id),
    )
