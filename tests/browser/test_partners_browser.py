"""A researcher finds a partner site, writes to it, and the service accepts: in a real browser."""
import re

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser

TOPIC = "psychologically informed environments"
MESSAGE = "I would like to study how your staff use reflective practice, with residents as co-researchers."


def sign_in(page, email):
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_researcher_finds_a_site_sends_interest_and_the_service_accepts(page, demo, make):
    researcher = make.actor("researcher", area=demo, name="Dr Nell Harper", institution="Soarbridge Institute",
                            interests=TOPIC, seeking_partners=True)
    make.user("nell@example.org", manages=[researcher])
    hostel = db.session.scalar(select(Actor).where(Actor.name == "Gateway Direct-Access Hostel"))
    make.user("gateway-manager@example.org", manages=[hostel])

    # The researcher signs in and searches the demo area on a topic.
    sign_in(page, "nell@example.org")
    page.get_by_role("link", name="Research partners").click()
    page.get_by_label("Research topics").fill(TOPIC)
    page.get_by_label("Area", exact=True).select_option(label=demo.name)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/research/partners\?"))

    # Ranked results with their reasons; the two services that welcome the topic come first.
    results = page.locator("ol.result-list > li")
    top_two = {results.nth(i).get_by_role("heading").inner_text().split(". ", 1)[1] for i in range(2)}
    assert top_two == {"Gateway Direct-Access Hostel", "The Lantern Day Centre"}
    first = results.nth(0)
    assert "open to research" in first.inner_text()
    assert f"welcomes {TOPIC}" in first.inner_text()
    # The same results on the map, numbered by rank.
    assert page.locator("#partners-map").is_visible()
    assert page.locator(".partners-marker").count() == results.count()
    assert run_axe(page) == []
    screenshot(page, "partners-search")

    # An expression of interest from the search result.
    page.get_by_role("link", name="Express interest in research with Gateway Direct-Access Hostel").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Express interest in research with Gateway Direct-Access Hostel")
    page.get_by_label("Kind of engagement").select_option(label="Researcher in residence")
    page.get_by_label("Your message to the service").fill(MESSAGE)
    assert run_axe(page) == []
    page.get_by_role("button", name="Send your message").click()
    assert page.get_by_text("Your message has been sent").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Gateway Direct-Access Hostel"
    sign_out(page)

    # The service's manager finds it in the inbox and accepts it.
    sign_in(page, "gateway-manager@example.org")
    page.goto("/account/inbox")
    item = page.locator("li", has_text="Dr Nell Harper")
    assert MESSAGE in item.inner_text()
    item.get_by_role("button", name=re.compile(r"^Confirm")).click()
    page.wait_for_load_state()
    assert page.get_by_text("Link confirmed").is_visible()
    sign_out(page)

    # The link shows on both public pages.
    page.goto(f"/actors/{hostel.id}")
    assert page.get_by_role("link", name="Dr Nell Harper").is_visible()
    page.goto(f"/actors/{researcher.id}")
    assert page.get_by_role("link", name="Gateway Direct-Access Hostel").is_visible()
    screenshot(page, "partners-linked")
    page.watch.assert_clean()


@pytest.mark.parametrize("path", ["/research/partners", "/research/researchers?interests=housing+first"])
def test_search_pages_have_no_serious_accessibility_violations(page, demo, path):
    page.goto(path)
    assert run_axe(page) == []
    page.watch.assert_clean()
