"""A manager saves a record a colleague changed after she opened it: told, nothing lost, saves again."""
from __future__ import annotations

import pytest

from directory.extensions import db
from directory.models import Actor
from tests.helpers import login, post_form, service_answers

from .conftest import run_axe
from .test_accessibility_sweep import unresolved_failures

pytestmark = pytest.mark.browser


def test_the_conflict_page_keeps_her_answers_and_saving_again_saves(app, page, make):
    area = make.area(name="Soarbridge")
    service = make.actor("service", area=area, name="Harbour Hostel", stages=[4], phone="")
    make.user("ann@example.org", name="Ann Archer", manages=[service])
    make.user("bob@example.org", name="Bob Baker", manages=[service])
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill("ann@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"/actors/{service.id}/edit")  # Ann opens the form
    bob = app.test_client()
    login(bob, "bob@example.org")
    saved_by_bob = post_form(bob, f"/actors/{service.id}/edit", service_answers(service, name="Harbour House"))
    assert saved_by_bob.status_code == 302
    page.get_by_label("Public phone number").fill("0116 496 0000")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save changes").click()
    assert navigation.value.status == 409
    summary = page.locator("#conflict")
    assert summary.is_visible() and "Bob Baker changed this record" in summary.inner_text()
    assert page.title().startswith("Not saved:")
    assert page.get_by_label("Public phone number").input_value() == "0116 496 0000"
    assert run_axe(page) == [] and unresolved_failures(page) == []
    # The link beside a changed answer leads to its field; she takes Bob's name and saves again.
    summary.get_by_role("link", name="Name of the service").click()
    assert page.evaluate("location.hash") == "#name"
    page.get_by_label("Name of the service").fill("Harbour House")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Save changes").click()
    assert navigation.value.status == 200 and "Your changes have been saved" in page.content()
    db.session.expire_all()
    saved = db.session.get(Actor, service.id)
    assert (saved.name, saved.phone) == ("Harbour House", "0116 496 0000")
    assert page.watch.outside_requests == []  # (a 409 is itself logged to the console)
