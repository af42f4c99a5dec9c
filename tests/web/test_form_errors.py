"""A field's messages stand in one element with one id, which the field's aria-describedby names.

With two messages, writing one element per message would repeat the id (and a screen reader would read
only the first); templates/_macros.html writes all of them in one <p id="FIELD-error">.
"""
from __future__ import annotations

from collections import Counter

import pytest
from bs4 import BeautifulSoup
from flask import render_template_string
from wtforms import BooleanField, Form, SelectField, StringField

from directory.fields import CheckboxesField
from tests.helpers import login, post_form

FIRST, SECOND = "The first thing wrong", "The second thing wrong"


class _Form(Form):
    text = StringField("Text")
    agree = BooleanField("Agree")
    colours = CheckboxesField("Colours", choices=[("red", "Red"), ("blue", "Blue")])
    size = SelectField("Size", choices=[("s", "Small"), ("l", "Large")])


def _ids(soup: BeautifulSoup) -> Counter:
    return Counter(element["id"] for element in soup.find_all(id=True))


def _described(soup: BeautifulSoup, element_id: str) -> list[str]:
    return soup.find(id=element_id)["aria-describedby"].split()


def _assert_one_message_element(soup: BeautifulSoup, field_id: str, messages: tuple[str, ...]) -> None:
    """One element holds every message; its id is used once, and the field points at it."""
    errors = soup.find_all(class_="error-message")
    assert [e["id"] for e in errors] == [f"{field_id}-error"]
    assert [line.strip() for line in errors[0].get_text("\n").split("\n") if line.strip() != "Error:"] == \
        list(messages)
    assert _ids(soup)[f"{field_id}-error"] == 1
    assert f"{field_id}-error" in _described(soup, field_id)


@pytest.mark.parametrize(("macro", "name", "hint"), [
    ("field", "text", "A hint"), ("field", "text", None), ("field", "agree", None),
    ("checkboxes", "colours", "Choose any"), ("radios", "size", None),
])
def test_two_messages_are_one_element_with_one_id(app, macro, name, hint):
    form = _Form()
    form[name].errors = [FIRST, SECOND]
    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros.html" import field, checkboxes, radios %}'
            "{{ {'field': field, 'checkboxes': checkboxes, 'radios': radios}[macro](f, hint) }}",
            macro=macro, f=form[name], hint=hint)
    soup = BeautifulSoup(html, "html.parser")
    _assert_one_message_element(soup, name, (FIRST, SECOND))
    assert not [i for i, n in _ids(soup).items() if n > 1]
    if hint:  # the hint is still named first, as before
        assert _described(soup, name) == [f"{name}-hint", f"{name}-error"]


@pytest.mark.parametrize("macro", ["field", "checkboxes", "radios"])
def test_no_message_element_and_no_reference_without_errors(app, macro):
    name = {"field": "text", "checkboxes": "colours", "radios": "size"}[macro]
    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros.html" import field, checkboxes, radios %}'
            "{{ {'field': field, 'checkboxes': checkboxes, 'radios': radios}[macro](f) }}",
            macro=macro, f=_Form()[name])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find(class_="error-message") is None
    assert not soup.find(id=name).has_attr("aria-describedby")


def test_a_field_with_two_errors_on_a_real_page(client, make):
    """A web address name both too long and badly formed gets two messages, under one id."""
    make.user("boss@example.org", admin=True)
    login(client, "boss@example.org")
    r = post_form(client, "/admin/areas/new", {"name": "Riverton", "slug": "Bad Slug " * 30, "centre_lat": "53.1",
                                                "centre_lon": "-1.5", "zoom": "11", "boundary": ""})
    assert r.status_code == 400
    soup = BeautifulSoup(r.text, "html.parser")
    _assert_one_message_element(soup, "slug", (
        "Use 200 characters or fewer",
        "Use lower-case letters, numbers and single hyphens, like north-tyneside"))
    assert soup.find(id="slug")["aria-invalid"] == "true"
    assert not [i for i, n in _ids(soup).items() if n > 1]
