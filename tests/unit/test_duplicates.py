"""The duplicate finder: similar names in the same area, or the same postcode."""
from directory.records.duplicates import Candidate, likely_duplicates, name_tokens, names_similar


def test_names_ignore_case_punctuation_filler_and_order():
    assert name_tokens("The Harbour-Lights Trust Ltd.") == ["harbour", "lights", "trust"]
    assert names_similar("Harbour Lights Day Centre", "harbour lights day-centre")
    assert names_similar("St. Mungo's Outreach", "St Mungos Outreach")
    assert names_similar("Outreach & Advice", "outreach and advice")
    assert names_similar("Advice Hub North", "North Advice Hub")


def test_one_name_containing_the_other_counts():
    assert names_similar("Harbour Lights", "Harbour Lights Day Centre")
    assert not names_similar("Hub", "Hubbard Street Hostel")


def test_different_names_are_not_similar():
    assert not names_similar("Harbour Lights Day Centre", "Riverside Hostel")
    assert not names_similar("", "Riverside Hostel")
    assert not names_similar("The", "The Ltd")


def test_likely_duplicates_by_name_in_area_or_postcode():
    candidates = [
        Candidate(1, "Harbour Lights Day Centre", 10, "M1 1AE"),
        Candidate(2, "Harbour Lights Day Centre", 20, None),      # similar name, other area
        Candidate(3, "Riverside Hostel", 20, "M1 1AE"),           # same postcode, other name
        Candidate(4, "Riverside Hostel", 10, "LS1 1UR"),          # neither
    ]
    found = likely_duplicates("harbour lights day centre", 10, "m1 1ae", candidates)
    assert [m.candidate.id for m in found] == [1, 3]
    assert found[0].reasons == ("a similar name in the same area", "the same postcode")
    assert found[1].reasons == ("the same postcode",)


def test_excluded_and_missing_values():
    candidates = [Candidate(1, "Harbour Lights", 10, "M1 1AE")]
    assert likely_duplicates("Harbour Lights", 10, None, candidates, exclude_ids=[1]) == []
    assert likely_duplicates("Harbour Lights", None, None, candidates) == []
    assert [m.candidate.id for m in likely_duplicates("Other", None, "M11AE", candidates)] == [1]


def test_a_confidential_candidate_is_matched_by_name_and_area_only_even_if_a_postcode_slips_in():
    refuge = Candidate(1, "Hillside Refuge", 5, "LE2 1AB", confidential=True)
    assert likely_duplicates("Harbour Lights", 6, "le2 1ab", [refuge]) == []
    [match] = likely_duplicates("Hillside Refuge", 5, "LE2 1AB", [refuge])
    assert match.reasons == ("a similar name in the same area",)
