"""Pagination of queries (counting rows cheaply: the count reads only the primary key) and of in-memory lists."""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from .extensions import db

# The highest page anyone may ask for: beyond it the offset is absurd (and past SQLite's integers).
MAX_PAGE = 100000
PAGE_MESSAGE = f"Page must be a whole number from 1 to {MAX_PAGE}"


def page_from_request() -> int:
    """The ?page= number (1 when absent or empty); a 400 with PAGE_MESSAGE for anything else but 1 to MAX_PAGE."""
    text = (request.args.get("page") or "").strip()
    if not text:
        return 1
    try:
        page = int(text)
    except ValueError:
        abort(400, PAGE_MESSAGE)
    if not 1 <= page <= MAX_PAGE:
        abort(400, PAGE_MESSAGE)
    return page


class KeyCountPagination(SelectPagination):
    """Like db.paginate, but the count subquery selects the first entity's key only, not every column."""

    def _query_count(self) -> int:
        select = self._query_args["select"]
        entity = select.column_descriptions[0]["entity"]
        key = sa.inspect(entity).primary_key[0]
        sub = select.with_only_columns(key, maintain_column_froms=True).order_by(None).subquery()
        return self._query_args["session"].execute(sa.select(sa.func.count()).select_from(sub)).scalar()


def paginate(select, *, page: int, per_page: int) -> KeyCountPagination:
    """A page of results of a select(); a page past the end is empty rather than an error."""
    return KeyCountPagination(select=select, session=db.session(), page=page, per_page=per_page,
                              error_out=False, max_per_page=500)


class ListPagination(Pagination):
    """Pagination over rows already in memory (a ranking, a snapshot's actors), for the pagination_nav macro."""

    def _query_items(self) -> list:
        rows = self._query_args["rows"]
        start = (self.page - 1) * self.per_page
        return rows[start:start + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def paginate_list(rows: list, page: int, per_page: int) -> ListPagination:
    """A page of an in-memory list; a page past the end is empty rather than an error."""
    return ListPagination(page=max(1, page), per_page=per_page, error_out=False, max_per_page=500, rows=rows)


class RowsPagination(Pagination):
    """One page of rows already cut out by the database, with the count of the whole."""

    def _query_items(self) -> list:
        return self._query_args["rows"]

    def _query_count(self) -> int:
        return self._query_args["total"]


def page_of_rows(rows: list, page: int, per_page: int, total: int) -> RowsPagination:
    """Pagination for a page the database already cut (rows) out of total rows."""
    return RowsPagination(page=max(1, page), per_page=per_page, error_out=False, max_per_page=500, rows=rows,
                          total=total)
