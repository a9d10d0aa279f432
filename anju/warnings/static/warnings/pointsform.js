// The point's form: a map on which a click sets the point, adds a vertex to the outline or the
// evacuation route, or sets the shelter, as the chosen mode says. Everything it does is written
// into the form's own fields (the outline and route as lines of "latitude, longitude"), which
// work without this file.
(function () {
  "use strict";
  var element = document.getElementById("draw-map");
  if (!element || typeof L === "undefined" || !window.AnjuMap) { return; }
  var modes = document.querySelector(".draw-modes");
  var field = function (id) { return document.getElementById(id); };
  var inputs = { lat: field("id_lat"), lng: field("id_lng"), outline: field("id_outline"), route: field("id_route"),
                 shelterLat: field("id_shelter_lat"), shelterLng: field("id_shelter_lng") };
  if (!inputs.lat || !inputs.lng) { return; }
  element.hidden = false;
  if (modes) { modes.hidden = false; }
  var map = AnjuMap.create(element);
  var layer = L.layerGroup().addTo(map);

  function vertices(textarea) {
    if (!textarea) { return []; }
    return textarea.value.split("\n").map(function (line) {
      var parts = line.split(/[,，\s]+/).filter(Boolean).map(parseFloat);
      return parts.length === 2 && !isNaN(parts[0]) && !isNaN(parts[1]) ? [parts[0], parts[1]] : null;
    }).filter(Boolean);
  }

  function number(input) { var v = parseFloat(input && input.value); return isNaN(v) ? null : v; }

  function redraw() {
    layer.clearLayers();
    var outline = vertices(inputs.outline), route = vertices(inputs.route);
    if (outline.length) { L.polygon(outline, { color: "#c0392b", weight: 2, dashArray: "4 3", fillOpacity: 0.1 }).addTo(layer); }
    if (route.length) { L.polyline(route, { color: "#1a7f37", weight: 4 }).addTo(layer); }
    var lat = number(inputs.lat), lng = number(inputs.lng);
    if (lat !== null && lng !== null) {
      L.circleMarker([lat, lng], { radius: 8, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1 }).addTo(layer);
    }
    var slat = number(inputs.shelterLat), slng = number(inputs.shelterLng);
    if (slat !== null && slng !== null) {
      L.marker([slat, slng], { icon: L.divIcon({ className: "shelter-icon", iconSize: [12, 12] }) }).addTo(layer);
    }
  }

  function mode() {
    var checked = document.querySelector('input[name="draw-mode"]:checked');
    return checked ? checked.value : "point";
  }

  function append(textarea, latlng) {
    if (!textarea) { return; }
    var line = latlng.lat.toFixed(6) + ", " + latlng.lng.toFixed(6);
    textarea.value = textarea.value.replace(/\s+$/, "") + (textarea.value.trim() ? "\n" : "") + line;
  }

  map.on("click", function (event) {
    var m = mode();
    if (m === "point") {
      inputs.lat.value = event.latlng.lat.toFixed(6);
      inputs.lng.value = event.latlng.lng.toFixed(6);
    } else if (m === "shelter" && inputs.shelterLat && inputs.shelterLng) {
      inputs.shelterLat.value = event.latlng.lat.toFixed(6);
      inputs.shelterLng.value = event.latlng.lng.toFixed(6);
    } else if (m === "outline") {
      append(inputs.outline, event.latlng);
    } else if (m === "route") {
      append(inputs.route, event.latlng);
    }
    redraw();
  });

  var undo = document.querySelector("[data-undo]");
  if (undo) {
    undo.addEventListener("click", function () {
      var textarea = mode() === "route" ? inputs.route : inputs.outline;
      if (!textarea) { return; }
      var lines = textarea.value.split("\n").filter(function (l) { return l.trim(); });
      lines.pop();
      textarea.value = lines.join("\n");
      redraw();
    });
  }
  Object.keys(inputs).forEach(function (key) {
    if (inputs[key]) { inputs[key].addEventListener("change", redraw); }
  });

  var centre = (element.getAttribute("data-centre") || "0,0").split(",").map(parseFloat);
  map.setView(centre[0] || centre[1] ? centre : [31.9, 108.66], 13);
  redraw();
  // A point already drawn is shown close up; a new one starts from the user's grids.
  function fitShapes() {
    var shapes = [];
    layer.eachLayer(function (l) { shapes.push(l); });
    if (!shapes.length) { return false; }
    map.fitBounds(L.featureGroup(shapes).getBounds(), { padding: [40, 40], maxZoom: 17, animate: false });
    return true;
  }
  var fitted = fitShapes();
  AnjuMap.getJSON(element.getAttribute("data-grids-url")).then(function (collection) {
    var bounds = AnjuMap.drawOutlines(map, collection, { gridNames: true });
    if (!fitted && bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12], animate: false }); }
    // Drawn again, above the outlines.
    redraw();
  }).catch(function () { return null; });
})();
