"""Static tables for the reading pages (regions, structural change, data) and the staff page.

Short tables that are read, not explored, written as plain HTML (geo/core/html_table.py) through `st.html`,
not as `st.dataframe` or `st.table`. A data grid cuts cells at a column edge (a right-aligned
"238 million EUR" in a narrow grid column showed as "38 million EUR") and brings a toolbar with Streamlit's
English tooltips and a second CSV download. `st.table` renders every cell as Markdown in the browser: on
the data page that took about 850 ms of the main thread, plus about 1 MB of table and Arrow code to load.
An HTML table arrives with the page, wraps its cells, reads as an ordinary table to a screen reader, and
its style is in the page from the first paint (assets/first_paint.css), so it does not move once drawn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import pandas as pd
import streamlit as st

from geo.core.formatting import format_list
from geo.core.html_table import table_box_html, table_html
from geo.texts import t
from views.frame import current_language

# the staff page's tables (show_frame): up to this many rows in full, a longer one scrolls in this height
FRAME_ROWS_IN_FULL = 20
FRAME_HEIGHT = 560


def show_table(
    columns: Mapping[str, Sequence[object]],
    *,
    links: Iterable[str] = (),
    numbers: Iterable[str] = (),
    height: int | Literal["stretch", "content"] = "content",
) -> None:
    """`columns` (heading → values) as a static table; `links` are URL columns, `numbers` are figures kept
    on one line. Every column has a heading: row labels are the first column. An int `height` is the most
    the table takes (pixels): a longer one scrolls in its box, with its header row in view; "content" and
    "stretch" show every row."""
    lang = current_language()
    table = table_html(columns, links=links, numbers=numbers, new_tab_note=t("site_profile_new_tab", lang))
    if isinstance(height, int):
        name = t("table_scroll_region", lang, columns=format_list([str(heading) for heading in columns], lang))
        st.html(table_box_html(table, max_height=height, name=name))
    else:
        st.html(table_box_html(table))


def show_frame(frame: pd.DataFrame) -> None:
    """`frame` as a static table (the staff page's messages and old/new values wrap and stay readable in
    full; a data grid would cut them off); one longer than FRAME_ROWS_IN_FULL rows scrolls in FRAME_HEIGHT."""
    show_table(
        {str(column): list(frame[column]) for column in frame.columns},
        height="content" if len(frame) <= FRAME_ROWS_IN_FULL else FRAME_HEIGHT,
    )
