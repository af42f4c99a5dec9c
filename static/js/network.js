/*
 * Network view: draws directory/mapping/graph.py:graph_data with vis-network.
 *
 * The page needs:
 *   <link rel="stylesheet" href="/static/css/map.css">
 *   <div id="network" aria-label="..."></div>          (the graph goes here)
 *   <script type="application/json" id="graph-data" nonce="...">{{ json_for_script(graph) }}</script>
 *   <script src="/static/js/dm-common.js" nonce="..."></script>
 *   <script src="/static/js/network.js" nonce="..."></script>
 *   <script src="/static/vendor/vis-network/vis-network.min.js" nonce="..."></script>
 * network.js before vis-network (no defer/async on any): it starts drawing at
 * DOMContentLoaded and, loaded first, gives vis-network's own stylesheet the
 * page's CSP nonce (see installStyleNonceShim).
 * and, as for every map, a table alternative next to it.
 *
 * Kinds by shape and colour (service dot, forum box, researcher triangle;
 * a service coloured by its first pathway stage, as on the map),
 * links by colour and dash per kind (proposed: dashed grey). Clicking a node,
 * or pressing Enter with a node selected, opens its record. With the graph
 * focused, "n" and "p" select the next and previous actor.
 *
 * Security: labels are drawn on a canvas by vis-network; tooltips are plain
 * strings (vis-network sets them with innerText); other text goes through
 * textContent. No innerHTML with user data.
 */
(function (window, document) {
  "use strict";

  var C = window.DirectoryCommon;
  var el = C.el;

  var BIG = 300;              // nodes: above this, stabilise then switch physics off
  var EDGE_LABELS_UP_TO = 150; // draw edge labels only for small graphs
  var VIS_SHAPES = { circle: "dot", square: "box", triangle: "triangle" };

  function nodeTitle(n, t) {
    var kind = t.kindsByKey[n.kind] || { label: n.kind };
    var lines = [n.label, kind.label + (n.subtype ? " \u2014 " + n.subtype : "")];
    if (n.stages && n.stages.length) {
      lines.push((n.stages.length > 1 ? "Pathway stages: " : "Pathway stage: ") +
        n.stages.map(function (s) { return t.stages[String(s)] || String(s); }).join("; "));
    }
    if (C.safeUrl(n.url)) { lines.push("Select to open the record."); }
    return lines.join("\n");
  }

  function start() {
    var data = C.readJson("graph-data");
    var container = document.getElementById("network");
    if (!data || !container || !window.vis || !window.vis.Network) { return null; }
    var t = C.tables(data);
    var rawNodes = data.nodes || [];
    var rawEdges = data.edges || [];
    var big = rawNodes.length > BIG;
    var byId = {};
    rawNodes.forEach(function (n) { byId[n.id] = n; });

    var nodes = rawNodes.map(function (n) {
      var kind = t.kindsByKey[n.kind] || { shape: "circle", colour: "#505a5f", label: n.kind };
      var shape = VIS_SHAPES[kind.shape] || "dot";
      var inside = shape === "box";  // box labels sit on the colour
      // A service takes the colour of its first pathway stage, as on the map.
      var colour = (n.kind === "service" && n.stages && n.stages.length && t.stageColours[String(n.stages[0])]) ||
        kind.colour;
      return {
        id: n.id,
        label: String(n.label || ""),
        title: nodeTitle(n, t),
        shape: shape,
        size: shape === "triangle" ? 16 : 14,
        color: {
          background: colour, border: "#0b0c0c",
          highlight: { background: colour, border: "#ffdd00" },
          hover: { background: colour, border: "#0b0c0c" }
        },
        borderWidth: 1.5,
        borderWidthSelected: 4,
        font: { color: inside ? "#ffffff" : "#0b0c0c", size: 14, strokeWidth: inside ? 0 : 3, strokeColor: "#ffffff" },
        widthConstraint: inside ? { maximum: 180 } : undefined
      };
    });

    var edges = rawEdges.map(function (e) {
      var kind = t.linkKindsByKey[e.kind] || { label: e.label, colour: "#505a5f", bothWays: false };
      var proposed = e.status === "proposed";
      var colour = proposed ? t.proposed[0] : kind.colour;
      var from = byId[e.from], to = byId[e.to];
      var status = t.statusLabels[e.status] || e.status;
      return {
        id: e.id,
        from: e.from,
        to: e.to,
        label: rawEdges.length <= EDGE_LABELS_UP_TO ? String(e.label || kind.label) : undefined,
        title: String(e.label || kind.label) + " (" + String(status).toLowerCase() + ")" +
          (from && to ? ": " + from.label + (kind.bothWays ? " \u2194 " : " \u2192 ") + to.label : ""),
        color: { color: colour, highlight: colour, hover: colour, opacity: 0.9 },
        dashes: e.dashes || false,
        width: proposed ? 1.5 : 2,
        arrows: kind.bothWays ? "" : "to",
        font: { size: 11, color: "#0b0c0c", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" }
      };
    });

    var options = {
      autoResize: true,
      layout: { improvedLayout: rawNodes.length <= 150, randomSeed: 7 },
      physics: {
        enabled: true,
        solver: big ? "forceAtlas2Based" : "barnesHut",
        barnesHut: { gravitationalConstant: -6000, springLength: 140, springConstant: 0.03, avoidOverlap: 0.2 },
        forceAtlas2Based: { gravitationalConstant: -60, springLength: 100, avoidOverlap: 0.3 },
        stabilization: { enabled: true, iterations: big ? 250 : 800, updateInterval: 50, fit: true }
      },
      interaction: {
        hover: true,
        tooltipDelay: 150,
        keyboard: { enabled: true, bindToWindow: false },
        navigationButtons: false,
        multiselect: false,
        hideEdgesOnDrag: big,
        hideEdgesOnZoom: big
      },
      edges: { smooth: big ? false : { type: "continuous" }, selectionWidth: 2 },
      nodes: { font: { face: "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" } }
    };

    // Keyboard and screen-reader support around the canvas.
    if (!container.hasAttribute("tabindex")) { container.setAttribute("tabindex", "0"); }
    if (!container.hasAttribute("role")) { container.setAttribute("role", "application"); }
    if (!container.hasAttribute("aria-label")) { container.setAttribute("aria-label", "Network graph"); }
    var help = el("p", "dm-network-help",
      "With the graph focused: n and p select the next and previous actor, Enter opens the selected " +
      "record, arrow keys pan, + and - zoom. The table alternative lists the same actors and links.");
    help.id = container.id + "-help";
    var status = el("p", "dm-network-status");
    status.id = container.id + "-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    container.parentNode.insertBefore(help, container.nextSibling);
    container.parentNode.insertBefore(status, help.nextSibling);
    container.setAttribute("aria-describedby", help.id);

    var network = new window.vis.Network(container, { nodes: nodes, edges: edges }, options);
    status.textContent = rawNodes.length ? "Laying out " + rawNodes.length + " actors\u2026" : "No actors to show.";

    network.once("stabilizationIterationsDone", function () {
      if (big) { network.setOptions({ physics: false }); }
      status.textContent = rawNodes.length + " actors and " + rawEdges.length + " links shown.";
    });

    function open(id) {
      var n = byId[id];
      var url = n && C.safeUrl(n.url);
      if (url) { window.location.assign(url); }
    }

    function announce(id) {
      var n = byId[id];
      if (!n) { return; }
      var kind = t.kindsByKey[n.kind] || { label: n.kind };
      status.textContent = "Selected: " + n.label + " (" + kind.label + "). Press Enter to open the record.";
    }

    network.on("click", function (params) {
      if (params.nodes && params.nodes.length === 1) { open(params.nodes[0]); }
    });
    network.on("selectNode", function (params) {
      if (params.nodes && params.nodes.length === 1) { announce(params.nodes[0]); }
    });

    var order = rawNodes.slice().sort(function (a, b) {
      return String(a.label).localeCompare(String(b.label), "en-GB");
    }).map(function (n) { return n.id; });

    function step(delta) {
      if (!order.length) { return; }
      var selected = network.getSelectedNodes();
      var i = selected.length ? order.indexOf(selected[0]) : -1;
      i = i < 0 ? (delta > 0 ? 0 : order.length - 1) : (i + delta + order.length) % order.length;
      var id = order[i];
      network.selectNodes([id], true);
      network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 250 } });
      announce(id);
    }

    container.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      if (ev.key === "Enter") {
        var selected = network.getSelectedNodes();
        if (selected.length === 1) { ev.preventDefault(); open(selected[0]); }
      } else if (ev.key === "n" || ev.key === "N") {
        ev.preventDefault();
        step(1);
      } else if (ev.key === "p" || ev.key === "P") {
        ev.preventDefault();
        step(-1);
      }
    });

    return network;
  }

  // The site's CSP allows a <style> element only with the page's nonce (no
  // 'unsafe-inline'; see directory/__init__.py). vis-network's standalone
  // build injects its stylesheet as a <style> element and has no option for a
  // nonce, so while the page loads, <style> elements created with
  // document.createElement get this script's nonce; the wrapper is removed at
  // DOMContentLoaded. This file must therefore load before vis-network (the
  // page's test checks the order). static/css/map.css has the rules the view
  // needs in any case.
  function installStyleNonceShim() {
    var script = document.currentScript;
    var nonce = script && (script.nonce || script.getAttribute("nonce"));
    if (!nonce || window.vis || document.readyState !== "loading") { return; }
    var original = document.createElement;
    document.createElement = function (tagName, opts) {
      var node = original.call(document, tagName, opts);
      if (String(tagName).toLowerCase() === "style") {
        node.setAttribute("nonce", nonce);
        node.nonce = nonce;
      }
      return node;
    };
    document.addEventListener("DOMContentLoaded", function () {
      document.createElement = original;
    });
  }

  installStyleNonceShim();
  window.DirectoryNetwork = { start: start };
  C.onReady(function () { window.DirectoryNetwork.network = start(); });
})(window, document);
