"""Likely duplicates of a new record: plain functions over names, areas and postcodes.

A confidential service (a refuge) is matched by name and area only: matching it by postcode would
confirm a guessed postcode, so its candidate never carries one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SIMILARITY = 0.8
# Words that say little about which organisation a name belongs to.
_FILLER = {"the", "ltd", "limited", "cic", "plc", "llp", "inc", "of"}


@dataclass(frozen=True)
class Candidate:
    """An existing record a new one might duplicate."""

    id: int
    name: str
    area_id: int | None
    postcode: str | None  # always None for a confidential service
    status: str = "active"
    confidential: bool = False


@dataclass(frozen=True)
class Match:
    """A likely duplicate and why it was picked."""

    candidate: Candidate
    reasons: tuple[str, ...]


def name_tokens(name: str) -> list[str]:
    """The words of a name, lower-cased, without punctuation or filler words."""
    text = (name or "").lower().replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", text)
    return [w for w in words if w not in _FILLER]


def names_similar(a: str, b: str, threshold: float = SIMILARITY) -> bool:
    """True when two names are alike, ignoring case, punctuation and word order."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    ja, jb = " ".join(ta), " ".join(tb)
    if ja == jb:
        return True
    shorter, longer = (ja, jb) if len(ja) <= len(jb) else (jb, ja)
    if len(shorter) >= 4 and f" {shorter} " in f" {longer} ":
        return True
    if SequenceMatcher(None, ja, jb).ratio() >= threshold:
        return True
    return SequenceMatcher(None, " ".join(sorted(ta)), " ".join(sorted(tb))).ratio() >= threshold


def _postcode_key(postcode: str | None) -> str:
    return re.sub(r"\s+", "", postcode or "").upper()


def likely_duplicates(name: str, area_id: int | None, postcode: str | None,
                      candidates, *, exclude_ids=()) -> list[Match]:
    """Candidates with a similar name in the same home area, or the same postcode (never a confidential one)."""
    wanted = _postcode_key(postcode)
    excluded = set(exclude_ids)
    found = []
    for c in candidates:
        if c.id in excluded:
            continue
        reasons = []
        if area_id is not None and c.area_id == area_id and names_similar(name, c.name):
            reasons.append("a similar name in the same area")
        if wanted and not c.confidential and _postcode_key(c.postcode) == wanted:
            reasons.append("the same postcode")
        if reasons:
            found.append(Match(c, tuple(reasons)))
    found.sort(key=lambda m: (-len(m.reasons), m.candidate.name.lower()))
    return found
