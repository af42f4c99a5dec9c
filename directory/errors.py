"""Error pages: a clear page for each HTTP error, and a rollback after a 500."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .extensions import db

TITLES = {
    400: "There is a problem with the request",
    403: "You do not have permission to do that",
    404: "Page not found",
    405: "That action is not allowed here",
    409: "Someone else changed this at the same moment",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):
        return render_template(
            "errors/error.html", code=400, title="Your form has expired",
            message="The form was missing its security token or it had expired. "
                    "Go back, reload the page and try again.",
        ), 400

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.response is not None:  # made for it already (the national pages' rate limit page)
            return exc.response
        code = exc.code or 500
        if code >= 500:
            db.session.rollback()
        message = exc.description if code in (400, 403, 429) else None
        return render_template(
            "errors/error.html", code=code, title=TITLES.get(code, exc.name), message=message,
        ), code

    @app.errorhandler(StaleDataError)
    def _changed_meanwhile(_exc: StaleDataError):
        # A versioned row (actor, barrier report, area) was changed by another request between this one
        # reading it and writing it: the whole transaction is undone, and the person is told so.
        db.session.rollback()
        return render_template(
            "errors/error.html", code=409, title=TITLES[409], back=_same_site_referrer(),
            message="Someone else changed this record at the same moment as you, so nothing you did was saved. "
                    "Go back, reload the page to see their change, and try again.",
        ), 409

    @app.errorhandler(500)
    def _server_error(_exc):
        db.session.rollback()
        return render_template("errors/error.html", code=500, title=TITLES[500], message=None), 500


def _same_site_referrer() -> str | None:
    """The page the person came from, as a path, when it is on this site."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or not parts.path.startswith("/"):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")
