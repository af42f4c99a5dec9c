"""Partner finding: rank services for a researcher, and researchers for a service.

Plain functions over plain records: no Flask, no database. The routes load the
candidates with a fixed number of queries and pass them here. Every point of a
score comes with the reason shown beside the result, so the ranking can be read
and checked by hand.

Never offered, whatever the query: services not open to research, and records
that are not active (pending, rejected, archived). A confidential service's own
point never reaches this module: its ``lat``/``lon`` are None and distance is
measured from its area's centre, flagged as approximate.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .. import vocab

# --- Scoring weights, as data ------------------------------------------------

# Points per reason. Tuned so that a research topic the researcher names in full
# outweighs everything else, and closeness and networks break ties among those.
WEIGHTS = {
    "topic_phrase": 10,       # per research topic the service welcomes that the query names in full
    "topic_word": 3,          # per other word in common between the query and the topics welcomed
    "service_type": 2,        # per chosen service type the service is
    "stage": 2,               # per chosen pathway stage the service works at
    "client_group": 2,        # per chosen client group the service works with
    "pie_level": 1,           # per level step on each chosen PIE theme ("developing" = 2 points)
    "pie_network": 4,         # confirmed member of a PIE network (community of practice) of its area
    "other_forum": 1,         # per other forum it is a confirmed member of ...
    "other_forum_max": 3,     # ... counted up to this many
    "research_link": 1,       # per research partnership it already has (hosts research / is evaluated) ...
    "research_link_max": 2,   # ... counted up to this many
}

# (within km, points): the first band a service falls in gives its points.
DISTANCE_BANDS = ((5, 3), (15, 2), (50, 1))

# A chosen PIE theme counts as a match from this level up ("developing").
PIE_MATCH_LEVEL = 2

# Researchers, for the reverse search.
RESEARCHER_WEIGHTS = {
    "topic_phrase": 10,       # per interest the query names in full
    "topic_word": 3,          # per other word in common with the interests
    "method_word": 1,         # per word in common with the methods or disciplines
    "engagement": 3,          # per chosen engagement type the researcher offers
    "seeking": 2,             # says it is seeking partner sites
}

STOP_WORDS = frozenset(
    "a an and at by for from in into of on or the to with within about".split()
)


# --- Plain records -------------------------------------------------------------

@dataclass(frozen=True)
class ForumMembership:
    """A confirmed membership of a forum (member of, or chairs)."""

    name: str
    forum_type: str
    area_id: int | None = None


@dataclass(frozen=True)
class ServiceCandidate:
    """A service as partner finding sees it. lat/lon are None for a confidential service."""

    id: int
    name: str
    area_id: int | None = None
    area_ids: frozenset[int] = frozenset()  # areas served besides the home area
    area_centre: tuple[float, float] | None = None
    lat: float | None = None
    lon: float | None = None
    confidential: bool = False
    status: str = "active"
    open_to_research: bool = False
    research_topics: str = ""
    research_conditions: str = ""
    research_capacity: str = ""
    pie_profile: dict = field(default_factory=dict)
    service_types: tuple[str, ...] = ()
    stages: tuple[int, ...] = ()
    client_groups: tuple[str, ...] = ()
    forums: tuple[ForumMembership, ...] = ()
    research_links: int = 0
    organisation: str = ""
    summary: str = ""
    area_name: str = ""


@dataclass(frozen=True)
class PartnerQuery:
    """What a researcher is looking for. Empty parts do not filter."""

    topics: str = ""
    area_id: int | None = None
    point: tuple[float, float] | None = None
    max_km: float | None = None
    service_types: frozenset[str] = frozenset()
    stages: frozenset[int] = frozenset()
    client_groups: frozenset[str] = frozenset()
    pie_themes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """One reason a result is offered, and the points it adds (0 for plain facts)."""

    text: str
    points: int = 0


@dataclass(frozen=True)
class RankedService:
    """A service offered to a researcher, with its score and reasons."""

    service: ServiceCandidate
    score: int
    reasons: tuple[Reason, ...]
    distance_km: float | None = None
    distance_approximate: bool = False

    @property
    def reason_text(self) -> str:
        """The reasons in one line: "open to research; welcomes reflective practice; 4 km away"."""
        return "; ".join(r.text for r in self.reasons)


@dataclass(frozen=True)
class ResearcherCandidate:
    """A researcher as the reverse search sees it."""

    id: int
    name: str
    status: str = "active"
    area_id: int | None = None
    area_ids: frozenset[int] = frozenset()
    institution: str = ""
    disciplines: str = ""
    interests: str = ""
    methods: str = ""
    engagement_types: tuple[str, ...] = ()
    seeking_partners: bool = False
    summary: str = ""
    area_name: str = ""


@dataclass(frozen=True)
class ResearcherQuery:
    """What a service is looking for in a researcher."""

    interests: str = ""
    engagement_types: frozenset[str] = frozenset()
    seeking_only: bool = True
    area_id: int | None = None


@dataclass(frozen=True)
class RankedResearcher:
    """A researcher offered to a service, with its score and reasons."""

    researcher: ResearcherCandidate
    score: int
    reasons: tuple[Reason, ...]

    @property
    def reason_text(self) -> str:
        """The reasons in one line."""
        return "; ".join(r.text for r in self.reasons)


# --- Words and distance ----------------------------------------------------------

def stem(word: str) -> str:
    """A crude stem: lower case, "ies" -> "y", and a trailing "s" dropped (not "ss")."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The stemmed words of a text that carry meaning, in order, without repeats."""
    found = (stem(w) for w in re.findall(r"[a-z0-9]+", (text or "").lower()))
    return list(dict.fromkeys(w for w in found if w not in STOP_WORDS))


def phrases(text: str) -> list[str]:
    """The topics of a comma-, semicolon- or line-separated list, trimmed, without empties."""
    return [p.strip() for p in re.split(r"[,;\n]+", text or "") if p.strip()]


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def format_km(km: float) -> str:
    """A distance as people say it: "under 1 km", "4 km", "12 km"."""
    return "under 1 km" if km < 1 else f"{round(km)} km"


def topic_matches(query_text: str, topics_text: str, *, phrase_points: int, word_points: int,
                  verb: str) -> list[Reason]:
    """Reasons for the topics named in full, then for other words in common."""
    wanted = set(words(query_text))
    if not wanted:
        return []
    reasons: list[Reason] = []
    used: set[str] = set()
    for topic in phrases(topics_text):
        topic_words = set(words(topic))
        if topic_words and topic_words <= wanted:
            reasons.append(Reason(f"{verb} {topic.lower()}", phrase_points))
            used |= topic_words
    originals: dict[str, str] = {}
    for raw in re.findall(r"[a-z0-9]+", (topics_text or "").lower()):
        originals.setdefault(stem(raw), raw)
    common = [w for w in words(topics_text) if w in wanted and w not in used]
    if common:
        shown = ", ".join(originals.get(w, w) for w in common)
        label = "word" if len(common) == 1 else "words"  # single words, not whole topics
        reasons.append(Reason(f"{label} in common: {shown}", word_points * len(common)))
    return reasons


# --- Services for a researcher ------------------------------------------------------

def is_offerable(service: ServiceCandidate) -> bool:
    """Only active services open to research are ever offered."""
    return service.status == "active" and service.open_to_research


def service_point(service: ServiceCandidate) -> tuple[tuple[float, float] | None, bool]:
    """Where distance is measured from, and whether it is approximate (confidential or no point)."""
    if not service.confidential and service.lat is not None and service.lon is not None:
        return (service.lat, service.lon), False
    return service.area_centre, True


def _passes_filters(s: ServiceCandidate, q: PartnerQuery, distance: float | None) -> bool:
    if q.area_id is not None and s.area_id != q.area_id and q.area_id not in s.area_ids:
        return False
    if q.point is not None and q.max_km is not None and (distance is None or distance > q.max_km):
        return False
    if q.service_types and not q.service_types & set(s.service_types):
        return False
    if q.stages and not q.stages & set(s.stages):
        return False
    if q.client_groups and not q.client_groups & set(s.client_groups):
        return False
    if q.pie_themes and not any(_pie_level(s, t) >= PIE_MATCH_LEVEL for t in q.pie_themes):
        return False
    return True


def _pie_level(s: ServiceCandidate, theme: str) -> int:
    try:
        return int(s.pie_profile.get(theme, 0))
    except (TypeError, ValueError):
        return 0


def _facet_reasons(s: ServiceCandidate, q: PartnerQuery) -> list[Reason]:
    reasons = []
    for key in vocab.SERVICE_TYPES.keys():
        if key in q.service_types and key in s.service_types:
            reasons.append(Reason(vocab.SERVICE_TYPES.label(key).lower(), WEIGHTS["service_type"]))
    for stage in vocab.STAGE_NUMBERS:
        if stage in q.stages and stage in s.stages:
            reasons.append(Reason(f"works at stage {vocab.PATHWAY_STAGES.label(str(stage))}", WEIGHTS["stage"]))
    for key in vocab.CLIENT_GROUPS.keys():
        if key in q.client_groups and key in s.client_groups:
            reasons.append(Reason(f"works with {vocab.CLIENT_GROUPS.label(key).lower()}", WEIGHTS["client_group"]))
    for key in vocab.PIE_THEMES.keys():
        level = _pie_level(s, key)
        if key in q.pie_themes and level > 0:
            reasons.append(Reason(f"PIE practice in {vocab.PIE_THEMES.label(key).lower()}: "
                                  f"{vocab.PIE_LEVELS.label(str(level)).lower()}", WEIGHTS["pie_level"] * level))
    return reasons


def _network_reasons(s: ServiceCandidate) -> list[Reason]:
    reasons = []
    pie = [f for f in s.forums if f.forum_type == "community_of_practice"
           and f.area_id is not None and f.area_id == s.area_id]
    if pie:
        reasons.append(Reason("member of the area's PIE network (" + ", ".join(f.name for f in pie) + ")",
                              WEIGHTS["pie_network"]))
    others = len(s.forums) - len(pie)
    if others:
        counted = min(others, WEIGHTS["other_forum_max"])
        other = " other" if pie else ""  # other than the PIE network named just before
        reasons.append(Reason(f"member of {others}{other} forum{'s' if others != 1 else ''}",
                              WEIGHTS["other_forum"] * counted))
    if s.research_links:
        counted = min(s.research_links, WEIGHTS["research_link_max"])
        n = s.research_links
        reasons.append(Reason(f"already in {n} research partnership{'s' if n != 1 else ''}",
                              WEIGHTS["research_link"] * counted))
    return reasons


def _distance_reason(distance: float, approximate: bool, confidential: bool) -> Reason:
    points = next((p for km, p in DISTANCE_BANDS if distance <= km), 0)
    text = f"{format_km(distance)} away"
    if confidential:
        text += ", distance approximate (confidential location)"
    elif approximate:
        text += ", distance approximate (from the area centre)"
    return Reason(text, points)


def score_service(s: ServiceCandidate, q: PartnerQuery) -> RankedService | None:
    """The service's score and reasons for this query, or None when it must not be offered."""
    if not is_offerable(s):
        return None
    point, approximate = service_point(s)
    distance = haversine_km(q.point, point) if q.point is not None and point is not None else None
    if not _passes_filters(s, q, distance):
        return None
    reasons = [Reason("open to research")]
    reasons += topic_matches(q.topics, s.research_topics, phrase_points=WEIGHTS["topic_phrase"],
                             word_points=WEIGHTS["topic_word"], verb="welcomes")
    reasons += _facet_reasons(s, q)
    reasons += _network_reasons(s)
    if distance is not None:
        reasons.append(_distance_reason(distance, approximate, s.confidential))
    return RankedService(service=s, score=sum(r.points for r in reasons), reasons=tuple(reasons),
                         distance_km=distance, distance_approximate=approximate if distance is not None else False)


def rank_services(query: PartnerQuery, candidates) -> list[RankedService]:
    """Offerable services matching the query, best first: score, then nearest, then name."""
    ranked = [r for r in (score_service(s, query) for s in candidates) if r is not None]
    far = float("inf")
    ranked.sort(key=lambda r: (-r.score, r.distance_km if r.distance_km is not None else far,
                               r.service.name.lower(), r.service.id))
    return ranked


# --- Researchers for a service ------------------------------------------------------

def score_researcher(r: ResearcherCandidate, q: ResearcherQuery) -> RankedResearcher | None:
    """The researcher's score and reasons for this query, or None when it must not be offered."""
    if r.status != "active":
        return None
    if q.seeking_only and not r.seeking_partners:
        return None
    if q.engagement_types and not q.engagement_types & set(r.engagement_types):
        return None
    if q.area_id is not None and r.area_id != q.area_id and q.area_id not in r.area_ids:
        return None
    w = RESEARCHER_WEIGHTS
    reasons: list[Reason] = []
    if r.seeking_partners:
        reasons.append(Reason("seeking partner sites", w["seeking"]))
    reasons += topic_matches(q.interests, r.interests, phrase_points=w["topic_phrase"],
                             word_points=w["topic_word"], verb="interested in")
    wanted, interest_words = set(words(q.interests)), set(words(r.interests))
    method_words = [x for x in words(r.methods + " " + r.disciplines) if x in wanted and x not in interest_words]
    if method_words:
        reasons.append(Reason("methods or disciplines: " + ", ".join(method_words),
                              w["method_word"] * len(method_words)))
    for key in vocab.RESEARCH_ENGAGEMENT_TYPES.keys():
        if key in q.engagement_types and key in r.engagement_types:
            reasons.append(Reason(f"offers {vocab.RESEARCH_ENGAGEMENT_TYPES.label(key).lower()}", w["engagement"]))
    return RankedResearcher(researcher=r, score=sum(x.points for x in reasons), reasons=tuple(reasons))


def rank_researchers(query: ResearcherQuery, candidates) -> list[RankedResearcher]:
    """Researchers matching the query, best first: score, then name."""
    ranked = [x for x in (score_researcher(r, query) for r in candidates) if x is not None]
    ranked.sort(key=lambda x: (-x.score, x.researcher.name.lower(), x.researcher.id))
    return ranked
