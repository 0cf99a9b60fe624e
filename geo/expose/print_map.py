"""The print view of the atlas map: one landscape page (A4 or A3) of the filtered sites, as a PDF.

Drawn offline like the exposé's maps (geo/expose/map_drawing.py): the four states with district borders
and hatched structural-change zones, the filtered sites with their program symbols, a legend of the
programs shown and the zone types, a scale bar, north arrow, the attribution, the data date, the print
date and the link of the same view in the atlas; when the printed sites have plot figures (which a filter
on area, price or zoning selects by), how old those figures are, by the rule of `geo.sites.provenance`.
Every text reaches the page as plain text (drawString), never as markup.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from geo.core.formatting import MISSING, format_date, format_number
from geo.core.schema import STATE_NAMES, themes
from geo.core.schema import programs as program_vocabulary
from geo.expose.document import MAP_ATTRIBUTION
from geo.expose.facts import facts_by_site
from geo.expose.fonts import PdfFonts, pdf_fonts
from geo.expose.map_drawing import (
    STATE_LINE,
    Frame,
    MapBase,
    draw_map,
    legend_row,
    map_sites,
    zone_legend,
)
from geo.expose.pdf_parts import data_date
from geo.maps.symbols import ZONE_TYPE_ORDER, program_label
from geo.sites.facts import vocabulary_label
from geo.sites.filters import SiteFilter
from geo.sites.provenance import format_as_of, parse_as_of
from geo.texts import pick, t

PAPER_SIZES = {"A4": landscape(A4), "A3": landscape(A3)}
MARGIN = 12 * mm
# Up to this many sites are shown on a map zoomed to them, numbered and listed by name beside it; the map
# spans at least ZOOMED_SPAN_M, so a single site keeps its district, its neighbours and their names around it.
LISTED_SITES = 15
ZOOMED_SPAN_M = 70_000


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with "…" to fit `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def filter_description(site_filter: SiteFilter, lang: str, zone_names: Mapping[str, str]) -> str:
    """The filter in words for the printed page ("Länder: Sachsen; Verfügbare Fläche mindestens (ha): 10");
    "" for none. `zone_names`: zone id -> name in `lang`."""
    theme_labels = themes()
    label_column = pick(lang, "label_de", "label_en")
    parts = [
        ("filter_states", [STATE_NAMES.get(code, {}).get(lang, code) for code in site_filter.states]),
        ("filter_programs", [program_label(code, lang) for code in site_filter.programs]),
        ("filter_themes", [theme_labels.get(code, {}).get(label_column, code) for code in site_filter.themes]),
        ("filter_zones", [zone_names.get(code, code) for code in site_filter.zones]),
        ("print_filter_query", [t("print_quoted", lang, text=site_filter.query)] if site_filter.query.strip() else []),
        ("filter_area_min", [] if site_filter.area_min is None else [_figure(site_filter.area_min, lang)]),
        ("filter_price_max", [] if site_filter.price_max is None else [_figure(site_filter.price_max, lang)]),
        ("filter_zoning", [vocabulary_label("zoning", code, lang) for code in site_filter.zoning]),
        ("filter_rail", [vocabulary_label("rail_siding", code, lang) for code in site_filter.rail]),
    ]
    return "; ".join(f"{t(key, lang)}: {', '.join(values)}" for key, values in parts if values)


def _figure(value: float, lang: str) -> str:
    """A filter's figure with the decimals it has (10, 2,5)."""
    decimals = 0 if float(value).is_integer() else len(f"{value}".split(".")[1])
    return format_number(value, lang, decimals)


def figures_age_line(sites: pd.DataFrame, facts: pd.DataFrame | None, lang: str, today: dt.date) -> str:
    """How old the plot figures of `sites` are: the oldest and newest date and how many are stale ("" when
    the sites have none)."""
    ages = [
        fact.age
        for figures in facts_by_site(facts, sites["site_id"].astype(str), lang, today).values()
        for fact in figures.values()
    ]
    if not ages:
        return ""
    dated = sorted((age for age in ages if age.dated), key=lambda age: parse_as_of(age.as_of) or dt.date.min)
    oldest, newest = (format_as_of(dated[0].as_of, lang), format_as_of(dated[-1].as_of, lang)) if dated else ("–", "–")
    return t("print_figures_age", lang, oldest=oldest, newest=newest, stale=sum(age.stale for age in ages))


def _draw_figures_age(canvas: Canvas, text: str, font: str, factor: float, width: float) -> float:
    """Draw the line that dates the printed sites' figures above the attribution ("" draws nothing); returns
    the footer's height."""
    if text:
        canvas.setFont(font, 7 * factor)
        canvas.setFillColor(STATE_LINE)
        canvas.drawString(MARGIN, MARGIN + 22 * factor, _fit(text, font, 7 * factor, width))
    return (34 if text else 24) * factor


def print_map_pdf(
    base: MapBase,
    sites: gpd.GeoDataFrame,
    total_sites: int,
    filter_text: str,
    lang: str,
    paper: str = "A4",
    link: str = "",
    today: dt.date | None = None,
    facts: pd.DataFrame | None = None,
) -> bytes:
    """One landscape page of `paper` ("A4" or "A3") showing `sites` (the filtered sites): over the four states,
    or, for a few sites, zoomed to them, numbered and listed beside the map. `filter_text` describes the
    filter in words ("" for none); `link` is the same view in the atlas; `facts` the site_facts table (the
    printed figures' dates)."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {sorted(PAPER_SIZES)}, not {paper!r}")
    fonts = pdf_fonts()
    page_width, page_height = PAPER_SIZES[paper]
    factor = page_width / PAPER_SIZES["A4"][0]  # A3 scales the type up with the paper
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, page_height), initialFontName=fonts.regular, lang=lang)
    canvas.setTitle(f"{t('app_title', lang)} – {t('print_title', lang, count=len(sites), total=total_sites)}")
    canvas.setAuthor(t("app_title", lang))
    canvas.setSubject(t("print_heading", lang))
    content_width = page_width - 2 * MARGIN
    map_top = _draw_head(canvas, fonts, factor, page_height, content_width, lang, len(sites), total_sites, filter_text)
    map_bottom = _draw_foot(canvas, fonts, factor, content_width, sites, lang, link, today or dt.date.today(), facts)
    if 0 < len(sites) <= LISTED_SITES:
        _draw_zoomed_map_and_list(canvas, base, sites, fonts, factor, content_width, map_bottom, map_top, lang)
    else:
        frame = Frame.around(base.total_bounds, content_width, map_top - map_bottom, margin_m=8_000)
        drawing = draw_map(
            base,
            frame,
            map_sites(sites),
            fonts.regular,
            fonts.bold,
            lang,
            symbol_size=9 * factor,
            district_labels=False,
        )
        renderPDF.draw(drawing, canvas, MARGIN, map_bottom)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_head(
    canvas: Canvas,
    fonts: PdfFonts,
    factor: float,
    page_height: float,
    width: float,
    lang: str,
    shown: int,
    total: int,
    filter_text: str,
) -> float:
    """Title, count and the filter in words (wrapped to two lines at most), top left; returns the top of the map."""
    canvas.setFillColor(STATE_LINE)
    canvas.setFont(fonts.bold, 15 * factor)
    top = page_height - MARGIN - 12 * factor
    canvas.drawString(MARGIN, top, t("app_title", lang))
    canvas.setFont(fonts.regular, 10 * factor)
    canvas.drawString(MARGIN, top - 15 * factor, t("print_title", lang, count=shown, total=total))
    described = t("print_filter", lang, filter=filter_text or t("print_no_filter", lang))
    size = 9 * factor
    lines = simpleSplit(described, fonts.regular, size, width)
    if len(lines) > 2:
        lines = [lines[0], _fit(" ".join(lines[1:]), fonts.regular, size, width)]
    canvas.setFont(fonts.regular, size)
    for number, line in enumerate(lines):
        canvas.drawString(MARGIN, top - (28 + 11 * number) * factor, line)
    return top - (36 + 11 * (len(lines) - 1)) * factor


def _draw_foot(
    canvas: Canvas,
    fonts: PdfFonts,
    factor: float,
    width: float,
    sites: gpd.GeoDataFrame,
    lang: str,
    link: str,
    today: dt.date,
    facts: pd.DataFrame | None = None,
) -> float:
    """Legend, the figures' dates, attribution, dates and link, bottom; returns the bottom of the map."""
    programs = [program for program in program_vocabulary() if program in set(sites["program"])]
    legend = legend_row(
        [(program, program_label(program, lang)) for program in programs], fonts.regular, width, font_size=7.5 * factor
    )
    zones = zone_legend(
        {zone_type: t(f"zone_type_{zone_type}", lang) for zone_type in ZONE_TYPE_ORDER},
        fonts.regular,
        width,
        font_size=7.5 * factor,
    )
    dated = figures_age_line(sites, facts, lang, today)
    footer_height = _draw_figures_age(canvas, dated, fonts.regular, factor, width)
    renderPDF.draw(legend, canvas, MARGIN, MARGIN + footer_height + zones.height)
    renderPDF.draw(zones, canvas, MARGIN, MARGIN + footer_height)
    canvas.setFont(fonts.regular, 7 * factor)
    canvas.setFillColor(STATE_LINE)
    attribution = t("print_attribution", lang, attribution=MAP_ATTRIBUTION)
    canvas.drawString(MARGIN, MARGIN + 12 * factor, _fit(attribution, fonts.regular, 7 * factor, width))
    stand = data_date(sites) if not sites.empty else ""
    stand_text = format_as_of(stand, lang) or MISSING
    footer = t("print_footer", lang, data_date=stand_text, date=format_date(today, lang), link=link)
    canvas.drawString(MARGIN, MARGIN + 2 * factor, _fit(footer, fonts.regular, 7 * factor, width))
    if link:
        canvas.linkURL(link, (MARGIN, MARGIN, MARGIN + width, MARGIN + 9 * factor), relative=0)
    return MARGIN + footer_height + zones.height + legend.height + 4 * factor


def _draw_zoomed_map_and_list(
    canvas: Canvas,
    base: MapBase,
    sites: gpd.GeoDataFrame,
    fonts: PdfFonts,
    factor: float,
    width: float,
    bottom: float,
    top: float,
    lang: str,
) -> None:
    """A few sites: a map zoomed to them (districts named, sites numbered) and the numbered list beside it."""
    listed = sites.sort_values("name", key=lambda names: names.str.casefold()).reset_index(drop=True)
    list_width = width * 0.3
    map_width = width - list_width - 6 * mm
    points = map_sites(listed, numbered=True)
    xs, ys = [point.x for point in points], [point.y for point in points]
    frame = Frame.around(
        (min(xs), min(ys), max(xs), max(ys)), map_width, top - bottom, margin_m=15_000, min_span_m=ZOOMED_SPAN_M
    )
    drawing = draw_map(base, frame, points, fonts.regular, fonts.bold, lang, symbol_size=10 * factor)
    renderPDF.draw(drawing, canvas, MARGIN, bottom)
    x = MARGIN + map_width + 6 * mm
    y = top - 10 * factor
    canvas.setFillColor(STATE_LINE)
    canvas.setFont(fonts.bold, 9 * factor)
    canvas.drawString(x, y, t("print_list_heading", lang))
    for number, (name, place) in enumerate(zip(listed["name"], listed["municipality"], strict=True), start=1):
        y -= 13 * factor
        canvas.setFont(fonts.bold, 8 * factor)
        canvas.drawString(x, y, str(number))
        canvas.setFont(fonts.regular, 8 * factor)
        entry = f"{name} – {place}" if isinstance(place, str) and place else str(name)
        canvas.drawString(x + 12 * factor, y, _fit(entry, fonts.regular, 8 * factor, list_width - 12 * factor))
