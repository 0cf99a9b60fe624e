"""plotly figures (geo.indicators.charts) and the district choropleth and zone map (geo.maps.choropleth: the atlas
map's `districts` argument and the legend), inspected as objects and HTML (no browser)."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from geo import indicators
from geo.core.formatting import format_number
from geo.indicators import NOT_VERIFIED, charts, indicator
from geo.maps import choropleth
from geo.maps.symbols import unverified_swatch_image
from geo.store.reference import read_layer, read_table

HOSTILE = "<img src=x onerror=alert(1)>"
HALLE = "15002"


# --- charts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "separators"), [("de", ",."), ("en", ".,")])
def test_profile_chart_follows_the_language(table, lang, separators):
    comparison = indicators.profile_comparison(table, HALLE)
    figure = charts.profile_chart(comparison, "Halle (Saale)", "Sachsen-Anhalt", lang)
    assert figure.layout.separators == separators
    assert len(figure.data) == len(indicators.PROFILE_KEYS)
    population = figure.data[0]
    assert list(population.x) == pytest.approx(list(comparison.iloc[0][["district", "state", "four_states"]]))
    # the values are written by the project's formatter, the same on the bar and in the hover
    assert list(population.text) == [format_number(value, lang) for value in population.x]
    assert "%{text}" in population.texttemplate and "%{text}" in population.hovertemplate
    assert indicator("population").unit(lang) in population.hovertemplate
    titles = [annotation.text for annotation in figure.layout.annotations]
    assert titles[0] == indicator("population").label(lang)
    assert list(population.marker.color) == [charts.PROFILE_COLORS[key] for key in ("district", "state", "four_states")]


def test_density_hover_shows_one_decimal(table):
    figure = charts.profile_chart(indicators.profile_comparison(table, HALLE), "Halle", "ST", "de")
    density = figure.data[list(indicators.PROFILE_KEYS).index("density")]
    assert all(re.fullmatch(r"[\d.]+,\d", label) for label in density.text)


def test_chart_text_from_data_is_escaped(table):
    labels = {ags: name for ags, name in zip(table["ags"], table["name"], strict=True)} | {HALLE: HOSTILE}
    figure = charts.districts_chart(table, [HALLE], labels, ["population"], "en")
    assert figure.data[0].y == ("&lt;img src=x onerror=alert(1)&gt;",)


def test_districts_chart_draws_one_bar_per_district(table):
    chosen = [HALLE, "14713", "14729", "15081"]
    labels = indicators.district_labels(table, "de")
    figure = charts.districts_chart(table, chosen, labels, ["density", "sites_total"], "de")
    assert [len(trace.x) for trace in figure.data] == [4, 4]
    assert list(figure.data[0].y) == [labels[ags] for ags in chosen]


def test_no_figure_points_at_a_web_address(table):
    figure = charts.profile_chart(indicators.profile_comparison(table, HALLE), "Halle", "ST", "de")
    assert not re.search(r"https?://", figure.to_json())


# --- choropleth classes ------------------------------------------------------------------------------------


def test_every_district_gets_a_class_for_every_mappable_indicator(table):
    for definition in indicators.map_indicators():
        result = choropleth.classify(definition, table[definition.key], "de", table["aid_area"])
        assert min(result.class_of) >= 0, definition.key
        assert len(result.class_of) == len(table)


def test_quantile_classes_are_ordered_and_cover_the_values(table):
    result = choropleth.classify(indicator("density"), table["density"], "de")
    assert 3 <= len(result.classes) <= 5
    means = pd.Series(table["density"].to_numpy()).groupby(list(result.class_of)).mean()
    assert means.is_monotonic_increasing
    assert result.classes[0].label.startswith("unter ") and result.classes[-1].label.endswith(" und mehr")


def test_not_verified_aid_is_its_own_hatched_class_never_zero(table):
    result = choropleth.classify(indicator("aid_max_small_pct"), table["aid_max_small_pct"], "en", table["aid_area"])
    hatched = [entry for entry in result.classes if entry.hatched]
    assert [entry.label for entry in hatched] == ["not verified"]
    hatched_index = result.classes.index(hatched[0])
    # on a ceiling map also a C area (or the C part of a split district) whose ceiling no source states
    unverified = list(
        (table["aid_area"] == NOT_VERIFIED)
        | table["aid_max_small_pct"].isna() & table["aid_area"].isin(["C", "partly C"])
    )
    assert [index == hatched_index for index in result.class_of] == unverified
    assert not any(entry.label.startswith("0") for entry in result.classes)
    area = choropleth.classify(indicator("aid_area"), table["aid_area"], "de")
    assert [entry.label for entry in area.classes if entry.hatched] == ["nicht geprüft"]


def test_site_counts_keep_zero_as_a_class_of_its_own(table):
    result = choropleth.classify(indicator("sites_total"), table["sites_total"], "de")
    assert result.classes[0].label == "0" and result.classes[0].color == choropleth.ZERO_COLOR
    zero = [count == 0 for count in table["sites_total"]]
    assert [index == 0 for index in result.class_of] == zero


def test_ramp_is_viridis_light_to_dark():
    assert choropleth.ramp(5) == ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]
    assert len(set(choropleth.ramp(7))) == 7


# --- the maps ------------------------------------------------------------------------------------------------


def test_choropleth_colours_every_district_with_its_formatted_value(table):
    spec, legend = choropleth.district_choropleth(table, indicator("density"), "de")
    assert set(spec["colours"]) == set(spec["values"]) == set(spec["names"]) == set(table["ags"])
    assert len(spec["colours"]) == 67 and set(spec["colours"].values()) <= set(choropleth.VIRIDIS)
    density = table.set_index("ags").loc[HALLE, "density"]
    assert spec["values"][HALLE] == (
        f"{density:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".") + "\u00a0Einwohner je km²"
    )
    assert spec["names"][HALLE] == "Halle (Saale)" and spec["clickable"] and spec["hatched"] == []
    assert "Bevölkerungsdichte (2018)" in legend and "Einwohner je km²" in legend  # legend: title, year, unit


def test_choropleth_draws_unverified_aid_hatched_with_a_legend_entry(table):
    spec, legend = choropleth.district_choropleth(table, indicator("aid_area"), "en")
    unverified = set(table.loc[table["aid_area"] == NOT_VERIFIED, "ags"])
    assert unverified and set(spec["hatched"]) == unverified
    assert {spec["values"][ags] for ags in unverified} == {"not verified"}
    assert "not verified" in legend and "not zero" in legend
    assert unverified_swatch_image() in legend  # the map's hatching, as an image


def test_choropleth_legend_escapes_text_from_data():
    legend = choropleth.legend_html(HOSTILE, HOSTILE, (choropleth.MapClass(HOSTILE, "#ffffff"),), note=HOSTILE)
    assert HOSTILE not in legend and legend.count("&lt;img src=x onerror=alert(1)&gt;") == 4
    assert not re.search(r'src="(?!data:)', legend)  # requests nothing


def test_zone_map_colours_the_members_and_leaves_the_others_grey(table):
    zone = read_layer("zones").set_index("zone_id").loc["mitteldeutsch"].to_dict()
    members = indicators.zone_members(read_table("zone_districts"), "mitteldeutsch")
    spec, legend = choropleth.zone_map(table, zone, members, "de")
    assert sorted(spec["colours"]) == sorted(members) and len(members) == 8
    assert len(set(spec["colours"].values())) == 1 and spec["others"]["fillColor"] == choropleth.ZERO_COLOR
    assert not spec["clickable"] and set(spec["values"]) == set(table["ags"])
    assert "Mitteldeutsches Revier" in legend and "außerhalb des Gebiets" in legend


def test_format_value_never_shows_nan():
    assert indicators.format_value(indicator("density"), math.nan, "de") == "–"
    assert (
        indicators.format_value(indicator("aid_max_large_pct"), math.nan, "de", aid_area="D")
        == "D-Gebiet: kein EU-Höchstsatz erfasst"
    )


def test_bar_labels_tell_different_bars_apart():
    assert charts.label_decimals([3.0, 2.43, 2.1], 0) == 1  # "3, 2, 2" would contradict the bar lengths
    assert charts.label_decimals([3.0, 2.6], 0) == 1  # "3, 3" for bars of different length
    assert charts.label_decimals([3.0, 2.0, float("nan")], 0) == 0
    assert charts.label_decimals([238_000.4, 120_000.7], 0) == 0  # distinct already: no clutter
    assert charts.label_decimals([1.004, 1.001], 1) == 2  # at most two decimals


def test_sites_chart_labels_agree_with_the_bars(table):
    comparison = indicators.profile_comparison(table, HALLE)
    figure = charts.profile_chart(comparison, "Halle (Saale)", "Sachsen-Anhalt", "de")
    sites = figure.data[list(indicators.PROFILE_KEYS).index("sites_total")]
    labels = [float(label.replace(".", "").replace(",", ".")) for label in sites.text]
    # the state's and the four states' means per district keep a decimal ("1,4", not "1")
    assert all("," in label for label in sites.text[1:])
    # bars of different length never share a label, and the longer bar never has the smaller label
    assert len(set(labels)) == len(set(sites.x))
    order = sorted(range(len(labels)), key=lambda position: sites.x[position])
    assert [labels[position] for position in order] == sorted(labels)
