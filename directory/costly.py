"""Rate limits on the pages that cost most to build: the national map, its GeoJSON, its list and the ranking.

Each address may ask for each of these pages LIMIT_NATIONAL_PAGES times (a setting, see config.py);
past it the answer is a 429 page saying how long to wait, with a Retry-After header.
"""
from __future__ import annotations

import math
import time

from flask import current_app, render_template

from .extensions import limiter

TITLE = "Too many requests"


def wait_words(seconds: int) -> str:
    """A wait in words: '42 seconds', '1 minute', '3 minutes' (rounded up)."""
    if seconds < 60:
        return f"{seconds} second{'' if seconds == 1 else 's'}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _too_many(request_limit):
    """The 429 page for a breached limit: how long until the address may ask again."""
    wait = max(1, math.ceil(request_limit.window[0] - time.time()))  # window[0]: when the limit resets
    message = (f"There have been too many requests for this page from your address. "
               f"Wait {wait_words(wait)}, then try again.")
    response = current_app.make_response((render_template("errors/error.html", code=429, title=TITLE,
                                                          message=message), 429))
    response.headers["Retry-After"] = str(wait)
    return response


def _setting(name: str):
    return lambda: current_app.config[name]


# Per address and per page (the scope is the endpoint): a visitor reading the pages is never near it.
national_page_limit = limiter.limit(_setting("LIMIT_NATIONAL_PAGES"), on_breach=_too_many)
