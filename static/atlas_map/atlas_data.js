/* The atlas map's data side, without Leaflet: reading the data files, the filter, small DOM helpers.
 * Loaded before atlas_map.js, which uses it as window.atlasData; the browser tests call it too. A parsed
 * file is shared by every map of the page and must not be changed (prepareSites builds its own columns). */
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

  /* Data files: fetched once per URL and page (a new data version has a new URL) by `atlasBoot.fetch`,
   * which the page's loader (atlas_loader.js) defines; it starts both fetches while Leaflet and this code
   * load. The offline export puts the parsed files into `atlasBoot.inline` instead. */
  var boot = root.atlasBoot = root.atlasBoot || {};
  boot.fetched = boot.fetched || {};
  boot.inline = boot.inline || {};

  function prefetch(url) {
    if (url && !boot.fetched[url] && !boot.inline[url]) { boot.fetched[url] = boot.fetch(url); }
  }

  /* Gzip is inflated here (Streamlit's static files are not compressed), unless a proxy inflated it. */
  function parseBytes(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes.length > 1 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).text().then(JSON.parse);
    }
    return JSON.parse(new TextDecoder("utf-8").decode(bytes));  // a proxy already inflated it
  }

  /* A data file as JSON, parsed once per page and URL (several maps of a page share it). */
  var parsed = {};
  function fetchJson(url) {
    if (boot.inline[url]) { return Promise.resolve(boot.inline[url]); }
    if (!parsed[url]) {
      prefetch(url);
      parsed[url] = boot.fetched[url].then(parseBytes);
      parsed[url].catch(function () { delete parsed[url]; delete boot.fetched[url]; });  // try again next time
    }
    return parsed[url];
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

  /* The sites file as columns for drawing and filtering; once per parsed file (a page's maps share it). */
  var prepared = new WeakMap();
  function prepareSites(payload) {
    if (!prepared.has(payload)) { prepared.set(payload, prepareColumns(payload)); }
    return prepared.get(payload);
  }

  function prepareColumns(payload) {
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

  // --- the search text, read as the server reads it ---------------------------------------------------
  // Python's `geo.sites.filters`: `parse_filter_params` collapses white space and keeps 100 characters,
  // `fold_text` (`geo.sites.rules.fold_for_search`) folds. The map folds a typed search itself, so it can
  // filter before the server answers; tests/browser/test_map_engine.py compares both on every character.

  // Python's white space (str.isspace, re's \s), which is not quite JavaScript's \s
  var SPACE = "\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var SPACES = new RegExp("[" + SPACE + "]+", "g");
  var SPACE_AT_ENDS = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  var SPACE_AROUND_DASH = new RegExp("[" + SPACE + "]*-[" + SPACE + "]*", "g");
  var SPACE_AROUND_SLASH = new RegExp("[" + SPACE + "]*/[" + SPACE + "]*", "g");
  var DASHES = /[\u2010-\u2015\u2212]/g;
  var MARKS = /[\p{Mn}\p{Mc}]/gu;
  var TRANSLITERATION = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"};
  var CHEROKEE = /[\u13a0-\u13fd\uab70-\uabbf]/;  // Unicode folds Cherokee to its capitals
  var DOTLESS_I = "\u0131";
  var IOTA_BELOW = "\u0345";  // the one mark of combining class 240, the highest
  var MAX_QUERY_CHARS = 100;  // geo.sites.filters.MAX_QUERY_LENGTH

  /* Python's str.casefold, character by character: upper then lower case gives the full folding
   * (ß → ss, ς → σ, ᾀ → ἀι) except for the dotless i and Cherokee. */
  function casefold(text) {
    return text.replace(/[^]/gu, function (c) {
      if (c === DOTLESS_I) { return c; }
      if (CHEROKEE.test(c)) { return c.toUpperCase(); }
      return c.toUpperCase().toLowerCase();
    });
  }

  /* Python's unicodedata.combining(mark) != 0, from the browser's own Unicode data: canonical ordering
   * moves a mark of class 1..239 in front of the iota below (class 240). */
  function hasCombiningClass(mark) {
    return mark === IOTA_BELOW || (IOTA_BELOW + mark).normalize("NFD") !== IOTA_BELOW + mark;
  }

  /* geo.sites.rules.fold_for_search: 'Görlitz', 'GOERLITZ' and 'gorlitz' all give 'gorlitz'. */
  function foldForSearch(text) {
    var folded = casefold(String(text).normalize("NFC").replace(SPACE_AT_ENDS, ""));
    folded = folded.replace(/[äöüßẞ]/g, function (c) { return TRANSLITERATION[c]; });
    folded = folded.normalize("NFKD").replace(MARKS, function (mark) { return hasCombiningClass(mark) ? "" : mark; });
    folded = folded.replace(DASHES, "-").replace(SPACE_AROUND_DASH, "-").replace(SPACE_AROUND_SLASH, "/");
    folded = folded.replace(SPACES, " ").replace(SPACE_AT_ENDS, "");
    return folded.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  }

  /* The search text as the server keeps it (URL `q`): white space collapsed, at most 100 characters. */
  function normalizeQuery(text) {
    var collapsed = String(text).replace(SPACES, " ").replace(SPACE_AT_ENDS, "");
    var chars = Array.from(collapsed);
    return chars.length > MAX_QUERY_CHARS ? chars.slice(0, MAX_QUERY_CHARS).join("") : collapsed;
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  root.atlasData = {format: format, element: element, fetchJson: fetchJson, prefetch: prefetch,
                    prepareSites: prepareSites,
                    compileFilter: compileFilter, escapeHtml: escapeHtml, foldForSearch: foldForSearch,
                    normalizeQuery: normalizeQuery, MAX_QUERY_CHARS: MAX_QUERY_CHARS};
  if (typeof module !== "undefined" && module.exports) { module.exports = root.atlasData; }  // Node's tests
})(typeof window !== "undefined" ? window : globalThis);
