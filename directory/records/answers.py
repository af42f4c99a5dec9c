"""Answers: the flat dict of form fields that moves between forms, drafts and records."""
from __future__ import annotations

from .. import vocab
from ..conflicts import HIDDEN
from ..fields import in_words
from ..models import Actor, Area

# Multi-valued answers and the actor facet each is stored in.
FACETS = {
    "service_types": "service_type",
    "stages": "stage",
    "client_groups": "client_group",
    "engagement_offered": "engagement_offered",
    "research_engagement": "research_engagement",
}
PIE_PREFIX = "pie_"
_COMMON = ("name", "summary", "description", "address", "postcode", "latitude", "longitude", "website",
           "phone", "contact_email")
_BY_KIND = {
    "service": ("organisation", "eligibility", "capacity", "referral_route", "self_referral",
                "open_to_research", "research_topics", "research_conditions", "research_capacity",
                "confidential"),
    "forum": ("forum_type", "meeting_frequency", "open_to_new_members", "coordinator_contact"),
    "researcher": ("institution", "disciplines", "interests", "methods", "seeking_partners"),
}
_FACETS_BY_KIND = {
    "service": ("service_types", "stages", "client_groups", "engagement_offered"),
    "forum": (),
    "researcher": ("research_engagement",),
}
_NULLABLE = {"postcode", "website", "contact_email", "latitude", "longitude", "forum_type",
             "meeting_frequency"}


def from_form(form) -> dict:
    """The answers a validated form holds (without its CSRF token and version)."""
    return {name: f.data for name, f in form._fields.items() if name not in HIDDEN}


def from_actor(actor: Actor) -> dict:
    """The answers that describe an existing record, as the forms hold them."""
    kind = actor.kind
    answers = {name: getattr(actor, name) for name in _COMMON + _BY_KIND[kind]}
    for name in _NULLABLE & answers.keys():
        if answers[name] is None and name not in ("latitude", "longitude"):
            answers[name] = ""
    answers["area_id"] = str(actor.area_id) if actor.area_id else ""
    answers["areas_served"] = sorted(str(a.id) for a in actor.areas_served)
    for name in _FACETS_BY_KIND[kind]:
        answers[name] = actor.values(FACETS[name])
    if kind == "service":
        profile = actor.pie_profile or {}
        for theme in vocab.PIE_THEMES:
            answers[PIE_PREFIX + theme.key] = str(profile.get(theme.key, ""))
    return answers


def apply(actor: Actor, answers: dict, areas_by_id: dict[int, Area]) -> None:
    """Write answers onto a record (new or existing); validation happened in the forms."""
    kind = actor.kind
    for name in _COMMON + _BY_KIND[kind]:
        if name in answers:
            value = answers[name]
            if name in _NULLABLE and value == "":
                value = None
            setattr(actor, name, value)
    if answers.get("area_id"):
        actor.area = areas_by_id[int(answers["area_id"])]
        actor.area_id = actor.area.id  # now, not at flush: from_actor() reads it to log the change
    if "areas_served" in answers:
        home = actor.area.id if actor.area else None
        served = (int(i) for i in answers["areas_served"])  # each once already (CheckboxesField)
        actor.areas_served = [areas_by_id[i] for i in served if i in areas_by_id and i != home]
    for name in _FACETS_BY_KIND[kind]:
        if name in answers:
            actor.set_values(FACETS[name], answers[name] or [])
    if kind == "service":
        actor.pie_profile = {t.key: answers[PIE_PREFIX + t.key] for t in vocab.PIE_THEMES
                             if answers.get(PIE_PREFIX + t.key)}


def differences(old: dict, new: dict, areas_by_id: dict[int, Area]) -> dict:
    """{field: (old, new)} for every answer that changed; areas by name, facets as lists."""
    changes = {}
    for name in new:
        if name in HIDDEN or name not in old:
            continue
        before, after = _comparable(name, old[name]), _comparable(name, new[name])
        if before != after:
            changes[name] = (_readable(name, before, areas_by_id), _readable(name, after, areas_by_id))
    return changes


def created_changes(new: dict, areas_by_id: dict[int, Area]) -> dict:
    """{field: (None, value)} for every answer given when a record is created."""
    return {name: (None, _readable(name, value, areas_by_id)) for name, value in new.items()
            if value not in (None, "", [], False)}


def _comparable(name: str, value):
    if isinstance(value, (list, tuple)):
        return sorted(str(v) for v in value) if name == "areas_served" else [str(v) for v in value]
    if value is None and name not in ("latitude", "longitude"):
        return ""
    return value


def _readable(name: str, value, areas_by_id):
    if name == "area_id":
        area = areas_by_id.get(int(value)) if value else None
        return area.name if area else None
    if name == "areas_served":
        return [areas_by_id[int(v)].name for v in value if int(v) in areas_by_id]
    return value


def summary_rows(form) -> list[tuple[str, str, str]]:
    """(field id, label, answer in words) for each field of a form, for check-your-answers."""
    rows = []
    for name, f in form._fields.items():
        if name in HIDDEN:
            continue
        rows.append((f.id, str(f.label.text), in_words(f)))
    return rows
