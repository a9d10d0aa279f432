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

  var map = AnjuMap.create(element);
  var text = AnjuMap.text;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return String(values[name]); });
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

  Promise.all([AnjuMap.getJSON(config.gridsUrl), AnjuMap.getJSON(config.casesUrl)]).then(function (results) {
    var bounds = AnjuMap.drawOutlines(map, results[0], {});
    var data = results[1];
    var markers = data.features.map(markerFor);
    var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
    AnjuMap.fit(map, bounds, markers);
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (note) {
      var values = { shown: markers.length, total: data.total };
      note.textContent = fill(data.truncated ? texts.truncated : texts.shown, values);
    }
    element.setAttribute("data-loaded", String(markers.length));
  }).catch(function (error) { AnjuMap.failed(map, note, texts.loadFailed, error); });
})();
