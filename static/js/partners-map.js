/*
 * Partner-site search map: the ranked results of this page as numbered markers.
 * Data comes from <script type="application/json" id="partners-map-data">:
 * [[rank, name, lat, lon, approximate, url], ...]. Popups are built with DOM
 * APIs and textContent, never innerHTML, so names cannot inject markup.
 * Progressive enhancement: without JavaScript the ranked list is the whole page.
 */
(function (window, document) {
  "use strict";

  function popup(row) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = row[0] + ". " + row[1];
    box.appendChild(title);
    if (row[4]) {
      var note = document.createElement("p");
      note.textContent = "Location approximate (confidential or not given).";
      box.appendChild(note);
    }
    var para = document.createElement("p");
    var link = document.createElement("a");
    link.href = row[5];
    link.textContent = "Open the record";
    para.appendChild(link);
    box.appendChild(para);
    return box;
  }

  function icon(L, row) {
    var label = document.createElement("span");
    label.textContent = String(row[0]);
    var s = label.style;
    s.display = "block"; s.width = "26px"; s.height = "26px"; s.lineHeight = "26px";
    s.borderRadius = "50%"; s.textAlign = "center"; s.fontWeight = "bold"; s.fontSize = "13px";
    s.background = row[4] ? "#ffffff" : "#1d70b8"; s.color = row[4] ? "#0b0c0c" : "#ffffff";
    s.border = row[4] ? "2px dashed #0b0c0c" : "2px solid #ffffff";
    s.boxShadow = "0 0 0 1px #0b0c0c";
    return L.divIcon({ html: label, className: "partners-marker", iconSize: [30, 30], iconAnchor: [15, 15] });
  }

  function init() {
    var L = window.L;
    var box = document.getElementById("partners-map");
    var data = document.getElementById("partners-map-data");
    if (!L || !box || !data) { return; }
    var rows;
    try { rows = JSON.parse(data.textContent); } catch (e) { return; }
    if (!rows.length) { return; }
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

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})(window, document);
