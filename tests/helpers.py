"""Helpers that drive the real forms, reading the real CSRF token."""
from __future__ import annotations

import re

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    """GET a page and return the CSRF token from its first form."""
    response = client.get(path)
    match = _TOKEN.search(response.text)
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1) or match.group(2)


def post_form(client, path: str, data: dict, *, form_page: str | None = None, **kw):
    """POST to path with the CSRF token read from form_page (default: path itself)."""
    token = csrf_token(client, form_page or path)
    return client.post(path, data={"csrf_token": token, **data}, **kw)


def login(client, email: str, password: str = "correct horse battery"):
    """Sign in through the real form; asserts it worked."""
    response = post_form(client, "/account/sign-in", {"email": email, "password": password})
    assert response.status_code == 302, response.text
    return response


def logout(client):
    """Sign out through the real POST form."""
    return post_form(client, "/account/sign-out", {}, form_page="/")
