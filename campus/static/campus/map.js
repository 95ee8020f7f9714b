// The map of trainings, hung on [data-campus-map]. The list beside it carries the
// same information, so the page stays complete without JavaScript or tiles.
(function () {
  "use strict";

  var REGION_STYLE = {color: "#6a3410", weight: 3, fillColor: "#f3e6da", fillOpacity: 0.35};
  var DEPARTEMENT_STYLE = {color: "#5a534c", weight: 1, dashArray: "4 4", fill: false};
  var SEARCH_AREA_STYLE = {color: "#0a58ca", weight: 2, fillColor: "#0a58ca", fillOpacity: 0.08, interactive: false};
  var SEARCH_CENTRE_STYLE = {radius: 7, color: "#ffffff", weight: 2, fillColor: "#0a58ca", fillOpacity: 1};

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function escapeHtml(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  // The commune and radius of the search, as the list's section states them.
  function searchCentre() {
    var results = document.querySelector("#results[data-campus-map-centre-lat]");
    if (!results) return null;
    var data = results.dataset;
    return {
      name: data.campusMapCentreName,
      latLng: L.latLng(parseFloat(data.campusMapCentreLat), parseFloat(data.campusMapCentreLon)),
      radiusKm: parseFloat(data.campusMapCentreRadius)
    };
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
    // Without tiles nothing else tells Leaflet (and the clusters) how far it may zoom.
    var map = L.map(container, {scrollWheelZoom: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 18});
    var baseData = JSON.parse(document.getElementById(data.campusMapBase).textContent);
    var outline = L.geoJSON(baseData, {
      interactive: false,
      style: function (feature) {
        return feature.properties.kind === "region" ? REGION_STYLE : DEPARTEMENT_STYLE;
      },
      onEachFeature: function (feature, layer) {
        if (feature.properties.kind === "departement") {
          layer.bindTooltip(feature.properties.name, {permanent: true, direction: "center", className: "map-label", opacity: 1});
        }
      }
    }).addTo(map);
    // A département too narrow on screen for its name (Territoire de Belfort on a
    // phone) loses its label rather than covering its neighbours'.
    function fitLabels() {
      outline.eachLayer(function (layer) {
        var tooltip = layer.getTooltip();
        if (!tooltip) return;
        var bounds = layer.getBounds();
        var width = map.latLngToContainerPoint(bounds.getNorthEast()).x - map.latLngToContainerPoint(bounds.getSouthWest()).x;
        var fits = width >= layer.feature.properties.name.length * 7;
        if (fits && !layer.isTooltipOpen()) layer.openTooltip();
        if (!fits && layer.isTooltipOpen()) layer.closeTooltip();
      });
    }
    map.on("zoomend", fitLabels);
    // Without a shipped outline for the région, metropolitan France frames the map.
    var regionBounds = baseData.features.length
      ? outline.getBounds()
      : L.latLngBounds([41.3, -5.2], [51.1, 9.6]);
    map.fitBounds(regionBounds, {padding: [16, 16]});
    fitLabels();
    // Tiles only when the site names a server (CAMPUS_MAP_TILES_URL): otherwise the
    // outline above is the whole base layer and no third party is called.
    if (data.campusMapTiles) {
      L.tileLayer(data.campusMapTiles, {
        maxZoom: 18,
        attribution: escapeHtml(data.campusMapAttribution || "")
      }).addTo(map);
    }
    // The commune searched from and its radius, drawn under the places found.
    var searchArea = L.layerGroup().addTo(map);

    var markers = L.markerClusterGroup({showCoverageOnHover: false});
    map.addLayer(markers);
    var status = document.querySelector("[data-campus-map-status]");

    function drawSearchArea() {
      searchArea.clearLayers();
      var centre = searchCentre();
      if (!centre) return null;
      var circle = L.circle(centre.latLng, Object.assign({radius: centre.radiusKm * 1000}, SEARCH_AREA_STYLE));
      var label = centre.name + " : rayon de " + centre.radiusKm + " km";
      searchArea.addLayer(circle);
      searchArea.addLayer(L.circleMarker(centre.latLng, SEARCH_CENTRE_STYLE).bindTooltip(label));
      return circle.getBounds();
    }

    function load(url) {
      var areaBounds = drawSearchArea();
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
            // Keeps the popup clear of the zoom buttons on a phone.
            marker.bindPopup(popupContent(feature.properties), {autoPanPaddingTopLeft: [48, 12], maxWidth: Math.min(280, container.clientWidth - 100)});
            markers.addLayer(marker);
          });
          // Frame the places found: the région when they are spread, closer when few.
          var count = markers.getLayers().length;
          if (areaBounds) {
            map.fitBounds(count ? areaBounds.extend(markers.getBounds()) : areaBounds, {padding: [16, 16]});
          } else if (count && !regionBounds.contains(markers.getBounds())) {
            map.fitBounds(markers.getBounds().extend(regionBounds), {padding: [16, 16]});
          } else if (count && count < 3) {
            map.fitBounds(markers.getBounds(), {padding: [48, 48], maxZoom: 9});
          } else {
            map.fitBounds(regionBounds, {padding: [16, 16]});
          }
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
