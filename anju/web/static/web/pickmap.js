// Enhancements of the intake and report forms; both work without this file.
// 1. A text box that filters a long <select> (the category list): [data-filter-select].
// 2. A Leaflet map to pick the place: [data-pickmap]. It writes the point into the form's
//    latitude/longitude inputs, draws the grid outlines so people see where they tap, shows the
//    grid and township of the point, and offers "use my location" on phones.
(function () {
  "use strict";

  function byId(id) { return id ? document.getElementById(id) : null; }

  function fire(input) {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // ------------------------------------------------------------------ searchable select
  function initFilter(input) {
    var select = byId(input.getAttribute("data-filter-select"));
    if (!select) { return; }
    var wrapper = input.closest(".category-filter") || input;
    wrapper.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase();
      var firstMatch = null;
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var groupMatches = words && group.label.toLowerCase().indexOf(words) !== -1;
        var visible = 0;
        Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
          var match = !words || groupMatches || option.text.toLowerCase().indexOf(words) !== -1 ||
            option.value.toLowerCase().indexOf(words) !== -1;
          // hidden is ignored by some phone browsers; disabled keeps the option out of reach there.
          option.hidden = !match;
          option.disabled = !match;
          if (match) { visible += 1; if (!firstMatch) { firstMatch = option; } }
        });
        group.hidden = visible === 0;
      });
      var current = select.options[select.selectedIndex];
      if (words && firstMatch && (!current || !current.value || current.disabled)) {
        firstMatch.selected = true;
        fire(select);
      }
    });
  }

  // ------------------------------------------------------------------ map picker
  function initMap(el) {
    if (!window.L) { return; }
    var latInput = byId(el.dataset.lat);
    var lngInput = byId(el.dataset.lng);
    var out = byId(el.dataset.out);
    if (!latInput || !lngInput) { return; }
    el.hidden = false;
    var tools = el.parentNode.querySelector(".pickmap-tools");
    if (tools) { tools.hidden = false; }

    var centre = (el.dataset.centre || "0,0").split(",").map(parseFloat);
    var map = L.map(el, { attributionControl: Boolean(el.dataset.tileUrl) });
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    map.setView(centre[0] || centre[1] ? centre : [0, 0], 13);

    var marker = null;
    var lookup = 0;

    function say(text) { if (out) { out.textContent = text; } }

    function describe(lat, lng) {
      var mine = ++lookup;
      fetch(el.dataset.locateUrl + "?lat=" + encodeURIComponent(lat) + "&lng=" + encodeURIComponent(lng),
            { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (mine !== lookup) { return; }
          if (!result.ok) { say(el.dataset.tNogrid); return; }
          var parts = [];
          if (result.body.township) { parts.push(el.dataset.tTownship + ": " + result.body.township.name); }
          if (result.body.village) { parts.push(el.dataset.tVillage + ": " + result.body.village.name); }
          parts.push(el.dataset.tGrid + ": " + result.body.grid.name);
          say("✓ " + parts.join(" · "));
        })
        .catch(function () { if (mine === lookup) { say(el.dataset.tPicked); } });
    }

    function show(lat, lng) {
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], { radius: 9, color: "#b3261e", weight: 3, fillOpacity: 0.5 }).addTo(map);
      }
    }

    function place(lat, lng, pan) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      show(lat, lng);
      if (pan) { map.setView([lat, lng], Math.max(map.getZoom(), 16)); }
      fire(latInput);
      fire(lngInput);
      describe(latInput.value, lngInput.value);
    }

    map.on("click", function (event) { place(event.latlng.lat, event.latlng.lng, false); });

    // Typed coordinates (the staff form shows them) move the point too.
    function typed(event) {
      if (!event.isTrusted) { return; }
      var lat = parseFloat(latInput.value);
      var lng = parseFloat(lngInput.value);
      if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        show(lat, lng);
        map.setView([lat, lng], Math.max(map.getZoom(), 15));
        describe(lat, lng);
      }
    }
    latInput.addEventListener("change", typed);
    lngInput.addEventListener("change", typed);

    var hadPoint = latInput.value !== "" && lngInput.value !== "";
    if (hadPoint) {
      var lat0 = parseFloat(latInput.value);
      var lng0 = parseFloat(lngInput.value);
      if (isFinite(lat0) && isFinite(lng0)) {
        show(lat0, lng0);
        map.setView([lat0, lng0], 16);
        describe(lat0, lng0);
      }
    }

    fetch(el.dataset.gridsUrl, { credentials: "same-origin", headers: { "Accept": "application/geo+json, application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: { color: "#0b5cad", weight: 1, fillOpacity: 0.04 },
          interactive: false
        }).addTo(map);
        var bounds = layer.getBounds();
        if (!hadPoint && bounds.isValid()) { map.fitBounds(bounds); }
      })
      .catch(function () { if (!hadPoint && out && !out.textContent) { say(el.dataset.tGridsfailed); } });

    var me = el.parentNode.querySelector("[data-locate-me]");
    if (me && navigator.geolocation) {
      me.hidden = false;
      me.addEventListener("click", function () {
        say(el.dataset.tLocating);
        navigator.geolocation.getCurrentPosition(
          function (position) { place(position.coords.latitude, position.coords.longitude, true); },
          function () { say(el.dataset.tGeofailed); },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
    var clear = el.parentNode.querySelector("[data-clear-point]");
    if (clear) {
      clear.addEventListener("click", function () {
        latInput.value = "";
        lngInput.value = "";
        if (marker) { map.removeLayer(marker); marker = null; }
        lookup += 1;
        say("");
        fire(latInput);
        fire(lngInput);
      });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-select]"), initFilter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-pickmap]"), initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
