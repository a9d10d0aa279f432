// The public map of open cases: grid and township outlines (from /geo/grids.json) on a plain
// background, a tile layer only when the server names a tile server, and a clustered pin per open
// listed case from cases.geojson. Pins carry the status character, so the status never rests on
// colour alone. Popups show only what the GeoJSON holds: topic, status, day, township.
(function () {
  "use strict";
  var element = document.getElementById("public-map");
  var configNode = document.getElementById("public-map-config");
  if (!element || !configNode || typeof L === "undefined") { return; }
  var config = JSON.parse(configNode.textContent);
  var texts = config.texts;
  var note = document.getElementById("map-note");
  element.hidden = false;

  var map = L.map(element, { zoomSnap: 0.5, minZoom: 3, maxZoom: 19 });
  map.createPane("townshipLabels").style.zIndex = 450;
  var tileUrl = element.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: element.getAttribute("data-tile-attribution") || "", maxZoom: 19 }).addTo(map);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return String(values[name]); });
  }

  function drawOutlines(collection) {
    var grids = [], townships = [];
    collection.features.forEach(function (feature) {
      (feature.properties.kind === "township" ? townships : grids).push(feature);
    });
    var gridLayer = L.geoJSON({ type: "FeatureCollection", features: grids }, {
      style: { color: "#8a96a3", weight: 1, fillColor: "#ffffff", fillOpacity: 0.55 },
      interactive: false
    }).addTo(map);
    L.geoJSON({ type: "FeatureCollection", features: townships }, {
      style: { color: "#2d3a48", weight: 2.5, fill: false }, interactive: false
    }).addTo(map);
    townships.forEach(function (feature) {
      var p = feature.properties;
      L.tooltip({ permanent: true, direction: "center", className: "township-label", interactive: false,
                  pane: "townshipLabels" })
        .setLatLng([p.label_lat, p.label_lng]).setContent(text("span", p.name)).addTo(map);
    });
    return grids.length ? gridLayer.getBounds() : null;
  }

  function popupFor(p) {
    var box = document.createElement("div");
    box.className = "case-popup";
    var facts = document.createElement("dl");
    [[texts.category, p.category], [texts.status, p.status_label], [texts.submitted, p.submitted],
     [texts.township, p.township], [texts.location, texts.precision[p.precision] || p.precision]]
      .forEach(function (pair) {
        facts.appendChild(text("dt", pair[0]));
        facts.appendChild(text("dd", pair[1]));
      });
    box.appendChild(facts);
    return box;
  }

  function markerFor(feature) {
    var p = feature.properties;
    var c = feature.geometry.coordinates;
    var html = text("span", config.symbols[p.status] || "?", "pin pin-" + p.status);
    var marker = L.marker([c[1], c[0]], {
      icon: L.divIcon({ className: "pin-wrap", html: html, iconSize: [28, 28], iconAnchor: [14, 14],
                        popupAnchor: [0, -12] }),
      title: p.category + " · " + p.status_label,
      alt: p.category,
      riseOnHover: true
    });
    marker.bindPopup(function () { return popupFor(p); });
    return marker;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }

  Promise.all([getJSON(config.gridsUrl), getJSON(config.casesUrl)]).then(function (results) {
    var bounds = drawOutlines(results[0]);
    var data = results[1];
    var markers = data.features.map(markerFor);
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
    if (!bounds && markers.length) { bounds = L.featureGroup(markers).getBounds(); }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([35, 105], 4); }
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (note) {
      var values = { shown: markers.length, total: data.total };
      note.textContent = fill(data.truncated ? texts.truncated : texts.shown, values);
    }
    element.setAttribute("data-loaded", String(markers.length));
  }).catch(function (error) {
    if (window.console) { console.error(error); }
    if (!map._loaded) { map.setView([35, 105], 4); }
    if (note) { note.textContent = texts.loadFailed; note.classList.add("field-error"); }
  });
})();
