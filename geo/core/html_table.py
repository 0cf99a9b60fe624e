"""Static tables written as HTML: the tables of the reading pages (regions, structural change, data) and
of the staff page.

A `<table>` with a header row of `<th scope="col">` and one `<td>` per cell. Every text from data is
escaped for HTML (`escape_text`) and cut at `MAX_CELL_LENGTH`; a link cell links to an http(s) address only
(`safe_url`), labelled with its host, and opens in a new tab (a screen reader hears so); anything else in a
link column shows as text. Figures are right-aligned and never break inside ("238 million EUR").

The look (borders, header, padding, the scroll box with its sticky header) is in assets/first_paint.css,
in the page from its first paint, so a table never changes its size once it is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import quote, urlsplit

import pandas as pd

from geo.core.values import cut_text, escape_text, safe_url

MAX_CELL_LENGTH = 2_000
# Characters a URL keeps as they are; the others (a quote, "<", ">", a backslash, "^", "`", "{", "|", "}",
# letters beyond ASCII) are percent-encoded, so the address cannot end the attribute it stands in.
URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"
TABLE_CLASS = "sa-table"
BOX_CLASS = "sa-table-box"
SCROLL_CLASS = "sa-table-scroll"
NUMBER_CLASS = "sa-number"


def cell_text(value: object) -> str:
    """A cell's text on one line, cut at MAX_CELL_LENGTH; missing values (None, NaN, NA) are empty."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return cut_text(value, MAX_CELL_LENGTH)


def link_html(value: object, label: str | None = None, new_tab_note: str = "") -> str:
    """A link to an http(s) address that opens in a new tab, labelled with its host (or `label`), with
    `new_tab_note` ("opens in a new tab") for screen readers; anything else as escaped text."""
    url = safe_url(value)
    if not url:
        return escape_text(cell_text(value))
    note = f'<span class="sa-sr"> ({escape_text(new_tab_note)})</span>' if new_tab_note else ""
    return (
        f'<a href="{escape_text(quote(url, safe=URL_SAFE))}" target="_blank" rel="noopener noreferrer">'
        f"{escape_text(cell_text(label or urlsplit(url).netloc))}{note}</a>"
    )


def table_html(
    columns: Mapping[str, Sequence[object]],
    *,
    links: Iterable[str] = (),
    numbers: Iterable[str] = (),
    new_tab_note: str = "",
) -> str:
    """`columns` (heading → values, all of one length) as a table; `links` are URL columns, `numbers` are
    figures (right-aligned, their heading too, on one line)."""
    link_columns, number_columns = set(links), set(numbers)
    headings = list(columns)

    def attributes(heading: str) -> str:
        return f' class="{NUMBER_CLASS}"' if heading in number_columns else ""

    def cell(heading: str, value: object) -> str:
        text = link_html(value, new_tab_note=new_tab_note) if heading in link_columns else escape_text(cell_text(value))
        return f"<td{attributes(heading)}>{text}</td>"

    head = "".join(f'<th scope="col"{attributes(name)}>{escape_text(cell_text(name))}</th>' for name in headings)
    rows = "".join(
        f"<tr>{''.join(cell(heading, value) for heading, value in zip(headings, row, strict=True))}</tr>"
        for row in zip(*columns.values(), strict=True)
    )
    return f'<table class="{TABLE_CLASS}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def table_box_html(table: str, *, max_height: int | None = None, name: str = "") -> str:
    """`table` in its box, which scrolls sideways when the table is wider than the page (a phone). With
    `max_height` (pixels) the box is at most that high and scrolls, its header row staying in view; it is
    then a named region in the tab order (`name`), so a keyboard can scroll it too."""
    if max_height is None:
        return f'<div class="{BOX_CLASS}">{table}</div>'
    return (
        f'<div class="{BOX_CLASS} {SCROLL_CLASS}" role="region" aria-label="{escape_text(name)}" tabindex="0" '
        f'style="max-height:{int(max_height)}px">{table}</div>'
    )
