// What the staff map and the public map share: a Leaflet map on a plain background (a tile layer
// only when the server names a tile server), grid and township outlines from /geo/grids.json, and
// small helpers. Each map's own script adds its pins.
window.AnjuMap = (function () {
  "use strict";

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function create(element) {
    // Without a tile layer nothing sets the zoom range, and the clusters need one.
    var map = L.map(element, { zoomSnap: 0.5, minZoom: 3, maxZoom: 19 });
    // Township names sit above the outlines but below the pins, so they never hide a case.
    map.createPane("townshipLabels").style.zIndex = 450;
    var tileUrl = element.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, { attribution: element.getAttribute("data-tile-attribution") || "", maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  // Draws the outlines; returns the bounds to show: the township ``focusTownship`` names, else all
  // grids, else null. ``gridNames`` adds each grid's name as a tooltip.
  function drawOutlines(map, collection, options) {
    var grids = [], townships = [];
    collection.features.forEach(function (feature) {
      (feature.properties.kind === "township" ? townships : grids).push(feature);
    });
    var gridLayer = L.geoJSON({ type: "FeatureCollection", features: grids }, {
      style: { color: "#8a96a3", weight: 1, fillColor: "#ffffff", fillOpacity: 0.55 },
      interactive: Boolean(options.gridNames),
      onEachFeature: options.gridNames ? function (feature, layer) {
        layer.bindTooltip(text("span", feature.properties.name), { sticky: true, className: "grid-label" });
      } : undefined
    }).addTo(map);
    var townshipLayer = L.geoJSON({ type: "FeatureCollection", features: townships }, {
      style: { color: "#2d3a48", weight: 2.5, fill: false }, interactive: false
    }).addTo(map);
    townships.forEach(function (feature) {
      var p = feature.properties;
      L.tooltip({ permanent: true, direction: "center", className: "township-label", interactive: false,
                  pane: "townshipLabels" })
        .setLatLng([p.label_lat, p.label_lng]).setContent(text("span", p.name)).addTo(map);
    });
    var focus = null;
    if (options.focusTownship) {
      townshipLayer.eachLayer(function (layer) {
        if (layer.feature.properties.code === options.focusTownship) { focus = layer.getBounds(); }
      });
    }
    return focus || (grids.length ? gridLayer.getBounds() : null);
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }

  // Fits the map to ``bounds``, or to the pins, or to China when there is nothing to show.
  function fit(map, bounds, markers) {
    if (!bounds && markers.length) { bounds = L.featureGroup(markers).getBounds(); }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([35, 105], 4); }
  }

  function failed(map, note, message, error) {
    if (window.console) { console.error(error); }
    if (!map._loaded) { map.setView([35, 105], 4); }
    if (note) { note.textContent = message; note.classList.add("field-error"); }
  }

  return { text: text, create: create, drawOutlines: drawOutlines, getJSON: getJSON, fit: fit, failed: failed };
})();
