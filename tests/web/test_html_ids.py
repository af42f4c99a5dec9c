"""No page gives two elements the same id (a label or aria reference would name the wrong one).

Walks every GET rule whose arguments can be filled, signed out, as a record's manager and as an admin,
so pages added later are covered without editing this file.
"""
from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from flask import url_for
from sqlalchemy import select

from directory import vocab
from directory.extensions import db
from directory.models import BarrierReport, Collaboration, User
from tests.helpers import login
from tests.web.test_no_emails_public import _world


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [value for name, value in attrs if name == "id" and value]


def duplicate_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(i for i, n in Counter(parser.ids).items() if n > 1)


def _options(records, demo) -> dict[str, list]:
    service = records["service"]
    return {
        "slug": [demo.slug], "kind": list(vocab.ACTOR_KINDS.keys()),
        "actor_id": [a.id for a in records.values()], "service_id": [service.id],
        "area_id": [demo.id], "user_id": list(db.session.scalars(select(User.id))),
        "report_id": list(db.session.scalars(select(BarrierReport.id).where(BarrierReport.actor_id == service.id))),
        "link_id": list(db.session.scalars(select(Collaboration.id).where(
            (Collaboration.source_id == service.id) | (Collaboration.target_id == service.id)))),
    }


def get_paths(app, options: dict[str, list]) -> list[str]:
    """Every path of every GET rule (but static files) whose arguments all have options, in every filling."""
    paths = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static" or not rule.arguments <= set(options):
                continue
            fillings = [{}]
            for name in sorted(rule.arguments):
                fillings = [dict(f, **{name: value}) for f in fillings for value in options[name]]
            paths += [url_for(rule.endpoint, **args) for args in fillings]
    return paths


@pytest.mark.parametrize("who", [None, "hostel-manager@example.org", "admin-person@example.org"])
def test_no_page_repeats_an_id(app, client, make, demo, who):
    records = _world(make, demo)
    make.user("closed@example.org", active=False)  # the admin's page for them has two forms
    options = _options(records, demo)
    if who:
        login(client, who)
    pages, repeated = 0, []
    for path in get_paths(app, options):
        r = client.get(path)
        assert r.status_code < 500, path
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        pages += 1
        if ids := duplicate_ids(r.get_data(as_text=True)):
            repeated.append((path, ids))
    assert not repeated, f"ids used more than once: {repeated}"
    assert pages >= (40 if who else 20), pages
