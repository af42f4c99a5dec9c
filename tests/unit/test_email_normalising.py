"""One normal form for an email address (NFKC + casefold), so variants of an address are the same account."""
import pytest

from directory.validation import InvalidValue, check_email

VARIANTS = ["dave@example.org", "DAVE@EXAMPLE.ORG", "  dave@example.org ", "dave@exａmple.org",
            "ｄave@example.org", "ＤＡＶＥ@ＥＸＡＭＰＬＥ.ＯＲＧ", "Dave@Example.Org\u3000"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_variants_of_an_address_have_one_normal_form(variant):
    assert check_email(variant) == "dave@example.org"


def test_case_is_folded_not_only_lowered():
    assert check_email("STRASSE@example.org") == check_email("straße@example.org") == "strasse@example.org"
    assert check_email("ﬁle@example.org") == "file@example.org"


def test_the_normal_form_is_stable():
    # Every character of the Basic Multilingual Plane that can sit in a local part, normalised twice.
    for code in range(0x80, 0x10000):
        try:
            once = check_email(f"a{chr(code)}b@example.org")
        except InvalidValue:
            continue
        assert check_email(once) == once, hex(code)


def test_a_fullwidth_at_sign_is_an_at_sign():
    assert check_email("dave\uff20example.org") == "dave@example.org"  # as a Japanese keyboard may type it
