// The small map on the case page: the pin and the grid outline. Tiles only when the site
// configures a tile server (many government networks are closed); the page shows the
// coordinates as text without this script.
(function () {
  "use strict";
  var holder = document.getElementById("case-map");
  var source = document.getElementById("case-map-data");
  if (!holder || !source || typeof L === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  holder.hidden = false;
  var map = L.map(holder, { scrollWheelZoom: false });
  map.attributionControl.setPrefix("Leaflet");
  var tileUrl = holder.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { attribution: holder.getAttribute("data-tile-attribution") || "", maxZoom: 19 }).addTo(map);
  }
  var bounds = null;
  if (data.grid) {
    var outline = L.geoJSON(data.grid, { style: { color: "#0b5cad", weight: 2, dashArray: "6 4", fillOpacity: 0.08 } });
    outline.addTo(map);
    if (data.grid_name) {
      // Leaflet reads a string as HTML; a node shows the name as the text it is.
      var label = document.createElement("span");
      label.textContent = data.grid_name;
      outline.bindTooltip(label);
    }
    bounds = outline.getBounds();
  }
  if (data.lat !== null && data.lng !== null) {
    var pin = L.marker([data.lat, data.lng], { title: data.label, alt: data.label, keyboard: false }).addTo(map);
    bounds = bounds ? bounds.extend(pin.getLatLng()) : L.latLngBounds([pin.getLatLng(), pin.getLatLng()]);
  }
  if (bounds && bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([0, 0], 2);
  }
})();
