"""The staff-editable slide list (assets/slides.toml): checked with errors that name the bad slide."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.indicators import slides as slide_module
from geo.indicators.slides import (
    SlideData,
    SlideFileError,
    load_slides,
    map_view,
    parse_slides,
    read_slide_file,
    slide_figures,
    slide_subtitle,
    slide_title,
)

HOSTILE_NAME = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def data() -> SlideData:
    """Two districts in Brandenburg and Sachsen, one zone, three sites (one with a hostile name)."""
    districts = pd.DataFrame(
        {
            "ags": ["12071", "14626"],
            "name": ["Spree-Neiße", "Görlitz"],
            "state_code": ["BB", "SN"],
            "population": [114_429, 254_894],
            "area_km2": [1_657.46, 2_111.41],
            "stats_year": [2018, 2018],
            "aid_area": ["C", "not verified"],
            "aid_max_small_pct": [40.0, float("nan")],
        }
    )
    states = gpd.GeoDataFrame(
        {"state_code": ["BB", "SN", "ST", "TH"]},
        geometry=[box(13, 51, 15, 53), box(12, 50, 15, 51.5), box(10.5, 50.9, 13.2, 53), box(9.8, 50.2, 12.7, 51.7)],
        crs=4326,
    )
    zones = gpd.GeoDataFrame(
        {
            "zone_id": ["lausitz"],
            "name": ["Lausitzer Revier"],
            "name_en": ["Lusatian coal region"],
            "zone_type": ["coal_region"],
        },
        geometry=[box(13.5, 51, 15, 52)],
        crs=4326,
    )
    sites = gpd.GeoDataFrame(
        {
            "site_id": ["kuehlhaus", "werk", "hostile"],
            "name": ["Kühlhaus", "Werk", HOSTILE_NAME],
            "program": ["zukunftsort_netzwerk", "zukunftsort", "zukunftsort"],
            "state_code": ["SN", "BB", "BB"],
            "district_ags": ["14626", "12071", "12071"],
            "municipality": ["Görlitz", "Cottbus", "Forst"],
            "locality": ["Weinhübel", "", ""],
            "year": [2008.0, float("nan"), 2020.0],
            "source_url": ["https://www.example.org/a", "", ""],
            "updated": ["2026-11-25"] * 3,
            "airport_name": ["Dresden", "BER", "BER"],
            "airport_km": [81.4, 95.0, 100.0],
            "station_name": ["Görlitz", "Cottbus Hbf", "Cottbus Hbf"],
            "station_km": [2.5, 1.0, 20.0],
            "city_name": ["Liberec", "Cottbus", "Cottbus"],
            "city_km": [42.0, 1.0, 25.0],
        },
        geometry=[Point(14.83, 51.02), Point(14.33, 51.76), Point(14.65, 51.73)],
        crs=4326,
    )
    zone_facts = pd.DataFrame(
        {
            "fact_id": ["invkg_share_lausitz", "invkg_total"],
            "zone_id": ["lausitz", ""],
            "label_de": ["Anteil Lausitz", "Finanzhilfen"],
            "label_en": ["Share Lusatia", "Financial aid"],
            "value": ["43", "14000"],
            "unit": ["%", "Mio. EUR"],
            "period": ["2020–2038", "bis 2038"],
            "source_url": ["https://www.gesetze-im-internet.de/invkg/__3.html"] * 2,
        }
    )
    return SlideData(
        districts=districts,
        states=states,
        zones=zones,
        zone_districts=pd.DataFrame({"zone_id": ["lausitz", "lausitz"], "ags": ["12071", "14626"]}),
        zone_facts=zone_facts,
        sites=sites,
        program_claims=pd.DataFrame(
            {"program": ["zukunftsort"], "claimed_count": ["12"], "source_url": ["https://mwl.sachsen-anhalt.de/x"]}
        ),
    )


def write(tmp_path, text: str):
    path = tmp_path / "slides.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_gives_numbered_slides_in_file_order(data, tmp_path):
    path = write(
        tmp_path,
        """
[[slide]]
kind = "zone"
key = "lausitz"
figures = ["sites", "population", "fact:invkg_share_lausitz"]

[[slide]]
kind = "overview"
title = { de = "Willkommen", en = "Welcome" }
figures = ["sites"]
""",
    )
    slides = load_slides(data, path)
    assert [(slide.number, slide.kind, slide.key) for slide in slides] == [(1, "zone", "lausitz"), (2, "overview", "")]
    assert slide_title(slides[1], data, "en") == "Welcome"
    assert slide_title(slides[0], data, "en") == "Lusatian coal region"


def test_every_bad_slide_is_named_with_what_is_wrong(data, tmp_path):
    path = write(
        tmp_path,
        """
[[slide]]
kind = "overview"
figures = ["sites"]

[[slide]]
kind = "zone"
key = "lausiz"
figures = ["sites"]

[[slide]]
kind = "map"
figures = ["sites"]

[[slide]]
kind = "site"
key = "kuehlhaus"
figures = ["population", "fact:nope", "year", "aid"]
colour = "red"
""",
    )
    with pytest.raises(SlideFileError) as caught:
        load_slides(data, path)
    messages = [problem.message("de") for problem in caught.value.problems]
    assert any(message.startswith("Folie 2: ") and "lausiz" in message and "lausitz" in message for message in messages)
    assert any(message.startswith("Folie 3: ") and "map" in message for message in messages)
    assert any(message.startswith("Folie 4: ") and "colour" in message for message in messages)
    assert any(message.startswith("Folie 4: ") and "1 bis 3" in message for message in messages)
    assert not any(message.startswith("Folie 1") for message in messages)
    english = caught.value.problems[0].message("en")
    assert english.startswith("Slide 2: ") and "unknown" in english


def test_unknown_figure_and_fact_are_reported(data):
    raw = [{"kind": "site", "key": "kuehlhaus", "figures": ["population", "fact:nope"]}]
    with pytest.raises(SlideFileError) as caught:
        parse_slides(raw, data)
    messages = " | ".join(problem.message("en") for problem in caught.value.problems)
    assert "“population” does not exist for kind “site”" in messages
    assert "fact:nope" in messages and "zone_facts.csv" in messages


@pytest.mark.parametrize(
    "raw, text_key",
    [
        ([{"kind": "state", "figures": ["sites"]}], "slide_key_missing"),
        ([{"kind": "overview", "key": "BB", "figures": ["sites"]}], "slide_key_not_used"),
        ([{"kind": "state", "key": "BB", "title": {"de": ""}, "figures": ["sites"]}], "slide_bad_title"),
        ([{"kind": "state", "key": "BB", "figures": "sites"}], "slide_figure_count"),
        (["just text"], "slide_not_table"),
    ],
)
def test_shape_mistakes(data, raw, text_key):
    with pytest.raises(SlideFileError) as caught:
        parse_slides(raw, data)
    assert [problem.text_key for problem in caught.value.problems] == [text_key]
    assert caught.value.problems[0].slide == 1


def test_syntax_error_names_the_line(tmp_path):
    path = write(tmp_path, '[[slide]]\nkind = "overview\n')
    with pytest.raises(SlideFileError) as caught:
        read_slide_file(path)
    message = caught.value.problems[0].message("de")
    assert "kein gültiges TOML" in message and "line 2" in message


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(SlideFileError, match="missing"):
        read_slide_file(tmp_path / "none.toml")
    with pytest.raises(SlideFileError, match=r"\[\[slide\]\]"):
        read_slide_file(write(tmp_path, "# nothing yet\n"))


def test_figures_are_formatted_per_language_with_sources(data):
    [zone] = parse_slides(
        [{"kind": "zone", "key": "lausitz", "figures": ["sites", "population", "fact:invkg_share_lausitz"]}], data
    )
    german = slide_figures(zone, data, "de")
    english = slide_figures(zone, data, "en")
    assert [figure.value for figure in german] == ["3", "369.323", "43\u00a0%"]
    assert [figure.value for figure in english] == ["3", "369,323", "43\u00a0%"]
    assert "Destatis" in german[1].caption and "31.12.2018" in german[1].caption
    assert "31 Dec 2018" in english[1].caption
    assert "⚠ älter als 12 Monate" in german[1].caption and "⚠ older than 12 months" in english[1].caption
    assert "gesetze-im-internet.de" in german[2].caption and "2020–2038" in german[2].caption
    assert "25.11.2026" in german[0].caption


def test_money_facts_and_site_figures(data):
    overview, site, district = parse_slides(
        [
            {"kind": "overview", "figures": ["fact:invkg_total", "area"]},
            {"kind": "site", "key": "kuehlhaus", "figures": ["year", "airport_km", "aid"]},
            {"kind": "site", "key": "kuehlhaus", "figures": ["district_population"]},
        ],
        data,
    )
    money, area = slide_figures(overview, data, "de")
    assert money.value == "14\u00a0Mrd. EUR"  # a thousand millions are written as billions
    assert area.value == "3.769\u00a0km²"
    assert slide_figures(overview, data, "en")[0].value == "14\u00a0billion EUR"
    year, airport, aid = slide_figures(site, data, "en")
    assert (year.value, airport.value, aid.value) == ("2008", "81\u00a0km", "–")
    [population] = slide_figures(district, data, "en")
    assert "as of 31 Dec 2018 ⚠ older than 12 months" in population.caption  # the district's figure, dated
    assert "Dresden" in airport.caption and "not verified" in aid.caption


def test_program_claim_and_missing_claim(data):
    program, network = parse_slides(
        [
            {"kind": "program", "key": "zukunftsort", "figures": ["sites", "claimed"]},
            {"kind": "program", "key": "zukunftsort_netzwerk", "figures": ["claimed"]},
        ],
        data,
    )
    assert [figure.value for figure in slide_figures(program, data, "de")] == ["2", "12"]
    assert slide_figures(network, data, "en")[0].value == "not stated"


def test_program_claim_says_a_lower_bound_and_a_count_beyond_the_four_states(data):
    claims = pd.DataFrame(
        {
            "program": ["industriestandort", "zukunftsort_netzwerk"],
            "claimed_count": ["28", "47"],
            "count_qualifier": ["at_least", "exact"],
            "claim_scope": ["atlas", "germany"],
            "source_url": ["https://www.investieren-in-sachsen-anhalt.de/presse/x", "https://example.org/"],
        }
    )
    data = dataclasses.replace(data, program_claims=claims)
    industrial, network = parse_slides(
        [
            {"kind": "program", "key": "industriestandort", "figures": ["claimed"]},
            {"kind": "program", "key": "zukunftsort_netzwerk", "figures": ["claimed"]},
        ],
        data,
    )
    assert slide_figures(industrial, data, "de")[0].value == "mindestens 28"
    assert slide_figures(network, data, "en")[0].value == "47 (all of Germany)"


def test_map_views_frame_what_the_slide_is_about(data):
    overview, state, zone, program, site = parse_slides(
        [
            {"kind": "overview", "figures": ["sites"]},
            {"kind": "state", "key": "SN", "figures": ["sites"]},
            {"kind": "zone", "key": "lausitz", "figures": ["sites"]},
            {"kind": "program", "key": "zukunftsort", "figures": ["sites"]},
            {"kind": "site", "key": "kuehlhaus", "figures": ["year"]},
        ],
        data,
    )
    assert map_view(overview, data).bounds == slide_module.FOUR_STATES_BOUNDS
    assert map_view(state, data).state == "SN"
    (south, west), (north, east) = map_view(zone, data).bounds
    assert south < 51 < 52 < north and west < 13.5 < 15 < east
    assert map_view(program, data).programs == ("zukunftsort",)
    site_view = map_view(site, data)
    (south, west), (north, east) = site_view.bounds
    assert site_view.site == "kuehlhaus" and south < 51.02 < north and west < 14.83 < east


def test_titles_come_from_data_unescaped_for_the_page_to_escape(data):
    [slide] = parse_slides([{"kind": "site", "key": "hostile", "figures": ["year"]}], data)
    # geo returns plain text; the page escapes it (st.title / st.markdown without HTML)
    assert slide_title(slide, data, "de") == HOSTILE_NAME
    assert "Zukunftsort Sachsen-Anhalt" in slide_subtitle(slide, data, "de")


def test_the_bundled_slide_file_is_well_formed():
    """assets/slides.toml parses and uses only known kinds and figures (keys are checked by the app test)."""
    raw_slides = read_slide_file()
    kinds = [raw["kind"] for raw in raw_slides]
    assert kinds[0] == "overview"
    assert {"state", "zone", "program", "site"} <= set(kinds)
    for raw in raw_slides:
        for figure in raw["figures"]:
            assert figure.startswith("fact:") or figure in slide_module.FIGURES_BY_KIND[raw["kind"]]


def test_figures_chart_shows_data_as_text(data):
    [slide] = parse_slides([{"kind": "site", "key": "hostile", "figures": ["year", "airport_km"]}], data)
    chart = slide_module.figures_chart(slide_title(slide, data, "en"), slide_figures(slide, data, "en"), "en")
    assert chart.layout.title.text == "&lt;img src=x onerror=alert(1)&gt;"
    texts = [annotation.text for annotation in chart.layout.annotations]
    assert "2020" in texts and "100\u00a0km" in texts and len(texts) == 6
