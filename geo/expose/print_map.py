"""The print view of the atlas map: one landscape page (A4 or A3) of the filtered sites, as a PDF.

Drawn offline like the exposé's maps (geo/expose/map_drawing.py): the four states with district borders
and hatched structural-change zones, the filtered sites with their program symbols, a legend of the
programs shown and the zone types, a scale bar, north arrow, the attribution, the data date, the print
date and the link of the same view in the atlas. Every text reaches the page as plain text (drawString),
never as markup.
"""

from __future__ import annotations

import datetime as dt
import io

import geopandas as gpd
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from geo.core.schema import programs as program_vocabulary
from geo.expose.document import MAP_ATTRIBUTION, data_date
from geo.expose.fonts import pdf_fonts
from geo.expose.map_drawing import (
    STATE_LINE,
    Frame,
    MapBase,
    draw_map,
    legend_row,
    map_sites,
    zone_legend,
)
from geo.maps.symbols import ZONE_TYPE_ORDER, program_label
from geo.texts import t

PAPER_SIZES = {"A4": landscape(A4), "A3": landscape(A3)}
MARGIN = 12 * mm


def _fit(text: str, font: str, size: float, width: float) -> str:
    """`text` shortened with "…" to fit `width` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def print_map_pdf(
    base: MapBase,
    sites: gpd.GeoDataFrame,
    total_sites: int,
    filter_text: str,
    lang: str,
    paper: str = "A4",
    link: str = "",
    today: dt.date | None = None,
) -> bytes:
    """One landscape page of `paper` ("A4" or "A3") showing `sites` (the filtered sites) over the four states.
    `filter_text` describes the filter in words ("" for none); `link` is the same view in the atlas."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {sorted(PAPER_SIZES)}, not {paper!r}")
    fonts = pdf_fonts()
    page_width, page_height = PAPER_SIZES[paper]
    factor = page_width / PAPER_SIZES["A4"][0]  # A3 scales the type up with the paper
    today = today or dt.date.today()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, page_height), initialFontName=fonts.regular, lang=lang)
    canvas.setTitle(f"{t('app_title', lang)} – {t('print_title', lang, count=len(sites), total=total_sites)}")
    canvas.setAuthor(t("app_title", lang))
    canvas.setSubject(t("print_heading", lang))
    content_width = page_width - 2 * MARGIN

    # title and filter, top left
    canvas.setFillColor(STATE_LINE)
    canvas.setFont(fonts.bold, 15 * factor)
    top = page_height - MARGIN - 12 * factor
    canvas.drawString(MARGIN, top, t("app_title", lang))
    canvas.setFont(fonts.regular, 10 * factor)
    canvas.drawString(MARGIN, top - 15 * factor, t("print_title", lang, count=len(sites), total=total_sites))
    described = t("print_filter", lang, filter=filter_text or t("print_no_filter", lang))
    canvas.drawString(MARGIN, top - 28 * factor, _fit(described, fonts.regular, 9 * factor, content_width))

    # legend and footer, bottom; the map fills what is left
    programs = [program for program in program_vocabulary() if program in set(sites["program"])]
    legend = legend_row(
        [(program, program_label(program, lang)) for program in programs],
        fonts.regular,
        content_width,
        font_size=7.5 * factor,
    )
    zones = zone_legend(
        {zone_type: t(f"zone_type_{zone_type}", lang) for zone_type in ZONE_TYPE_ORDER},
        fonts.regular,
        content_width,
        font_size=7.5 * factor,
    )
    footer_height = 24 * factor
    legend_top = MARGIN + footer_height + zones.height + legend.height
    renderPDF.draw(legend, canvas, MARGIN, MARGIN + footer_height + zones.height)
    renderPDF.draw(zones, canvas, MARGIN, MARGIN + footer_height)
    canvas.setFont(fonts.regular, 7 * factor)
    canvas.setFillColor(STATE_LINE)
    canvas.drawString(
        MARGIN,
        MARGIN + 12 * factor,
        _fit(t("print_attribution", lang, attribution=MAP_ATTRIBUTION), fonts.regular, 7 * factor, content_width),
    )
    date_text = today.strftime("%d.%m.%Y") if lang == "de" else today.isoformat()
    stand = data_date(sites) if not sites.empty else ""
    if stand and lang == "de":
        stand = dt.date.fromisoformat(stand).strftime("%d.%m.%Y")
    footer = t("print_footer", lang, data_date=stand or "–", date=date_text, link=link)
    canvas.drawString(MARGIN, MARGIN + 2 * factor, _fit(footer, fonts.regular, 7 * factor, content_width))
    if link:
        canvas.linkURL(link, (MARGIN, MARGIN, MARGIN + content_width, MARGIN + 9 * factor), relative=0)

    map_top = top - 36 * factor
    map_bottom = legend_top + 4 * factor
    frame = Frame.around(base.total_bounds, content_width, map_top - map_bottom, margin_m=8_000)
    drawing = draw_map(
        base, frame, map_sites(sites), fonts.regular, fonts.bold, lang, symbol_size=9 * factor, district_labels=False
    )
    renderPDF.draw(drawing, canvas, MARGIN, map_bottom)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
