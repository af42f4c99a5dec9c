"""Partner ranking on hand-built records: the order and the points worked out by hand."""
from dataclasses import replace

import pytest

from directory.partners.ranking import (
    DISTANCE_BANDS, WEIGHTS, ForumMembership, PartnerQuery, ResearcherCandidate, ResearcherQuery, ServiceCandidate,
    haversine_km, rank_researchers, rank_services, stem, words,
)

HOME = 7  # the area every hand-built service is in
ORIGIN = (52.0, -1.0)
KM_PER_DEGREE_LAT = 111.195  # 2 * pi * 6371.0088 / 360


def north(km: float) -> tuple[float, float]:
    """A point km due north of ORIGIN."""
    return ORIGIN[0] + km / KM_PER_DEGREE_LAT, ORIGIN[1]


def service(id_, name, topics, at=None, **kw) -> ServiceCandidate:
    lat, lon = at if at else (None, None)
    values = dict(id=id_, name=name, area_id=HOME, lat=lat, lon=lon, open_to_research=True,
                  research_topics=topics, area_centre=ORIGIN)
    values.update(kw)
    return ServiceCandidate(**values)


PIE = ForumMembership("Soarbridge PIE Network", "community_of_practice", HOME)
FORUM_A = ForumMembership("Homelessness Forum", "homelessness_forum", HOME)
FORUM_B = ForumMembership("Case Group", "operational_case_group", HOME)

ALPHA = service(1, "Alpha Hostel", "psychologically informed environments, evictions", north(2), forums=(PIE,))
BETA = service(2, "Beta Day Centre", "reflective practice, peer support", north(10), research_links=3)
CEDAR = service(3, "Cedar House", "practice development", north(30), forums=(FORUM_A, FORUM_B))
DOVE = service(4, "Dove Refuge", "evictions", None, confidential=True)  # no point of its own
EAST = service(5, "East Hostel (not open)", "reflective practice, evictions", north(1), open_to_research=False)
FERN = service(6, "Fern House (archived)", "reflective practice, evictions", north(1), status="archived")
GROVE = service(7, "Grove Project (pending)", "reflective practice, evictions", north(1), status="pending")
HAZEL = service(8, "Hazel Lodge (rejected)", "reflective practice, evictions", north(1), status="rejected")
EVERYONE = [ALPHA, BETA, CEDAR, DOVE, EAST, FERN, GROVE, HAZEL]
QUERY = PartnerQuery(topics="Reflective practice and evictions", point=ORIGIN)


def test_weights_are_the_ones_worked_out_by_hand_below():
    assert WEIGHTS["topic_phrase"] == 10 and WEIGHTS["topic_word"] == 3 and WEIGHTS["pie_network"] == 4
    assert WEIGHTS["other_forum"] == 1 and WEIGHTS["research_link"] == 1 and WEIGHTS["research_link_max"] == 2
    assert DISTANCE_BANDS == ((5, 3), (15, 2), (50, 1))


def test_order_worked_out_by_hand():
    # Alpha: "evictions" in full 10 + the area's PIE network 4 + 2 km (within 5 km) 3       = 17
    # Beta:  "reflective practice" in full 10 + 3 research links (counted up to 2) 2 + 10 km 2 = 14
    # Dove:  "evictions" in full 10 + under 1 km from its area centre (confidential) 3       = 13
    # Cedar: the word "practice" 3 + two other forums 2 + 30 km 1                             = 6
    # East (not open), Fern (archived), Grove (pending), Hazel (rejected): never offered.
    ranked = rank_services(QUERY, EVERYONE)
    assert [(r.service.name, r.score) for r in ranked] == [
        ("Alpha Hostel", 17), ("Beta Day Centre", 14), ("Dove Refuge", 13), ("Cedar House", 6)]


def test_reasons_shown_for_each_result():
    by_name = {r.service.name: r for r in rank_services(QUERY, EVERYONE)}
    assert by_name["Alpha Hostel"].reason_text == (
        "open to research; welcomes evictions; member of the area's PIE network (Soarbridge PIE Network); "
        "2 km away")
    assert by_name["Beta Day Centre"].reason_text == (
        "open to research; welcomes reflective practice; already in 3 research partnerships; 10 km away")
    assert by_name["Dove Refuge"].reason_text == (
        "open to research; welcomes evictions; under 1 km away, distance approximate (confidential location)")
    assert by_name["Cedar House"].reason_text == (
        "open to research; word in common: practice; member of 2 forums; 30 km away")
    # Each reason carries its points, and the score is their sum.
    for r in by_name.values():
        assert r.score == sum(reason.points for reason in r.reasons)
    assert [x.points for x in by_name["Alpha Hostel"].reasons] == [0, 10, 4, 3]


def test_not_open_archived_pending_and_rejected_are_never_offered_whatever_the_query():
    never = {"East Hostel (not open)", "Fern House (archived)", "Grove Project (pending)", "Hazel Lodge (rejected)"}
    for query in (PartnerQuery(), QUERY, PartnerQuery(topics="reflective practice evictions", area_id=HOME),
                  PartnerQuery(point=north(1), max_km=5)):
        offered = {r.service.name for r in rank_services(query, EVERYONE)}
        assert not offered & never


def test_confidential_service_is_measured_from_its_area_centre_even_if_a_point_slips_in():
    leaked = replace(DOVE, lat=north(40)[0], lon=north(40)[1])
    (result,) = rank_services(PartnerQuery(point=ORIGIN), [leaked])
    assert result.distance_km == pytest.approx(0, abs=0.01)
    assert result.distance_approximate
    assert "distance approximate (confidential location)" in result.reason_text


def test_ties_go_to_the_nearer_service_then_by_name():
    near = service(10, "Zed", "evictions", north(3))
    far = service(11, "Ash", "evictions", north(4))
    unplaced = service(12, "Birch", "evictions", None, area_centre=None)
    ranked = rank_services(PartnerQuery(topics="evictions", point=ORIGIN), [unplaced, far, near])
    # Zed and Ash both score 10 + 3 (within 5 km); Zed is nearer. Birch has no point: 10, last.
    assert [r.service.name for r in ranked] == ["Zed", "Ash", "Birch"]


def test_distance_limit_area_and_facet_filters():
    served = service(20, "Served Elsewhere", "evictions", north(1), area_id=99, area_ids=frozenset({HOME}))
    other_area = service(21, "Other Area", "evictions", north(1), area_id=99)
    assert {r.service.name for r in rank_services(PartnerQuery(area_id=HOME), [served, other_area])} == {
        "Served Elsewhere"}
    within = rank_services(PartnerQuery(point=ORIGIN, max_km=12), [ALPHA, BETA, CEDAR])
    assert [r.service.name for r in within] == ["Alpha Hostel", "Beta Day Centre"]
    hostel = replace(ALPHA, service_types=("direct_access_hostel",), stages=(4,), client_groups=("single_adults",))
    query = PartnerQuery(service_types=frozenset({"direct_access_hostel", "day_centre"}), stages=frozenset({4}),
                         client_groups=frozenset({"single_adults"}))
    (result,) = rank_services(query, [hostel, BETA])
    # 2 per chosen service type, stage and client group matched, + the PIE network 4 = 10.
    assert result.score == 10
    assert "direct-access hostel" in result.reason_text
    assert "works at stage 4. Emergency accommodation" in result.reason_text
    assert "works with single adults" in result.reason_text


def test_pie_themes_filter_from_developing_and_score_by_level():
    embedded = replace(BETA, id=30, name="Embedded", pie_profile={"learning_enquiry": "4", "three_rs": "1"})
    developing = replace(BETA, id=31, name="Developing", pie_profile={"learning_enquiry": "2"})
    exploring = replace(BETA, id=32, name="Exploring", pie_profile={"learning_enquiry": "1"})
    query = PartnerQuery(pie_themes=frozenset({"learning_enquiry", "three_rs"}))
    ranked = rank_services(query, [exploring, developing, embedded])
    # Embedded: 4 + 1 (three Rs, exploring) + 2 links = 7; Developing: 2 + 2 links = 4; Exploring: filtered out.
    assert [(r.service.name, r.score) for r in ranked] == [("Embedded", 7), ("Developing", 4)]
    assert "PIE practice in learning and enquiry: embedded" in ranked[0].reason_text


def test_pie_network_of_another_area_counts_as_another_forum():
    away = replace(ALPHA, forums=(ForumMembership("Far PIE Network", "community_of_practice", 99),))
    (result,) = rank_services(PartnerQuery(), [away])
    assert result.reason_text == "open to research; member of 1 forum"
    assert result.score == 1
    both = replace(ALPHA, forums=ALPHA.forums + away.forums)
    assert "member of the area's PIE network" in rank_services(PartnerQuery(), [both])[0].reason_text
    assert rank_services(PartnerQuery(), [both])[0].reason_text.endswith("member of 1 other forum")


def test_words_and_stemming():
    assert stem("environments") == "environment" and stem("inequalities") == "inequality"
    assert stem("class") == "class" and stem("bus") == "bus"
    assert words("Psychologically Informed Environments and the evictions") == [
        "psychologically", "informed", "environment", "eviction"]
    # Singular and plural match each other.
    (result,) = rank_services(PartnerQuery(topics="eviction"), [DOVE])
    assert result.reason_text == "open to research; welcomes evictions"


def test_haversine_is_right_for_a_known_distance():
    # Equator to pole along a meridian: a quarter of the mean circumference, about 10,007.5 km.
    assert haversine_km((0, 0), (90, 0)) == pytest.approx(10007.5, abs=1)
    # One degree of longitude on the equator: about 111.2 km; symmetric.
    assert haversine_km((0, 0), (0, 1)) == pytest.approx(111.2, abs=0.1) == haversine_km((0, 1), (0, 0))
    assert haversine_km(ORIGIN, north(10)) == pytest.approx(10, abs=0.01)


# --- Researchers for a service -----------------------------------------------------

def researcher(id_, name, interests, engagement, seeking=True, **kw):
    return ResearcherCandidate(id=id_, name=name, interests=interests, engagement_types=tuple(engagement),
                               seeking_partners=seeking, area_id=HOME, **kw)


def test_researchers_order_worked_out_by_hand():
    r1 = researcher(1, "Fidelity Group", "housing first, fidelity", ["evaluation_partner"], methods="mixed methods")
    r2 = researcher(2, "Outreach Lab", "evaluation of outreach", ["evaluation_partner", "knowledge_exchange"])
    r3 = researcher(3, "Not Seeking", "housing first", ["evaluation_partner"], seeking=False)
    r4 = researcher(4, "Peer Collective", "housing first", ["peer_research"])
    r5 = researcher(5, "Realist Team", "homelessness", ["evaluation_partner"], methods="realist evaluation")
    r6 = researcher(6, "Archived Team", "housing first", ["evaluation_partner"], status="archived")
    query = ResearcherQuery(interests="Housing First evaluation", engagement_types=frozenset({"evaluation_partner"}))
    ranked = rank_researchers(query, [r1, r2, r3, r4, r5, r6])
    # r1: seeking 2 + "housing first" in full 10 + evaluation partner 3      = 15
    # r2: seeking 2 + the word "evaluation" 3 + evaluation partner 3          = 8
    # r5: seeking 2 + "evaluation" among its methods 1 + evaluation partner 3 = 6
    # r3 is not seeking partner sites, r4 offers no evaluation, r6 is archived.
    assert [(r.researcher.name, r.score) for r in ranked] == [
        ("Fidelity Group", 15), ("Outreach Lab", 8), ("Realist Team", 6)]
    assert ranked[0].reason_text == "seeking partner sites; interested in housing first; offers evaluation partner"
    assert ranked[2].reason_text == (
        "seeking partner sites; methods or disciplines: evaluation; offers evaluation partner")
    everyone = rank_researchers(ResearcherQuery(interests="housing first", seeking_only=False), [r1, r3, r4, r6])
    assert [r.researcher.name for r in everyone] == ["Fidelity Group", "Peer Collective", "Not Seeking"]
