/* The sites on the map: marker and cluster icons (one design for every map), the two cluster groups, the
 * ring around the chosen site, tooltips and the embed's popup.
 * Part of the atlas map (see atlas_map.js); `m` is one map instance. */
(function (root) {
  "use strict";

  var engine = root.atlasEngine = root.atlasEngine || {};
  var data = root.atlasData, element = data.element, escapeHtml = data.escapeHtml;

  var CLUSTER_RADIUS_PX = 22;
  var CLUSTERING_OFF_AT_ZOOM = 10;
  var CLUSTER_ICON_PX = 36;

  // --- symbols -------------------------------------------------------------------------------------

  function programOf(m, index) { return m.data.values.program[index]; }

  function programInfo(m, program) {
    var programs = m.args.programs;
    return programs[program] || programs[""] || {svg: "", label: program, colour: "#333333"};
  }

  function siteLabel(m, index) {
    var program = m.args.programs[programOf(m, index)];
    return m.data.values.name[index] + " (" + (program ? program.label : programOf(m, index)) + ")";
  }

  /* A site's name for screen readers, inside its marker; it carries the site's index (data-site), so a
   * focused marker element leads back to its site (markerOfElement). */
  function siteName(m, index) {
    return '<span class="sa-sr" data-site="' + index + '">' + escapeHtml(siteLabel(m, index)) + "</span>";
  }

  /* A site's marker: the program's symbol (from geo/maps/symbols.py) with its name for screen readers. */
  function siteIcon(m, index) {
    return L.divIcon({
      html: programInfo(m, programOf(m, index)).svg + siteName(m, index),
      className: "sa-site-marker", iconSize: [20, 20], iconAnchor: [10, 10]
    });
  }

  /* A numbered site (the comparison's map): its number in a disc, the name for screen readers. */
  function numberIcon(m, index, number) {
    return L.divIcon({
      html: "<span>" + number + "</span>" + siteName(m, index),
      className: "sa-number-marker", iconSize: [22, 22], iconAnchor: [11, 11]
    });
  }

  /* A cluster: its count in a disc, ringed by the programs' colours in proportion. */
  function clusterIcon(m, cluster) {
    var count = cluster.getChildCount();
    var shares = {};
    cluster.getAllChildMarkers().forEach(function (marker) {
      shares[marker.options.program] = (shares[marker.options.program] || 0) + 1;
    });
    var start = 0, stops = [];
    Object.keys(shares).sort().forEach(function (program) {
      var end = start + shares[program] / count * 360;
      stops.push(programInfo(m, program).colour + " " + start.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      start = end;
    });
    var html = '<span class="sa-cluster-ring" style="background: conic-gradient(' + stops.join(",") + ')">' +
      '<span class="sa-cluster-count">' + count + "</span></span>" +
      '<span class="sa-sr">' + count + " " + escapeHtml(m.args.texts.cluster_sites) + "</span>";
    return L.divIcon({html: html, className: "sa-cluster", iconSize: L.point(CLUSTER_ICON_PX, CLUSTER_ICON_PX)});
  }

  // --- cluster groups --------------------------------------------------------------------------------

  /* Markers are clustered and added in chunks, so the page stays responsive; clicks and hover are handled
   * once per group (10,000 markers stay light: a tooltip is bound when the pointer first reaches it). */
  function clusterGroup(m) {
    var group = L.markerClusterGroup({
      maxClusterRadius: CLUSTER_RADIUS_PX, disableClusteringAtZoom: CLUSTERING_OFF_AT_ZOOM,
      showCoverageOnHover: false, spiderfyOnMaxZoom: true, chunkedLoading: true, chunkInterval: 200,
      chunkDelay: 1, iconCreateFunction: function (cluster) { return clusterIcon(m, cluster); }
    });
    group.on("click", function (event) {
      var index = event.layer && event.layer.options.siteIndex;
      if (index !== undefined) { engine.chooseSite(m, index, "click"); }
    });
    group.on("mouseover", function (event) { showSiteTooltip(m, event.layer); });
    return group;
  }

  function numberedGroup(m) {
    var group = L.featureGroup();
    group.on("click", function (event) {
      var index = event.layer && event.layer.options.siteIndex;
      if (index !== undefined) { engine.chooseSite(m, index, "click"); }
    });
    group.on("mouseover", function (event) { showSiteTooltip(m, event.layer); });
    return group;
  }

  /* One marker per site and pool: a marker belongs to one cluster group, so the group of all sites keeps
   * its own pool and the group of a filter the other. */
  function markerFor(m, index, pool) {
    var marker = pool[index];
    if (!marker) {
      marker = pool[index] = L.marker([m.data.lat[index], m.data.lon[index]], {
        icon: siteIcon(m, index), riseOnHover: true, program: programOf(m, index), siteIndex: index});
    }
    return marker;
  }

  /* Fill `group` with `markers` (off the map, so the markers are clustered once for the view that is set
   * before the group goes on the map), then call `done` once markercluster has returned: it reports the
   * last chunk before it finishes it (the clusters' bounds and icons, then markers and clusters onto the
   * map); opening a cluster before that (zoomToShowLayer for a linked site) throws and leaves an empty map. */
  function fillGroup(group, markers, done) {
    if (!markers.length) { done(); return; }
    group.options.chunkProgress = function (processed, total) {
      if (processed >= total) { group.options.chunkProgress = null; Promise.resolve().then(done); }
    };
    group.addLayers(markers);
  }

  /* Show the sites `shown` (indices). The group of all sites is built once and kept: a filter that shows
   * every site, or going back to all, only swaps it in. Any other filter refills the second group. The
   * view is set first (`setView`, called without markers on the map), so the clusters are made once, for
   * the view the visitor will see. */
  engine.drawSites = function (m, shown, setView, done) {
    var everySite = shown.length === m.data.count && !m.numbered;
    var generation = m.siteGeneration = (m.siteGeneration || 0) + 1;
    if (m.cluster) { m.map.removeLayer(m.cluster); }
    setView();
    var target;
    if (everySite) {
      target = m.fullGroup;
      if (!target) {
        target = m.fullGroup = clusterGroup(m);
        target.addTo(m.map);
        m.cluster = target;
        fillGroup(target, shown.map(function (index) { return markerFor(m, index, m.fullMarkers); }), finish);
        return;
      }
    } else if (m.numbered) {  // a few sites, each with its number: never clustered
      target = m.filteredGroup = m.filteredGroup || numberedGroup(m);
      target.clearLayers();
      shown.forEach(function (index, position) {
        target.addLayer(L.marker([m.data.lat[index], m.data.lon[index]], {
          icon: numberIcon(m, index, position + 1), program: programOf(m, index), siteIndex: index}));
      });
    } else {
      target = m.filteredGroup = m.filteredGroup || clusterGroup(m);
      target.clearLayers();
    }
    m.cluster = target;
    target.addTo(m.map);
    if (everySite || m.numbered) { finish(); return; }
    fillGroup(target, shown.map(function (index) { return markerFor(m, index, m.markers); }), finish);

    function finish() { if (generation === m.siteGeneration) { done(); } }
  };

  engine.activeMarker = function (m, index) {
    return (m.cluster === m.fullGroup ? m.fullMarkers : m.markers)[index];
  };

  engine.boundsOf = function (m, indices) {
    var south = 90, west = 180, north = -90, east = -180, columns = m.data;
    indices.forEach(function (i) {
      south = Math.min(south, columns.lat[i]); north = Math.max(north, columns.lat[i]);
      west = Math.min(west, columns.lon[i]); east = Math.max(east, columns.lon[i]);
    });
    return [[south, west], [north, east]];
  };

  // --- tooltips and popup ------------------------------------------------------------------------------

  function placeOf(m, index) {
    var locality = m.data.values.locality[index], municipality = m.data.values.municipality[index];
    return [locality, municipality].filter(function (part, i, parts) {
      return part && parts.indexOf(part) === i;
    }).join(", ");
  }

  function siteSummary(m, index, nameTag) {
    var box = element("div");
    box.appendChild(element(nameTag, null, m.data.values.name[index]));
    box.appendChild(element("div", null, programInfo(m, programOf(m, index)).label || programOf(m, index)));
    var place = placeOf(m, index);
    if (place) { box.appendChild(element("div", "sa-tip-place", place)); }
    return box;
  }

  function showSiteTooltip(m, marker) {
    var index = marker && marker.options.siteIndex;
    if (index === undefined) { return; }
    if (!marker.getTooltip()) {
      marker.bindTooltip(function () { return siteSummary(m, index, "strong"); },
                         {direction: "top", offset: [0, -10], className: "sa-site-tip"});
      marker.on("tooltipopen", function (event) { keepTooltipInside(m, marker, event.tooltip); });
    }
    marker.openTooltip();
  }

  /* The marker (of the sites shown now) whose element is `node`, or null: focus on a cluster, a control
   * or anything else is no site. */
  function markerOfElement(m, node) {
    var classes = node && node.classList;
    if (!classes || !(classes.contains("sa-site-marker") || classes.contains("sa-number-marker"))) { return null; }
    var holder = node.querySelector("[data-site]");
    var index = holder ? Number(holder.getAttribute("data-site")) : NaN;
    if (isNaN(index)) { return null; }
    var candidates = [m.markers[index], m.fullMarkers[index]];
    if (m.numbered && m.filteredGroup) { candidates = candidates.concat(m.filteredGroup.getLayers()); }
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i] && candidates[i].getElement() === node) { return candidates[i]; }
    }
    return null;
  }

  /* The keyboard reaches a site: its tooltip (name, program, place) opens as for the pointer, and closes
   * when the focus moves on. */
  engine.showFocusedSite = function (m, node) {
    var marker = markerOfElement(m, node);
    if (marker) { showSiteTooltip(m, marker); }
  };

  engine.hideFocusedSite = function (m, node) {
    var marker = markerOfElement(m, node);
    if (marker) { marker.closeTooltip(); }
  };

  /* A tooltip near the map's edge opens towards the inside, so it is never cut off. */
  function keepTooltipInside(m, marker, tooltip) {
    var point = m.map.latLngToContainerPoint(marker.getLatLng()), size = m.map.getSize();
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

  engine.openEmbedPopup = function (m, index) {
    var box = siteSummary(m, index, "strong");
    box.className = "sa-popup";
    var link = element("a", null, m.args.texts.open_profile + " ↗");
    link.href = engine.siteLink(m, m.data.values.site_id[index]);
    link.target = "_blank";
    link.rel = "noopener";
    box.appendChild(link);
    L.popup({offset: [0, -6], autoPanPadding: [12, 12], maxWidth: 260})
      .setLatLng([m.data.lat[index], m.data.lon[index]]).setContent(box).openOn(m.map);
  };

  // --- the chosen site -------------------------------------------------------------------------------

  /* The ring around the chosen site; with `reveal`, a cluster that hides it opens (once its markers are
   * on the map: called after the group is filled). */
  engine.drawRing = function (m, siteId, reveal) {
    if (m.ring) { m.map.removeLayer(m.ring); m.ring = null; }
    m.selected = siteId;
    var index = siteId === null || siteId === undefined ? undefined : m.data.indexOf[siteId];
    nameInBar(m, index);
    if (index === undefined) { return; }
    var latlng = [m.data.lat[index], m.data.lon[index]];
    m.ring = L.layerGroup([
      L.circleMarker(latlng, {radius: 16, color: "#1b2733", weight: 3, fill: false, interactive: false,
                              pane: "saRing", className: "sa-selected"}),
      L.circleMarker(latlng, {radius: 19, color: "#ffffff", weight: 2, fill: false, interactive: false,
                              pane: "saRing", className: "sa-selected"})
    ]).addTo(m.map);
    var marker = engine.activeMarker(m, index);
    if (reveal && marker && m.cluster.getVisibleParent && m.cluster.hasLayer(marker)
        && m.cluster.getVisibleParent(marker) !== marker) {
      m.userMoved = true;
      m.cluster.zoomToShowLayer(marker);
    }
  };

  /* The embed names the chosen site under the map (name · program · place); the map gives up the line's
   * height (its size is measured again, so Leaflet's view stays centred). */
  function nameInBar(m, index) {
    var key = index === undefined ? "" : m.data.values.site_id[index] + "|" + m.lang;
    if (!m.barSite || m.barSiteKey === key) { return; }
    m.barSiteKey = key;
    m.barSite.replaceChildren();
    m.barSite.hidden = !key;
    if (key) {
      var program = m.args.programs[programOf(m, index)];
      var rest = [program ? program.label : programOf(m, index), placeOf(m, index)];
      m.barSite.appendChild(element("strong", null, m.data.values.name[index]));
      m.barSite.appendChild(document.createTextNode(rest.filter(Boolean).map(function (part) {
        return " · " + part;
      }).join("")));
    }
    m.map.invalidateSize({pan: false});
  }

  engine.siteIcon = siteIcon;
  engine.clusterIcon = clusterIcon;
})(window);
