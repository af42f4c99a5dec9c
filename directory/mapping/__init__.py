"""Map, graph and GeoJSON builders over a plain network snapshot (a package; the API is here).

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
* ``gaps`` (only when asked for): ``[actor_index, [label, ...]]`` rows, the
  gaps overlay's labels ("Isolated", "Broker"...) for that actor; ``barriers``:
  ``[actor_index, [text, ...]]`` rows, reported barriers in words; with them
  ``gapMarks`` ``[letter, label]``, the letter on a marker for each gap label,
  and ``barrierMark`` ``[letter, label]``, the letter for reported barriers
  (given by the caller: the map page passes the analysis's GAP_MARKS and
  BARRIER_MARK).

Modules: ``styles`` (kind and link styles, legend tables), ``escaping`` (JSON
for script elements, nonces, keeping text out of folium's Jinja), ``data``
(``map_data``), ``folium_map`` (``build_map``) and ``graph`` (``graph_data``,
``geojson``).
"""
from __future__ import annotations

from .data import map_data
from .escaping import json_for_script
from .folium_map import build_map
from .graph import geojson, graph_data
from .styles import KIND_STYLES, LINK_STYLES, PROPOSED_STYLE, STAGE_COLOURS, legend_tables

__all__ = [
    "KIND_STYLES",
    "STAGE_COLOURS",
    "LINK_STYLES",
    "PROPOSED_STYLE",
    "map_data",
    "build_map",
    "graph_data",
    "geojson",
    "json_for_script",
    "legend_tables",
]
