"""Styles of kinds and links, vocabulary indexes and the legend tables shared by map, graph and pages."""
from __future__ import annotations

from ..vocab import ACTOR_KINDS, LINK_GROUPS, LINK_KINDS, LINK_STATUSES, PATHWAY_STAGES

# --- Styles (one place; static/css/map.css repeats the kind and stage colours, checked by a test) --

# Kind -> (map shape, network shape, colour). Colours have at least 3:1
# contrast with white and with the plain map background (WCAG 1.4.11), and the
# shape alone tells the kinds apart (WCAG 1.4.1).
KIND_STYLES: dict[str, tuple[str, str, str]] = {
    "service": ("circle", "dot", "#1d70b8"),
    "forum": ("square", "box", "#b14e00"),
    "researcher": ("triangle", "triangle", "#6f3c97"),
}

# Service markers are coloured by their first pathway stage (and carry its
# number, so colour is never the only sign). Dark enough for white numbers
# (at least 5:1 with white, WCAG 1.4.3) and in hue order along the pathway.
STAGE_COLOURS: dict[int, str] = {
    1: "#12436d",  # prevention: navy
    2: "#1d70b8",  # first contact and outreach: blue
    3: "#006f6b",  # assessment and relief: teal
    4: "#5c6500",  # emergency accommodation: olive
    5: "#7a3e00",  # supported accommodation: brown
    6: "#a4262c",  # move-on and rehousing: red
    7: "#b0006e",  # tenancy sustainment and recovery: magenta
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
    for lk in LINK_KINDS:
        n = seen.get(lk.group, 0)
        seen[lk.group] = n + 1
        styles[lk.key] = (_GROUP_COLOURS.get(lk.group, "#505a5f"), _DASHES[n % len(_DASHES)])
    return styles


LINK_STYLES: dict[str, tuple[str, str]] = _link_styles()
PROPOSED_STYLE: tuple[str, str] = ("#6f777b", "2 6")

DEFAULT_ACTOR_URL = "/actors/{id}"
_KIND_KEYS = ACTOR_KINDS.keys()
_KIND_INDEX = {k: i for i, k in enumerate(_KIND_KEYS)}
_LINK_KIND_KEYS = [lk.key for lk in LINK_KINDS]
_LINK_KIND_INDEX = {k: i for i, k in enumerate(_LINK_KIND_KEYS)}
_STATUS_KEYS = LINK_STATUSES.keys()
_STATUS_INDEX = {k: i for i, k in enumerate(_STATUS_KEYS)}
_STAGE_LABELS = {int(t.key): t.label for t in PATHWAY_STAGES}

# Default view when a snapshot has no area (Great Britain).
NATIONAL_CENTRE = (54.0, -2.5)
NATIONAL_ZOOM = 6
COORD_DECIMALS = 5  # about a metre



def legend_tables() -> dict:
    """Legend tables shared by the map, the network view and the templates."""
    kinds_by_key = {lk.key: lk for lk in LINK_KINDS}
    return {
        "kinds": [[k, ACTOR_KINDS.label(k), KIND_STYLES[k][0], KIND_STYLES[k][2]] for k in _KIND_KEYS],
        "linkKinds": [
            [k, kinds_by_key[k].label, kinds_by_key[k].group, LINK_STYLES[k][0], LINK_STYLES[k][1],
             int(kinds_by_key[k].both_ways)]
            for k in _LINK_KIND_KEYS
        ],
        "linkGroups": [[t.key, t.label] for t in LINK_GROUPS],
        "stages": [[int(t.key), t.label, STAGE_COLOURS[int(t.key)]] for t in PATHWAY_STAGES],
        "statuses": [[t.key, t.label] for t in LINK_STATUSES],
        "proposed": list(PROPOSED_STYLE),
    }

