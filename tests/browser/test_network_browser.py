"""The network view in a real browser: the first picture, readable names, finding, focusing, sizing, arranging."""
import re

import pytest

from directory.mapping import STAGE_COLOURS

from .conftest import run_axe, screenshot

pytestmark = pytest.mark.browser

READY = "#network[data-ready]"
PHONE = {"width": 390, "height": 844}


def _open(page, demo):
    response = page.goto(f"/areas/{demo.slug}/network")
    assert response.status == 200
    page.wait_for_selector(READY, state="attached", timeout=30000)
    page.locator("#network").scroll_into_view_if_needed()


def _graph(page) -> dict:
    return page.evaluate("JSON.parse(document.getElementById('graph-data').textContent)")


def _picture(page) -> dict:
    """Where the main group's nodes are drawn (fractions of the canvas) and how its names are drawn."""
    return page.evaluate("""() => { const net = DirectoryNetwork.network, view = net.directoryView;
        const canvas = document.querySelector('#network canvas').getBoundingClientRect();
        const pos = net.getPositions(view.mainIds), scale = net.getScale();
        const pts = view.mainIds.map(id => net.canvasToDOM(pos[id]));
        const xs = pts.map(p => p.x / canvas.width), ys = pts.map(p => p.y / canvas.height);
        const named = view.mainIds.filter(id => net.body.nodes[id].options.label);
        return { xs: [Math.min(...xs), Math.max(...xs)], ys: [Math.min(...ys), Math.max(...ys)],
                 main: view.mainIds.length, named: named.length,
                 smallest: Math.min(...named.map(id => net.body.nodes[id].options.font.size * scale)) }; }""")


@pytest.mark.parametrize("width", [1280, 390])
def test_network_opens_on_the_main_group_with_names_to_read(page, demo, width):
    if width == 390:
        page.set_viewport_size(PHONE)
    _open(page, demo)
    graph = _graph(page)
    outliers = sorted((n for n in graph["nodes"] if not n["main"]), key=lambda n: n["label"].casefold())
    assert outliers, "the demo area has an actor outside its main group"
    # The main group fills the frame (the far-off actor does not squeeze it into the middle)...
    picture = _picture(page)
    assert picture["main"] == len(graph["nodes"]) - len(outliers)
    assert 0 <= picture["xs"][0] and picture["xs"][1] <= 1 and 0 <= picture["ys"][0] and picture["ys"][1] <= 1
    assert picture["xs"][1] - picture["xs"][0] > 0.75 and picture["ys"][1] - picture["ys"][0] > 0.75
    # ...its names are drawn at least 11 px high, where they do not overlap: most on a wide screen, the
    # biggest actors' on a phone.
    assert picture["smallest"] >= 11
    assert picture["named"] >= (0.7 * picture["main"] if width == 1280 else 15)
    boxes = page.evaluate("""() => { const net = DirectoryNetwork.network;
        return Object.values(net.body.nodes).filter(n => n.options.label && !n.options.hidden)
            .map(n => { const b = n.labelModule.getSize(); const a = net.canvasToDOM({x: b.left, y: b.top});
                        const z = net.canvasToDOM({x: b.left + b.width, y: b.top + b.height});
                        return [a.x, a.y, z.x, z.y]; }); }""")
    overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[0] < b[2] - 2 and b[0] < a[2] - 2 and a[1] < b[3] - 2 and b[1] < a[3] - 2]
    assert overlaps == []
    # The actors outside it are listed under the graph, with why, as links to their records.
    listed = page.locator("#network-outliers a")
    assert listed.all_inner_texts() == [n["label"] for n in outliers]
    assert [a.get_attribute("href") for a in listed.all()] == [n["url"] for n in outliers]
    why = page.locator("#network-outliers-title + p")
    assert why.is_visible() and re.search(
        rf"no link, direct or through others, to the main group of {picture['main']} actors", why.inner_text())
    assert "main group of" in page.locator("#network-status").inner_text()
    screenshot(page, f"network-{width}")
    assert run_axe(page) == []
    page.watch.assert_clean()


def test_find_an_actor_then_focus_on_its_neighbours(page, demo):
    _open(page, demo)
    graph = _graph(page)
    lantern = next(n for n in graph["nodes"] if n["label"] == "The Lantern Day Centre")
    # Every name is offered in the list under the search box.
    assert page.locator("#network-names option").count() == len(graph["nodes"])
    search = page.get_by_label("Find an actor", exact=True)
    search.fill("lantern day")
    search.press("Enter")
    assert page.evaluate("DirectoryNetwork.network.getSelectedNodes()") == [lantern["id"]]
    status = page.locator("#network-status")
    assert status.inner_text().startswith("Found: The Lantern Day Centre (")
    panel = page.locator("#network-selected")
    assert panel.locator("#network-selected-name").inner_text() == "The Lantern Day Centre"
    assert panel.get_by_role("link", name="Open its record").get_attribute("href") == lantern["url"]
    # Its name and the names of its neighbours in view are drawn, at least 11 px high, whatever else is named.
    neighbours = {e["to"] for e in graph["edges"] if e["from"] == lantern["id"]} | {
        e["from"] for e in graph["edges"] if e["to"] == lantern["id"]}
    drawn = page.evaluate("""(ids) => { const net = DirectoryNetwork.network, box = net.canvas.frame.canvas;
        const pos = net.getPositions(ids);
        return ids.map(id => net.canvasToDOM(pos[id])).map((p, i) => [ids[i],
            p.x >= 0 && p.y >= 0 && p.x <= box.clientWidth && p.y <= box.clientHeight,
            net.body.nodes[ids[i]].options.label, net.body.nodes[ids[i]].options.font.size * net.getScale()]); }""",
                          sorted(neighbours | {lantern["id"]}))
    in_view = [(label, size) for _id, seen, label, size in drawn if seen]
    assert len(in_view) > len(neighbours) / 2 and all(label and size >= 11 for label, size in in_view)
    # The others fade.
    opacity = page.evaluate("""() => Object.fromEntries(Object.values(DirectoryNetwork.network.body.nodes)
        .map(n => [n.id, n.options.opacity]))""")
    assert {int(i) for i, o in opacity.items() if o == 1} == neighbours | {lantern["id"]}
    assert all(o < 0.5 for i, o in opacity.items() if int(i) not in neighbours | {lantern["id"]})
    # Its links keep their kind's colour.
    colours = page.evaluate("""(id) => Object.values(DirectoryNetwork.network.body.edges)
        .filter(e => e.fromId === id || e.toId === id)
        .map(e => [e.options.color.highlight === e.options.color.color && e.options.color.color,
                   e.options.color.opacity])""",
                            lantern["id"])
    assert {c for c, _o in colours} <= {k[3] for k in graph["linkKinds"]} | {graph["proposed"][0]}
    assert {o for _c, o in colours} == {0.8}
    screenshot(page, "network-found")

    # Focus on it, one step: everyone else is hidden; then everyone is back.
    page.get_by_label("Show", exact=True).select_option("1")
    page.get_by_role("button", name="Focus on this actor").click()
    hidden = page.evaluate("""() => { const net = DirectoryNetwork.network;
        return Object.values(net.body.nodes).filter(n => n.options.hidden).map(n => n.id); }""")
    assert set(hidden) == {n["id"] for n in graph["nodes"]} - neighbours - {lantern["id"]}
    assert re.match(rf"Showing The Lantern Day Centre and the {len(neighbours)} actors linked to it",
                    status.inner_text())
    # Two steps: the neighbours' neighbours come back too.
    page.get_by_label("Show", exact=True).select_option("2")
    page.get_by_role("button", name="Focus on this actor").click()
    two_steps = set(neighbours) | {lantern["id"]}
    for e in graph["edges"]:
        if e["from"] in neighbours:
            two_steps.add(e["to"])
        if e["to"] in neighbours:
            two_steps.add(e["from"])
    shown = page.evaluate("""() => Object.values(DirectoryNetwork.network.body.nodes)
        .filter(n => !n.options.hidden && !n.isCluster).map(n => n.id)""")
    assert set(shown) == two_steps
    everyone = page.get_by_role("button", name="Show everyone")
    everyone.click()
    assert page.evaluate("""() => Object.values(DirectoryNetwork.network.body.nodes)
        .filter(n => n.options.hidden).length""") == 0
    assert everyone.is_disabled()
    assert status.inner_text().startswith("Showing everyone")

    # Finding an actor hidden by a focus shows everyone again.
    page.get_by_role("button", name="Focus on this actor").click()
    far = next(n for n in graph["nodes"] if not n["main"])
    search.fill(far["label"])  # the whole name, as chosen from the list: found without pressing Enter
    page.wait_for_function("id => DirectoryNetwork.network.getSelectedNodes()[0] === id", arg=far["id"])
    assert page.evaluate(f"DirectoryNetwork.network.body.nodes[{far['id']}].options.hidden") is False
    search.fill("no such actor here")
    search.press("Enter")
    assert status.inner_text() == "No actor here is called \u201cno such actor here\u201d."
    page.watch.assert_clean()


def _sizes(page) -> dict:
    return {int(k): v for k, v in page.evaluate("""() => Object.fromEntries(Object.values(
        DirectoryNetwork.network.body.nodes).map(n => [n.id, n.options.size]))""").items()}


def test_size_control_and_stage_layout(page, demo):
    _open(page, demo)
    graph = _graph(page)
    nodes = {n["id"]: n for n in graph["nodes"]}
    # By number of links (the default): more links, bigger.
    by_degree = _sizes(page)
    most = max(nodes.values(), key=lambda n: n["degree"])
    fewest = min(nodes.values(), key=lambda n: n["degree"])
    assert by_degree[most["id"]] > by_degree[fewest["id"]]
    # From the keyboard: the next choice in the group is betweenness; the broker becomes the biggest.
    page.get_by_label("Number of links").focus()
    page.keyboard.press("ArrowDown")
    assert page.get_by_label("Betweenness (bridges)").is_checked()
    by_betweenness = _sizes(page)
    broker = max(nodes.values(), key=lambda n: n["betweenness"])
    assert by_betweenness[broker["id"]] == max(by_betweenness.values())
    assert by_betweenness != by_degree
    assert "betweenness" in page.locator("#network-status").inner_text()
    page.get_by_label("All the same").check()
    assert len(set(_sizes(page).values())) == 1

    # By pathway stage: services in a column per first stage, left to right; forums above, researchers below.
    page.get_by_label("By pathway stage").check()
    positions = page.evaluate("() => DirectoryNetwork.network.getPositions()")
    at = {int(k): v for k, v in positions.items()}
    columns = {}
    for n in nodes.values():
        if n["kind"] == "service":
            columns.setdefault(n["stages"][0] if n["stages"] else 99, set()).add(round(at[n["id"]]["x"]))
    assert all(len(xs) == 1 for xs in columns.values())
    xs = [columns[stage].pop() for stage in sorted(columns)]
    assert len(xs) > 3 and xs == sorted(set(xs))
    service_ys = [at[i]["y"] for i, n in nodes.items() if n["kind"] == "service"]
    assert all(at[i]["y"] < min(service_ys) for i, n in nodes.items() if n["kind"] == "forum")
    assert all(at[i]["y"] > max(service_ys) for i, n in nodes.items() if n["kind"] == "researcher")
    screenshot(page, "network-stages")
    # Back to who works with whom: the picture as it was.
    free_before = page.evaluate("() => DirectoryNetwork.network.directoryView.state.freePositions")
    page.get_by_label("By who works with whom").check()
    back = page.evaluate("() => DirectoryNetwork.network.getPositions()")
    assert all(abs(back[k]["x"] - free_before[k]["x"]) < 1e-6 for k in back)
    page.watch.assert_clean()


def test_network_view_draws_the_nodes_and_opens_a_record(page, demo):
    _open(page, demo)
    status = page.locator("#network-status")
    assert page.locator("#network canvas").count() == 1
    shown = int(status.inner_text().split()[0])
    assert shown > 0 and shown == len(_graph(page)["nodes"])
    # A service node takes the colour of its first stage, as on the map.
    node_colour, first_stage = page.evaluate("""() => { const net = DirectoryNetwork.network;
        const n = JSON.parse(document.getElementById('graph-data').textContent).nodes
            .find(n => n.kind === 'service' && n.stages.length);
        return [net.body.nodes[n.id].options.color.background, n.stages[0]]; }""")
    assert node_colour == STAGE_COLOURS[first_stage]

    # The mouse: a click selects a node (its record is linked beside the graph), a double click opens it.
    target = page.evaluate("""() => { const net = DirectoryNetwork.network;
        const nodes = JSON.parse(document.getElementById('graph-data').textContent).nodes;
        const n = nodes.find(n => n.kind === 'forum');
        net.focus(n.id, { scale: 1.5, animation: false });
        const p = net.canvasToDOM(net.getPositions([n.id])[n.id]);
        const box = document.querySelector('#network canvas').getBoundingClientRect();
        return { id: n.id, x: box.left + p.x, y: box.top + p.y, at: net.getNodeAt(p) }; }""")
    assert target["at"] == target["id"]
    page.mouse.click(target["x"], target["y"])
    assert page.evaluate("DirectoryNetwork.network.getSelectedNodes()") == [target["id"]]
    assert status.inner_text().startswith("Selected: ")
    assert page.locator("#network-selected-link").get_attribute("href") == f"/actors/{target['id']}"
    page.mouse.dblclick(target["x"], target["y"])
    page.wait_for_url(re.compile(rf"/actors/{target['id']}$"))
    page.go_back()
    page.wait_for_selector(READY, state="attached", timeout=30000)

    # Keyboard: focus the graph, select the first actor with "n", open it with Enter.
    page.locator("#network").focus()
    page.keyboard.press("n")
    assert status.inner_text().startswith("Selected: ")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/actors/\d+$"))
    page.watch.assert_clean()
