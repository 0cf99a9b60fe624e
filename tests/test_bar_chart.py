"""Bar charts written as HTML tables (geo.indicators.bar_chart): the zones compared, read as a visitor's
browser and a screen reader would read them (no browser)."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

import pytest

from geo import indicators
from geo.core.palette import OKABE_ITO, ZONE_TYPE_COLORS
from geo.indicators.bar_chart import Bar, bar_chart_html, bar_charts_html, zone_bars
from geo.store.reference import read_layer, read_table

HOSTILE = "<img src=x onerror=alert(1)>"


class ChartReader(HTMLParser):
    """The rows of a chart: (row heading, bar length as a share of the longest, bar colour, figure, classes)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.captions: list[str] = []
        self.tags: list[str] = []
        self._where = ""

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag == "tr" and self._in_body:
            self.rows.append({"classes": attributes.get("class", ""), "name": "", "value": ""})
        elif tag == "tbody":
            self._in_body = True
        elif tag == "caption":
            self._where = "caption"
            self.captions.append("")
        elif tag == "th" and attributes.get("scope") == "row":
            self._where = "name"
        elif tag == "span" and attributes.get("class") == "sa-bar":
            style = dict(part.split(":") for part in attributes["style"].split(";"))
            self.rows[-1]["width"] = float(style["--share"])
            self.rows[-1]["color"] = style["background"]
        elif tag == "span" and attributes.get("class") == "sa-bar-value":
            self._where = "value"

    _in_body = False

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "span"):
            self._where = ""
        if tag == "tbody":
            self._in_body = False

    def handle_data(self, data):
        if self._where == "caption":
            self.captions[-1] += data
        elif self._where:
            self.rows[-1][self._where] += data


def read_chart(markup: str) -> ChartReader:
    reader = ChartReader()
    reader.feed(markup)
    return reader


@pytest.fixture(scope="module")
def zones(table):
    return indicators.zone_table(table, read_layer("zones"), read_table("zone_districts")).reset_index(drop=True)


@pytest.mark.parametrize(("lang", "caption"), [("de", "Bevölkerung (Einwohner"), ("en", "Population (inhabitants")])
def test_the_zones_chart_names_every_zone_with_its_figure_in_the_language(zones, lang, caption):
    chart = read_chart(bar_chart_html("population", zone_bars(zones, "population", lang), lang))
    assert chart.captions[0].startswith(caption)
    assert [row["name"] for row in chart.rows] == [indicators.zone_name(zone, lang) for _, zone in zones.iterrows()]
    for row, population in zip(chart.rows, zones["population"], strict=True):
        digits = row["value"].replace(".", "").replace(",", "")
        assert int(digits) == round(population)
        assert ("." if lang == "de" else ",") in row["value"]  # grouped as the language groups


def test_a_longer_bar_never_carries_a_smaller_figure(zones):
    chart = read_chart(bar_chart_html("sites_per_100k", zone_bars(zones, "sites_per_100k", "de"), "de"))
    pairs = [(row["width"], float(row["value"].replace(".", "").replace(",", "."))) for row in chart.rows]
    by_width = [figure for _, figure in sorted(pairs)]
    assert by_width == sorted(by_width)
    assert max(width for width, _ in pairs) == 1


def test_the_selected_zone_is_outlined_and_the_others_lighter_but_the_union(zones):
    chart = read_chart(bar_chart_html("site_share", zone_bars(zones, "site_share", "de", "lausitz"), "de"))
    chosen = [row["name"] for row in chart.rows if "sa-bar-chosen" in row["classes"]]
    assert chosen == ["Lausitzer Revier"]
    muted = {row["name"] for row in chart.rows if "sa-bar-muted" in row["classes"]}
    union = indicators.zone_name(zones.set_index("zone_id").loc["all"], "de")  # all zones together
    assert "Lausitzer Revier" not in muted and union not in muted
    assert len(muted) == len(chart.rows) - 2
    expected = {ZONE_TYPE_COLORS.get(kind, OKABE_ITO["grey"]) for kind in zones["zone_type"]}
    assert {row["color"] for row in chart.rows} == expected  # the zone type's colour, as on the map


def test_no_zone_chosen_marks_none(zones):
    chart = read_chart(bar_chart_html("population", zone_bars(zones, "population", "en"), "en"))
    assert all(row["classes"] == "" for row in chart.rows)


def test_hostile_names_stay_text_and_a_colour_that_is_not_a_palette_colour_is_grey():
    bars = [
        Bar(HOSTILE, 3.0, "#123456"),
        Bar("x", 1.0, "red;background-image:url(https://example.org/x)"),
    ]
    markup = bar_chart_html("sites_total", bars, "de")
    assert HOSTILE not in markup and "&lt;img" in markup
    assert "example.org" not in markup and OKABE_ITO["grey"] in markup
    assert "img" not in read_chart(markup).tags


@pytest.mark.parametrize("value", [math.nan, None, math.inf])
def test_a_missing_figure_shows_a_dash_and_no_bar(value):
    chart = read_chart(bar_chart_html("sites_total", [Bar("a", value, "#123456"), Bar("b", 2, "#123456")], "de"))
    assert chart.rows[0]["value"] == "–" and chart.rows[0]["width"] == 0
    assert chart.rows[1]["width"] == 1


def test_every_chart_has_its_caption_row_headings_and_the_style_once(zones):
    charts = [(key, zone_bars(zones, key, "de")) for key in ("population", "site_share")]
    markup = bar_charts_html(charts, "de")
    assert markup.count("<style>") == 1 and markup.count("<table") == 2
    assert markup.count("<caption>") == 2 and markup.count("<th scope='row'>") == 2 * len(zones)
    assert not re.search(r"https?://", markup)  # nothing the browser would fetch
