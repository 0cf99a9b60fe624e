"""Symbols, colours, zone patterns, and the legend shared by every map of the atlas.

- ``PROGRAM_SYMBOLS``, ``ZONE_STYLES``, ``marker_svg(program)``, ``symbol_image(program)``,
  ``zone_swatch_image(zone_type)``, ``program_label(program, lang)`` — for anything that has to match the map.
- ``legend_html(lang, programs=None, with_zones=True, heading_level=3)`` — the legend as an HTML block
  (symbols as data: images, so it survives st.html).
- ``map_patterns_svg()`` — the hatch patterns every map fills its zones (and unverified districts) with;
  ``unverified_swatch_image()`` the same hatching for a legend.

The map's other styles are in static/atlas_map/atlas_map.css (the one style sheet of every map).
"""

from __future__ import annotations

import base64
import functools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from geo.core.schema import programs as program_vocabulary
from geo.texts import pick, t

MAP_BACKGROUND = "#f4f6f8"  # the maps' background (static/atlas_map/atlas_map.css), for contrast checks
STATE_STYLE = {"color": "#1b2733", "weight": 2.4, "fill": False, "interactive": False}
DISTRICT_STYLE = {"color": "#7b8a99", "weight": 0.8, "fillColor": "#e6ecf1", "fillOpacity": 0.9}


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
    return (
        f'<svg class="sa-symbol" width="{size}" height="{size}" viewBox="0 0 20 20" aria-hidden="true" '
        f'focusable="false">{_symbol_shape(program)}</svg>'
    )


def _svg_image(inner: str, width: int, height: int, view_box: str) -> str:
    """SVG as a decorative <img> with a data: URI: survives HTML sanitisers that drop inline <svg>
    (st.html), carries its own pattern definitions, and requests nothing."""
    document = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="{view_box}">{inner}</svg>'
    )
    encoded = base64.b64encode(document.encode("utf-8")).decode("ascii")
    return f'<img class="sa-symbol" src="data:image/svg+xml;base64,{encoded}" width="{width}" height="{height}" alt="">'


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
    return pick(lang, row["label_de"], row["label_en"])


# --- escaping -----------------------------------------------------------------------------------------


# --- styles and legend --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hatch:
    """Parallel lines in an 8 px tile, turned by `angle` degrees, over an optional background."""

    colour: str
    angle: int
    width: float = 1.6
    opacity: float = 0.45
    background: str | None = None


# A district whose figure nobody verified (regional aid): grey hatching, a class of its own, never zero.
UNVERIFIED_HATCH = Hatch("#8c8c8c", 45, width=2.5, opacity=1, background="#f0f0f0")


def _hatch_pattern(element_id: str, hatch: Hatch) -> str:
    background = f'<rect width="8" height="8" fill="{hatch.background}"/>' if hatch.background else ""
    return (
        f'<pattern id="{element_id}" patternUnits="userSpaceOnUse" width="8" height="8" '
        f'patternTransform="rotate({hatch.angle})">{background}<line x1="0" y1="0" x2="0" y2="8" '
        f'stroke="{hatch.colour}" stroke-width="{hatch.width}" stroke-opacity="{hatch.opacity}"/></pattern>'
    )


def _zone_hatch(zone_type: str) -> Hatch:
    style = ZONE_STYLES[zone_type]
    return Hatch(style.colour, style.hatch_angle)


def map_patterns_svg() -> str:
    """The patterns the maps fill with (static/atlas_map/atlas_map.css refers to them by id): the zone
    types' hatching `sa-hatch-<zone type>` and the unverified districts' `sa-hatch-unverified`."""
    patterns = "".join(_hatch_pattern(f"sa-hatch-{zone_type}", _zone_hatch(zone_type)) for zone_type in ZONE_TYPE_ORDER)
    patterns += _hatch_pattern("sa-hatch-unverified", UNVERIFIED_HATCH)
    return (
        '<svg id="sa-hatch-defs" width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
        f"<defs>{patterns}</defs></svg>"
    )


def unverified_swatch_image() -> str:
    """The unverified districts' hatching as a small decorative image (legend)."""
    inner = f'<defs>{_hatch_pattern("h", UNVERIFIED_HATCH)}</defs><rect width="18" height="12" fill="url(#h)"/>'
    return _svg_image(inner, 18, 12, "0 0 18 12")


LEGEND_CSS = """
.sa-legend { font-size: 0.85rem; line-height: 1.35; color: #1b2733; }
.sa-legend h2, .sa-legend h3, .sa-legend h4 { font-size: 0.85rem; font-weight: 600; margin: 0.2rem 0 0.25rem;
  padding: 0; }
.sa-legend ul { list-style: none; margin: 0 0 0.4rem; padding: 0; display: flex; flex-wrap: wrap;
  gap: 0.15rem 0.9rem; }
.sa-legend li { display: flex; align-items: center; gap: 0.35rem; margin: 0; }
.sa-legend svg { flex: none; }
"""


def zone_swatch_image(zone_type: str) -> str:
    """A zone type's outline and hatching as a small decorative image (legend)."""
    style = ZONE_STYLES[zone_type]
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    inner = (
        f'<defs>{_hatch_pattern("h", _zone_hatch(zone_type))}</defs><rect x="1.5" y="1.5" width="31" height="15" '
        f'fill="#e6ecf1"/><rect x="1.5" y="1.5" width="31" height="15" fill="url(#h)" stroke="{style.colour}" '
        f'stroke-width="{style.weight}"{dash}/>'
    )
    return _svg_image(inner, 34, 18, "0 0 34 18")


def legend_html(
    lang: str, programs: Iterable[str] | None = None, with_zones: bool = True, heading_level: int = 3
) -> str:
    """The legend as a self-contained HTML block (its CSS included): program symbols with their labels,
    zone patterns. `programs` limits the list (e.g. to the programs on the map); the default lists all.
    `heading_level` fits its two headings into the page's outline. Symbols are images with data: URIs,
    so the block also survives st.html's sanitiser."""
    level = max(2, min(heading_level, 6))
    shown = list(program_vocabulary()) if programs is None else [p for p in program_vocabulary() if p in set(programs)]
    return (
        _templates()
        .get_template("legend.html.j2")
        .render(
            css=Markup(LEGEND_CSS),
            lang=lang,
            level=level,
            programs_heading=t("legend_programs", lang),
            programs=[(Markup(symbol_image(program)), program_label(program, lang)) for program in shown],
            zones_heading=t("legend_zones", lang),
            zones=[
                (Markup(zone_swatch_image(zone_type)), t(f"zone_type_{zone_type}", lang))
                for zone_type in ZONE_TYPE_ORDER
            ]
            if with_zones
            else [],
        )
    )


@functools.lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    """HTML templates of the map (geo/maps/templates/), with autoescaping on."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
