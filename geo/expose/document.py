"""The exposé PDF: one or two A4 pages per site, in German or English, built offline with ReportLab.

Each site gets: name, program and place; a map of its surroundings (borders, districts, zones, the site;
no tiles) with a locator of the four states; plot facts with units and sources where they exist; the
description; the district's key figures; regional aid; straight-line distances; contact; sources and
licences; the data date; and a permalink with its QR code. A shortlist's exposé starts with an overview
page (all sites numbered on one map, the main facts side by side) and then has each site's pages.

Every text from data goes through `_escape` before it reaches ReportLab's paragraph markup, so a name
such as `<script>` or `A & B "C"` is printed as typed and never read as markup.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from geo.core.formatting import format_date, format_number
from geo.core.secondary_sources import is_secondary
from geo.core.source_table import source_row
from geo.expose.facts import SiteFact, last_verified, read_fact_sources, site_facts_of
from geo.expose.fonts import PdfFonts, pdf_fonts
from geo.expose.map_drawing import (
    Frame,
    MapBase,
    draw_map,
    legend_row,
    locator_drawing,
    map_sites,
    shortlist_map,
    zone_legend,
)
from geo.expose.profile import Fact, ProfileTables, SiteProfile, site_permalink, site_profile
from geo.expose.shortlist import comparison_link
from geo.maps.symbols import ZONE_TYPE_ORDER, program_label
from geo.texts import t

PAGE_MARGIN = 16 * mm
TEXT_COLOUR = colors.HexColor("#1b2733")
MUTED_COLOUR = colors.HexColor("#4a5663")
RULE_COLOUR = colors.HexColor("#c9d3dc")
DETAIL_SPAN_M = 36_000  # the site map shows at least 36 km around the site
DEFAULT_BASE_URL = "http://localhost:8501"
MAP_ATTRIBUTION = "© GeoBasis-DE / BKG (VG250, 2017)"


class ExposeError(ValueError):
    """An exposé was asked for something the data does not have (an unknown site id)."""


@dataclass(frozen=True)
class ExposeData:
    """Everything an exposé draws on, read once (the app caches it, the command line reads it)."""

    sites: gpd.GeoDataFrame
    tables: ProfileTables
    map_base: MapBase
    sources: pd.DataFrame  # the `sources` table of data/reference.gpkg (name, licence, attribution, vintage)
    fact_sources: pd.DataFrame = field(default_factory=pd.DataFrame)  # the `site_facts` table, may be empty

    @classmethod
    def from_files(cls) -> ExposeData:
        """Read the app's data files (data/ or STANDORTATLAS_DATA_DIR)."""
        from geo.core.paths import SITES_GPKG
        from geo.store import read_sites_for_app
        from geo.store import reference as reference_data

        tables = ProfileTables.from_layers(
            reference_data.read_layer("districts"),
            reference_data.read_layer("zones_web"),
            reference_data.read_table("zone_districts"),
        )
        sites = read_sites_for_app(SITES_GPKG)
        return cls(
            sites=sites,
            tables=tables,
            map_base=MapBase.from_reference(reference_data.read_layer),
            sources=reference_data.read_table("sources"),
            fact_sources=read_fact_sources(SITES_GPKG, sites["site_id"]),
        )

    def site_rows(self, site_ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The sites in the order asked for; ExposeError names every unknown id."""
        unknown = [site_id for site_id in site_ids if site_id not in set(self.sites["site_id"])]
        if unknown:
            raise ExposeError(f"unknown site id(s): {', '.join(unknown)}")
        indexed = self.sites.set_index("site_id", drop=False)
        return gpd.GeoDataFrame(indexed.loc[list(site_ids)].reset_index(drop=True), crs=self.sites.crs)


def _escape(value: object) -> str:
    """Text from data, safe inside ReportLab's paragraph markup (which reads <, > and & as markup)."""
    return escape("" if value is None else str(value), {'"': "&quot;"})


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    badge: ParagraphStyle

    @classmethod
    def make(cls, fonts: PdfFonts) -> Styles:
        body = ParagraphStyle(
            "body", fontName=fonts.regular, fontSize=9, leading=12, textColor=TEXT_COLOUR, alignment=TA_LEFT
        )
        return cls(
            title=ParagraphStyle("title", parent=body, fontName=fonts.bold, fontSize=17, leading=21, spaceAfter=2),
            subtitle=ParagraphStyle("subtitle", parent=body, fontSize=10, leading=13, textColor=MUTED_COLOUR),
            heading=ParagraphStyle(
                "heading", parent=body, fontName=fonts.bold, fontSize=10.5, leading=13, spaceBefore=7, spaceAfter=3
            ),
            body=body,
            small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED_COLOUR),
            label=ParagraphStyle("label", parent=body, textColor=MUTED_COLOUR),
            badge=ParagraphStyle(
                "badge",
                parent=body,
                fontSize=8.5,
                leading=11,
                textColor=colors.HexColor("#4d3d00"),
                backColor=colors.HexColor("#fff8e1"),
                borderColor=colors.HexColor("#8a6d00"),
                borderWidth=0.5,
                borderPadding=(2, 4, 2, 4),
                spaceBefore=4,
                spaceAfter=6,
            ),
        )


def _link(url: str, text: str) -> str:
    """A clickable link (its URL escaped as an attribute; the text escaped as text)."""
    return f'<a href="{_escape(url)}" color="#0b5cad">{_escape(text)}</a>'


def _url_text(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url


def _fact_table(rows: Sequence[tuple[str, str]], styles: Styles, width: float) -> Table:
    """Label–value rows; both cells are paragraph markup that callers built from escaped text."""
    data = [[Paragraph(label, styles.label), Paragraph(value, styles.body)] for label, value in rows]
    table = Table(data, colWidths=[width * 0.34, width * 0.66], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), pdf_fonts().regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_COLOUR),
            ]
        )
    )
    return table


def _beside(left: Flowable, right: list[Flowable], left_width: float, right_width: float, fonts: PdfFonts) -> Table:
    """Two columns without rules or padding: a map on the left, what belongs to it on the right."""
    layout = Table([[left, right]], colWidths=[left_width, right_width], hAlign="LEFT")
    layout.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.regular),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return layout


def _secondary_mark(url: str, lang: str) -> str:
    """ " (Kopie, nicht die Originalquelle)" after a link to a copy (escaped markup for a Paragraph)."""
    return _escape(f" ({t('source_secondary_mark', lang)})") if is_secondary(url) else ""


def _profile_rows(facts: Sequence[Fact], lang: str) -> list[tuple[str, str]]:
    return [
        (_escape(fact.label), _link(fact.url, fact.value) if fact.url else _escape(fact.text(lang))) for fact in facts
    ]


def _site_fact_rows(facts: Sequence[SiteFact], lang: str) -> list[tuple[str, str]]:
    rows = []
    for fact in facts:
        value = _link(fact.url, fact.value) if fact.url else _escape(fact.value)
        notes = []
        if fact.source_url:
            notes.append(_link(fact.source_url, fact.source_host))
        if fact.as_of:
            notes.append(_escape(t("expose_as_of", lang, date=fact.as_of)))
        if notes:
            value += f' <font size="7" color="#4a5663">({", ".join(notes)})</font>'
        rows.append((_escape(fact.label), value))
    return rows


def qr_code(value: str, size: float) -> Drawing:
    """A QR code of `value`, `size` points square (medium error correction, quiet zone included)."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def data_date(sites: pd.DataFrame) -> str:
    """The newest `updated` date of the sites (ISO), or ""."""
    if "updated" not in sites.columns:
        return ""
    dates = pd.to_datetime(sites["updated"].astype(str), errors="coerce").dropna()
    return dates.max().date().isoformat() if not dates.empty else ""


def _format_iso(date_text: str, lang: str) -> str:
    return format_date(dt.date.fromisoformat(date_text), lang) if date_text else "–"


class _Page:
    """Header and footer of every page: the atlas's name, the document kind, date, page number."""

    def __init__(self, fonts: PdfFonts, lang: str, kind: str, generated: dt.date):
        self.fonts, self.lang, self.kind, self.generated = fonts, lang, kind, generated

    def __call__(self, canvas, document) -> None:
        width, height = document.pagesize
        canvas.saveState()
        canvas.setFont(self.fonts.bold, 8)
        canvas.setFillColor(TEXT_COLOUR)
        canvas.drawString(PAGE_MARGIN, height - 10 * mm, t("app_title", self.lang))
        canvas.setFont(self.fonts.regular, 8)
        canvas.setFillColor(MUTED_COLOUR)
        canvas.drawRightString(width - PAGE_MARGIN, height - 10 * mm, self.kind)
        canvas.setStrokeColor(RULE_COLOUR)
        canvas.setLineWidth(0.5)
        canvas.line(PAGE_MARGIN, height - 11.5 * mm, width - PAGE_MARGIN, height - 11.5 * mm)
        canvas.line(PAGE_MARGIN, 11.5 * mm, width - PAGE_MARGIN, 11.5 * mm)
        canvas.drawString(
            PAGE_MARGIN, 8 * mm, t("expose_footer", self.lang, date=_format_iso(self.generated.isoformat(), self.lang))
        )
        canvas.drawRightString(width - PAGE_MARGIN, 8 * mm, t("expose_page", self.lang, page=document.page))
        canvas.restoreState()


@dataclass
class _Builder:
    data: ExposeData
    lang: str
    base_url: str
    fonts: PdfFonts
    styles: Styles
    width: float  # the text width

    def _program_legend(self, programs: Sequence[str]) -> Drawing:
        programs = list(dict.fromkeys(programs))
        return legend_row(
            [(program, program_label(program, self.lang)) for program in programs], self.fonts.regular, self.width
        )

    def _zone_legend(self) -> Drawing:
        return zone_legend(
            {zone_type: t(f"zone_type_{zone_type}", self.lang) for zone_type in ZONE_TYPE_ORDER},
            self.fonts.regular,
            self.width,
        )

    def _map_note(self, locator: bool) -> Paragraph:
        note = t("expose_map_note", self.lang, attribution=MAP_ATTRIBUTION)
        if locator:
            note += " " + t("expose_locator_note", self.lang)
        return Paragraph(_escape(note), self.styles.small)

    def site_story(self, site: pd.Series) -> list[Flowable]:
        lang, styles, fonts = self.lang, self.styles, self.fonts
        profile: SiteProfile = site_profile(site, self.data.tables, lang)
        permalink = f"{self.base_url.rstrip('/')}/{site_permalink(profile.site_id, lang, 'karte')}"
        story: list[Flowable] = [
            Paragraph(_escape(profile.name), styles.title),
            Paragraph(
                _escape(f"{profile.program_label} · {profile.place} · {profile.district} · {profile.state}"),
                styles.subtitle,
            ),
            Paragraph(_escape(profile.precision), styles.badge),
        ]
        # map of the surroundings, with the locator and the permalink's QR code beside it
        map_width, map_height = self.width * 0.68, self.width * 0.5
        point = map_sites(gpd.GeoDataFrame([site], geometry=[site.geometry], crs=self.data.sites.crs))[0]
        frame = Frame.around((point.x, point.y, point.x, point.y), map_width, map_height, min_span_m=DETAIL_SPAN_M)
        detail = draw_map(self.data.map_base, frame, [point], fonts.regular, fonts.bold, lang, symbol_size=14)
        side_width = self.width - map_width - 4 * mm
        locator = locator_drawing(self.data.map_base, point, frame, side_width, side_width * 1.05)
        side = [
            locator,
            Spacer(1, 3 * mm),
            qr_code(permalink, 26 * mm),
            Paragraph(_escape(t("expose_permalink", lang)), styles.small),
            Paragraph(_link(permalink, permalink), styles.small),
        ]
        story += [
            _beside(detail, side, map_width + 4 * mm, side_width, self.fonts),
            Spacer(1, 1.5 * mm),
            self._program_legend([profile.program]),
            self._zone_legend(),
            self._map_note(locator=True),
        ]

        where = [
            Fact(t("site_profile_place", lang), profile.place),
            Fact(t("site_profile_district", lang), profile.district),
            Fact(t("site_profile_state", lang), profile.state),
            Fact(t("site_profile_zones", lang), " · ".join(profile.zones) or t("site_profile_no_zone", lang)),
            Fact(
                t("expose_coordinates", lang),
                t(
                    "expose_coordinates_value",
                    lang,
                    lat=format_number(site.geometry.y, lang, 5),
                    lon=format_number(site.geometry.x, lang, 5),
                ),
            ),
        ]
        if profile.themes:
            where.append(Fact(t("site_profile_themes", lang), ", ".join(profile.themes)))
        story += self._section(t("expose_location", lang), _profile_rows(where, lang))

        facts = site_facts_of(site, self.data.fact_sources, lang)
        plot_facts = [fact for fact in facts if not fact.is_contact]
        if plot_facts:
            story += self._section(t("expose_plot_facts", lang), _site_fact_rows(plot_facts, lang))
        else:
            story += [
                Paragraph(_escape(t("expose_plot_facts", lang)), styles.heading),
                Paragraph(_escape(t("expose_no_plot_facts", lang)), styles.small),
            ]
        if profile.description:
            story += [
                Paragraph(_escape(t("site_profile_description", lang)), styles.heading),
                Paragraph(_escape(profile.description), styles.body),
            ]
            if profile.description_note:
                story.append(Paragraph(_escape(profile.description_note), styles.small))
        if profile.key_figures:
            story += self._section(
                t("site_profile_key_figures", lang, district=profile.district), _profile_rows(profile.key_figures, lang)
            )
        if profile.aid:
            story += self._section(t("profile_aid", lang), _profile_rows(profile.aid, lang), note=profile.aid_note)
        if profile.surroundings:
            story += self._section(
                t("site_profile_surroundings", lang),
                _profile_rows(profile.surroundings, lang),
                note=t("site_profile_surroundings_note", lang),
            )
        contact = _site_fact_rows([fact for fact in facts if fact.is_contact], lang)
        website = next((fact for fact in profile.links if fact.label == t("site_profile_website", lang)), None)
        if website is not None:
            contact.append((_escape(website.label), _link(website.url, _url_text(website.url))))
        story += self._section(t("expose_contact", lang), contact, note="" if contact else t("expose_no_contact", lang))
        story += self._sources(site, profile, facts)
        return story

    def _section(self, heading: str, rows: list[tuple[str, str]], note: str = "") -> list[Flowable]:
        parts: list[Flowable] = [Paragraph(_escape(heading), self.styles.heading)]
        if rows:
            parts.append(_fact_table(rows, self.styles, self.width))
        if note:
            parts.append(Paragraph(_escape(note), self.styles.small))
        return [KeepTogether(parts)]

    def _sources(self, site: pd.Series, profile: SiteProfile, facts: Sequence[SiteFact]) -> list[Flowable]:
        lang = self.lang
        rows = [
            (_escape(link.label), _link(link.url, _url_text(link.url)) + _secondary_mark(link.url, lang))
            for link in profile.links
            if link.label != t("site_profile_website", lang)
        ]
        aid_source = next((fact for fact in profile.aid if fact.url), None)
        if aid_source is not None:
            rows.append((_escape(aid_source.label), _link(aid_source.url, _url_text(aid_source.url))))
        fact_hosts = sorted({fact.source_url for fact in facts if fact.source_url})
        if fact_hosts:
            rows.append(
                (_escape(t("expose_fact_sources", lang)), ", ".join(_link(url, _url_text(url)) for url in fact_hosts))
            )
        for recorded in self.data.sources.to_dict("records"):
            if recorded.get("registry") not in ("npm", "PyPI"):
                continue
            source = source_row(recorded, lang)
            text = f"{source.get('attribution')} – {source.get('licence')} – {source.get('vintage')}"
            rows.append((_escape(f"{source.get('name')} {source.get('version')}"), _escape(text)))
        verified = last_verified(site, self.data.fact_sources, lang)
        if verified:
            rows.append((_escape(t("expose_facts_verified", lang)), _escape(verified)))
        checked = _format_iso(str(site.get("updated") or "")[:10], lang)
        rows.append((_escape(t("expose_data_date", lang)), _escape(t("expose_data_date_value", lang, date=checked))))
        return self._section(t("expose_sources", lang), rows, note=t("expose_sources_note", lang))

    def overview_story(self, chosen: gpd.GeoDataFrame) -> list[Flowable]:
        """The first page of a shortlist exposé: all sites numbered on one map and their main facts."""
        lang, styles = self.lang, self.styles
        link = comparison_link(list(chosen["site_id"]), lang, self.base_url)
        story: list[Flowable] = [
            Paragraph(_escape(t("expose_shortlist_title", lang, count=len(chosen))), styles.title),
            Paragraph(_escape(t("expose_shortlist_intro", lang)), styles.subtitle),
            Spacer(1, 3 * mm),
        ]
        map_width, map_height = self.width * 0.74, self.width * 0.62
        overview = shortlist_map(self.data.map_base, chosen, map_width, map_height, lang, DETAIL_SPAN_M)
        side_width = self.width - map_width - 4 * mm
        side = [
            qr_code(link, side_width * 0.9),
            Paragraph(_escape(t("expose_shortlist_link", lang)), styles.small),
            Paragraph(_link(link, link), styles.small),
        ]
        story += [
            _beside(overview, side, map_width + 4 * mm, side_width, self.fonts),
            Spacer(1, 1.5 * mm),
            self._program_legend(list(chosen["program"])),
            self._zone_legend(),
            self._map_note(locator=False),
            Spacer(1, 3 * mm),
        ]
        header = [
            Paragraph(f"<b>{_escape(t(key, lang))}</b>", styles.small)
            for key in (
                "expose_number",
                "column_name",
                "column_program",
                "column_district",
                "site_profile_nearest_airport",
                "site_profile_nearest_station",
            )
        ]
        rows = [header]
        for number, (_, site) in enumerate(chosen.iterrows(), start=1):
            profile = site_profile(site, self.data.tables, lang)
            distances = {fact.label: fact.value for fact in profile.surroundings}
            rows.append(
                [
                    Paragraph(str(number), styles.body),
                    Paragraph(_escape(profile.name), styles.body),
                    Paragraph(_escape(program_label(profile.program, lang)), styles.small),
                    Paragraph(_escape(profile.district), styles.small),
                    *(
                        Paragraph(_escape(distances.get(t(f"site_profile_nearest_{kind}", lang), "–")), styles.small)
                        for kind in ("airport", "station")
                    ),
                ]
            )
        widths = [0.05, 0.27, 0.17, 0.17, 0.17, 0.17]
        table = Table(rows, colWidths=[self.width * share for share in widths], repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), pdf_fonts().regular),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE_COLOUR),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        story.append(table)
        return story


def expose_pdf(
    data: ExposeData,
    site_ids: Sequence[str],
    lang: str = "de",
    base_url: str = DEFAULT_BASE_URL,
    today: dt.date | None = None,
) -> bytes:
    """The exposé of one site, or of a shortlist (overview page first), as PDF bytes."""
    if not site_ids:
        raise ExposeError("no site ids given")
    site_ids = list(dict.fromkeys(site_ids))
    chosen = data.site_rows(site_ids)
    fonts = pdf_fonts()
    styles = Styles.make(fonts)
    buffer = io.BytesIO()
    names = ", ".join(chosen["name"].astype(str))
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title=t("expose_pdf_title", lang, names=names),
        author=t("app_title", lang),
        subject=t("expose_kind", lang),
        lang=lang,
        creator=t("app_title", lang),
        initialFontName=fonts.regular,
    )
    builder = _Builder(data, lang, base_url, fonts, styles, document.width)
    story: list[Flowable] = []
    if len(chosen) > 1:
        story += builder.overview_story(chosen)
    for _, site in chosen.iterrows():
        if story:
            story.append(PageBreak())
        story += builder.site_story(site)
    on_page = _Page(fonts, lang, t("expose_kind", lang), today or dt.date.today())
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
