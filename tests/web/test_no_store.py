"""Nothing served to a signed-in person, and no account page, may be kept by a browser or a shared cache.

Walks every GET rule whose arguments can be filled (as tests/web/test_html_ids.py does), signed in, and
checks every answer, whatever its status or type (pages, redirects, 404s, downloads), says
`Cache-Control: no-store`; then the account pages, signed out.
"""
from __future__ import annotations

import pytest

from tests.helpers import csrf_token, login, post_form
from tests.web.test_auth_reset import _link_from_mail, _request_reset
from tests.web.test_html_ids import _options, get_paths
from tests.web.test_no_emails_public import _world

DOWNLOADS = ("text/csv", "application/json", "application/geo+json")


def _not_stored(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("who", ["hostel-manager@example.org", "admin-person@example.org"])
def test_every_page_and_download_served_signed_in_is_no_store(app, client, make, demo, who):
    records = _world(make, demo)
    login(client, who)
    kept, kinds = [], {"page": 0, "download": 0, "redirect": 0, "refused": 0}
    for path in get_paths(app, _options(records, demo)):
        r = client.get(path)
        kind = ("redirect" if 300 <= r.status_code < 400 else "refused" if r.status_code >= 400
                else "download" if r.mimetype in DOWNLOADS else "page")
        kinds[kind] += 1
        if not _not_stored(r):
            kept.append((path, r.status_code, r.headers.get("Cache-Control")))
    assert not kept, f"served signed in without no-store: {kept}"
    assert kinds["page"] >= 40 and kinds["download"] >= 4 and kinds["redirect"] >= 1, kinds
    # A POST's redirect too.
    service = records["service"]
    r = post_form(client, f"/actors/{service.id}/still-accurate", {}, form_page=f"/actors/{service.id}")
    assert r.status_code == 302 and _not_stored(r)


def test_account_pages_are_no_store_signed_out(client, make):
    make.user("someone@example.org")
    _request_reset(client, "someone@example.org")
    paths = ["/account/sign-in", "/account/sign-up", "/account/forgot-password",
             _link_from_mail("someone@example.org"), "/account/sign-up/finish/not-a-token",
             "/account/email/confirm/not-a-token", "/account"]
    for path in paths:
        assert _not_stored(client.get(path)), path
    # Signing in (which sets the session cookie), and a refused attempt (a page with a CSRF token).
    token = csrf_token(client, "/account/sign-in")
    refused = client.post("/account/sign-in", data={"csrf_token": token, "email": "someone@example.org",
                                                    "password": "not the password"})
    assert refused.status_code == 400 and _not_stored(refused)
    signed_in = login(client, "someone@example.org")
    assert "Set-Cookie" in signed_in.headers and _not_stored(signed_in)
