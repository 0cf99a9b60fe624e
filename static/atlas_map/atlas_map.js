/* The atlas map: every map of the app (site map, embed, slides, district and zone maps, the comparison's
 * map, the offline export) is one instance of this engine, drawn from the data files and a few small
 * arguments. The modules: atlas_data.js (data files, filter, search folding), polyline.js, atlas_layers.js
 * (the map, states, districts, zones, towns), atlas_sites.js (markers, clusters, ring), atlas_controls.js
 * (count, legend, tiles, embed bar, search field) and this file (an instance and its hosts).
 *
 * Arguments (built by views/atlas_map.py; see docs/map-engine.md):
 *  - base_url, sites_url: the data files, fetched once per URL and page;
 *  - sites: {filter, numbered} or null (no sites): the filter spec {any_of, at_least, at_most, q} is
 *    applied here; `numbered` lists site ids drawn as numbers 1, 2, … instead;
 *  - districts: null, or the districts' colours {colours, hatched, values, value_label, clickable,
 *    selected, zones, others, …} for an indicator or a zone map;
 *  - selected, bounds, fit_districts, tiles, mode, texts, programs, legend_html, search, focus_state.
 * After the markers (or districts) of the current arguments are on the map and painted:
 *    <root>.dataset.atlasRender = document.body.dataset.atlasRender = "<sequence>:<sites shown>"
 * window.atlasMap is the newest Leaflet map, window.atlasMap._atlasInstance a random id fixed at creation.
 * A click on a site (or a search with a single hit) sets the value
 *    {event: "click" | "single", site, n, instance, q, qn}; a click on a district {event: "district", district, n}.
 *
 * Every text from data reaches the DOM through textContent or Leaflet's text APIs, never as HTML; the only
 * HTML inserted is the legend, which Python builds with every data text escaped.
 */
(function (root) {
  "use strict";

  var engine = root.atlasEngine = root.atlasEngine || {};
  var atlasData = root.atlasData;

  var SINGLE_HIT_ZOOM = 10;
  var TOWNS_AROUND_A_HIT = 2;  // a single hit is shown with this many of the nearest town labels
  var SITES_FIT_MAX_ZOOM = 11;
  var BOUNDS_MAX_ZOOM = 12;

  // --- an instance -------------------------------------------------------------------------------------

  /* A map in `host.root` (an element holding .sa-search, .sa-map and .sa-bar, see SKELETON). The host
   * delivers the arguments (instance.render) and takes the value (host.setValue). */
  engine.create = function (host) {
    var m = {
      host: host, root: host.root, mapNode: host.root.querySelector(".sa-map"),
      args: null, map: null, data: null, base: null, loading: null, loadedUrls: null,
      markers: [], fullMarkers: [], shown: [], filterKey: null, query: "", sequence: 0, clicks: 0,
      selected: null, appliedSelected: undefined, userMoved: false, fitBounds: null,
      queryText: "", queryN: 0, localQuery: null, localPrograms: null, reportQuery: false, searchTimer: null,
      lastEvent: null
    };
    engine.latest = m;
    return {
      render: function (args) { render(m, args); },
      destroy: function () { destroy(m); },
      state: m
    };
  };

  function destroy(m) {
    clearTimeout(m.searchTimer);
    clearTimeout(m.tileTimer);
    if (m.map) { m.map.remove(); }
    if (root.atlasMap === m.map) { delete root.atlasMap; }
    if (engine.latest === m) { engine.latest = null; }
    m.map = null;
    m.args = null;
  }

  function render(m, args) {
    m.renderStarted = performance.now();
    m.args = args;
    m.localPrograms = null;  // Python's filter wins from its next arguments on (see onProgramClick)
    m.lang = args.lang;
    if (m.host.fit) { m.host.fit(args); }
    var created = !m.map;
    if (created) {
      engine.updateSearchField(m);  // before the map: the field takes its share of the height
      m.map = engine.createMap(m);
      root.atlasMap = m.map;
      engine.buildControls(m);
      if (args.search) { engine.setupSearch(m); }
    }
    engine.updateSearchField(m);
    engine.updateTexts(m);
    // the controls below the map (the embed's status bar) took their height from it: measured now, while
    // nothing is drawn, Leaflet's size is right before the first view is set (later, the size change
    // would fit and draw everything a second time)
    if (created) { m.map.invalidateSize({pan: false}); }
    engine.updateTiles(m);
    var urls = args.base_url + " " + (args.sites ? args.sites_url : "");
    if (!m.loading || m.loadedUrls !== urls) {
      m.loadedUrls = urls;
      m.loading = Promise.all([atlasData.fetchJson(args.base_url),
                               args.sites ? atlasData.fetchJson(args.sites_url) : null]).then(function (files) {
        m.baseToDraw = !m.base;
        m.base = files[0];
        var sites = files[1] ? atlasData.prepareSites(files[1]) : null;
        if (sites !== m.data) {
          if (m.cluster) { m.map.removeLayer(m.cluster); }
          m.cluster = m.fullGroup = m.filteredGroup = null;
          m.markers = [];
          m.fullMarkers = [];
          m.data = sites;
        }
        m.filterKey = null;
      });
      m.loading.catch(function (error) {
        if (m.args) { engine.showNotice(m, m.args.texts.data_failed); }
        if (root.console) { console.error(error); }
      });
    }
    m.loading.then(function () { apply(m, m.args); });
  }

  /* Draw again with the current arguments (a typed search changed the filter). */
  engine.redraw = function (m) {
    var args = m.args;
    m.loading.then(function () { apply(m, args); });
  };

  // --- drawing -------------------------------------------------------------------------------------

  function filterSites(m, spec) {
    var test = atlasData.compileFilter(spec, m.data), shown = [];
    for (var i = 0; i < m.data.count; i++) { if (test(i)) { shown.push(i); } }
    return shown;
  }

  function siteSelection(m, args) {
    if (args.sites.numbered) {
      return args.sites.numbered.map(function (id) { return m.data.indexOf[id]; })
        .filter(function (index) { return index !== undefined; });
    }
    return filterSites(m, engine.effectiveFilter(m, args));
  }

  /* JSON with every object's keys in order: the same filter from Python or from the map's own click is
   * the same key, and is not drawn twice. */
  function canonicalJson(value) {
    if (Array.isArray(value)) { return "[" + value.map(canonicalJson).join(",") + "]"; }
    if (value && typeof value === "object") {
      return "{" + Object.keys(value).sort().map(function (name) {
        return JSON.stringify(name) + ":" + canonicalJson(value[name]);
      }).join(",") + "}";
    }
    return JSON.stringify(value);
  }

  function apply(m, args) {
    if (args !== m.args || !m.map) { return; }  // a newer render came in meanwhile, or the map is gone
    engine.focusState(m, args.focus_state);
    var firstDraw = m.baseToDraw;
    if (firstDraw) {
      m.baseToDraw = false;
      // The first view is set before anything is drawn: fitting the map after the outlines are on it
      // projects every outline again (about 30 ms of a first page load).
      var view = fixedView(m, args);
      if (view) {
        m.fitBounds = view;
        m.viewKey = JSON.stringify(view);  // `refit` below has nothing left to do
        engine.fitTo(m, view, BOUNDS_MAX_ZOOM);
      }
      if (!args.sites) { engine.drawBase(m); }
    }
    engine.updateDistricts(m);
    if (!args.sites) {
      refit(m, args);
      afterPaint(m, 0);
      return;
    }
    m.numbered = Boolean(args.sites.numbered);
    var spec = args.sites.numbered ? {numbered: args.sites.numbered} : engine.effectiveFilter(m, args);
    var filterKey = canonicalJson(spec) + "|" + m.loadedUrls;
    var selectedChanged = args.selected !== m.appliedSelected;
    m.appliedSelected = args.selected;
    if (filterKey === m.filterKey) {
      refit(m, args);
      // the ring is drawn already when the site was chosen here (a click, a single search hit)
      if (selectedChanged && args.selected !== m.selected) {
        engine.drawRing(m, args.selected, true);
        afterPaint(m, m.shown.length);
      }
      if (m.reportQuery) { report(m); }  // a search that folds as the current one ("Goerlitz", "Görlitz")
      return;
    }
    var previousQuery = m.query;
    var firstSites = m.filterKey === null;
    m.filterKey = filterKey;
    m.query = spec.q || "";
    var shown = m.shown = siteSelection(m, args);
    engine.showCount(m, shown.length);
    var single = shown.length === 1 && m.query && m.query !== previousQuery && !m.numbered;
    engine.drawSites(m, shown, function setView() {
      setSitesView(m, args, shown, single);
      // the outlines go on once the view is set: drawn before, every one would be projected twice
      if (firstDraw) { engine.drawBase(m); }
    }, function drawn() {
      var singleChosen = null;  // a search with one hit chooses that site (after the signal below)
      if (single && m.data.values.site_id[shown[0]] !== args.selected) { singleChosen = shown[0]; }
      // a site chosen here keeps its ring until Python's arguments name another
      var ringed = singleChosen !== null ? m.data.values.site_id[singleChosen]
        : selectedChanged ? args.selected : m.selected;
      engine.drawRing(m, ringed, singleChosen === null && (firstSites || selectedChanged));
      engine.placeTownLabels(m);
      // Python hears of a typed search (or its single hit) once the markers are painted: the rerun it
      // starts keeps the browser busy for a while, and the visitor should see the new markers first.
      afterPaint(m, shown.length, function () {
        if (singleChosen !== null) { engine.chooseSite(m, singleChosen, "single"); }
        else if (m.reportQuery) { report(m); }
      });
    });
  }

  /* A single hit in its context: the site with its nearest towns (their labels in view, hence the wide
   * padding), never closer than SINGLE_HIT_ZOOM, so the district and its towns say where it is. */
  function showInContext(m, index) {
    var site = L.latLng(m.data.lat[index], m.data.lon[index]);
    // from the base file, not the drawn labels: on a first draw the view is set before the labels exist
    var nearest = m.base.towns.slice().sort(function (a, b) {
      return site.distanceTo([a[0], a[1]]) - site.distanceTo([b[0], b[1]]);
    }).slice(0, TOWNS_AROUND_A_HIT);
    var bounds = L.latLngBounds([site, site]);
    nearest.forEach(function (town) { bounds.extend([town[0], town[1]]); });
    m.map.fitBounds(bounds, {padding: [56, 32], animate: false, maxZoom: Math.min(SINGLE_HIT_ZOOM, m.map.getMaxZoom())});
  }

  /* The view for the sites `shown`: a search's single hit in its surroundings, a new filter on its sites,
   * or the view the arguments fix. */
  function setSitesView(m, args, shown, single) {
    if (single) {
      m.userMoved = true;
      showInContext(m, shown[0]);
    } else if (!fixedView(m, args) && shown.length) {
      // a new filter opens on its sites, as a freshly drawn map would
      m.fitBounds = engine.boundsOf(m, shown);
      m.userMoved = false;
      engine.fitTo(m, m.fitBounds, SITES_FIT_MAX_ZOOM);
    } else {
      refit(m, args);
    }
  }

  /* The view the arguments fix: explicit bounds (slides) or the districts to show (a zone), else null. */
  function fixedView(m, args) {
    if (args.bounds) { return args.bounds; }
    if (args.fit_districts && m.base) { return engine.districtBounds(m, args.fit_districts); }
    return null;
  }

  /* Fit again when the arguments fix a view that changed (another slide, another zone). */
  function refit(m, args) {
    var view = fixedView(m, args), key = JSON.stringify(view);
    if (view && key !== m.viewKey) {
      m.viewKey = key;
      m.fitBounds = view;
      m.userMoved = false;
      engine.fitTo(m, view, BOUNDS_MAX_ZOOM);
    } else if (view) {
      m.viewKey = key;
    }
  }

  /* The render signal, once the browser has painted what was drawn (a frame, then the next task); then
   * `then`, if given. */
  function afterPaint(m, shown, then) {
    requestAnimationFrame(function () {
      setTimeout(function () {
        if (!m.map) { return; }
        m.sequence += 1;
        var value = m.sequence + ":" + shown;
        m.root.dataset.atlasRender = value;
        document.body.dataset.atlasRender = value;
        root.atlasLastDrawMs = performance.now() - m.renderStarted;  // render message to markers painted
        if (then) { then(); }
      }, 0);
    });
  }

  // --- what the visitor chooses ----------------------------------------------------------------------

  engine.chooseSite = function (m, index, event) {
    var siteId = m.data.values.site_id[index];
    engine.drawRing(m, siteId, false);
    if (m.args.mode === "embed") {
      engine.openEmbedPopup(m, index);
      engine.updateAtlasLink(m, siteId);
    }
    if (m.args.mode !== "atlas") { return; }  // only the map page acts on a chosen site (its profile)
    m.clicks += 1;
    m.lastEvent = {event: event, site: siteId, n: m.clicks};
    report(m);
  };

  engine.chooseDistrict = function (m, ags) {
    m.clicks += 1;
    m.lastEvent = {event: "district", district: ags, n: m.clicks};
    report(m);
  };

  /* The value: the last site or district chosen on the map and the last search typed into it, each with
   * its counter, so Python acts on each once (views/atlas_map.py: map_event, map_query). */
  function report(m) {
    m.reportQuery = false;
    var value = {instance: m.map._atlasInstance, q: m.queryText, qn: m.queryN};
    if (m.lastEvent) {
      Object.keys(m.lastEvent).forEach(function (name) { value[name] = m.lastEvent[name]; });
    }
    m.host.setValue(value);
  }

  // for the browser tests: the shipped filter on the newest map's data, as site ids
  root.atlasInternals = {
    filterSiteIds: function (spec) {
      var m = engine.latest;
      return filterSites(m, spec).map(function (index) { return m.data.values.site_id[index]; });
    }
  };

  // --- hosts ---------------------------------------------------------------------------------------

  /* The map's elements; Streamlit inserts them before the code arrives (views/atlas_map.py), the offline
   * export writes them into its page. */
  engine.SKELETON = '<div class="sa-atlas"><form class="sa-search" role="search" hidden><label></label>' +
    '<input type="search" autocomplete="off" spellcheck="false" enterkeyhint="search"></form>' +
    '<div class="sa-map"></div><div class="sa-bar" hidden></div></div>';

  function connectLabel(rootElement) {
    var input = rootElement.querySelector(".sa-search input");
    if (input && !input.id) {
      input.id = "sa-search-" + Math.random().toString(36).slice(2);
      rootElement.querySelector(".sa-search label").htmlFor = input.id;
    }
  }

  /* Height: fixed by Python (the page reserves it before the code arrives), or with `height.fill` as much
   * as the window has below the map's top (the embed fills the height the host page gives its iframe). */
  function fitHeight(rootElement, spec) {
    if (!spec || !spec.fill) { return; }
    var top = rootElement.getBoundingClientRect().top + window.scrollY;
    var height = Math.max(spec.min || 240, Math.min(spec.max || 2000, window.innerHeight - top - (spec.bottom || 4)));
    height = Math.round(height) + "px";
    if (rootElement.style.height !== height) { rootElement.style.height = height; }
  }

  var streamlitMaps = new WeakMap();

  /* Streamlit's components v2 (mounted in the page, no frame): called on mount and again whenever the
   * arguments change, with the same parent element; the map is created once per mount. Streamlit also
   * runs the cleanup of a call whose arguments were replaced before its promise resolved (the loader's
   * promise waits for the map's files: a language switch while they load), and that may come after the
   * later call already drew on this map. So the cleanup removes the map only once its element has left
   * the page (the component unmounted), checked a task later. */
  engine.mountStreamlit = function (component) {
    var parent = component.parentElement, instance = streamlitMaps.get(parent);
    if (!instance) {
      var rootElement = parent.querySelector(".sa-atlas");
      if (!rootElement) {
        parent.insertAdjacentHTML("beforeend", engine.SKELETON);
        rootElement = parent.querySelector(".sa-atlas");
      }
      connectLabel(rootElement);
      instance = engine.create({
        root: rootElement,
        setValue: function (value) { component.setStateValue("value", value); },
        fit: function (args) { fitHeight(rootElement, args.height); }
      });
      streamlitMaps.set(parent, instance);
      var onResize = function () { if (instance.state.args) { fitHeight(rootElement, instance.state.args.height); } };
      window.addEventListener("resize", onResize);
      instance.cleanup = function () {
        setTimeout(function () {
          if (parent.isConnected || streamlitMaps.get(parent) !== instance) { return; }
          window.removeEventListener("resize", onResize);
          instance.destroy();
          streamlitMaps.delete(parent);
        }, 0);
      };
    }
    instance.render(component.data);
    return instance.cleanup;
  };

  /* A page of its own (the offline export, geo/maps/export.py): the arguments and both data files are in
   * the page, as the JSON object {args, base, sites} in the script element with the id sa-page-data. */
  engine.mountPage = function () {
    var page = JSON.parse(document.getElementById("sa-page-data").textContent);
    var boot = root.atlasBoot;
    boot.inline[page.args.base_url] = page.base;
    if (page.sites) { boot.inline[page.args.sites_url] = page.sites; }
    document.body.insertAdjacentHTML("afterbegin", engine.SKELETON);
    var rootElement = document.querySelector(".sa-atlas");
    connectLabel(rootElement);
    var instance = engine.create({root: rootElement, setValue: function () {}});
    instance.render(page.args);
    return instance;
  };
})(window);
