/* The optional point of an idea (participation/ideas/_map_field.html): a map of the Lausitz drawn from the
   project's own shapes; a click inside the Lausitz sets the point and fills the form's hidden latitude and
   longitude inputs. Without this script the map stays hidden and the municipality select is enough. */
(function () {
  "use strict";

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(url + ": " + response.status);
        }
        return response.json();
      }
    );
  }

  function escapeHtml(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function init(container) {
    var data = container.dataset;
    var box = container.closest("[data-idea-map-box]");
    var form = container.closest("form");
    var latitude = form.querySelector("[data-idea-map-latitude]");
    var longitude = form.querySelector("[data-idea-map-longitude]");
    var status = document.getElementById(container.id + "-status");
    var clear = box.querySelector("[data-idea-map-clear]");
    var south = parseFloat(data.south);
    var west = parseFloat(data.west);
    var north = parseFloat(data.north);
    var east = parseFloat(data.east);
    box.hidden = false;

    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 7, maxZoom: 14 });
    L.control.zoom({ zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution(data.attribution);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: escapeHtml(data.tileAttribution || "") }).addTo(map);
    }
    map.fitBounds([
      [south, west],
      [north, east],
    ]);
    var icon = L.divIcon({ className: "idea-map__marker", iconSize: [22, 22], iconAnchor: [11, 11] });
    var marker = null;

    function show(lat, lon) {
      if (marker) {
        marker.setLatLng([lat, lon]);
      } else {
        marker = L.marker([lat, lon], { icon: icon, keyboard: false, title: data.labelChosen }).addTo(map);
      }
      status.textContent = data.labelChosen + ": " + lat.toFixed(5) + ", " + lon.toFixed(5);
    }

    function set(lat, lon) {
      if (lat < south || lat > north || lon < west || lon > east) {
        status.textContent = data.labelOutside;
        return;
      }
      latitude.value = lat.toFixed(5);
      longitude.value = lon.toFixed(5);
      show(lat, lon);
    }

    if (latitude.value && longitude.value) {
      show(parseFloat(latitude.value), parseFloat(longitude.value));
    }
    map.on("click", function (event) {
      set(event.latlng.lat, event.latlng.lng);
    });
    clear.addEventListener("click", function () {
      latitude.value = "";
      longitude.value = "";
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      status.textContent = data.labelRemoved;
    });

    Promise.all([fetchJson(data.municipalitiesUrl), fetchJson(data.districtsUrl)])
      .then(function (results) {
        L.geoJSON(results[0], {
          interactive: false,
          style: function () {
            return { className: "map-shape map-shape--municipality" };
          },
        }).addTo(map);
        L.geoJSON(results[1], {
          interactive: false,
          style: function () {
            return { className: "map-shape map-shape--district" };
          },
        }).addTo(map);
        container.dataset.state = "ready";
      })
      .catch(function (error) {
        if (window.console) {
          window.console.error(error);
        }
        status.textContent = data.labelFailed;
        container.dataset.state = "failed";
      });
  }

  function start() {
    if (typeof L === "undefined" || !window.fetch) {
      return;
    }
    document.querySelectorAll("[data-idea-map]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
