/* The map itself and what it draws besides the sites: panes, states, districts (plain, coloured by an
 * indicator, or a zone's members), structural-change zones, town labels, the hatch patterns, and on the
 * map page the research layer to switch on.
 * Part of the atlas map (see atlas_map.js); `m` is one map instance. */
(function (root) {
  "use strict";

  var engine = root.atlasEngine = root.atlasEngine || {};
  var element = root.atlasData.element;

  var FOUR_STATES = [[50.17, 9.87], [53.56, 15.05]];
  var MAX_ZOOM_WITHOUT_TILES = 13;
  var COMPARE_MAX_ZOOM = 9;  // the comparison's few sites with the towns around them
  var PANES = [["saDistricts", 350], ["saZones", 380], ["saStates", 390], ["saSelection", 395], ["saRing", 610],
               ["saTowns", 620]];

  /* A touch screen: one finger scrolls the page there, the map moves with two (no trap). */
  engine.touchScreen = function () {
    return Boolean(root.matchMedia && root.matchMedia("(pointer: coarse)").matches);
  };

  function createMap(m) {
    var args = m.args;
    var map = L.map(m.mapNode, {
      zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 5, maxZoom: MAX_ZOOM_WITHOUT_TILES,
      keyboard: args.mode !== "present", preferCanvas: false, attributionControl: true, zoomControl: false,
      dragging: !engine.touchScreen()
    });
    map._atlasInstance = Math.random().toString(36).slice(2) + Date.now().toString(36);
    map.attributionControl.setPrefix(false);
    // the zoom buttons are named in the page's language (Leaflet's own names are English)
    m.zoomControl = L.control.zoom({zoomInTitle: args.texts.zoom_in, zoomOutTitle: args.texts.zoom_out}).addTo(map);
    L.control.scale({imperial: false}).addTo(map);  // kilometres only
    PANES.forEach(function (pane) {
      var node = map.createPane(pane[0]);
      node.style.zIndex = pane[1];
      if (pane[0] !== "saDistricts") { node.style.pointerEvents = "none"; }
    });
    map.fitBounds(FOUR_STATES);
    ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { m.userMoved = true; }, {passive: true});
    });
    map.on("resize", function () { if (!m.userMoved && m.fitBounds) { engine.fitTo(m, m.fitBounds); } });
    // sites and clusters are tab stops: Enter or Space acts as a click (choose the site; open the cluster)
    map.getContainer().addEventListener("keydown", function (event) {
      var classes = event.target.classList;
      if ((event.key === "Enter" || event.key === " ") && classes
          && (classes.contains("sa-cluster") || classes.contains("sa-site-marker")
              || classes.contains("sa-number-marker"))) {
        event.preventDefault();
        event.target.click();
      }
    });
    // a site that has the keyboard's focus shows its name, as the pointer would
    map.getContainer().addEventListener("focusin", function (event) { engine.showFocusedSite(m, event.target); });
    map.getContainer().addEventListener("focusout", function (event) { engine.hideFocusedSite(m, event.target); });
    map.on("zoomend moveend", function () { placeTownLabels(m); });
    return map;
  }

  /* Fit the view to `bounds` with room for the controls. */
  engine.fitTo = function (m, bounds, maxZoom) {
    var wide = m.map.getSize().x > 480, compare = m.args.mode === "compare";
    var pad = compare ? [44, 44] : m.args.mode === "atlas" && wide ? [48, 36] : [16, 16];
    m.map.fitBounds(bounds, {paddingTopLeft: pad, paddingBottomRight: pad, animate: false,
                             maxZoom: compare ? COMPARE_MAX_ZOOM : maxZoom || 11});
  };

  /* The hatch patterns of the zones and of unverified districts (geo/maps/symbols.py), once per page. */
  function hatchDefinitions(patterns) {
    if (!patterns || document.getElementById("sa-hatch-defs")) { return; }
    document.body.insertAdjacentHTML("beforeend", patterns);  // built in Python from constants only
  }

  /* A shape's rings as coordinates, decoded once per page (the page's maps share the base file). */
  var decoded = new WeakMap();
  function polygons(item) {
    if (!decoded.has(item)) {
      decoded.set(item, item.p.map(function (rings) {
        return rings.map(function (ring) { return root.atlasPolyline.decode(ring); });
      }));
    }
    return decoded.get(item);
  }

  /* States, districts, zones and towns, once per map (the base file does not change while a page is open). */
  engine.drawBase = function (m) {
    var base = m.base, args = m.args, map = m.map;
    hatchDefinitions(args.patterns);
    m.districtTip = L.tooltip({sticky: true, direction: "top", offset: [0, -6], className: "sa-district-tip"});
    m.districtShapes = {};
    m.districtsByAgs = {};
    base.districts.forEach(function (district) {
      var shape = L.polygon(polygons(district), L.extend({pane: "saDistricts"}, args.styles.district));
      m.districtShapes[district.ags] = shape;
      m.districtsByAgs[district.ags] = district;
      // one shared tooltip on hover instead of bindTooltip: a bound tooltip makes every outline a tab stop
      shape.on("mouseover", function (event) {
        m.districtTip.setContent(districtText(m, district));
        m.districtTip.setLatLng(event.latlng);
        map.openTooltip(m.districtTip);
        if (m.districtSpec && m.districtSpec.clickable) { shape.setStyle({weight: 3, color: "#000000"}); }
      });
      shape.on("mousemove", function (event) { m.districtTip.setLatLng(event.latlng); });
      shape.on("mouseout", function () {
        map.closeTooltip(m.districtTip);
        if (m.districtSpec && m.districtSpec.clickable) { shape.setStyle(districtStyle(m, district.ags)); }
      });
      shape.on("click", function () {
        if (m.districtSpec && m.districtSpec.clickable) { engine.chooseDistrict(m, district.ags); }
      });
      shape.addTo(map);
    });
    m.zoneShapes = base.zones.map(function (zone) {
      var style = args.zone_styles[zone.type] || {colour: "#5E3C99", weight: 2};
      return L.polygon(polygons(zone), {pane: "saZones", color: style.colour, weight: style.weight,
                                        dashArray: style.dash || null, fill: true, fillOpacity: 1, interactive: false,
                                        className: "sa-zone sa-zone-" + zone.type});
    });
    m.zoneNames = {};
    base.zones.forEach(function (zone) { m.zoneNames[zone.id] = zone; });
    m.stateShapes = {};
    base.states.forEach(function (region) {
      m.stateShapes[region.code] = L.polygon(polygons(region),
        L.extend({pane: "saStates", interactive: false}, args.styles.state)).addTo(map);
    });
    m.towns = base.towns.map(function (town) {
      var marker = L.marker([town[0], town[1]], {
        icon: L.divIcon({html: "<i></i><span></span>", className: "sa-town", iconSize: [0, 0]}),
        interactive: false, keyboard: false, pane: "saTowns"
      });
      marker.on("add", function () { marker.getElement().querySelector("span").textContent = town[2]; });
      marker.addTo(map);
      return {marker: marker, name: town[2], lat: town[0], lon: town[1]};
    });
    engine.updateDistricts(m);
    engine.focusState(m, args.focus_state);
    placeTownLabels(m);
    if (args.mode === "atlas") { addResearchLayer(m, base.research || [], args.texts); }
  };

  /* Universities and research institutes: a layer the visitor switches on (off at first), one marker per
   * place with the names in its tooltip. */
  function addResearchLayer(m, places, texts) {
    if (!places.length) { return; }
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
    var control = L.control.layers(null, overlays, {position: "topright", collapsed: false});
    // Leaflet's `expand` measures the page (offsetTop, the map's size) to fit a long list of layers: a
    // forced layout of the whole page while it is still being built (some 20 ms of a first load). The
    // list here is one line, always open.
    control.expand = function () {
      L.DomUtil.addClass(this._container, "leaflet-control-layers-expanded");
      return this;
    };
    control.addTo(m.map);
  }

  function districtText(m, district) {
    var box = element("div"), spec = m.districtSpec;
    box.appendChild(element("strong", null, (spec && spec.names && spec.names[district.ags]) || district.name));
    if (spec && spec.values && spec.values[district.ags] !== undefined) {
      box.appendChild(element("div", null, spec.value_label + ": " + spec.values[district.ags]));
    }
    if (!spec || spec.zones !== false) {
      district.zones.forEach(function (id) {
        var zone = m.zoneNames[id];
        if (zone) { box.appendChild(element("div", null, m.lang === "en" ? zone.name_en : zone.name_de)); }
      });
    }
    return box;
  }

  /* A district's look: the plain map, or its class colour (indicator map), or member or not (zone map). */
  function districtStyle(m, ags) {
    var spec = m.districtSpec, plain = m.args.styles.district;
    if (!spec) { return L.extend({}, plain); }
    var colour = spec.colours[ags];
    var style = {color: spec.border || "#4d4d4d", weight: spec.weight || 0.7, fillOpacity: spec.opacity || 0.85,
                 fillColor: colour || spec.missing || "#bdbdbd"};
    if (spec.others && colour === undefined) { L.extend(style, spec.others); }
    return style;
  }

  /* The districts' colours and the selection outline from the arguments (`districts`), without redrawing
   * the shapes: an indicator or a zone changes colours, a click moves the outline. */
  engine.updateDistricts = function (m) {
    if (!m.districtShapes) { return; }
    var spec = m.args.districts || null;
    var key = JSON.stringify(spec);
    if (key !== m.districtKey) {
      m.districtKey = key;
      m.districtSpec = spec;
      var hatched = new Set((spec && spec.hatched) || []);
      Object.keys(m.districtShapes).forEach(function (ags) {
        var shape = m.districtShapes[ags];
        shape.setStyle(districtStyle(m, ags));
        var path = shape.getElement && shape.getElement();
        if (path) { path.classList.toggle("sa-district-hatched", hatched.has(ags)); }
      });
      m.zoneShapes.forEach(function (shape) {
        var show = !spec || spec.zones !== false;
        if (show && !m.map.hasLayer(shape)) { shape.addTo(m.map); }
        if (!show && m.map.hasLayer(shape)) { m.map.removeLayer(shape); }
      });
    }
    var selected = spec && spec.selected;
    if (selected !== m.selectedDistrict) {
      m.selectedDistrict = selected || null;
      if (m.selectionShape) { m.map.removeLayer(m.selectionShape); m.selectionShape = null; }
      var district = selected && m.districtsByAgs[selected];
      if (district) {
        m.selectionShape = L.polygon(polygons(district), {pane: "saSelection", interactive: false, fill: false,
                                                          color: "#000000", weight: 4}).addTo(m.map);
      }
    }
  };

  /* The bounds of some districts (a zone's members), from the base file, or null. */
  engine.districtBounds = function (m, agsList) {
    var wanted = new Set(agsList || []), south = 90, west = 180, north = -90, east = -180, found = false;
    m.base.districts.forEach(function (district) {
      if (!wanted.has(district.ags)) { return; }
      polygons(district).forEach(function (rings) {
        rings[0].forEach(function (point) {
          found = true;
          south = Math.min(south, point[0]); north = Math.max(north, point[0]);
          west = Math.min(west, point[1]); east = Math.max(east, point[1]);
        });
      });
    });
    return found ? [[south, west], [north, east]] : null;
  };

  /* The presentation's state slides: the state outlined, the other states under a light veil. */
  engine.focusState = function (m, code) {
    if (!m.stateShapes || m.focusedState === (code || null)) { return; }
    m.focusedState = code || null;
    var base = m.args.styles.state;
    Object.keys(m.stateShapes).forEach(function (key) {
      var focus = !code ? base : key === code ? L.extend({}, base, {color: "#0b5c8a", weight: 4, fill: false})
        : L.extend({}, base, {fill: true, fillColor: "#ffffff", fillOpacity: 0.6});
      m.stateShapes[key].setStyle(focus);
      if (key === code) { m.stateShapes[key].bringToFront(); }
    });
  };

  /* Largest towns first; a label that would overlap one already placed is hidden at this zoom. */
  function placeTownLabels(m) {
    if (!m.towns || !m.map) { return; }
    var placed = [], size = m.map.getSize();
    m.towns.forEach(function (town) {
      var point = m.map.latLngToContainerPoint([town.lat, town.lon]);
      var width = town.name.length * 6.4 + 6;
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

  engine.createMap = createMap;
  engine.placeTownLabels = placeTownLabels;
  engine.MAX_ZOOM_WITHOUT_TILES = MAX_ZOOM_WITHOUT_TILES;
  engine.FOUR_STATES = FOUR_STATES;
})(window);
