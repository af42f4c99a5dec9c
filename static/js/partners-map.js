/*
 * Partner-site search map: the ranked results of this page as numbered markers.
 * Data comes from <script type="application/json" id="partners-map-data">:
 * [[rank, name, lat, lon, approximate, url], ...]. Popups are built with DOM
 * APIs and textContent, never innerHTML, so names cannot inject markup.
 * Needs static/js/dm-common.js (loaded first); the look is in static/css/map.css
 * (.partners-map, .partners-marker-label).
 * Progressive enhancement: without JavaScript the ranked list is the whole page.
 */
(function (window, document) {
  "use strict";

  var C = window.DirectoryCommon;
  var el = C.el;

  function popup(row) {
    var box = el("div");
    box.appendChild(el("strong", null, row[0] + ". " + row[1]));
    if (row[4]) {
      box.appendChild(el("p", null, "Location approximate (confidential or not given)."));
    }
    var para = el("p");
    var link = el("a", null, "Open the record");
    link.href = row[5];
    para.appendChild(link);
    box.appendChild(para);
    return box;
  }

  // A numbered disc: filled for a known point, hollow and dashed for an approximate one.
  function icon(L, row) {
    var label = el("span", "partners-marker-label" + (row[4] ? " partners-marker-approximate" : ""), String(row[0]));
    return L.divIcon({ html: label, className: "partners-marker", iconSize: [30, 30], iconAnchor: [15, 15] });
  }

  function init() {
    var L = window.L;
    var box = document.getElementById("partners-map");
    var rows = C.readJson("partners-map-data");
    if (!L || !box || !rows || !rows.length) { return; }
    box.hidden = false;
    var map = L.map(box, { keyboard: true, scrollWheelZoom: false });
    var tiles = box.getAttribute("data-tiles-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: box.getAttribute("data-tiles-attribution") || "", maxZoom: 19 }).addTo(map);
    }
    var bounds = [];
    rows.forEach(function (row) {
      var point = [row[2], row[3]];
      bounds.push(point);
      L.marker(point, { icon: icon(L, row), title: row[0] + ". " + row[1], keyboard: true })
        .bindPopup(popup(row)).addTo(map);
    });
    if (bounds.length === 1) { map.setView(bounds[0], 14); }
    else { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 }); }
  }

  C.onReady(init);
})(window, document);
