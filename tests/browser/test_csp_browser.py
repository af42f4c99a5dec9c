"""The Content-Security-Policy holds on the map pages: styles need the nonce, and nothing is refused.

The policy allows no 'unsafe-inline' for styles: a style="" attribute in markup, a <style> element without
the page's nonce or an innerHTML with a style attribute would be refused, and the browser would fire a
`securitypolicyviolation` event (and log a console error). Each page is used a little (a popup, the layer
control, a tooltip) so that the libraries draw what they draw on demand.
"""
import re

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Actor

pytestmark = pytest.mark.browser

# Installed before any of the page's scripts run: every refusal, kept on the window.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
}, true);
"""


@pytest.fixture
def csp_page(page):
    page.context.add_init_script(RECORD_VIOLATIONS)
    return page


def _assert_no_violations(page):
    assert page.evaluate("() => window.cspViolations") == []
    page.watch.assert_clean()


def _style_src(response) -> str:
    csp = response.headers["content-security-policy"]
    return next(part.strip() for part in csp.split(";") if part.strip().startswith("style-src"))


def _wait_for_map(page):
    page.wait_for_function(
        "() => window.DirectoryMap && Object.keys(DirectoryMap.instances).length > 0"
        " && document.querySelectorAll('.leaflet-marker-icon').length > 0")


def _open_a_popup_and_the_layers(page):
    page.locator(".leaflet-marker-icon.dm-marker").first.focus()
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup-content .dm-popup").wait_for()
    page.locator(".leaflet-control-layers").hover()


@pytest.mark.parametrize("path", ["map", "map?gaps=1"])
def test_area_map_needs_no_inline_styles(csp_page, demo, path):
    response = csp_page.goto(f"/areas/{demo.slug}/{path}")
    style_src = _style_src(response)
    assert "'unsafe-inline'" not in style_src and re.search(r"'nonce-[^']+'", style_src)
    _wait_for_map(csp_page)
    _open_a_popup_and_the_layers(csp_page)
    _assert_no_violations(csp_page)


def test_national_map_from_the_cache_needs_no_inline_styles(csp_page, demo):
    for _ in range(2):  # built, then served from the cache with this page's nonce
        csp_page.goto("/map")
        _wait_for_map(csp_page)
    _assert_no_violations(csp_page)


def test_record_page_mini_map_needs_no_inline_styles(csp_page, demo):
    lantern = db.session.scalar(select(Actor.id).where(Actor.name == "The Lantern Day Centre"))
    csp_page.goto(f"/actors/{lantern}")
    _wait_for_map(csp_page)
    _open_a_popup_and_the_layers(csp_page)
    _assert_no_violations(csp_page)


def test_network_view_gets_its_stylesheet_with_the_nonce(csp_page, demo):
    csp_page.goto(f"/areas/{demo.slug}/network")
    csp_page.locator("#network-status").filter(has_text="shown.").wait_for(timeout=20000)
    # vis-network's own stylesheet went in with the page's nonce (network.js loads first).
    assert csp_page.evaluate("""() => [...document.querySelectorAll('style')]
        .some(s => s.nonce && /vis-tooltip/.test(s.textContent))""")
    csp_page.locator("#network").scroll_into_view_if_needed()
    point = csp_page.evaluate("""() => { const net = DirectoryNetwork.network;
        net.stopSimulation();
        const id = JSON.parse(document.getElementById('graph-data').textContent).nodes[0].id;
        net.focus(id, { scale: 1.5, animation: false });
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        const box = document.querySelector('#network canvas').getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y }; }""")
    csp_page.mouse.move(point["x"] - 3, point["y"] - 3)
    csp_page.mouse.move(point["x"], point["y"], steps=3)
    csp_page.locator("div.vis-tooltip").wait_for(state="visible")
    _assert_no_violations(csp_page)


def test_partner_search_map_needs_no_inline_styles(csp_page, demo):
    csp_page.goto(f"/research/partners?topics=psychologically+informed+environments&area={demo.slug}")
    assert csp_page.locator("#partners-map").is_visible()
    assert csp_page.locator("#partners-map").bounding_box()["height"] > 300  # its size comes from map.css
    csp_page.locator(".partners-marker").first.click()
    csp_page.locator(".leaflet-popup-content").wait_for()
    _assert_no_violations(csp_page)
