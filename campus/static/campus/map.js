// The map of trainings, hung on [data-campus-map]. The list beside it carries the
// same information, so the page stays complete without JavaScript or tiles.
(function () {
  "use strict";

  var REGION_STYLE = {color: "#6a3410", weight: 3, fillColor: "#f3e6da", fillOpacity: 0.35};
  var DEPARTEMENT_STYLE = {color: "#5a534c", weight: 1, dashArray: "4 4", fill: false};

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  // Popups are built node by node: names come from partners and are never parsed as HTML.
  function popupContent(properties) {
    var box = element("div", "", {"class": "map-popup"});
    var title = element("p", "", {"class": "map-popup__title"});
    title.appendChild(element("a", properties.organisation, {href: properties.url}));
    box.appendChild(title);
    if (properties.commune) box.appendChild(element("p", properties.commune, {"class": "map-popup__meta"}));
    var list = element("ul");
    properties.offerings.forEach(function (offering) {
      var item = element("li");
      item.appendChild(element("a", offering.title, {href: offering.url}));
      item.appendChild(document.createTextNode(" (" + offering.route + ")"));
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function attachMap(container) {
    var data = container.dataset;
    // Hashed static names defeat Leaflet's icon path detection: give it full URLs.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      imagePath: "",
      iconUrl: data.campusMapIcon,
      iconRetinaUrl: data.campusMapIconRetina,
      shadowUrl: data.campusMapShadow
    });
    container.textContent = "";
    var map = L.map(container, {scrollWheelZoom: false, zoomSnap: 0.25});
    var baseData = JSON.parse(document.getElementById(data.campusMapBase).textContent);
    var outline = L.geoJSON(baseData, {
      interactive: false,
      style: function (feature) {
        return feature.properties.kind === "region" ? REGION_STYLE : DEPARTEMENT_STYLE;
      },
      onEachFeature: function (feature, layer) {
        if (feature.properties.kind === "departement") {
          layer.bindTooltip(feature.properties.name, {permanent: true, direction: "center", className: "map-label"});
        }
      }
    }).addTo(map);
    map.fitBounds(outline.getBounds(), {padding: [8, 8]});
    // Tiles are a bonus: offline, the outline above remains the base layer.
    L.tileLayer(data.campusMapTiles, {
      maxZoom: 18,
      attribution: "&copy; contributeurs d'OpenStreetMap"
    }).addTo(map);

    var markers = L.markerClusterGroup({showCoverageOnHover: false});
    map.addLayer(markers);
    var status = document.querySelector("[data-campus-map-status]");

    function load(url) {
      fetch(url, {headers: {Accept: "application/geo+json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (collection) {
          markers.clearLayers();
          if (!collection) return;
          collection.features.forEach(function (feature) {
            var coordinates = feature.geometry.coordinates;
            var marker = L.marker([coordinates[1], coordinates[0]], {
              title: feature.properties.organisation,
              alt: feature.properties.organisation
            });
            marker.bindPopup(popupContent(feature.properties));
            markers.addLayer(marker);
          });
          if (status) {
            status.textContent = collection.truncated
              ? "La carte montre les " + collection.features.length + " premiers lieux : précisez les filtres pour voir les autres."
              : "";
          }
        });
    }

    load(data.campusMapDataUrl);
    // The filters swap the list with htmx; the list tells the map where its data now is.
    document.addEventListener("htmx:afterSwap", function () {
      var results = document.querySelector("#results[data-campus-map-data-url]");
      if (results) load(results.getAttribute("data-campus-map-data-url"));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) return;
    document.querySelectorAll("[data-campus-map]").forEach(attachMap);
  });
})();
