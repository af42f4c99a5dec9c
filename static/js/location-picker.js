/*
 * Location picker: a small Leaflet map beside the latitude and longitude inputs.
 * Clicking the map fills the inputs; typing in them moves the marker.
 * Progressive enhancement: without JavaScript (or without Leaflet) the map stays
 * hidden and the inputs work as they are. Tiles come from the page's data-
 * attributes (the TILES_URL setting); with no tiles URL the map has no tiles but
 * can still be clicked. No inline handlers or styles: works under the site's CSP.
 */
(function (window, document) {
  "use strict";

  function number(input) {
    var value = parseFloat(String(input.value).trim());
    return isNaN(value) ? null : value;
  }

  function init(box) {
    var L = window.L;
    var latInput = document.getElementById(box.getAttribute("data-lat-input"));
    var lonInput = document.getElementById(box.getAttribute("data-lon-input"));
    if (!L || !latInput || !lonInput) { return; }

    box.hidden = false;  // its size is in site.css (.location-map)

    var lat = number(latInput), lon = number(lonInput);
    var hasPoint = lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
    var centre = hasPoint ? [lat, lon] : [parseFloat(box.getAttribute("data-lat")) || 54,
                                          parseFloat(box.getAttribute("data-lon")) || -2.5];
    var zoom = hasPoint ? 15 : (parseInt(box.getAttribute("data-zoom"), 10) || 6);

    var map = L.map(box, { keyboard: true }).setView(centre, zoom);
    var tiles = box.getAttribute("data-tiles-url");
    if (tiles) {
      L.tileLayer(tiles, { attribution: box.getAttribute("data-tiles-attribution") || "", maxZoom: 19 })
        .addTo(map);
    }
    var marker = null;

    function place(point) {
      if (marker) { marker.setLatLng(point); }
      else { marker = L.circleMarker(point, { radius: 9, weight: 3 }).addTo(map); }
    }

    if (hasPoint) { place(centre); }

    map.on("click", function (event) {
      var point = event.latlng.wrap();
      latInput.value = point.lat.toFixed(5);
      lonInput.value = point.lng.toFixed(5);
      place(point);
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
    });

    function typed() {
      var a = number(latInput), b = number(lonInput);
      if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        place([a, b]);
        map.panTo([a, b]);
      }
    }
    latInput.addEventListener("change", typed);
    lonInput.addEventListener("change", typed);
  }

  function start() {
    var boxes = document.querySelectorAll(".location-map[data-lat-input]");
    for (var i = 0; i < boxes.length; i += 1) { init(boxes[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}(window, document));
