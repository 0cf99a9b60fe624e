"""The building blocks of the exposé's PDF (reportlab): paragraph styles, escaped text and links, fact
tables, a map beside its text, a QR code, the data's date. geo.expose.document puts them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from geo.core.secondary_sources import is_secondary
from geo.expose.facts import SiteFact
from geo.expose.fonts import PdfFonts, pdf_fonts
from geo.expose.profile import Fact
from geo.sites.provenance import FigureAge
from geo.texts import t

TEXT_COLOUR = colors.HexColor("#1b2733")

MUTED_COLOUR = colors.HexColor("#4a5663")
STALE_COLOUR = "#8a4b00"  # the stale mark's words, beside its sign (never the colour alone)

RULE_COLOUR = colors.HexColor("#c9d3dc")


def pdf_text(value: object) -> str:
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


def pdf_link(url: str, text: str) -> str:
    """A clickable link (its URL escaped as an attribute; the text escaped as text)."""
    return f'<a href="{pdf_text(url)}" color="#0b5cad">{pdf_text(text)}</a>'


def pdf_url_text(url: str) -> str:
    parts = urlsplit(url)
    return (parts.netloc + parts.path).rstrip("/") or url


def pdf_fact_table(rows: Sequence[tuple[str, str]], styles: Styles, width: float) -> Table:
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


def pdf_beside(left: Flowable, right: list[Flowable], left_width: float, right_width: float, fonts: PdfFonts) -> Table:
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


def with_age(value: str, age: FigureAge | None, lang: str, source_url: str = "", source_note: str = "") -> str:
    """A value's markup followed by its source link (and `source_note`, e.g. a statistical table's code),
    date and stale mark (geo.sites.provenance): "≥ 30 ha (chemanager-online.com, Stand 22.09.2011) ⚠ älter
    als 12 Monate"."""
    notes = [pdf_link(source_url, urlsplit(source_url).netloc)] if source_url else []
    if source_note:
        notes.append(pdf_text(source_note))
    if age is not None and age.dated:
        notes.append(pdf_text(age.note(lang)))
    if notes:
        value += f' <font size="7" color="#4a5663">({", ".join(notes)})</font>'
    if age is not None and age.stale:
        value += f' <font size="7" color="{STALE_COLOUR}"><b>{pdf_text(age.stale_text(lang))}</b></font>'
    return value


def profile_rows(facts: Sequence[Fact | SiteFact], lang: str) -> list[tuple[str, str]]:
    """Label–value rows of profile lines or plot facts, each value with its source, date and stale mark."""
    return [
        (
            pdf_text(fact.label),
            with_age(
                pdf_link(fact.url, fact.value) if fact.url else pdf_text(fact.value),
                fact.age,
                lang,
                fact.source_url,
                fact.source_note if isinstance(fact, Fact) else "",
            ),
        )
        for fact in facts
    ]


def secondary_mark(url: str, lang: str) -> str:
    """ " (Kopie, nicht die Originalquelle)" after a link to a copy (a document-sharing site, a mirror)."""
    return pdf_text(f" ({t('source_secondary_mark', lang)})") if is_secondary(url) else ""


def figures_note(facts: Sequence[Fact | SiteFact], lang: str) -> str:
    """The note under a list of figures that explains its stale marks and qualifier signs ("" if none)."""
    notes = []
    if any(fact.age is not None and fact.age.stale for fact in facts):
        notes.append(t("facts_figures_old", lang))
    if any(fact.value[:1] in "≈≥≤" for fact in facts):
        notes.append(t("facts_qualifier_note", lang))
    return " ".join(notes)


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
