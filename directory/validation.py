"""Checks and normalisers shared by models and forms, with messages people understand."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlparse

from email_validator import EmailNotValidError, validate_email

# UK postcode: outward code (area, district) and inward code (sector, unit).
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ](\d[A-HJKPSTUW0-9]?|[A-HK-Y]\d[ABEHMNPRVWXY0-9]?) ?\d[ABD-HJLNP-UW-Z]{2})$",
    re.ASCII,  # \d is 0-9 only: "SW١A 1AA" (an Arabic-Indic one) is not a postcode
)


class InvalidValue(ValueError):
    """A value that breaks a rule; its message is safe to show next to the field."""


COMMON_PASSWORD = "This is one of the most common passwords; choose one that is harder to guess"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most used passwords of leaked sets, lower case, most common first.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str) -> bool:
    """True when the password, whatever its case or width, is on zxcvbn's list of common passwords."""
    return unicodedata.normalize("NFKC", password).strip().lower() in _common_passwords()


def normalise_postcode(value: str | None) -> str | None:
    """Return a UK postcode in capitals with one space ("SW1A 1AA"), or raise InvalidValue."""
    if value is None or not value.strip():
        return None
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.match(compact) or len(compact) < 5:
        raise InvalidValue(f"“{value.strip()}” is not a UK postcode, for example SW1A 1AA")
    return f"{compact[:-3]} {compact[-3:]}"


def check_web_address(value: str | None) -> str | None:
    """Return a web address if it is http(s) with a host, or raise InvalidValue."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        parsed = urlparse(value)
    except ValueError:  # a malformed host, like "http://[" (an unclosed IPv6 address)
        raise InvalidValue("Enter a web address starting with http:// or https://") from None
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
        raise InvalidValue("Enter a web address starting with http:// or https://")
    return value


def check_email(value: str | None) -> str | None:
    """Return an email address in its one normal form (NFKC, case folded), or raise InvalidValue.

    Accounts are stored, looked up and rate-limited by this form, so "ｄave@EXAMPLE.org" (a fullwidth
    letter, capitals) is the same account as "dave@example.org", never a second one.
    """
    if value is None or not value.strip():
        return None
    # NFKC, fold, NFKC again: folding can undo NFKC for a few characters (Unicode's NFKC_Casefold).
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold()).strip()
    try:
        result = validate_email(folded, check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidValue("Enter an email address in the right format, like name@example.org") from exc
    return result.normalized.lower()


def check_latitude(value: float | None) -> float | None:
    """Latitude in degrees, -90 to 90."""
    if value is None:
        return None
    if not -90 <= float(value) <= 90:
        raise InvalidValue("Latitude must be between -90 and 90")
    return float(value)


def check_longitude(value: float | None) -> float | None:
    """Longitude in degrees, -180 to 180."""
    if value is None:
        return None
    if not -180 <= float(value) <= 180:
        raise InvalidValue("Longitude must be between -180 and 180")
    return float(value)


def slugify(text: str) -> str:
    """A lower-case, hyphenated slug for URLs."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "area"
