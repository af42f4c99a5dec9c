"""The public pages in a real browser: search, open a record, accessibility, no outside requests."""
import pytest

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser


def test_search_from_home_and_open_a_record(page, demo):
    page.goto("/")
    page.get_by_label("Search the directory").fill("lantern")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/directory?q=lantern")
    assert page.get_by_role("heading", name="1 result").is_visible()
    page.get_by_role("link", name="The Lantern Day Centre").click()
    assert page.get_by_role("heading", level=1, name="The Lantern Day Centre").is_visible()
    screenshot(page, "actor-page")
    page.watch.assert_clean()


def test_keyboard_skip_link_reaches_main_content(page, demo):
    page.goto("/directory")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("path", ["/", "/directory?kind=service", "/areas/demo-soarbridge", "/directory?page=x"])
def test_no_serious_accessibility_violations(page, demo, path):
    response = page.goto(path)
    assert run_axe(page) == []
    if response.status == 200:  # an error status is itself logged to the console
        page.watch.assert_clean()
    else:
        assert page.watch.outside_requests == []
