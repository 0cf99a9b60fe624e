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

import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, cast

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.core.schema import FOUR_STATES_BOUNDS
from geo.core.web_assets import localize
from geo.maps.codec import ENCODING_FACTOR, encode_polygons
from geo.maps.symbols import (
    DISTRICT_STYLE,
    LEGEND_CSS,
    MAP_CSS,
    PROGRAM_SYMBOLS,
    STATE_STYLE,
    ZONE_STYLES,
    ZONE_TYPE_ORDER,
    MarkerSymbol,
    ZoneStyle,
    _hatch_defs,
    escape_text,
    legend_html,
    marker_svg,
    program_label,
    symbol_image,
    template_safe_json,
    zone_swatch_image,
)
from geo.maps.tiles import TileSource
from geo.maps.towns import town_labels
from geo.texts import t

SITE_TOOLTIP_MARK = "#site:"
MAX_ZOOM_WITHOUT_TILES = 13
SITES_FIT_MAX_ZOOM = 11
CLUSTER_RADIUS_PX = 22
CLUSTERING_OFF_AT_ZOOM = 10


FOLIUM_SCRIPTS = Path(__file__).resolve().parent / "folium_scripts"


def folium_script(name: str) -> str:
    """The JavaScript of a folium element, kept as a file (geo/maps/folium_scripts/<name>.js.j2): a Jinja macro
    `script(this, kwargs)` that folium renders with the element's attributes (all data in it is
    JSON made safe by template_safe_json)."""
    return (FOLIUM_SCRIPTS / f"{name}.js.j2").read_text(encoding="utf-8")


__all__ = [
    "MapLayers",
    "MarkerSymbol",
    "ZoneStyle",
    "PROGRAM_SYMBOLS",
    "ZONE_STYLES",
    "build_overview_map",
    "selected_site_layer",
    "site_id_from_tooltip",
    "site_tooltip_html",
    "legend_html",
    "marker_svg",
    "symbol_image",
    "zone_swatch_image",
    "town_labels",
    "map_html_size",
    "naive_overview_map",
    "escape_text",
    "site_points",
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


class EncodedPolygonLayer(folium.FeatureGroup):
    """A feature group of polygons shipped as encoded polylines and decoded in the browser.

    `items` is a list of {"p": encoded polygons, "t": tooltip text (already escaped) or absent}; all
    share `style` (Leaflet path options, including `className` for CSS such as hatching).
    """

    _template = Template(folium_script("encoded_polygon_layer"))

    def __init__(self, items: list[dict], style: dict, name: str, show: bool = True, control: bool = True):
        super().__init__(name=name, overlay=True, control=control, show=show)
        self._name = "EncodedPolygonLayer"
        self.items = items
        self.items_json = template_safe_json(items)
        self.style = style
        self.factor = ENCODING_FACTOR

    @property
    def polygon_count(self) -> int:
        return len(self.items)


class _HtmlControl(MacroElement):
    """A Leaflet control holding an HTML block (the legend on frameless pages)."""

    _template = Template(folium_script("html_control"))

    def __init__(self, content_html: str, position: str = "bottomleft"):
        super().__init__()
        self._name = "HtmlControl"
        self.content_json = template_safe_json(content_html)
        self.position = position


class _FitView(MacroElement):
    """Open the map on `bounds`, and fit again whenever the map's size changes until the visitor moves
    it: the component's iframe gets its final width only after Leaflet has drawn the map, and a fit
    made for the first width leaves sites at the edge or under the controls."""

    _template = Template(folium_script("fit_view"))

    def __init__(self, bounds: Sequence[Sequence[float]], max_zoom: int):
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(value) for value in corner] for corner in bounds]
        self.bounds_json = template_safe_json(self.bounds)
        self.max_zoom = int(max_zoom)

    def _get_self_bounds(self) -> list[list[float | None]]:
        return [list(corner) for corner in self.bounds]


class _AccessibleNames(MacroElement):
    """The language of the map's document (the component's iframe says "en"), the map container as its
    named main landmark with a heading, zoom buttons named in the language, a viewport that lets a phone
    zoom, and a name for the iframe that holds the map (WCAG 1.4.4, 2.4.6, 3.1.1, 4.1.2)."""

    _template = Template(folium_script("accessible_names"))

    def __init__(self, lang: str, label: str):
        super().__init__()
        self._name = "AccessibleNames"
        self.lang_json = template_safe_json(lang)
        self.label_json = template_safe_json(label)
        self.zoom_names_json = template_safe_json(
            {".leaflet-control-zoom-in": t("map_zoom_in", lang), ".leaflet-control-zoom-out": t("map_zoom_out", lang)}
        )


class _MetricScale(MacroElement):
    """A scale bar in kilometres only (folium's own scale adds miles)."""

    _template = Template(folium_script("metric_scale"))

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


# --- sites --------------------------------------------------------------------------------------------


def site_points(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """lat/lon per site (EPSG:4326), rounded to 1e-5° (≈ 1 m)."""
    geometry = sites.geometry if sites.crs is None or sites.crs.to_epsg() == 4326 else sites.geometry.to_crs(4326)
    return pd.DataFrame({"lat": geometry.y.round(5), "lon": geometry.x.round(5)}, index=sites.index)


def site_tooltip_html(site: pd.Series, lang: str) -> str:
    """Name and program, plus the hidden id that maps a click back to the site."""
    return (
        f"<strong>{escape_text(site['name'])}</strong><br>{escape_text(program_label(site['program'], lang))}"
        f"<span hidden>{SITE_TOOLTIP_MARK}{escape_text(site['site_id'])}</span>"
    )


_TOOLTIP_ID = re.compile(re.escape(SITE_TOOLTIP_MARK) + r"\s*(\S+)\s*$")


def site_id_from_tooltip(text: str | None, known_ids: Iterable[str] | None = None) -> str | None:
    """The site id at the end of a clicked tooltip's text, or None (a district, a cluster, nothing)."""
    if not text:
        return None
    match = _TOOLTIP_ID.search(str(text))
    if match is None:
        return None
    site_id = html.unescape(match.group(1))
    if known_ids is not None and site_id not in set(known_ids):
        return None
    return site_id


_CSS_CLASS_UNSAFE = re.compile(r"[^a-z0-9_-]")


class SiteMarkerLayer(MacroElement):
    """All sites of a map as one element: one marker per site (inline-SVG DivIcon, tooltip), added in
    one go to its parent (a MarkerCluster or FeatureGroup). One element instead of three folium
    elements per site keeps building and rendering the map fast (branca compiles every element's
    script as a template).

    `markers` holds one entry per site: {"id", "y", "x", "p" (program), "t" (tooltip HTML, escaped),
    "l" (text alternative, escaped)}.
    """

    _template = Template(folium_script("site_marker_layer"))

    def __init__(self, sites: gpd.GeoDataFrame, lang: str):
        super().__init__()
        self._name = "SiteMarkerLayer"
        points = site_points(sites)
        self.markers: list[dict[str, Any]] = [
            {
                "id": str(site["site_id"]),
                "y": float(points.at[index, "lat"]),
                "x": float(points.at[index, "lon"]),
                "p": _CSS_CLASS_UNSAFE.sub("", str(site["program"]).lower()),
                "t": site_tooltip_html(site, lang),
                "l": escape_text(f"{site['name']} ({program_label(site['program'], lang)})"),
            }
            for index, site in sites.iterrows()
        ]
        symbols = {marker["p"]: marker_svg(marker["p"]) for marker in self.markers}
        symbols[""] = marker_svg("")
        self.markers_json = template_safe_json(self.markers)
        self.symbols_json = template_safe_json(symbols)

    @property
    def site_ids(self) -> list[str]:
        return [marker["id"] for marker in self.markers]


class TownLabelLayer(folium.FeatureGroup):
    """Names of the larger towns as non-interactive labels (no tab stop, no click)."""

    _template = Template(folium_script("town_label_layer"))

    def __init__(self, towns: pd.DataFrame, name: str):
        super().__init__(name=name, overlay=True)
        self._name = "TownLabelLayer"
        self.towns = [
            [round(float(town.lat), 4), round(float(town.lon), 4), escape_text(town.name)]
            for town in towns.itertuples()
        ]
        self.towns_json = template_safe_json(self.towns)


def _cluster_icon_function(lang: str) -> str:
    label = json.dumps(" " + t("cluster_sites_label", lang))
    return (
        "function (cluster) { var count = cluster.getChildCount();"
        " return L.divIcon({html: '<span class=\"sa-cluster-count\">' + count + '</span>'"
        f" + '<span class=\"sa-sr\">' + count + {label} + '</span>',"
        " className: 'sa-cluster', iconSize: L.point(34, 34)}); }"
    )


class _RevealSite(MacroElement):
    """Open the cluster that hides the chosen site (zoom or spiderfy); nothing if it is in view."""

    _template = Template(folium_script("reveal_site"))

    def __init__(self, site_id: str):
        super().__init__()
        self._name = "RevealSite"
        self.site_id_json = template_safe_json(str(site_id))


def selected_site_layer(site: pd.Series) -> folium.FeatureGroup:
    """A ring around the chosen site, in its own non-interactive feature group; if a cluster hides the
    site, the map opens that cluster."""
    geometry = site.geometry
    group = folium.FeatureGroup(name="selected", control=False)
    _RevealSite(site["site_id"]).add_to(group)
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
        names = dict(zip(layers.zones["zone_id"], layers.zones["name_en" if lang == "en" else "name"], strict=True))
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
    _MetricScale().add_to(folium_map)
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

    if selected_site_id is not None:
        chosen = sites[sites["site_id"] == selected_site_id]
        if not chosen.empty:
            selected_site_layer(chosen.iloc[0]).add_to(folium_map)

    if bounds is None:
        bounds = (_sites_bounds(sites) if fit_to_sites else None) or FOUR_STATES_BOUNDS
    _FitView(bounds, SITES_FIT_MAX_ZOOM).add_to(folium_map)

    if fullscreen:
        folium.plugins.Fullscreen(
            position="topleft", title=t("fullscreen_on", lang), title_cancel=t("fullscreen_off", lang)
        ).add_to(folium_map)
    if legend:
        _HtmlControl(legend_html(lang, programs=sites["program"].unique() if not sites.empty else None)).add_to(
            folium_map
        )
    if layer_control:
        folium.LayerControl(position="topright", collapsed=True).add_to(folium_map)
    _AccessibleNames(lang, t("map_accessible_name", lang, count=len(sites))).add_to(folium_map)
    return localize(folium_map, base_path)


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
    _MetricScale().add_to(folium_map)
    _AccessibleNames(lang, label).add_to(folium_map)
    return folium_map
