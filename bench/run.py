"""Benchmarks on a generated national-scale dataset; writes bench/results.json and bench/README.md.

    python bench/run.py [--services 20000] [--seed 1] [--only directory,map,analysis]

The dataset goes into bench/data/bench-<services>-<seed>.sqlite3 (never committed), generated on first run by the
same code as `flask --app wsgi demo generate`. Set BENCH_DATABASE_URL to measure PostgreSQL instead.
Tests never assert on time; these figures are the record.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from directory import create_app  # noqa: E402
from directory.extensions import db  # noqa: E402
from directory.models import Actor, Area, Collaboration  # noqa: E402
from benchlib import measure_page  # noqa: E402

RESULTS = HERE / "results.json"
README = HERE / "README.md"


def bench_directory(app, client) -> dict:
    """Directory search, an actor's page and an area page."""
    area = db.session.scalar(select(Area).where(Area.slug.like("gen-%")).order_by(Area.id).limit(1))
    busiest = db.session.scalar(
        select(Actor.id).where(Actor.kind == "forum", Actor.area_id == area.id).order_by(Actor.id).limit(1))
    service = db.session.scalar(select(Actor.id).where(Actor.kind == "service").order_by(Actor.id).limit(1))
    urls = {
        "directory_text_and_filters": f"/directory?q=riverside&kind=service&stage=4&area={area.slug}",
        "directory_text_only": "/directory?q=hillcrest+project",
        "directory_page_40": "/directory?kind=service&page=40",
        "actor_page_service": f"/actors/{service}",
        "actor_page_forum": f"/actors/{busiest}",
        "area_page": f"/areas/{area.slug}",
    }
    return {name: measure_page(client, url) for name, url in urls.items()}


SECTIONS = {"directory": bench_directory}


def _load_extra_sections() -> None:
    """Benchmarks added by other areas register themselves in bench/sections_*.py."""
    for path in sorted(HERE.glob("sections_*.py")):
        SECTIONS.update(importlib.import_module(path.stem).SECTIONS)


def main() -> None:
    """Build or reuse the dataset, run the sections, write the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    _load_extra_sections()

    data_dir = HERE / "data"
    data_dir.mkdir(exist_ok=True)
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{data_dir / f'bench-{args.services}-{args.seed}.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TILES_URL": None, "SECRET_KEY": "bench-" + "x" * 40,
                      "RATELIMIT_ENABLED": False})
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    with app.app_context():
        upgrade()
        dataset = {}
        if not db.session.scalar(select(Area.id).where(Area.slug.like(f"gen-{args.seed}-%")).limit(1)):
            from directory.demo.generate import generate

            start = time.perf_counter()
            dataset = generate(services=args.services, seed=args.seed)
            dataset["generate_seconds"] = round(time.perf_counter() - start, 1)
            print("generated", dataset, flush=True)
        counts = dict(db.session.execute(select(Actor.kind, func.count()).group_by(Actor.kind)).all())
        links = dict(db.session.execute(select(Collaboration.status, func.count()).group_by(Collaboration.status)).all())
        client = app.test_client()
        wanted = [s for s in args.only.split(",") if s] or list(SECTIONS)
        now, load = datetime.now(timezone.utc).isoformat(timespec="seconds"), round(os.getloadavg()[0], 1)
        # When each section last ran, and how busy the machine was: a run of some sections keeps the others.
        sections = {**results.get("_meta", {}).get("sections", {}),
                    **{name: {"when": now, "load_average": load} for name in wanted}}
        results["_meta"] = {
            "when": now, "sections": sections,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "database": url.split(":")[0], "load_average": load, "actors": counts,
            "links": links, "areas": db.session.scalar(select(func.count(Area.id))), "seed": args.seed,
            "services": args.services,
            "dataset": dataset or results.get("_meta", {}).get("dataset"),
        }
        for name in wanted:
            print("running", name, flush=True)
            results[name] = SECTIONS[name](app, client)
            save(results)  # section by section, so a failing section keeps the others' figures
    print(json.dumps(results, indent=2))


def save(results: dict) -> None:
    """Write results.json and the table in README.md."""
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    write_readme(results)


def write_readme(results: dict) -> None:
    """A table of every figure in results.json."""
    meta = results.get("_meta", {})
    lines = [
        "# Benchmarks", "",
        "Run `make bench` (or `python bench/run.py`). The first run generates the national dataset",
        "(`demo generate --services 20000 --seed 1`: about 150 areas, 20,000 services, 1,500 forums,",
        "2,000 researchers, 100,000 links) into `bench/data/` (not committed; `--only analysis,map` runs some",
        f"sections and keeps the others' figures). The last run: {meta.get('when', '?')} on {meta.get('machine', '?')},",
        f"database {meta.get('database', '?')}, load average {meta.get('load_average', '?')} at the start (other work on "
        "the machine slows every figure); when each section's figures were taken is listed below.",
        "Times are medians (and 95th percentiles) of repeated requests through the real app.", "",
        *[f"- Section {name}: run {run.get('when', '?')}, load average {run.get('load_average', '?')} at its start."
          for name, run in meta.get("sections", {}).items()], "",
        f"Dataset: {meta.get('areas', '?')} areas; actors {meta.get('actors', '?')}; links by status "
        f"{meta.get('links', '?')}; generated in {(meta.get('dataset') or {}).get('generate_seconds', '?')} s.", "",
        "| section | measure | median ms | p95 ms | other |", "|---|---|---|---|---|",
    ]
    for section, entries in results.items():
        if section.startswith("_") or not isinstance(entries, dict):
            continue
        for name, fig in entries.items():
            if not isinstance(fig, dict):
                lines.append(f"| {section} | {name} | | | {fig} |")
                continue
            other = ", ".join(f"{k}={v}" for k, v in fig.items() if k not in ("median_ms", "p95_ms", "runs", "url"))
            lines.append(f"| {section} | {name} | {fig.get('median_ms', '')} | {fig.get('p95_ms', '')} | {other} |")
    README.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
