"""Static tables for the reading pages (regions, structural change, data).

`st.table` instead of `st.dataframe` for short tables that are read, not explored: its cells wrap instead
of being cut at a column edge (a right-aligned "238 million EUR" in a narrow grid column showed as
"38 million EUR"), it has no toolbar with Streamlit's English tooltips and no second CSV download, and
it reads as an ordinary HTML table to a screen reader. Cells are Markdown in st.table, so every text from
data is escaped here and links are written as Markdown links to http(s) addresses only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal
from urllib.parse import quote, urlsplit

import pandas as pd
import streamlit as st

from geo.expose.profile import safe_url
from geo.sites.filters import markdown_literal

MAX_CELL_LENGTH = 2_000
# On a phone a source host may break anywhere (a table wider than the screen hides its last column
# behind a sideways scroll); figures keep their line through non-breaking spaces instead.
TABLE_CSS = "<style>[data-testid='stTableStyledTable'] a { overflow-wrap: anywhere; }</style>"


def text_cell(value: object) -> str:
    """A cell's text, shown literally (Markdown and HTML characters escaped); missing values stay empty."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return markdown_literal(str(value), MAX_CELL_LENGTH)


def link_cell(value: object, label: str | None = None) -> str:
    """A Markdown link to an http(s) address, labelled with its host (or `label`); anything else as text."""
    url = safe_url(value)
    if not url:
        return text_cell(value)
    # characters that would end the Markdown link target are percent-encoded; the rest stays readable
    target = quote(url, safe=":/?#[]@!$&'*+,;=%~-._")
    return f"[{text_cell(label or urlsplit(url).netloc)}]({target})"


def number_cell(value: object) -> str:
    """A figure with its unit, kept on one line ("238 million EUR" never breaks after "238")."""
    return text_cell(value).replace(" ", "\u00a0")


def show_table(
    columns: Mapping[str, Sequence[object]],
    *,
    links: Iterable[str] = (),
    numbers: Iterable[str] = (),
    height: int | Literal["stretch", "content"] = "content",
) -> None:
    """`columns` (heading → values) as a static table; `links` are URL columns, `numbers` are figures kept
    on one line. Every column has a heading: row labels are the first column."""
    link_columns, number_columns = set(links), set(numbers)

    def cell(heading: str, value: object) -> str:
        if heading in link_columns:
            return link_cell(value)
        return number_cell(value) if heading in number_columns else text_cell(value)

    frame = pd.DataFrame(
        {text_cell(heading): [cell(heading, value) for value in values] for heading, values in columns.items()}
    )
    st.html(TABLE_CSS)
    st.table(frame, hide_index=True, height=height)
