"""Findings and metrics over a network snapshot: where the pathway breaks.

Plain functions over `directory.snapshot.Snapshot`; no Flask, no database.
Every public function takes a Snapshot, or a `Network` from `prepare()` so
several functions can share the work of reading one snapshot.

Rules used throughout:
- Only active actors count (status "active").
- A link counts only when it is confirmed, both its ends are active actors in
  the snapshot and it does not join an actor to itself; anything else is
  ignored, never an error.
- Several links between the same two actors are one *tie* where ties matter
  (isolated, fragile ties, brokers, components, degrees, density).
- Both-ways kinds (co-located, case-conferences) count in both directions for
  in/out degree and density.

Decisions: an isolated service or forum is medium, an isolated researcher low
(researchers usually arrive without partners). Isolated actors, fragile ties
and brokers are judged on an actor's whole network: links leaving the area
count, every actor outside the area standing as one node ("elsewhere", as they
are joined through the rest of the country); only the area's actors are
reported as brokers or named as cut off. Fragmentation and the metrics are
judged within the area. Fragmentation counts groups among actors with at least
one link (isolated actors have their own finding); metrics' components count
every active actor. Barrier severity counts distinct reporting services, not
reports. A broker finding's actor_ids are the broker then up to five of the
actors it would cut off. Brokers are found by one depth-first search (linear
time), not by removing each actor in turn. find_all merges findings about one
actor and cause and puts barrier reports inside the gaps they bear on
(`evidence`).

The package: `core` (vocabularies, Finding, Network), `pathway`, `structure` and
`reports` (the findings), `evidence` (merging, barrier reports as evidence),
`shortlist` (what to raise: at most five findings by a documented score),
`candidates` (next steps naming partners chosen by fit), `measures` (metrics,
stage and client-group coverage), `scores` (an area's score: how complete and
joined-up its pathway is) and `summary` (find_all, grouping, map gap markers,
the national ranking).
"""
from __future__ import annotations

from .. import vocab
from .core import (BETWEENNESS_BUDGET, BETWEENNESS_EXACT_LIMIT, FINDING_KINDS, METRIC_EXPLANATIONS, SEVERITIES,
                   STAGES, Finding, Network, prepare)
from .candidates import distance_km, fit, gap_actions, kind_fits, link_kind_for
from .evidence import BEARS_ON, corroborate, merge
from .measures import client_group_coverage, metrics, stage_coverage
from .pathway import (broken_handoffs, client_group_gaps, dead_ends, handoff_routes, listed_groups, missing_stages,
                      restricted_stages, thin_stages)
from .reports import barrier_groups, stale_links, stale_records
from .scores import SCORE_PARTS, AreaScore, ScorePart, area_score
from .shortlist import SCORE_RULE, ShortlistItem, shortlist
from .structure import brokers, fragile_ties, fragmentation, isolated_actors, outside_forums
from .summary import (BARRIER_MARK, GAP_LABELS, GAP_MARKS, SORT_ORDERS, AreaGaps, area_gaps, find_all, gap_markers, group_by_kind,
                      rank_areas, severity_counts, split_by_area)

__all__ = [
    "vocab", "BETWEENNESS_BUDGET", "BETWEENNESS_EXACT_LIMIT", "FINDING_KINDS", "METRIC_EXPLANATIONS", "SEVERITIES",
    "STAGES", "Finding", "Network", "prepare", "metrics", "stage_coverage", "broken_handoffs", "dead_ends",
    "missing_stages", "thin_stages", "barrier_groups", "stale_links", "stale_records", "brokers", "fragile_ties",
    "fragmentation", "isolated_actors", "outside_forums", "client_group_coverage", "client_group_gaps",
    "restricted_stages", "handoff_routes", "listed_groups", "distance_km", "fit", "gap_actions", "kind_fits", "link_kind_for",
    "BARRIER_MARK", "GAP_LABELS", "GAP_MARKS", "SORT_ORDERS", "AreaGaps", "area_gaps",
    "find_all", "gap_markers", "group_by_kind", "rank_areas", "severity_counts", "split_by_area",
    "SCORE_PARTS", "AreaScore", "ScorePart", "area_score",
    "BEARS_ON", "corroborate", "merge", "SCORE_RULE", "ShortlistItem", "shortlist",
]
