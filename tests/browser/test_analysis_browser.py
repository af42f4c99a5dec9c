"""The area analysis page and the national ranking in a real browser: no console errors, no axe violations."""
import re

import pytest

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser


def test_area_analysis_page_is_clean_and_accessible(page, demo):
    response = page.goto(f"/areas/{demo.slug}/analysis")
    assert response.status == 200
    assert page.get_by_role("heading", level=1, name="Where the pathway breaks: Demo: Soarbridge (fictional)").is_visible()
    chart = page.get_by_role("img", name="Active services at each pathway stage in Demo: Soarbridge (fictional)")
    assert chart.is_visible()
    assert page.get_by_text("0 – missing stage").first.is_visible()
    page.get_by_role("link", name="kind of finding").click()
    page.wait_for_url("**/analysis?sort=kind#findings")
    assert page.get_by_text("kind of finding").first.is_visible()
    screenshot(page, "area-analysis")
    assert run_axe(page) == []
    page.watch.assert_clean()


def test_area_analysis_prints_without_navigation(page, demo):
    page.goto(f"/areas/{demo.slug}/analysis")
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("link", name="Download the findings (CSV)").is_visible()
    assert page.get_by_role("img", name="Active services at each pathway stage in Demo: Soarbridge (fictional)").is_visible()
    page.watch.assert_clean()


def test_national_ranking_is_clean_and_accessible(page, demo):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Gaps by area").click()
    page.wait_for_url("**/analysis")
    assert page.get_by_role("heading", level=1, name="Areas ranked by their gaps").is_visible()
    page.get_by_role("link", name="Demo: Soarbridge (fictional)").click()
    page.wait_for_url(f"**/areas/{demo.slug}/analysis")
    page.go_back()
    assert run_axe(page) == []
    page.watch.assert_clean()


def _pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF that Chromium printed (each page object is "/Type /Page")."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_shortlist_heads_the_page_and_the_meeting_pack_prints_on_two_a4_pages(page, demo):
    page.goto(f"/areas/{demo.slug}/analysis")
    shortlist = page.get_by_role("region", name="What to raise at the next forum")
    assert shortlist.is_visible()
    items = shortlist.locator("ol > li")
    assert 1 <= items.count() <= 5
    assert all("Action:" in items.nth(n).inner_text() for n in range(items.count()))
    page.get_by_label("Read the pathway for").select_option("young_people")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**client_group=young_people**")
    assert page.get_by_text("are read for young people (16-25)", exact=False).first.is_visible()
    assert run_axe(page) == []
    page.get_by_role("link", name="Meeting pack for the next forum (prints on two pages)").click()
    page.wait_for_url(f"**/areas/{demo.slug}/analysis/pack**")
    page.goto(f"/areas/{demo.slug}/analysis/pack")
    assert page.get_by_role("heading", level=1, name=f"Meeting pack: {demo.name}").is_visible()
    screenshot(page, "analysis-pack")
    assert run_axe(page) == []
    pdf = page.pdf(format="A4", print_background=False)
    assert 1 <= _pdf_pages(pdf) <= 2
    page.watch.assert_clean()
