"""Template globals and filters, and render_form for the pages that show forms."""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, g, render_template, request
from wtforms.form import BaseForm

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


def render_form(template: str, status: int = 200, **context):
    """Render a page that shows forms: 400 when any form on it has refused answers (so tests and tools can
    tell that nothing was done), else `status`."""
    refused = any(isinstance(value, BaseForm) and value.errors for value in context.values())
    return render_template(template, **context), 400 if refused else status


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
