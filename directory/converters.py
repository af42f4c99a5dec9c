"""URL converters: ids in URLs stay within what the database's integer keys can hold."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

# Primary keys are 32-bit integers on PostgreSQL; a bigger number can name no record.
MAX_ID = 2**31 - 1


class RecordIdConverter(IntegerConverter):
    """The `int` converter, bounded to 1..MAX_ID, so an absurd id is a 404 rather than a database error."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max)


def init_app(app) -> None:
    """Replace the default `int` converter before any blueprint is registered."""
    app.url_map.converters["int"] = RecordIdConverter
