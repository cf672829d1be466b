/* The project maps (portal/_project_map.html): district and municipality shapes from the project's own
   geodata, one marker per located project (clustered), popups linking to the project page. Everything the
   script needs comes from the data- attributes of the map element and from same-origin GeoJSON; the list
   beside the map holds the same projects, so the page works without this script. */
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

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function escapeHtml(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function popupContent(props, labels) {
    var box = element("div", "map-popup");
    var title = element("p", "map-popup__title");
    var link = element("a", "kern-link", props.title);
    link.href = props.url;
    title.appendChild(link);
    box.appendChild(title);
    box.appendChild(element("p", "map-popup__line", labels.state + ": " + props.state_label));
    if (props.place) {
      var place = props.place + (props.located_by === "municipality" ? " (" + labels.byMunicipality + ")" : "");
      box.appendChild(element("p", "map-popup__line", labels.place + ": " + place));
    }
    return box;
  }

  function markerIcon(props) {
    var sign = element("span", "map-marker__sign", props.sign);
    sign.setAttribute("aria-hidden", "true");
    sign.dataset.projectId = String(props.id);
    return L.divIcon({
      className: "map-marker map-marker--" + props.phase,
      html: sign,
      iconSize: [28, 28],
      iconAnchor: [14, 14],
      popupAnchor: [0, -12],
    });
  }

  function clusterIcon(labels) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var inner = element("div");
      var number = element("span", "map-cluster__count", String(count));
      inner.appendChild(number);
      inner.appendChild(element("span", "kern-sr-only", " " + labels.cluster));
      return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
    };
  }

  function init(container) {
    var data = container.dataset;
    var labels = {
      state: data.labelState,
      place: data.labelPlace,
      byMunicipality: data.labelByMunicipality,
      cluster: data.labelCluster,
      close: data.labelClose,
    };
    var status = document.getElementById(container.id + "-status");
    container.hidden = false;

    // Without tiles Leaflet knows no zoom range; the clusters need one. The shapes are 1:5 000 000: no closer than 14.
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 6, maxZoom: 14 });
    L.control.zoom({ zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    map.attributionControl.addAttribution(data.attribution);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: escapeHtml(data.tileAttribution || "") }).addTo(map);
    }
    // Leaflet's close button is named in English: name it in the page's language.
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", labels.close);
        close.title = labels.close;
      }
    });

    Promise.all([
      fetchJson(data.municipalitiesUrl),
      fetchJson(data.districtsUrl),
      fetchJson(data.pointsUrl),
    ])
      .then(function (results) {
        var municipalities = L.geoJSON(results[0], {
          interactive: false,
          style: function () {
            return { className: "map-shape map-shape--municipality" };
          },
        }).addTo(map);
        var focus = null;
        var districts = L.geoJSON(results[1], {
          interactive: false,
          style: function (feature) {
            var focused = feature.properties.ags === data.focusDistrict;
            return { className: "map-shape map-shape--district" + (focused ? " map-shape--focus" : "") };
          },
          onEachFeature: function (feature, layer) {
            if (feature.properties.ags === data.focusDistrict) {
              focus = layer;
            }
          },
        }).addTo(map);

        var clusters = L.markerClusterGroup({
          iconCreateFunction: clusterIcon(labels),
          showCoverageOnHover: false,
          maxClusterRadius: 40,
        });
        var markers = [];
        results[2].features.forEach(function (feature) {
          var props = feature.properties;
          var coordinates = feature.geometry.coordinates;
          var marker = L.marker([coordinates[1], coordinates[0]], {
            icon: markerIcon(props),
            title: props.title + " – " + labels.state + ": " + props.state_label,
          });
          marker.bindPopup(popupContent(props, labels));
          markers.push(marker);
        });
        clusters.addLayers(markers);

        var bounds = (focus || districts).getBounds();
        if (!bounds.isValid()) {
          bounds = municipalities.getBounds();
        }
        if (markers.length) {
          bounds = L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast()).extend(
            L.featureGroup(markers).getBounds()
          );
        }
        if (bounds.isValid()) {
          map.fitBounds(bounds, { padding: [12, 12] });
        } else {
          map.setView([51.8, 13.9], 8);
        }
        clusters.addTo(map);
        container.dataset.markers = String(markers.length);
        container.dataset.state = "ready";
      })
      .catch(function (error) {
        if (window.console) {
          window.console.error(error);
        }
        if (status) {
          status.textContent = data.labelFailed;
        }
        container.dataset.state = "failed";
      });
  }

  function start() {
    if (typeof L === "undefined" || typeof L.markerClusterGroup !== "function" || !window.fetch) {
      return;
    }
    document.querySelectorAll("[data-project-map]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
