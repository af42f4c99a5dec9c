"""Request checks that hold for every route, before any view or query runs."""
from __future__ import annotations

from flask import Flask, abort, request

NUL_MESSAGE = ("The address or form contains a NUL character (code 0), which cannot be stored or searched for. "
               "Remove it and try again.")


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def init_app(app: Flask) -> None:
    """Refuse text with a NUL character: PostgreSQL cannot hold one, so it would otherwise be a 500 there."""

    @app.before_request
    def _refuse_nul() -> None:
        if "\x00" in request.path or _has_nul(request.args) or (
                request.method != "GET" and _has_nul(request.form)):
            abort(400, NUL_MESSAGE)
