"""The compact map data (see the package docstring) and the helpers the builders share."""
from __future__ import annotations

import contextlib
import functools
import gc
import math
from typing import Iterable

from ..snapshot import ActorNode, Snapshot
from ..vocab import FORUM_TYPES, LIVE_LINK_STATUSES
from .styles import (_KIND_INDEX, _LINK_KIND_INDEX, _STAGE_LABELS, _STATUS_INDEX, COORD_DECIMALS,
                     DEFAULT_ACTOR_URL, legend_tables)

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
    return template.replace("{id}", str(actor.id))


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
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _gc_paused():
            return fn(*args, **kwargs)

    return wrapper



# --- map_data ------------------------------------------------------------------


def map_data(
    snapshot: Snapshot,
    *,
    include_links: bool = True,
    actor_url_template: str = DEFAULT_ACTOR_URL,
    link_statuses: Iterable[str] | None = LIVE_LINK_STATUSES,
    gaps: dict[int, list[str]] | None = None,
    barriers: dict[int, list[str]] | None = None,
    gap_marks: Iterable[tuple[str, str]] = (),
    barrier_mark: tuple[str, str] = ("", ""),
) -> dict:
    """Compact, JSON-able data for the map (format in the package docstring).

    Actors without a point are left out, and so are links whose ends are not
    both on the map. ``link_statuses`` keeps only links in those statuses
    (default: proposed and confirmed; None keeps every status). ``gaps``
    (actor id -> gap labels) and ``barriers`` (actor id -> barrier reports in
    words) add the gaps overlay, with the letters that mark them: ``gap_marks``
    (letter, label) for each gap label and ``barrier_mark`` for reported
    barriers. All are plain text, escaped by map.js.
    """
    with _gc_paused():
        data = _map_data(snapshot, include_links, actor_url_template, link_statuses)
    if gaps is not None or barriers is not None:
        index = {row[0]: i for i, row in enumerate(data["actors"])}
        data["gaps"] = _rows(gaps or {}, index)
        data["barriers"] = _rows(barriers or {}, index)
        data["gapMarks"] = [list(mark) for mark in gap_marks]
        data["barrierMark"] = list(barrier_mark)
    return data


def _rows(by_actor: dict[int, list[str]], index: dict[int, int]) -> list[list]:
    """[actor_index, [text, ...]] rows for the actors that are on the map, in map order."""
    rows = [[index[i], [str(x) for x in texts]] for i, texts in by_actor.items() if i in index and texts]
    return sorted(rows, key=lambda r: r[0])


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

