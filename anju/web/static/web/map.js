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

  var map = AnjuMap.create(element);
  var text = AnjuMap.text;

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

  Promise.all([AnjuMap.getJSON(config.gridsUrl), AnjuMap.getJSON(config.casesUrl)]).then(function (results) {
    var bounds = AnjuMap.drawOutlines(map, results[0], { gridNames: true, focusTownship: config.township });
    var data = results[1];
    var cluster = L.markerClusterGroup({ iconCreateFunction: clusterIcon, chunkedLoading: true,
                                         showCoverageOnHover: false, maxClusterRadius: 50 });
    var markers = data.points.map(markerFor);
    AnjuMap.fit(map, bounds, markers);
    cluster.addLayers(markers);
    map.addLayer(cluster);
    if (note) { note.textContent = data.note; }
    element.setAttribute("data-loaded", String(data.shown));
  }).catch(function (error) { AnjuMap.failed(map, note, texts.loadFailed, error); });
})();
