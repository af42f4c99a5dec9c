"""Bench section "anonymous": what an anonymous visitor can make the server do (issue 9, item 12).

Served by gunicorn, 2 workers x 4 threads, as in production. For each national page: the first request
after a data change ("cold": the data version is replaced first, as any write does) and the median of
three requests after it ("warm"); then six different anonymous requests at once, cold and warm (wall time
until all six answered, and the slowest). Set BENCH_BEFORE_TREE to a checkout of older code (e.g. main
before the change) to measure it the same way, on the same database: its figures are prefixed "before_".
"""
from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import update

from directory.extensions import db
from directory.models import DataVersion

HERE = Path(__file__).resolve().parent
PAGES = {
    "national_map": "/map",
    "national_geojson": "/map.geojson",
    "national_ranking": "/analysis",
    "national_ranking_page_5": "/analysis?page=5",
    "national_list": "/map/list",
    "national_list_page_400": "/map/list?page=400",
}
SIX = ["/map", "/map.geojson", "/analysis?page=2", "/map/list?page=300", "/map?kind=service", "/analysis"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(base: str, path: str) -> tuple[float, int]:
    """Milliseconds for one GET (the whole body read) and the body's size."""
    start = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=300) as response:
        size = len(response.read())
        assert response.status == 200, (path, response.status)
    return (time.perf_counter() - start) * 1000, size


def _data_changed() -> None:
    """What any write does: a new data version, so nothing cached can be used."""
    db.session.execute(update(DataVersion).values(token=uuid.uuid4().hex))
    db.session.commit()


def _six_at_once(base: str) -> dict:
    times: list[float] = []
    barrier = threading.Barrier(len(SIX))

    def ask(path):
        barrier.wait()
        times.append(_get(base, path)[0])

    start = time.perf_counter()
    threads = [threading.Thread(target=ask, args=(p,)) for p in SIX]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"wall_ms": round((time.perf_counter() - start) * 1000, 1), "slowest_ms": round(max(times), 1),
            "requests": len(times)}


def _serve(tree: Path, url: str, cache_dir: str):
    port = _free_port()
    env = {**os.environ, "BENCH_DATABASE_URL": url, "BENCH_CACHE_DIR": cache_dir}
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", "2", "--threads", "4", "--timeout", "300",
         "--bind", f"127.0.0.1:{port}", "--chdir", str(tree), "--pythonpath", f"{tree},{HERE}",
         "--log-level", "warning", "bench_wsgi:app"], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            _get(base, "/")
            return proc, base
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


def _measure(tree: Path, url: str) -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as cache_dir:
        proc, base = _serve(tree, url, cache_dir)
        try:
            for name, path in PAGES.items():
                _data_changed()
                cold, size = _get(base, path)
                warm = [_get(base, path)[0] for _ in range(3)]
                out[name] = {"url": path, "median_ms": round(statistics.median(warm), 1), "cold_ms": round(cold, 1),
                             "kb": round(size / 1024, 1)}
            _data_changed()
            out["six_at_once_cold"] = _six_at_once(base)
            out["six_at_once_warm"] = _six_at_once(base)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
    return out


def bench_anonymous(app, client):
    """Cold and warm anonymous national pages, and six at once, against gunicorn 2 x 4."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    out = {"server": "gunicorn, 2 workers x 4 threads; median_ms is warm (3 runs), cold_ms the first after a change"}
    out.update(_measure(HERE.parent, url))
    before = os.environ.get("BENCH_BEFORE_TREE")
    if before:
        out["server"] += f"; before_*: the same on the code in {os.environ.get('BENCH_BEFORE_LABEL', before)}"
        out.update({f"before_{k}": v for k, v in _measure(Path(before), url).items()})
    return out


SECTIONS = {"anonymous": bench_anonymous}
