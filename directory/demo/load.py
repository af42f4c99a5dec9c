"""Load the fictional demo area: services, forums, researchers, links and barrier reports."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from .. import vocab
from ..extensions import db
from ..models import Actor, Area, BarrierReport, Collaboration
from ..models.collaboration import LinkRuleError, check_link
from . import area_data as data

TODAY = date(2026, 11, 1)  # fixed, so the demo is the same on every machine

# Pathway links placed by hand: (source, kind, target, status). Stage 2 services never have a
# confirmed pathway link to a stage 3 service, so the 2 -> 3 handoff is broken on purpose.
PATHWAY = [
    ("advice", "refers_to", "daycentre", "confirmed"), ("opts", "refers_to", "outreach", "confirmed"),
    ("opts", "refers_to", "navigator", "confirmed"), ("advice", "refers_to", "opts", "confirmed"),
    ("outreach", "refers_to", "hub", "proposed"), ("daycentre2", "refers_to", "hub", "declined"),
    ("outreach", "refers_to", "shelter", "confirmed"), ("outreach", "refers_to", "swep", "confirmed"),
    ("outreach", "refers_to", "hostel1", "confirmed"), ("navigator", "refers_to", "hostel2", "confirmed"),
    ("daycentre", "refers_to", "shelter", "confirmed"), ("da_outreach", "refers_to", "refuge", "confirmed"),
    ("hub", "refers_to", "hostel1", "confirmed"), ("hub", "refers_to", "hostel2", "confirmed"),
    ("hub", "refers_to", "ta", "confirmed"), ("hub", "refers_to", "hf", "confirmed"),
    ("probation", "duty_to_refer", "opts", "confirmed"), ("hospital", "duty_to_refer", "opts", "confirmed"),
    ("asc", "duty_to_refer", "opts", "confirmed"), ("mh", "duty_to_refer", "opts", "ended"),
    ("shelter", "refers_to", "hostel1", "confirmed"), ("hostel1", "moves_on_to", "second1", "confirmed"),
    ("hostel1", "moves_on_to", "specialist1", "confirmed"), ("hostel2", "moves_on_to", "second2", "confirmed"),
    ("refuge", "moves_on_to", "specialist2", "confirmed"), ("second1", "moves_on_to", "social", "confirmed"),
    ("careleavers", "refers_to", "second3", "confirmed"), ("second3", "moves_on_to", "lettings", "confirmed"),
    ("specialist2", "moves_on_to", "tenancy2", "confirmed"), ("ta", "moves_on_to", "social", "confirmed"),
    ("swep", "refers_to", "hostel2", "confirmed"), ("drugs", "refers_to", "recovery_cafe", "confirmed"),
    ("hf", "refers_to", "tenancy1", "ended"),
]
OTHER = [
    ("r_pie", "trains", "hostel1", "confirmed"), ("r_pie", "trains", "daycentre", "confirmed"),
    ("mh", "supervises", "hostel1", "confirmed"), ("mh", "supervises", "second1", "confirmed"),
    ("daycentre", "peer_reviews", "hostel2", "confirmed"), ("r_sys", "consults_for", "strategy", "confirmed"),
    ("mh", "consults_for", "hub", "confirmed"), ("peer", "trains", "pie", "confirmed"),
    ("opts", "chairs", "hforum", "confirmed"), ("commissioner", "chairs", "strategy", "confirmed"),
    ("r_pie", "chairs", "pie", "confirmed"), ("peer", "chairs", "lived", "confirmed"),
    ("casegroup", "reports_to", "meam", "confirmed"), ("hforum", "reports_to", "strategy", "confirmed"),
    ("meam", "reports_to", "sab", "confirmed"), ("lived", "reports_to", "meam", "proposed"),
    ("commissioner", "commissions", "hostel1", "confirmed"), ("commissioner", "commissions", "hf", "confirmed"),
    ("commissioner", "commissions", "outreach", "confirmed"), ("commissioner", "commissions", "r_sys", "confirmed"),
    ("hub", "co_located", "health", "confirmed"), ("daycentre", "co_located", "health", "confirmed"),
    ("outreach", "case_conferences", "health", "confirmed"), ("navigator", "case_conferences", "mh", "confirmed"),
    ("probation", "case_conferences", "drugs", "confirmed"), ("hostel1", "hosts_research", "r_pie", "confirmed"),
    ("hf", "hosts_research", "r_hf", "confirmed"), ("peer", "hosts_research", "r_peer", "confirmed"),
    ("second3", "hosts_research", "r_youth", "confirmed"), ("daycentre", "hosts_research", "r_pie", "proposed"),
    ("r_hf", "evaluates", "hf", "confirmed"), ("r_sub", "evaluates", "drugs", "confirmed"),
    ("r_health", "evaluates", "health", "ended"), ("advice", "hosts_research", "r_student", "confirmed"),
    ("r_peer", "trains", "lived", "confirmed"), ("r_sub", "member_of", "pie", "confirmed"),
    ("r_health", "member_of", "meam", "confirmed"), ("r_sys", "member_of", "strategy", "confirmed"),
]
# Services left out of every forum, and one left with no links at all.
OUTSIDE_FORUMS = {"veterans", "lgbt", "older", "nrpf", "lettings"}
ISOLATED = "veterans"
FORUM_MEMBERSHIP = {
    "hforum": 0.85, "pie": 0.3, "casegroup": 0.25, "meam": 0.2, "sab": 0.1, "strategy": 0.15, "lived": 0.1,
}
# Kept out of random links so the demo's deliberate findings stay put.
NO_RANDOM = {ISOLATED, "r_youth", "r_student", "second2"}


def load_demo_area() -> tuple[bool, str]:
    """Load the demo area if it is not there; returns (loaded, message). Idempotent."""
    if db.session.scalar(select(Area).where(Area.slug == data.AREA["slug"])) is not None:
        return False, f"The demo area “{data.AREA['name']}” is already loaded; nothing changed."
    rng = random.Random(2026)
    area = Area(is_demo=True, **data.AREA)
    db.session.add(area)
    actors = _actors(area, rng)
    db.session.flush()
    links = _links(actors, rng)
    barriers = _barriers(actors)
    db.session.commit()
    return True, (f"Loaded “{area.name}”: {sum(a.kind == 'service' for a in actors.values())} services, "
                  f"{sum(a.kind == 'forum' for a in actors.values())} forums, "
                  f"{sum(a.kind == 'researcher' for a in actors.values())} researchers, "
                  f"{links} links, {barriers} barrier reports.")


def _point(rng: random.Random) -> tuple[float, float]:
    return (round(data.AREA["centre_lat"] + rng.uniform(-0.03, 0.03), 6),
            round(data.AREA["centre_lon"] + rng.uniform(-0.05, 0.05), 6))


def _postcode(rng: random.Random) -> str:
    return f"LE{rng.randint(1, 5)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"


def _verified(rng: random.Random, i: int) -> date:
    # Roughly one record in eight has not been confirmed for over a year.
    return TODAY - timedelta(days=rng.randint(400, 700) if i % 8 == 3 else rng.randint(5, 300))


def _common(rng: random.Random, area: Area, i: int, name: str) -> dict:
    lat, lon = _point(rng)
    return dict(
        name=name, area=area, status="active", is_demo=True, latitude=lat, longitude=lon,
        postcode=_postcode(rng), address=f"{rng.randint(1, 240)} {rng.choice(['High', 'Church', 'Mill', 'Station', 'Granby', 'Market'])} Street, Soarbridge",
        verified_at=_verified(rng, i), phone=f"0116 496 {rng.randint(0, 999):04d}",
        website=f"https://example.org/{name.lower().replace(' ', '-').replace('(', '').replace(')', '').replace('’', '').replace(chr(39), '')}",
    )


def _actors(area: Area, rng: random.Random) -> dict[str, Actor]:
    actors: dict[str, Actor] = {}
    for i, (key, name, org, types, stages, groups, extra) in enumerate(data.SERVICES):
        a = Actor(kind="service", organisation=org, **_common(rng, area, i, name))
        a.summary = f"{vocab.SERVICE_TYPES.label(types[0])} run by {org}."
        a.description = (f"{name} is a fictional service in the demo area. It works with "
                         + (", ".join(vocab.CLIENT_GROUPS.label(g).lower() for g in groups) or "anyone") + ".")
        a.referral_route = "Referral by a professional or through Housing Options"
        a.capacity = f"{rng.randint(5, 60)} places" if set(types) & vocab.ACCOMMODATION_SERVICE_TYPES else ""
        a.pie_profile = {t: str(rng.randint(0, 4)) for t in vocab.PIE_THEMES.keys()}
        for field, value in extra.items():
            setattr(a, field, value)
        if a.confidential:
            a.address, a.postcode = "", None
        a.set_values("service_type", types)
        a.set_values("stage", [str(s) for s in stages])
        a.set_values("client_group", groups)
        if key in ("mh", "daycentre", "peer", "hostel1"):
            a.set_values("engagement_offered", ["training", "supervision"] if key == "mh" else ["training"])
        actors[key] = a
    for i, (key, name, ftype, freq, open_) in enumerate(data.FORUMS):
        a = Actor(kind="forum", forum_type=ftype, meeting_frequency=freq, open_to_new_members=open_,
                  coordinator_contact="Forum coordinator (demo)", **_common(rng, area, i, name))
        a.summary = f"{vocab.FORUM_TYPES.label(ftype)} for the demo area."
        actors[key] = a
    for i, (key, name, inst, disc, interests, methods, engagement) in enumerate(data.RESEARCHERS):
        a = Actor(kind="researcher", institution=inst, disciplines=disc, interests=interests, methods=methods,
                  seeking_partners=i % 3 != 2, **_common(rng, area, i, name))
        a.summary = f"{disc} research on {interests.split(',')[0]}."
        a.set_values("research_engagement", engagement)
        actors[key] = a
    db.session.add_all(actors.values())
    return actors


def _add(actors, rng, seen, source_key, kind, target_key, status) -> bool:
    source, target = actors[source_key], actors[target_key]
    if vocab.LINK_KINDS[kind].both_ways and source.id > target.id:
        source, target = target, source
    triple = (kind, source.id, target.id)
    if triple in seen:
        return False
    try:
        check_link(kind, source, target)
    except LinkRuleError:
        return False
    seen.add(triple)
    started = TODAY - timedelta(days=rng.randint(200, 2000))
    confirmed = TODAY - timedelta(days=rng.randint(420, 600) if rng.random() < 0.1 else rng.randint(10, 330))
    link = Collaboration(
        kind=kind, source=source, target=target, status=status, proposed_from_id=source.id,
        start_date=started, note="",
        last_confirmed=confirmed if status == "confirmed" else None,
        end_date=TODAY - timedelta(days=rng.randint(10, 150)) if status == "ended" else None,
    )
    db.session.add(link)
    return True


def _links(actors: dict[str, Actor], rng: random.Random) -> int:
    seen: set = set()
    count = 0
    for row in PATHWAY + OTHER:
        count += _add(actors, rng, seen, *row)
    services = [k for k, a in actors.items() if a.kind == "service"]
    for forum, share in FORUM_MEMBERSHIP.items():
        for key in services:
            if key in OUTSIDE_FORUMS or key in NO_RANDOM or rng.random() > share:
                continue
            count += _add(actors, rng, seen, key, "member_of", forum, "proposed" if rng.random() < 0.05 else "confirmed")
    # Some learning and joint-work links between services, never a stage 2 -> 3 pathway link.
    extra_kinds = ["trains", "consults_for", "supervises", "peer_reviews", "co_located", "case_conferences",
                   "trains", "case_conferences"]
    candidates = [k for k in services if k not in NO_RANDOM]
    tries = 0
    while count < 175 and tries < 5000:
        tries += 1
        kind = rng.choice(extra_kinds)
        s, t = rng.sample(candidates, 2)
        roll = rng.random()
        status = "proposed" if roll < 0.1 else "ended" if roll < 0.18 else "confirmed"
        count += _add(actors, rng, seen, s, kind, t, status)
    return count


def _barriers(actors: dict[str, Actor]) -> int:
    for i, (key, category, stage, text, visibility) in enumerate(data.BARRIERS):
        db.session.add(BarrierReport(actor=actors[key], category=category, stage=stage, description=text,
                                     visibility=visibility, since=TODAY - timedelta(days=60 * (i + 1))))
    return len(data.BARRIERS)
