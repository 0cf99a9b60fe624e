/* The atlas map: a Streamlit component (components API v1, hand-written protocol) that draws the sites
 * and base layers from data files and applies the filter in the browser.
 *
 * Protocol (see docs/map-engine.md):
 *  - Python sends on every rerun a few small arguments: the two data file URLs, the filter spec
 *    ({any_of, at_least, at_most, q}), the chosen site, language texts, tiles, mode, height.
 *  - The data files are fetched once per URL (a new data version has a new URL); a filter change only
 *    re-filters the cached columns and swaps the markers of the one cluster group: the Leaflet map is
 *    created once per mount and never rebuilt.
 *  - After the markers of the current filter are on the map:
 *      document.body.dataset.atlasRender = "<sequence>:<number of sites shown>"
 *    window.atlasMap is the Leaflet map, window.atlasMap._atlasInstance a random id fixed at creation.
 *  - A click on a site (or a search with a single hit) sets the component value
 *    {event: "click" | "single", site: <site_id>, n: <counter>, instance: <id>, q, qn}; Python reads it once.
 *  - The map page's search field is part of the map: a typed search (Enter, or a short pause while
 *    typing) is folded here as the server folds it and drawn at once; then the value carries the text
 *    (q) with its counter (qn), Python puts it into the URL and echoes the counter back in `search`.
 *    Until that echo arrives, the map keeps its own search over the one in the arguments.
 *
 * Every text from data reaches the DOM through textContent or Leaflet's text APIs, never as HTML; the
 * only HTML inserted is the legend, which Python builds with every data text escaped.
 */
(function () {
  "use strict";

  var FRAME_TITLE = "Standortatlas map";
  var FOUR_STATES = [[50.17, 9.87], [53.56, 15.05]];
  var MAX_ZOOM_WITHOUT_TILES = 13;
  var SITES_FIT_MAX_ZOOM = 11;
  var SINGLE_HIT_ZOOM = 10;
  var TOWNS_AROUND_A_HIT = 2;  // a single hit is shown with this many of the nearest town labels
  var CLUSTER_RADIUS_PX = 22;
  var CLUSTERING_OFF_AT_ZOOM = 10;
  var TILE_FAILURE_MS = 8000;
  var SEARCH_PAUSE_MS = 250;  // a pause while typing counts as Enter

  var state = {
    args: null, map: null, data: null, base: null, loading: null,
    markers: [], fullMarkers: [], shown: [], filterKey: null, query: "", sequence: 0, clicks: 0,
    selected: null, ring: null, tiles: null, tilesKey: null, lang: null,
    height: window.atlasBoot.height || 0,  // the start-up script (index.html) may have set it
    userMoved: false, fitBounds: null, announced: null,
    // the typed search: the text last sent to Python with its counter, the search not yet echoed back
    queryText: "", queryN: 0, localQuery: null, reportQuery: false, searchTimer: null, lastEvent: null
  };

  // --- Streamlit's component messages ----------------------------------------------------------------

  function send(type, data) {
    var message = {isStreamlitMessage: true, type: type};
    for (var name in data) { message[name] = data[name]; }
    window.parent.postMessage(message, "*");
  }

  function setValue(value) { send("streamlit:setComponentValue", {value: value, dataType: "json"}); }

  function setFrameHeight(height) {
    height = Math.round(height);
    if (Math.abs(height - state.height) < 2) { return; }
    state.height = height;
    send("streamlit:setFrameHeight", {height: height});
  }

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") { onRender(event.data.args || {}); }
  });

  try { if (window.frameElement) { window.frameElement.setAttribute("title", FRAME_TITLE); } }
  catch (error) { /* the frame's page is on another origin: it names the frame itself */ }

  // --- helpers (components/atlas_map/atlas_data.js) ---------------------------------------------------

  var format = atlasData.format, element = atlasData.element, fetchJson = atlasData.fetchJson;
  var prepareSites = atlasData.prepareSites, compileFilter = atlasData.compileFilter;
  var escapeHtml = atlasData.escapeHtml, foldForSearch = atlasData.foldForSearch;
  var normalizeQuery = atlasData.normalizeQuery;

  function number(value) {
    try { return Number(value).toLocaleString(state.lang === "en" ? "en-GB" : "de-DE"); }
    catch (error) { return String(value); }
  }

  function filterSites(spec) {
    var data = state.data, test = compileFilter(spec, data), shown = [];
    for (var i = 0; i < data.count; i++) { if (test(i)) { shown.push(i); } }
    return shown;
  }

  // --- the map ---------------------------------------------------------------------------------------

  function createMap(args) {
    var map = L.map("atlas-map", {
      zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 5, maxZoom: MAX_ZOOM_WITHOUT_TILES,
      keyboard: args.mode !== "present", preferCanvas: false, attributionControl: true, zoomControl: false,
      // on a touch screen one finger scrolls the page (no trap); two fingers move and zoom the map
      dragging: !window.atlasBoot.touchScreen()
    });
    map._atlasInstance = Math.random().toString(36).slice(2) + Date.now().toString(36);
    window.atlasMap = map;
    state.map = map;
    map.attributionControl.setPrefix(false);
    // the zoom buttons are named in the page's language (Leaflet's own names are English)
    L.control.zoom({zoomInTitle: args.texts.zoom_in, zoomOutTitle: args.texts.zoom_out}).addTo(map);
    L.control.scale({imperial: false}).addTo(map);
    [["saDistricts", 350], ["saZones", 380], ["saStates", 390], ["saRing", 610], ["saTowns", 620]].forEach(
      function (pane) {
        var node = map.createPane(pane[0]);
        node.style.zIndex = pane[1];
        if (pane[0] !== "saDistricts") { node.style.pointerEvents = "none"; }
      });
    map.fitBounds(FOUR_STATES);
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { state.userMoved = true; }, {passive: true});
    });
    map.on("resize", function () { if (!state.userMoved && state.fitBounds) { fitTo(state.fitBounds); } });
    map.on("zoomend moveend", placeTownLabels);
    map.getContainer().addEventListener("focusin", function (event) { showSiteTooltip(focusedMarker(event.target)); });
    map.getContainer().addEventListener("focusout", function (event) {
      var marker = focusedMarker(event.target);
      if (marker) { marker.closeTooltip(); }
    });
    // sites and clusters are tab stops: Enter or Space acts as a click (choose the site; open the cluster)
    map.getContainer().addEventListener("keydown", function (event) {
      var target = event.target, classes = target.classList;
      if ((event.key === "Enter" || event.key === " ") && classes
          && (classes.contains("sa-cluster") || classes.contains("sa-site-marker"))) {
        event.preventDefault();
        target.click();
      }
    });
    return map;
  }

  /* Markers are clustered (colour ring by program) and added in chunks, so the page stays responsive. */
  function clusterGroup() {
    var group = L.markerClusterGroup({
      maxClusterRadius: CLUSTER_RADIUS_PX, disableClusteringAtZoom: CLUSTERING_OFF_AT_ZOOM,
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, chunkedLoading: true, chunkInterval: 250,
      chunkDelay: 1, iconCreateFunction: clusterIcon
    });
    group.on("click", function (event) {
      var index = event.layer && event.layer.options.siteIndex;
      if (index !== undefined) { chooseSite(index, "click"); }
    });
    group.on("mouseover", function (event) { showSiteTooltip(event.layer); });
    return group;
  }

  /* A marker that the keyboard reaches shows its name as the pointer would, and hides it when the focus
   * moves on. The marker element carries its site's index (data-site) to find its Leaflet marker. */
  function focusedMarker(element) {
    if (!element || !element.classList || !element.classList.contains("sa-site-marker")) { return null; }
    var holder = element.querySelector("[data-site]");
    var index = holder ? Number(holder.getAttribute("data-site")) : NaN;
    var pools = [state.markers, state.fullMarkers];
    for (var i = 0; i < pools.length; i++) {
      var marker = pools[i] && pools[i][index];
      if (marker && marker.getElement() === element) { return marker; }
    }
    return null;
  }

  function showSiteTooltip(marker) {
    if (!marker) { return; }  // the focus went to something else than a site (a cluster, a button)
    var index = marker.options.siteIndex;
    if (index === undefined) { return; }
    if (!marker.getTooltip()) {
      marker.bindTooltip(function () { return tooltipContent(index); },
                         {direction: "top", offset: [0, -10], className: "sa-site-tip"});
      marker.on("tooltipopen", function (event) { keepTooltipInside(marker, event.tooltip); });
    }
    marker.openTooltip();
  }

  /* A single hit in its context: the site with the nearest towns (their labels in view, hence the wide
   * padding), never closer than SINGLE_HIT_ZOOM. */
  function showInContext(index) {
    var site = L.latLng(state.data.lat[index], state.data.lon[index]);
    var nearest = (state.towns || []).slice().sort(function (a, b) {
      return site.distanceTo([a.lat, a.lon]) - site.distanceTo([b.lat, b.lon]);
    }).slice(0, TOWNS_AROUND_A_HIT);
    var bounds = L.latLngBounds([site, site]);
    nearest.forEach(function (town) { bounds.extend([town.lat, town.lon]); });
    state.map.fitBounds(bounds, {padding: [56, 32], animate: false,
                                 maxZoom: Math.min(SINGLE_HIT_ZOOM, state.map.getMaxZoom())});
  }

  function fitTo(bounds, maxZoom) {
    var wide = state.map.getSize().x > 480;
    var pad = state.args.mode === "atlas" && wide ? [48, 36] : [16, 16];
    state.map.fitBounds(bounds, {paddingTopLeft: pad, paddingBottomRight: pad,
                                 maxZoom: maxZoom || SITES_FIT_MAX_ZOOM, animate: false});
  }

  function hatchDefinitions(zoneStyles) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "0"); svg.setAttribute("height", "0"); svg.setAttribute("aria-hidden", "true");
    svg.style.position = "absolute";
    var defs = document.createElementNS(ns, "defs");
    Object.keys(zoneStyles).forEach(function (type) {
      var style = zoneStyles[type];
      var pattern = document.createElementNS(ns, "pattern");
      pattern.setAttribute("id", "sa-hatch-" + type);
      pattern.setAttribute("patternUnits", "userSpaceOnUse");
      pattern.setAttribute("width", "8"); pattern.setAttribute("height", "8");
      pattern.setAttribute("patternTransform", "rotate(" + Number(style.hatch_angle) + ")");
      var line = document.createElementNS(ns, "line");
      [["x1", 0], ["y1", 0], ["x2", 0], ["y2", 8], ["stroke", style.colour], ["stroke-width", 1.6],
       ["stroke-opacity", 0.45]].forEach(function (pair) { line.setAttribute(pair[0], String(pair[1])); });
      pattern.appendChild(line);
      defs.appendChild(pattern);
    });
    svg.appendChild(defs);
    document.body.appendChild(svg);
  }

  function polygons(item) {
    return item.p.map(function (rings) { return rings.map(function (ring) { return atlasPolyline.decode(ring); }); });
  }

  function drawBase(base, args) {
    var map = state.map, styles = args.styles;
    hatchDefinitions(args.zone_styles);
    var districtTip = L.tooltip({sticky: true, direction: "top", offset: [0, -6], className: "sa-district-tip"});
    state.districtLayer = L.layerGroup(base.districts.map(function (district) {
      var shape = L.polygon(polygons(district), L.extend({pane: "saDistricts"}, styles.district));
      // a shared tooltip on hover instead of bindTooltip: a bound tooltip makes every outline a tab stop
      shape.on("mouseover", function (event) {
        districtTip.setContent(districtText(district));
        districtTip.setLatLng(event.latlng);
        map.openTooltip(districtTip);
      });
      shape.on("mousemove", function (event) { districtTip.setLatLng(event.latlng); });
      shape.on("mouseout", function () { map.closeTooltip(districtTip); });
      return shape;
    })).addTo(map);
    state.districts = base.districts;
    base.zones.forEach(function (zone) {
      var style = args.zone_styles[zone.type] || {colour: "#5E3C99", weight: 2};
      L.polygon(polygons(zone), {pane: "saZones", color: style.colour, weight: style.weight,
                                 dashArray: style.dash || null, fill: true, fillOpacity: 1, interactive: false,
                                 className: "sa-zone sa-zone-" + zone.type}).addTo(map);
    });
    state.zoneNames = {};
    base.zones.forEach(function (zone) { state.zoneNames[zone.id] = zone; });
    state.stateShapes = {};
    base.states.forEach(function (region) {
      state.stateShapes[region.code] = L.polygon(polygons(region),
        L.extend({pane: "saStates", interactive: false}, styles.state)).addTo(map);
    });
    state.towns = base.towns.map(function (town) {
      var marker = L.marker([town[0], town[1]], {
        icon: L.divIcon({html: "<i></i><span></span>", className: "sa-town", iconSize: [0, 0]}),
        interactive: false, keyboard: false, pane: "saTowns"
      });
      marker.on("add", function () { marker.getElement().querySelector("span").textContent = town[2]; });
      marker.addTo(map);
      return {marker: marker, name: town[2], lat: town[0], lon: town[1]};
    });
    placeTownLabels();
    if (args.mode === "atlas") { addResearchLayer(base.research || [], args.texts); }
  }

  /* Universities and research institutes: a layer the visitor switches on (off at first). */
  function addResearchLayer(places, texts) {
    if (!places.length || !L.control.layers) { return; }
    var group = L.layerGroup(places.map(function (place) {
      var box = element("div");
      place[2].forEach(function (member) {
        box.appendChild(element("div", null, member[0] + " (" + (texts.research_kinds[member[1]] || member[1]) + ")"));
      });
      return L.circleMarker([place[0], place[1]], {radius: 4 + Math.min(place[2].length, 12) / 2, weight: 1,
        color: "#3d1f5c", fillColor: "#7b4fb0", fillOpacity: 0.8, className: "sa-research"}).bindTooltip(box);
    }));
    var overlays = {};
    overlays[texts.research_layer] = group;
    L.control.layers(null, overlays, {position: "topright", collapsed: false}).addTo(state.map);
  }

  function districtText(district) {
    var lines = [district.name];
    district.zones.forEach(function (id) {
      var zone = state.zoneNames[id];
      if (zone) { lines.push(state.lang === "en" ? zone.name_en : zone.name_de); }
    });
    var box = element("div");
    lines.forEach(function (line, index) { box.appendChild(element(index ? "div" : "strong", null, line)); });
    return box;
  }

  /* Largest towns first; a label that would overlap one already placed is hidden at this zoom. */
  function placeTownLabels() {
    if (!state.towns || !state.map) { return; }
    var placed = [], size = state.map.getSize();
    state.towns.forEach(function (town) {
      var point = state.map.latLngToContainerPoint([town.lat, town.lon]);
      var width = town.name.length * 6.4 + 6, height = 15;
      var box = {left: point.x - width / 2, right: point.x + width / 2, top: point.y - 19, bottom: point.y + 4};
      var inside = point.x > -50 && point.y > -20 && point.x < size.x + 50 && point.y < size.y + 20;
      var free = inside && placed.every(function (other) {
        return box.right < other.left || box.left > other.right || box.bottom < other.top || box.top > other.bottom;
      });
      var node = town.marker.getElement();
      if (node) { node.style.display = free ? "" : "none"; }
      if (free) { placed.push(box); }
    });
  }

  // --- markers ---------------------------------------------------------------------------------------

  function programOf(index) { return state.data.values.program[index]; }

  function programSymbol(program) {
    var programs = state.args.programs;
    return (programs[program] || programs[""] || {svg: ""}).svg;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var shares = {}, markers = cluster.getAllChildMarkers();
    markers.forEach(function (marker) { shares[marker.options.program] = (shares[marker.options.program] || 0) + 1; });
    var start = 0, stops = [];
    Object.keys(shares).sort().forEach(function (program) {
      var colour = (state.args.programs[program] || {colour: "#333333"}).colour;
      var end = start + shares[program] / count * 360;
      stops.push(colour + " " + start.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      start = end;
    });
    var html = '<span class="sa-cluster-ring" style="background: conic-gradient(' + stops.join(",") + ')">' +
      '<span class="sa-cluster-count">' + count + "</span></span>" +
      '<span class="sa-sr">' + count + " " + escapeHtml(state.args.texts.cluster_sites) + "</span>";
    return L.divIcon({html: html, className: "sa-cluster", iconSize: L.point(36, 36)});
  }

  function siteLabel(index) {
    var program = state.args.programs[programOf(index)];
    return state.data.values.name[index] + " (" + (program ? program.label : programOf(index)) + ")";
  }

  /* One marker per site and pool: the group of all sites keeps its own markers (a marker belongs to one
   * cluster group), the group of a filter reuses the other pool. */
  /* Kept light (10,000 of them): clicks, hover and keys are handled once per group and map, and a
   * marker's tooltip is bound the first time the pointer reaches it. */
  function markerFor(index, pool) {
    var marker = pool[index];
    if (marker) { return marker; }
    var program = programOf(index);
    var icon = L.divIcon({
      html: programSymbol(program) + '<span class="sa-sr" data-site="' + index + '">' + escapeHtml(siteLabel(index))
        + "</span>",
      className: "sa-site-marker", iconSize: [20, 20], iconAnchor: [10, 10]
    });
    marker = L.marker([state.data.lat[index], state.data.lon[index]], {icon: icon, riseOnHover: true,
                                                                      program: program, siteIndex: index});
    pool[index] = marker;
    return marker;
  }

  function tooltipContent(index) {
    var box = element("div");
    box.appendChild(element("strong", null, state.data.values.name[index]));
    var program = state.args.programs[programOf(index)];
    box.appendChild(element("div", null, program ? program.label : programOf(index)));
    var place = placeOf(index);
    if (place) { box.appendChild(element("div", "sa-tip-place", place)); }
    return box;
  }

  function placeOf(index) {
    var locality = state.data.values.locality[index], municipality = state.data.values.municipality[index];
    return [locality, municipality].filter(function (part, i, parts) {
      return part && parts.indexOf(part) === i;
    }).join(", ");
  }

  /* A tooltip near the map's edge opens towards the inside, so it is never cut off by the frame. */
  function keepTooltipInside(marker, tooltip) {
    var point = state.map.latLngToContainerPoint(marker.getLatLng()), size = state.map.getSize();
    var direction = "top", offset = [0, -10];
    if (point.y < 90) { direction = "bottom"; offset = [0, 10]; }
    if (point.x < 110) { direction = "right"; offset = [10, 0]; }
    else if (point.x > size.x - 110) { direction = "left"; offset = [-10, 0]; }
    if (tooltip.options.direction !== direction) {
      tooltip.options.direction = direction;
      tooltip.options.offset = offset;
      tooltip.update();
    }
  }

  /* The group of all sites is built once and kept: a filter that shows every site (or its reset) swaps it
   * back in at once; any other filter fills the second group with just its sites. */
  function drawMarkers(shown, done) {
    var everySite = shown.length === state.data.count;
    var target, fill = null;
    if (everySite) {
      if (!state.fullGroup) {
        state.fullGroup = clusterGroup();
        fill = state.data.values.site_id.map(function (id, index) { return markerFor(index, state.fullMarkers); });
      }
      target = state.fullGroup;
    } else {
      if (!state.filteredGroup) { state.filteredGroup = clusterGroup(); }
      target = state.filteredGroup;
      target.clearLayers();
      fill = shown.map(function (index) { return markerFor(index, state.markers); });
    }
    if (state.cluster !== target) {
      if (state.cluster) { state.map.removeLayer(state.cluster); }
      if (state.cluster && state.cluster !== state.fullGroup) { state.cluster.clearLayers(); }
      state.cluster = target;
      state.map.addLayer(target);
    }
    if (!fill || !fill.length) { done(); return; }
    var finished = false;
    // markercluster reports the last chunk before it finishes it (the clusters' bounds and icons, then
    // the markers and clusters onto the map); until then no cluster can be opened (zoomToShowLayer)
    target.options.chunkProgress = function (processed, total) {
      if (processed >= total && !finished) { finished = true; Promise.resolve().then(done); }
    };
    target.addLayers(fill);
  }

  function activeMarker(index) {
    return (state.cluster === state.fullGroup ? state.fullMarkers : state.markers)[index];
  }

  function signalRender(shown) {
    state.sequence += 1;
    document.body.dataset.atlasRender = state.sequence + ":" + shown;
    window.atlasLastDrawMs = performance.now() - state.renderStarted;  // render message to markers drawn
  }

  // --- the chosen site -------------------------------------------------------------------------------

  function drawRing(siteId, reveal) {
    if (state.ring) { state.map.removeLayer(state.ring); state.ring = null; }
    state.selected = siteId;
    var index = siteId === null || siteId === undefined ? undefined : state.data.indexOf[siteId];
    nameInBar(index);
    if (index === undefined) { return; }
    var latlng = [state.data.lat[index], state.data.lon[index]];
    state.ring = L.layerGroup([
      L.circleMarker(latlng, {radius: 16, color: "#1b2733", weight: 3, fill: false, interactive: false,
                              pane: "saRing", className: "sa-selected"}),
      L.circleMarker(latlng, {radius: 19, color: "#ffffff", weight: 2, fill: false, interactive: false,
                              pane: "saRing", className: "sa-selected"})
    ]).addTo(state.map);
    var marker = activeMarker(index);
    if (reveal && marker && state.cluster.hasLayer(marker) && state.cluster.getVisibleParent(marker) !== marker) {
      state.userMoved = true;
      state.cluster.zoomToShowLayer(marker);
    }
  }

  /* The embed names the chosen site under the map (name · program · place); the map gives up the line. */
  function nameInBar(index) {
    var key = index === undefined ? "" : state.data.values.site_id[index] + "|" + state.lang;
    if (!state.barSite || state.barSiteKey === key) { return; }
    state.barSiteKey = key;
    state.barSite.replaceChildren();
    state.barSite.hidden = !key;
    if (key) {
      var program = state.args.programs[programOf(index)];
      var rest = [program ? program.label : programOf(index), placeOf(index)].filter(Boolean);
      state.barSite.appendChild(element("strong", null, state.data.values.name[index]));
      state.barSite.appendChild(document.createTextNode(rest.map(function (part) { return " · " + part; }).join("")));
    }
    fitFrame(state.args);
  }

  function chooseSite(index, event) {
    var siteId = state.data.values.site_id[index];
    drawRing(siteId, false);
    if (state.args.mode === "embed") { openEmbedPopup(index); }
    state.clicks += 1;
    state.lastEvent = {event: event, site: siteId, n: state.clicks};
    report();
  }

  /* The component value: the last site chosen on the map and the last search typed into it, each with
   * its counter, so Python acts on each once (views/atlas_map.py: map_event, map_query). */
  function report() {
    state.reportQuery = false;
    var value = {instance: state.map._atlasInstance, q: state.queryText, qn: state.queryN};
    if (state.lastEvent) {
      value.event = state.lastEvent.event;
      value.site = state.lastEvent.site;
      value.n = state.lastEvent.n;
    }
    setValue(value);
  }

  function openEmbedPopup(index) {
    var box = element("div", "sa-popup");
    box.appendChild(element("strong", null, state.data.values.name[index]));
    var program = state.args.programs[programOf(index)];
    box.appendChild(element("div", null, program ? program.label : programOf(index)));
    var place = placeOf(index);
    if (place) { box.appendChild(element("div", null, place)); }
    var link = element("a", null, state.args.texts.open_profile + " ↗");
    link.href = siteLink(state.data.values.site_id[index]);
    link.target = "_blank";
    link.rel = "noopener";
    box.appendChild(link);
    L.popup({offset: [0, -6], autoPanPadding: [12, 12], maxWidth: 260})
      .setLatLng([state.data.lat[index], state.data.lon[index]]).setContent(box).openOn(state.map);
    updateAtlasLink(state.data.values.site_id[index]);
  }

  function siteLink(siteId) {
    var url = new URL(state.args.atlas_url, window.location.href);
    url.searchParams.set("site", siteId);
    return url.href;
  }

  // --- controls --------------------------------------------------------------------------------------

  function htmlControl(position, className) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var box = L.DomUtil.create("div", className);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(state.map);
    return control.getContainer();
  }

  function buildControls(args) {
    if (args.mode !== "present" && L.control.fullscreen) {
      L.control.fullscreen({position: "topleft", title: args.texts.fullscreen_on,
                            titleCancel: args.texts.fullscreen_off}).addTo(state.map);
    }
    state.statusBox = htmlControl("topright", "sa-status");
    state.statusBox.setAttribute("role", "status");
    state.statusBox.setAttribute("aria-live", "polite");
    state.noticeBox = htmlControl("bottomright", "sa-notice");
    state.noticeBox.hidden = true;
    if (args.legend_html) {
      state.legendBox = htmlControl(args.mode === "present" ? "bottomright" : "bottomleft", "sa-map-control");
    }
    if (args.mode === "embed") {
      var bar = document.getElementById("atlas-bar");
      bar.hidden = false;
      // the chosen site, named under the map; its line is kept from the start, so nothing moves later
      state.barSite = element("div", "sa-bar-site", "\u00a0");
      state.barSite.hidden = !args.selected;
      bar.appendChild(state.barSite);
      state.barCount = element("span", "sa-bar-count");
      state.atlasLink = element("a", "sa-bar-link");
      state.atlasLink.target = "_blank";
      state.atlasLink.rel = "noopener";
      state.barAttribution = element("div", "sa-bar-attribution");
      bar.appendChild(state.barCount);
      bar.appendChild(state.atlasLink);
      bar.appendChild(state.barAttribution);
    }
  }

  function updateTexts(args) {
    document.documentElement.lang = args.lang;
    var container = state.map.getContainer();
    container.setAttribute("role", "region");
    container.setAttribute("aria-label", args.texts.map_label);
    document.getElementById("atlas-heading").textContent = args.texts.map_label;
    try { if (window.frameElement) { window.frameElement.setAttribute("aria-label", args.texts.map_label); } }
    catch (error) { /* another origin */ }
    if (state.legendBox && state.legendHtml !== args.legend_html) {
      state.legendHtml = args.legend_html;
      var details = element("details", "sa-legend-box");
      var summary = element("summary", null, args.texts.legend);
      details.appendChild(summary);
      var body = element("div");
      body.innerHTML = args.legend_html;  // built in Python with every data text escaped
      details.appendChild(body);
      details.open = args.mode === "present";
      state.legendBox.replaceChildren(details);
    }
    if (state.atlasLink) {
      state.atlasLink.textContent = args.texts.open_atlas + " ↗";
      state.barAttribution.textContent = args.texts.attribution;
      updateAtlasLink(state.selected);
    }
  }

  function updateAtlasLink(siteId) {
    if (!state.atlasLink) { return; }
    var url = new URL(state.args.atlas_url, window.location.href);
    if (siteId) { url.searchParams.set("site", siteId); }
    state.atlasLink.href = url.href;
  }

  function showCount(shown) {
    var texts = state.args.texts, total = state.data.count;
    var text = shown === 0 ? texts.none_match : format(texts.count, {shown: number(shown), total: number(total)});
    if (state.statusBox.textContent !== text) { state.statusBox.textContent = text; }
    if (state.barCount) {
      state.barCount.textContent = shown === 1 ? texts.count_one : format(texts.count_short, {count: number(shown)});
    }
  }

  function showNotice(text) {
    state.noticeBox.hidden = !text;
    state.noticeBox.textContent = text || "";
  }

  /* Background tiles, only when the visitor switched them on. A tile server that cannot be reached is
   * named in a notice; the map keeps working on its own layers. */
  function updateTiles(args) {
    var key = args.tiles ? args.tiles.url : null;
    if (key === state.tilesKey) { return; }
    state.tilesKey = key;
    if (state.tiles) { state.map.removeLayer(state.tiles); state.tiles = null; }
    clearTimeout(state.tileTimer);
    showNotice(null);
    if (!args.tiles) {
      state.map.setMaxZoom(MAX_ZOOM_WITHOUT_TILES);
      return;
    }
    var loaded = 0, failed = 0, layer = L.tileLayer(args.tiles.url, {
      attribution: args.tiles.attribution_html, maxZoom: args.tiles.max_zoom, pane: "tilePane"
    });
    var failedText = format(args.texts.tiles_failed, {host: args.tiles.host});
    layer.on("tileload", function () { loaded += 1; if (loaded === 1) { showNotice(null); } });
    layer.on("tileerror", function () {
      failed += 1;
      if (!loaded && failed >= 2) { showNotice(failedText); }
    });
    state.tileTimer = setTimeout(function () { if (!loaded && state.tiles === layer) { showNotice(failedText); } },
                                 TILE_FAILURE_MS);
    state.map.setMaxZoom(args.tiles.max_zoom);
    state.tiles = layer.addTo(state.map);
  }

  // --- the search field ----------------------------------------------------------------------------

  function searchInput() { return document.getElementById("atlas-search-input"); }

  /* Once per mount: Enter searches at once, a pause while typing a moment later. */
  function setupSearch() {
    var form = document.getElementById("atlas-search"), input = searchInput();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runSearch();
    });
    input.addEventListener("input", function () {
      clearTimeout(state.searchTimer);
      state.searchTimer = setTimeout(runSearch, SEARCH_PAUSE_MS);
    });
  }

  /* Has Python seen the map's latest typed search? (It echoes the counter of the last one it applied.) */
  function searchEchoed(args) {
    var echo = args.search || {};
    return state.queryN === 0 || (echo.instance === state.map._atlasInstance && echo.n >= state.queryN);
  }

  /* The filter to draw: the arguments' filter, with the map's own search while Python has not echoed it. */
  function effectiveFilter(args) {
    if (!state.localQuery) { return args.filter; }
    var spec = {};
    Object.keys(args.filter).forEach(function (name) { spec[name] = args.filter[name]; });
    spec.q = state.localQuery.folded;
    return spec;
  }

  function currentQueryText() {
    if (state.localQuery) { return state.localQuery.text; }
    return normalizeQuery((state.args.search || {}).text || "");
  }

  /* Filter and draw now, then tell Python (which writes `?q=` and updates the rest of the page). */
  function runSearch() {
    clearTimeout(state.searchTimer);
    state.searchTimer = null;
    if (!state.args || !state.map) { return; }
    var text = normalizeQuery(searchInput().value);
    if (text === currentQueryText()) { return; }
    state.queryN += 1;
    state.queryText = text;
    state.localQuery = {text: text, folded: foldForSearch(text)};
    state.reportQuery = true;
    state.renderStarted = performance.now();
    var args = state.args;
    if (state.data) { apply(args); } else if (state.loading) { state.loading.then(function () { apply(args); }); }
  }

  /* The field's label and text from the arguments. The text is replaced only when Python changed it
   * (a deep link, the filter reset), never while the visitor types or a typed search is on its way. */
  function updateSearchField(args) {
    var form = document.getElementById("atlas-search");
    form.hidden = !args.search;
    if (!args.search) { return; }
    var input = searchInput(), search = args.search;
    document.getElementById("atlas-search-label").textContent = search.label;
    input.placeholder = search.placeholder || "";
    input.maxLength = search.max_chars || atlasData.MAX_QUERY_CHARS;
    if (!state.map || !searchEchoed(args)) { return; }
    state.localQuery = null;
    var serverText = normalizeQuery(search.text || "");
    if (!state.searchTimer && normalizeQuery(input.value) !== serverText) { input.value = search.text || ""; }
  }

  // --- size ------------------------------------------------------------------------------------------

  /* The frame fills the page's height below it (map first: no scrolling to reach the map), within the
   * limits Python sets; on the presentation page it has a fixed height. */
  function fitFrame(args) {
    var height = window.atlasBoot.frameHeight(args.height);
    var bar = document.getElementById("atlas-bar"), search = document.getElementById("atlas-search");
    var barHeight = (bar.hidden ? 0 : bar.offsetHeight) + (search.hidden ? 0 : search.offsetHeight);
    document.getElementById("atlas-map").style.height = (height - barHeight) + "px";
    setFrameHeight(height);
    if (state.map) { state.map.invalidateSize({pan: false}); }
  }

  function watchParentSize() {
    try {
      window.parent.addEventListener("resize", function () { if (state.args) { fitFrame(state.args); } });
    } catch (error) { /* another origin */ }
  }

  // --- render ----------------------------------------------------------------------------------------

  function onRender(args) {
    state.renderStarted = performance.now();
    state.args = args;
    state.lang = args.lang;
    if (!state.map) {
      updateSearchField(args);  // before the first fit: the field takes its share of the height
      fitFrame(args);
      createMap(args);
      buildControls(args);
      setupSearch();
      watchParentSize();
      if (args.mode === "present") { forwardArrowKeys(); }
    } else {
      fitFrame(args);
    }
    updateSearchField(args);
    updateTexts(args);
    updateTiles(args);
    if (!state.loading || state.loadedUrls !== args.base_url + " " + args.sites_url) {
      state.loadedUrls = args.base_url + " " + args.sites_url;
      state.loading = Promise.all([fetchJson(args.base_url), fetchJson(args.sites_url)]).then(function (files) {
        var first = !state.base;
        state.base = files[0];
        state.data = prepareSites(files[1]);
        if (state.cluster) { state.map.removeLayer(state.cluster); }
        state.cluster = state.fullGroup = state.filteredGroup = null;
        state.markers = [];
        state.fullMarkers = [];
        state.filterKey = null;
        state.baseToDraw = first;  // drawn by apply(), once the first view is set
      });
      state.loading.catch(function (error) {
        showNotice(state.args.texts.data_failed);
        if (window.console) { console.error(error); }
      });
    }
    state.loading.then(function () { apply(state.args); });
  }

  /* The presentation's state slides: the state outlined, the other states under a light veil. */
  function focusState(code) {
    if (!state.stateShapes || state.focusedState === (code || null)) { return; }
    state.focusedState = code || null;
    var base = state.args.styles.state;
    Object.keys(state.stateShapes).forEach(function (key) {
      var focus = !code ? base : key === code ? L.extend({}, base, {color: "#0b5c8a", weight: 4, fill: false})
        : L.extend({}, base, {fill: true, fillColor: "#ffffff", fillOpacity: 0.6});
      state.stateShapes[key].setStyle(focus);
      if (key === code) { state.stateShapes[key].bringToFront(); }
    });
  }

  function apply(args) {
    if (args !== state.args) { return; }  // a newer render came in meanwhile
    focusState(args.focus_state);
    var spec = effectiveFilter(args);
    var filterKey = JSON.stringify(spec) + "|" + state.loadedUrls;
    var selectedChanged = args.selected !== state.appliedSelected;
    state.appliedSelected = args.selected;
    if (filterKey !== state.filterKey) {
      var firstDraw = state.filterKey === null;
      var previousQuery = state.query;
      state.filterKey = filterKey;
      state.query = spec.q || "";
      var shown = filterSites(spec);
      state.shown = shown;
      showCount(shown.length);
      var viewSet = false;
      if (state.baseToDraw) {
        // The first view is set before anything is drawn: fitting the map after the outlines are on it
        // projects every outline again (about 30 ms of the first page load).
        state.baseToDraw = false;
        if (args.bounds) {
          state.boundsKey = JSON.stringify(args.bounds);
          state.fitBounds = args.bounds;
          fitTo(args.bounds, 12);
        } else if (shown.length > 1 || (shown.length === 1 && !state.query)) {
          state.fitBounds = boundsOf(shown);
          fitTo(state.fitBounds);
          viewSet = true;
        }
        drawBase(state.base, args);
        focusState(args.focus_state);
      }
      drawMarkers(shown, function () {
        var single = shown.length === 1 && state.query && state.query !== previousQuery;
        var singleChosen = null;  // a search with one hit chooses that site (after the signal below)
        if (single) {
          var index = shown[0];
          state.userMoved = true;
          showInContext(index);
          if (state.data.values.site_id[index] !== args.selected) { singleChosen = index; }
        } else if (args.bounds) {
          var boundsKey = JSON.stringify(args.bounds);
          if (boundsKey !== state.boundsKey) { state.boundsKey = boundsKey; state.fitBounds = args.bounds; fitTo(args.bounds, 12); }
        } else if (shown.length && !viewSet) {
          // a new filter opens on its sites, as a freshly drawn map would
          state.fitBounds = boundsOf(shown);
          state.userMoved = false;
          fitTo(state.fitBounds);
        }
        // a site chosen here keeps its ring until Python's arguments name another
        var ringed = singleChosen !== null ? state.data.values.site_id[singleChosen]
          : selectedChanged ? args.selected : state.selected;
        drawRing(ringed, singleChosen === null && (firstDraw || selectedChanged));
        placeTownLabels();
        signalRender(shown.length);
        if (singleChosen !== null) { chooseSite(singleChosen, "single"); } else if (state.reportQuery) { report(); }
      });
    } else {
      if (args.bounds && JSON.stringify(args.bounds) !== state.boundsKey) {
        state.boundsKey = JSON.stringify(args.bounds);
        state.fitBounds = args.bounds;
        state.userMoved = false;
        fitTo(args.bounds, 12);
      }
      // the ring is drawn already when the site was chosen here (a click, a single search hit)
      if (selectedChanged && args.selected !== state.selected) {
        drawRing(args.selected, true);
        signalRender(state.shown.length);
      }
      if (state.reportQuery) { report(); }  // a search that folds as the current one ("Goerlitz", "Görlitz")
    }
  }

  function boundsOf(indices) {
    var south = 90, west = 180, north = -90, east = -180, data = state.data;
    indices.forEach(function (i) {
      south = Math.min(south, data.lat[i]); north = Math.max(north, data.lat[i]);
      west = Math.min(west, data.lon[i]); east = Math.max(east, data.lon[i]);
    });
    return [[south, west], [north, east]];
  }

  /* On the presentation page the arrow keys change slides, also after a click into the map. */
  function forwardArrowKeys() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") { return; }
      try {
        window.parent.document.dispatchEvent(new KeyboardEvent("keydown", {
          key: event.key, code: event.code, keyCode: event.keyCode, bubbles: true}));
      } catch (error) { /* another origin */ }
    });
  }

  // for the browser tests: the shipped filter on the loaded data, as site ids
  window.atlasInternals = {
    filterSiteIds: function (spec) {
      return filterSites(spec).map(function (index) { return state.data.values.site_id[index]; });
    }
  };
  // The start-up script in index.html has told Streamlit that the frame is ready and kept its answer
  // (the arguments arrived while this file loaded); later renders reach the listener above.
  if (window.atlasBoot.args) { onRender(window.atlasBoot.args); }
})();
