// The map of trainings, hung on [data-campus-map], and the team's map of gaps
// ([data-campus-map-kind="gaps"]). The list or table beside each carries the same
// information, so the page stays complete without JavaScript or tiles.
(function () {
  "use strict";

  // Leaflet, its clusters and their styles are named on this script's tag and fetched
  // once the page has painted: as deferred scripts they ran before the first paint
  // whenever the page arrived fast, and drawing the map then held back the text.
  var assets = document.currentScript.dataset;
  // Work on the map is cut into tasks of about this many milliseconds, so that a
  // phone (four times slower) keeps each under the 50 ms of a long task.
  var TASK_BUDGET_MS = 10;

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

  // The gap map's circles: left to right, needs with no offering, both, offerings
  // with no need, so a département's three circles sit side by side.
  var GAP_ORDER = ["besoins-sans-offre", "besoins-et-offres", "offres-sans-besoin"];
  var GAP_MIN_SIZE = 18;
  var GAP_SIZE_RANGE = 34;
  var GAP_SPACING = 3;
  var GAP_DROP = 16;

  function plural(count, word) {
    return count + " " + word + (count > 1 ? "s" : "");
  }

  function gapCounts(counts) {
    return plural(counts.needs, "besoin") + " (" + plural(counts.people, "personne") + "), "
      + plural(counts.offerings, "offre") + " (" + plural(counts.places, "place") + ")";
  }

  function gapLabel(properties) {
    return properties.name + " (" + properties.departement + ") : " + properties.label + ", " + gapCounts(properties);
  }

  function gapPopupContent(properties) {
    var box = element("div", "", {"class": "map-popup"});
    box.appendChild(element("p", properties.name + " (" + properties.departement + ")", {"class": "map-popup__title"}));
    box.appendChild(element("p", properties.label + " : " + gapCounts(properties), {"class": "map-popup__meta"}));
    var list = element("ul");
    properties.rows.forEach(function (row) {
      list.appendChild(element("li", row.trade + " (" + row.rome_code + "), " + row.level + ", " + row.route + " : " + gapCounts(row)));
    });
    box.appendChild(list);
    if (properties.lines > properties.rows.length) {
      var more = element("p", "", {"class": "map-popup__meta"});
      more.appendChild(document.createTextNode("Et " + plural(properties.lines - properties.rows.length, "autre ligne") + " : "));
      more.appendChild(element("a", "voir le tableau", {href: "#results"}));
      box.appendChild(more);
    }
    return box;
  }

  function gapSize(properties, largest) {
    return GAP_MIN_SIZE + Math.round(GAP_SIZE_RANGE * Math.sqrt(largest ? properties.people / largest : 0));
  }

  // Where each circle's centre sits from its département's point, in pixels: a
  // département's circles side by side in GAP_ORDER, the row centred on the point.
  function gapShifts(features, largest) {
    var rows = {};
    features.forEach(function (feature) {
      var code = feature.properties.departement;
      (rows[code] = rows[code] || []).push(feature);
    });
    var shifts = new Map();
    Object.keys(rows).forEach(function (code) {
      var row = rows[code].sort(function (a, b) {
        return GAP_ORDER.indexOf(a.properties.gap) - GAP_ORDER.indexOf(b.properties.gap);
      });
      var sizes = row.map(function (feature) { return gapSize(feature.properties, largest); });
      var width = sizes.reduce(function (sum, size) { return sum + size + GAP_SPACING; }, -GAP_SPACING);
      var left = -width / 2;
      row.forEach(function (feature, index) {
        shifts.set(feature, left + sizes[index] / 2);
        left += sizes[index] + GAP_SPACING;
      });
    });
    return shifts;
  }

  // A focusable HTML circle (Leaflet makes markers keyboard buttons; SVG circles are not).
  function gapMarker(feature, largest, shift) {
    var properties = feature.properties;
    var size = gapSize(properties, largest);
    var html = element("span", gapLabel(properties), {"class": "visually-hidden"});
    var coordinates = feature.geometry.coordinates;
    return L.marker([coordinates[1], coordinates[0]], {
      title: gapLabel(properties),
      icon: L.divIcon({
        className: "gap-marker gap-dot--" + properties.gap,
        html: html,
        iconSize: [size, size],
        // Below the point, where the département's name does not cover them.
        iconAnchor: [size / 2 - shift, size / 2 - GAP_DROP],
        popupAnchor: [shift, GAP_DROP - size / 2]
      })
    });
  }

  function placeMarker(feature) {
    var coordinates = feature.geometry.coordinates;
    return L.marker([coordinates[1], coordinates[0]], {
      title: feature.properties.organisation,
      alt: feature.properties.organisation
    });
  }

  function fetchJson(url) {
    return fetch(url, {headers: {Accept: "application/geo+json"}})
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  // Calls `handle` on each item, in as many tasks as TASK_BUDGET_MS requires, then
  // `done`; stops early once `isCurrent()` is false (a newer load has begun).
  function inTasks(items, handle, isCurrent, done) {
    var index = 0;
    (function task() {
      if (!isCurrent()) return;
      var began = performance.now();
      while (index < items.length && performance.now() - began < TASK_BUDGET_MS) {
        handle(items[index]);
        index += 1;
      }
      if (index < items.length) {
        setTimeout(task, 0);
      } else {
        done();
      }
    })();
  }

  // A département's name on the map, which takes no clicks and is not a marker.
  function defineLabel() {
    return L.Layer.extend({
      options: {pane: "labels"},
      initialize: function (latLng, text) {
        this._latLng = latLng;
        this._text = text;
      },
      onAdd: function () {
        this._container = element("div", "", {"class": "map-label__point leaflet-zoom-" + (this._zoomAnimated ? "animated" : "hide")});
        this._container.appendChild(element("span", this._text, {"class": "map-label"}));
        this.getPane().appendChild(this._container);
        this._update();
      },
      onRemove: function () {
        L.DomUtil.remove(this._container);
      },
      getEvents: function () {
        var events = {zoom: this._update, viewreset: this._update};
        if (this._zoomAnimated) events.zoomanim = this._animateZoom;
        return events;
      },
      _update: function () {
        L.DomUtil.setPosition(this._container, this._map.latLngToLayerPoint(this._latLng).round());
      },
      _animateZoom: function (event) {
        L.DomUtil.setPosition(this._container, this._map._latLngToNewLayerPoint(this._latLng, event.zoom, event.center).round());
      }
    });
  }
  var Label;

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
    var departements = [];
    var outline = L.geoJSON(null, {
      interactive: false,
      style: function (feature) {
        return feature.properties.kind === "region" ? REGION_STYLE : DEPARTEMENT_STYLE;
      },
      onEachFeature: function (feature, layer) {
        if (feature.properties.kind === "departement") departements.push({layer: layer});
      }
    });
    // The départements' names, in a pane above the markers as tooltips were. A
    // tooltip measured itself to centre on its point, which made the page lay out
    // once per name; a label is centred by CSS.
    map.createPane("labels").classList.add("map-labels");
    var labels = L.layerGroup().addTo(map);
    function addLabel(departement) {
      departement.label = new Label(departement.layer.getCenter(), departement.layer.feature.properties.name);
    }
    // A département too narrow on screen for its name (Territoire de Belfort on a
    // phone) loses its label rather than covering its neighbours'.
    function fitLabels() {
      departements.forEach(function (departement) {
        var layer = departement.layer;
        var bounds = layer.getBounds();
        var width = map.latLngToContainerPoint(bounds.getNorthEast()).x - map.latLngToContainerPoint(bounds.getSouthWest()).x;
        var fits = width >= layer.feature.properties.name.length * 7;
        if (fits) labels.addLayer(departement.label);
        else labels.removeLayer(departement.label);
      });
    }
    map.on("zoomend", fitLabels);
    // Without a shipped outline for the région, metropolitan France frames the map.
    var regionBounds = L.latLngBounds([41.3, -5.2], [51.1, 9.6]);
    // The région comes first in the file: it frames the map, then is drawn, then
    // the départements one by one, each step in the tasks of inTasks. The markers
    // wait for the outline, as they are framed against it.
    var outlineDrawn = (data.campusMapBaseUrl ? fetchJson(data.campusMapBaseUrl) : Promise.resolve(null))
      .then(function (baseData) {
        var features = baseData ? baseData.features : [];
        var steps = [function () {
          if (features.length) {
            outline.addData(features[0]);
            regionBounds = outline.getBounds();
          }
          map.fitBounds(regionBounds, {padding: [16, 16]});
        }, function () {
          outline.addTo(map);
        }].concat(features.slice(1).map(function (feature) {
          return function () {
            outline.addData(feature);
            addLabel(departements[departements.length - 1]);
          };
        }));
        return new Promise(function (resolve) {
          inTasks(steps, function (step) { step(); }, function () { return true; }, resolve);
        });
      })
      .then(fitLabels);
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

    var gaps = data.campusMapKind === "gaps";
    // A département has at most three circles: nothing to cluster.
    var markers = gaps ? L.featureGroup() : L.markerClusterGroup({showCoverageOnHover: false});
    map.addLayer(markers);
    var status = document.querySelector("[data-campus-map-status]");
    var loads = 0;

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

    // Frame the places found: the région when they are spread, closer when few.
    function frame(placed, count, areaBounds) {
      if (areaBounds) {
        map.fitBounds(count ? areaBounds.extend(placed) : areaBounds, {padding: [16, 16]});
      } else if (count && !regionBounds.contains(placed)) {
        map.fitBounds(placed.extend(regionBounds), {padding: [16, 16]});
      } else if (count && count < 3) {
        map.fitBounds(placed, {padding: [48, 48], maxZoom: 9});
      } else {
        map.fitBounds(regionBounds, {padding: [16, 16]});
      }
    }

    function load(url) {
      loads += 1;
      var current = loads;
      function isCurrent() { return current === loads; }
      Promise.all([fetchJson(url), outlineDrawn]).then(function (results) {
        var collection = results[0];
        if (!isCurrent()) return;
        markers.clearLayers();
        var areaBounds = drawSearchArea();
        if (!collection) return;
        var largest = Math.max.apply(null, [0].concat(collection.features.map(function (feature) {
          return feature.properties.people || 0;
        })));
        var shifts = gaps ? gapShifts(collection.features, largest) : null;
        // Keeps the popup clear of the zoom buttons on a phone.
        var popupOptions = {autoPanPaddingTopLeft: [48, 12], maxWidth: Math.min(280, container.clientWidth - 100)};
        var placed = L.latLngBounds([]);
        inTasks(collection.features, function (feature) {
          var marker = gaps ? gapMarker(feature, largest, shifts.get(feature)) : placeMarker(feature);
          // Built when opened: most popups never are.
          marker.bindPopup(function () {
            return gaps ? gapPopupContent(feature.properties) : popupContent(feature.properties);
          }, popupOptions);
          placed.extend(marker.getLatLng());
          markers.addLayer(marker);
        }, isCurrent, function () {
          frame(placed, collection.features.length, areaBounds);
        });
        if (status && gaps) {
          status.textContent = collection.unplaced
            ? plural(collection.unplaced, "ligne") + " du tableau hors de la carte : leur département n'a pas de commune située."
            : "";
        } else if (status) {
          status.textContent = collection.truncated
            ? "La carte montre les " + collection.features.length + " premiers lieux : précisez les filtres pour voir les autres."
            : "";
        }
      });
    }

    // The filters swap the list with htmx; the list tells the map where its data now is.
    function resultsDataUrl() {
      var results = document.querySelector("#results[data-campus-map-data-url]");
      return results && results.getAttribute("data-campus-map-data-url");
    }

    // The gap map names no URL of its own: outside the swapped results it would go stale.
    load(data.campusMapDataUrl || resultsDataUrl());
    document.addEventListener("htmx:afterSwap", function () {
      var url = resultsDataUrl();
      if (url) load(url);
    });
  }

  // Stylesheets and scripts, in order (async = false keeps the order of execution);
  // `done` once all have loaded. A failed one leaves the fallback text and the list.
  function loadLibraries(done) {
    var styles = assets.campusMapStyles.split(" ");
    var scripts = assets.campusMapScripts.split(" ");
    var pending = styles.length + scripts.length;
    function loaded() {
      pending -= 1;
      if (pending === 0) done();
    }
    styles.forEach(function (href) {
      var link = element("link", "", {rel: "stylesheet", href: href});
      link.addEventListener("load", loaded);
      document.head.appendChild(link);
    });
    scripts.forEach(function (src) {
      var script = element("script", "", {src: src});
      script.async = false;
      script.addEventListener("load", loaded);
      document.head.appendChild(script);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var containers = document.querySelectorAll("[data-campus-map]");
    if (!containers.length) return;
    afterFirstPaint(function () {
      loadLibraries(function () {
        Label = defineLabel();
        containers.forEach(attachMap);
      });
    });
  });

  // Once the page's first contentful paint is reported. A task queued after the next
  // animation frame may still run before that frame reaches the screen on a busy
  // machine, so the browser's own paint entry is awaited where it reports one.
  function afterFirstPaint(callback) {
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (!types || types.indexOf("paint") === -1) {
      requestAnimationFrame(function () { setTimeout(callback, 0); });
      return;
    }
    var observer = new PerformanceObserver(function (list) {
      var painted = list.getEntries().some(function (entry) { return entry.name === "first-contentful-paint"; });
      if (!painted) return;
      observer.disconnect();
      setTimeout(callback, 0);
    });
    observer.observe({type: "paint", buffered: true});
  }
})();
