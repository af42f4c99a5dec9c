"""Helpers that drive the real forms (reading the real CSRF token) and read the pages they answer with."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag
from bs4.element import PreformattedString
from werkzeug import security

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


FAST_PASSWORD_HASH = "pbkdf2:sha256:1"  # one round: what the app hashes passwords with in tests (conftest.py)


def fast_password_hash(password: str) -> str:
    """A password hashed as the app hashes it in tests, taking no time."""
    return security.generate_password_hash(password, FAST_PASSWORD_HASH)


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


# --- reading pages ------------------------------------------------------------------------------------

def parse(response_or_html) -> BeautifulSoup:
    """The page of a response (or an HTML string), parsed."""
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.text
    return BeautifulSoup(html, "html.parser")


def text(node) -> str:
    """The text a reader sees in an element (or a whole page), entities decoded, whitespace collapsed."""
    return " ".join(node.get_text(" ").split())


def texts(soup, selector: str) -> list[str]:
    """The text of each element the CSS selector finds, in page order."""
    return [text(element) for element in soup.select(selector)]


def all_text(soup) -> str:
    """Everything a page carries as text, the contents of its scripts (map data) included; tags and
    comments dropped, entities decoded, whitespace collapsed. For "does this page betray X anywhere"."""
    strings = (s for s in soup.find_all(string=True) if not isinstance(s, PreformattedString))
    return " ".join(" ".join(strings).split())


def links(soup, href: str, selector: str = "a") -> list[Tag]:
    """The elements the CSS selector finds (links, by default) whose href matches the regular expression href
    in full, in page order."""
    return [a for a in soup.select(selector) if re.fullmatch(href, a.get("href", ""))]


@dataclass
class Row:
    """A table row headed by a link: the link's text, the row's text after the link, and the <tr> itself."""

    name: str
    rest: str
    element: Tag


def headed_rows(soup, href: str) -> list[Row]:
    """Each table row whose header cell (<th scope="row">) starts with a link to an address matching the
    regular expression href, in page order."""
    found = []
    for th in soup.select('tr > th[scope="row"]'):
        first = next((c for c in th.children if not (isinstance(c, str) and not c.strip())), None)
        if not isinstance(first, Tag) or first.name != "a" or not re.fullmatch(href, first.get("href", "")):
            continue
        row = th.parent
        strings = [s for s in row.find_all(string=True) if not isinstance(s, PreformattedString)]
        inside = [i for i, s in enumerate(strings) if any(p is first for p in s.parents)]
        rest = strings[inside[-1] + 1:] if inside else strings
        found.append(Row(text(first), " ".join(" ".join(rest).split()), row))
    return found


def definition(soup, term: str) -> Tag:
    """The <dd> that follows the one <dt> whose text is term."""
    terms = [dt for dt in soup.find_all("dt") if text(dt) == term]
    assert len(terms) == 1, f"{len(terms)} terms named {term!r}"
    dd = terms[0].find_next_sibling(True)
    assert dd is not None and dd.name == "dd", f"no <dd> right after <dt>{term}</dt>"
    return dd


def field_errors(soup, name: str) -> list[str]:
    """The messages shown beside a form field (in its element id="NAME-error"), in order.

    Each must follow the visually hidden "Error:" that screen readers announce; it is not returned.
    """
    messages = []
    for element in soup.select(f'.error-message[id="{name}-error"]'):
        starts = element.find_all("span", class_="visually-hidden", recursive=False)
        first = next((c for c in element.children if not (isinstance(c, str) and not c.strip())), None)
        assert starts and first is starts[0], f"no hidden “Error:” before {element}"
        for start in starts:
            assert text(start) == "Error:", element
            words = []
            for node in start.next_siblings:
                if isinstance(node, Tag) and (node.name == "br" or any(node is s for s in starts)):
                    break
                words.append(node.get_text(" ") if isinstance(node, Tag) else str(node))
            messages.append(" ".join(" ".join(words).split()))
    return messages


def field_error(soup, name: str) -> str:
    """The one message shown beside a form field; asserts there is exactly one."""
    messages = field_errors(soup, name)
    assert len(messages) == 1, f"expected one message beside {name}, found {messages}"
    return messages[0]


def json_data(soup, element_id: str):
    """The JSON carried by a <script type="application/json"> element; an id ending in * matches by prefix."""
    if element_id.endswith("*"):
        selector = f'script[type="application/json"][id^="{element_id[:-1]}"]'
    else:
        selector = f'script[type="application/json"][id="{element_id}"]'
    element = soup.select_one(selector)
    assert element is not None, f"no {selector} on the page"
    return json.loads(element.string)


def script_and_style_tags(soup) -> list[Tag]:
    """Every <script> and <style> element of a page."""
    return soup.find_all(["script", "style"])


def csp_nonce(response) -> str:
    """The nonce the response's Content-Security-Policy allows scripts by."""
    match = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


def assert_scripts_carry_the_nonce(response) -> None:
    """Every script element of the page has the nonce of the response's Content-Security-Policy."""
    nonce = csp_nonce(response)
    scripts = parse(response).find_all("script")
    assert scripts, "no scripts on the page"
    for script in scripts:
        assert script.get("nonce") == nonce, script
