"""Map-builder tests on the folium output of the offline export (no browser): markers, escaping, origins, size."""

from __future__ import annotations

import re
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.core.paths import SITES_GPKG
from geo.core.schema import FOUR_STATES_BOUNDS
from geo.maps import elements
from geo.maps.builders import MapLayers, build_overview_map, map_html_size, naive_overview_map
from geo.maps.codec import decode_ring, encode_ring
from geo.maps.elements import site_id_from_tooltip
from geo.maps.symbols import DISTRICT_STYLE, MAP_BACKGROUND, PROGRAM_SYMBOLS, ZONE_STYLES, escape_text, legend_html
from geo.maps.tiles import OSM_TILES, TileConfigError, tile_source
from geo.maps.towns import town_labels
from geo.sites.filters import SiteFilter, filter_sites
from geo.store import read_sites_for_app
from geo.store.reference import read_layer, read_table

HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>",
    "`${alert(2)}`",
    "{{ 7*7 }}{% raw %}",
    "</script><script>alert(3)</script>",
]
MAP_BUDGET_BYTES = 500_000


@lru_cache(maxsize=1)
def layers() -> MapLayers:
    return MapLayers.from_reference(read_layer, read_table)


@lru_cache(maxsize=1)
def bundled_sites() -> gpd.GeoDataFrame:
    if not SITES_GPKG.exists():
        pytest.skip("data/sites.gpkg is missing (python -m geo build)")
    return read_sites_for_app()


def hostile_sites() -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "site_id": [f"hostile-{index}" for index in range(len(HOSTILE_NAMES))],
            "name": HOSTILE_NAMES,
            "program": ["kreativort"] * len(HOSTILE_NAMES),
        }
    )
    return gpd.GeoDataFrame(
        frame, geometry=[Point(12 + index * 0.3, 51.5) for index in range(len(HOSTILE_NAMES))], crs=4326
    )


def rendered(folium_map) -> str:
    return folium_map.get_root().render()


def site_marker_layers(folium_map) -> list[elements.SiteMarkerLayer]:
    from geo.core.web_assets import iter_elements

    return [element for element in iter_elements(folium_map) if isinstance(element, elements.SiteMarkerLayer)]


@pytest.mark.parametrize(
    "site_filter",
    [
        SiteFilter(),
        SiteFilter(states=("SN",)),
        SiteFilter(programs=("zukunftsort",)),
        SiteFilter(query="coworking"),
        SiteFilter(query="no such place at all"),
    ],
)
def test_one_marker_per_filtered_site(site_filter):
    chosen = filter_sites(bundled_sites(), site_filter, read_table("zone_districts"))
    folium_map = build_overview_map(chosen, layers(), "de")
    [marker_layer] = site_marker_layers(folium_map)
    assert marker_layer.site_ids == list(chosen["site_id"])
    # every marker carries its id in its tooltip, which is how a click finds its site again
    tooltip_ids = re.findall(r"(?:#|\\u0023)site:([a-z0-9-]+)", rendered(folium_map))
    assert tooltip_ids == list(chosen["site_id"])


def test_hostile_names_are_escaped_everywhere():
    html = rendered(build_overview_map(hostile_sites(), layers(), "de", legend=True))
    assert "<img src=x" not in html and "&lt;img src=x" in html.replace("\\u0026", "&")
    assert "`${alert" not in html
    assert "7*7" in html and "{{ 7*7 }}" not in html and "{% raw %}" not in html  # not evaluated by branca's Jinja
    assert "</script><script>alert(3)" not in html


def test_tooltip_id_round_trip():
    site = hostile_sites().iloc[0]
    text = re.sub(r"<[^>]+>", "", elements.site_tooltip_html(site, "de"))  # what the browser's textContent gives
    assert site_id_from_tooltip(text, ["hostile-0"]) == "hostile-0"
    assert site_id_from_tooltip(text, ["other"]) is None
    assert site_id_from_tooltip("Landkreis Görlitz", None) is None
    assert site_id_from_tooltip(None) is None


def test_no_url_points_to_another_host_with_tiles_off():
    html = rendered(build_overview_map(bundled_sites(), layers(), "en", legend=True))
    assert re.findall(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, flags=re.I) == []
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith(("/app/static/vendor/", "data:")) for source in sources), sources


def test_tiles_only_when_asked_and_with_attribution():
    html = rendered(build_overview_map(bundled_sites().head(3), layers(), "de", tiles=OSM_TILES))
    hosts = set(re.findall(r"https?://([a-z0-9.-]+)", html))
    assert hosts == {"tile.openstreetmap.org", "www.openstreetmap.org"}
    assert "OpenStreetMap\\u003c/a\\u003e contributors" in html or "OpenStreetMap</a> contributors" in html


def test_base_path_prefixes_local_assets():
    html = rendered(build_overview_map(bundled_sites().head(2), layers(), "de", base_path="/atlas/"))
    assert "/atlas/app/static/vendor/leaflet/leaflet.js" in html


def test_default_map_within_budget_and_an_eighth_of_the_naive_map(record_property):
    sites = bundled_sites()
    size = map_html_size(build_overview_map(sites, layers(), "de"))
    naive = map_html_size(
        naive_overview_map(sites, read_layer("states"), read_layer("districts"), read_layer("zones"), "de")
    )
    record_property("overview_map_bytes", size)
    record_property("naive_map_bytes", naive)
    print(f"overview map {size:,} bytes, naive {naive:,} bytes, ratio 1/{naive / size:.1f}")
    assert size <= MAP_BUDGET_BYTES
    assert size * 8 <= naive


def test_map_fits_the_sites_or_the_four_states():
    sites = bundled_sites()
    some = sites[sites["state_code"] == "SN"]
    html = rendered(build_overview_map(some, layers(), "de"))
    south = some.geometry.y.min()
    assert f"[{round(south, 5)}" in html.replace(" ", "")
    empty_html = rendered(build_overview_map(sites.head(0), layers(), "de"))
    assert str(FOUR_STATES_BOUNDS[0][0]) in empty_html


def test_polyline_encoding_round_trip():
    ring = [(13.40499, 52.52001), (13.41, 52.5), (13.5, 52.47), (13.40499, 52.52001)]
    decoded = decode_ring(encode_ring(ring))
    assert [(round(lat, 4), round(lon, 4)) for lat, lon in decoded] == [
        (round(lat, 4), round(lon, 4)) for lon, lat in ring
    ]


def test_town_labels_keep_one_name_per_city_and_include_berlin():
    towns = town_labels(read_layer("states_web"), read_layer("districts_web"))
    names = set(towns["name"])
    assert {"Berlin", "Leipzig", "Dresden", "Magdeburg", "Erfurt", "Potsdam", "Cottbus"} <= names
    assert "Neue Neustadt" not in names and "Kreuzberg" not in names
    assert towns["name"].is_unique


def relative_luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("background", [MAP_BACKGROUND, DISTRICT_STYLE["fillColor"], "#f2efe9", "#ffffff"])
def test_program_and_zone_colours_keep_3_to_1_against_the_map(background):
    colours = [symbol.colour for symbol in PROGRAM_SYMBOLS.values()] + [style.colour for style in ZONE_STYLES.values()]
    assert min(contrast(colour, background) for colour in colours) >= 3.0


def test_programs_differ_by_shape_not_only_colour():
    shapes = [symbol.shape for symbol in PROGRAM_SYMBOLS.values()]
    assert len(set(shapes)) == len(shapes)
    dashes = [style.dash for style in ZONE_STYLES.values()]
    assert len(set(dashes)) == len(dashes)


def test_legend_lists_programs_in_the_language_and_requests_nothing():
    html = legend_html("en")
    assert "Zukunftsort Sachsen-Anhalt (Future Place award)" in html and "Other places" in html
    assert "<svg" not in html  # st.html strips inline SVG; symbols are data: images
    assert html.count('alt=""') == len(PROGRAM_SYMBOLS) + len(ZONE_STYLES)
    assert not re.search(r'src="(?!data:)', html)


def test_escape_text_neutralises_html_template_literals_and_jinja():
    assert escape_text("<a href='x'>`${y}`{{z}}\\") == (
        "&lt;a href=&#x27;x&#x27;&gt;&#96;&#36;&#123;y&#125;&#96;&#123;&#123;z&#125;&#125;&#92;"
    )


def test_tile_source_operator_override():
    assert tile_source({}) == OSM_TILES
    custom = tile_source(
        {
            "STANDORTATLAS_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
            "STANDORTATLAS_TILE_ATTRIBUTION": "© Example <b>",
        }
    )
    assert custom.host == "tiles.example.org" and custom.attribution_html == "© Example &lt;b&gt;"
    with pytest.raises(TileConfigError):
        tile_source({"STANDORTATLAS_TILE_URL": "https://tiles.example.org/{z}/{x}/{y}.png"})
    with pytest.raises(TileConfigError):
        tile_source({"STANDORTATLAS_TILE_URL": "javascript:alert(1)//{z}{x}{y}", "STANDORTATLAS_TILE_ATTRIBUTION": "x"})
