"""The map and the network view in a real browser: markers, nodes, layers, popups, gaps, accessibility."""
import re

import pytest

from directory.mapping import STAGE_COLOURS

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser

XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'


def _wait_for_map(page):
    page.wait_for_function(
        "() => window.DirectoryMap && Object.keys(DirectoryMap.instances).length > 0"
        " && document.querySelectorAll('.leaflet-marker-icon').length > 0")


def test_area_map_markers_layers_and_popup_link(page, demo):
    response = page.goto(f"/areas/{demo.slug}/map")
    assert response.status == 200
    _wait_for_map(page)
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() > 0
    assert page.locator(".dm-legend").is_visible()

    # Switch the services off in the layer control: their markers and clusters go; then back on.
    services_before = page.locator(".leaflet-marker-icon.dm-kind-service").count()
    assert services_before > 0
    control = page.locator(".leaflet-control-layers")
    control.hover()
    services = control.get_by_label(re.compile("Services"))
    services.uncheck()
    assert page.locator(".leaflet-marker-icon.dm-kind-service").count() == 0
    services.check()
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon.dm-kind-service').length > 0")

    # Services are coloured by their first stage: the legend lists each stage on the map in its colour.
    samples = page.evaluate("""() => [...document.querySelectorAll('.dm-legend .dm-legend-marker.dm-kind-service')]
        .filter(s => /dm-stage-\\d/.test(s.className)).map(s => [s.className.match(/dm-stage-(\\d)/)[1],
        getComputedStyle(s, '::before').backgroundColor, s.parentNode.textContent])""")
    stages_here = {int(n) for n in page.evaluate("""() => { const d = Object.values(DirectoryMap.instances)[0].data;
        return d.actors.filter(a => d.kinds[a[1]][0] === 'service' && a[5]).map(a => a[5][0]); }""")}
    assert sorted(int(n) for n, _colour, _label in samples) == sorted(stages_here)
    for n, colour, label in samples:
        assert colour == _rgb(STAGE_COLOURS[int(n)]) and label.startswith(f"{n}. ")
    assert len({colour for _n, colour, _label in samples}) == len(samples)

    # Open a forum's popup from the keyboard (forums are few: no cluster) and follow its link.
    forum = page.locator(".leaflet-marker-icon.dm-marker.dm-kind-forum").first
    name = forum.get_attribute("title").split(" (")[0]
    forum.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content .dm-popup")
    assert popup.is_visible()
    assert popup.locator(".dm-popup-title").inner_text() == name
    screenshot(page, "area-map")
    popup.get_by_role("link", name=re.compile("Open record")).click()
    page.wait_for_url(re.compile(r"/actors/\d+$"))
    assert page.get_by_role("heading", level=1, name=name).is_visible()
    page.watch.assert_clean()


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_actor_page_has_a_small_map(page, demo):
    page.goto(f"/areas/{demo.slug}/map")
    _wait_for_map(page)
    # The Lantern's links reach nine actors, several of them close together.
    actor_id = page.evaluate("() => Object.values(DirectoryMap.instances)[0].data.actors"
                             ".find(a => a[4] === 'The Lantern Day Centre')[0]")
    page.goto(f"/actors/{actor_id}")
    _wait_for_map(page)
    assert page.get_by_role("heading", name="On the map").is_visible()
    # The record and every actor it is linked to, each its own marker at the end of its line: no groups.
    actors = page.evaluate("() => Object.values(DirectoryMap.instances)[0].data.actors.length")
    assert actors >= 2
    page.wait_for_function(f"() => document.querySelectorAll('.leaflet-marker-icon.dm-marker').length === {actors}")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon.dm-cluster').length === 0")
    links = page.evaluate("() => Object.values(DirectoryMap.instances)[0].data.links.length")
    assert links > 0 and _drawn_links(page) == links
    assert page.get_by_role("switch").count() == 0
    page.watch.assert_clean()


def test_gaps_overlay_marks_actors_without_console_errors(page, demo):
    page.goto(f"/areas/{demo.slug}/map?gaps=1")
    _wait_for_map(page)
    badges = page.locator(".leaflet-marker-icon.dm-gap .dm-gap-badge")
    assert badges.count() > 0
    marked = page.locator(".leaflet-marker-icon.dm-gap").first
    assert "Gaps:" in marked.get_attribute("title") or "Reported barriers" in marked.get_attribute("title")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.dm-gap-badge')].map(b =>
        [b.getBoundingClientRect().width, b.getBoundingClientRect().height])""")
    assert all(w >= 20 and h >= 20 for w, h in sizes), sizes
    marks, barrier = page.evaluate("""() => { const d = Object.values(DirectoryMap.instances)[0].data;
        return [d.gapMarks, d.barrierMark]; }""")
    letter = dict((label, code) for code, label in marks)
    marked.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content .dm-popup")
    assert popup.locator(".dm-popup-gaps, .dm-popup-barriers").count() > 0
    # Each letter on the badge is explained in words in the popup: "I: Isolated ...".
    for item in popup.locator(".dm-popup-gaps li").all_inner_texts():
        code, label = item.split(": ", 1)
        assert letter[label] == code
    if popup.locator(".dm-popup-barriers").count():
        assert popup.locator(".dm-popup-label", has_text="Reported barriers").inner_text().startswith(barrier[0] + ": ")
    control = page.locator(".leaflet-control-layers")
    control.hover()
    control.get_by_label(re.compile("Gaps and barriers")).uncheck()
    assert page.locator(".leaflet-marker-icon.dm-gap").count() == 0
    screenshot(page, "area-map-gaps")
    page.watch.assert_clean()


def test_gap_letters_are_the_ones_sent_with_the_data(page, demo):
    page.goto(f"/areas/{demo.slug}/map?gaps=1")
    _wait_for_map(page)
    marks, barrier, seen = page.evaluate("""() => { const d = Object.values(DirectoryMap.instances)[0].data;
        return [d.gapMarks, d.barrierMark, [...new Set(d.gaps.flatMap(r => r[1]))]]; }""")
    letter = {label: code for code, label in marks}
    # Each marked actor's badge: the letters of its gaps, in order, then the barriers' letter.
    for title, badge in page.evaluate("""() => [...document.querySelectorAll('.leaflet-marker-icon.dm-gap')]
            .map(m => [m.title, m.querySelector('.dm-gap-badge').textContent])"""):
        gaps = title.split(". Gaps: ")[1].split(". ")[0].split(", ") if ". Gaps: " in title else []
        expected = "".join(letter[g] for g in gaps) + (barrier[0] if "Reported barriers" in title else "")
        assert badge == expected, title
    # The legend: the gaps on this map in the same order, then reported barriers.
    rows = page.evaluate("""() => [...document.querySelectorAll('.dm-legend li')]
        .filter(li => li.querySelector('.dm-gap-swatch'))
        .map(li => [li.querySelector('.dm-gap-swatch').textContent, li.textContent])""")
    assert rows == [[code, code + label] for code, label in marks if label in seen] + [
        [barrier[0], barrier[0] + barrier[1] + " (listed in the popup)"]]
    page.watch.assert_clean()


def _drawn_links(page) -> int:
    return page.locator(".leaflet-overlay-pane path.dm-link").count()


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_area_map_draws_a_selected_actors_links_and_all_of_them_on_request(page, demo, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/areas/{demo.slug}/map")
    _wait_for_map(page)
    total = page.evaluate("() => Object.values(DirectoryMap.instances)[0].data.links.length")
    assert total > 100
    # Nothing tangled to start with: the actors only, and a line saying how to see links.
    assert _drawn_links(page) == 0
    status = page.locator(".dm-map-status")
    assert status.inner_text() == f"Select an actor to see its links ({total} links in all)."
    # The filters are folded behind one button and the map comes first, within the first screen.
    assert not page.locator("form.dm-filters").is_visible()
    assert page.locator(".dm-map").bounding_box()["y"] < height * 0.8

    # Select the service with the most links among the markers drawn on their own, from the keyboard.
    index, name, own, others = page.evaluate("""() => { const map = Object.values(DirectoryMap.instances)[0];
        let best = -1, n = 0;
        map.markers.forEach((m, i) => { const c = map.links.linksOf(i).length;
            if (m.getElement() && m.getElement().classList.contains('dm-kind-service') && c > n) { best = i; n = c; } });
        const ends = new Set(map.links.linksOf(best).map(l => l[0] === best ? l[1] : l[0]));
        return [best, map.data.actors[best][4], n, ends.size]; }""")
    assert own > 1
    page.evaluate(f"() => Object.values(DirectoryMap.instances)[0].markers[{index}].getElement().focus()")
    page.keyboard.press("Enter")
    assert _drawn_links(page) == own < total
    assert status.inner_text() == f"Showing the {own} links of {name}."
    assert page.locator(".leaflet-marker-icon.dm-selected").count() == 1
    # The other ends stand out (those drawn on their own; the rest are inside a group's label).
    assert 0 < page.locator(".leaflet-marker-icon.dm-neighbour").count() <= others
    # Focus is in the popup: its title, then Tab reaches "Open record" before the close button.
    assert page.evaluate("document.activeElement.textContent") == name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == f"Open record: {name}"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Close popup"
    page.wait_for_timeout(300)  # the popup's fade in, for the picture
    screenshot(page, f"map-{width}")
    # Escape closes the popup and gives focus back to the marker; its links stay drawn.
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")  # after its fade
    assert page.evaluate(f"""() => document.activeElement ===
        Object.values(DirectoryMap.instances)[0].markers[{index}].getElement()""")
    assert _drawn_links(page) == own

    # The switch: a real control, used from the keyboard, its state announced.
    switch = page.get_by_role("switch", name="Show all links")
    assert switch.get_attribute("aria-checked") == "false"
    switch.focus()
    page.keyboard.press("Space")
    assert switch.get_attribute("aria-checked") == "true"
    assert _drawn_links(page) == total
    assert status.inner_text() == f"Showing all {total} links."
    screenshot(page, f"map-{width}-all-links")
    switch.press("Enter")
    assert switch.get_attribute("aria-checked") == "false" and _drawn_links(page) == own
    # Clearing the selection (or selecting the background) leaves the actors only.
    page.get_by_role("button", name="Clear selection").click()
    assert _drawn_links(page) == 0 and page.locator(".dm-selected, .dm-neighbour").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('role')") == "switch"
    assert run_axe(page) == []
    page.watch.assert_clean()


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_area_map_groups_and_legend_are_readable(page, demo, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"/areas/{demo.slug}/map")
    _wait_for_map(page)
    # Groups are grey pills reading "2 services", never a coloured numbered circle like a stage marker.
    pills = page.evaluate("""() => [...document.querySelectorAll('.leaflet-marker-icon.dm-cluster')].map(c =>
        [c.querySelector('.dm-cluster-count').textContent, getComputedStyle(c).backgroundColor,
         c.getBoundingClientRect().width, c.getBoundingClientRect().height, /dm-stage-/.test(c.className)])""")
    assert pills, "the demo area has groups at its first zoom"
    for text, background, w, h, staged in pills:
        assert re.fullmatch(r"\d+ (services|forums|researchers)", text)
        assert background == "rgb(243, 242, 241)" and w > 2 * h and not staged
    if width < 640:  # a phone starts with every actor in view, not half the area cut off
        assert page.evaluate("""() => { const m = Object.values(DirectoryMap.instances)[0];
            return m.map.getBounds().contains(L.latLngBounds(m.data.bounds)); }""")
    # The legend: folded on a phone; on a desktop open, in its corner, well under a third of the map.
    legend = page.locator(".dm-legend")
    assert page.evaluate("document.querySelector('.dm-legend details').open") == (width > 640)
    box, area = legend.bounding_box(), page.locator(".dm-map").bounding_box()
    assert box["width"] * box["height"] < area["width"] * area["height"] / 5
    page.watch.assert_clean()


@pytest.mark.parametrize("path", ["map", "map?gaps=1", "map/list", "map/list?gaps=1", "network", "network/table"])
def test_map_and_network_pages_have_no_serious_accessibility_violations(page, demo, path):
    response = page.goto(f"/areas/{demo.slug}/{path}")
    assert response.status == 200
    if path.startswith("map") and "list" not in path:
        _wait_for_map(page)
    if path == "network":
        page.locator("#network-status").filter(has_text="shown.").wait_for(timeout=20000)
    assert run_axe(page) == []
    page.watch.assert_clean()


def test_national_map_is_clean_and_accessible(page, demo):
    page.goto("/")
    page.get_by_role("link", name="See every service, forum and researcher on the map").click()
    page.wait_for_url("**/map")
    _wait_for_map(page)
    assert _drawn_links(page) == 0 and page.locator(".leaflet-overlay-pane canvas").count() == 0
    assert page.get_by_role("switch", name="Show all links").get_attribute("aria-checked") == "false"
    assert run_axe(page) == []
    page.watch.assert_clean()


def test_hostile_text_never_runs_on_the_map_or_network(page, make):
    area = make.area(name=XSS_IMG + XSS_SCRIPT + "{{ 7*7 }}", slug="hostile")
    evil = make.actor("service", area=area, name=XSS_SCRIPT + XSS_IMG + "{{ 7*7 }}", summary=XSS_IMG,
                      organisation=XSS_SCRIPT, stages=[2], latitude=53.0, longitude=-1.5)
    forum = make.actor("forum", area=area, name=XSS_IMG, latitude=53.01, longitude=-1.49)
    make.link(evil, "member_of", forum)
    make.barrier(evil, description=XSS_SCRIPT + XSS_IMG, visibility="public")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/areas/hostile/map?gaps=1", f"/actors/{evil.id}"):
        page.goto(path)
        _wait_for_map(page)
        page.locator(".leaflet-marker-icon.dm-kind-service").first.focus()
        page.keyboard.press("Enter")
        assert page.locator(".dm-popup-title").first.inner_text() == XSS_SCRIPT + XSS_IMG + "{{ 7*7 }}"
    page.goto("/areas/hostile/network")
    page.locator("#network-status").filter(has_text="shown.").wait_for(timeout=20000)
    page.goto("/areas/hostile/network/table")
    page.goto("/areas/hostile/map/list?gaps=1")
    assert page.locator("img[src='x']").count() == 0
    assert dialogs == []
    page.watch.assert_clean()
