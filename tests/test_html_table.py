"""The atlas's static tables as HTML (geo/core/html_table.py): headings, escaping, links, figures, boxes."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pandas as pd

from geo.core.html_table import MAX_CELL_LENGTH, cell_text, link_html, table_box_html, table_html
from geo.core.paths import ASSETS_DIR
from tests.html_tables import parse_tables

FIRST_PAINT_CSS = ASSETS_DIR / "first_paint.css"  # where the tables' style is, from the first paint


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def test_a_table_has_a_header_row_of_column_headings_and_a_row_per_value():
    html = table_html({"Name": ["Halle (Saale)", "Jena"], "Land": ["Sachsen-Anhalt", "Thüringen"]})
    assert html.startswith('<table class="sa-table"><thead><tr><th scope="col">Name</th><th scope="col">Land</th>')
    assert html.count("<tr>") == 3 and html.count("<td>") == 4
    [frame] = parse_tables(html)
    assert list(frame.columns) == ["Name", "Land"]
    assert frame.to_dict("records") == [
        {"Name": "Halle (Saale)", "Land": "Sachsen-Anhalt"},
        {"Name": "Jena", "Land": "Thüringen"},
    ]


def test_hostile_text_in_cells_and_headings_stays_literal_text():
    hostile = ["<img src=x onerror=alert(1)>", "</table><script>alert(2)</script>", "a \"quoted\" & 'single'"]
    html = table_html({"<b>Kopf</b>": hostile, "Markdown": ["**fett** [x](https://evil.example/)"] * 3})
    assert [tag for tag, _ in elements(html)] == ["table", "thead", "tr", "th", "th", "tbody"] + ["tr", "td", "td"] * 3
    assert "<img" not in html and "<script" not in html and "</table><" not in html and "<b>" not in html
    [frame] = parse_tables(html)
    assert list(frame.columns) == ["<b>Kopf</b>", "Markdown"]
    assert list(frame["<b>Kopf</b>"]) == hostile  # the browser shows the text exactly
    assert set(frame["Markdown"]) == {"**fett** [x](https://evil.example/)"}  # Markdown is not rendered either


def test_link_cells_link_http_addresses_by_host_and_open_in_a_new_tab():
    address = "https://www.regionalstatistik.de/genesis/online?operation=table&code=12411"
    html = link_html(address, new_tab_note="öffnet")
    [(tag, attributes), (span, span_attributes)] = elements(html)
    assert tag == "a" and span == "span" and span_attributes == {"class": "sa-sr"}
    assert attributes == {
        "href": address,
        "target": "_blank",
        "rel": "noopener noreferrer",
    }
    assert "&amp;code=" in html  # the attribute is escaped; the parser (and the browser) read "&"
    assert re.sub(r"<[^>]+>", "", html) == "www.regionalstatistik.de (öffnet)"
    assert re.sub(r"<[^>]+>", "", link_html("http://203.0.113.5/liste", label="Liste <neu>")) == "Liste &lt;neu&gt;"


def test_only_http_addresses_become_links_and_the_rest_shows_as_text():
    for value in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "https://www.bund.de@evil.example/",  # a browser would open evil.example
        "https://exa mple.org/",
        "www.example.org",
    ):
        html = link_html(value)
        assert "<a" not in html and "href" not in html, value
        [frame] = parse_tables(table_html({"Quelle": [value]}, links=["Quelle"]))
        assert frame.iloc[0, 0] == value  # shown as the literal text
    assert link_html(None) == "" and link_html(float("nan")) == ""


def test_characters_that_would_end_the_attribute_are_percent_encoded():
    html = link_html("https://example.org/a\"onmouseover='alert(1)'<b>?q=ä|x")
    [(_, attributes), _note] = elements(html + "<span>")
    assert attributes["href"] == "https://example.org/a%22onmouseover='alert(1)'%3Cb%3E?q=%C3%A4%7Cx"
    assert attributes.keys() == {"href", "target", "rel"}  # no attribute smuggled in
    assert '"onmouseover' not in html and "'alert" not in html  # the single quote is written &#x27;
    assert link_html("https://example.org/%C3%A4").count("%C3%A4") == 1  # already encoded: left as it is


def test_figures_are_right_aligned_and_kept_on_one_line():
    html = table_html({"Kreis": ["Halle"], "Einwohner": ["238 Mio. EUR"]}, numbers=["Einwohner"])
    assert '<th scope="col" class="sa-number">Einwohner</th>' in html
    assert '<td class="sa-number">238 Mio. EUR</td>' in html and "<td>Halle</td>" in html
    css = re.sub(r"/\*.*?\*/", "", FIRST_PAINT_CSS.read_text(encoding="utf-8"), flags=re.S)
    assert re.search(r"\.sa-table \.sa-number \{[^}]*text-align: right", css)
    assert re.search(r"\.sa-table td\.sa-number \{[^}]*white-space: nowrap", css)


def test_missing_values_are_empty_cells_and_long_ones_are_cut():
    values = [None, math.nan, pd.NA, pd.NaT, 0, "x" * (MAX_CELL_LENGTH + 50), "zwei\nZeilen"]
    [frame] = parse_tables(table_html({"Wert": values}))
    shown = list(frame["Wert"])
    assert shown[:4] == ["", "", "", ""] and shown[4] == "0"
    assert len(shown[5]) == MAX_CELL_LENGTH and shown[5].endswith("…")
    assert shown[6] == "zwei Zeilen" and cell_text("  a \t b ") == "a b"


def test_a_box_with_a_height_is_a_named_scrollable_region_in_the_tab_order():
    table = table_html({"Rang": [1, 2]})
    plain = table_box_html(table)
    assert plain == f'<div class="sa-table-box">{table}</div>'  # scrolls sideways only when it must
    boxed = table_box_html(table, max_height=420, name='Tabelle: "Rang" <und> Kreis')
    (tag, attributes) = elements(boxed)[0]
    assert tag == "div" and attributes == {
        "class": "sa-table-box sa-table-scroll",
        "role": "region",
        "aria-label": 'Tabelle: "Rang" <und> Kreis',
        "tabindex": "0",
        "style": "max-height:420px",
    }
    css = FIRST_PAINT_CSS.read_text(encoding="utf-8")
    assert re.search(r"\.sa-table-scroll thead th \{[^}]*position: sticky; top: 0", css)


def test_columns_of_different_lengths_are_refused():
    try:
        table_html({"a": [1, 2], "b": [1]})
    except ValueError:
        return
    raise AssertionError("a ragged table was written")
