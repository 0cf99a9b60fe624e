"""Maps drawn without network: the simplified borders and zones of data/reference.gpkg as vector paths.

The exposé, the comparison page and the print view draw the same way: the `*_web` layers (simplified as
a coverage, so neighbours share borders) are projected to ETRS89-LAEA (EPSG:3035, metres, true
distances for the scale bar), clipped to the frame with shapely, and turned into ReportLab drawing
paths. A drawing goes into a PDF as it is, or becomes SVG for a web page. No tiles, no requests.

Zones are hatched like on the web map (one hatch direction and line pattern per zone type), so they
differ without colour; sites get their program's shape and colour, and a number where several are shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import shapely
from reportlab.graphics.shapes import Circle, Drawing, Group, Path, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from shapely.geometry import LineString, box

from geo.core.schema import METRIC_CRS, STORAGE_CRS
from geo.maps.symbols import ZONE_STYLES, ZONE_TYPE_ORDER, program_symbol

BACKGROUND = colors.HexColor("#f4f6f8")
DISTRICT_FILL = colors.HexColor("#e6ecf1")
DISTRICT_LINE = colors.HexColor("#7b8a99")
STATE_LINE = colors.HexColor("#1b2733")
LABEL_COLOUR = colors.HexColor("#4a5663")
HATCH_SPACING_PT = 5.0


@dataclass(frozen=True)
class MapBase:
    """States, districts and zones in EPSG:3035 (read once, then drawn for any frame)."""

    states: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame

    @classmethod
    def from_reference(cls, read_layer: Callable[[str], gpd.GeoDataFrame]) -> MapBase:
        """`read_layer(name)` gives a layer of data/reference.gpkg (e.g. geo.store.reference.read_layer)."""
        return cls(
            states=read_layer("states_web").to_crs(METRIC_CRS),
            districts=read_layer("districts_web").to_crs(METRIC_CRS),
            zones=read_layer("zones_web").to_crs(METRIC_CRS),
        )

    @property
    def total_bounds(self) -> tuple[float, float, float, float]:
        return tuple(self.states.total_bounds)


@dataclass(frozen=True)
class MapSite:
    """A site to draw: where (EPSG:3035 metres), its program (shape and colour), an optional label."""

    x: float
    y: float
    program: str
    label: str = ""


def map_sites(sites: gpd.GeoDataFrame, numbered: bool = False) -> list[MapSite]:
    """The sites of a sites frame as map sites (numbered 1, 2, … in frame order when `numbered`)."""
    projected = sites.to_crs(METRIC_CRS) if sites.crs is not None else sites.set_crs(STORAGE_CRS).to_crs(METRIC_CRS)
    return [
        MapSite(point.x, point.y, str(program), str(index) if numbered else "")
        for index, (point, program) in enumerate(zip(projected.geometry, projected["program"], strict=True), start=1)
    ]


@dataclass(frozen=True)
class Frame:
    """Which part of the world (EPSG:3035 box) fills a width × height drawing, and how metres map to points."""

    minx: float
    miny: float
    maxx: float
    maxy: float
    width: float
    height: float

    @classmethod
    def around(
        cls, bounds: Sequence[float], width: float, height: float, margin_m: float = 0.0, min_span_m: float = 0.0
    ) -> Frame:
        """The frame showing `bounds` (plus `margin_m` on every side, at least `min_span_m` wide and high),
        widened in one direction to the drawing's aspect ratio so nothing is distorted."""
        minx, miny, maxx, maxy = bounds
        cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
        span_x = max(maxx - minx + 2 * margin_m, min_span_m)
        span_y = max(maxy - miny + 2 * margin_m, min_span_m)
        if span_x / span_y < width / height:
            span_x = span_y * width / height
        else:
            span_y = span_x * height / width
        return cls(cx - span_x / 2, cy - span_y / 2, cx + span_x / 2, cy + span_y / 2, width, height)

    @property
    def points_per_metre(self) -> float:
        return self.width / (self.maxx - self.minx)

    @property
    def polygon(self):
        return box(self.minx, self.miny, self.maxx, self.maxy)

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.minx) * self.points_per_metre, (y - self.miny) * self.points_per_metre


def _rings(geometry) -> Iterable:
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        yield polygon.exterior
        yield from polygon.interiors


def _polygon_path(geometry, frame: Frame, **style) -> Path | None:
    """One even-odd filled path of all rings of a (multi)polygon, so holes stay holes."""
    path = Path(fillMode=0, **style)  # 0: even-odd
    any_ring = False
    for ring in _rings(geometry):
        coords = [frame.to_page(x, y) for x, y in ring.coords]
        if len(coords) < 3:
            continue
        path.moveTo(*coords[0])
        for point in coords[1:]:
            path.lineTo(*point)
        path.closePath()
        any_ring = True
    return path if any_ring else None


def _line_paths(geometry, frame: Frame, **style) -> list[Path]:
    paths = []
    for line in getattr(geometry, "geoms", [geometry]):
        if line.is_empty or line.geom_type != "LineString":
            continue
        path = Path(fillColor=None, **style)
        coords = [frame.to_page(x, y) for x, y in line.coords]
        path.moveTo(*coords[0])
        for point in coords[1:]:
            path.lineTo(*point)
        paths.append(path)
    return paths


def _hatch_lines(area, frame: Frame, angle_degrees: float) -> shapely.Geometry:
    """Parallel lines at `angle_degrees` (as on the web map) across `area`, HATCH_SPACING_PT apart."""
    spacing = HATCH_SPACING_PT / frame.points_per_metre
    minx, miny, maxx, maxy = area.bounds
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    reach = math.hypot(maxx - minx, maxy - miny) / 2 + spacing
    # the web map rotates vertical SVG hatch lines by the angle (clockwise on screen, y pointing down)
    angle = math.radians(-angle_degrees)
    direction = (math.sin(angle), math.cos(angle))
    normal = (direction[1], -direction[0])
    lines = []
    steps = int(reach / spacing) + 1
    for step in range(-steps, steps + 1):
        ox, oy = cx + normal[0] * step * spacing, cy + normal[1] * step * spacing
        lines.append(
            LineString(
                [
                    (ox - direction[0] * reach, oy - direction[1] * reach),
                    (ox + direction[0] * reach, oy + direction[1] * reach),
                ]
            )
        )
    return shapely.intersection(shapely.MultiLineString(lines), area)


def _clipped(frame_polygon, geometries: gpd.GeoSeries) -> list:
    candidates = geometries[geometries.intersects(frame_polygon)]
    return [shapely.intersection(geometry, frame_polygon) for geometry in candidates]


def symbol_points(shape: str, cx: float, cy: float, size: float) -> list[float] | None:
    """Corner points (flat x, y list) of a program symbol `size` wide around (cx, cy); None for a circle."""
    radius = size / 2

    def regular(corners: int, start_degrees: float, scale: float = 1.0) -> list[float]:
        flat = []
        for index in range(corners):
            angle = math.radians(start_degrees + 360 * index / corners)
            flat += [cx + radius * scale * math.cos(angle), cy + radius * scale * math.sin(angle)]
        return flat

    if shape == "square":
        return regular(4, 45, 0.95)
    if shape == "diamond":
        return regular(4, 90, 1.0)
    if shape == "triangle":
        return regular(3, 90, 1.05)
    if shape == "triangle_down":
        return regular(3, -90, 1.05)
    if shape == "hexagon":
        return regular(6, 90, 0.95)
    if shape == "star":
        flat = []
        for index in range(10):
            scale = 1.0 if index % 2 == 0 else 0.42
            angle = math.radians(90 + 36 * index)
            flat += [cx + radius * scale * math.cos(angle), cy + radius * scale * math.sin(angle)]
        return flat
    return None


def site_symbol(program: str, cx: float, cy: float, size: float) -> Group:
    """The program's symbol (shape and colour as on the web map) with a white rim."""
    symbol = program_symbol(program)
    style = {"fillColor": colors.HexColor(symbol.colour), "strokeColor": colors.white, "strokeWidth": size / 12}
    points = symbol_points(symbol.shape, cx, cy, size)
    shape = Circle(cx, cy, size * 0.36, **style) if points is None else Polygon(points, **style)
    return Group(shape)


def nice_distance(metres: float) -> float:
    """The largest of 1, 2, 5 × 10^k metres not above `metres` (a scale bar's length)."""
    exponent = math.floor(math.log10(metres))
    for factor in (5, 2, 1):
        if factor * 10**exponent <= metres:
            return factor * 10**exponent
    return 10**exponent


def scale_bar(frame: Frame, x: float, y: float, max_width: float, font: str, lang: str) -> Group:
    """A scale bar of a round distance, at most `max_width` points long, with its length in km."""
    from geo.core.formatting import format_number

    metres = nice_distance(max_width / frame.points_per_metre)
    length = metres * frame.points_per_metre
    km = metres / 1000
    text = f"{format_number(km, lang, 0 if km >= 1 else 1)} km"
    group = Group()
    group.add(Rect(x - 3, y - 3, length + 6, 15, fillColor=colors.Color(1, 1, 1, 0.85), strokeColor=None))
    half = length / 2
    group.add(Rect(x, y, half, 3, fillColor=STATE_LINE, strokeColor=STATE_LINE, strokeWidth=0.5))
    group.add(Rect(x + half, y, half, 3, fillColor=colors.white, strokeColor=STATE_LINE, strokeWidth=0.5))
    group.add(String(x, y + 5, "0", fontName=font, fontSize=6, fillColor=STATE_LINE))
    group.add(String(x + length, y + 5, text, fontName=font, fontSize=6, fillColor=STATE_LINE, textAnchor="end"))
    return group


def north_arrow(x: float, y: float, font: str) -> Group:
    """A small arrow pointing up ("N"): EPSG:3035 keeps north up in the four states within a degree."""
    group = Group()
    group.add(Polygon([x, y + 14, x - 4, y, x, y + 3, x + 4, y], fillColor=STATE_LINE, strokeColor=None))
    group.add(String(x, y + 16, "N", fontName=font, fontSize=7, fillColor=STATE_LINE, textAnchor="middle"))
    return group


def draw_map(
    base: MapBase,
    frame: Frame,
    sites: Sequence[MapSite],
    font: str,
    bold_font: str,
    lang: str,
    symbol_size: float = 12.0,
    district_labels: bool = True,
    scale: bool = True,
) -> Drawing:
    """The map of `frame`: districts, zones (hatched), state borders, sites on top; scale bar and north."""
    drawing = Drawing(frame.width, frame.height)
    drawing.add(Rect(0, 0, frame.width, frame.height, fillColor=BACKGROUND, strokeColor=None))
    area = frame.polygon
    for geometry in _clipped(area, base.districts.geometry):
        path = _polygon_path(geometry, frame, fillColor=DISTRICT_FILL, strokeColor=DISTRICT_LINE, strokeWidth=0.4)
        if path is not None:
            drawing.add(path)
    zones = base.zones[base.zones.intersects(area)]
    for zone_type in ZONE_TYPE_ORDER:  # the same order as the legend
        style = ZONE_STYLES[zone_type]
        colour = colors.HexColor(style.colour)
        for geometry in zones[zones["zone_type"] == zone_type].geometry:
            clipped = shapely.intersection(geometry, area)
            hatch = colors.Color(colour.red, colour.green, colour.blue, 0.45)
            for line in _line_paths(
                _hatch_lines(clipped, frame, style.hatch_angle), frame, strokeColor=hatch, strokeWidth=0.6
            ):
                drawing.add(line)
            dash = [float(part) * 0.6 for part in style.dash.split()] if style.dash else None
            outline = _polygon_path(
                clipped, frame, fillColor=None, strokeColor=colour, strokeWidth=style.weight * 0.5, strokeDashArray=dash
            )
            if outline is not None:
                drawing.add(outline)
    for geometry in _clipped(area, base.states.geometry):
        path = _polygon_path(geometry, frame, fillColor=None, strokeColor=STATE_LINE, strokeWidth=1.1)
        if path is not None:
            drawing.add(path)
    if district_labels:
        for name, geometry in zip(base.districts["name"], base.districts.geometry, strict=True):
            visible = shapely.intersection(geometry, area)
            if visible.is_empty or visible.area < 0.04 * area.area:
                continue  # no label for a district that only touches the frame
            point = visible.representative_point()
            x, y = frame.to_page(point.x, point.y)
            # kept inside the frame: a district at the edge is labelled where its name fits
            half_width = stringWidth(str(name), font, 6.5) / 2 + 3
            x = min(max(x, half_width), frame.width - half_width)
            y = min(max(y, 22.0), frame.height - 10)
            drawing.add(
                String(x, y, str(name), fontName=font, fontSize=6.5, fillColor=LABEL_COLOUR, textAnchor="middle")
            )
    for site in sites:
        x, y = frame.to_page(site.x, site.y)
        if not (0 <= x <= frame.width and 0 <= y <= frame.height):
            continue
        drawing.add(site_symbol(site.program, x, y, symbol_size))
        if site.label:
            drawing.add(
                String(
                    x + symbol_size * 0.55,
                    y + symbol_size * 0.3,
                    site.label,
                    fontName=bold_font,
                    fontSize=8,
                    fillColor=STATE_LINE,
                    strokeColor=colors.white,
                    strokeWidth=0,
                )
            )
    if scale:
        drawing.add(scale_bar(frame, 8, 8, frame.width / 4, font, lang))
        drawing.add(north_arrow(frame.width - 12, frame.height - 24, bold_font))
    drawing.add(Rect(0, 0, frame.width, frame.height, fillColor=None, strokeColor=DISTRICT_LINE, strokeWidth=0.6))
    return drawing


def locator_drawing(base: MapBase, site: MapSite, detail: Frame, width: float, height: float) -> Drawing:
    """A small overview of the four states with the site and the detail map's frame, for orientation."""
    frame = Frame.around(base.total_bounds, width, height, margin_m=5_000)
    drawing = Drawing(width, height)
    drawing.add(Rect(0, 0, width, height, fillColor=colors.white, strokeColor=None))
    for geometry in base.states.geometry:
        path = _polygon_path(geometry, frame, fillColor=DISTRICT_FILL, strokeColor=STATE_LINE, strokeWidth=0.5)
        if path is not None:
            drawing.add(path)
    x0, y0 = frame.to_page(detail.minx, detail.miny)
    x1, y1 = frame.to_page(detail.maxx, detail.maxy)
    drawing.add(Rect(x0, y0, x1 - x0, y1 - y0, fillColor=None, strokeColor=colors.HexColor("#C24F00"), strokeWidth=0.8))
    x, y = frame.to_page(site.x, site.y)
    drawing.add(Circle(x, y, 1.8, fillColor=STATE_LINE, strokeColor=None))
    drawing.add(Rect(0, 0, width, height, fillColor=None, strokeColor=DISTRICT_LINE, strokeWidth=0.5))
    return drawing


def legend_row(items: Sequence[tuple[str, str]], font: str, width: float, font_size: float = 7.5) -> Drawing:
    """A legend line of program symbols: (program, label) pairs, wrapped over as many rows as needed."""
    row_height = font_size * 1.9
    placed: list[tuple[float, int, str, str]] = []
    x, row = 0.0, 0
    for program, label in items:
        item_width = 14 + stringWidth(label, font, font_size) + 12
        if x + item_width > width and x > 0:
            x, row = 0.0, row + 1
        placed.append((x, row, program, label))
        x += item_width
    rows = row + 1
    drawing = Drawing(width, rows * row_height)
    for x, row, program, label in placed:
        y = (rows - row - 1) * row_height + row_height / 2
        drawing.add(site_symbol(program, x + 5, y, 10))
        drawing.add(String(x + 14, y - font_size / 3, label, fontName=font, fontSize=font_size, fillColor=STATE_LINE))
    return drawing


def zone_legend(labels: dict[str, str], font: str, width: float, font_size: float = 7.5) -> Drawing:
    """A legend line of the zone types: a hatched, outlined swatch and the type's label."""
    height = font_size * 2.2
    drawing = Drawing(width, height)
    x = 0.0
    for zone_type in ZONE_TYPE_ORDER:
        style = ZONE_STYLES[zone_type]
        colour = colors.HexColor(style.colour)
        swatch = box(0, 0, 22, 11)
        frame = Frame(0, 0, 22, 11, 22, 11)
        group = Group()
        group.add(Rect(0, 0, 22, 11, fillColor=DISTRICT_FILL, strokeColor=None))
        for line in _line_paths(
            _hatch_lines(swatch, frame, style.hatch_angle),
            frame,
            strokeColor=colors.Color(colour.red, colour.green, colour.blue, 0.45),
            strokeWidth=0.6,
        ):
            group.add(line)
        dash = [float(part) * 0.6 for part in style.dash.split()] if style.dash else None
        group.add(
            Rect(0, 0, 22, 11, fillColor=None, strokeColor=colour, strokeWidth=style.weight * 0.5, strokeDashArray=dash)
        )
        group.translate(x, (height - 11) / 2)
        drawing.add(group)
        drawing.add(
            String(
                x + 26,
                height / 2 - font_size / 3,
                labels[zone_type],
                fontName=font,
                fontSize=font_size,
                fillColor=STATE_LINE,
            )
        )
        x += 26 + stringWidth(labels[zone_type], font, font_size) + 14
    return drawing


def shortlist_map(
    base: MapBase, sites: gpd.GeoDataFrame, width: float, height: float, lang: str, min_span_m: float = 36_000
) -> Drawing:
    """All `sites` numbered 1, 2, … (frame order) on one map that fits them, with some room around."""
    from geo.expose.fonts import pdf_fonts

    fonts = pdf_fonts()
    points = map_sites(sites, numbered=True)
    xs, ys = [point.x for point in points], [point.y for point in points]
    frame = Frame.around((min(xs), min(ys), max(xs), max(ys)), width, height, margin_m=12_000, min_span_m=min_span_m)
    return draw_map(base, frame, points, fonts.regular, fonts.bold, lang)


def drawing_svg(drawing: Drawing) -> str:
    """The drawing as an SVG document (for a web page; the same paths as in the PDF)."""
    from reportlab.graphics import renderSVG

    svg = renderSVG.drawToString(drawing)
    # the PDF's font names are no CSS font families: name the family and a fallback for the browser
    for name, css in (
        ("-Bold", "font-family: 'DejaVu Sans', sans-serif; font-weight: bold"),
        ("-Oblique", "font-family: 'DejaVu Sans', sans-serif; font-style: italic"),
        ("", "font-family: 'DejaVu Sans', sans-serif"),
    ):
        for family in ("DejaVuSans", "Vera"):
            svg = svg.replace(f"font-family: {family}{name}", css)
    return svg
