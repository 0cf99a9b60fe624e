/* The atlas map's data side, without Leaflet: reading the data files, the filter, small DOM helpers.
 * Loaded before atlas_map.js, which uses it as window.atlasData; the browser tests call it too. */
(function (root) {
  "use strict";

  function format(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function fetchJson(url) {
    return fetch(url, {credentials: "same-origin"}).then(function (response) {
      if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
      return response.arrayBuffer();
    }).then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      if (bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
        return new Response(stream).text();
      }
      return new TextDecoder("utf-8").decode(bytes);  // a proxy already inflated it
    }).then(JSON.parse);
  }

  // --- data ------------------------------------------------------------------------------------------

  function column(data, name) {
    var kind = data.fields[name], raw = data.columns[name];
    if (kind === "code") {
      return raw.index.map(function (position) { return raw.values[position]; });
    }
    if (kind === "codes") {
      return raw.index.map(function (positions) { return positions.map(function (p) { return raw.values[p]; }); });
    }
    return raw;
  }

  function prepareSites(payload) {
    var data = {count: payload.count, fields: payload.fields, columns: payload.columns, values: {}};
    Object.keys(payload.fields).forEach(function (name) { data.values[name] = column(payload, name); });
    var factor = payload.coordinate_factor;
    data.lat = payload.lat.map(function (value) { return value / factor; });
    data.lon = payload.lon.map(function (value) { return value / factor; });
    data.searchShort = payload.search_short;
    data.searchLong = payload.search_long.index.map(function (p) { return payload.search_long.values[p]; });
    data.indexOf = {};
    data.values.site_id.forEach(function (id, index) { data.indexOf[id] = index; });
    return data;
  }

  /* The filter spec as one test per site: codes become sets, the query its words. */
  function compileFilter(spec, data) {
    var tests = [];
    var anyOf = spec.any_of || {}, atLeast = spec.at_least || {}, atMost = spec.at_most || {};
    Object.keys(anyOf).forEach(function (field) {
      var wanted = new Set(anyOf[field]), values = data.values[field];
      if (!values || !anyOf[field].length) { return; }
      if (data.fields[field] === "codes") {
        tests.push(function (i) { return values[i].some(function (code) { return wanted.has(code); }); });
      } else {
        tests.push(function (i) { return wanted.has(values[i]); });
      }
    });
    Object.keys(atLeast).forEach(function (field) {
      var limit = atLeast[field], values = data.values[field];
      if (values) { tests.push(function (i) { return values[i] !== null && values[i] >= limit; }); }
    });
    Object.keys(atMost).forEach(function (field) {
      var limit = atMost[field], values = data.values[field];
      if (values) { tests.push(function (i) { return values[i] !== null && values[i] <= limit; }); }
    });
    var words = String(spec.q || "").split(" ").filter(Boolean);
    if (words.length) {
      tests.push(function (i) {
        var short = data.searchShort[i], long = data.searchLong[i];
        return words.every(function (word) { return short.indexOf(word) >= 0 || long.indexOf(word) >= 0; });
      });
    }
    return function (i) {
      for (var k = 0; k < tests.length; k++) { if (!tests[k](i)) { return false; } }
      return true;
    };
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  root.atlasData = {format: format, element: element, fetchJson: fetchJson, prepareSites: prepareSites,
                    compileFilter: compileFilter, escapeHtml: escapeHtml};
})(window);
