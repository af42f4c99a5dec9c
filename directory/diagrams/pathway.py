"""The pathway diagram's layout: the seven stages as columns, each service a box in its stage column, the
confirmed pathway links bundled into one arrow per pair of stages, and the expected handoffs that are missing.

`layout_pathway(snapshot)` is a plain function (a snapshot or an analysis Network in, positions and paths out);
templates/analysis/_pathway_svg.html draws the result. Coordinates are SVG user units (one is a CSS pixel at
the diagram's natural width).

Rules:
- The network is read as the analysis reads it (active actors, confirmed links; for one client group when
  given), so the diagram and the findings agree: its missing stages, thin stages, dead ends and missing
  handoffs are the analysis's own.
- A service appears once. Its box spans its first run of consecutive stages (stages 4 and 5: one box across
  both columns); each further run is marked by a small "also here" box in those columns, linking to the same
  record. A service with no stage recorded is not drawn; the page lists it.
- A confirmed pathway link between two services of the area is bundled under one pair of stages: the nearest
  forward pair (a stage of its source before a stage of its target), else a pair at the same stage (drawn as
  a count on that column), else the nearest backward pair. Each bundle carries its links' ids.
- Pathway links leaving the area bring their far ends into the "out of area" band below the columns, each in
  the column of its first stage.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from .. import vocab
from ..analysis import Network, dead_ends, handoff_routes, listed_groups, missing_stages, thin_stages
from ..analysis.core import _plural
from ..analysis.pathway import _stage_list

STAGES = vocab.STAGE_NUMBERS
COL_W = 130        # a stage column's width
GAP = 22           # between columns
PAD = 8            # around the whole picture
HEADER_H = 78      # a stage's header (number, label, count)
LINE_H = 15        # one line of text in a box
BOX_PAD = 7        # inside a box, above and below its text
BOX_GAP = 8        # between boxes in a column
CHARS = 16         # characters per line of a box (12px text in a 130-unit box)
ARC_BASE, ARC_SPAN, ARC_LANE = 28, 34, 18  # an arc's height: base + per extra stage spanned + per lane
TAG_H = 16         # the words under a marked box ("Dead end")
# What the template needs of the geometry above.
GEOMETRY = {"col_w": COL_W, "header_h": HEADER_H, "line_h": LINE_H, "box_pad": BOX_PAD, "tag_h": TAG_H}


@dataclass(frozen=True)
class Column:
    """One stage: where it is drawn and what it says about itself."""

    stage: int
    label: str            # "Emergency accommodation"
    lines: tuple[str, ...]  # the label wrapped for the column's header
    x: float
    services: tuple[int, ...]
    state: str            # "missing", "thin" or ""
    note: str             # the state in words, shown in the column
    reason: str = ""      # for a missing or thin stage: the analysis's reason, in a sentence

    @property
    def centre(self) -> float:
        return self.x + COL_W / 2


@dataclass(frozen=True)
class Node:
    """A service's box (or an outside partner's, in the out-of-area band)."""

    actor_id: int
    name: str
    lines: tuple[str, ...]
    stages: tuple[int, ...]
    x: float
    y: float
    w: float
    h: float
    first: int            # the first and last stage columns the box spans
    last: int
    dead_end: bool = False
    outside: str = ""     # where an outside partner is ("Awayshire"); "" for the area's own
    note: str = ""        # a short line under the name: "Dead end", "2 links from here"
    description: str = "" # everything the box says, in words, for screen readers

    @property
    def name_lines(self) -> int:
        """How many of `lines` are the name (an outside partner's further lines say where it is)."""
        return len(_lines(self.name))


@dataclass(frozen=True)
class Mark:
    """"Also here": a service's further run of stages, marked in those columns."""

    actor_id: int
    lines: tuple[str, ...]
    x: float
    y: float
    w: float
    h: float
    stages: tuple[int, ...]
    home: int             # the stage column where the service's box is
    description: str = ""


@dataclass(frozen=True)
class Arrow:
    """A bundle of confirmed pathway links between two stages, or a missing expected handoff ("broken")."""

    from_stage: int
    to_stage: int
    kind: str                      # "forward", "back", "within" or "broken"
    link_ids: tuple[int, ...] = ()
    path: str = ""                 # SVG path data
    label: str = ""                # the words at its label point
    label_x: float = 0.0
    label_y: float = 0.0
    title: str = ""                # the arrow in a sentence, for screen readers and the table
    route_key: str = ""            # a broken arrow's expected route (ExpectedRoute.key)

    @property
    def count(self) -> int:
        return len(self.link_ids)


@dataclass
class PathwayDiagram:
    """Everything the template draws, and the numbers the page states in words."""

    width: float
    height: float
    columns: list[Column]
    nodes: list[Node]
    marks: list[Mark]
    arrows: list[Arrow]
    outside: list[Node]
    header_y: float
    band_y: float | None          # where the out-of-area band starts (None: no band)
    no_stage: list[tuple[int, str]] = field(default_factory=list)  # services not drawn: (id, name)
    client_group: str | None = None
    names: dict[int, str] = field(default_factory=dict)  # every drawn or listed actor's name, for the tables
    all_services: int = 0         # the area's active services, whoever they take (the diagram may be for a group)
    groups: list[str] = field(default_factory=list)  # the client groups the area's services list (listed_groups)

    @property
    def bundles(self) -> list[Arrow]:
        return [a for a in self.arrows if a.kind != "broken"]

    @property
    def broken(self) -> list[Arrow]:
        return [a for a in self.arrows if a.kind == "broken"]

    @property
    def dead_ends(self) -> set[int]:
        return {n.actor_id for n in self.nodes if n.dead_end}

    @property
    def links(self) -> int:
        """How many confirmed pathway links the bundles stand for."""
        return sum(a.count for a in self.bundles)


def _col_x(stage: int) -> float:
    return PAD + (stage - 1) * (COL_W + GAP)


def _span_w(first: int, last: int) -> float:
    return (last - first) * (COL_W + GAP) + COL_W


def _lines(name: str) -> tuple[str, ...]:
    """A name wrapped to lines of CHARS characters, whole: a box shows all of its name, so what a sighted person
    reads is what a screen reader says (its accessible name starts with the name)."""
    return tuple(textwrap.wrap(name or "", CHARS, break_long_words=True, break_on_hyphens=False) or [""])


def _runs(stages) -> list[tuple[int, int]]:
    """Consecutive runs of stages: (2, 3, 6) -> [(2, 3), (6, 6)]."""
    runs: list[list[int]] = []
    for k in sorted(set(stages)):
        if runs and k == runs[-1][1] + 1:
            runs[-1][1] = k
        else:
            runs.append([k, k])
    return [(a, b) for a, b in runs]


def _pair(from_stages, to_stages) -> tuple[int, int]:
    """The pair of stages a link is bundled under: nearest forward, else the same stage, else nearest back."""
    pairs = [(a, b) for a in from_stages for b in to_stages]
    forward = [p for p in pairs if p[0] < p[1]]
    if forward:
        return min(forward, key=lambda p: (p[1] - p[0], p[0]))
    same = [p for p in pairs if p[0] == p[1]]
    if same:
        return min(same)
    return min(pairs, key=lambda p: (p[0] - p[1], -p[0]))


def _arc_height(span: int, lane: int) -> float:
    """How far an arc's control points stand from its ends: more for a longer span and a higher lane, so arcs
    of different spans put their labels at different heights."""
    return ARC_BASE + (span - 1) * ARC_SPAN + lane * ARC_LANE


def _arc(a: int, b: int, lane: int, y: float, down: bool = False) -> tuple[str, float, float]:
    """An arc from stage a's column to stage b's at height y (up, or down for a backward bundle): its path and
    the point its label sits on (three quarters of its height, the top of a cubic curve)."""
    span = abs(b - a)
    h = _arc_height(span, lane)
    step = 10 if b > a else -10  # start right of the column centre, end left of it: arcs do not share ends
    x1, x2 = _col_x(a) + COL_W / 2 + step * min(span, 3) / 3, _col_x(b) + COL_W / 2 - step * min(span, 3) / 3
    ctrl = y + h if down else y - h
    path = f"M{x1:.1f} {y:.1f} C{x1:.1f} {ctrl:.1f} {x2:.1f} {ctrl:.1f} {x2:.1f} {y:.1f}"
    return path, (x1 + x2) / 2, y + (0.75 * h if down else -0.75 * h)


def _network(snapshot, client_group: str | None) -> Network:
    """The network to draw: a Network as given (read for its own client group unless another is asked for)."""
    if isinstance(snapshot, Network) and (client_group is None or snapshot.client_group == client_group):
        return snapshot
    base = snapshot.snapshot if isinstance(snapshot, Network) else snapshot
    return Network(base, client_group, partners=False)  # the diagram names no partners chosen by fit


def layout_pathway(snapshot, client_group: str | None = None) -> PathwayDiagram:
    """Lay out an area's pathway (see the module's rules): a snapshot or Network in, positions and paths out."""
    net = _network(snapshot, client_group)
    stages_of = {i: tuple(k for k in sorted(set(net.actors[i].stages or ())) if k in STAGES) for i in net.services}
    drawn = [i for i in net.services if stages_of[i]]
    shown = set(drawn)
    pathway = vocab.PATHWAY_LINK_KINDS

    # The bundles: every confirmed pathway link among the drawn services, under one pair of stages.
    pairs: dict[tuple[int, int], list[int]] = {}
    for l in net.links:
        if l.kind in pathway and l.source_id in shown and l.target_id in shown:
            pairs.setdefault(_pair(stages_of[l.source_id], stages_of[l.target_id]), []).append(l.id)
    broken = [r for r in handoff_routes(net) if r["applies"] and not r["present"]]

    # One arc per pair of stages (lane 0); a missing handoff between the same two stages as a bundle (the
    # Housing First route beside other 3->7 links) takes the lane above it.
    forward, back, within = [], [], []
    for (a, b), ids in sorted(pairs.items()):
        ids = tuple(sorted(ids))
        if a == b:
            within.append((a, ids))
        else:
            (forward if a < b else back).append((a, b, 0, ids))
    for row in broken:
        r = row["route"]
        forward.append((r.from_stage, r.to_stage, int((r.from_stage, r.to_stage) in pairs), row))

    header_y = PAD + max((0.75 * _arc_height(b - a, lane) + 14 for a, b, lane, _ in forward), default=0)
    header_bottom = header_y + HEADER_H
    back_band = max((0.75 * _arc_height(a - b, lane) + 14 for a, b, lane, _ in back), default=0)

    arrows: list[Arrow] = []
    for a, b, lane, what in forward:
        path, lx, ly = _arc(a, b, lane, header_y)
        if isinstance(what, tuple):
            n = len(what)
            arrows.append(Arrow(a, b, "forward", what, path, str(n), lx, ly,
                                f"{_plural(n, 'confirmed pathway link')} from stage {a} to stage {b}"))
        else:
            r = what["route"]
            far = f"{r.name} (stage {b})" if r.name else f"stage {b}"
            arrows.append(Arrow(a, b, "broken", (), path, "✕ missing", lx, ly,
                                f"Missing handoff: no confirmed pathway link from stage {a} to {far}. {r.why}",
                                route_key=r.key))
    for a, b, lane, ids in back:
        path, lx, ly = _arc(a, b, lane, header_bottom, down=True)
        n = len(ids)
        arrows.append(Arrow(a, b, "back", ids, path, str(n), lx, ly,
                            f"{_plural(n, 'confirmed pathway link')} back from stage {a} to stage {b}"))
    for k, ids in within:
        n = len(ids)
        arrows.append(Arrow(k, k, "within", ids, "", f"↻ {n} within", _col_x(k) + COL_W / 2,
                            header_bottom + back_band + 16,
                            f"{_plural(n, 'confirmed pathway link')} between services at stage {k}"))

    columns = _columns(net)
    top = header_bottom + back_band + (34 if within else 12)  # room for the "within" counts under the headers
    nodes, marks, bottom = _place_services(net, drawn, stages_of, top)
    outside, band_y, bottom = _place_outside(net, shown, bottom)
    return PathwayDiagram(
        width=PAD * 2 + len(STAGES) * COL_W + (len(STAGES) - 1) * GAP, height=bottom + PAD, columns=columns,
        nodes=nodes, marks=marks, arrows=arrows, outside=outside, header_y=header_y, band_y=band_y,
        no_stage=[(i, net.name(i)) for i in net.services if not stages_of[i]], client_group=net.client_group,
        names={i: net.name(i) for i in net.services}, all_services=len(net.all_services), groups=listed_groups(net))


def _columns(net: Network) -> list[Column]:
    reasons = {f.stages[0]: f.reason for f in missing_stages(net) + thin_stages(net)}
    columns = []
    for k in STAGES:
        here = tuple(net.at_stage[k])
        state = "missing" if not here else "thin" if len(here) == 1 else ""
        note = {"missing": "No service", "thin": "Only one service"}.get(state, f"{len(here)} services")
        label = vocab.PATHWAY_STAGES.label(str(k)).split(". ", 1)[-1]
        lines = tuple(textwrap.wrap(label, 16)[:3])
        columns.append(Column(k, label, lines, _col_x(k), here, state, note, reasons.get(k, "")))
    return columns


def _describe(net: Network, i: int, stages, shown: str) -> str:
    """A box in words for screen readers: first what the box shows (`shown`: its name and tag), then its stages
    and how many services it hands people on to and receives them from."""
    out, inn = len(net.path_out.get(i, ())), len(net.path_in.get(i, ()))
    return "; ".join([shown, _stage_list(stages),
                      f"hands people on to {_plural(out, 'service')}",
                      f"receives people from {_plural(inn, 'service')}"])


def _place_services(net: Network, drawn, stages_of, top: float) -> tuple[list[Node], list[Mark], float]:
    """Each service's box in its first run of stages, packed down the columns it spans (so no two boxes
    overlap; in each column the boxes reaching furthest come first, then by name), then the "also here" marks
    for its further runs at the foot of those columns."""
    dead = {f.actor_ids[0] for f in dead_ends(net)}
    next_y = {k: top for k in STAGES}
    nodes, later = [], []
    widest = {i: _runs(stages_of[i])[0] for i in drawn}  # each column's boxes that span the most columns first
    for i in sorted(drawn, key=lambda i: (widest[i][0], widest[i][0] - widest[i][1], net.sort_key(i))):
        runs = _runs(stages_of[i])
        first, last = runs[0]
        lines = _lines(net.name(i))
        note = "Dead end" if i in dead else ""
        h = 2 * BOX_PAD + LINE_H * len(lines) + (TAG_H if note else 0)
        y = max(next_y[k] for k in range(first, last + 1))
        shown = f"{net.name(i)}, dead end: it receives people but has no confirmed route on" if note else net.name(i)
        nodes.append(Node(i, net.name(i), lines, stages_of[i], _col_x(first), y, _span_w(first, last), h, first, last,
                          dead_end=i in dead, note=note, description=_describe(net, i, stages_of[i], shown)))
        for k in range(first, last + 1):
            next_y[k] = y + h + BOX_GAP
        later += [(a, b, i) for a, b in runs[1:]]
    marks = []
    for a, b, i in sorted(later, key=lambda m: (m[0], net.sort_key(m[2]))):
        y = max(next_y[k] for k in range(a, b + 1))
        lines, home = _lines(net.name(i)), stages_of[i][0]
        h = 2 * BOX_PAD + LINE_H * len(lines) + TAG_H
        marks.append(Mark(i, lines, _col_x(a), y, _span_w(a, b), h, tuple(range(a, b + 1)), home,
                          f"{net.name(i)}, box at stage {home}: it also works at {_stage_list(range(a, b + 1))}"))
        for k in range(a, b + 1):
            next_y[k] = y + h + BOX_GAP
    return nodes, marks, max(next_y.values())


def _place_outside(net: Network, shown: set[int], top: float) -> tuple[list[Node], float | None, float]:
    """The partners outside the area that the drawn services have confirmed pathway links with, in a band under
    the columns, each in the column of its first stage (the last column when it has none)."""
    away: dict[int, list[int]] = {}
    for l in net.out_links:
        if l.kind not in vocab.PATHWAY_LINK_KINDS:
            continue
        for here, far in ((l.source_id, l.target_id), (l.target_id, l.source_id)):
            if here in shown and far in net.outside and net.serves(far, net.client_group):
                away.setdefault(far, []).append(l.id)
    if not away:
        return [], None, top
    band_y = top + 10
    next_y = {k: band_y + 30 for k in STAGES}
    nodes = []
    for i in net.by_name(away):
        a = net.outside[i]
        stages = tuple(k for k in sorted(set(a.stages or ())) if k in STAGES)
        k = stages[0] if stages else STAGES[-1]
        lines = _lines(net.name(i))
        where = ", ".join(net.area_names(i)) or "Out of area"
        n = len(away[i])
        note = f"{_plural(n, 'link')} with this area"
        h = 2 * BOX_PAD + LINE_H * (len(lines) + 1) + TAG_H
        where_lines = _lines(where)
        h += LINE_H * (len(where_lines) - 1)
        nodes.append(Node(i, net.name(i), lines + where_lines, stages, _col_x(k), next_y[k], COL_W, h, k, k,
                          outside=where, note=note,
                          description=_describe(net, i, stages, f"{net.name(i)}, {where}, {note}")))
        next_y[k] += h + BOX_GAP
    return nodes, band_y, max(next_y.values())


def summary(d: PathwayDiagram) -> str:
    """The diagram in one paragraph of words: what it shows and where the pathway breaks."""
    n = _plural
    missing = [c.stage for c in d.columns if c.state == "missing"]
    thin = [c.stage for c in d.columns if c.state == "thin"]
    dead = [x.name for x in d.nodes if x.dead_end]
    parts = [f"{n(len(d.nodes), 'service')} in {len(d.columns)} stage columns, with "
             f"{n(d.links, 'confirmed pathway link')} between them drawn as "
             f"{n(len([a for a in d.bundles if a.kind != 'within']), 'arrow')} (one per pair of stages)."]
    if missing:
        parts.append(f"No service at {_stage_list(missing)}.")
    if thin:
        parts.append(f"Only one service at {_stage_list(thin)}.")
    if d.broken:
        parts.append(f"{n(len(d.broken), 'expected handoff')} missing: "
                     + ", ".join(f"stage {a.from_stage} to {a.to_stage}" for a in d.broken) + ".")
    if dead:
        parts.append(f"{n(len(dead), 'dead end')}: {', '.join(dead)}.")
    if d.outside:
        parts.append(f"{n(len(d.outside), 'partner')} out of area.")
    return " ".join(parts)
