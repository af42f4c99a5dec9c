/*
 * Directory map: draws actors and links from the JSON data that
 * directory/mapping/folium_map.py:build_map embeds, on the Leaflet map folium created.
 * Needs static/js/dm-common.js (loaded first, by build_map's head piece).
 *
 * The page includes (in this order) build_map's head, body and script
 * pieces; the script piece calls
 *     DirectoryMap.init(leafletMap, "map-data-<id>", {focus, tiles, fitBounds})
 * which draws, in turn, the markers, the links, the layer control and the
 * legend (addMarkers, addLinks, addLayerControl, addLegend).
 *
 * Links are not all drawn at once: selecting an actor (click, or Enter on a
 * focused marker) draws its links and makes the actors at their other ends
 * stand out (highlighter); a "Show all links" switch above the map
 * (linkTools) draws them all. options.allLinks (a record's small map) draws
 * them all from the start, without the switch.
 *
 * Data format: see the docstring of directory/mapping/__init__.py. Actors are
 * [id, kind_index, lat, lon, name, summary, confidential, url]; links are
 * [source_index, target_index, link_kind_index, status_index]. With the gaps
 * overlay, data.gaps and data.barriers are [actor_index, [text, ...]] rows:
 * those actors are drawn outside the clusters, in a "Gaps" layer, with a
 * badge of letters, and their popups list the gaps and the barriers. The
 * letters come with the data (data.gapMarks: [letter, label] per gap label;
 * data.barrierMark: the letter for reported barriers), from
 * directory/analysis/summary.py.
 *
 * Security: user text (names, summaries) only ever goes through textContent,
 * title properties or setAttribute; never innerHTML. Works under the site's
 * CSP, which has no 'unsafe-inline' for styles: classes plus CSSOM only.
 */
(function (window, document) {
  "use strict";

  var C = window.DirectoryCommon;
  var el = C.el, hidden = C.hidden, cls = C.cls, escapeHtml = C.escapeHtml, mark = C.mark;

  var A_ID = 0, A_KIND = 1, A_LAT = 2, A_LON = 3, A_NAME = 4, A_SUMMARY = 5, A_CONF = 6, A_URL = 7;
  var L_SRC = 0, L_TGT = 1, L_KIND = 2, L_STATUS = 3;

  var SMALL_LINKS = 2000;      // up to this many links: draw them all, once
  var LINK_MIN_ZOOM = 11;      // more than that: draw links only from this zoom...
  var MAX_DRAWN_LINKS = 4000;  // ...only those touching the view, at most this many
  var FEW_ACTORS = 1000;       // fewer than this (an area): group markers only when close together
  var NARROW_PX = 640;         // a map narrower than this (a phone): controls folded, every actor in view

  var CONFIDENTIAL_NOTE = "Location withheld (confidential service) \u2014 shown at area centre";

  function firstStage(summary) {
    var c = String(summary || "").charAt(0);
    return /^[1-9]$/.test(c) ? c : "";
  }

  function kindPlural(label) {
    return /s$/.test(label) ? label : label + "s";
  }

  function isEnter(ev) {
    var oe = ev.originalEvent;
    return !!(oe && (oe.key === "Enter" || oe.keyCode === 13));
  }

  // --- Popups ------------------------------------------------------------------

  function textList(heading, items, className) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("p", "dm-popup-label", heading));
    var list = el("ul", className);
    items.forEach(function (text) { list.appendChild(el("li", null, text)); });
    frag.appendChild(list);
    return frag;
  }

  // gaps and barriers: the texts of the actor's gaps and reported barriers;
  // marks ({codeOf: {label: letter}, barrierMark: [letter, label]}) says which
  // letter marks each, so that the popup explains the badge ("I: Isolated").
  function buildPopup(actor, t, gaps, barriers, marks) {
    marks = marks || { codeOf: {}, barrierMark: ["", ""] };
    var kind = t.kinds[actor[A_KIND]] || { key: "", label: "" };
    var box = el("div", "dm-popup");
    var title = el("p", "dm-popup-title");
    title.tabIndex = -1;  // focus goes here when the popup is opened from the keyboard
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
        box.appendChild(textList(digits.length > 1 ? "Pathway stages:" : "Pathway stage:",
          digits.map(function (d) { return t.stages[d] || d; }), "dm-popup-stages"));
      } else {
        box.appendChild(el("p", "dm-popup-label", "No pathway stage given."));
      }
    }
    if (actor[A_CONF]) {
      box.appendChild(el("p", "dm-popup-note", CONFIDENTIAL_NOTE));
    }
    if (gaps && gaps.length) {
      box.appendChild(textList(gaps.length > 1 ? "Gaps (letters on the marker):" : "Gap (letter on the marker):",
        gaps.map(function (label) { return (marks.codeOf[label] ? marks.codeOf[label] + ": " : "") + label; }),
        "dm-popup-gaps"));
    }
    if (barriers && barriers.length) {
      var letter = marks.barrierMark[0];
      box.appendChild(textList((letter ? letter + ": " : "") + "Reported barriers:", barriers, "dm-popup-barriers"));
    }
    var url = C.safeUrl(actor[A_URL]);
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

  // One popup for the map, filled on demand (a Popup per marker is too heavy
  // at national scale). Opened by a click, or by Enter on a focused marker;
  // then focus moves to its title (Tab goes on to "Open record", then the
  // close button) and goes back to the marker when it closes (Escape).
  // Opening it selects the actor (onSelect(i)). Returns openPopupFor(marker, byKeyboard).
  function popupOpener(map, actors, t, gaps, onSelect) {
    var container = map.getContainer();
    var popup = L.popup({ maxWidth: 320, minWidth: 180, autoPanPadding: [24, 24] });
    var popupMarker = null;
    function openPopupFor(marker, byKeyboard) {
      var i = marker.dmIndex;
      onSelect(i);
      // Pan clear of the layer control too, when it is open in the top right corner.
      var layers = container.querySelector(".leaflet-control-layers-expanded");
      popup.options.autoPanPaddingBottomRight = [layers ? layers.offsetWidth + 24 : 24, 24];  // [right, bottom]
      popupMarker = byKeyboard ? marker : null;
      popup.setLatLng(marker.getLatLng())
        .setContent(buildPopup(actors[i], t, gaps.gapsOf[i], gaps.barriersOf[i], gaps))
        .openOn(map);
      if (byKeyboard) {
        var title = popup.getElement() && popup.getElement().querySelector(".dm-popup-title");
        if (title) { title.focus({ preventScroll: true }); }
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
    return openPopupFor;
  }

  // --- Gaps overlay --------------------------------------------------------------

  // Which actors the overlay marks, and the letters of each: gap labels become
  // the letters data.gapMarks gives them; reported barriers add data.barrierMark's.
  function gapOverlay(data) {
    var g = {
      shown: !!(data.gaps || data.barriers), gapsOf: {}, barriersOf: {}, codeOf: {},
      marks: data.gapMarks || [], barrierMark: data.barrierMark || ["", ""]
    };
    (data.gaps || []).forEach(function (r) { g.gapsOf[r[0]] = r[1] || []; });
    (data.barriers || []).forEach(function (r) { g.barriersOf[r[0]] = r[1] || []; });
    g.marks.forEach(function (m) { g.codeOf[m[1]] = m[0]; });
    g.codesFor = function (i) {
      if (!g.shown) { return ""; }
      var codes = (g.gapsOf[i] || []).map(function (label) { return g.codeOf[label] || ""; });
      if ((g.barriersOf[i] || []).length) { codes.push(g.barrierMark[0]); }
      return codes.join("").replace(/[^A-Z]/g, "");
    };
    return g;
  }

  // --- Markers: one cluster group per kind -----------------------------------------

  function iconMaker() {
    var cache = {};
    return function iconFor(kindKey, stage, confidential, codes) {
      var key = kindKey + "|" + stage + "|" + (confidential ? 1 : 0) + "|" + codes;
      if (!cache[key]) {
        var className = "dm-marker dm-kind-" + cls(kindKey);
        if (stage) { className += " dm-stage-" + stage; }
        if (confidential) { className += " dm-confidential"; }
        if (codes) { className += " dm-gap"; }
        cache[key] = L.divIcon({
          className: className, iconSize: [24, 24], iconAnchor: [12, 12], popupAnchor: [0, -12],
          html: codes ? '<span class="dm-gap-badge" aria-hidden="true">' + escapeHtml(codes) + "</span>" : ""
        });
      }
      return cache[key];
    };
  }

  function clusterText(n, kind) {
    return n + " " + (n === 1 ? kind.label : kindPlural(kind.label)).toLowerCase();
  }

  function clusterWidth(text) {
    return Math.round(34 + 7.2 * text.length);  // swatch, padding and bold 12px text
  }

  // withHint: the words for screen readers on a group on the map (not on the legend's sample).
  function clusterPill(kind, text, withHint) {
    var inner = el("span", "dm-cluster-inner");
    var swatch = el("span", "dm-swatch dm-kind-" + cls(kind.key));
    swatch.setAttribute("aria-hidden", "true");
    inner.appendChild(swatch);
    inner.appendChild(el("span", "dm-cluster-count", text));
    if (withHint) { inner.appendChild(hidden(". Press Enter to zoom in.")); }
    return inner;
  }

  function clusterGroup(map, kind, clustered, few, openPopupFor) {
    var group = L.markerClusterGroup({
      chunkedLoading: true,
      chunkDelay: 1,
      showCoverageOnHover: false,
      // options.cluster false (a record's own small map: a handful of markers, each at the end of a
      // line): grouped only when they lie on top of each other, so no line ends in empty space.
      // An area's few dozen actors: grouped only when close (a group's label is wide); the whole country: more.
      maxClusterRadius: clustered ? (few ? 28 : 45) : 1,
      disableClusteringAtZoom: 17,
      // A grey pill reading "12 services", with a small sample of the kind's shape:
      // nothing like a single marker (a filled shape, perhaps with a stage number).
      iconCreateFunction: function (cluster) {
        var text = clusterText(cluster.getChildCount(), kind);
        return L.divIcon({
          html: clusterPill(kind, text, true), className: "dm-cluster dm-kind-" + cls(kind.key),
          iconSize: L.point(clusterWidth(text), 26)
        });
      }
    });
    group.on("click", function (ev) {
      if (ev.layer && ev.layer.dmIndex !== undefined) { openPopupFor(ev.layer, false); }
    });
    group.on("keypress", function (ev) {
      if (ev.layer && ev.layer.dmIndex !== undefined && isEnter(ev)) { openPopupFor(ev.layer, true); }
    });
    group.addTo(map);
    return group;
  }

  // A marker per actor, in its kind's cluster group, or (marked by the gaps
  // overlay) in the gaps layer, outside the clusters so that its badge shows.
  // Returns the markers, the groups and what the legend needs to know.
  function addMarkers(map, actors, t, gaps, options, openPopupFor) {
    var iconFor = iconMaker();
    var clusters = t.kinds.map(function (kind) {
      return clusterGroup(map, kind, options.cluster !== false, actors.length < FEW_ACTORS, openPopupFor);
    });
    var m = {
      markers: new Array(actors.length), clusters: clusters, perKind: t.kinds.map(function () { return []; }),
      gapLayer: L.layerGroup(), gapCount: 0, presentStages: {}
    };
    actors.forEach(function (actor, i) {
      var kind = t.kinds[actor[A_KIND]];
      if (!kind) { return; }
      var stage = kind.key === "service" ? firstStage(actor[A_SUMMARY]) : "";
      if (stage) { m.presentStages[stage] = true; }
      var codes = gaps.codesFor(i);
      var label = actor[A_NAME] + " (" + kind.label + (actor[A_CONF] ? ", confidential location" : "") + ")";
      if (codes) {
        if (gaps.gapsOf[i] && gaps.gapsOf[i].length) { label += ". Gaps: " + gaps.gapsOf[i].join(", "); }
        if (gaps.barriersOf[i] && gaps.barriersOf[i].length) {
          label += ". Reported barriers: " + gaps.barriersOf[i].length;
        }
      }
      var marker = L.marker([actor[A_LAT], actor[A_LON]], {
        icon: iconFor(kind.key, stage, actor[A_CONF], codes),
        title: label,  // set as a DOM property by Leaflet: plain text
        keyboard: true,
        riseOnHover: true
      });
      marker.dmIndex = i;
      m.markers[i] = marker;
      if (codes) {
        marker.on("click", function () { openPopupFor(marker, false); });
        marker.on("keypress", function (ev) { if (isEnter(ev)) { openPopupFor(marker, true); } });
        marker.addTo(m.gapLayer);
        m.gapCount += 1;
      } else {
        m.perKind[actor[A_KIND]].push(marker);
      }
    });
    if (gaps.shown) { m.gapLayer.addTo(map); }
    mark("dm-markers-built");
    m.whenLoaded = fillClusters(clusters, m.perKind);
    mark("dm-clustered");
    return m;
  }

  // Adds each kind's markers to its group (in chunks); returns whenLoaded(fn),
  // which runs fn once every group has all its markers.
  function fillClusters(clusters, perKind) {
    var pending = 0;
    var callbacks = [];
    function oneLoaded() {
      pending -= 1;
      if (pending === 0) {
        mark("dm-loaded");
        callbacks.splice(0).forEach(function (fn) { fn(); });
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
    return function whenLoaded(fn) {
      if (pending === 0) { fn(); } else { callbacks.push(fn); }
    };
  }

  // --- Links: drawn for the selected actor, or all of them at the reader's request ----------

  // One layer per link group. Nothing is drawn until an actor is selected
  // (its own links, as SVG paths of class dm-link) or "Show all links" is
  // switched on: then up to SMALL_LINKS links are all drawn; above that, only
  // those in view from LINK_MIN_ZOOM, on a canvas, redrawn as the map moves.
  // options.allLinks (a record's small map: its own links) draws them all from
  // the start. Returns the layers, what the legend needs to know (kinds
  // present, any proposed link), select(i), setShowAll(on) and linksOf(i).
  // onChange(k) runs after each redraw; k.status is a sentence about what is drawn.
  function addLinks(map, actors, links, t, allLinks, onChange) {
    var svg = L.svg({ padding: 0.3 });
    var canvas = null;
    var k = {
      groups: {}, presentKinds: {}, anyProposed: false, small: links.length <= SMALL_LINKS,
      selected: -1, showAll: allLinks, fixed: allLinks, total: links.length, drawn: 0, status: ""
    };
    t.groupOrder.forEach(function (g) { k.groups[g] = L.layerGroup(); });
    var proposedIndex = -1;
    t.statuses.forEach(function (s, i) { if (s.key === "proposed") { proposedIndex = i; } });
    links.forEach(function (l) {
      k.presentKinds[l[L_KIND]] = true;
      if (l[L_STATUS] === proposedIndex) { k.anyProposed = true; }
    });

    var byActor = null;  // actor index -> its links, built on the first selection
    k.linksOf = function (i) {
      if (!byActor) {
        byActor = {};
        links.forEach(function (l) {
          (byActor[l[L_SRC]] = byActor[l[L_SRC]] || []).push(l);
          (byActor[l[L_TGT]] = byActor[l[L_TGT]] || []).push(l);
        });
      }
      return byActor[i] || [];
    };

    function lineFor(l, many) {
      var a = actors[l[L_SRC]], b = actors[l[L_TGT]];
      var kind = t.linkKinds[l[L_KIND]];
      if (!a || !b || !kind) { return null; }
      var proposed = l[L_STATUS] === proposedIndex;
      var selected = k.selected >= 0 && !k.showAll;
      if (many && !canvas) { canvas = L.canvas({ padding: 0.3 }); }
      var line = L.polyline([[a[A_LAT], a[A_LON]], [b[A_LAT], b[A_LON]]], {
        renderer: many ? canvas : svg,
        className: "dm-link",
        color: proposed ? t.proposed[0] : kind.colour,
        dashArray: proposed ? t.proposed[1] : (kind.dash || null),
        weight: selected ? 4 : (proposed ? 2 : 2.5),
        opacity: selected ? 0.95 : 0.85,
        interactive: !many,
        bubblingMouseEvents: false
      });
      if (!many) {
        line.bindTooltip(function () {
          var status = (t.statuses[l[L_STATUS]] || {}).label || "";
          return el("span", null, kind.label + (status ? " (" + status.toLowerCase() + ")" : "") +
            ": " + a[A_NAME] + (kind.bothWays ? " \u2194 " : " \u2192 ") + b[A_NAME]);
        }, { sticky: true });
      }
      return { group: kind.group, line: line };
    }

    function draw(list, many) {
      list.forEach(function (l) {
        var item = lineFor(l, many);
        if (item && k.groups[item.group]) { item.line.addTo(k.groups[item.group]); k.drawn += 1; }
      });
    }

    function count(n) { return n.toLocaleString("en-GB") + " link" + (n === 1 ? "" : "s"); }

    // Above SMALL_LINKS: the links touching the view, from LINK_MIN_ZOOM, at most MAX_DRAWN_LINKS.
    function drawInView() {
      if (map.getZoom() < LINK_MIN_ZOOM) {
        return "All links are on, but there are " + count(links.length) + ": zoom in to a town to see those in view.";
      }
      var b = map.getBounds().pad(0.1);
      var s = b.getSouth(), n = b.getNorth(), w = b.getWest(), e = b.getEast();
      function inView(a) { return a[A_LAT] >= s && a[A_LAT] <= n && a[A_LON] >= w && a[A_LON] <= e; }
      var list = [], truncated = false;
      for (var i = 0; i < links.length; i++) {
        var l = links[i];
        var kind = t.linkKinds[l[L_KIND]];
        var group = kind && k.groups[kind.group];
        if (!group || !map.hasLayer(group)) { continue; }
        var a = actors[l[L_SRC]], b2 = actors[l[L_TGT]];
        if (!a || !b2 || !(inView(a) || inView(b2))) { continue; }
        if (list.length >= MAX_DRAWN_LINKS) { truncated = true; break; }
        list.push(l);
      }
      draw(list, true);
      return truncated ? "Showing " + count(MAX_DRAWN_LINKS) + " of those in view: zoom in to see them all."
        : "Showing the " + count(list.length) + " in view.";
    }

    function redraw() {
      Object.keys(k.groups).forEach(function (g) { k.groups[g].clearLayers(); });
      k.drawn = 0;
      if (!links.length) {
        k.status = "";
      } else if (k.showAll && k.small) {
        draw(links, false);
        k.status = "Showing all " + count(links.length) + ".";
      } else if (k.showAll) {
        k.status = drawInView();
      } else if (k.selected >= 0) {
        var own = k.linksOf(k.selected);
        draw(own, false);
        k.status = own.length ? "Showing the " + count(own.length) + " of " + actors[k.selected][A_NAME] + "."
          : actors[k.selected][A_NAME] + " has no links on this map.";
      } else {
        k.status = "Select an actor to see its links (" + count(links.length) + " in all).";
      }
      onChange(k);
    }

    k.select = function (i) {
      if (k.selected === i) { return; }
      k.selected = i;
      if (!k.showAll) { redraw(); } else { onChange(k); }
    };
    k.setShowAll = function (on) {
      k.showAll = !!on;
      redraw();
    };
    k.redraw = redraw;

    Object.keys(k.groups).forEach(function (g) { k.groups[g].addTo(map); });
    if (!k.small) {
      map.on("moveend", function () { if (k.showAll) { redraw(); } });
      map.on("overlayadd", function (ev) {
        if (k.showAll && Object.keys(k.groups).some(function (g) { return k.groups[g] === ev.layer; })) {
          redraw();
        }
      });
    }
    redraw();
    mark("dm-links");
    return k;
  }

  // --- Selection: the selected actor and the other ends of its links stand out -------------

  // Classes on the markers (dm-selected, dm-neighbour) and on the map
  // (dm-selecting dims the rest). A marker inside a group gets its class when
  // the group opens. Returns show(k), to call after each redraw of the links.
  function highlighter(map, m) {
    var container = map.getContainer();
    var selected = -1, neighbours = {};
    function paint(marker) {
      var icon = marker.getElement && marker.getElement();
      if (!icon) { return; }
      var i = marker.dmIndex;
      icon.classList.toggle("dm-selected", i === selected);
      icon.classList.toggle("dm-neighbour", !!neighbours[i]);
      marker.setZIndexOffset(i === selected ? 2000 : (neighbours[i] ? 1000 : 0));
    }
    map.on("layeradd", function (ev) {
      if (ev.layer && ev.layer.dmIndex !== undefined && (selected >= 0)) { paint(ev.layer); }
    });
    return function show(k) {
      var before = [selected].concat(Object.keys(neighbours).map(Number));
      selected = k.showAll ? -1 : k.selected;
      neighbours = {};
      if (selected >= 0) {
        k.linksOf(selected).forEach(function (l) {
          neighbours[l[L_SRC] === selected ? l[L_TGT] : l[L_SRC]] = true;
        });
      }
      container.classList.toggle("dm-selecting", selected >= 0);
      before.concat([selected], Object.keys(neighbours).map(Number)).forEach(function (i) {
        if (i >= 0 && m.markers[i]) { paint(m.markers[i]); }
      });
    };
  }

  // --- The links' switch and status, above the map ------------------------------------------

  // A "Show all links" switch (a button with role=switch and aria-checked),
  // a "Clear selection" button while an actor is selected and a status line
  // (role=status) that says what is drawn. Placed before the map so that it
  // comes before the markers in keyboard order. Returns update(k).
  function linkTools(container, onSwitch, onClear) {
    var bar = el("div", "dm-map-tools");
    var toggle = el("button", "dm-switch");
    toggle.type = "button";
    toggle.setAttribute("role", "switch");
    toggle.setAttribute("aria-checked", "false");
    var track = el("span", "dm-switch-track");
    track.setAttribute("aria-hidden", "true");
    toggle.appendChild(track);
    toggle.appendChild(el("span", "dm-switch-label", "Show all links"));
    var clear = el("button", "dm-clear-selection", "Clear selection");
    clear.type = "button";
    clear.hidden = true;
    var status = el("p", "dm-map-status");
    status.setAttribute("role", "status");
    bar.appendChild(toggle);
    bar.appendChild(clear);
    bar.appendChild(status);
    container.parentNode.insertBefore(bar, container);
    toggle.addEventListener("click", function () {
      onSwitch(toggle.getAttribute("aria-checked") !== "true");
    });
    clear.addEventListener("click", function () { onClear(); toggle.focus(); });
    return function update(k) {
      toggle.setAttribute("aria-checked", k.showAll ? "true" : "false");
      clear.hidden = k.selected < 0;
      if (status.textContent !== k.status) { status.textContent = k.status; }
    };
  }

  // --- Layer control: one overlay per actor kind and per link group -------------------

  function addLayerControl(map, t, m, k, gaps, collapsed) {
    var overlays = {};
    t.kinds.forEach(function (kind, i) {
      if (!m.perKind[i].length) { return; }
      overlays['<span class="dm-swatch dm-kind-' + cls(kind.key) + '" aria-hidden="true"></span> ' +
        escapeHtml(kindPlural(kind.label))] = m.clusters[i];
    });
    var presentGroups = {};
    Object.keys(k.presentKinds).forEach(function (i) {
      var kind = t.linkKinds[i];
      if (kind) { presentGroups[kind.group] = true; }
    });
    t.groupOrder.forEach(function (g) {
      if (!presentGroups[g]) { return; }
      overlays['<span class="dm-line-swatch dm-group-' + cls(g) + '" aria-hidden="true"></span> ' +
        escapeHtml(t.groups[g] + " links")] = k.groups[g];
    });
    if (gaps.shown) {
      overlays[escapeHtml("Gaps and barriers (" + m.gapCount + " marked)")] = m.gapLayer;
    }
    L.control.layers(null, overlays, { collapsed: collapsed, position: "topright" }).addTo(map);
  }

  // --- Legend: shape + colour + text ------------------------------------------------------

  function sample(className, text) {
    var node = el("span", className, text);
    node.setAttribute("aria-hidden", "true");
    return node;
  }

  function markerSample(classes) {
    return sample("dm-marker dm-legend-marker " + classes);
  }

  // The legend as data: sections of a heading and rows of [sample, text]
  // (a row without a sample is a line of text), each section shown or not.
  function legendSections(t, data, m, k, gaps) {
    var service = t.kinds[0] || { key: "service", label: "Service" };
    var cluster = sample("dm-cluster dm-legend-cluster dm-kind-" + cls(service.key));
    cluster.appendChild(clusterPill(service, clusterText(12, service), false));
    var actorRows = t.kinds.map(function (kind) {
      return [markerSample("dm-kind-" + cls(kind.key)), kind.label + " (" + kind.shape + ")"];
    }).concat([
      [markerSample("dm-kind-service dm-confidential"), "Dashed outline: confidential service, shown at the area centre"],
      [cluster, "A group of nearby actors (select to zoom in)"]
    ]);

    var stageRows = t.stageOrder.filter(function (n) { return m.presentStages[n]; }).map(function (n) {
      return [markerSample("dm-kind-service dm-stage-" + n), t.stages[n]];
    });

    var seen = {};
    Object.keys(gaps.gapsOf).forEach(function (i) {
      gaps.gapsOf[i].forEach(function (label) { seen[label] = true; });
    });
    var gapRows = gaps.marks.filter(function (gm) { return seen[gm[1]]; }).map(function (gm) {
      return [sample("dm-gap-swatch", gm[0]), gm[1]];
    });
    gapRows.push([sample("dm-gap-swatch", gaps.barrierMark[0]), gaps.barrierMark[1] + " (listed in the popup)"]);
    if (!m.gapCount) { gapRows.push([null, "Nothing to mark with these filters."]); }

    var linkRows = t.linkKinds.filter(function (kind, i) { return k.presentKinds[i]; }).map(function (kind) {
      return [C.svgLine(kind.colour, kind.dash), kind.label + " (" + (t.groups[kind.group] || kind.group) + ")"];
    });
    if (k.anyProposed) {
      linkRows.push([C.svgLine(t.proposed[0], t.proposed[1]), "Proposed, not yet confirmed (any kind)"]);
    }
    if (!data.linksIncluded) { linkRows.push([null, "Links are not shown on this map."]); }
    else if (!k.fixed && (data.links || []).length) {
      linkRows.push([null, "Select an actor to draw its links; \u201cShow all links\u201d (above the map) draws every link."]);
    }

    return [
      { heading: "Actors", rows: actorRows, shown: true },
      { heading: "Services: colour and number of the first pathway stage", rows: stageRows, shown: stageRows.length > 0 },
      { heading: "Gaps (letters on the marker)", rows: gapRows, shown: gaps.shown },
      { heading: "Links", rows: linkRows, shown: !!((data.links || []).length || !data.linksIncluded) }
    ];
  }

  // Folded on a small map; on a larger one open, but kept to a corner (CSS
  // dm-legend) and at most 45% of the map's height, scrolling inside.
  function addLegend(map, sections, open) {
    var Legend = L.Control.extend({
      options: { position: "bottomleft" },
      onAdd: function () {
        var box = el("div", "dm-legend leaflet-bar");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var details = el("details", "dm-legend-details");
        if (open) { details.open = true; }
        details.appendChild(el("summary", null, "Legend"));
        sections.forEach(function (section) {
          if (!section.shown) { return; }
          details.appendChild(el("p", "dm-legend-heading", section.heading));
          var list = el("ul", "dm-legend-list");
          section.rows.forEach(function (row) {
            var li = el("li", null, row[0] ? null : row[1]);
            if (row[0]) {
              li.appendChild(row[0]);
              li.appendChild(document.createTextNode(row[1]));
            }
            list.appendChild(li);
          });
          details.appendChild(list);
        });
        box.appendChild(details);
        box.style.maxHeight = Math.max(140, Math.round(map.getContainer().clientHeight * 0.45)) + "px";  // CSSOM
        return box;
      }
    });
    new Legend().addTo(map);
  }

  // --- The map as a whole --------------------------------------------------------------

  function prepareContainer(map, options) {
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
  }

  // The whole country (options.fitBounds), or an area on a narrow screen, where
  // the area's own zoom would leave half its actors out of view: fit them all.
  function setInitialView(map, data, options, actors, m, openPopupFor) {
    if ((options.fitBounds || map.getContainer().clientWidth < NARROW_PX) && data.bounds) {
      map.fitBounds(data.bounds, { padding: [24, 24], maxZoom: 14 });
    }
    if (options.focus === undefined || options.focus === null) { return; }
    var idx = -1;
    for (var i = 0; i < actors.length; i++) {
      if (actors[i][A_ID] === options.focus) { idx = i; break; }
    }
    if (idx >= 0 && m.markers[idx]) {
      m.whenLoaded(function () {
        var group = m.clusters[actors[idx][A_KIND]];
        group.zoomToShowLayer(m.markers[idx], function () { openPopupFor(m.markers[idx], false); });
      });
    }
  }

  function init(map, dataId, options) {
    options = options || {};
    var container = map.getContainer();
    prepareContainer(map, options);
    var node = document.getElementById(dataId);
    if (!node) { return null; }
    mark("dm-init");
    var data = JSON.parse(node.textContent);
    mark("dm-parsed");
    var t = C.tables(data);
    var actors = data.actors || [];
    var gaps = gapOverlay(data);
    var k = null, updateTools = null;
    var openPopupFor = popupOpener(map, actors, t, gaps, function (i) { if (k) { k.select(i); } });
    var m = addMarkers(map, actors, t, gaps, options, openPopupFor);
    var highlight = highlighter(map, m);
    k = addLinks(map, actors, data.links || [], t, !!options.allLinks, function (state) {
      highlight(state);
      if (updateTools) { updateTools(state); }
    });
    if (!k.fixed && k.total) {
      updateTools = linkTools(container, k.setShowAll, function () { map.closePopup(); k.select(-1); });
      updateTools(k);
      map.on("click", function () { k.select(-1); });  // the background, not a marker or a line
    }
    var narrow = container.clientWidth < NARROW_PX;
    addLayerControl(map, t, m, k, gaps, narrow);
    addLegend(map, legendSections(t, data, m, k, gaps), !narrow && container.clientHeight >= 480);
    mark("dm-controls");
    setInitialView(map, data, options, actors, m, openPopupFor);

    var api = {
      map: map, data: data, markers: m.markers, clusters: m.clusters, linkGroups: k.groups, gapLayer: m.gapLayer,
      redrawLinks: k.redraw, whenLoaded: m.whenLoaded, links: k
    };
    instances[dataId] = api;
    return api;
  }

  var instances = {};
  window.DirectoryMap = {
    init: init,
    instances: instances,  // by data element id, for tests and page scripts
    buildPopup: function (actor, data, gaps, barriers) {
      return buildPopup(actor, C.tables(data), gaps, barriers, gapOverlay(data));
    }
  };
})(window, document);
