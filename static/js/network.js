/*
 * Network view: draws directory/mapping/graph.py:graph_data with vis-network.
 *
 * The page (templates/maps/network.html) needs:
 *   <link rel="stylesheet" href="/static/css/map.css">  and css/network.css
 *   #network-tools, #network-focus-bar (the controls, hidden until drawn)
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
 * Kinds by shape and colour (service dot, forum square, researcher triangle;
 * a service coloured by its first pathway stage, as on the map), links by
 * colour and dash per kind (proposed: dashed grey).
 *
 * Reading it: the picture opens on the main (largest) connected group; the
 * actors outside it are listed under the graph by the page. Names are drawn
 * at least LABEL_PX pixels high on screen whatever the zoom; when that many
 * names would not fit, only the biggest actors in view are named (the one
 * pointed at, the one selected and its neighbours always are). Controls:
 * size by number of links or betweenness; arrange freely or by pathway stage;
 * find an actor by name; focus on the selected actor's neighbourhood (one or
 * two steps) and back to everyone. Clicking a node selects it (its record is
 * a link beside the graph; a double click opens it). With the graph focused,
 * "n" and "p" select the next and previous actor, Enter opens its record.
 *
 * Security: labels are drawn on a canvas by vis-network; tooltips are plain
 * strings (vis-network sets them with innerText); other text goes through
 * textContent or a form control's value. No innerHTML with user data.
 */
(function (window, document) {
  "use strict";

  var C = window.DirectoryCommon;
  var el = C.el;

  var BIG = 300;               // nodes: above this, a faster solver
  var EDGE_LABELS_UP_TO = 60;  // draw edge labels only for small graphs
  var VIS_SHAPES = { circle: "dot", square: "square", triangle: "triangle" };
  var LABEL_PX = 12;           // the smallest name drawn, in screen pixels
  var LABEL_WRAP_PX = 130;     // names wrap at about this width on screen
  var STAGE_COLUMN = 300;      // stage layout: canvas units between columns, and between actors in one
  var STAGE_ROW = 95;
  var FADED = 0.25;            // opacity of the actors away from the selected one
  var STAGE_HEADING_PX = 13;   // stage layout: column headings' size on screen (at least)

  function nodeTitle(n, t) {
    var kind = t.kindsByKey[n.kind] || { label: n.kind };
    var lines = [n.label, kind.label + (n.subtype ? " \u2014 " + n.subtype : "")];
    if (n.stages && n.stages.length) {
      lines.push((n.stages.length > 1 ? "Pathway stages: " : "Pathway stage: ") +
        n.stages.map(function (s) { return t.stages[String(s)] || String(s); }).join("; "));
    }
    lines.push("Linked to " + n.degree + (n.degree === 1 ? " actor" : " actors"));
    return lines.join("\n");
  }

  function visNode(n, t) {
    var kind = t.kindsByKey[n.kind] || { shape: "circle", colour: "#505a5f", label: n.kind };
    // A service takes the colour of its first pathway stage, as on the map.
    var colour = (n.kind === "service" && n.stages && n.stages.length && t.stageColours[String(n.stages[0])]) ||
      kind.colour;
    return {
      id: n.id,
      label: String(n.label || ""),
      title: nodeTitle(n, t),
      shape: VIS_SHAPES[kind.shape] || "dot",
      color: {
        background: colour, border: "#0b0c0c",
        highlight: { background: colour, border: "#0b0c0c" },
        hover: { background: colour, border: "#0b0c0c" }
      },
      borderWidth: 1.5,
      borderWidthSelected: 5,
      font: { color: "#0b0c0c", size: 14, strokeWidth: 4, strokeColor: "#ffffff" }
    };
  }

  function visEdge(e, t, byId, labelled) {
    var kind = t.linkKindsByKey[e.kind] || { label: e.label, colour: "#505a5f", bothWays: false };
    var proposed = e.status === "proposed";
    var colour = proposed ? t.proposed[0] : kind.colour;
    var from = byId[e.from], to = byId[e.to];
    var status = t.statusLabels[e.status] || e.status;
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      label: labelled ? String(e.label || kind.label) : undefined,
      title: String(e.label || kind.label) + " (" + String(status).toLowerCase() + ")" +
        (from && to ? ": " + from.label + (kind.bothWays ? " \u2194 " : " \u2192 ") + to.label : ""),
      color: { color: colour, highlight: colour, hover: colour, opacity: 0.8 },
      dashes: e.dashes || false,
      width: proposed ? 1.5 : 2,
      arrows: kind.bothWays ? "" : "to",
      font: { size: 11, color: "#0b0c0c", strokeWidth: 3, strokeColor: "#ffffff", align: "middle" }
    };
  }

  // Node sizes (canvas units) for each choice of the size control.
  function sizers(rawNodes) {
    var maxB = 0;
    rawNodes.forEach(function (n) { maxB = Math.max(maxB, n.betweenness || 0); });
    return {
      same: function () { return 14; },
      degree: function (n) { return 8 + 5 * Math.sqrt(n.degree || 0); },
      betweenness: function (n) { return maxB > 0 ? 8 + 26 * Math.sqrt((n.betweenness || 0) / maxB) : 14; }
    };
  }

  // Stage layout: services in a column per first stage (then one for those with none), forums in a row
  // above, researchers (and any other kind) in a row below; rows spaced to fill a frame `aspect` (height /
  // width) high. Returns {positions, headings, headingY}.
  function stageLayout(rawNodes, t, aspect) {
    var byName = function (a, b) { return String(a.label).localeCompare(String(b.label), "en-GB"); };
    var columns = {}, top = [], bottom = [];
    rawNodes.slice().sort(byName).forEach(function (n) {
      if (n.kind === "service") {
        var key = n.stages && n.stages.length ? String(n.stages[0]) : "none";
        (columns[key] = columns[key] || []).push(n);
      } else if (n.kind === "forum") {
        top.push(n);
      } else {
        bottom.push(n);
      }
    });
    // Every stage has its column, an empty one too: a stage no service here starts at shows as a gap.
    Object.keys(t.stages).forEach(function (key) { columns[key] = columns[key] || []; });
    var keys = Object.keys(columns).sort(function (a, b) {
      return (a === "none") - (b === "none") || Number(a) - Number(b);
    });
    var deepest = 0;
    keys.forEach(function (key) { deepest = Math.max(deepest, columns[key].length); });
    var width = Math.max(keys.length - 1, 0) * STAGE_COLUMN;
    var step = Math.max(STAGE_ROW, (width + STAGE_COLUMN) * aspect / (deepest + 6));
    var positions = {}, headings = [];
    keys.forEach(function (key, i) {
      var x = i * STAGE_COLUMN;
      headings.push({ x: x, text: key === "none" ? "No stage given" :
        (t.stages[key] || "Stage " + key) + (columns[key].length ? "" : " (none here)"),
        short: key === "none" ? "\u2013" : key + (columns[key].length ? "" : " (none)") });
      columns[key].forEach(function (n, j) { positions[n.id] = { x: x, y: j * step }; });
    });
    function placeRow(list, y) {
      var gap = list.length > 1 ? Math.max(width / (list.length - 1), STAGE_COLUMN * 0.75) : 0;
      var left = list.length > 1 ? (width - gap * (list.length - 1)) / 2 : width / 2;
      list.forEach(function (n, j) {  // every other one a little lower: room for long names
        positions[n.id] = { x: left + j * gap, y: y + (j % 2) * Math.min(step, 2 * STAGE_ROW) * 0.6 };
      });
    }
    var headingY = -Math.min(step, 1.6 * STAGE_ROW) * 0.9;
    placeRow(top, headingY - 2.7 * STAGE_ROW);
    placeRow(bottom, (deepest - 1) * step + 1.6 * STAGE_ROW);
    return { positions: positions, headings: headings, headingY: headingY };
  }

  function neighbourhood(adj, id, steps) {
    var seen = {}, frontier = [id];
    seen[id] = true;
    for (var s = 0; s < steps; s++) {
      var next = [];
      frontier.forEach(function (v) {
        (adj[v] || []).forEach(function (w) {
          if (!seen[w]) { seen[w] = true; next.push(w); }
        });
      });
      frontier = next;
    }
    return seen;
  }

  function start() {
    var data = C.readJson("graph-data");
    var container = document.getElementById("network");
    if (!data || !container || !window.vis || !window.vis.Network) { return null; }
    var t = C.tables(data);
    var rawNodes = data.nodes || [];
    var rawEdges = data.edges || [];
    var big = rawNodes.length > BIG;
    var byId = {}, adj = {};
    rawNodes.forEach(function (n) { byId[n.id] = n; adj[n.id] = []; });
    rawEdges.forEach(function (e) {
      if (adj[e.from] && adj[e.to]) { adj[e.from].push(e.to); adj[e.to].push(e.from); }
    });
    var mainIds = rawNodes.filter(function (n) { return n.main; }).map(function (n) { return n.id; });
    var sizeOf = sizers(rawNodes);

    var nodes = new window.vis.DataSet(rawNodes.map(function (n) { return visNode(n, t); }));
    var labelled = rawEdges.length <= EDGE_LABELS_UP_TO;
    var edges = new window.vis.DataSet(rawEdges.map(function (e) { return visEdge(e, t, byId, labelled); }));

    var options = {
      autoResize: true,
      layout: { improvedLayout: rawNodes.length <= 150, randomSeed: 7 },
      physics: {
        enabled: true,
        // Repulsion grows with an actor's links here, so the busy middle spreads out.
        solver: "forceAtlas2Based",
        forceAtlas2Based: big ? { gravitationalConstant: -60, springLength: 100, avoidOverlap: 0.3 } :
          { gravitationalConstant: -300, centralGravity: 0.02, springLength: 120, springConstant: 0.04,
            avoidOverlap: 0.8 },
        stabilization: { enabled: true, iterations: big ? 250 : 800, updateInterval: 50, fit: false }
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
      "Select an actor to name its neighbours and focus on it. With the graph focused: n and p select the " +
      "next and previous actor, Enter opens the selected record, arrow keys pan, + and - zoom. The table " +
      "alternative lists the same actors and links.");
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

    var state = { size: "degree", layout: "links", focus: null, selected: null, hovered: null,
                  freePositions: null, stages: null, ready: false };

    function shownIds() {
      return state.focus ? Object.keys(state.focus.ids).map(Number) : rawNodes.map(function (n) { return n.id; });
    }

    // --- names: never smaller than LABEL_PX on screen; only as many as fit ---------------------------
    function sizeNodes() {
      var fn = sizeOf[state.size] || sizeOf.degree;
      nodes.update(rawNodes.map(function (n) { return { id: n.id, size: fn(n) }; }));
    }

    // Names are placed biggest actor first (the selected one, its neighbours and the one pointed at before
    // all): a name is drawn only where it overlaps no name already placed, so every name drawn can be read.
    var measure = document.createElement("canvas").getContext("2d");
    function nameBox(n, p, scale, wrapPx, fontPx) {
      measure.font = fontPx + "px " + options.nodes.font.face;
      var lines = 1, width = 0, line = 0;
      String(n.label || "").split(/\s+/).forEach(function (word) {
        var w = measure.measureText(word).width, space = measure.measureText(" ").width;
        if (line && line + space + w > wrapPx) { lines += 1; line = w; } else { line += (line ? space : 0) + w; }
        width = Math.max(width, line);
      });
      var top = p.y + (nodes.get(n.id).size || 14) * scale + 2;
      return { x0: p.x - width / 2 - 3, x1: p.x + width / 2 + 3, y0: top, y1: top + lines * fontPx * 1.2 };
    }

    var labelFrame = 0;
    function refreshLabels() {
      labelFrame = 0;
      var scale = network.getScale() || 1;
      var font = Math.max(14, LABEL_PX / scale);
      var wrap = Math.max(150, LABEL_WRAP_PX / scale);
      var shown = shownIds();
      var positions = network.getPositions(shown);
      var w = container.clientWidth, h = container.clientHeight;
      var first = {};
      [state.selected, state.hovered].forEach(function (id) {
        if (id === null || !byId[id]) { return; }
        first[id] = 2;
        if (id === state.selected) { adj[id].forEach(function (v) { first[v] = first[v] || 1; }); }
      });
      var fn = sizeOf[state.size === "same" ? "degree" : state.size];
      var placed = [], named = {};
      if (state.layout === "stages" && state.stages) {  // the column headings' band
        var band = network.canvasToDOM({ x: 0, y: state.stages.headingY }).y;
        placed.push({ x0: -Infinity, x1: Infinity, y0: band - 2.4 * STAGE_HEADING_PX, y1: band + 4 });
      }
      shown.map(function (id) { return { id: id, p: network.canvasToDOM(positions[id]) }; })
        .filter(function (o) { return o.p.x >= 0 && o.p.x <= w && o.p.y >= 0 && o.p.y <= h; })
        .sort(function (a, b) {
          return (first[b.id] || 0) - (first[a.id] || 0) || fn(byId[b.id]) - fn(byId[a.id]) ||
            byId[b.id].degree - byId[a.id].degree;
        })
        .forEach(function (o) {
          var box = nameBox(byId[o.id], o.p, scale, Math.max(LABEL_WRAP_PX, 150 * scale), font * scale);
          var clash = box.x0 < 0 || box.x1 > w || box.y1 > h || placed.some(function (q) {
            return box.x0 < q.x1 && q.x0 < box.x1 && box.y0 < q.y1 && q.y0 < box.y1;
          });
          if (!clash || first[o.id]) { placed.push(box); named[o.id] = true; }
        });
      state.named = named;
      nodes.update(rawNodes.map(function (n) {
        return { id: n.id, label: named[n.id] ? String(n.label || "") : "",
                 font: { size: font }, widthConstraint: { maximum: wrap } };
      }));
    }
    function labelsLater() {
      if (!labelFrame) { labelFrame = window.requestAnimationFrame(refreshLabels); }
    }

    function fitTo(ids) {
      network.fit({ nodes: ids, animation: false });
      refreshLabels();
    }
    function fitShown() {
      if (state.focus) { fitTo(shownIds()); }
      else if (state.layout === "stages") { fitTo(rawNodes.map(function (n) { return n.id; })); }
      else { fitTo(mainIds.length ? mainIds : rawNodes.map(function (n) { return n.id; })); }
    }

    // The layout comes out roughly round; names are wide and the frame is too (or tall, on a phone):
    // stretch the picture to the frame's shape so the main group fills it and names overlap less.
    function stretchToFrame() {
      var ids = mainIds.length > 1 ? mainIds : rawNodes.map(function (n) { return n.id; });
      var pos = network.getPositions();
      var xs = ids.map(function (id) { return pos[id].x; }), ys = ids.map(function (id) { return pos[id].y; });
      var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
      var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
      if (!ids.length || maxX <= minX || maxY <= minY || !container.clientHeight) { return; }
      var ratio = (container.clientWidth / container.clientHeight) / ((maxX - minX) / (maxY - minY));
      var fx = ratio > 1 ? Math.min(ratio, 2.5) : 1, fy = ratio < 1 ? Math.min(1 / ratio, 2.5) : 1;
      var cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
      nodes.update(rawNodes.map(function (n) {
        return { id: n.id, x: cx + (pos[n.id].x - cx) * fx, y: cy + (pos[n.id].y - cy) * fy };
      }));
    }

    sizeNodes();
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });  // a still picture: names stay where they were read
      stretchToFrame();
      state.ready = true;
      fitShown();
      status.textContent = rawNodes.length + " actors and " + rawEdges.length + " links shown." +
        (mainIds.length < rawNodes.length ? " The picture opens on the main group of " + mainIds.length +
          " linked actors." : "");
      container.setAttribute("data-ready", "true");
    });
    network.on("zoom", labelsLater);
    network.on("dragEnd", labelsLater);
    network.on("resize", labelsLater);
    network.on("hoverNode", function (p) { state.hovered = p.node; labelsLater(); });
    network.on("blurNode", function () { state.hovered = null; labelsLater(); });

    // Stage headings are drawn on the canvas above their columns (the legend says what the columns are).
    network.on("afterDrawing", function (ctx) {
      if (state.layout !== "stages" || !state.stages) { return; }
      var scale = network.getScale() || 1;
      ctx.save();
      ctx.font = "bold " + Math.max(15, STAGE_HEADING_PX / scale) + "px " + options.nodes.font.face;
      ctx.textAlign = "center";
      ctx.fillStyle = "#0b0c0c";
      var narrow = STAGE_COLUMN * scale < 120;  // on a phone: the stage's number only (the legend names them)
      state.stages.headings.forEach(function (h) {
        var words = String(narrow ? h.short : h.text).split(" "), lines = [""];
        words.forEach(function (w) {
          var line = lines[lines.length - 1];
          if (line && ctx.measureText(line + " " + w).width > STAGE_COLUMN * 0.9) { lines.push(w); }
          else { lines[lines.length - 1] = line ? line + " " + w : w; }
        });
        var lh = Math.max(17, STAGE_HEADING_PX * 1.15 / scale);
        lines.forEach(function (line, i) {
          ctx.fillText(line, h.x, state.stages.headingY - (lines.length - 1 - i) * lh);
        });
      });
      ctx.restore();
    });

    // --- selection: the panel beside the graph ----------------------------------------------------
    var tools = document.getElementById("network-tools");
    var bar = document.getElementById("network-focus-bar");
    var panel = document.getElementById("network-selected");
    var everyone = document.getElementById("network-everyone");
    var stepsBox = document.getElementById("network-steps");
    var focusButton = document.getElementById("network-focus");

    function kindLabel(n) { return (t.kindsByKey[n.kind] || { label: n.kind }).label; }

    function showSelected(id) {
      state.selected = id;
      var n = byId[id];
      if (focusButton) { focusButton.disabled = !n; }
      if (panel) {
        document.getElementById("network-selected-none").hidden = !!n;
        document.getElementById("network-selected-some").hidden = !n;
        if (n) {
          document.getElementById("network-selected-name").textContent = n.label;
          document.getElementById("network-selected-kind").textContent = "(" + kindLabel(n) + ", linked to " +
            n.degree + (n.degree === 1 ? " actor)" : " actors)");
          var link = document.getElementById("network-selected-link");
          var url = C.safeUrl(n.url);
          link.hidden = !url;
          if (url) { link.setAttribute("href", url); }
        }
      }
      fade(id);
      refreshLabels();
    }

    // With an actor selected, the actors and links away from it fade so its own stand out.
    function fade(id) {
      var near = {};
      if (byId[id]) { near[id] = true; adj[id].forEach(function (v) { near[v] = true; }); }
      var any = byId[id] !== undefined;
      nodes.update(rawNodes.map(function (n) { return { id: n.id, opacity: !any || near[n.id] ? 1 : FADED }; }));
      edges.update(rawEdges.map(function (e) {
        var mine = e.from === id || e.to === id;
        var colour = edges.get(e.id).color;
        return { id: e.id, color: { color: colour.color, highlight: colour.highlight, hover: colour.hover,
                                    opacity: !any || mine ? 0.8 : FADED / 2 } };
      }));
    }

    function announce(id, verb) {
      var n = byId[id];
      if (!n) { return; }
      status.textContent = (verb || "Selected") + ": " + n.label + " (" + kindLabel(n) + "). " +
        "Its record is linked beside the graph; Enter in the graph opens it.";
    }

    function select(id, verb) {
      network.selectNodes([id], true);
      showSelected(id);
      announce(id, verb);
    }

    function open(id) {
      var n = byId[id];
      var url = n && C.safeUrl(n.url);
      if (url) { window.location.assign(url); }
    }

    network.on("selectNode", function (params) {
      if (params.nodes && params.nodes.length === 1) { showSelected(params.nodes[0]); announce(params.nodes[0]); }
    });
    network.on("deselectNode", function (params) {
      if (!params.nodes || !params.nodes.length) { showSelected(null); }
    });
    container.addEventListener("dblclick", function (ev) {
      var box = container.getBoundingClientRect();
      var id = network.getNodeAt({ x: ev.clientX - box.left, y: ev.clientY - box.top });
      if (id !== undefined && byId[id]) { open(id); }
    });

    // --- focus on one actor's neighbourhood, and back to everyone ----------------------------------
    function setFocus(id, steps) {
      if (id === null) {
        state.focus = null;
      } else {
        state.focus = { id: id, steps: steps, ids: neighbourhood(adj, id, steps) };
      }
      var ids = state.focus && state.focus.ids;
      nodes.update(rawNodes.map(function (n) { return { id: n.id, hidden: !!ids && !ids[n.id] }; }));
      if (everyone) { everyone.disabled = !state.focus; }
      fitShown();
      if (state.focus) {
        var others = Object.keys(ids).length - 1;
        status.textContent = "Showing " + byId[id].label + " and the " + others +
          (others === 1 ? " actor" : " actors") +
          (steps === 1 ? " linked to it" : " up to two steps away") + "; the others are hidden. " +
          "\u201cShow everyone\u201d brings them back.";
      } else {
        status.textContent = "Showing everyone: " + rawNodes.length + " actors and " + rawEdges.length + " links.";
      }
    }

    // --- arrangement: free (physics) or by pathway stage ------------------------------------------
    function setLayout(layout) {
      if (layout === state.layout) { return; }
      if (layout === "stages") {
        state.freePositions = network.getPositions();
        container.classList.add("dm-network-stages");  // taller first: the rows are spaced to fill it
        network.setSize("100%", "100%");
        state.stages = stageLayout(rawNodes, t, container.clientHeight / Math.max(container.clientWidth, 1));
        var pos = state.stages.positions;
        nodes.update(rawNodes.map(function (n) { return { id: n.id, x: pos[n.id].x, y: pos[n.id].y }; }));
      } else if (state.freePositions) {
        var free = state.freePositions;
        nodes.update(rawNodes.map(function (n) { return { id: n.id, x: free[n.id].x, y: free[n.id].y }; }));
      }
      state.layout = layout;
      // Columns are tall: the frame grows (css/network.css) so each actor keeps room for its name.
      container.classList.toggle("dm-network-stages", layout === "stages");
      network.setSize("100%", "100%");
      fitShown();
      window.requestAnimationFrame(fitShown);  // again once the canvas has its new size
      status.textContent = layout === "stages" ?
        "Arranged by pathway stage: services in a column per first stage, forums above, researchers below." :
        "Arranged by who works with whom.";
    }

    // --- find by name -----------------------------------------------------------------------------
    var order = rawNodes.slice().sort(function (a, b) {
      return String(a.label).localeCompare(String(b.label), "en-GB");
    }).map(function (n) { return n.id; });

    function find(text) {
      var q = String(text || "").trim().toLocaleLowerCase("en-GB");
      if (!q) { return null; }
      var exact = null, partial = null;
      order.forEach(function (id) {
        var name = String(byId[id].label).toLocaleLowerCase("en-GB");
        if (exact === null && name === q) { exact = id; }
        if (partial === null && name.indexOf(q) >= 0) { partial = id; }
      });
      return exact !== null ? exact : partial;
    }

    function reveal(id, verb) {
      if (state.focus && !state.focus.ids[id]) { setFocus(null); }
      select(id, verb);
      network.focus(id, { scale: network.getScale(), animation: false });  // names are readable at any scale
      refreshLabels();
    }

    function wireControls() {
      var names = document.getElementById("network-names");
      if (names) {
        order.forEach(function (id) {
          var option = document.createElement("option");
          option.value = String(byId[id].label);
          names.appendChild(option);
        });
      }
      var form = document.getElementById("network-find");
      var input = document.getElementById("network-find-name");
      if (form && input) {
        form.addEventListener("submit", function (ev) {
          ev.preventDefault();
          var id = find(input.value);
          if (id === null) { status.textContent = "No actor here is called \u201c" + input.value.trim() + "\u201d."; }
          else { reveal(id, "Found"); }
        });
        input.addEventListener("input", function () {  // a name chosen from the list: go straight to it
          var q = input.value.trim().toLocaleLowerCase("en-GB");
          var id = find(q);
          if (id !== null && String(byId[id].label).toLocaleLowerCase("en-GB") === q) { reveal(id, "Found"); }
        });
      }
      Array.prototype.forEach.call(document.querySelectorAll("input[name='network-size']"), function (radio) {
        if (radio.value === "betweenness" && !rawNodes.some(function (n) { return n.betweenness; })) {
          radio.disabled = true;
        }
        radio.addEventListener("change", function () {
          if (!radio.checked) { return; }
          state.size = radio.value;
          sizeNodes();
          refreshLabels();
          status.textContent = {
            degree: "Sized by number of links.", same: "All actors drawn the same size.",
            betweenness: "Sized by betweenness: the bigger, the more often on the shortest path between two others."
          }[state.size] || "";
        });
      });
      Array.prototype.forEach.call(document.querySelectorAll("input[name='network-layout']"), function (radio) {
        radio.addEventListener("change", function () { if (radio.checked) { setLayout(radio.value); } });
      });
      if (focusButton) {
        focusButton.addEventListener("click", function () {
          if (state.selected !== null) { setFocus(state.selected, Number(stepsBox && stepsBox.value) || 1); }
        });
      }
      if (everyone) {
        everyone.addEventListener("click", function () {
          var was = state.focus && state.focus.id;
          setFocus(null);
          if (was !== null && was !== undefined) { network.selectNodes([was], true); }
        });
      }
      var more = document.getElementById("network-options");
      if (more && container.clientWidth < 640) { more.open = false; }  // on a phone: the graph comes sooner
      if (tools) { tools.hidden = false; }
      if (bar) { bar.hidden = false; }
    }
    wireControls();

    function step(delta) {
      var ids = order.filter(function (id) { return !state.focus || state.focus.ids[id]; });
      if (!ids.length) { return; }
      var i = state.selected === null ? -1 : ids.indexOf(state.selected);
      i = i < 0 ? (delta > 0 ? 0 : ids.length - 1) : (i + delta + ids.length) % ids.length;
      reveal(ids[i]);
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

    network.directoryView = { state: state, find: find, setFocus: setFocus, setLayout: setLayout, mainIds: mainIds };
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
