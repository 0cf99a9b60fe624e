"""The atlas's static tables (views/tables.py, written by geo/core/html_table.py) read back as a visitor
reads them: one pandas DataFrame per table, headings as columns, the text each cell shows (a link's label,
not the note for screen readers). The tables reach an AppTest run as `st.html` bodies; they are parsed with
the standard library's html.parser, which decodes the escaping as a browser does.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest

from geo.core.html_table import TABLE_CLASS

HIDDEN_CLASS = "sa-sr"  # text for screen readers only


class _TableReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.links: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._hidden_depth = 0
        self._depth = 0
        self._in_table = False
        self._head: list[str] = []
        self._rows: list[list[str]] = []
        self._row_links: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "table" and TABLE_CLASS in classes:
            self._in_table, self._head, self._rows, self._row_links = True, [], [], []
        elif not self._in_table:
            return
        elif tag == "tr":
            self._rows.append([])
            self._row_links.append([])
        elif tag in ("th", "td"):
            self._cell = []
        elif tag == "a" and self._row_links:
            self._row_links[-1].append(attributes.get("href") or "")
        self._depth += 1
        if self._hidden_depth or HIDDEN_CLASS in classes:
            self._hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if not self._in_table:
            return
        self._depth -= 1
        if self._hidden_depth:
            self._hidden_depth -= 1
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell)
            (self._head if tag == "th" else self._rows[-1]).append(text)
            self._cell = None
        elif tag == "table":
            rows = [row for row in self._rows if row]
            self.tables.append((self._head, rows))
            self.links.append(self._row_links[1:])
            self._in_table = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden_depth:
            self._cell.append(data)


def parse_tables(html: str) -> list[pd.DataFrame]:
    """The atlas's tables in `html`, each as a DataFrame of the text its cells show."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    return [pd.DataFrame(rows, columns=head) for head, rows in reader.tables]


def table_links(html: str) -> list[list[list[str]]]:
    """The addresses each table links to: per table, per row, the hrefs of the row's links."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    return reader.links


def app_tables(app: AppTest) -> list[pd.DataFrame]:
    """Every atlas table an AppTest run shows, in page order (the hidden tabs' tables included)."""
    return [frame for element in app.get("html") for frame in parse_tables(element.proto.body)]


def app_table(app: AppTest, column: str) -> pd.DataFrame:
    """The first table that has a column `column`."""
    return next(frame for frame in app_tables(app) if column in frame.columns)
