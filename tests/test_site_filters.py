"""Filter state, its URL form and the filtering itself (geo.site_filters), on a small fixture."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.site_filters import (
    ParamProblem, SiteFilter, Vocabulary, filter_sites, fold_text, markdown_literal, parse_filter_params,
    parse_site_param, search_text,
)

VOCABULARY = Vocabulary(states=("BB", "SN", "ST", "TH"), programs=("zukunftsort", "kreativort", "weitere_orte"),
                        themes=("chemistry", "coworking", "culture"), zones=("lausitz", "jtf_sn", "mitteldeutsch"))


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    rows = [
        ("goerlitz-hub", "Kühlhaus Görlitz", "weitere_orte", "SN", "14626", "Görlitz", "", "coworking;culture",
         "Kulturort an der Neiße", "Cultural venue on the Neisse"),
        ("leuna", "Chemiestandort Leuna", "zukunftsort", "ST", "15088", "Leuna", "", "chemistry",
         "Chemiepark", "Chemical park"),
        ("altmark", "Gutshof Straße", "kreativort", "ST", "15081", "Gardelegen", "Zichtau", "coworking",
         "Coworking auf dem Land", "Rural co-working"),
        ("prignitz", "Alte Schule", "kreativort", "BB", "12070", "Perleberg", "", "culture;coworking",
         "Ateliers und Büros", "Studios and offices"),
    ]
    frame = pd.DataFrame(rows, columns=["site_id", "name", "program", "state_code", "district_ags", "municipality",
                                        "locality", "themes", "description_de", "description_en"])
    return gpd.GeoDataFrame(frame, geometry=[Point(14.99, 51.15), Point(12.0, 51.3), Point(11.4, 52.6),
                                             Point(11.9, 53.1)], crs=4326)


@pytest.fixture
def zone_districts() -> pd.DataFrame:
    return pd.DataFrame({"zone_id": ["lausitz", "jtf_sn", "mitteldeutsch"], "ags": ["14626", "14626", "15088"]})


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame["site_id"])


def test_parse_reads_repeated_and_comma_separated_values_case_insensitively():
    parsed = parse_filter_params({"state": ["st", "SN,BB"], "program": "kreativort", "q": "  Görlitz   hub "},
                                 VOCABULARY)
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
    site_filter = SiteFilter(states=("SN",), programs=("zukunftsort", "kreativort"), themes=("culture",),
                             zones=("lausitz",), query="Görlitz")
    params = site_filter.to_query_params()
    assert params == {"state": ["SN"], "program": ["zukunftsort", "kreativort"], "theme": ["culture"],
                      "zone": ["lausitz"], "q": ["Görlitz"]}
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
        "goerlitz-hub", "leuna"]
    assert ids(filter_sites(sites, SiteFilter(), zone_districts)) == ids(sites)


def test_precomputed_search_texts_give_the_same_result(sites, zone_districts):
    texts = search_text(sites)
    site_filter = SiteFilter(query="cowork")
    assert ids(filter_sites(sites, site_filter, zone_districts, texts)) == ids(
        filter_sites(sites, site_filter, zone_districts))


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
