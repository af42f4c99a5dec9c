"""Template globals and filters."""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, g, request

from . import vocab


def page_url(page: int) -> str:
    """The current URL with ?page= replaced, keeping every other query argument."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "page"]
    args.append(("page", str(page)))
    return request.path + "?" + urlencode(args)


def format_date(value) -> str:
    """A date as people in the UK write it: 26 November 2026."""
    if value is None:
        return "never"
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.day} {value.strftime('%B %Y')}"
    return str(value)


def change_action(action: str) -> str:
    """A change-log action key in words: "made_manager" -> "Made manager"."""
    return (action or "").replace("_", " ").capitalize()


def init_app(app: Flask) -> None:
    """Expose the vocabulary, the CSP nonce and helpers to every template."""

    @app.context_processor
    def _globals():
        return {
            "csp_nonce": getattr(g, "csp_nonce", ""),
            "url_rules": app.view_functions,
        }

    app.add_template_filter(format_date, "date")
    app.add_template_filter(change_action, "change_action")
    # Globals (not context) so imported macros see them too.
    app.jinja_env.globals.update(vocab=vocab, page_url=page_url)
