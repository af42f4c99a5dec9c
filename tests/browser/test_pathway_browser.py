"""The pathway diagram in a real browser at desktop and phone widths: seven columns, the demo's gap and broken
handoff drawn and readable, every box reachable by keyboard, clean and accessible, and it prints (issue 12)."""
import re

import pytest

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_pathway_diagram_shows_the_gap_and_broken_handoff_and_is_accessible(page, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(f"/areas/{demo.slug}/pathway")
    assert response.status == 200
    figure = page.get_by_role("group", name=f"Pathway diagram of {demo.name}")
    assert figure.count() == 1
    assert page.locator("svg.pathway g.pd-col").count() == 7
    gap = page.locator("svg.pathway g.pd-col-missing")
    assert gap.count() == 1 and gap.locator("text.pd-col-num").text_content() == "6"
    assert gap.get_by_text("No service", exact=True).first.is_visible()
    broken = page.locator("svg.pathway g.pd-arrow-broken")
    assert broken.count() >= 1 and broken.first.locator("text").text_content() == "✕ missing"

    # Text drawn in the diagram is at least 11 px on screen at this width (the figure scrolls sideways on a phone
    # rather than shrinking).
    smallest = page.evaluate("""() => Math.min(...[...document.querySelectorAll('svg.pathway text')]
        .map(t => t.getBoundingClientRect().height).filter(h => h > 0))""")
    assert smallest >= 11

    # Every box is a link in keyboard order: Tab from the scroll region reaches the first box, Enter opens it.
    page.locator(".pd-scroll").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    first_box = page.locator("svg.pathway a.pd-node").first
    assert focused == first_box.get_attribute("href")
    assert page.evaluate("() => getComputedStyle(document.activeElement.querySelector('.pd-box')).fill") \
        == "rgb(255, 221, 0)"  # the focus colour
    screenshot(page, f"pathway-{width}")
    assert run_axe(page) == []
    name = first_box.get_attribute("aria-label").split(";")[0]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/actors/\d+$"))
    assert page.get_by_role("heading", level=1, name=name).is_visible()
    page.watch.assert_clean()


def test_pathway_for_a_client_group_is_one_click_and_the_diagram_prints(page, demo):
    page.goto(f"/areas/{demo.slug}/pathway")
    everyone = page.locator("svg.pathway a.pd-node").count()
    page.get_by_role("navigation", name="Read the pathway for a client group").get_by_role(
        "link", name="Young people (16-25)").click()
    page.wait_for_url("**/pathway?client_group=young_people")
    assert page.get_by_role("heading", level=1, name=f"Pathway of {demo.name} for young people (16-25)").is_visible()
    assert 0 < page.locator("svg.pathway a.pd-node").count() < everyone
    assert run_axe(page) == []
    # Printed, the diagram (1,058 units wide) is scaled to the paper's width, not cut off at its edge.
    page.set_viewport_size({"width": 700, "height": 990})
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    box = page.locator("svg.pathway").bounding_box()
    assert box["width"] <= 700 and box["x"] >= 0
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    page.watch.assert_clean()
