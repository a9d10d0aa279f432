// The monitoring points on a map over the grid and township outlines: each point a dot coloured
// by its level now (its popup says the level in words), its outline, its evacuation route as a
// green line and its shelter as a green square. On a point's page (data-single) the map shows
// that point only. Names are written as text, never as HTML. Without this file the register
// (and the point's page) say the same in words.
(function () {
  "use strict";
  var element = document.getElementById("points-map");
  if (!element || typeof L === "undefined" || !window.AnjuMap) { return; }
  var note = document.getElementById("points-map-note");
  var single = element.getAttribute("data-single") === "1";
  var t = function (name) { return element.getAttribute("data-t-" + name) || ""; };
  var COLOURS = { "": "#8a96a3", blue: "#1f6fd1", yellow: "#ffd21f", orange: "#f07c00", red: "#d11f1f" };
  var RANK = { "": 0, blue: 1, yellow: 2, orange: 3, red: 4 };
  // Routes, outlines and shelters show from this zoom on (the points always): over the whole
  // county they would hide the points.
  var DETAIL_ZOOM = 13;
  element.hidden = false;
  var map = AnjuMap.create(element);
  // The points above everything else, shelters included.
  map.createPane("hazardPoints").style.zIndex = 640;
  var text = AnjuMap.text;

  function popupFor(p) {
    var box = document.createElement("div");
    box.className = "point-popup";
    box.appendChild(text("strong", p.name));
    box.appendChild(text("div", p.code + " · " + p.type, "muted small"));
    box.appendChild(text("div", (p.level_name || t("none")), "level-badge level-" + (p.level || "none")));
    box.appendChild(text("div", p.grade + " · " + p.households + " " + t("households") + " · " + p.people + " " +
                         t("capacity"), "small"));
    if (p.url && t("open")) {
      var link = text("a", t("open"));
      link.href = p.url;
      box.appendChild(link);
    }
    return box;
  }

  function draw(collection) {
    var layers = [], dots = [];
    collection.features.forEach(function (feature) {
      var p = feature.properties, g = feature.geometry;
      if (p.role === "outline") {
        layers.push(L.geoJSON(feature, { style: { color: COLOURS[p.level || ""], weight: 1.5, dashArray: "4 3",
                                                  fillOpacity: 0.15, fillColor: COLOURS[p.level || ""] },
                                         interactive: false }));
      } else if (p.role === "route") {
        var route = L.geoJSON(feature, { style: { color: "#1a7f37", weight: 4, opacity: 0.85 } });
        route.bindTooltip(text("span", t("route") + " · " + p.name));
        layers.push(route);
      } else if (p.role === "shelter") {
        var shelter = L.marker([g.coordinates[1], g.coordinates[0]], {
          icon: L.divIcon({ className: "shelter-icon", iconSize: [12, 12] }), keyboard: false });
        shelter.bindTooltip(text("span", t("shelter") + " · " + p.name + (p.capacity ? " · " + p.capacity + " " +
                                                                          t("capacity") : "")));
        layers.push(shelter);
      } else {
        var dot = L.circleMarker([g.coordinates[1], g.coordinates[0]], {
          radius: p.level ? 9 : 7, color: "#ffffff", weight: 2, fillColor: COLOURS[p.level || ""], fillOpacity: 1,
          pane: "hazardPoints" });
        dot.bindTooltip(text("span", p.name + " · " + (p.level_name || t("none"))));
        dot.bindPopup(function () { return popupFor(p); });
        dot.rank = RANK[p.level || ""];
        dots.push(dot);
      }
    });
    // The higher a point's level, the later it is drawn: on top of the others.
    dots.sort(function (a, b) { return a.rank - b.rank; });
    return { layers: layers, dots: dots };
  }

  var outlines = AnjuMap.getJSON(element.getAttribute("data-grids-url")).catch(function () { return null; });
  Promise.all([outlines, AnjuMap.getJSON(element.getAttribute("data-url"))]).then(function (loaded) {
    var bounds = loaded[0] ? AnjuMap.drawOutlines(map, loaded[0], { gridNames: !single }) : null;
    var drawn = draw(loaded[1]);
    var all = drawn.layers.concat(drawn.dots);
    if (all.length) {
      // The points and what they draw; on the register's map, with the grids around them.
      var shown = L.featureGroup(all).getBounds();
      bounds = single || !bounds ? shown : L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast()).extend(shown);
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: single ? 16 : 14, animate: false });
    } else {
      AnjuMap.fit(map, null, []);
    }
    var details = L.layerGroup(drawn.layers);
    function showDetails() {
      if (single || map.getZoom() >= DETAIL_ZOOM) { details.addTo(map); } else { details.remove(); }
    }
    showDetails();
    map.on("zoomend", showDetails);
    drawn.dots.forEach(function (dot) { dot.addTo(map); });
  }).catch(function (error) {
    AnjuMap.failed(map, note, t("failed"), error);
  });
})();
