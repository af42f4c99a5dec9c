"""Area analysis ("where the pathway breaks"), its CSV and JSON downloads, and the national ranking."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy import select

from .. import access, datacache, vocab
from .. import analysis as A
from ..costly import count_build, national_page_limit
from ..diagrams import GEOMETRY, layout_pathway, summary
from ..extensions import db
from ..loader import SnapshotFilter, load_snapshot
from ..mapping import STAGE_COLOURS
from ..models import Area
from ..pagination import page_from_request, paginate_list
from . import exports
from .views import CLIENT_GROUP_RULE, analyse_area, barrier_sections, recent_changes, stale_summaries, top_actors

bp = Blueprint("analysis", __name__)


def _choice(name: str, vocabulary) -> str | None:
    """The key asked for in the query string (?name=), or None when it is missing or not in the vocabulary."""
    value = request.args.get(name) or None
    return value if value in vocabulary else None


def _client_group() -> str | None:
    """The client group asked for (?client_group=), or None for everyone (an unknown key is ignored)."""
    return _choice("client_group", vocab.CLIENT_GROUPS)


def _analysis(area: Area, *, with_metrics: bool = True, client_group: str | None = None):
    visibility = access.barrier_scope()
    snapshot = load_snapshot(SnapshotFilter.whole_area(area.id, visibility))

    def measure(net):
        # The network measures (betweenness is most of the page's time) read the area's actors and links only,
        # never the viewer's barrier reports or client group: built once per data change for everyone.
        return datacache.cached("area-metrics", [area.id], lambda: A.metrics(net))

    return analyse_area(snapshot, date.today(), measure=measure if with_metrics else None,
                        client_group=client_group), visibility


def _download(body: str, mimetype: str, area: Area, result, extension: str) -> Response:
    """The analysis as a file: analysis-<area>[-<client group>]-<date>.<extension>."""
    group = f"-{result.client_group}" if result.client_group else ""
    filename = f"analysis-{area.slug}{group}-{result.today.isoformat()}.{extension}"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.get("/areas/<slug>/analysis")
def area(slug: str):
    """Where the pathway breaks in one area: what to raise, coverage, findings, metrics and reported barriers."""
    record = access.get_area_or_404(slug)
    group = _client_group()
    result, visibility = _analysis(record, client_group=group)
    sort = request.args.get("sort", "severity")
    if sort not in A.SORT_ORDERS:
        sort = "severity"
    kind, severity = _choice("kind", A.FINDING_KINDS), _choice("severity", A.SEVERITIES)
    shown, stale = stale_summaries(result.filtered(kind, severity))
    return render_template(
        "analysis/area.html", area=record, result=result, sort=sort, visibility=visibility,
        groups=A.group_by_kind(shown, sort), stale=stale, counts=A.severity_counts(result.findings),
        kind=kind, severity=severity, filtered=bool(kind or severity), client_group=group,
        names=result.names, coverage=result.coverage_rows(), barriers=barrier_sections(result.net),
        brokers=top_actors(result.metrics, "betweenness"), top_in=top_actors(result.metrics, "in_degree"),
        top_out=top_actors(result.metrics, "out_degree"), explain=A.METRIC_EXPLANATIONS,
        kinds=A.FINDING_KINDS, severities=A.SEVERITIES, score_rule=A.SCORE_RULE, group_rule=CLIENT_GROUP_RULE,
    )


@bp.get("/areas/<slug>/analysis/pack")
def pack(slug: str):
    """The meeting pack: what to raise at the next forum, the area's score, the coverage grid and changes worth
    noting, laid out to print on at most two A4 pages."""
    record = access.get_area_or_404(slug)
    group = _client_group()
    result, _ = _analysis(record, with_metrics=False, client_group=group)
    return render_template("analysis/pack.html", area=record, result=result, client_group=group,
                           names=result.names, coverage=result.coverage_rows(),
                           changes=recent_changes(result.net, result.today), score_rule=A.SCORE_RULE,
                           group_rule=CLIENT_GROUP_RULE, severities=A.SEVERITIES)


@bp.get("/areas/<slug>/pathway")
def pathway(slug: str):
    """The pathway diagram: the stages as columns, each service in its stage, the confirmed handoffs bundled
    between stages and the missing ones drawn broken; for one client group when asked; drawn on the server."""
    record = access.get_area_or_404(slug)
    group = _client_group()
    # The area's active actors, confirmed links and the far ends of its links out of area: the same for every
    # viewer (no barrier reports), so the layout is made once per data change.
    filters = SnapshotFilter(area_id=record.id, with_neighbours=True)
    diagram = datacache.cached("pathway", [filters.key(), group],
                               lambda: layout_pathway(load_snapshot(filters, with_barriers=False), group))
    return render_template("analysis/pathway.html", area=record, d=diagram, g=GEOMETRY, summary=summary(diagram),
                           colours=STAGE_COLOURS, client_group=group, group_rule=CLIENT_GROUP_RULE, today=date.today())


@bp.get("/areas/<slug>/analysis.csv")
def area_csv(slug: str):
    """The area's findings as a CSV download, one row per finding."""
    record = access.get_area_or_404(slug)
    result, _ = _analysis(record, with_metrics=False, client_group=_client_group())  # findings only: no betweenness
    return _download(exports.findings_csv(result.findings, result.names), "text/csv", record, result, "csv")


@bp.get("/areas/<slug>/analysis.json")
def area_json(slug: str):
    """Everything the area's analysis page shows, as a JSON download."""
    record = access.get_area_or_404(slug)
    result, _ = _analysis(record, client_group=_client_group())
    body = exports.analysis_json({"name": record.name, "slug": record.slug}, result)
    return _download(body, "application/json", record, result, "json")


@bp.get("/analysis")
@national_page_limit
def national():
    """Every area ranked by its score: lowest first (most gaps for its size), then most high-severity
    findings; from one national snapshot."""
    page = page_from_request()
    areas = db.session.execute(select(Area.id, Area.name, Area.slug).order_by(Area.name, Area.id)).all()
    by_id = {a.id: a for a in areas}
    ranking = []
    if areas:
        # One snapshot for the whole country, cut by area in memory as each area's page reads it (with the
        # links leaving the area), so the judgements match; public barrier reports only, so every visitor
        # sees the same ranking. Proposed links and archived records only shape the next steps, which the
        # ranking does not show, so they are not loaded (a second or more at national scale).
        # Built once per data change (datacache), whoever asks.
        order = [a.id for a in areas]
        names = {a.id: a.name for a in areas}
        public = SnapshotFilter(area_id=None)
        ranked = datacache.cached("national-ranking", [public.key(), order],
                                  lambda: A.rank_areas(load_snapshot(public), order, date.today(), names),
                                  before_build=count_build)
        ranking = [(n, by_id[g.area_id], g) for n, g in enumerate(ranked, start=1)]
    pagination = paginate_list(ranking, page, current_app.config["PER_PAGE"])
    return render_template("analysis/national.html", pagination=pagination, total=len(ranking),
                           parts=A.SCORE_PARTS)
