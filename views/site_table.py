"""The sites page's table: an HTML table of the atlas's own, mounted in the page as one Streamlit component
(components API v2), in place of Streamlit's canvas data grid (docs/site-table.md says why).

The browser side is static/site_table/ (code and styles, handed to Streamlit with the component). The rows
come from geo.expose.sites_table.table_rows (per cell the text shown and the value it sorts by); the
browser sorts them and shows one page of PAGE_ROWS rows at a time, with no round trip to the server. A
click on a row (or Enter/Space on its name) sends the site's id back, and the page opens its profile.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import streamlit as st

from geo.core.formatting import format_number
from geo.core.paths import STATIC_DIR
from geo.texts import t

TABLE_KEY = "atlas_sites_table"
ROW_PX = 35  # one row: one line of text (static/site_table/site_table.css: .sa-table td)
HEADER_PX = 52  # the header row: headings of up to two lines
VISIBLE_ROWS = 10  # more rows scroll inside the table's box
PAGE_ROWS = 200  # rows drawn at a time; the pager below the box turns the pages
PAGER_PX = 44  # the pager's line (only when there is more than one page)
BORDER_PX = 2  # the box's border, top and bottom
SCROLLBAR_PX = 16  # the box scrolls sideways (about 18 columns): room for its scroll bar below the rows

_FOLDER = STATIC_DIR / "site_table"
_component = st.components.v2.component(
    "site_table",
    js=(_FOLDER / "site_table.js").read_text(encoding="utf-8"),
    css=(_FOLDER / "site_table.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def box_height(rows: int) -> int:
    """The table's box in pixels: its header and up to VISIBLE_ROWS rows (more scroll inside it)."""
    return HEADER_PX + ROW_PX * min(rows, VISIBLE_ROWS) + BORDER_PX + SCROLLBAR_PX


def table_height(rows: int) -> int:
    """The whole component's height in pixels: the box, and the pager when there is more than one page.
    The page reserves it before the component's code arrives, so nothing below it moves."""
    return box_height(rows) + (PAGER_PX if rows > PAGE_ROWS else 0)


def page_ranges(rows: int, lang: str) -> list[str]:
    """What the pager says on each page: "1–100 von 10.000" (the numbers in the language's format)."""
    pages = max(1, math.ceil(rows / PAGE_ROWS))
    return [
        t(
            "sites_table_range",
            lang,
            first=format_number(page * PAGE_ROWS + 1, lang),
            last=format_number(min(rows, (page + 1) * PAGE_ROWS), lang),
            total=format_number(rows, lang),
        )
        for page in range(pages)
    ]


def site_table(
    table: dict, lang: str, selected: str | None, on_select: Callable[[str], None], key: str = TABLE_KEY
) -> None:
    """Draw `table` (views.data.site_table_rows) with the row of site `selected` marked; a site chosen in it
    is handed to `on_select` (before the next run of the page, like a widget's callback)."""
    count = len(table["rows"])
    height = table_height(count)
    # The element holds its room before Streamlit's component code and the table's own arrive.
    st.html(f"<style>.st-key-{key} {{ min-height: {height}px; }}</style>")
    site_ids = frozenset(row["site_id"] for row in table["rows"])
    data = {
        "columns": table["columns"],
        "rows": table["rows"] if _rows_wanted(key, table["digest"]) else None,
        "digest": table["digest"],
        "lang": lang,
        "selected": selected,
        "page_rows": PAGE_ROWS,
        "ranges": page_ranges(count, lang),
        "height": height,
        "box_height": box_height(count),
        "texts": {name: t(f"sites_table_{name}", lang) for name in ("label", "hint", "pages", "previous", "next")},
    }
    _component(
        key=key,
        data=data,
        height=height,
        on_select_change=lambda: _chosen(key, site_ids, on_select),
        on_missing_change=lambda: _forget_sent_rows(key),
    )
    st.session_state[_sent_key(key)] = table["digest"]


def _sent_key(key: str) -> str:
    return f"{key}__rows_sent"


def _forget_sent_rows(key: str) -> None:
    """The browser's table lacks its rows (the trigger "missing"): the next run sends them."""
    st.session_state.pop(_sent_key(key), None)


def _rows_wanted(key: str, digest: str) -> bool:
    """Whether this run sends the rows: only when this session has not had rows with this digest yet (with
    10,000 sites they are megabytes, and a click on a row reruns the page). The browser keeps what it got
    (static/site_table/site_table.js); a table that finds itself without them (a new page in the same
    session) asks with the trigger "missing", whose callback forgets what was sent."""
    return st.session_state.get(_sent_key(key)) != digest


def _chosen(key: str, site_ids: frozenset[str], on_select: Callable[[str], None]) -> None:
    """The component's choice (a trigger, "select"): a site of the table, else nothing happens."""
    state = st.session_state.get(key)
    site_id = state.get("select") if isinstance(state, dict) else None
    if isinstance(site_id, str) and site_id in site_ids:
        on_select(site_id)
