// The sites of the list on a small map over the grid and township outlines: one dot a site, its
// popup with the name, kind and address written as text (never as HTML) and a link to the site.
// Without this file the list below shows the same sites.
(function () {
  "use strict";
  var element = document.getElementById("sites-map");
  if (!element || typeof L === "undefined" || !window.AnjuMap) { return; }
  var note = document.getElementById("sites-map-note");
  element.hidden = false;
  var map = AnjuMap.create(element);
  var text = AnjuMap.text;

  function popupFor(feature) {
    var p = feature.properties;
    var box = document.createElement("div");
    box.className = "site-popup";
    box.appendChild(text("strong", p.name));
    box.appendChild(text("div", p.kind, "muted small"));
    box.appendChild(text("div", p.address, "small"));
    var link = text("a", element.getAttribute("data-t-open"));
    link.href = p.url;
    box.appendChild(link);
    return box;
  }

  function pins(collection) {
    return collection.features.map(function (feature) {
      var c = feature.geometry.coordinates;
      // Above the township names (their pane is over the outlines), as the case map's pins are.
      var marker = L.circleMarker([c[1], c[0]], { radius: 7, color: "#0b5cad", weight: 2, fillOpacity: 0.6,
                                                  pane: "markerPane" });
      marker.bindTooltip(text("span", feature.properties.name));
      marker.bindPopup(function () { return popupFor(feature); });
      return marker;
    });
  }

  // The outlines are only a background: the sites show without them.
  var outlines = AnjuMap.getJSON(element.getAttribute("data-grids-url")).catch(function () { return null; });
  Promise.all([outlines, AnjuMap.getJSON(element.getAttribute("data-url"))]).then(function (loaded) {
    var bounds = loaded[0] ? AnjuMap.drawOutlines(map, loaded[0], { gridNames: true }) : null;
    var markers = pins(loaded[1]);
    if (markers.length) {
      bounds = L.latLngBounds(markers.map(function (marker) { return marker.getLatLng(); }));
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
    } else {
      AnjuMap.fit(map, null, []);
    }
    // Circle markers are drawn once the map has its view.
    markers.forEach(function (marker) { marker.addTo(map); });
  }).catch(function (error) {
    AnjuMap.failed(map, note, element.getAttribute("data-t-failed"), error);
  });
})();
