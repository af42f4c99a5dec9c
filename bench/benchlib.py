"""Helpers shared by bench/run.py and the bench/sections_*.py files: timing, query counting, GETs."""
from __future__ import annotations

import statistics
import time
import tracemalloc

from sqlalchemy import event

from directory.extensions import db


def timed(fn, runs: int = 15) -> dict:
    """Median and 95th percentile of fn() in milliseconds, after one warm-up call."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.95))], 2), "runs": runs}


def count_queries(fn) -> int:
    """How many SQL statements fn() runs."""
    seen = []

    def listener(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def page(client, url: str):
    """A GET that must succeed, as a callable for timed()."""
    def go():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response
    return go


def peak_mb(fn) -> float:
    """Peak Python memory allocated while fn() runs, in MB."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / 1e6, 2)


def measure_page(client, url: str, runs: int = 15) -> dict:
    """Time, query count and size of one page."""
    fn = page(client, url)
    return {"url": url, **timed(fn, runs), "queries": count_queries(fn), "kb": round(len(fn().data) / 1024, 1)}


def against_target(entry: dict, target_ms: float, target_kb: float | None = None) -> dict:
    """Record an issue's target beside a measurement, and whether the median (and size) is within it."""
    entry["target_ms"] = target_ms
    within = entry["median_ms"] <= target_ms
    if target_kb is not None:
        entry["target_kb"] = target_kb
        within = within and entry["kb"] <= target_kb
    entry["within_target"] = within
    return entry
