"""folium map builders for the atlas: the standalone offline export and the staff downloads.

The interactive maps of the app (map page, embed, presentation) are drawn by the atlas map component
(views/atlas_map.py, components/atlas_map/) from data files (geo/maps/payload.py); this module builds
the same map as one folium page that opens without the app (geo/maps/export.py).

- ``MapLayers(states, districts, zones, zone_districts=None, towns=None)`` — what a map draws besides
  the sites; build it once per process with ``MapLayers.from_reference(read_layer, read_table)``.
- ``build_overview_map(sites, layers, lang, tiles=None, selected_site_id=None, base_path="", *,
  cluster=True, legend=False, fit_to_sites=True, bounds=None, layer_control=True, fullscreen=True,
  height="100%") -> folium.Map``: borders, districts, hatched zones, town labels, one marker per site
  (symbol per program, clustered), scale bar, full-screen button, layer switcher, Leaflet from the app's
  own copies (``geo.core.web_assets.localize``).
- ``selected_site_layer(site)`` — a ring around the chosen site.
- ``map_html_size(folium_map)``, ``naive_overview_map(...)`` — the size yardstick of the benchmark.
- ``base_map()`` — an empty map of the four states without tiles, for other builders (choropleths).

Symbols, legend and escaping live in geo/maps/symbols.py, the polyline codec in geo/maps/codec.py, town
labels in geo/maps/towns.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import cast

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure

from geo.core.schema import FOUR_STATES_BOUNDS
from geo.core.web_assets import localize
from geo.maps.codec import encode_polygons
from geo.maps.elements import (
    AccessibleNames,
    EncodedPolygonLayer,
    FitView,
    HtmlControl,
    MetricScale,
    RevealSite,
    SiteMarkerLayer,
    TownLabelLayer,
    site_points,
)
from geo.maps.symbols import (
    DISTRICT_STYLE,
    LEGEND_CSS,
    MAP_CSS,
    STATE_STYLE,
    ZONE_STYLES,
    ZONE_TYPE_ORDER,
    _hatch_defs,
    escape_text,
    legend_html,
)
from geo.maps.tiles import TileSource
from geo.maps.towns import town_labels
from geo.texts import pick, t

MAX_ZOOM_WITHOUT_TILES = 13
SITES_FIT_MAX_ZOOM = 11
CLUSTER_RADIUS_PX = 22
CLUSTERING_OFF_AT_ZOOM = 10


__all__ = [
    "MapLayers",
    "build_overview_map",
    "selected_site_layer",
    "map_html_size",
    "naive_overview_map",
    "base_map",
]


# --- reference layers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapLayers:
    """What a map draws besides the sites. Shared and read-only: build once per process (the encoded
    polygons are computed on first use and kept, so every later map reuses them)."""

    states: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    zone_districts: pd.DataFrame | None = None  # (zone_id, ags): adds zone names to district tooltips
    towns: pd.DataFrame | None = None  # town_labels(): labels for orientation without tiles

    @classmethod
    def from_reference(
        cls,
        read_layer: Callable[[str], gpd.GeoDataFrame],
        read_table: Callable[[str], pd.DataFrame],
        with_towns: bool = True,
    ) -> MapLayers:
        """The simplified web layers (pass views.data.reference_layer / reference_table to share the cache)."""
        states, districts = read_layer("states_web"), read_layer("districts_web")
        towns = town_labels(states, districts) if with_towns else None
        return cls(states, districts, read_layer("zones_web"), read_table("zone_districts"), towns)

    @cached_property
    def encoded_states(self) -> list[list[list[str]]]:
        return [encode_polygons(geometry) for geometry in self.states.geometry]

    @cached_property
    def encoded_districts(self) -> list[list[list[str]]]:
        return [encode_polygons(geometry) for geometry in self.districts.geometry]

    @cached_property
    def encoded_zones(self) -> list[list[list[str]]]:
        return [encode_polygons(geometry) for geometry in self.zones.geometry]


# --- sites --------------------------------------------------------------------------------------------


def _cluster_icon_function(lang: str) -> str:
    label = json.dumps(" " + t("cluster_sites_label", lang))
    return (
        "function (cluster) { var count = cluster.getChildCount();"
        " return L.divIcon({html: '<span class=\"sa-cluster-count\">' + count + '</span>'"
        f" + '<span class=\"sa-sr\">' + count + {label} + '</span>',"
        " className: 'sa-cluster', iconSize: L.point(34, 34)}); }"
    )


def selected_site_layer(site: pd.Series) -> folium.FeatureGroup:
    """A ring around the chosen site, in its own non-interactive feature group; if a cluster hides the
    site, the map opens that cluster."""
    geometry = site.geometry
    group = folium.FeatureGroup(name="selected", control=False)
    RevealSite(site["site_id"]).add_to(group)
    folium.CircleMarker(
        location=[round(geometry.y, 5), round(geometry.x, 5)],
        radius=16,
        color="#1b2733",
        weight=3,
        fill=False,
        interactive=False,
        class_name="sa-selected",
    ).add_to(group)
    folium.CircleMarker(
        location=[round(geometry.y, 5), round(geometry.x, 5)],
        radius=19,
        color="#ffffff",
        weight=2,
        fill=False,
        interactive=False,
        class_name="sa-selected",
    ).add_to(group)
    return group


# --- the map ------------------------------------------------------------------------------------------


def _district_tooltips(layers: MapLayers, lang: str) -> dict[str, str]:
    """District name, plus the zones it belongs to (the zones themselves are not interactive)."""
    zones_of: dict[str, list[str]] = {}
    if layers.zone_districts is not None:
        names = dict(zip(layers.zones["zone_id"], layers.zones[pick(lang, "name", "name_en")], strict=True))
        for zone_id, ags in zip(layers.zone_districts["zone_id"], layers.zone_districts["ags"], strict=True):
            if zone_id in names:
                zones_of.setdefault(ags, []).append(names[zone_id])
    tooltips = {}
    for ags, name in zip(layers.districts["ags"], layers.districts["name"], strict=True):
        lines = [f"<strong>{escape_text(name)}</strong>"] + [
            escape_text(zone) for zone in sorted(zones_of.get(ags, []))
        ]
        tooltips[ags] = "<br>".join(lines)
    return tooltips


def _polygon_items(
    encoded: list,
    keys: Iterable | None = None,
    tooltips: dict[str, str] | None = None,
    selected: Iterable[bool] | None = None,
) -> list[dict]:
    """Items for EncodedPolygonLayer from encoded polygons, with tooltips looked up by key."""
    keys = list(keys) if keys is not None else [None] * len(encoded)
    selected = list(selected) if selected is not None else [True] * len(encoded)
    items = []
    for polygons, key, keep in zip(encoded, keys, selected, strict=True):
        if not keep:
            continue
        item = {"p": polygons}
        if tooltips is not None and key in tooltips:
            item["t"] = tooltips[key]
        items.append(item)
    return items


def _sites_bounds(sites: gpd.GeoDataFrame) -> list[list[float]] | None:
    if sites.empty:
        return None
    points = site_points(sites)
    south, north = float(points["lat"].min()), float(points["lat"].max())
    west, east = float(points["lon"].min()), float(points["lon"].max())
    return [[south, west], [north, east]]


def build_overview_map(
    sites: gpd.GeoDataFrame,
    layers: MapLayers,
    lang: str,
    tiles: TileSource | None = None,
    selected_site_id: str | None = None,
    base_path: str = "",
    *,
    cluster: bool = True,
    legend: bool = False,
    fit_to_sites: bool = True,
    bounds: Sequence[Sequence[float]] | None = None,
    layer_control: bool = True,
    fullscreen: bool = True,
    height: str = "100%",
) -> folium.Map:
    """The atlas's map: every site of `sites` as a marker over borders, districts, zones and towns.

    - `tiles`: a `geo.maps.tiles.TileSource` to draw under everything, or None (default: no third party).
    - `selected_site_id`: ring that site (pages with interaction use `selected_site_layer` instead).
    - `base_path`: Streamlit's `server.baseUrlPath`, for the local Leaflet URLs.
    - `cluster`: group dense markers (MarkerCluster, off from zoom 10); `legend`: the legend as a map
      control; `fit_to_sites`: open on the sites (else on the four states); `bounds`
      ([[south, west], [north, east]]): open on this box instead; `layer_control`, `fullscreen`: the
      layer switcher and the full-screen button.
    The view is fitted again when the map's frame changes size, until the visitor moves the map.
    """
    max_zoom = tiles.max_zoom if tiles is not None else MAX_ZOOM_WITHOUT_TILES
    folium_map = folium.Map(tiles=None, zoom_snap=0.25, zoom_delta=0.5, height=height)
    MetricScale().add_to(folium_map)
    # folium passes min_zoom/max_zoom to its tile layer only; MarkerCluster needs the map's maxZoom
    folium_map.options.update(min_zoom=5, max_zoom=max_zoom)
    root = cast(Figure, folium_map.get_root())  # a map's root is always its Figure
    root.header.add_child(Element(f"<style>{MAP_CSS.replace('{LEGEND_CSS}', LEGEND_CSS)}</style>"), name="sa_map_css")
    root.html.add_child(Element(_hatch_defs("sa-hatch")), name="sa_hatch_defs")

    if tiles is not None:
        folium.TileLayer(
            tiles=tiles.url,
            attr=tiles.attribution_html,
            name=t("tiles_layer", lang),
            max_zoom=tiles.max_zoom,
            overlay=False,
            control=False,
        ).add_to(folium_map)

    _add_reference_layers(folium_map, layers, lang)
    _add_site_markers(folium_map, sites, lang, cluster)

    if selected_site_id is not None:
        chosen = sites[sites["site_id"] == selected_site_id]
        if not chosen.empty:
            selected_site_layer(chosen.iloc[0]).add_to(folium_map)

    if bounds is None:
        bounds = (_sites_bounds(sites) if fit_to_sites else None) or FOUR_STATES_BOUNDS
    FitView(bounds, SITES_FIT_MAX_ZOOM).add_to(folium_map)

    if fullscreen:
        folium.plugins.Fullscreen(
            position="topleft", title=t("fullscreen_on", lang), title_cancel=t("fullscreen_off", lang)
        ).add_to(folium_map)
    if legend:
        HtmlControl(legend_html(lang, programs=sites["program"].unique() if not sites.empty else None)).add_to(
            folium_map
        )
    if layer_control:
        folium.LayerControl(position="topright", collapsed=True).add_to(folium_map)
    AccessibleNames(lang, t("map_accessible_name", lang, count=len(sites))).add_to(folium_map)
    return localize(folium_map, base_path)


def _add_reference_layers(folium_map: folium.Map, layers: MapLayers, lang: str) -> None:
    """Districts, the structural-change zones (hatched, one layer per zone type), state borders, towns."""
    EncodedPolygonLayer(
        _polygon_items(layers.encoded_districts, layers.districts["ags"], _district_tooltips(layers, lang)),
        DISTRICT_STYLE,
        name=t("districts_layer", lang),
    ).add_to(folium_map)
    zones = layers.zones
    for zone_type in ZONE_TYPE_ORDER:
        of_type = (zones["zone_type"] == zone_type).tolist()
        if not any(of_type):
            continue
        style = ZONE_STYLES[zone_type]
        path_style = {
            "color": style.colour,
            "weight": style.weight,
            "dashArray": style.dash,
            "fill": True,
            "fillOpacity": 1,
            "interactive": False,
            "className": f"sa-zone sa-zone-{zone_type}",
        }
        EncodedPolygonLayer(
            _polygon_items(layers.encoded_zones, selected=of_type),
            {k: v for k, v in path_style.items() if v is not None},
            name=t(f"zone_type_{zone_type}", lang),
        ).add_to(folium_map)
    EncodedPolygonLayer(_polygon_items(layers.encoded_states), STATE_STYLE, name=t("states_layer", lang)).add_to(
        folium_map
    )
    if layers.towns is not None and not layers.towns.empty:
        TownLabelLayer(layers.towns, t("towns_layer", lang)).add_to(folium_map)


def _add_site_markers(folium_map: folium.Map, sites: gpd.GeoDataFrame, lang: str, cluster: bool) -> None:
    """One marker per site (symbol per program), clustered below zoom CLUSTERING_OFF_AT_ZOOM when `cluster`."""
    sites_name = t("sites_layer", lang)
    site_group: folium.FeatureGroup | folium.plugins.MarkerCluster
    if cluster:
        site_group = folium.plugins.MarkerCluster(
            name=sites_name,
            icon_create_function=_cluster_icon_function(lang),
            options={
                "maxClusterRadius": CLUSTER_RADIUS_PX,
                "disableClusteringAtZoom": CLUSTERING_OFF_AT_ZOOM,
                "showCoverageOnHover": False,
                "spiderfyOnMaxZoom": True,
            },
        )
    else:
        site_group = folium.FeatureGroup(name=sites_name)
    site_group.add_to(folium_map)
    SiteMarkerLayer(sites, lang).add_to(site_group)


def map_html_size(folium_map: folium.Map) -> int:
    """Bytes of the map's HTML/JS as rendered (UTF-8), not counting the library files it loads."""
    return len(folium_map.get_root().render().encode("utf-8"))


def naive_overview_map(
    sites: gpd.GeoDataFrame, states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, lang: str
) -> folium.Map:
    """The size yardstick of the benchmark: the full-resolution layers, all columns, default GeoJson."""
    folium_map = folium.Map(tiles=None)
    for frame, name in ((districts, "districts"), (zones, "zones"), (states, "states")):
        folium.GeoJson(frame.to_json(), name=name).add_to(folium_map)
    cluster = folium.plugins.MarkerCluster().add_to(folium_map)
    points = site_points(sites)
    for index, site in sites.iterrows():
        folium.Marker([points.at[index, "lat"], points.at[index, "lon"]], tooltip=escape_text(site["name"])).add_to(
            cluster
        )
    return localize(folium_map)


def base_map(lang: str, label: str, height: str = "100%") -> folium.Map:
    """An empty map of the four states with no tile layer (for other map builders, e.g. choropleths), with a
    kilometre scale and `label` as its accessible name."""
    folium_map = folium.Map(tiles=None, prefer_canvas=False, height=height, zoom_snap=0.25)
    folium_map.fit_bounds(FOUR_STATES_BOUNDS)
    MetricScale().add_to(folium_map)
    AccessibleNames(lang, label).add_to(folium_map)
    return folium_map
