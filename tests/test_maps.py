"""The maps' shared parts without a browser: symbols, colours and patterns, the legend, escaping, the polyline
codec, town labels, tiles; and that every map's styles, icons and decoder exist once (static/atlas_map/)."""

from __future__ import annotations

import re

import pytest

from geo.core.paths import PROJECT_ROOT, STATIC_DIR
from geo.maps.codec import decode_ring, encode_ring
from geo.maps.symbols import (
    DISTRICT_STYLE,
    MAP_BACKGROUND,
    PROGRAM_SYMBOLS,
    ZONE_STYLES,
    ZONE_TYPE_ORDER,
    legend_html,
    map_patterns_svg,
    unverified_swatch_image,
)
from geo.maps.tiles import OSM_TILES, TileConfigError, tile_source
from geo.maps.towns import town_labels
from geo.store.reference import read_layer

MAP_CSS = STATIC_DIR / "atlas_map" / "atlas_map.css"
# Where code of the project lives (the vendored libraries and installed packages are not the project's).
SOURCE_GLOBS = (
    "geo/**/*.py",
    "views/**/*.py",
    "app.py",
    "serve.py",
    "static/atlas_map/*",
    "static/site_table/*",
    "components/**/*",
    "assets/**/*.html",
    "assets/**/*.css",
    "bench/**/*.py",
)


def project_files():
    for pattern in SOURCE_GLOBS:
        yield from (path for path in PROJECT_ROOT.glob(pattern) if path.is_file())


@pytest.mark.parametrize(
    "rule",
    [
        ".sa-cluster-ring",
        ".sa-cluster-count",
        ".sa-site-marker svg",
        ".sa-town span",
        ".sa-zone-coal_region",
        ".sa-number-marker span",
        ".sa-map-control",
    ],
)
def test_every_map_style_rule_is_written_once(rule):
    """The site map, the district and zone maps, the comparison's map and the offline export share one style
    sheet; no Python module or page carries a second copy of a map's rule."""
    pattern = re.compile(re.escape(rule) + r"\s*\{")
    holders = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in project_files()
        if pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert holders == ["static/atlas_map/atlas_map.css"]


def test_the_screen_reader_rule_is_written_once():
    """Text only screen readers get (a marker's name, a link's "opens in a new tab", a table's caption) is
    hidden by one rule, in the style every page has from its first paint; the maps, the sites table, the
    profile, the comparison and the offline export use it from there."""
    pattern = re.compile(r"\.sa-sr\s*\{")
    holders = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in project_files()
        if pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert holders == ["assets/first_paint.css"]


def test_the_polyline_decoder_and_the_icons_exist_once():
    decoders = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in project_files()
        if "charCodeAt(index++) - 63" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert decoders == ["static/atlas_map/polyline.js"]
    icon_makers = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in project_files()
        if "sa-cluster-count" in path.read_text(encoding="utf-8", errors="replace")
        and path.suffix in (".js", ".py", ".j2")
    ]
    assert icon_makers == ["static/atlas_map/atlas_sites.js"]


def test_every_pattern_the_style_sheet_fills_with_is_defined_for_the_maps():
    css = MAP_CSS.read_text(encoding="utf-8")
    used = set(re.findall(r"url\(#([\w-]+)\)", css))
    defined = set(re.findall(r'<pattern id="([\w-]+)"', map_patterns_svg()))
    assert used == defined == {*(f"sa-hatch-{zone_type}" for zone_type in ZONE_TYPE_ORDER), "sa-hatch-unverified"}
    assert 'src="data:image/svg+xml;base64,' in unverified_swatch_image()  # the legend shows the same hatching


def test_the_map_background_is_the_style_sheets():
    assert f"background: {MAP_BACKGROUND}" in MAP_CSS.read_text(encoding="utf-8")


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
