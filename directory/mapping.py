"""Map, graph and GeoJSON builders over a plain network snapshot.

Plain functions: no Flask request and no database. The Flask views build a
:class:`~directory.snapshot.Snapshot` with the loader and pass it here.

Security rules kept in this module (design section 7):

* User text (names, summaries, institutions) never reaches folium's Popup or
  Tooltip, which do not escape. It travels as JSON inside
  ``<script type="application/json">`` (see :func:`json_for_script`) and the
  browser builds popups with DOM APIs (``textContent``) in ``static/js/map.js``.
* Every ``<script>`` and ``<style>`` tag emitted by :func:`build_map` carries
  the page's CSP nonce; no CDN is referenced: Leaflet and markercluster come
  from ``static/vendor/`` through the ``static_url`` callable.
* A confidential service's real point never enters a snapshot (the loader puts
  it at the area centre); here it is only flagged so the popup says so.

Compact map data (``map_data``), by position:

* ``actors``: ``[id, kind_index, lat, lon, name, summary, confidential, url]``
  where ``summary`` is the stage digits for a service (``"245"``: stages 2, 4
  and 5 in order; the first is the marker's label), the forum type label for a
  forum and the institution for a researcher; ``confidential`` is 0 or 1.
* ``links``: ``[source_index, target_index, link_kind_index, status_index]``,
  indexes into ``actors``, ``linkKinds`` and ``statuses``.
* legend tables: ``kinds`` ``[key, label, shape, colour]``, ``linkKinds``
  ``[key, label, group, colour, dash, both_ways]``, ``linkGroups``
  ``[key, label]``, ``stages`` ``[number, label]``, ``statuses``
  ``[key, label]``, plus the ``proposed`` style ``[colour, dash]``.
"""
from __future__ import annotations

import contextlib
import gc
import json
import math
import re
from typing import Callable, Iterable

import folium
from branca.element import Element, MacroElement
from folium.template import Template
from markupsafe import Markup, escape

from .snapshot import ActorNode, Snapshot
from .vocab import ACTOR_KINDS, FORUM_TYPES, LINK_GROUPS, LINK_KINDS_LIST, LINK_STATUSES, LIVE_LINK_STATUSES, PATHWAY_STAGES

__all__ = [
    "KIND_STYLES",
    "LINK_STYLES",
    "PROPOSED_STYLE",
    "map_data",
    "build_map",
    "graph_data",
    "geojson",
    "json_for_script",
    "legend_tables",
]

# --- Styles (one place; static/css/map.css repeats the kind colours) --------

# Kind -> (map shape, network shape, colour). Colours have at least 3:1
# contrast with white and with the plain map background (WCAG 1.4.11), and the
# shape alone tells the kinds apart (WCAG 1.4.1).
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "service": ("circle", "dot", "#1d70b8"),
    "forum": ("square", "box", "#b14e00"),
    "researcher": ("triangle", "triangle", "#6f3c97"),
}

# Link group colours; kinds within a group differ by dash pattern. Dash
# patterns are Leaflet/SVG dasharray strings ("" = solid); vis-network gets the
# same pattern as a list of numbers.
_GROUP_COLOURS = {
    "pathway": "#00703c",
    "learning": "#912b88",
    "governance": "#505a5f",
    "joint": "#1d70b8",
    "research": "#d4351c",
}
_DASHES = ["", "10 5", "3 5", "12 4 3 4"]


def _link_styles() -> dict[str, tuple[str, str]]:
    styles: dict[str, tuple[str, str]] = {}
    seen: dict[str, int] = {}
    for lk in LINK_KINDS_LIST:
        n = seen.get(lk.group, 0)
        seen[lk.group] = n + 1
        styles[lk.key] = (_GROUP_COLOURS.get(lk.group, "#505a5f"), _DASHES[n % len(_DASHES)])
    return styles


LINK_STYLES: dict[str, tuple[str, str]] = _link_styles()
PROPOSED_STYLE: tuple[str, str] = ("#6f777b", "2 6")

DEFAULT_ACTOR_URL = "/actors/{id}"
_KIND_KEYS = ACTOR_KINDS.keys()
_KIND_INDEX = {k: i for i, k in enumerate(_KIND_KEYS)}
_LINK_KIND_KEYS = [lk.key for lk in LINK_KINDS_LIST]
_LINK_KIND_INDEX = {k: i for i, k in enumerate(_LINK_KIND_KEYS)}
_STATUS_KEYS = LINK_STATUSES.keys()
_STATUS_INDEX = {k: i for i, k in enumerate(_STATUS_KEYS)}
_STAGE_LABELS = {int(t.key): t.label for t in PATHWAY_STAGES}

# Default view when a snapshot has no area (Great Britain).
NATIONAL_CENTRE = (54.0, -2.5)
NATIONAL_ZOOM = 6
COORD_DECIMALS = 5  # about a metre


# --- JSON for HTML -----------------------------------------------------------

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(obj) -> Markup:
    """JSON safe to put inside ``<script type="application/json">`` in HTML.

    ``<``, ``>`` and ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` (so no
    ``</script>`` or ``<!--`` can end or confuse the element) and U+2028/2029
    are escaped too. The result is compact and still valid JSON, read back with
    ``JSON.parse(element.textContent)``.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_SCRIPT_ESCAPES))


# --- Helpers ---------------------------------------------------------------


def _point(actor: ActorNode) -> tuple[float, float] | None:
    """The actor's (lat, lon), rounded, or None when it has no usable point."""
    lat, lon = actor.lat, actor.lon
    if lat is None or lon is None:
        return None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, COORD_DECIMALS), round(lon, COORD_DECIMALS)


def _actor_url(template: str, actor: ActorNode) -> str:
    return template.replace("{id}", str(actor.id)).replace("{slug}", actor.slug or str(actor.id))


def _stages(actor: ActorNode) -> list[int]:
    return sorted({int(s) for s in actor.stages if int(s) in _STAGE_LABELS})


def _summary(actor: ActorNode) -> str:
    """Short text under the name: stage digits, forum type or institution."""
    if actor.kind == "service":
        return "".join(str(s) for s in _stages(actor))
    if actor.kind == "forum":
        return FORUM_TYPES.label(actor.subtype) if actor.subtype else ""
    return actor.subtype or ""


def _live_links(snapshot: Snapshot, statuses: Iterable[str] | None):
    allowed = set(statuses) if statuses is not None else None
    for link in snapshot.links:
        if link.kind not in _LINK_KIND_INDEX or link.status not in _STATUS_INDEX:
            continue
        if allowed is not None and link.status not in allowed:
            continue
        yield link


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while building many small lists.

    Building 100,000 link rows triggers repeated collections that scan the
    whole snapshot; pausing roughly halves the time. No cycles are created.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _without_gc(fn):
    """Run ``fn`` with the cyclic collector paused (see :func:`_gc_paused`)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _gc_paused():
            return fn(*args, **kwargs)

    return wrapper


def legend_tables() -> dict:
    """Legend tables shared by the map, the network view and the templates."""
    kinds_by_key = {lk.key: lk for lk in LINK_KINDS_LIST}
    return {
        "kinds": [[k, ACTOR_KINDS.label(k), KIND_STYLES[k][0], KIND_STYLES[k][2]] for k in _KIND_KEYS],
        "linkKinds": [
            [k, kinds_by_key[k].label, kinds_by_key[k].group, LINK_STYLES[k][0], LINK_STYLES[k][1],
             int(kinds_by_key[k].both_ways)]
            for k in _LINK_KIND_KEYS
        ],
        "linkGroups": [[t.key, t.label] for t in LINK_GROUPS],
        "stages": [[int(t.key), t.label] for t in PATHWAY_STAGES],
        "statuses": [[t.key, t.label] for t in LINK_STATUSES],
        "proposed": list(PROPOSED_STYLE),
    }


# --- map_data ------------------------------------------------------------------


def map_data(
    snapshot: Snapshot,
    *,
    include_links: bool = True,
    actor_url_template: str = DEFAULT_ACTOR_URL,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
) -> dict:
    """Compact, JSON-able data for the map (format in the module docstring).

    Actors without a point are left out, and so are links whose ends are not
    both on the map. ``link_statuses`` keeps only links in those statuses
    (default: proposed and confirmed; None keeps every status).
    """
    with _gc_paused():
        return _map_data(snapshot, include_links, actor_url_template, link_statuses)


def _map_data(snapshot, include_links, actor_url_template, link_statuses) -> dict:
    actors: list[list] = []
    index: dict[int, int] = {}
    kind_index = _KIND_INDEX
    lats: list[float] = []
    lons: list[float] = []
    for actor in snapshot.actors.values():
        kind = kind_index.get(actor.kind)
        if kind is None:
            continue
        point = _point(actor)
        if point is None:
            continue
        lat, lon = point
        index[actor.id] = len(actors)
        lats.append(lat)
        lons.append(lon)
        actors.append([
            actor.id, kind, lat, lon, actor.name or "", _summary(actor),
            1 if actor.confidential else 0, _actor_url(actor_url_template, actor),
        ])

    links: list[list[int]] = []
    if include_links:
        get = index.get
        kinds, statuses = _LINK_KIND_INDEX, _STATUS_INDEX
        allowed = set(link_statuses) if link_statuses is not None else set(statuses)
        append = links.append
        for link in snapshot.links:
            s = get(link.source_id)
            t = get(link.target_id)
            if s is None or t is None or s == t or link.status not in allowed:
                continue
            k = kinds.get(link.kind)
            st = statuses.get(link.status)
            if k is None or st is None:
                continue
            append([s, t, k, st])

    bounds = [[min(lats), min(lons)], [max(lats), max(lons)]] if actors else None
    area = snapshot.area
    data = {
        "v": 1,
        "area": ({"id": area.id, "name": area.name, "slug": area.slug, "lat": area.lat, "lon": area.lon,
                  "zoom": area.zoom} if area else None),
        "bounds": bounds,
        "actors": actors,
        "links": links,
        "linksIncluded": bool(include_links),
    }
    data.update(legend_tables())
    return data


# --- build_map -----------------------------------------------------------------

_NONCE_RE = re.compile(r"^[A-Za-z0-9+/=_-]{8,200}$")
_CSS_SIZE_RE = re.compile(r"^\d+(\.\d+)?(px|vh|vw|rem|em|%)$")
_TILES_RE = re.compile(r"^(https?://|/)[^\s<>\"'`\\]+$")
_OPEN_TAG_RE = re.compile(r"<(script|style)\b(?![^>]*\bnonce=)", re.IGNORECASE)


def _add_nonce(html: str, nonce: str) -> str:
    return _OPEN_TAG_RE.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', html)


class EmbeddedMap(folium.Map):
    """A folium Map that embeds in our pages.

    Compared with folium.Map: no global ``html, body`` / ``#map`` styles, no
    viewport meta and no inline size style (the size comes from
    ``static/css/map.css`` and the ``data-height`` attribute, applied by
    map.js through the CSSOM, which a strict CSP allows). The script part is
    folium's own.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}{% endmacro %}

        {% macro html(this, kwargs) %}
            <div class="folium-map dm-map{% if this.no_tiles %} dm-no-tiles{% endif %}"
                 id={{ this.get_name()|tojson }} data-height="{{ this.css_height }}"
                 role="region" aria-label="{{ this.label }}"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            {%- if this.control_scale %}
            L.control.scale().addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, *args, css_height: str = "70vh", label: str = "Map", no_tiles: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.css_height = css_height
        self.label = _no_jinja(escape(label))
        self.no_tiles = no_tiles


class _RawElement(Element):
    """Pre-built HTML/JS that is inserted as it is.

    branca wraps what a MacroElement's macros return in ``Element(text)``,
    which compiles that text as a Jinja template: user text containing
    ``{{ ... }}`` would then be evaluated on the server. Our data never goes
    through that path; it is added with this class, which renders verbatim.
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawElement"
        self._text = str(text)

    def render(self, **kwargs) -> str:
        return self._text


class _MapData(MacroElement):
    """Our data (a JSON script element) and the call into static/js/map.js.

    Adds two verbatim elements to the figure (see :class:`_RawElement`): the
    JSON in the body and ``DirectoryMap.init(...)`` in the script.
    """

    def __init__(self, json_text: Markup, data_id: str, options: dict):
        super().__init__()
        self._name = "DirectoryMapData"
        self.json = json_text
        self.data_id = data_id
        self.options = options

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        html = f'<script type="application/json" id="{self.data_id}">{self.json}</script>'
        call = "DirectoryMap.init({}, {}, {});".format(
            self._parent.get_name(), json_for_script(self.data_id), json_for_script(self.options))
        figure.html.add_child(_RawElement(html), name=self.get_name())
        figure.script.add_child(_RawElement(call), name=self.get_name())


def _no_jinja(text: str) -> str:
    """HTML text with braces as character references.

    Text that reaches folium's templates (the map label, the attribution) is
    compiled by Jinja when the figure renders; ``&#123;`` keeps ``{{ }}``
    inert while the browser still shows a brace.
    """
    return str(text).replace("{", "&#123;").replace("}", "&#125;")


def _vendored_assets(static_url: Callable[[str], str]) -> tuple[list, list]:
    js = [
        ("leaflet", static_url("vendor/leaflet/leaflet.js")),
        ("leaflet_markercluster", static_url("vendor/leaflet.markercluster/leaflet.markercluster.js")),
        ("directory_map", static_url("js/map.js")),
    ]
    css = [
        ("leaflet_css", static_url("vendor/leaflet/leaflet.css")),
        ("leaflet_markercluster_css", static_url("vendor/leaflet.markercluster/MarkerCluster.css")),
        ("directory_map_css", static_url("css/map.css")),
    ]
    return js, css


def build_map(
    snapshot: Snapshot,
    *,
    tiles_url: str | None,
    attribution: str,
    static_url: Callable[[str], str],
    actor_url_template: str = DEFAULT_ACTOR_URL,
    nonce: str,
    height: str = "70vh",
    focus_actor_id: int | None = None,
    include_links: bool = True,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
    label: str | None = None,
) -> dict:
    """The pieces of a folium/Leaflet map for a Jinja page, as Markup.

    Returns ``{"head", "body", "script", "map_id", "data_id"}``:

    * ``head``: ``<script src>`` tags for the vendored Leaflet and
      markercluster and ``static/js/map.js`` (not deferred), and ``<link>``
      tags for their CSS and ``static/css/map.css``;
    * ``body``: the map ``<div class="dm-map" id=map_id>`` and the data as
      ``<script type="application/json" id=data_id>``;
    * ``script``: one inline ``<script>`` (folium's ``L.map(...)``, the tile
      layer, then ``DirectoryMap.init(map, data_id, options)``).

    Include them in that order, head before body before script, e.g.::

        {% block head %}{{ map.head }}{% endblock %}
        {% block content %}{{ map.body }} ...list alternative...{% endblock %}
        {% block scripts %}{{ map.script }}{% endblock %}

    Every ``<script>`` (and ``<style>``, though there is none) carries
    ``nonce``; nothing has an inline ``style`` attribute. ``attribution`` is
    plain text and is escaped; pass a ``Markup`` to allow HTML (a link to the
    tile provider's copyright page, say). ``tiles_url`` None gives a plain
    background. ``focus_actor_id`` zooms to that actor and opens its popup.
    """
    if not _NONCE_RE.match(nonce or ""):
        raise ValueError("nonce must be a base64/url-safe token")
    if not _CSS_SIZE_RE.match(height or ""):
        raise ValueError("height must be a CSS length such as '70vh' or '480px'")
    if tiles_url and (not _TILES_RE.match(tiles_url) or re.search(r"\{[{%#]|[}%#]\}", tiles_url)):
        raise ValueError("tiles_url must be an http(s) URL or a path on this site")

    data = map_data(snapshot, include_links=include_links, actor_url_template=actor_url_template,
                    link_statuses=link_statuses)
    area = snapshot.area
    if area is not None:
        location, zoom = [area.lat, area.lon], area.zoom
    elif data["bounds"]:
        (s, w), (n, e) = data["bounds"]
        location, zoom = [(s + n) / 2, (w + e) / 2], NATIONAL_ZOOM
    else:
        location, zoom = list(NATIONAL_CENTRE), NATIONAL_ZOOM

    if label is None:
        label = f"Map of {area.name}" if area else "Map of the directory"

    m = EmbeddedMap(
        location=location,
        tiles=None,
        zoom_start=zoom,
        width="100%",
        height="100%",
        css_height=height,
        label=label,
        no_tiles=not tiles_url,
        control_scale=True,
        maxZoom=18,
        minZoom=4,  # the UK fills the view at zoom 5; fewer levels to cluster
    )
    js, css = _vendored_assets(static_url)
    m.default_js = js  # instance lists: never mutate folium's module-level ones
    m.default_css = css
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url, attr=_no_jinja(escape(attribution or " ")), name="Base map", overlay=False,
            control=False, max_zoom=18, max_native_zoom=18,
        ).add_to(m)

    data_id = f"map-data-{m._id}"
    options = {
        "focus": focus_actor_id,
        "tiles": bool(tiles_url),
        "fitBounds": area is None,
    }
    m.add_child(_MapData(json_for_script(data), data_id, options), name="directory_map_data")

    figure = m.get_root()
    figure.header._children.pop("meta_http", None)  # the page has its own charset
    for child in list(figure._children.values()):
        child.render()
    head = figure.header.render()
    body = figure.html.render()
    script = "<script>\n" + figure.script.render() + "\n</script>"
    return {
        "head": Markup(_add_nonce(head, nonce)),
        "body": Markup(_add_nonce(body, nonce)),
        "script": Markup(_add_nonce(script, nonce)),
        "map_id": m.get_name(),
        "data_id": data_id,
    }


# --- graph_data ---------------------------------------------------------------


@_without_gc
def graph_data(
    snapshot: Snapshot,
    *,
    actor_url_template: str = DEFAULT_ACTOR_URL,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
) -> dict:
    """Nodes and edges for the network view (vis-network), plus legend tables.

    Nodes: ``{id, label, kind, group, stages, url}``; edges: ``{id, from, to,
    kind, label, status, dashes}`` where ``dashes`` is False (solid) or a list
    of dash/gap lengths. Labels are plain text: vis-network draws them on a
    canvas, and network.js passes tooltips as plain strings.
    """
    nodes = []
    for actor in snapshot.actors.values():
        if actor.kind not in _KIND_INDEX:
            continue
        nodes.append({
            "id": actor.id,
            "label": actor.name or "",
            "kind": actor.kind,
            "group": actor.kind,
            "stages": _stages(actor) if actor.kind == "service" else [],
            "subtype": _summary(actor) if actor.kind != "service" else "",
            "url": _actor_url(actor_url_template, actor),
        })
    labels = {lk.key: lk.label for lk in LINK_KINDS_LIST}
    edges = []
    for link in _live_links(snapshot, link_statuses):
        if link.source_id not in snapshot.actors or link.target_id not in snapshot.actors:
            continue
        if link.status == "proposed":
            dash = PROPOSED_STYLE[1]
        else:
            dash = LINK_STYLES[link.kind][1]
        edges.append({
            "id": link.id,
            "from": link.source_id,
            "to": link.target_id,
            "kind": link.kind,
            "label": labels[link.kind],
            "status": link.status,
            "dashes": [int(x) for x in dash.split()] if dash else False,
        })
    data = {"nodes": nodes, "edges": edges}
    data.update(legend_tables())
    return data


# --- geojson ---------------------------------------------------------------------


@_without_gc
def geojson(
    snapshot: Snapshot,
    *,
    actor_url_template: str = DEFAULT_ACTOR_URL,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
) -> dict:
    """A GeoJSON FeatureCollection of actor Points and link LineStrings.

    Coordinates are [lon, lat] (RFC 7946). A confidential service appears at
    the point the snapshot holds (its area centre) with ``confidential: true``.
    """
    features = []
    points: dict[int, list[float]] = {}
    for actor in snapshot.actors.values():
        point = _point(actor)
        if point is None or actor.kind not in _KIND_INDEX:
            continue
        coords = [point[1], point[0]]
        points[actor.id] = coords
        features.append({
            "type": "Feature",
            "id": f"actor-{actor.id}",
            "geometry": {"type": "Point", "coordinates": coords},
            "properties": {
                "feature": "actor",
                "id": actor.id,
                "kind": actor.kind,
                "name": actor.name or "",
                "stages": _stages(actor),
                "confidential": bool(actor.confidential),
                "url": _actor_url(actor_url_template, actor),
            },
        })
    for link in _live_links(snapshot, link_statuses):
        a, b = points.get(link.source_id), points.get(link.target_id)
        if a is None or b is None:
            continue
        features.append({
            "type": "Feature",
            "id": f"link-{link.id}",
            "geometry": {"type": "LineString", "coordinates": [a, b]},
            "properties": {
                "feature": "link",
                "id": link.id,
                "kind": link.kind,
                "status": link.status,
                "source": link.source_id,
                "target": link.target_id,
            },
        })
    return {"type": "FeatureCollection", "features": features}
