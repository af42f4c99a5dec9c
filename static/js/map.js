/*
 * Directory map: draws actors and links from the JSON data that
 * directory/mapping.py:build_map embeds, on the Leaflet map folium created.
 *
 * The page includes (in this order) build_map's head, body and script
 * pieces; the script piece calls
 *     DirectoryMap.init(leafletMap, "map-data-<id>", {focus, tiles, fitBounds})
 *
 * Data format: see the docstring of directory/mapping.py. Actors are
 * [id, kind_index, lat, lon, name, summary, confidential, url]; links are
 * [source_index, target_index, link_kind_index, status_index]. With the gaps
 * overlay, data.gaps and data.barriers are [actor_index, [text, ...]] rows:
 * those actors are drawn outside the clusters, in a "Gaps" layer, with a
 * badge of letters (I isolated, O outside the forums, D dead end, B broker,
 * R reported barriers), and their popups list the gaps and the barriers.
 *
 * Security: user text (names, summaries) only ever goes through textContent,
 * title properties or setAttribute; never innerHTML. Works under a CSP
 * without 'unsafe-inline' (no inline styles: classes plus CSSOM only).
 */
(function (window, document) {
  "use strict";

  var A_ID = 0, A_KIND = 1, A_LAT = 2, A_LON = 3, A_NAME = 4, A_SUMMARY = 5, A_CONF = 6, A_URL = 7;
  var L_SRC = 0, L_TGT = 1, L_KIND = 2, L_STATUS = 3;

  var SMALL_LINKS = 2000;      // up to this many links: draw them all, once
  var LINK_MIN_ZOOM = 11;      // more than that: draw links only from this zoom...
  var MAX_DRAWN_LINKS = 4000;  // ...only those touching the view, at most this many

  var CONFIDENTIAL_NOTE = "Location withheld (confidential service) \u2014 shown at area centre";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Performance marks (dm-init, dm-parsed, dm-markers-built, dm-clustered,
  // dm-links, dm-controls, dm-loaded) for browser benchmarks.
  function mark(name) {
    if (window.performance && performance.mark) { performance.mark(name); }
  }

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

  // For Leaflet's layer control, which sets its labels with innerHTML. The
  // labels come from our vocabulary, but are escaped all the same.
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function svgLine(colour, dash) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "36");
    svg.setAttribute("height", "10");
    svg.setAttribute("viewBox", "0 0 36 10");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "dm-line-sample");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "5");
    line.setAttribute("x2", "35");
    line.setAttribute("y2", "5");
    line.setAttribute("stroke", colour);
    line.setAttribute("stroke-width", "3");
    if (dash) { line.setAttribute("stroke-dasharray", dash); }
    svg.appendChild(line);
    return svg;
  }

  function tables(data) {
    var t = { kinds: [], linkKinds: [], groups: {}, groupOrder: [], stages: {}, statuses: [] };
    (data.kinds || []).forEach(function (k) {
      t.kinds.push({ key: k[0], label: k[1], shape: k[2], colour: k[3] });
    });
    (data.linkKinds || []).forEach(function (k) {
      t.linkKinds.push({ key: k[0], label: k[1], group: k[2], colour: k[3], dash: k[4], bothWays: !!k[5] });
    });
    (data.linkGroups || []).forEach(function (g) {
      t.groups[g[0]] = g[1];
      t.groupOrder.push(g[0]);
    });
    t.stageOrder = [];
    (data.stages || []).forEach(function (s) {
      t.stages[String(s[0])] = s[1];
      t.stageOrder.push(String(s[0]));
    });
    (data.statuses || []).forEach(function (s) { t.statuses.push({ key: s[0], label: s[1] }); });
    t.proposed = data.proposed || ["#6f777b", "2 6"];
    return t;
  }

  function firstStage(summary) {
    var c = String(summary || "").charAt(0);
    return /^[1-9]$/.test(c) ? c : "";
  }

  // One letter per gap label ("Outside the forums" -> "O"); "R" for reported barriers.
  function gapCode(label) {
    var c = String(label || "").charAt(0).toUpperCase();
    return /^[A-Z]$/.test(c) ? c : "";
  }

  function textList(heading, items, className) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("p", "dm-popup-label", heading));
    var list = el("ul", className);
    items.forEach(function (text) { list.appendChild(el("li", null, text)); });
    frag.appendChild(list);
    return frag;
  }

  function buildPopup(actor, t, gaps, barriers) {
    var kind = t.kinds[actor[A_KIND]] || { key: "", label: "" };
    var box = el("div", "dm-popup");
    var title = el("p", "dm-popup-title");
    title.appendChild(el("strong", null, actor[A_NAME]));
    box.appendChild(title);

    var meta = el("p", "dm-popup-kind");
    var swatch = el("span", "dm-swatch dm-kind-" + cls(kind.key));
    swatch.setAttribute("aria-hidden", "true");
    meta.appendChild(swatch);
    meta.appendChild(document.createTextNode(kind.label));
    if (kind.key !== "service" && actor[A_SUMMARY]) {
      meta.appendChild(document.createTextNode(" \u2014 " + actor[A_SUMMARY]));
    }
    box.appendChild(meta);

    if (kind.key === "service") {
      var digits = String(actor[A_SUMMARY] || "").split("");
      if (digits.length) {
        box.appendChild(el("p", "dm-popup-label", digits.length > 1 ? "Pathway stages:" : "Pathway stage:"));
        var list = el("ul", "dm-popup-stages");
        digits.forEach(function (d) { list.appendChild(el("li", null, t.stages[d] || d)); });
        box.appendChild(list);
      } else {
        box.appendChild(el("p", "dm-popup-label", "No pathway stage given."));
      }
    }
    if (actor[A_CONF]) {
      box.appendChild(el("p", "dm-popup-note", CONFIDENTIAL_NOTE));
    }
    if (gaps && gaps.length) {
      box.appendChild(textList(gaps.length > 1 ? "Gaps:" : "Gap:", gaps, "dm-popup-gaps"));
    }
    if (barriers && barriers.length) {
      box.appendChild(textList("Reported barriers:", barriers, "dm-popup-barriers"));
    }
    var url = safeUrl(actor[A_URL]);
    if (url) {
      var p = el("p", "dm-popup-link");
      var a = el("a", null, "Open record");
      a.href = url;
      a.appendChild(hidden(": " + actor[A_NAME]));
      p.appendChild(a);
      box.appendChild(p);
    }
    return box;
  }

  function kindPlural(label) {
    return /s$/.test(label) ? label : label + "s";
  }

  function init(map, dataId, options) {
    options = options || {};
    var container = map.getContainer();
    var height = container.getAttribute("data-height");
    if (height && /^\d+(\.\d+)?(px|vh|vw|rem|em|%)$/.test(height)) {
      container.style.height = height;  // CSSOM: allowed by a strict CSP
      map.invalidateSize();
    }
    if (!options.tiles) {
      container.classList.add("dm-no-tiles");
      if (map.attributionControl) {
        map.attributionControl.addAttribution("No background map");
      }
    }

    var node = document.getElementById(dataId);
    if (!node) { return null; }
    mark("dm-init");
    var data = JSON.parse(node.textContent);
    mark("dm-parsed");
    var t = tables(data);
    var actors = data.actors || [];
    var links = data.links || [];
    var showGaps = !!(data.gaps || data.barriers);
    var gapsOf = {}, barriersOf = {};
    (data.gaps || []).forEach(function (r) { gapsOf[r[0]] = r[1] || []; });
    (data.barriers || []).forEach(function (r) { barriersOf[r[0]] = r[1] || []; });
    function codesFor(i) {
      var codes = (gapsOf[i] || []).map(gapCode).filter(Boolean);
      if (barriersOf[i] && barriersOf[i].length) { codes.push("R"); }
      return codes.join("");
    }

    // --- Markers: one cluster group per kind ---------------------------------
    var iconCache = {};
    function iconFor(kindKey, stage, confidential, codes) {
      codes = String(codes || "").replace(/[^A-Z]/g, "");
      var key = kindKey + "|" + stage + "|" + (confidential ? 1 : 0) + "|" + codes;
      if (!iconCache[key]) {
        var className = "dm-marker dm-kind-" + cls(kindKey);
        if (stage) { className += " dm-stage-" + stage; }
        if (confidential) { className += " dm-confidential"; }
        if (codes) { className += " dm-gap"; }
        iconCache[key] = L.divIcon({
          className: className, iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -12],
          html: codes ? '<span class="dm-gap-badge" aria-hidden="true">' + escapeHtml(codes) + "</span>" : ""
        });
      }
      return iconCache[key];
    }

    var clustered = options.cluster !== false;
    var clusters = t.kinds.map(function (kind) {
      var group = L.markerClusterGroup({
        chunkedLoading: true,
        chunkDelay: 1,
        showCoverageOnHover: false,
        // options.cluster false (a record's own small map: a handful of markers, each at the end of a
        // line): grouped only when they lie on top of each other, so no line ends in empty space.
        maxClusterRadius: clustered ? 45 : 1,
        disableClusteringAtZoom: 17,
        iconCreateFunction: function (cluster) {
          var n = cluster.getChildCount();
          var inner = el("span", "dm-cluster-inner");
          var count = el("span", "dm-cluster-count", String(n));
          count.setAttribute("aria-hidden", "true");
          inner.appendChild(count);
          inner.appendChild(hidden(n + " " + kindPlural(kind.label).toLowerCase() + ". Press Enter to zoom in."));
          return L.divIcon({
            html: inner, className: "dm-cluster dm-kind-" + cls(kind.key), iconSize: L.point(38, 38)
          });
        }
      });
      group.on("click", function (ev) {
        if (ev.layer && ev.layer.dmIndex !== undefined) { openPopupFor(ev.layer, false); }
      });
      group.on("keypress", function (ev) {
        var oe = ev.originalEvent;
        if (ev.layer && ev.layer.dmIndex !== undefined && oe && (oe.key === "Enter" || oe.keyCode === 13)) {
          openPopupFor(ev.layer, true);
        }
      });
      group.addTo(map);
      return group;
    });

    var markers = new Array(actors.length);
    var perKind = t.kinds.map(function () { return []; });
    // One popup for the map, filled on demand (a Popup per marker is too
    // heavy at national scale). Opened by a click, or by Enter on a focused
    // marker, which Leaflet turns into a click; then focus moves into it and
    // goes back to the marker when it closes.
    var popup = L.popup({ maxWidth: 320, minWidth: 180, autoPanPadding: [24, 24] });
    var popupMarker = null;
    function openPopupFor(marker, byKeyboard) {
      popupMarker = byKeyboard ? marker : null;
      popup.setLatLng(marker.getLatLng())
        .setContent(buildPopup(actors[marker.dmIndex], t, gapsOf[marker.dmIndex], barriersOf[marker.dmIndex]))
        .openOn(map);
      if (byKeyboard) {
        var link = popup.getElement() && popup.getElement().querySelector(".dm-popup a, .leaflet-popup-close-button");
        if (link) { link.focus(); }
      }
    }
    container.addEventListener("keydown", function (ev) {
      if ((ev.key === "Escape" || ev.key === "Esc") && map.hasLayer(popup)) {
        map.closePopup(popup);
      }
    });
    map.on("popupclose", function (ev) {
      if (ev.popup !== popup || !popupMarker) { return; }
      var icon = popupMarker.getElement && popupMarker.getElement();
      var active = document.activeElement;
      popupMarker = null;
      if (icon && active && (active === document.body || container.contains(active))) { icon.focus(); }
    });
    // Gaps overlay: marked actors stay out of the clusters, so their badges show.
    var gapLayer = L.layerGroup();
    var gapCount = 0;
    var presentStages = {};
    actors.forEach(function (actor, i) {
      var kind = t.kinds[actor[A_KIND]];
      if (!kind) { return; }
      var stage = kind.key === "service" ? firstStage(actor[A_SUMMARY]) : "";
      if (stage) { presentStages[stage] = true; }
      var codes = showGaps ? codesFor(i) : "";
      var label = actor[A_NAME] + " (" + kind.label + (actor[A_CONF] ? ", confidential location" : "") + ")";
      if (codes) {
        if (gapsOf[i] && gapsOf[i].length) { label += ". Gaps: " + gapsOf[i].join(", "); }
        if (barriersOf[i] && barriersOf[i].length) { label += ". Reported barriers: " + barriersOf[i].length; }
      }
      var marker = L.marker([actor[A_LAT], actor[A_LON]], {
        icon: iconFor(kind.key, stage, actor[A_CONF], codes),
        title: label,  // set as a DOM property by Leaflet: plain text
        keyboard: true,
        riseOnHover: true
      });
      marker.dmIndex = i;
      markers[i] = marker;
      if (codes) {
        marker.on("click", function () { openPopupFor(marker, false); });
        marker.on("keypress", function (ev) {
          var oe = ev.originalEvent;
          if (oe && (oe.key === "Enter" || oe.keyCode === 13)) { openPopupFor(marker, true); }
        });
        marker.addTo(gapLayer);
        gapCount += 1;
      } else {
        perKind[actor[A_KIND]].push(marker);
      }
    });
    if (showGaps) { gapLayer.addTo(map); }

    mark("dm-markers-built");
    var pending = 0;
    var loadedCallbacks = [];
    function whenLoaded(fn) {
      if (pending === 0) { fn(); } else { loadedCallbacks.push(fn); }
    }
    function oneLoaded() {
      pending -= 1;
      if (pending === 0) {
        mark("dm-loaded");
        var fns = loadedCallbacks.splice(0);
        fns.forEach(function (fn) { fn(); });
      }
    }
    clusters.forEach(function (group, k) {
      if (!perKind[k].length) { return; }
      pending += 1;
      var done = false;
      group.options.chunkProgress = function (processed, total) {
        if (!done && processed >= total) { done = true; window.setTimeout(oneLoaded, 0); }
      };
      group.addLayers(perKind[k]);
      if (!done && !group._map) { done = true; oneLoaded(); }
    });

    mark("dm-clustered");

    // --- Links: canvas polylines, styled by kind ----------------------------
    var renderer = L.canvas({ padding: 0.3 });
    var linkGroups = {};
    t.groupOrder.forEach(function (g) { linkGroups[g] = L.layerGroup(); });
    var proposedIndex = -1;
    t.statuses.forEach(function (s, i) { if (s.key === "proposed") { proposedIndex = i; } });
    var small = links.length <= SMALL_LINKS;
    var presentKinds = {};
    var anyProposed = false;
    links.forEach(function (l) {
      presentKinds[l[L_KIND]] = true;
      if (l[L_STATUS] === proposedIndex) { anyProposed = true; }
    });

    function lineFor(l) {
      var a = actors[l[L_SRC]], b = actors[l[L_TGT]];
      var kind = t.linkKinds[l[L_KIND]];
      if (!a || !b || !kind) { return null; }
      var proposed = l[L_STATUS] === proposedIndex;
      var line = L.polyline([[a[A_LAT], a[A_LON]], [b[A_LAT], b[A_LON]]], {
        renderer: renderer,
        color: proposed ? t.proposed[0] : kind.colour,
        dashArray: proposed ? t.proposed[1] : (kind.dash || null),
        weight: proposed ? 2 : 2.5,
        opacity: 0.85,
        interactive: small
      });
      if (small) {
        line.bindTooltip(function () {
          var status = (t.statuses[l[L_STATUS]] || {}).label || "";
          return el("span", null, kind.label + (status ? " (" + status.toLowerCase() + ")" : "") +
            ": " + a[A_NAME] + (kind.bothWays ? " \u2194 " : " \u2192 ") + b[A_NAME]);
        }, { sticky: true });
      }
      return { group: kind.group, line: line };
    }

    var note = el("p", "dm-legend-note");
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    function setNote(text) {
      if (note.textContent !== text) { note.textContent = text; }
      note.hidden = !text;
    }

    function drawAllLinks() {
      links.forEach(function (l) {
        var item = lineFor(l);
        if (item && linkGroups[item.group]) { item.line.addTo(linkGroups[item.group]); }
      });
    }

    function redrawLinks() {
      Object.keys(linkGroups).forEach(function (g) { linkGroups[g].clearLayers(); });
      if (!links.length) { setNote(""); return; }
      if (map.getZoom() < LINK_MIN_ZOOM) {
        setNote("There are " + links.length.toLocaleString("en-GB") +
          " links: zoom in to see the links in view.");
        return;
      }
      var b = map.getBounds().pad(0.1);
      var s = b.getSouth(), n = b.getNorth(), w = b.getWest(), e = b.getEast();
      function inView(a) { return a[A_LAT] >= s && a[A_LAT] <= n && a[A_LON] >= w && a[A_LON] <= e; }
      var shown = 0, truncated = false;
      for (var i = 0; i < links.length; i++) {
        var l = links[i];
        var kind = t.linkKinds[l[L_KIND]];
        var group = kind && linkGroups[kind.group];
        if (!group || !map.hasLayer(group)) { continue; }
        var a = actors[l[L_SRC]], b2 = actors[l[L_TGT]];
        if (!a || !b2 || !(inView(a) || inView(b2))) { continue; }
        if (shown >= MAX_DRAWN_LINKS) { truncated = true; break; }
        var item = lineFor(l);
        if (item) { item.line.addTo(group); shown += 1; }
      }
      setNote(truncated ? "Showing " + MAX_DRAWN_LINKS.toLocaleString("en-GB") +
        " of the links in view: zoom in to see them all." : "");
    }

    if (small) {
      drawAllLinks();  // filled before they join the map: one redraw, not one per line
      Object.keys(linkGroups).forEach(function (g) { linkGroups[g].addTo(map); });
      setNote("");
    } else {
      Object.keys(linkGroups).forEach(function (g) { linkGroups[g].addTo(map); });
      map.on("moveend", redrawLinks);
      map.on("overlayadd", function (ev) {
        if (ev.layer && Object.keys(linkGroups).some(function (g) { return linkGroups[g] === ev.layer; })) {
          redrawLinks();
        }
      });
      redrawLinks();
    }

    mark("dm-links");

    // --- Layer control: one overlay per actor kind and per link group --------
    var overlays = {};
    t.kinds.forEach(function (kind, k) {
      if (!perKind[k].length) { return; }
      overlays['<span class="dm-swatch dm-kind-' + cls(kind.key) + '" aria-hidden="true"></span> ' +
        escapeHtml(kindPlural(kind.label))] = clusters[k];
    });
    var presentGroups = {};
    Object.keys(presentKinds).forEach(function (k) {
      var kind = t.linkKinds[k];
      if (kind) { presentGroups[kind.group] = true; }
    });
    t.groupOrder.forEach(function (g) {
      if (!presentGroups[g]) { return; }
      overlays['<span class="dm-line-swatch dm-group-' + cls(g) + '" aria-hidden="true"></span> ' +
        escapeHtml(t.groups[g] + " links")] = linkGroups[g];
    });
    if (showGaps) {
      overlays[escapeHtml("Gaps and barriers (" + gapCount + " marked)")] = gapLayer;
    }
    var narrow = container.clientWidth < 640;
    L.control.layers(null, overlays, { collapsed: narrow, position: "topright" }).addTo(map);

    // --- Legend: shape + colour + text ----------------------------------------
    var Legend = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = el("div", "dm-legend leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var details = el("details", "dm-legend-details");
        if (!narrow && container.clientHeight >= 480) { details.open = true; }
        details.appendChild(el("summary", null, "Legend"));

        details.appendChild(el("p", "dm-legend-heading", "Actors"));
        var list = el("ul", "dm-legend-list");
        t.kinds.forEach(function (kind) {
          var li = el("li");
          var sample = el("span", "dm-marker dm-legend-marker dm-kind-" + cls(kind.key));
          sample.setAttribute("aria-hidden", "true");
          li.appendChild(sample);
          li.appendChild(document.createTextNode(kind.label + " (" + kind.shape + ")"));
          list.appendChild(li);
        });
        var li3 = el("li");
        var sample3 = el("span", "dm-marker dm-legend-marker dm-kind-service dm-confidential");
        sample3.setAttribute("aria-hidden", "true");
        li3.appendChild(sample3);
        li3.appendChild(document.createTextNode("Dashed outline: confidential service, shown at the area centre"));
        list.appendChild(li3);
        var li4 = el("li");
        var sample4 = el("span", "dm-cluster dm-legend-cluster dm-kind-service");
        sample4.appendChild(el("span", "dm-cluster-count", "12"));
        sample4.setAttribute("aria-hidden", "true");
        li4.appendChild(sample4);
        li4.appendChild(document.createTextNode("Ring with a number: a group of nearby actors of one kind (select to zoom in)"));
        list.appendChild(li4);
        details.appendChild(list);

        var shownStages = t.stageOrder.filter(function (n) { return presentStages[n]; });
        if (shownStages.length) {
          details.appendChild(el("p", "dm-legend-heading", "Services: colour and number of the first pathway stage"));
          var slist = el("ul", "dm-legend-list");
          shownStages.forEach(function (n) {
            var sli = el("li");
            var ssample = el("span", "dm-marker dm-legend-marker dm-kind-service dm-stage-" + n);
            ssample.setAttribute("aria-hidden", "true");
            sli.appendChild(ssample);
            sli.appendChild(document.createTextNode(t.stages[n]));
            slist.appendChild(sli);
          });
          details.appendChild(slist);
        }

        if (showGaps) {
          details.appendChild(el("p", "dm-legend-heading", "Gaps (letters on the marker)"));
          var glist = el("ul", "dm-legend-list");
          var seen = {};
          Object.keys(gapsOf).forEach(function (i) {
            gapsOf[i].forEach(function (label) { seen[label] = true; });
          });
          var labels = Object.keys(seen).sort();
          labels.forEach(function (label) {
            var gli = el("li");
            gli.appendChild(el("span", "dm-gap-swatch", gapCode(label))).setAttribute("aria-hidden", "true");
            gli.appendChild(document.createTextNode(label));
            glist.appendChild(gli);
          });
          var bli = el("li");
          bli.appendChild(el("span", "dm-gap-swatch", "R")).setAttribute("aria-hidden", "true");
          bli.appendChild(document.createTextNode("Reported barriers (listed in the popup)"));
          glist.appendChild(bli);
          if (!gapCount) { glist.appendChild(el("li", null, "Nothing to mark with these filters.")); }
          details.appendChild(glist);
        }

        if (links.length || !data.linksIncluded) {
          details.appendChild(el("p", "dm-legend-heading", "Links"));
          var llist = el("ul", "dm-legend-list");
          t.linkKinds.forEach(function (kind, k) {
            if (!presentKinds[k]) { return; }
            var li = el("li");
            li.appendChild(svgLine(kind.colour, kind.dash));
            li.appendChild(document.createTextNode(kind.label + " (" + (t.groups[kind.group] || kind.group) + ")"));
            llist.appendChild(li);
          });
          if (anyProposed) {
            var lp = el("li");
            lp.appendChild(svgLine(t.proposed[0], t.proposed[1]));
            lp.appendChild(document.createTextNode("Proposed, not yet confirmed (any kind)"));
            llist.appendChild(lp);
          }
          if (!data.linksIncluded) {
            llist.appendChild(el("li", null, "Links are not shown on this map."));
          }
          details.appendChild(llist);
        }
        details.appendChild(note);
        box.appendChild(details);
        return box;
      }
    });
    new Legend().addTo(map);

    mark("dm-controls");

    // --- Initial view ----------------------------------------------------------
    if (options.fitBounds && data.bounds) {
      map.fitBounds(data.bounds, { padding: [24, 24], maxZoom: 14 });
    }
    if (options.focus !== undefined && options.focus !== null) {
      var idx = -1;
      for (var i = 0; i < actors.length; i++) {
        if (actors[i][A_ID] === options.focus) { idx = i; break; }
      }
      if (idx >= 0 && markers[idx]) {
        whenLoaded(function () {
          var group = clusters[actors[idx][A_KIND]];
          group.zoomToShowLayer(markers[idx], function () { openPopupFor(markers[idx], false); });
        });
      }
    }

    var api = {
      map: map, data: data, markers: markers, clusters: clusters, linkGroups: linkGroups, gapLayer: gapLayer,
      redrawLinks: small ? drawAllLinks : redrawLinks, whenLoaded: whenLoaded
    };
    instances[dataId] = api;
    return api;
  }

  var instances = {};
  window.DirectoryMap = {
    init: init,
    instances: instances,  // by data element id, for tests and page scripts
    buildPopup: function (actor, data, gaps, barriers) { return buildPopup(actor, tables(data), gaps, barriers); }
  };
})(window, document);
