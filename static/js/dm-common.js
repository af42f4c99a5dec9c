/*
 * Helpers shared by the map (map.js), the network view (network.js) and the
 * partner-site map (partners-map.js). A plain script, loaded before them; it
 * defines one global, window.DirectoryCommon, and nothing else.
 *
 * Security: el() and hidden() set text with textContent; escapeHtml() is for
 * the few places where a library takes HTML (Leaflet's layer control and
 * divIcon); safeUrl() keeps only same-site paths and http(s) URLs.
 */
(function (window, document) {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Text for screen readers only.
  function hidden(text) {
    return el("span", "dm-visually-hidden", text);
  }

  // Our vocabulary keys only ([a-z_]); anything else is dropped from class names.
  function cls(key) {
    return String(key).replace(/[^a-z0-9_-]/gi, "");
  }

  // Only same-site paths or http(s) URLs become links (never javascript: etc).
  function safeUrl(url) {
    if (typeof url !== "string") { return null; }
    if (/^\/(?![\/\\])/.test(url) || /^https?:\/\//i.test(url)) { return url; }
    return null;
  }

  // For Leaflet's layer control and divIcon, which take HTML. What we pass
  // comes from our vocabulary, but is escaped all the same.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // A short line in a link kind's colour and dash, for legends.
  function svgLine(colour, dash) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var attrs = { width: "36", height: "10", viewBox: "0 0 36 10", "aria-hidden": "true", focusable: "false",
                  "class": "dm-line-sample" };
    Object.keys(attrs).forEach(function (k) { svg.setAttribute(k, attrs[k]); });
    var line = document.createElementNS(ns, "line");
    attrs = { x1: "1", y1: "5", x2: "35", y2: "5", stroke: colour, "stroke-width": "3" };
    if (dash) { attrs["stroke-dasharray"] = dash; }
    Object.keys(attrs).forEach(function (k) { line.setAttribute(k, attrs[k]); });
    svg.appendChild(line);
    return svg;
  }

  // A performance mark, for browser benchmarks.
  function mark(name) {
    if (window.performance && performance.mark) { performance.mark(name); }
  }

  // The JSON in <script type="application/json" id=id>, or null.
  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  // fn once the document is parsed (now, if it already is).
  function onReady(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); }
    else { fn(); }
  }

  // The legend tables of directory/mapping/styles.py:legend_tables, read once:
  // kinds and link kinds in order (the map's rows refer to them by index) and
  // by key (the graph's nodes and edges name them).
  function tables(data) {
    var t = {
      kinds: [], kindsByKey: {}, linkKinds: [], linkKindsByKey: {}, groups: {}, groupOrder: [],
      stages: {}, stageColours: {}, stageOrder: [], statuses: [], statusLabels: {},
      proposed: data.proposed || ["#6f777b", "2 6"]
    };
    (data.kinds || []).forEach(function (k) {
      var kind = { key: k[0], label: k[1], shape: k[2], colour: k[3] };
      t.kinds.push(kind);
      t.kindsByKey[kind.key] = kind;
    });
    (data.linkKinds || []).forEach(function (k) {
      var kind = { key: k[0], label: k[1], group: k[2], colour: k[3], dash: k[4], bothWays: !!k[5] };
      t.linkKinds.push(kind);
      t.linkKindsByKey[kind.key] = kind;
    });
    (data.linkGroups || []).forEach(function (g) {
      t.groups[g[0]] = g[1];
      t.groupOrder.push(g[0]);
    });
    (data.stages || []).forEach(function (s) {
      var n = String(s[0]);
      t.stages[n] = s[1];
      t.stageColours[n] = s[2];
      t.stageOrder.push(n);
    });
    (data.statuses || []).forEach(function (s) {
      t.statuses.push({ key: s[0], label: s[1] });
      t.statusLabels[s[0]] = s[1];
    });
    return t;
  }

  window.DirectoryCommon = {
    el: el, hidden: hidden, cls: cls, safeUrl: safeUrl, escapeHtml: escapeHtml, svgLine: svgLine, mark: mark,
    readJson: readJson, onReady: onReady, tables: tables
  };
})(window, document);
