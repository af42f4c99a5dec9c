"""The "auth" blueprint object and the helpers its route modules share."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, render_template

bp = Blueprint("auth", __name__, url_prefix="/account")


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site may be a redirect target after sign-in."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def form_page(template: str, form, **context):
    """Render a form page: 400 when it has errors, so tests and tools can tell."""
    return render_template(template, form=form, **context), 400 if form.errors else 200


def link_problem(title: str, message: str, link_url: str, link_text: str, status: int = 400):
    """The page for an emailed link that cannot be used (expired, used, mangled, or overtaken)."""
    return render_template("auth/link_problem.html", title=title, message=message, link_url=link_url,
                           link_text=link_text), status
