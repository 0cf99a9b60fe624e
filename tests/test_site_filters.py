"""Filter state, its URL form and the filtering itself (geo.sites.filters), on a small fixture."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.sites.filters import (
    ParamProblem,
    SiteFilter,
    Vocabulary,
    filter_sites,
    fold_text,
    markdown_literal,
    parse_filter_params,
    parse_site_param,
    search_text,
)

VOCABULARY = Vocabulary(
    states=("BB", "SN", "ST", "TH"),
    programs=("zukunftsort", "kreativort", "weitere_orte"),
    themes=("chemistry", "coworking", "culture"),
    zones=("lausitz", "jtf_sn", "mitteldeutsch"),
)


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    rows = [
        (
            "goerlitz-hub",
            "Kühlhaus Görlitz",
            "weitere_orte",
            "SN",
            "14626",
            "Görlitz",
            "",
            "coworking;culture",
            "Kulturort an der Neiße",
            "Cultural venue on the Neisse",
        ),
        (
            "leuna",
            "Chemiestandort Leuna",
            "zukunftsort",
            "ST",
            "15088",
            "Leuna",
            "",
            "chemistry",
            "Chemiepark",
            "Chemical park",
        ),
        (
            "altmark",
            "Gutshof Straße",
            "kreativort",
            "ST",
            "15081",
            "Gardelegen",
            "Zichtau",
            "coworking",
            "Coworking auf dem Land",
            "Rural co-working",
        ),
        (
            "prignitz",
            "Alte Schule",
            "kreativort",
            "BB",
            "12070",
            "Perleberg",
            "",
            "culture;coworking",
            "Ateliers und Büros",
            "Studios and offices",
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "site_id",
            "name",
            "program",
            "state_code",
            "district_ags",
            "municipality",
            "locality",
            "themes",
            "description_de",
            "description_en",
        ],
    )
    return gpd.GeoDataFrame(
        frame, geometry=[Point(14.99, 51.15), Point(12.0, 51.3), Point(11.4, 52.6), Point(11.9, 53.1)], crs=4326
    )


@pytest.fixture
def zone_districts() -> pd.DataFrame:
    return pd.DataFrame({"zone_id": ["lausitz", "jtf_sn", "mitteldeutsch"], "ags": ["14626", "14626", "15088"]})


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["site_id"])


def test_parse_reads_repeated_and_comma_separated_values_case_insensitively():
    parsed = parse_filter_params(
        {"state": ["st", "SN,BB"], "program": "kreativort", "q": "  Görlitz   hub "}, VOCABULARY
    )
    assert parsed.site_filter == SiteFilter(states=("BB", "SN", "ST"), programs=("kreativort",), query="Görlitz hub")
    assert parsed.problems == ()


def test_parse_drops_and_reports_unknown_values_and_duplicates_collapse():
    parsed = parse_filter_params({"state": ["SN", "XX", "SN"], "zone": ["<script>"]}, VOCABULARY)
    assert parsed.site_filter.states == ("SN",)
    assert parsed.site_filter.zones == ()
    assert parsed.problems == (ParamProblem("state", "XX"), ParamProblem("zone", "<script>"))


def test_parse_shortens_an_overlong_query_and_says_so():
    parsed = parse_filter_params({"q": "x" * 500}, VOCABULARY)
    assert len(parsed.site_filter.query) == 100
    assert parsed.problems[0].param == "q"


def test_filter_order_of_url_does_not_matter_so_equal_filters_share_a_cache_entry():
    first = parse_filter_params({"state": ["ST", "SN"]}, VOCABULARY).site_filter
    second = parse_filter_params({"state": ["SN", "ST"]}, VOCABULARY).site_filter
    assert first == second and hash(first) == hash(second)


def test_query_params_round_trip():
    site_filter = SiteFilter(
        states=("SN",), programs=("zukunftsort", "kreativort"), themes=("culture",), zones=("lausitz",), query="Görlitz"
    )
    params = site_filter.to_query_params()
    assert params == {
        "state": ["SN"],
        "program": ["zukunftsort", "kreativort"],
        "theme": ["culture"],
        "zone": ["lausitz"],
        "q": ["Görlitz"],
    }
    reparsed = parse_filter_params(params, VOCABULARY).site_filter
    assert reparsed.states == site_filter.states and reparsed.query == "Görlitz"
    assert SiteFilter().to_query_params() == {} and SiteFilter().is_empty


@pytest.mark.parametrize("query", ["Görlitz", "goerlitz", "GORLITZ", "görlitz kühlhaus", "kuhlhaus"])
def test_search_is_case_accent_and_umlaut_spelling_insensitive(sites, zone_districts, query):
    assert ids(filter_sites(sites, SiteFilter(query=query), zone_districts)) == ["goerlitz-hub"]


def test_search_covers_both_descriptions_locality_and_needs_every_word(sites, zone_districts):
    assert ids(filter_sites(sites, SiteFilter(query="chemical"), zone_districts)) == ["leuna"]
    assert ids(filter_sites(sites, SiteFilter(query="Zichtau"), zone_districts)) == ["altmark"]
    assert ids(filter_sites(sites, SiteFilter(query="strasse"), zone_districts)) == ["altmark"]
    assert ids(filter_sites(sites, SiteFilter(query="coworking studios"), zone_districts)) == []


def test_categories_are_alternatives_within_and_narrow_each_other(sites, zone_districts):
    assert ids(filter_sites(sites, SiteFilter(states=("SN", "BB")), zone_districts)) == ["goerlitz-hub", "prignitz"]
    assert ids(filter_sites(sites, SiteFilter(states=("ST",), programs=("kreativort",)), zone_districts)) == ["altmark"]
    assert ids(filter_sites(sites, SiteFilter(themes=("culture",)), zone_districts)) == ["goerlitz-hub", "prignitz"]
    assert ids(filter_sites(sites, SiteFilter(zones=("jtf_sn", "mitteldeutsch")), zone_districts)) == [
        "goerlitz-hub",
        "leuna",
    ]
    assert ids(filter_sites(sites, SiteFilter(), zone_districts)) == ids(sites)


def test_precomputed_search_texts_give_the_same_result(sites, zone_districts):
    texts = search_text(sites)
    site_filter = SiteFilter(query="cowork")
    assert ids(filter_sites(sites, site_filter, zone_districts, texts)) == ids(
        filter_sites(sites, site_filter, zone_districts)
    )


def test_fold_text():
    assert fold_text("Straße  Görlitz") == fold_text("STRASSE goerlitz") == "strasse gorlitz"
    assert fold_text("Île-de-Café") == "ile-de-cafe"


def test_site_param():
    assert parse_site_param("leuna", ["leuna"]) == ("leuna", None)
    assert parse_site_param(None, ["leuna"]) == (None, None)
    assert parse_site_param("  ", ["leuna"]) == (None, None)
    assert parse_site_param("gone", ["leuna"]) == (None, ParamProblem("site", "gone"))


def test_markdown_literal_makes_url_values_inert():
    text = markdown_literal("![x](https://evil.example/a.png) <b>")
    assert "![" not in text and "](" not in text and "<b>" not in text
    assert markdown_literal("y" * 200).endswith("…") and len(markdown_literal("y" * 200)) == 60


# --- plot-fact filters --------------------------------------------------------------------------------


@pytest.fixture
def sites_with_facts(sites) -> gpd.GeoDataFrame:
    facts = sites.copy()
    facts["area_available_ha"] = [float("nan"), 40.0, 4.5, 12.0]
    facts["price_eur_m2_max"] = [float("nan"), 30.0, 12.0, float("nan")]
    facts["zoning"] = [None, "GI", "GE;MI", "GI;GE"]
    facts["rail_siding"] = [None, "yes", "no", "unknown"]
    return facts


def test_fact_filters_round_trip_through_the_url():
    parsed = parse_filter_params(
        {"area_min": "2,5", "price_max": ["30"], "zoning": ["gi", "GE,XX"], "rail": "yes", "state": "ST"}, VOCABULARY
    )
    site_filter = parsed.site_filter
    assert site_filter == SiteFilter(states=("ST",), area_min=2.5, price_max=30.0, zoning=("GI", "GE"), rail=("yes",))
    assert parsed.problems == (ParamProblem("zoning", "XX"),)
    params = site_filter.to_query_params()
    assert params["area_min"] == ["2.5"] and params["price_max"] == ["30"]
    assert params["zoning"] == ["GI", "GE"] and params["rail"] == ["yes"]
    assert parse_filter_params(params, VOCABULARY).site_filter == site_filter
    assert not site_filter.is_empty and SiteFilter(area_min=0.0).is_empty is False


@pytest.mark.parametrize("raw", ["viel", "-3", "nan", "inf", "1e9"])
def test_unusable_range_bounds_are_reported_and_ignored(raw):
    parsed = parse_filter_params({"area_min": raw}, VOCABULARY)
    assert parsed.site_filter.area_min is None
    assert parsed.problems == (ParamProblem("area_min", raw),)


def test_range_filters_drop_sites_without_the_figure_and_count_them(sites_with_facts, zone_districts):
    from geo.sites.filters import range_filter_drops

    site_filter = SiteFilter(area_min=10.0)
    assert ids(filter_sites(sites_with_facts, site_filter, zone_districts)) == ["leuna", "prignitz"]
    assert range_filter_drops(sites_with_facts, site_filter, zone_districts) == {"area_min": 1}
    # the count looks only at sites that pass the other filters
    assert range_filter_drops(sites_with_facts, SiteFilter(states=("ST",), area_min=10.0), zone_districts) == {
        "area_min": 0
    }
    cheap = SiteFilter(price_max=20.0)
    assert ids(filter_sites(sites_with_facts, cheap, zone_districts)) == ["altmark"]
    assert range_filter_drops(sites_with_facts, cheap, zone_districts) == {"price_max": 2}
    both = SiteFilter(area_min=1.0, price_max=50.0)
    assert ids(filter_sites(sites_with_facts, both, zone_districts)) == ["leuna", "altmark"]
    assert range_filter_drops(sites_with_facts, both, zone_districts) == {"area_min": 0, "price_max": 1}


def test_zoning_matches_any_code_and_rail_matches_the_value(sites_with_facts, zone_districts):
    assert ids(filter_sites(sites_with_facts, SiteFilter(zoning=("GE",)), zone_districts)) == ["altmark", "prignitz"]
    assert ids(filter_sites(sites_with_facts, SiteFilter(zoning=("MI", "GI")), zone_districts)) == [
        "leuna",
        "altmark",
        "prignitz",
    ]
    assert ids(filter_sites(sites_with_facts, SiteFilter(rail=("yes", "unknown")), zone_districts)) == [
        "leuna",
        "prignitz",
    ]


def test_fact_filters_work_on_data_without_fact_columns(sites, zone_districts):
    assert filter_sites(sites, SiteFilter(area_min=1.0, zoning=("GI",)), zone_districts).empty
    assert ids(filter_sites(sites, SiteFilter(), zone_districts)) == ids(sites)


def test_large_bounds_are_written_out_in_the_url():
    from geo.sites.filters import format_param_number

    assert [format_param_number(value) for value in (2_000_000, 2.5, 5, 0.1)] == ["2000000", "2.5", "5", "0.1"]
