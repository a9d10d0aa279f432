// The map of open cases: grid and township outlines on a plain background (a tile layer only when the
// server names a tile server), case pins clustered, each pin with its status character and "!" when
// overdue. Without this file the page still offers the same cases as a list.
(function () {
  "use strict";
  var element = document.getElementById("case-map");
  var configNode = document.getElementById("map-config");
  if (!element || !configNode || typeof L === "undefined") { return; }
  var config = JSON.parse(configNode.textContent);
  var texts = config.texts;
  var note = document.getElementById("map-note");
  // Hidden in the page so that without JavaScript no empty box shows; Leaflet needs it sized.
  element.hidden = false;

  // Without a tile layer nothing sets the zoom range, and the clusters need one.
  var map = L.map(element, { zoomSnap: 0.5, minZoom: 3, maxZoom: 19 });
  // Township names sit above the outlines but below the pins, so they never hide a case.
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

  function drawOutlines(collection) {
    var grids = [], townships = [];
    collection.features.forEach(function (feature) {
      (feature.properties.kind === "township" ? townships : grids).push(feature);
    });
    var gridLayer = L.geoJSON({ type: "FeatureCollection", features: grids }, {
      style: { color: "#8a96a3", weight: 1, fillColor: "#ffffff", fillOpacity: 0.55 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(text("span", feature.properties.name), { sticky: true, className: "grid-label" });
      }
    }).addTo(map);
    var townshipLayer = L.geoJSON({ type: "FeatureCollection", features: townships }, {
      style: { color: "#2d3a48", weight: 2.5, fill: false, dashArray: null },
      interactive: false
    }).addTo(map);
    townships.forEach(function (feature) {
      var p = feature.properties;
      L.tooltip({ permanent: true, direction: "center", className: "township-label", interactive: false,
                  pane: "townshipLabels" })
        .setLatLng([p.label_lat, p.label_lng])
        .setContent(text("span", p.name))
        .addTo(map);
    });
    var focus = null;
    if (config.township) {
      townshipLayer.eachLayer(function (layer) {
        if (layer.feature.properties.code === config.township) { focus = layer.getBounds(); }
      });
    }
    return focus || (grids.length ? gridLayer.getBounds() : null);
  }

  function popupFor(point) {
    var box = document.createElement("div");
    box.className = "case-popup";
    box.appendChild(text("strong", point.code));
    var facts = document.createElement("dl");
    facts.appendChild(text("dt", texts.category));
    facts.appendChild(text("dd", point.category));
    facts.appendChild(text("dt", texts.status));
    facts.appendChild(text("dd", point.status_label));
    box.appendChild(facts);
    box.appendChild(text("p", point.overdue ? "⚠ " + texts.overdue : texts.notOverdue,
                         point.overdue ? "due-overdue-words" : "muted"));
    var link = text("a", texts.openCase);
    link.href = point.url;
    link.className = "button button-small button-primary";
    box.appendChild(link);
    return box;
  }

  function markerFor(point) {
    var symbol = config.symbols[point.status] || "?";
    var html = document.createElement("span");
    html.className = "pin pin-" + point.status + (point.overdue ? " pin-overdue" : "");
    html.textContent = symbol;
    if (point.overdue) { html.appendChild(text("b", "!", "pin-flag")); }
    var marker = L.marker([point.lat, point.lng], {
      icon: L.divIcon({ className: "pin-wrap", html: html, iconSize: [28, 28], iconAnchor: [14, 14],
                        popupAnchor: [0, -12] }),
      title: point.code + " · " + point.status_label + (point.overdue ? " · " + texts.overdue : ""),
      alt: point.code,
      overdue: point.overdue,
      riseOnHover: true
    });
    marker.bindPopup(function () { return popupFor(point); });
    return marker;
  }

  function clusterIcon(cluster) {
    var markers = cluster.getAllChildMarkers();
    var late = 0;
    markers.forEach(function (m) { if (m.options.overdue) { late += 1; } });
    var count = markers.length;
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var inner = document.createElement("div");
    inner.appendChild(text("span", String(count)));
    if (late) {
      inner.appendChild(text("b", "!" + late, "cluster-flag"));
      inner.title = late + " " + texts.overdueInCluster;
    }
    return L.divIcon({
      html: inner, className: "marker-cluster marker-cluster-" + size + (late ? " cluster-overdue" : ""),
      iconSize: L.point(40, 40)
    });
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " " + r.status); }
      return r.json();
    });
  }

  Promise.all([getJSON(config.gridsUrl), getJSON(config.casesUrl)]).then(function (results) {
    var bounds = drawOutlines(results[0]);
    var data = results[1];
    var cluster = L.markerClusterGroup({ iconCreateFunction: clusterIcon, chunkedLoading: true,
                                         showCoverageOnHover: false, maxClusterRadius: 50 });
    var markers = data.points.map(markerFor);
    if (!bounds && markers.length) { bounds = L.featureGroup(markers).getBounds(); }
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); } else { map.setView([35, 105], 4); }
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (note) { note.textContent = data.note; }
    element.setAttribute("data-loaded", String(data.shown));
  }).catch(function (error) {
    if (window.console) { console.error(error); }
    if (!map._loaded) { map.setView([35, 105], 4); }
    if (note) { note.textContent = texts.loadFailed; note.classList.add("field-error"); }
  });
})();
