"""Rate limits on the pages that cost most to build: the national map, its GeoJSON, its list and the ranking.

Each address may ask for each of these pages LIMIT_NATIONAL_PAGES times a minute, and make the server
build one afresh (not already in the cache, see datacache.py) LIMIT_NATIONAL_BUILDS times (settings, see
config.py); past either, the answer is a 429 page saying how long to wait, with a Retry-After header.
"""
from __future__ import annotations

import math
import time

from flask import abort, current_app, render_template
from flask_limiter.util import get_remote_address
from limits import parse as parse_limit

from .extensions import limiter

TITLE = "Too many requests"


def wait_words(seconds: int) -> str:
    """A wait in words: '42 seconds', '1 minute', '3 minutes' (rounded up)."""
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _too_many_page(reset_at: float):
    """The 429 page: how long until the address may ask again, in words and in Retry-After."""
    wait = max(1, math.ceil(reset_at - time.time()))
    message = (f"There have been too many requests for this page from your address. "
               f"Wait {wait_words(wait)}, then try again.")
    response = current_app.make_response((render_template("errors/error.html", code=429, title=TITLE,
                                                          message=message), 429))
    response.headers["Retry-After"] = str(wait)
    return response


def _too_many(request_limit):
    return _too_many_page(request_limit.window[0])  # window[0]: when the limit resets


def count_build() -> None:
    """Count a fresh build against the address's LIMIT_NATIONAL_BUILDS; past it, the 429 page instead."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return
    limit, address = parse_limit(current_app.config["LIMIT_NATIONAL_BUILDS"]), get_remote_address()
    if not limiter.limiter.hit(limit, "national-build", address):
        abort(_too_many_page(limiter.limiter.get_window_stats(limit, "national-build", address)[0]))


def _setting(name: str):
    return lambda: current_app.config[name]


# Per address and per page (the scope is the endpoint): a visitor reading the pages is never near it.
national_page_limit = limiter.limit(_setting("LIMIT_NATIONAL_PAGES"), on_breach=_too_many)
