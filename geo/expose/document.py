"""The exposé PDF: one or two A4 pages per site, in German or English, built offline with ReportLab.

Each site gets: name, program and place; a map of its surroundings (borders, districts, zones, the site;
no tiles) with a locator of the four states; plot facts with units and sources where they exist; the
description; the district's key figures; regional aid; straight-line distances; contact; sources and
licences; the data date; and a permalink with its QR code. A shortlist's exposé starts with an overview
page (all sites numbered on one map, the main facts side by side) and then has each site's pages.

Every text from data goes through `pdf_text` before it reaches ReportLab's paragraph markup, so a name
such as `<script>` or `A & B "C"` is printed as typed and never read as markup.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
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

from geo.core.formatting import MISSING, format_date
from geo.expose.facts import SiteFact, last_verified, read_fact_sources, site_facts_of
from geo.expose.fonts import PdfFonts, pdf_fonts
from geo.expose.investor import compact_section, sections_for
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
from geo.expose.pdf_parts import (
    MUTED_COLOUR,
    RULE_COLOUR,
    TEXT_COLOUR,
    Styles,
    figures_note,
    pdf_beside,
    pdf_fact_table,
    pdf_link,
    pdf_text,
    pdf_url_text,
    profile_rows,
    qr_code,
    secondary_mark,
)
from geo.expose.profile import Fact, ProfileSection, ProfileTables, SiteProfile, site_permalink, site_profile
from geo.expose.shortlist import comparison_link
from geo.maps.symbols import ZONE_TYPE_ORDER, program_label
from geo.sites.provenance import format_as_of
from geo.texts import Num, t
from geo.texts.source_table import source_row

PAGE_MARGIN = 16 * mm
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
    # the investor sections of a site (labour market, pool, research: geo/expose/investor.py), or none
    sections: Callable[[pd.Series, str], tuple[ProfileSection, ...]] | None = None

    @classmethod
    def from_files(cls) -> ExposeData:
        """Read the app's data files (data/ or STANDORTATLAS_DATA_DIR)."""
        from geo.core.paths import SITES_GPKG
        from geo.store import live_figures, read_sites_for_app
        from geo.store import reference as reference_data

        tables = ProfileTables.from_layers(
            reference_data.read_layer("districts"),
            reference_data.read_layer("zones_web"),
            reference_data.read_table("zone_districts"),
        )
        sites = read_sites_for_app(SITES_GPKG)
        figures, institutions = live_figures(SITES_GPKG), reference_data.read_layer("research_institutions")
        return cls(
            sites=sites,
            tables=tables,
            map_base=MapBase.from_reference(reference_data.read_layer),
            sources=reference_data.read_table("sources"),
            fact_sources=read_fact_sources(SITES_GPKG, sites["site_id"]),
            sections=lambda site, lang: sections_for(site, figures, institutions, tables, lang),
        )

    def site_rows(self, site_ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The sites in the order asked for; ExposeError names every unknown id."""
        unknown = [site_id for site_id in site_ids if site_id not in set(self.sites["site_id"])]
        if unknown:
            raise ExposeError(f"unknown site id(s): {', '.join(unknown)}")
        indexed = self.sites.set_index("site_id", drop=False)
        return gpd.GeoDataFrame(indexed.loc[list(site_ids)].reset_index(drop=True), crs=self.sites.crs)


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
            PAGE_MARGIN,
            8 * mm,
            t("expose_footer", self.lang, date=format_date(self.generated, self.lang)),
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
    today: dt.date  # the day the age of the figures is judged on

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
        return Paragraph(pdf_text(note), self.styles.small)

    def site_story(self, site: pd.Series) -> list[Flowable]:
        lang, styles, fonts = self.lang, self.styles, self.fonts
        profile: SiteProfile = site_profile(site, self.data.tables, lang, today=self.today)
        permalink = f"{self.base_url.rstrip('/')}/{site_permalink(profile.site_id, lang)}"
        story: list[Flowable] = [
            Paragraph(pdf_text(profile.name), styles.title),
            Paragraph(
                pdf_text(f"{profile.program_label} · {profile.place} · {profile.district} · {profile.state}"),
                styles.subtitle,
            ),
            Paragraph(pdf_text(profile.precision), styles.badge),
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
            Paragraph(pdf_text(t("expose_permalink", lang)), styles.small),
            Paragraph(pdf_link(permalink, permalink), styles.small),
        ]
        story += [
            pdf_beside(detail, side, map_width + 4 * mm, side_width, self.fonts),
            Spacer(1, 1.5 * mm),
            self._program_legend([profile.program]),
            self._zone_legend(),
            self._map_note(locator=True),
        ]

        story += self._section(t("expose_location", lang), profile_rows(self._location(site, profile), lang))

        facts = site_facts_of(site, self.data.fact_sources, lang, self.today)
        story += self._plot_facts([fact for fact in facts if not fact.is_contact])
        if profile.description:
            story += [
                Paragraph(pdf_text(t("site_profile_description", lang)), styles.heading),
                Paragraph(pdf_text(profile.description), styles.body),
            ]
            if profile.description_note:
                story.append(Paragraph(pdf_text(profile.description_note), styles.small))
        if profile.key_figures:
            story += self._section(
                t("site_profile_key_figures", lang, district=profile.district),
                profile_rows(profile.key_figures, lang),
                note=figures_note(profile.key_figures, lang),
            )
        if profile.aid:
            story += self._section(t("profile_aid", lang), profile_rows(profile.aid, lang), note=profile.aid_note)
        if profile.surroundings:
            story += self._section(
                t("site_profile_surroundings", lang),
                profile_rows(profile.surroundings, lang),
                note=t("site_profile_surroundings_note", lang),
            )
        story += self._investor_sections(site)
        contact = profile_rows([fact for fact in facts if fact.is_contact], lang)
        website = next((fact for fact in profile.links if fact.label == t("site_profile_website", lang)), None)
        if website is not None:
            contact.append((pdf_text(website.label), pdf_link(website.url, pdf_url_text(website.url))))
        story += self._section(t("expose_contact", lang), contact, note="" if contact else t("expose_no_contact", lang))
        story += self._sources(site, profile, facts)
        return story

    def _location(self, site: pd.Series, profile: SiteProfile) -> list[Fact]:
        """Where the site is: place, district, state, zones, coordinates and themes."""
        lang = self.lang
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
                    lat=Num(site.geometry.y, 5, grouping=False),
                    lon=Num(site.geometry.x, 5, grouping=False),
                ),
            ),
        ]
        if profile.themes:
            where.append(Fact(t("site_profile_themes", lang), ", ".join(profile.themes)))
        return where

    def _investor_sections(self, site: pd.Series) -> list[Flowable]:
        """Labour market, labour pool and research within 30 km, compact (geo/expose/investor.py)."""
        parts: list[Flowable] = []
        for section in self.data.sections(site, self.lang) if self.data.sections else ():
            rows = profile_rows(compact_section(section, self.lang), self.lang)
            parts += self._section(
                section.heading,
                rows,
                note=" ".join(filter(None, [*section.notes[:1], figures_note(section.facts, self.lang)])),
            )
        return parts

    def _plot_facts(self, plot_facts: list[SiteFact]) -> list[Flowable]:
        """The plot figures, each with its source, date and stale mark, and the note that explains the marks."""
        lang = self.lang
        if plot_facts:
            return self._section(
                t("expose_plot_facts", lang), profile_rows(plot_facts, lang), note=figures_note(plot_facts, lang)
            )
        return [
            Paragraph(pdf_text(t("expose_plot_facts", lang)), self.styles.heading),
            Paragraph(pdf_text(t("expose_no_plot_facts", lang)), self.styles.small),
        ]

    def _section(self, heading: str, rows: list[tuple[str, str]], note: str = "") -> list[Flowable]:
        parts: list[Flowable] = [Paragraph(pdf_text(heading), self.styles.heading)]
        if rows:
            parts.append(pdf_fact_table(rows, self.styles, self.width))
        if note:
            parts.append(Paragraph(pdf_text(note), self.styles.small))
        return [KeepTogether(parts)]

    def _sources(self, site: pd.Series, profile: SiteProfile, facts: Sequence[SiteFact]) -> list[Flowable]:
        lang = self.lang
        rows = [
            (pdf_text(link.label), pdf_link(link.url, pdf_url_text(link.url)) + secondary_mark(link.url, lang))
            for link in profile.links
            if link.label != t("site_profile_website", lang)
        ]
        aid_source = next((fact for fact in profile.aid if fact.url), None)
        if aid_source is not None:
            rows.append((pdf_text(aid_source.label), pdf_link(aid_source.url, pdf_url_text(aid_source.url))))
        fact_hosts = sorted({fact.source_url for fact in facts if fact.source_url})
        if fact_hosts:
            rows.append(
                (
                    pdf_text(t("expose_fact_sources", lang)),
                    ", ".join(pdf_link(url, pdf_url_text(url)) for url in fact_hosts),
                )
            )
        for recorded in self.data.sources.to_dict("records"):
            if recorded.get("registry") not in ("npm", "PyPI"):
                continue
            source = source_row(recorded, lang)
            text = f"{source.get('attribution')} – {source.get('licence')} – {source.get('vintage')}"
            rows.append((pdf_text(f"{source.get('name')} {source.get('version')}"), pdf_text(text)))
        verified = last_verified(site, self.data.fact_sources, lang)
        if verified:
            rows.append((pdf_text(t("expose_facts_verified", lang)), pdf_text(verified)))
        checked = format_as_of(str(site.get("updated") or "")[:10], lang) or MISSING
        rows.append((pdf_text(t("expose_data_date", lang)), pdf_text(t("expose_data_date_value", lang, date=checked))))
        return self._section(t("expose_sources", lang), rows, note=t("expose_sources_note", lang))

    def overview_story(self, chosen: gpd.GeoDataFrame) -> list[Flowable]:
        """The first page of a shortlist exposé: all sites numbered on one map and their main facts."""
        lang, styles = self.lang, self.styles
        link = comparison_link(list(chosen["site_id"]), lang, self.base_url)
        story: list[Flowable] = [
            Paragraph(pdf_text(t("expose_shortlist_title", lang, count=len(chosen))), styles.title),
            Paragraph(pdf_text(t("expose_shortlist_intro", lang)), styles.subtitle),
            Spacer(1, 3 * mm),
        ]
        map_width, map_height = self.width * 0.74, self.width * 0.62
        overview = shortlist_map(self.data.map_base, chosen, map_width, map_height, lang, DETAIL_SPAN_M)
        side_width = self.width - map_width - 4 * mm
        side = [
            qr_code(link, side_width * 0.9),
            Paragraph(pdf_text(t("expose_shortlist_link", lang)), styles.small),
            Paragraph(pdf_link(link, link), styles.small),
        ]
        story += [
            pdf_beside(overview, side, map_width + 4 * mm, side_width, self.fonts),
            Spacer(1, 1.5 * mm),
            self._program_legend(list(chosen["program"])),
            self._zone_legend(),
            self._map_note(locator=False),
            Spacer(1, 3 * mm),
        ]
        header = [
            Paragraph(f"<b>{pdf_text(t(key, lang))}</b>", styles.small)
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
            profile = site_profile(site, self.data.tables, lang, today=self.today)
            distances = {fact.label: fact.value for fact in profile.surroundings}
            rows.append(
                [
                    Paragraph(str(number), styles.body),
                    Paragraph(pdf_text(profile.name), styles.body),
                    Paragraph(pdf_text(program_label(profile.program, lang)), styles.small),
                    Paragraph(pdf_text(profile.district), styles.small),
                    *(
                        Paragraph(pdf_text(distances.get(t(f"site_profile_nearest_{kind}", lang), "–")), styles.small)
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
    today = today or dt.date.today()
    builder = _Builder(data, lang, base_url, fonts, styles, document.width, today)
    story: list[Flowable] = []
    if len(chosen) > 1:
        story += builder.overview_story(chosen)
    for _, site in chosen.iterrows():
        if story:
            story.append(PageBreak())
        story += builder.site_story(site)
    on_page = _Page(fonts, lang, t("expose_kind", lang), today)
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
