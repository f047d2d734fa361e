/*
 * Area maps: a choropleth of the areas in a table, drawn with Leaflet.
 *
 * Progressive enhancement. The page's content is the table; each element
 *   <div data-area-map data-geojson="URL" data-table="TABLE-ID" hidden>
 * is shown only when this script runs, and hidden again when the boundaries
 * cannot be fetched. Each feature of the GeoJSON is coloured by the number in
 * the cell with data-value of the table row tr[data-area-code="CODE"]; the
 * legend's title is that column's header. Optional: data-tiles (a Leaflet
 * tile URL template) with data-attribution; data-label-missing (the words for
 * "no figure").
 *
 * Categories instead of numbers: with data-categories='{"code": ["#colour",
 * "label"], ...}' on the element, each feature takes the colour of the
 * data-category of its row's cell (say a work status), and the legend lists
 * the categories in that order (data-legend-title is its title).
 *
 * Accessibility: the canvas and legend are aria-hidden and hold nothing that
 * takes focus (no zoom buttons, no keyboard handler, no attribution links;
 * the credits are plain text outside the canvas). The table beside the map is
 * its accessible equivalent with the same figures. role="img" was not chosen:
 * its children are presentational, so Leaflet's focusable controls inside it
 * would be hidden from assistive technology while still taking focus, which
 * axe-core reports; aria-hidden on a canvas with nothing focusable passes.
 */
(function () {
  "use strict";

  // ColorBrewer YlGnBu, 5 classes: light to dark, each step clearly apart,
  // and none of them grey, so "no figure" (grey, hatched) cannot be mistaken.
  var COLOURS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"];
  var MISSING = "#d9d9d9";
  var SVG = "http://www.w3.org/2000/svg";
  var counter = 0;

  function tableValues(table) {
    var values = {};
    var rows = table.querySelectorAll("tr[data-area-code]");
    var header = null;
    rows.forEach(function (row) {
      var cell = row.querySelector("[data-value]");
      var nameCell = row.cells[0];
      var entry = { name: nameCell ? nameCell.textContent.trim() : "", value: null, text: "" };
      var category = row.querySelector("[data-category]");
      if (category) {
        entry.category = category.getAttribute("data-category") || null;
        entry.text = category.textContent.trim();
      }
      if (cell && cell.getAttribute("data-value") !== "") {
        var number = Number(cell.getAttribute("data-value"));
        if (isFinite(number)) {
          entry.value = number;
          entry.text = cell.textContent.trim();
        }
        if (header === null && table.tHead && table.tHead.rows.length) {
          var th = table.tHead.rows[0].cells[cell.cellIndex];
          header = th ? th.textContent.trim() : "";
        }
      }
      values[row.getAttribute("data-area-code")] = entry;
    });
    return { byCode: values, title: header || "" };
  }

  // Quantile classes: at most five, each holding about as many areas.
  function classes(numbers) {
    var sorted = numbers.slice().sort(function (a, b) { return a - b; });
    var count = Math.min(COLOURS.length, sorted.length);
    var groups = [];
    for (var i = 0; i < count; i++) {
      var part = sorted.slice(Math.floor((i * sorted.length) / count),
        Math.floor(((i + 1) * sorted.length) / count));
      if (!part.length) { continue; }
      var last = groups[groups.length - 1];
      // Equal numbers always share a class.
      if (last && last.max === part[0]) {
        last.max = part[part.length - 1];
      } else {
        groups.push({ min: part[0], max: part[part.length - 1] });
      }
    }
    // Spread the colours over the classes there are, darkest for the highest.
    groups.forEach(function (group, index) {
      var step = groups.length > 1 ? index * (COLOURS.length - 1) / (groups.length - 1) : 2;
      group.colour = COLOURS[Math.round(step)];
    });
    return groups;
  }

  function colourOf(groups, value) {
    for (var i = 0; i < groups.length; i++) {
      if (value <= groups[i].max) { return groups[i].colour; }
    }
    return groups[groups.length - 1].colour;
  }

  // A grey, hatched fill for areas without a figure, defined in ``svg``.
  function addHatch(svg, id) {
    if (!svg) { return; }
    var defs = document.createElementNS(SVG, "defs");
    var pattern = document.createElementNS(SVG, "pattern");
    pattern.setAttribute("id", id);
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", "8");
    background.setAttribute("height", "8");
    background.setAttribute("fill", MISSING);
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "0");
    line.setAttribute("y1", "0");
    line.setAttribute("x2", "0");
    line.setAttribute("y2", "8");
    line.setAttribute("stroke", "#6f6f6f");
    line.setAttribute("stroke-width", "3");
    pattern.appendChild(background);
    pattern.appendChild(line);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  function legend(element, title, groups, format, missingLabel, hatchId, anyMissing) {
    var box = document.createElement("div");
    box.className = "area-map__legend";
    box.setAttribute("aria-hidden", "true");
    var heading = document.createElement("p");
    heading.className = "area-map__legend-title";
    heading.textContent = title;
    box.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "area-map__legend-list";
    function item(swatchClass, colour, text) {
      var li = document.createElement("li");
      var swatch = document.createElementNS(SVG, "svg");
      swatch.setAttribute("class", "area-map__swatch " + swatchClass);
      swatch.setAttribute("width", "24");
      swatch.setAttribute("height", "16");
      var rect = document.createElementNS(SVG, "rect");
      rect.setAttribute("width", "24");
      rect.setAttribute("height", "16");
      rect.setAttribute("fill", colour);
      rect.setAttribute("stroke", "#1f1f1f");
      swatch.appendChild(rect);
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(" " + text));
      list.appendChild(li);
      return swatch;
    }
    groups.forEach(function (group) {
      if (group.label) { item("", group.colour, group.label); return; }
      var text = group.min === group.max ? format(group.min)
        : format(group.min) + " – " + format(group.max);
      item("", group.colour, text);
    });
    if (anyMissing) {
      // The legend's swatch needs its own pattern: a fill url() only finds
      // patterns inside the same SVG document fragment.
      var swatch = item("area-map__swatch--missing", "url(#" + hatchId + "-legend)", missingLabel);
      addHatch(swatch, hatchId + "-legend");
    }
    box.appendChild(list);
    element.appendChild(box);
  }

  function tooltip(entry, missingLabel, byCategory) {
    var content = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = entry.name;
    content.appendChild(name);
    content.appendChild(document.createElement("br"));
    var known = byCategory ? entry.category : entry.value !== null;
    content.appendChild(document.createTextNode(known ? entry.text : missingLabel));
    return content;
  }

  function build(element) {
    var table = document.getElementById(element.getAttribute("data-table"));
    var url = element.getAttribute("data-geojson");
    if (!table || !url || typeof L === "undefined") { return; }
    var data = tableValues(table);
    var missingLabel = element.getAttribute("data-label-missing") || "–";
    var language = document.documentElement.lang || undefined;
    var numberFormat = new Intl.NumberFormat(language);
    var format = function (number) { return numberFormat.format(number); };
    var tiles = element.getAttribute("data-tiles");
    var categories = null;
    if (element.getAttribute("data-categories")) {
      try { categories = JSON.parse(element.getAttribute("data-categories")); } catch (e) { categories = null; }
    }
    var hatchId = "area-map-hatch-" + (++counter);

    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("boundaries: " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        if (!collection.features || !collection.features.length) { return; }
        element.hidden = false;
        var canvas = document.createElement("div");
        canvas.className = "area-map__canvas";
        canvas.setAttribute("aria-hidden", "true");
        element.insertBefore(canvas, element.firstChild);
        var map = L.map(canvas, {
          zoomControl: false,
          keyboard: false,
          attributionControl: false,
          scrollWheelZoom: false,
          zoomSnap: 0.25
        });
        if (tiles) {
          L.tileLayer(tiles, {
            attribution: element.getAttribute("data-attribution") || "",
            maxZoom: 19
          }).addTo(map);
        }
        var numbers = [];
        Object.keys(data.byCode).forEach(function (code) {
          if (data.byCode[code].value !== null) { numbers.push(data.byCode[code].value); }
        });
        var groups = categories ? [] : classes(numbers);
        var anyMissing = false;
        var used = {};
        function fillOf(entry) {
          if (categories) {
            var known = entry && entry.category && categories[entry.category];
            if (known) { used[entry.category] = true; return known[0]; }
            return null;
          }
          if (entry && entry.value !== null && groups.length) { return colourOf(groups, entry.value); }
          return null;
        }
        var layer = L.geoJSON(collection, {
          style: function (feature) {
            var fill = fillOf(data.byCode[feature.properties.code]);
            if (!fill) { anyMissing = true; }
            return {
              color: "#1f1f1f",
              weight: 1,
              fillOpacity: tiles ? 0.75 : 1,
              fillColor: fill || "url(#" + hatchId + ")"
            };
          },
          onEachFeature: function (feature, featureLayer) {
            var entry = data.byCode[feature.properties.code] ||
              { name: feature.properties.name || feature.properties.code, value: null };
            featureLayer.bindTooltip(tooltip(entry, missingLabel, !!categories), { sticky: true });
          }
        }).addTo(map);
        // Leaflet adds the layer (and creates its SVG) only once the map has a
        // view, so the hatch pattern is defined after fitting the bounds.
        map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        // Leaflet makes every shape with a tooltip a tab stop; inside aria-hidden
        // content a keyboard user would land on something no screen reader names.
        layer.eachLayer(function (shape) {
          var path = shape.getElement && shape.getElement();
          if (path) {
            path.setAttribute("tabindex", "-1");
            path.removeAttribute("aria-describedby");
          }
        });
        addHatch(map.getPanes().overlayPane.querySelector("svg"), hatchId);
        if (categories) {
          Object.keys(categories).forEach(function (code) {
            if (used[code]) { groups.push({ colour: categories[code][0], label: categories[code][1] }); }
          });
        }
        legend(element, categories ? (element.getAttribute("data-legend-title") || "") : data.title,
          groups, format, missingLabel, hatchId, anyMissing);
        element.setAttribute("data-area-map-ready", "");
      })
      .catch(function () {
        // Without boundaries the table alone stays, as without JavaScript.
        element.hidden = true;
      });
  }

  function start() {
    document.querySelectorAll("[data-area-map]").forEach(build);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
