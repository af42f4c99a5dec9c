"""The app as gunicorn serves it for bench/sections_anonymous.py: the bench database, rate limits off.

    gunicorn --chdir TREE --pythonpath TREE,bench bench_wsgi:app   (BENCH_DATABASE_URL, BENCH_CACHE_DIR set)

TREE may be another checkout (say, of main before a change): only create_app is asked of it.
"""
import os

from directory import create_app

app = create_app({
    "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"], "TILES_URL": None,
    "SECRET_KEY": "bench-" + "x" * 40, "RATELIMIT_ENABLED": False,
    "CACHE_DIR": os.path.join(os.environ["BENCH_CACHE_DIR"], "cache"),
    "CACHE_LOCK_DIR": os.path.join(os.environ["BENCH_CACHE_DIR"], "locks"),
})
