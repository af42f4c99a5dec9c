"""Generate a deterministic national-scale dataset for benchmarks.

About 150 areas, 20,000 services, 1,500 forums, 2,000 researchers and 100,000 links,
written with bulk inserts so it takes seconds on SQLite and under a minute on PostgreSQL.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from .. import vocab
from ..extensions import db
from ..models import Actor, ActorFacet, ActorWord, Area, Collaboration
from ..models.actor import search_words

TODAY = date(2026, 11, 1)
WORDS = ["Riverside", "Hillcrest", "Oakfield", "Kingsway", "Meadow", "Harbour", "Northgate", "Elm",
         "Westbrook", "Castle", "Beacon", "Orchard", "Station", "Abbey", "Granary", "Foundry"]
NOUNS = {"service": ["Project", "Service", "House", "Hub", "Team", "Centre", "Trust", "Support"],
         "forum": ["Forum", "Network", "Partnership", "Board", "Group"],
         "researcher": ["Research Group", "Lab", "Unit", "Centre"]}
TOPICS = ["housing first", "reflective practice", "trauma-informed care", "prevention", "evictions",
          "peer research", "hospital discharge", "young people", "substance use", "rough sleeping",
          "domestic abuse", "move-on", "psychologically informed environments", "co-production"]


def generate(services: int = 20000, seed: int = 1, batch: int = 5000) -> dict:
    """Write a generated dataset to the configured database; returns the counts written."""
    rng = random.Random(seed)
    n_areas = max(1, round(services / 133))
    n_forums = max(1, round(services * 0.075))
    n_researchers = max(1, round(services * 0.1))
    n_links = services * 5
    start_id = (db.session.scalar(select(func.max(Actor.id))) or 0) + 1

    areas = []
    for i in range(n_areas):
        lat, lon = rng.uniform(50.6, 55.8), rng.uniform(-4.5, 1.4)
        areas.append({"name": f"Generated area {i + 1:03d}", "slug": f"gen-{seed}-{i + 1:03d}",
                      "centre_lat": lat, "centre_lon": lon, "zoom": 12, "is_demo": True})
    db.session.execute(insert(Area), areas)
    area_rows = db.session.execute(
        select(Area.id, Area.centre_lat, Area.centre_lon).where(Area.slug.like(f"gen-{seed}-%")).order_by(Area.slug)
    ).all()

    actors, facets, kinds_by_id, types_by_id, area_of = [], [], {}, {}, {}
    next_id = start_id
    plan = [("service", services), ("forum", n_forums), ("researcher", n_researchers)]
    stage_keys = vocab.PATHWAY_STAGES.keys()
    type_keys = vocab.SERVICE_TYPES.keys()
    for kind, count in plan:
        for _ in range(count):
            area_id, clat, clon = rng.choice(area_rows)
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(NOUNS[kind])} {next_id}"
            row = _actor_row(rng, next_id, kind, name, area_id, clat, clon)
            if kind == "service":
                types = rng.sample(type_keys, rng.choice([1, 1, 2]))
                stages = sorted(rng.sample(stage_keys, rng.choice([1, 1, 2])))
                facets += [{"actor_id": next_id, "facet": "service_type", "value": t} for t in types]
                facets += [{"actor_id": next_id, "facet": "stage", "value": s} for s in stages]
                facets.append({"actor_id": next_id, "facet": "client_group",
                               "value": rng.choice(vocab.CLIENT_GROUPS.keys())})
                types_by_id[next_id] = set(types)
            elif kind == "forum":
                row["forum_type"] = rng.choice(vocab.FORUM_TYPES.keys())
            else:
                row["institution"] = f"University of {rng.choice(WORDS)}"
                facets.append({"actor_id": next_id, "facet": "research_engagement",
                               "value": rng.choice(vocab.RESEARCH_ENGAGEMENT_TYPES.keys())})
            actors.append(row)
            kinds_by_id[next_id] = kind
            area_of[next_id] = area_id
            next_id += 1
    _bulk(Actor, actors, batch)
    _bulk(ActorFacet, facets, batch)
    _bulk(ActorWord, [{"actor_id": a["id"], "word": w} for a in actors for w in search_words(a["search_text"])],
          batch)
    links = _links(rng, kinds_by_id, types_by_id, area_of, n_links)
    _bulk(Collaboration, links, batch)
    db.session.commit()
    # Fresh statistics so the query planner uses the indexes on the new rows.
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.commit()
    return {"areas": len(areas), "services": services, "forums": n_forums, "researchers": n_researchers,
            "links": len(links)}


def _actor_row(rng, actor_id, kind, name, area_id, clat, clon) -> dict:
    topic = rng.choice(TOPICS)
    summary = f"Generated {kind} working on {topic}."
    open_research = kind == "service" and rng.random() < 0.3
    postcode = f"{rng.choice(['AB', 'LS', 'M', 'B', 'NE', 'SW', 'CF', 'G'])}{rng.randint(1, 20)} {rng.randint(1, 9)}AA"
    return {
        "id": actor_id, "kind": kind, "name": name, "summary": summary, "description": "",
        "area_id": area_id, "address": "", "postcode": postcode,
        "latitude": clat + rng.uniform(-0.05, 0.05), "longitude": clon + rng.uniform(-0.08, 0.08),
        "status": "active", "is_demo": True, "phone": "", "website": None, "contact_email": None,
        "verified_at": TODAY - timedelta(days=rng.randint(1, 700)),
        "search_text": f"{name} {summary} {postcode}".lower(),
        "open_to_research": open_research, "research_topics": topic if open_research else "",
        "pie_profile": {}, "confidential": False,
    }


def _links(rng, kinds_by_id, types_by_id, area_of, n_links) -> list[dict]:
    by_area_kind: dict[tuple[int, str], list[int]] = {}
    for actor_id, kind in kinds_by_id.items():
        by_area_kind.setdefault((area_of[actor_id], kind), []).append(actor_id)
    ids = list(kinds_by_id)
    kinds = vocab.LINK_KINDS.terms
    weights = [30 if k.key in ("refers_to", "member_of") else 5 for k in kinds]
    seen, rows = set(), []
    statuses = ["confirmed"] * 8 + ["proposed", "ended"]
    while len(rows) < n_links:
        kind = rng.choices(kinds, weights)[0]
        source = rng.choice(ids)
        if kinds_by_id[source] not in kind.sources:
            continue
        target_kind = rng.choice(sorted(kind.targets))
        pool = by_area_kind.get((area_of[source], target_kind)) if rng.random() < 0.9 else None
        target = rng.choice(pool) if pool else rng.choice(ids)
        if target == source or not kind.allows(kinds_by_id[source], kinds_by_id[target]):
            continue
        if kind.source_service_types and not types_by_id.get(source, set()) & kind.source_service_types:
            continue
        if kind.target_service_types and not types_by_id.get(target, set()) & kind.target_service_types:
            continue
        if kind.both_ways and source > target:
            source, target = target, source
        if (kind.key, source, target) in seen:
            continue
        seen.add((kind.key, source, target))
        status = rng.choice(statuses)
        rows.append({"kind": kind.key, "source_id": source, "target_id": target, "status": status,
                     "proposed_from_id": source, "note": "",
                     "last_confirmed": TODAY - timedelta(days=rng.randint(1, 600)) if status == "confirmed" else None,
                     "start_date": TODAY - timedelta(days=rng.randint(700, 2000)),
                     "end_date": TODAY - timedelta(days=rng.randint(1, 300)) if status == "ended" else None})
    return rows


def _bulk(model, rows: list[dict], batch: int) -> None:
    for i in range(0, len(rows), batch):
        db.session.execute(insert(model), rows[i:i + batch])
