"""The folium/Leaflet map as three pieces (head, body, script) for a Jinja page."""
from __future__ import annotations

import re
from typing import Callable, Iterable

import folium
from branca.element import MacroElement
from folium.template import Template
from markupsafe import Markup, escape

from ..snapshot import Snapshot
from ..vocab import LIVE_LINK_STATUSES
from .data import map_data
from .escaping import RawElement, add_nonce, json_for_script, no_jinja
from .styles import DEFAULT_ACTOR_URL, NATIONAL_CENTRE, NATIONAL_ZOOM

_NONCE_RE = re.compile(r"^[A-Za-z0-9+/=_-]{8,200}$")
_CSS_SIZE_RE = re.compile(r"^\d+(\.\d+)?(px|vh|vw|rem|em|%)$")
_TILES_RE = re.compile(r"^(https?://|/)[^\s<>\"'`\\]+$")


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
        self.label = no_jinja(escape(label))
        self.no_tiles = no_tiles



class _MapData(MacroElement):
    """Our data (a JSON script element) and the call into static/js/map.js.

    Adds two verbatim elements to the figure (see :class:`RawElement`): the
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
        figure.html.add_child(RawElement(html), name=self.get_name())
        figure.script.add_child(RawElement(call), name=self.get_name())



def _vendored_assets(static_url: Callable[[str], str]) -> tuple[list, list]:
    js = [
        ("leaflet", static_url("vendor/leaflet/leaflet.js")),
        ("leaflet_markercluster", static_url("vendor/leaflet.markercluster/leaflet.markercluster.js")),
        ("directory_common", static_url("js/dm-common.js")),
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
    cluster: bool = True,
    all_links: bool | None = None,
    include_links: bool = True,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
    label: str | None = None,
    gaps: dict[int, list[str]] | None = None,
    barriers: dict[int, list[str]] | None = None,
    gap_marks: Iterable[tuple[str, str]] = (),
    barrier_mark: tuple[str, str] = ("", ""),
) -> dict:
    """The pieces of a folium/Leaflet map for a Jinja page, as Markup.

    Returns ``{"head", "body", "script", "map_id", "data_id", "gap_marks"}``:

    * ``head``: ``<script src>`` tags for the vendored Leaflet and
      markercluster, ``static/js/dm-common.js`` and ``static/js/map.js`` (not
      deferred), and ``<link>`` tags for their CSS and ``static/css/map.css``;
    * ``body``: the map ``<div class="dm-map" id=map_id>`` and the data as
      ``<script type="application/json" id=data_id>``;
    * ``script``: one inline ``<script>`` (folium's ``L.map(...)``, the tile
      layer, then ``DirectoryMap.init(map, data_id, options)``);
    * ``gap_marks``: the gaps overlay's (letter, label) pairs, as the map
      shows them, for the page's words about it (empty without the overlay).

    Include them in that order, head before body before script, e.g.::

        {% block head %}{{ map.head }}{% endblock %}
        {% block content %}{{ map.body }} ...list alternative...{% endblock %}
        {% block scripts %}{{ map.script }}{% endblock %}

    Every ``<script>`` (and ``<style>``, though there is none) carries
    ``nonce``; nothing has an inline ``style`` attribute. ``attribution`` is
    plain text and is escaped; pass a ``Markup`` to allow HTML (a link to the
    tile provider's copyright page, say). ``tiles_url`` None gives a plain
    background. ``focus_actor_id`` zooms to that actor and opens its popup. ``cluster`` False
    groups markers only where they overlap (for a small map of a few actors and their links). ``all_links``
    draws every link from the start, with no "Show all links" switch; otherwise (the default when
    ``cluster``) only the selected actor's links are drawn until the reader switches all of them on.
    None means ``not cluster``: a record's small map shows the record's own links.
    ``gaps`` and ``barriers`` add the gaps overlay, marked by ``gap_marks`` and ``barrier_mark`` (see
    :func:`map_data`).
    """
    if not _NONCE_RE.match(nonce or ""):
        raise ValueError("nonce must be a base64/url-safe token")
    if not _CSS_SIZE_RE.match(height or ""):
        raise ValueError("height must be a CSS length such as '70vh' or '480px'")
    if tiles_url and (not _TILES_RE.match(tiles_url) or re.search(r"\{[{%#]|[}%#]\}", tiles_url)):
        raise ValueError("tiles_url must be an http(s) URL or a path on this site")

    data = map_data(snapshot, include_links=include_links, actor_url_template=actor_url_template,
                    link_statuses=link_statuses, gaps=gaps, barriers=barriers, gap_marks=gap_marks,
                    barrier_mark=barrier_mark)
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
            tiles=tiles_url, attr=no_jinja(escape(attribution or " ")), name="Base map", overlay=False,
            control=False, max_zoom=18, max_native_zoom=18,
        ).add_to(m)

    data_id = f"map-data-{m._id}"
    options = {
        "focus": focus_actor_id,
        "cluster": cluster,
        "allLinks": (not cluster) if all_links is None else bool(all_links),
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
        "head": Markup(add_nonce(head, nonce)),
        "body": Markup(add_nonce(body, nonce)),
        "script": Markup(add_nonce(script, nonce)),
        "map_id": m.get_name(),
        "data_id": data_id,
        "gap_marks": [tuple(mark) for mark in [*data["gapMarks"], data["barrierMark"]]] if "gapMarks" in data else [],
    }

