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


_ANY_TOKEN = re.compile(r'(name="csrf_token"[^>]*? value=|name="csrf-token" content=)"[^"]*"')


def without_tokens(html: str) -> str:
    """A page without its CSRF tokens: random letters that may spell, by chance, what a test looks for."""
    return _ANY_TOKEN.sub(r'\1""', html)


_VERSION = re.compile(r'name="(version|last_change)" type="hidden" value="([^"]*)"')


def form_values(html: str) -> dict[str, str]:
    """The hidden values a browser sends with a page's form: the CSRF token, and for an edit form the
    version of the record it was opened at (directory/conflicts.py)."""
    match = _TOKEN.search(html)
    values = {"csrf_token": match.group(1) or match.group(2)} if match else {}
    values.update(_VERSION.findall(html))
    return values


def post_form(client, path: str, data: dict, *, form_page: str | None = None, **kw):
    """POST to path with the hidden values (CSRF token, version) read from form_page (default: path itself)."""
    page = client.get(form_page or path)
    values = form_values(page.text)
    assert "csrf_token" in values, f"no CSRF token on {form_page or path} ({page.status_code})"
    return client.post(path, data={**values, **data}, **kw)


def service_answers(actor, **kw) -> dict:
    """Every answer of a service's edit form as the record stands (no address, postcode or contact), with kw
    changed."""
    data = {"name": actor.name, "organisation": "", "summary": "", "description": "",
            "area_id": str(actor.area_id), "service_types": actor.service_types,
            "stages": [str(s) for s in actor.stages], "address": "", "postcode": "",
            "latitude": str(actor.latitude), "longitude": str(actor.longitude)}
    data.update(kw)
    return data


def login(client, email: str, password: str = "correct horse battery"):
    """Sign in through the real form; asserts it worked."""
    response = post_form(client, "/account/sign-in", {"email": email, "password": password})
    assert response.status_code == 302, response.text
    return response


def logout(client):
    """Sign out through the real POST form."""
    return post_form(client, "/account/sign-out", {}, form_page="/")


SIGN_UP_LINK = re.compile(r"https?://[^/\s]+(/account/sign-up/finish/\S+)")


def sign_up_link(email: str) -> str:
    """The path of the newest "finish creating your account" link mailed to email."""
    from directory.mail import sent_mail

    for message in reversed(sent_mail(email)):
        match = SIGN_UP_LINK.search(message.get_content())
        if match:
            return match.group(1)
    raise AssertionError(f"no sign-up link mailed to {email}")


def sign_up(client, email: str, password: str = "correct horse battery", name: str = "New Person", *,
            path: str = "/account/sign-up"):
    """Sign up through the real form, then follow the emailed link and press its button; asserts it worked.

    Returns the response of the last step (a redirect, signed in).
    """
    response = post_form(client, path, {"name": name, "email": email, "password": password,
                                        "confirm": password})
    assert response.status_code == 200 and "Check your email" in response.text, response.text
    link = sign_up_link(email.strip().lower())
    response = post_form(client, link, {})
    assert response.status_code == 302, response.text
    return response
