/* What sits on and around the map: the count, notices, the legend, full screen, background tiles, the
 * embed's bar, and the map page's search field.
 * Part of the atlas map (see atlas_map.js); `m` is one map instance. */
(function (root) {
  "use strict";

  var engine = root.atlasEngine = root.atlasEngine || {};
  var atlasData = root.atlasData, element = atlasData.element, format = atlasData.format;
  var normalizeQuery = atlasData.normalizeQuery, foldForSearch = atlasData.foldForSearch;

  var TILE_FAILURE_MS = 8000;
  var SEARCH_PAUSE_MS = 250;  // a pause while typing counts as Enter

  function number(m, value) {
    try { return Number(value).toLocaleString(m.lang === "en" ? "en-GB" : "de-DE"); }
    catch (error) { return String(value); }
  }

  function htmlControl(m, position, className) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", className);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(m.map);
    return control.getContainer();
  }

  engine.buildControls = function (m) {
    var args = m.args;
    if (args.mode !== "present" && L.control.fullscreen) {
      L.control.fullscreen({position: "topleft", title: args.texts.fullscreen_on,
                            titleCancel: args.texts.fullscreen_off}).addTo(m.map);
    }
    if (args.sites && args.sites.filter) {  // the count of a filter (numbered sites are counted by the page)
      m.statusBox = htmlControl(m, "topright", "sa-status");
      m.statusBox.setAttribute("role", "status");
      m.statusBox.setAttribute("aria-live", "polite");
    }
    m.noticeBox = htmlControl(m, "bottomright", "sa-notice");
    m.noticeBox.hidden = true;
    if (args.legend_html) {
      m.legendBox = htmlControl(m, args.mode === "present" || args.districts ? "bottomright" : "bottomleft",
                                "sa-map-control");
    }
    if (args.mode === "embed") {
      var bar = m.root.querySelector(".sa-bar");
      bar.hidden = false;
      // the chosen site, named under the map; its line is kept from the start, so nothing moves later
      m.barSite = element("div", "sa-bar-site", "\u00a0");
      m.barSite.hidden = !args.selected;
      m.barCount = element("span", "sa-bar-count");
      m.atlasLink = element("a", "sa-bar-link");
      m.atlasLink.target = "_blank";
      m.atlasLink.rel = "noopener";
      m.barAttribution = element("div", "sa-bar-attribution");
      bar.replaceChildren(m.barSite, m.barCount, m.atlasLink, m.barAttribution);
    }
  };

  engine.updateTexts = function (m) {
    var args = m.args, container = m.map.getContainer();
    if (m.host.setLanguage) { m.host.setLanguage(args.lang); }
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", args.texts.map_label);
    if (m.zoomControl) {  // the page's language may change while the map stays
      [[m.zoomControl._zoomInButton, args.texts.zoom_in], [m.zoomControl._zoomOutButton, args.texts.zoom_out]]
        .forEach(function (pair) {
          pair[0].title = pair[1];
          pair[0].setAttribute("aria-label", pair[1]);
        });
    }
    if (m.legendBox && m.legendHtml !== args.legend_html) {
      m.legendHtml = args.legend_html;
      var body = element("div");
      body.innerHTML = args.legend_html;  // built in Python with every data text escaped
      if (args.legend_folded === false) {
        m.legendBox.replaceChildren(body);
      } else {
        var details = element("details", "sa-legend-box");
        details.appendChild(element("summary", null, args.texts.legend));
        details.appendChild(body);
        details.open = args.mode === "present";
        m.legendBox.replaceChildren(details);
      }
    }
    if (m.atlasLink) {
      m.atlasLink.textContent = args.texts.open_atlas + " ↗";
      m.barAttribution.textContent = args.texts.attribution;
      engine.updateAtlasLink(m, m.selected);
    }
  };

  engine.siteLink = function (m, siteId) {
    var url = new URL(m.args.atlas_url, window.location.href);
    url.searchParams.set("site", siteId);
    return url.href;
  };

  engine.updateAtlasLink = function (m, siteId) {
    if (!m.atlasLink) { return; }
    var url = new URL(m.args.atlas_url, window.location.href);
    if (siteId) { url.searchParams.set("site", siteId); }
    m.atlasLink.href = url.href;
  };

  engine.showCount = function (m, shown) {
    if (!m.statusBox) { return; }
    var texts = m.args.texts, total = m.data.count;
    var text = shown === 0 ? texts.none_match
      : format(texts.count, {shown: number(m, shown), total: number(m, total)});
    if (m.statusBox.textContent !== text) { m.statusBox.textContent = text; }
    if (m.barCount) {
      m.barCount.textContent = shown === 1 ? texts.count_one : format(texts.count_short, {count: number(m, shown)});
    }
  };

  engine.showNotice = function (m, text) {
    m.noticeBox.hidden = !text;
    m.noticeBox.textContent = text || "";
  };

  /* Background tiles, only when the visitor switched them on. A tile server that cannot be reached is
   * named in a notice; the map keeps working on its own layers. */
  engine.updateTiles = function (m) {
    var args = m.args, key = args.tiles ? args.tiles.url : null;
    if (key === m.tilesKey) { return; }
    m.tilesKey = key;
    if (m.tiles) { m.map.removeLayer(m.tiles); m.tiles = null; }
    clearTimeout(m.tileTimer);
    engine.showNotice(m, null);
    if (!args.tiles) {
      m.map.setMaxZoom(engine.MAX_ZOOM_WITHOUT_TILES);
      return;
    }
    var loaded = 0, failed = 0, layer = L.tileLayer(args.tiles.url, {
      attribution: args.tiles.attribution_html, maxZoom: args.tiles.max_zoom, pane: "tilePane"
    });
    var failedText = format(args.texts.tiles_failed, {host: args.tiles.host});
    layer.on("tileload", function () { loaded += 1; if (loaded === 1) { engine.showNotice(m, null); } });
    layer.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2) { engine.showNotice(m, failedText); }
    });
    m.tileTimer = setTimeout(function () {
      if (!loaded && m.tiles === layer) { engine.showNotice(m, failedText); }
    }, TILE_FAILURE_MS);
    m.map.setMaxZoom(args.tiles.max_zoom);
    m.tiles = layer.addTo(m.map);
  };

  // --- the search field ------------------------------------------------------------------------------
  // On the map page the search field is part of the map: a typed search (Enter, or a short pause while
  // typing) is folded here as the server folds it and drawn at once; then the value carries the text (q)
  // with its counter (qn), Python puts it into the URL and echoes the counter back in `search.n`. Until
  // that echo arrives the map keeps its own search over the one in the arguments.

  function searchInput(m) { return m.root.querySelector(".sa-search input"); }

  /* Once per map: Enter searches at once, a pause while typing a moment later. */
  engine.setupSearch = function (m) {
    var form = m.root.querySelector(".sa-search"), input = searchInput(m);
    engine.followProgramButtons(m);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runSearch(m);
    });
    input.addEventListener("input", function () {
      clearTimeout(m.searchTimer);
      m.searchTimer = setTimeout(function () { runSearch(m); }, SEARCH_PAUSE_MS);
    });
  };

  /* Has Python seen the map's latest typed search? (It echoes the counter of the last one it applied.) */
  function searchEchoed(m, args) {
    var echo = args.search || {};
    return m.queryN === 0 || (echo.instance === m.map._atlasInstance && echo.n >= m.queryN);
  }

  /* The filter to draw: the arguments' filter, with the map's own search while Python has not echoed it,
   * and the programs just clicked in the filter panel until Python's next arguments. */
  engine.effectiveFilter = function (m, args) {
    var filter = args.sites.filter;
    if (!m.localQuery && !m.localPrograms) { return filter; }
    var spec = {};
    Object.keys(filter).forEach(function (name) { spec[name] = filter[name]; });
    if (m.localQuery) { spec.q = m.localQuery.folded; }
    if (m.localPrograms) {
      var anyOf = {};
      Object.keys(filter.any_of || {}).forEach(function (name) { anyOf[name] = filter.any_of[name]; });
      if (m.localPrograms.length) { anyOf.program = m.localPrograms; } else { delete anyOf.program; }
      spec.any_of = anyOf;
    }
    return spec;
  };

  /* The filter panel's program buttons (Streamlit's, outside the map; their place and labels come with the
   * search's arguments): a click draws the chosen programs at once, as a typed search does, while the click
   * goes to Python as usual, whose next arguments then say the same (or win, if they say otherwise). */
  var programMaps = [];
  function onProgramClick(event) {
    programMaps = programMaps.filter(function (m) { return m.map; });
    programMaps.forEach(function (m) {
      var buttons = m.args && m.args.search && m.args.search.program_buttons;
      var button = buttons && event.target.closest && event.target.closest(buttons.scope + " button[aria-pressed]");
      var code = button && buttons.labels[button.textContent.trim()];
      if (!code) { return; }
      var current = (engine.effectiveFilter(m, m.args).any_of || {}).program || [];
      var chosen = button.getAttribute("aria-pressed") !== "true";  // the state before this click
      var programs = current.filter(function (other) { return other !== code; });
      if (chosen) { programs.push(code); }
      m.localPrograms = programs.sort();
      m.renderStarted = performance.now();
      engine.redraw(m);
    });
  }

  engine.followProgramButtons = function (m) {
    if (!programMaps.length) { document.addEventListener("click", onProgramClick, true); }
    programMaps.push(m);
  };

  function currentQueryText(m) {
    if (m.localQuery) { return m.localQuery.text; }
    return normalizeQuery((m.args.search || {}).text || "");
  }

  /* Filter and draw now, then tell Python (which writes `?q=` and updates the rest of the page). */
  function runSearch(m) {
    clearTimeout(m.searchTimer);
    m.searchTimer = null;
    if (!m.args || !m.map) { return; }
    var text = normalizeQuery(searchInput(m).value);
    if (text === currentQueryText(m)) { return; }
    m.queryN += 1;
    m.queryText = text;
    m.localQuery = {text: text, folded: foldForSearch(text)};
    m.reportQuery = true;
    m.renderStarted = performance.now();
    engine.redraw(m);
  }

  /* The field's label and text from the arguments. The text is replaced only when Python changed it
   * (a deep link, the filter reset), never while the visitor types or a typed search is on its way. */
  engine.updateSearchField = function (m) {
    var args = m.args, form = m.root.querySelector(".sa-search");
    form.hidden = !args.search;
    if (!args.search) { return; }
    var input = searchInput(m), search = args.search;
    m.root.querySelector(".sa-search label").textContent = search.label;
    input.placeholder = search.placeholder || "";
    input.maxLength = search.max_chars || atlasData.MAX_QUERY_CHARS;
    if (!m.map || !searchEchoed(m, args)) { return; }
    m.localQuery = null;
    var serverText = normalizeQuery(search.text || "");
    if (!m.searchTimer && normalizeQuery(input.value) !== serverText) { input.value = search.text || ""; }
  };
})(window);
