"""An id in a URL beyond what a database key can hold names no record: a 404 on every route, never a 500."""
from __future__ import annotations

import pytest

from directory.converters import MAX_ID, RecordIdConverter

from ..helpers import login

HUGE = "99999999999999999999"  # past 64 bits: SQLite and PostgreSQL would both refuse it


def _rules_with_ids(app):
    """Every rule with an id part, its URL built with the largest valid id, then that id made HUGE."""
    largest = str(MAX_ID)
    built = []
    for rule in app.url_map.iter_rules():
        if not any(isinstance(conv, RecordIdConverter) for conv in rule._converters.values()):
            continue
        values = {name: MAX_ID if isinstance(rule._converters.get(name), RecordIdConverter) else "x"
                  for name in rule.arguments}
        built.append((rule, rule.build(values, append_unknown=False)[1].replace(largest, HUGE)))
    return built


def test_every_route_with_an_id_answers_404_to_an_absurd_id(app, client, make):
    admin = make.user(email="admin@example.org", admin=True)
    login(client, admin.email)
    rules = _rules_with_ids(app)
    assert len(rules) >= 20, "expected the app's record routes"
    for rule, url in rules:
        assert HUGE in url, (rule.rule, url)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize("url", ["/actors/0", "/actors/-1", f"/actors/{MAX_ID + 1}"])
def test_ids_outside_the_key_range_are_404(client, url):
    assert client.get(url).status_code == 404
