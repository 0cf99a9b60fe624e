"""The folium elements of the atlas's offline maps, each with its script as a file in
geo/maps/folium_scripts/: polygons from the polyline codec, site markers (symbol per program, tooltip with
the site id), town labels, the chosen site's ring, a fitted view, an HTML control, accessible names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geo.maps.codec import ENCODING_FACTOR
from geo.maps.symbols import (
    escape_text,
    marker_svg,
    program_label,
    template_safe_json,
)
from geo.texts import t

SITE_TOOLTIP_MARK = "#site:"

FOLIUM_SCRIPTS = Path(__file__).resolve().parent / "folium_scripts"


def folium_script(name: str) -> str:
    """The JavaScript of a folium element, kept as a file (geo/maps/folium_scripts/<name>.js.j2): a Jinja macro
    `script(this, kwargs)` that folium renders with the element's attributes (all data in it is
    JSON made safe by template_safe_json)."""
    return (FOLIUM_SCRIPTS / f"{name}.js.j2").read_text(encoding="utf-8")


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


class HtmlControl(MacroElement):
    """A Leaflet control holding an HTML block (the legend on frameless pages)."""

    _template = Template(folium_script("html_control"))

    def __init__(self, content_html: str, position: str = "bottomleft"):
        super().__init__()
        self._name = "HtmlControl"
        self.content_json = template_safe_json(content_html)
        self.position = position


class FitView(MacroElement):
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


class AccessibleNames(MacroElement):
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


class MetricScale(MacroElement):
    """A scale bar in kilometres only (folium's own scale adds miles)."""

    _template = Template(folium_script("metric_scale"))

    def __init__(self):
        super().__init__()
        self._name = "MetricScale"


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


class RevealSite(MacroElement):
    """Open the cluster that hides the chosen site (zoom or spiderfy); nothing if it is in view."""

    _template = Template(folium_script("reveal_site"))

    def __init__(self, site_id: str):
        super().__init__()
        self._name = "RevealSite"
        self.site_id_json = template_safe_json(str(site_id))
