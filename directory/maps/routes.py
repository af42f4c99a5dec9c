"""The map, the network view, their list and table alternatives and their data endpoints.

Who sees what (the same on pages and data endpoints): active actors only; confirmed links only,
except that an area's moderators (coordinators of its forums) and admins may tick "include proposed
links" (on the national map, admins only) and then see proposed links drawn dashed and labelled
"proposed". The gaps overlay shows the barrier reports `access.barrier_scope` lets the viewer see, as
the analysis page does. Contact emails never enter a snapshot, and a confidential service is placed at
its area's centre.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from flask import (Blueprint, Response, abort, current_app, g, make_response, redirect, render_template, request,
                   url_for)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from .. import access, datacache
from .. import analysis as A
from ..costly import count_build, national_page_limit
from ..extensions import db
from ..loader import SnapshotFilter, count_snapshot, load_page, load_snapshot
from ..mapping import build_map, geojson, graph_data, json_for_script, legend_tables
from ..models import Area
from ..snapshot import Snapshot
from ..pagination import page_of_rows
from .forms import MapFilterForm
from .neighbourhood import actor_mini_map, actor_url_template
from .views import actor_rows, gap_overlay

bp = Blueprint("maps", __name__)


@bp.record_once
def _template_helpers(state) -> None:
    """The actor page's small map is drawn by templates/maps/_actor_map.html through this global."""
    state.app.jinja_env.globals["actor_mini_map"] = actor_mini_map


def may_see_proposed(area: Area | None) -> bool:
    """Admins anywhere; an area's moderators (coordinators of its forums) on that area's map."""
    if not current_user.is_authenticated:
        return False
    return bool(current_user.is_admin or (area is not None and area.id in access.moderated_area_ids()))


def _filter_form(area: Area | None, *, national_ok: bool = True) -> tuple[MapFilterForm, bool]:
    """The filter form read from the query string, and whether it is valid."""
    areas = db.session.execute(select(Area.slug, Area.name).order_by(Area.name, Area.id)).all()
    form = MapFilterForm(request.args, area_choices=[(a.slug, a.name) for a in areas])
    if not national_ok:
        form.area.choices = form.area.choices[1:]
    if "area" not in request.args:
        form.area.data = area.slug if area else ""
    valid = form.validate()
    if not may_see_proposed(area):
        form.proposed.data = False  # documented in the module docstring: the public never sees proposed links
    if area is None:
        form.gaps.data = False  # the gaps overlay is worked out for one area
    return form, valid


def _query_string(exclude=("page",)) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in exclude]
    return ("?" + urlencode(args)) if args else ""


@dataclass
class MapRequest:
    """A map, list or network page's request, read once: its area, filters and what the page's template needs."""

    area: Area | None
    form: MapFilterForm
    filters: SnapshotFilter
    context: dict

    @property
    def gaps(self) -> bool:
        """Is the gaps overlay asked for (and possible: it is worked out for one area)?"""
        return bool(self.form.gaps.data and self.area is not None)

    def snapshot(self) -> Snapshot:
        return load_snapshot(self.filters, with_barriers=False)

    def overlay(self) -> tuple[dict | None, dict | None]:
        """The gaps overlay (actor id -> gap labels, actor id -> barriers in words), or (None, None) when off."""
        if not self.gaps:
            return None, None
        return gap_overlay(self.area.id, access.barrier_scope(), date.today())


def map_request(area: Area | None, template: str, endpoint: str, national_endpoint: str | None = None,
                *, national_ok: bool = True, **context) -> MapRequest:
    """Read a page's filters. A form asking for another area redirects to that area's `endpoint` (or to
    `national_endpoint` for the whole country), keeping the other filters; an invalid one answers the
    `template` (given `context` too) with its errors and a 400. Both end the request here (abort)."""
    form, valid = _filter_form(area, national_ok=national_ok)
    wanted = form.area.data or ""
    if not form.area.errors and wanted != (area.slug if area else "") and (wanted or national_endpoint):
        target = url_for(endpoint, slug=wanted) if wanted else url_for(national_endpoint)
        abort(redirect(target + _query_string(exclude=("area", "page"))))
    context.update(area=area, form=form, may_propose=may_see_proposed(area), query=_query_string())
    if not valid:
        abort(make_response(render_template(template, **context), 400))
    filters = form.snapshot_filter(area.id if area else None)
    form.tick_defaults()
    return MapRequest(area, form, filters, context)


def _map_page(area: Area | None):
    req = map_request(area, "maps/map.html", "maps.area_map", "maps.national_map")
    parts = _map_parts(req)
    return render_template("maps/map.html", mapparts=parts, actors=parts["actors"], links=parts["links"],
                           marked=parts["marked"], **req.context)


def _map_parts(req: MapRequest) -> dict:
    """The map's pieces and counts; the national map's are built once per data change (datacache)."""
    area, filters = req.area, req.filters

    def build(nonce: str) -> dict:
        snapshot = req.snapshot()
        gaps, bars = req.overlay()
        parts = build_map(
            snapshot, tiles_url=current_app.config.get("TILES_URL"),
            attribution=Markup(current_app.config.get("TILES_ATTRIBUTION") or ""),
            static_url=lambda f: url_for("static", filename=f), actor_url_template=actor_url_template(),
            nonce=nonce, label=f"Map of {area.name}" if area else "Map of every area",
            link_statuses=filters.link_statuses, gaps=gaps, barriers=bars,
            gap_marks=A.GAP_MARKS.values(), barrier_mark=A.BARRIER_MARK,
        )
        marked = {i for i in (gaps or {}) if i in snapshot.actors} | {i for i in (bars or {}) if i in snapshot.actors}
        return {**parts, "actors": len(snapshot.actors), "links": len(snapshot.links), "marked": len(marked)}

    if area is not None:
        return build(g.csp_nonce)
    settings = [filters.key(), current_app.config.get("TILES_URL"), current_app.config.get("TILES_ATTRIBUTION")]
    parts = datacache.cached("national-map", settings, lambda: build(datacache.NONCE_MARK), before_build=count_build)
    return {**parts, **{k: datacache.with_nonce(parts[k], g.csp_nonce) for k in ("head", "body", "script")}}


@bp.get("/map")
@national_page_limit
def national_map():
    """Every area's actors on one map; a selected actor's links, or every link in view once zoomed in to a town
    with "Show all links"."""
    return _map_page(None)


@bp.get("/areas/<slug>/map")
def area_map(slug: str):
    """One area's actors and links on a map, with filters and the gaps overlay."""
    return _map_page(access.get_area_or_404(slug))


def _list_page(area: Area | None, *, network: bool):
    req = map_request(area, "maps/list.html", "maps.network_table" if network else "maps.area_map_list",
                      None if network else "maps.national_map_list", national_ok=not network, network=network)
    filters, page, per_page = req.filters, req.form.page.data or 1, current_app.config["PER_PAGE"]
    part = load_page(filters, page, per_page)
    # The counts read every link: the national ones are counted once per data change.
    total_actors, total_links = (count_snapshot(filters) if area is not None else datacache.cached(
        "national-counts", [filters.key()], lambda: count_snapshot(filters), before_build=count_build))
    gaps, barriers = req.overlay()
    pagination = page_of_rows(actor_rows(part.snapshot, gaps=gaps, barriers=barriers, only=part.page_ids),
                              page, per_page, total_actors)
    return render_template("maps/list.html", pagination=pagination, links=total_links, **req.context)


@bp.get("/map/list")
@national_page_limit
def national_map_list():
    """The national map as a list: every actor shown, with its kind, stages and links, a page at a time."""
    return _list_page(None, network=False)


@bp.get("/areas/<slug>/map/list")
def area_map_list(slug: str):
    """The area map as a list: every actor shown, with kind, stages, gap labels and links."""
    return _list_page(access.get_area_or_404(slug), network=False)


@bp.get("/areas/<slug>/network/table")
def network_table(slug: str):
    """The network view as a table: each actor with its links (kind, direction, other end)."""
    return _list_page(access.get_area_or_404(slug), network=True)


@bp.get("/areas/<slug>/network")
def network(slug: str):
    """One area's actors and links as an interactive graph, with the same filters.

    Nodes can be sized by betweenness: the area analysis's figures for the whole area, shared with the analysis
    page through the same cache entry (built once per data change from the area's actors and links only)."""
    area = access.get_area_or_404(slug)
    req = map_request(area, "maps/network.html", "maps.network", national_ok=False)
    metrics = datacache.cached("area-metrics", [area.id], lambda: A.metrics(  # measures read no barrier reports
        load_snapshot(SnapshotFilter.whole_area(area.id, access.barrier_scope()), with_barriers=False)))
    graph = graph_data(req.snapshot(), actor_url_template=actor_url_template(),
                       link_statuses=req.filters.link_statuses,
                       betweenness={i: m["betweenness"] for i, m in metrics["actors"].items()})
    outliers = sorted((n for n in graph["nodes"] if not n["main"]), key=lambda n: n["label"].casefold())
    return render_template("maps/network.html", graph=json_for_script(graph), actors=len(graph["nodes"]),
                           links=len(graph["edges"]), outliers=outliers, legend=legend_tables(), **req.context)


def _json(obj, status: int = 200, cache: str = "public, max-age=60") -> Response:
    """Compact JSON (the national GeoJSON is large: no key sorting, no indentation), HTML-inert."""
    return _json_text(str(json_for_script(obj)), status, cache)


def _json_text(body: str, status: int = 200, cache: str = "public, max-age=60") -> Response:
    # json_for_script writes <, > and & as \u escapes: inert even if a browser sniffs it as HTML
    return Response(body, status=status, mimetype="application/json", headers={"Cache-Control": cache})


def _json_errors(form: MapFilterForm) -> Response:
    return _json({"errors": {name: errors for name, errors in form.errors.items()}}, 400, "no-store")


def _data(area: Area | None, build):
    form, valid = _filter_form(area)
    if not valid:
        return _json_errors(form)
    if (form.area.data or "") != (area.slug if area else ""):
        form.area.errors = ["Use the area's own address for its data"]
        return _json_errors(form)
    filters = form.snapshot_filter(area.id if area else None)

    def text() -> str:
        snapshot = load_snapshot(filters, with_barriers=False)
        return str(json_for_script(build(snapshot, actor_url_template=actor_url_template(),
                                         link_statuses=filters.link_statuses)))

    body = text() if area is not None else datacache.cached(f"national-{build.__name__}", [filters.key()], text,
                                                            before_build=count_build)
    return _json_text(body, cache="private, no-store" if filters.include_proposed else "public, max-age=60")


@bp.get("/map.geojson")
@national_page_limit
def national_geojson():
    """Every active actor (and confirmed link) as GeoJSON."""
    return _data(None, geojson)


@bp.get("/areas/<slug>/map.geojson")
def area_geojson(slug: str):
    """One area's actors and links as GeoJSON, with the map's filters."""
    return _data(access.get_area_or_404(slug), geojson)


@bp.get("/areas/<slug>/graph.json")
def area_graph(slug: str):
    """One area's actors and links as JSON nodes and edges, with the network view's filters."""
    return _data(access.get_area_or_404(slug), graph_data)
