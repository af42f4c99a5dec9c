"""The directory's vocabulary, as data: keys, labels, descriptions and order.

Models, forms, filters, templates and the analysis all read from here, so a
term is added or relabelled in one place. Items marked "(proposed)" in the
design are our own modelling; the rest follow published UK sector usage.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a stable key, a label and a description."""

    key: str
    label: str
    description: str = ""
    proposed: bool = False


class Vocabulary:
    """An ordered list of terms (anything with a key and a label) with lookup by key, and named groups of keys."""

    def __init__(self, name: str, terms: list, groups: dict[str, Iterable[str]] | None = None):
        self.name = name
        self.terms = terms
        self._by_key = {t.key: t for t in terms}
        if len(self._by_key) != len(terms):
            raise ValueError(f"duplicate key in vocabulary {name}")
        self._groups = {g: frozenset(keys) for g, keys in (groups or {}).items()}
        for g, keys in self._groups.items():
            if not keys <= self._by_key.keys():
                unknown = sorted(keys - self._by_key.keys())
                raise ValueError(f"group {g} of vocabulary {name} names unknown keys: {unknown}")

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def keys(self) -> list[str]:
        """Keys in display order."""
        return [t.key for t in self.terms]

    def __getitem__(self, key: str):
        return self._by_key[key]

    def get(self, key: str) -> Term | None:
        """The term for a key, or None."""
        return self._by_key.get(key)

    def label(self, key: str | None) -> str:
        """The label for a key; unknown keys are shown as they are."""
        term = self._by_key.get(key or "")
        return term.label if term else (key or "")

    def choices(self) -> list[tuple[str, str]]:
        """(key, label) pairs for WTForms select fields."""
        return [(t.key, t.label) for t in self.terms]

    def group(self, name: str) -> frozenset[str]:
        """The keys of a named group (KeyError for a group the vocabulary does not define)."""
        return self._groups[name]


def _v(name: str, *rows) -> Vocabulary:
    terms = []
    for row in rows:
        key, label, *rest = row
        desc = rest[0] if rest else ""
        proposed = bool(rest[1]) if len(rest) > 1 else False
        terms.append(Term(key, label, desc, proposed))
    return Vocabulary(name, terms)


# --- Actors -----------------------------------------------------------------

ACTOR_KINDS = _v(
    "actor kinds",
    ("service", "Service", "A service run by an organisation."),
    ("forum", "Forum", "A local forum, partnership board or network."),
    ("researcher", "Researcher", "An individual researcher or research group."),
)

ACTOR_STATUSES = _v(
    "record statuses",
    ("pending", "Pending approval", "Waiting for a moderator to approve it."),
    ("active", "Active", "Approved and shown in the directory."),
    ("rejected", "Rejected", "Not approved by a moderator."),
    ("archived", "Archived", "Withdrawn by its managers or a moderator; can be restored."),
)

# The role a record was archived in (Actor.archived_as), so a moderator's decision is not undone by a manager.
ARCHIVED_AS = _v(
    "roles a record was archived in",
    ("manager", "a manager", "Any of its managers, a coordinator of its area or an administrator can restore it."),
    ("moderator", "a moderator", "Only a coordinator of its area or an administrator can restore it."),
    ("admin", "an administrator", "Only a coordinator of its area or an administrator can restore it."),
)

SERVICE_TYPES = _v(
    "service types",
    ("housing_options", "Housing options / prevention", "Local authority housing options and prevention duty work."),
    ("advice_advocacy", "Advice and advocacy"),
    ("street_outreach", "Street outreach"),
    ("day_centre", "Day centre"),
    ("assessment_hub", "Assessment hub"),
    ("emergency_accommodation", "Emergency accommodation", "Night shelter, severe weather emergency protocol (SWEP)."),
    ("direct_access_hostel", "Direct-access hostel"),
    ("second_stage_supported", "Second-stage supported accommodation"),
    ("specialist_supported", "Specialist supported accommodation"),
    ("temporary_accommodation", "Temporary accommodation"),
    ("housing_first", "Housing First"),
    ("navigator", "Navigator / coordination"),
    ("tenancy_sustainment", "Tenancy sustainment"),
    ("lettings_prs_access", "Lettings agency / private-rented access"),
    ("social_housing_provider", "Social housing provider"),
    ("mental_health", "Mental health"),
    ("substance_use", "Substance use"),
    ("dual_diagnosis", "Dual diagnosis"),
    ("criminal_justice", "Criminal justice"),
    ("domestic_abuse", "Domestic abuse"),
    ("inclusion_health", "Primary / inclusion health"),
    ("hospital_acute", "Hospital / acute"),
    ("adult_social_care", "Adult social care"),
    ("employment_welfare", "Employment and welfare"),
    ("lived_experience_org", "Lived-experience / peer organisation"),
    ("commissioner", "Commissioner", "Commissions services in the area.", True),
    ("other", "Other"),
)

# Accommodation types: "moves people on to" starts at one of these, and the
# dead-end finding looks at them.
ACCOMMODATION_SERVICE_TYPES = frozenset({
    "emergency_accommodation", "direct_access_hostel", "second_stage_supported",
    "specialist_supported", "temporary_accommodation", "housing_first",
})
HOUSING_SERVICE_TYPES = ACCOMMODATION_SERVICE_TYPES | {
    "social_housing_provider", "lettings_prs_access", "tenancy_sustainment",
}

PATHWAY_STAGES = _v(
    "pathway stages",
    ("1", "1. Prevention", "Stopping homelessness before it happens."),
    ("2", "2. First contact and outreach", "Reaching people who are sleeping rough or at risk."),
    ("3", "3. Assessment and relief", "Assessing need and relieving homelessness."),
    ("4", "4. Emergency accommodation", "Somewhere safe tonight."),
    ("5", "5. Supported accommodation", "Accommodation with support while people recover."),
    ("6", "6. Move-on and rehousing", "Moving on into a settled home."),
    ("7", "7. Tenancy sustainment and recovery", "Keeping a home and building a life."),
)
STAGE_NUMBERS = [int(k) for k in PATHWAY_STAGES.keys()]
ACCOMMODATION_STAGES = frozenset({4, 5})

CLIENT_GROUPS = _v(
    "client groups",
    ("single_adults", "Single adults"),
    ("families", "Families with children"),
    ("young_people", "Young people (16-25)"),
    ("women", "Women"),
    ("domestic_abuse_survivors", "Survivors of domestic abuse"),
    ("rough_sleepers", "People sleeping rough"),
    ("prison_leavers", "Prison leavers"),
    ("care_leavers", "Care leavers"),
    ("hospital_discharge", "People leaving hospital"),
    ("veterans", "Veterans"),
    ("nrpf", "People with no recourse to public funds"),
    ("refugees_migrants", "Refugees and migrants"),
    ("lgbtq", "LGBTQ+ people"),
    ("older_people", "Older people"),
    ("complex_needs", "People with multiple and complex needs"),
)

ENGAGEMENT_OFFERED = _v(
    "engagement offered",
    ("training", "Training", "Training for staff of other services."),
    ("consultancy", "Consultancy", "Consultancy to other services."),
    ("supervision", "Supervision", "Clinical or reflective-practice supervision."),
)

# --- Forums and researchers -------------------------------------------------

FORUM_TYPES = _v(
    "forum types",
    ("homelessness_forum", "Homelessness forum"),
    ("strategy_group", "Homelessness strategy group"),
    ("strategic_board", "Multi-agency strategic board", "For example MEAM or Changing Futures."),
    ("operational_case_group", "Operational case group"),
    ("safeguarding_adults_board", "Safeguarding adults board"),
    ("health_wellbeing_board", "Health and wellbeing board"),
    ("community_safety_partnership", "Community safety partnership"),
    ("lived_experience_panel", "Lived-experience panel"),
    ("community_of_practice", "Community of practice", "For example a PIE network."),
    ("other", "Other"),
)

MEETING_FREQUENCIES = _v(
    "meeting frequencies",
    ("weekly", "Weekly"),
    ("fortnightly", "Fortnightly"),
    ("monthly", "Monthly"),
    ("bimonthly", "Every two months"),
    ("quarterly", "Quarterly"),
    ("irregular", "As needed"),
)

RESEARCH_ENGAGEMENT_TYPES = _v(
    "researcher engagement types",
    ("researcher_in_residence", "Researcher in residence"),
    ("evaluation_partner", "Evaluation partner"),
    ("evidence_generating_practice", "Evidence-generating practice", "Write-up with practitioners."),
    ("peer_research", "Lived-experience co-production / peer research"),
    ("knowledge_exchange", "Knowledge exchange"),
    ("student_placement", "Student placement", "", True),
    ("commissioned_research", "Commissioned research", "", True),
)

# --- PIEs 2.0 practice profile ---------------------------------------------

PIE_THEMES = _v(
    "PIEs 2.0 themes",
    ("psychological_awareness", "Psychological awareness"),
    ("training_support", "Training and support"),
    ("learning_enquiry", "Learning and enquiry",
     "Reflective practice, culture of enquiry, sector engagement, evidence-generating practice."),
    ("spaces_of_opportunity", "Spaces of opportunity",
     "Built environment, networks and surroundings, pathways and system coherence."),
    ("three_rs", "The three Rs", "Rules and procedures, roles and relationships, responsiveness."),
)

PIE_LEVELS = _v(
    "PIE practice levels",
    ("0", "Not started"),
    ("1", "Exploring"),
    ("2", "Developing"),
    ("3", "Established"),
    ("4", "Embedded", "", True),
)

# --- Collaborations ----------------------------------------------------------

LINK_GROUPS = _v(
    "link groups",
    ("pathway", "Pathway", "How people move between services."),
    ("learning", "Learning", "Training, consultancy, supervision and peer review."),
    ("governance", "Governance", "Forum membership, chairing, reporting and commissioning."),
    ("joint", "Joint work", "Working side by side."),
    ("research", "Research", "Hosting and evaluating research."),
)

ANY = frozenset({"service", "forum", "researcher"})
SVC = frozenset({"service"})
FORUM = frozenset({"forum"})
RES = frozenset({"researcher"})
SVC_FORUM = frozenset({"service", "forum"})


@dataclass(frozen=True)
class LinkKind:
    """A kind of collaboration and which actor kinds it may join."""

    key: str
    label: str
    group: str
    sources: frozenset
    targets: frozenset
    both_ways: bool = False
    description: str = ""
    # Extra rule on service types: "moves people on to" starts in accommodation.
    source_service_types: frozenset = field(default_factory=frozenset)
    target_service_types: frozenset = field(default_factory=frozenset)

    def allows(self, source_kind: str, target_kind: str) -> bool:
        """True when this kind may join an actor of source_kind to one of target_kind."""
        ok = source_kind in self.sources and target_kind in self.targets
        if self.both_ways:
            ok = ok or (target_kind in self.sources and source_kind in self.targets)
        return ok


_LINK_KIND_TERMS = [
    LinkKind("refers_to", "Refers to", "pathway", SVC, SVC, description="Refers people to."),
    LinkKind("moves_on_to", "Moves people on to", "pathway", SVC, SVC,
             description="Moves people on from accommodation to accommodation or housing.",
             source_service_types=ACCOMMODATION_SERVICE_TYPES,
             target_service_types=HOUSING_SERVICE_TYPES),
    LinkKind("duty_to_refer", "Duty to refer to", "pathway", SVC, SVC,
             description="Statutory duty to refer (Homelessness Reduction Act 2017)."),
    LinkKind("trains", "Trains", "learning", SVC_FORUM | RES, SVC_FORUM),
    LinkKind("consults_for", "Provides consultancy to", "learning", SVC | RES, SVC_FORUM),
    LinkKind("supervises", "Supervises", "learning", SVC | RES, SVC,
             description="Clinical or reflective-practice supervision."),
    LinkKind("peer_reviews", "Peer-reviews", "learning", SVC, SVC),
    LinkKind("member_of", "Member of", "governance", ANY, FORUM),
    LinkKind("chairs", "Chairs / convenes", "governance", ANY, FORUM),
    LinkKind("reports_to", "Reports to", "governance", FORUM, FORUM),
    LinkKind("commissions", "Commissions", "governance", SVC_FORUM, SVC | RES),
    LinkKind("co_located", "Co-located with", "joint", SVC, SVC, both_ways=True),
    LinkKind("case_conferences", "Case-conferences with", "joint", SVC, SVC, both_ways=True),
    LinkKind("hosts_research", "Hosts research by", "research", SVC, RES),
    LinkKind("evaluates", "Evaluates", "research", RES, SVC),
]
LINK_KINDS = Vocabulary("link kinds", _LINK_KIND_TERMS, groups={
    **{g.key: [k.key for k in _LINK_KIND_TERMS if k.group == g.key] for g in LINK_GROUPS},
    # Being in a forum: what makes a service part of it (the analysis, the coordinators' view of barriers).
    "membership": ["member_of", "chairs"],
})
PATHWAY_LINK_KINDS = LINK_KINDS.group("pathway")
MEMBERSHIP_LINK_KINDS = LINK_KINDS.group("membership")
RESEARCH_LINK_KINDS = LINK_KINDS.group("research")


LINK_STATUSES = _v(
    "link statuses",
    ("proposed", "Proposed", "Proposed by one side, waiting for the other."),
    ("confirmed", "Confirmed", "Confirmed by the other side."),
    ("declined", "Declined", "Declined by the other side."),
    ("ended", "Ended", "No longer in place."),
)
LIVE_LINK_STATUSES = ("proposed", "confirmed")

# --- Barriers ---------------------------------------------------------------

BARRIER_CATEGORIES = _v(
    "barrier categories",
    ("capacity_full", "Capacity full"),
    ("needs_too_complex", "Needs judged too complex"),
    ("risk_exclusion", "Risk exclusion"),
    ("eligibility_legal", "Eligibility / legal",
     "Priority need, local connection, no recourse to public funds."),
    ("referrals_rejected", "Referrals rejected or no referral route"),
    ("no_move_on", "No move-on"),
    ("transition_cliff_edge", "Transition cliff edge", "Leaving prison, care or hospital."),
    ("revolving_door", "Revolving door / eviction"),
    ("inflexible_rules", "Inflexible rules"),
    ("funding", "Short-term or fragmented funding"),
    ("workforce", "Workforce, training or burnout"),
    ("data_sharing", "Data sharing"),
    ("dual_diagnosis_exclusion", "Dual-diagnosis exclusion"),
    ("other", "Other"),
)

BARRIER_VISIBILITIES = _v(
    "barrier visibility",
    ("public", "Public", "Anyone can see it."),
    ("members", "Signed-in members", "Anyone signed in can see it."),
    ("coordinators", "Coordinators of its forums", "Only coordinators of the service's forums and of its home area, and its managers."),
)

STALE_AFTER_DAYS = 365

# --- The pathway's expected handoffs ---------------------------------------------


@dataclass(frozen=True)
class ExpectedRoute:
    """A handoff the pathway expects: people handed on from one stage to another, why it matters and how
    serious its absence is. With `to_service_types`, only services of those types count at the far end
    (Housing First has its own route from assessment)."""

    from_stage: int
    to_stage: int
    why: str
    severity: str = "high"
    to_service_types: frozenset = field(default_factory=frozenset)
    name: str = ""  # what the far end is called when it is not the whole stage ("Housing First")

    @property
    def key(self) -> str:
        """A stable key: "3-4", or "3-7-housing_first" for a route to certain service types."""
        base = f"{self.from_stage}-{self.to_stage}"
        return base + ("-" + "-".join(sorted(self.to_service_types)) if self.to_service_types else "")


# Follows UK practice under the Homelessness Reduction Act 2017: prevention hands on at assessment (the
# relief duty), not at outreach, so there is no 1 -> 2 route; outreach brings people to assessment.
EXPECTED_ROUTES = [
    ExpectedRoute(1, 3, "When prevention fails, people need an assessment for the relief duty without starting "
                  "again."),
    ExpectedRoute(2, 3, "People met by outreach or drop-ins need a route into assessment, or they stay on the "
                  "street."),
    ExpectedRoute(3, 4, "Once assessed, people need somewhere safe tonight."),
    ExpectedRoute(3, 5, "Some people assessed can go straight to supported accommodation, skipping a hostel.",
                  "medium"),
    ExpectedRoute(4, 5, "Emergency accommodation only works if people can move on to support."),
    ExpectedRoute(4, 6, "Some people in emergency accommodation are ready for a settled home now.", "medium"),
    ExpectedRoute(5, 6, "Without move-on, supported accommodation silts up and the hostels behind it fill."),
    ExpectedRoute(6, 7, "A new tenancy without support is the most likely to fail in its first year."),
    ExpectedRoute(3, 7, "Housing First takes people with the most complex needs straight from assessment into "
                  "their own tenancy.", "medium", frozenset({"housing_first"}), "Housing First"),
]
