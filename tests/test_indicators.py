"""District, zone and site indicators (geo.indicators), checked against values computed here independently:
straight from the GeoPackages with sqlite3, from the npm package the build read (when its cache exists),
and with pyproj.Geod for a distance. Plus the definitions table every page reads."""

from __future__ import annotations

import io
import json
import math
import sqlite3

import pandas as pd
import pyogrio
import pytest

from geo import indicators
from geo.core.csv_download import csv_bytes
from geo.core.npm_sources import DISTRICT_STATISTICS, package_dir
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG, SOURCES_DIR
from geo.indicators import INDICATORS, NOT_VERIFIED, indicator
from geo.store.reference import read_layer, read_table

HALLE = "15002"
ALTMARKKREIS_SALZWEDEL = "15081"
WARTBURGKREIS = "16063"
EISENACH_BEFORE_2021 = "16056"


def sql(path, query, *params):
    with sqlite3.connect(path) as connection:
        return connection.execute(query, params).fetchall()


def row_of(table, ags):
    return table.set_index("ags").loc[ags]


# --- the definitions ---------------------------------------------------------------------------------


def test_every_indicator_has_names_unit_source_and_year():
    for definition in INDICATORS:
        for text in (
            definition.name_de,
            definition.name_en,
            definition.unit_de,
            definition.unit_en,
            definition.source_de,
            definition.source_en,
            definition.year,
            definition.description_de,
            definition.description_en,
        ):
            assert text.strip(), f"{definition.key}: empty field"
        assert definition.name_de != definition.name_en or definition.key.startswith("sites_")
        assert definition.kind in {"count", "measure", "ratio", "percent", "category"}
        assert definition.scope in {"district", "zone", "site"}
        if definition.categorical:
            assert definition.categories and all(c.label_de and c.label_en for c in definition.categories)


def test_definition_keys_are_unique_and_every_district_indicator_is_a_column(table):
    keys = [definition.key for definition in INDICATORS]
    assert len(keys) == len(set(keys))
    district_keys = [d.key for d in INDICATORS if d.scope == "district"]
    assert set(district_keys) <= set(table.columns)
    site_columns = set(pyogrio.read_info(SITES_GPKG, layer="sites")["fields"])
    assert {d.key for d in INDICATORS if d.scope == "site"} <= site_columns


def test_one_site_count_per_program():
    programs = pd.read_csv(SOURCES_DIR / "programs.csv", dtype=str)["program"]
    assert {f"sites_{program}" for program in programs} <= {d.key for d in INDICATORS}


def test_coal_region_categories_are_the_coal_zones():
    zones = read_layer("zones")
    coal = set(zones.loc[zones["zone_type"].isin(["coal_region", "coal_aid_area"]), "zone_id"])
    assert {c.code for c in indicator("coal_region").categories} - {indicators.NO_ZONE} == coal


def test_label_carries_unit_and_year():
    assert indicator("density").label("de") == "Bevölkerungsdichte (Einwohner je km², 2018)"
    assert indicator("density").label("en") == "Population density (inhabitants per km², 2018)"


def test_definitions_table_lists_every_indicator_in_both_languages():
    for lang in ("de", "en"):
        frame = indicators.definitions_table(lang)
        assert list(frame["key"]) == [d.key for d in INDICATORS]
        assert frame[["name", "unit", "year", "source"]].map(bool).all().all()


# --- district values, computed independently ------------------------------------------------------------


def test_density_of_halle_is_population_over_area_from_the_gpkg(table):
    [(population, area)] = sql(REFERENCE_GPKG, "SELECT population, area_km2 FROM districts WHERE ags = ?", HALLE)
    assert row_of(table, HALLE)["density"] == pytest.approx(population / area, rel=1e-12)
    density = population / area
    # the expected text is spelled out from the digits, not by the code's own separator swap
    whole, tenths = divmod(round(density * 10), 10)
    assert 1000 <= whole < 10_000  # Halle has between 1,000 and 10,000 inhabitants per km²
    thousands, rest = divmod(whole, 1000)
    assert (
        indicators.format_value(indicator("density"), row_of(table, HALLE)["density"], "de")
        == f"{thousands}.{rest:03d},{tenths}"
    )
    assert (
        indicators.format_value(indicator("density"), row_of(table, HALLE)["density"], "en")
        == f"{thousands},{rest:03d}.{tenths}"
    )


def test_population_and_area_match_the_npm_package(table, npm_build_sources):
    folder = package_dir(DISTRICT_STATISTICS, npm_build_sources)
    rows = json.loads((folder / "data" / "districts.json").read_text("utf-8"))
    by_ags = {str(row["AGS"]).zfill(5): row for row in rows}  # the package stores some keys as numbers
    halle = row_of(table, HALLE)
    assert halle["population"] == by_ags[HALLE]["population"]
    assert halle["area_km2"] == pytest.approx(by_ags[HALLE]["area_km2"])
    # Eisenach joined the Wartburgkreis on 1 July 2021: the merged district carries both
    merged = row_of(table, WARTBURGKREIS)
    assert merged["population"] == by_ags[WARTBURGKREIS]["population"] + by_ags[EISENACH_BEFORE_2021]["population"]
    assert EISENACH_BEFORE_2021 not in set(table["ags"])


def test_sites_per_100k_in_altmarkkreis_salzwedel_counted_from_the_sites_file(table):
    [(count,)] = sql(SITES_GPKG, "SELECT count(*) FROM sites WHERE district_ags = ?", ALTMARKKREIS_SALZWEDEL)
    [(population,)] = sql(REFERENCE_GPKG, "SELECT population FROM districts WHERE ags = ?", ALTMARKKREIS_SALZWEDEL)
    assert count > 0
    row = row_of(table, ALTMARKKREIS_SALZWEDEL)
    assert row["sites_total"] == count
    assert row["sites_per_100k"] == pytest.approx(count / population * 100_000)
    per_program = sql(
        SITES_GPKG,
        "SELECT program, count(*) FROM sites WHERE district_ags = ? GROUP BY program",
        ALTMARKKREIS_SALZWEDEL,
    )
    for program, program_count in per_program:
        assert row[f"sites_{program}"] == program_count


def test_site_counts_add_up_to_all_sites(table, sites):
    assert table["sites_total"].sum() == len(sites)
    program_columns = [f"sites_{program}" for program in sites["program"].unique()]
    assert (table[program_columns].sum(axis=1) == table["sites_total"]).all()


def test_distance_to_leipzig_halle_airport_agrees_with_a_geodesic():
    import airportsdata
    from pyproj import Geod

    site = pd.read_csv(SOURCES_DIR / "sites.csv", dtype=str).set_index("name").loc["Chemiestandort Leuna"]
    [(iata, stored_km)] = sql(
        SITES_GPKG, "SELECT airport_iata, airport_km FROM sites WHERE name = ?", "Chemiestandort Leuna"
    )
    assert iata == "LEJ"
    airport = airportsdata.load("IATA")["LEJ"]
    _, _, metres = Geod(ellps="WGS84").inv(float(site["lon"]), float(site["lat"]), airport["lon"], airport["lat"])
    # stored: straight line in EPSG:3035 (scale error < 1 % here), rounded to 0.1 km
    assert stored_km == pytest.approx(metres / 1000, rel=0.01, abs=0.1)


def test_zone_membership_and_zone_totals(table):
    pairs = read_table("zone_districts")
    lausitz = set(pairs.loc[pairs["zone_id"] == "lausitz", "ags"])
    assert set(table.loc[table["coal_region"] == "lausitz", "ags"]) == lausitz
    jtf = set(pairs.loc[pairs["zone_id"].str.startswith("jtf_"), "ags"])
    assert set(table.loc[table["jtf_area"] == "in", "ags"]) == jtf
    zones = indicators.zone_table(table, read_layer("zones"), pairs).set_index("zone_id")
    placeholders = ",".join("?" * len(lausitz))
    [(population,)] = sql(
        REFERENCE_GPKG, f"SELECT sum(population) FROM districts WHERE ags IN ({placeholders})", *sorted(lausitz)
    )
    [(all_population,)] = sql(REFERENCE_GPKG, "SELECT sum(population) FROM districts")
    assert zones.loc["lausitz", "population"] == population
    assert zones.loc["lausitz", "population_share"] == pytest.approx(population / all_population * 100)
    [(sites_inside,)] = sql(
        SITES_GPKG, f"SELECT count(*) FROM sites WHERE district_ags IN ({placeholders})", *sorted(lausitz)
    )
    assert zones.loc["lausitz", "sites_total"] == sites_inside
    # the union counts a district in two zones (lausitz and jtf_sn) once
    union = set(pairs["ags"])
    assert zones.loc["all", "district_count"] == len(union)
    assert zones.loc["all", "population"] == table.loc[table["ags"].isin(list(union)), "population"].sum()


def test_not_verified_aid_is_never_a_number(table):
    unverified = table[table["aid_area"] == NOT_VERIFIED]
    assert len(unverified) > 0
    assert unverified[list(indicators.AID_CEILING_KEYS)].isna().all().all()
    for lang, text in (("de", "nicht geprüft"), ("en", "not verified")):
        assert indicators.format_value(indicator("aid_max_large_pct"), math.nan, lang, aid_area=NOT_VERIFIED) == text
    ranked = indicators.ranking(table, "aid_max_large_pct", "de")
    assert ranked["rank"].tail(len(unverified)).isna().all()
    assert (ranked.loc[ranked["ags"].isin(list(unverified["ags"])), "value_text"] == "nicht geprüft").all()


def test_profile_comparison_uses_means_for_counts_and_ratios_for_densities(table):
    comparison = indicators.profile_comparison(table, HALLE).set_index("key")
    [(pop_st, area_st)] = sql(
        REFERENCE_GPKG, "SELECT sum(population), sum(area_km2) FROM districts WHERE state_code = 'ST'"
    )
    [(mean_pop_st,)] = sql(REFERENCE_GPKG, "SELECT avg(population) FROM districts WHERE state_code = 'ST'")
    assert comparison.loc["density", "state"] == pytest.approx(pop_st / area_st)
    assert comparison.loc["population", "state"] == pytest.approx(mean_pop_st)
    [(pop_all, area_all)] = sql(REFERENCE_GPKG, "SELECT sum(population), sum(area_km2) FROM districts")
    assert comparison.loc["density", "four_states"] == pytest.approx(pop_all / area_all)


def test_ranking_is_ordered_with_shared_ranks_and_downloads_as_spreadsheet_csv(table):
    ranked = indicators.ranking(table, "density", "de")
    assert ranked["value"].is_monotonic_decreasing
    assert ranked.iloc[0]["rank"] == 1
    ties = indicators.ranking(table, "aid_max_large_pct", "de")
    top = ties.loc[ties["value"] == ties["value"].max(), "rank"]
    assert set(top) == {1}
    data = csv_bytes(indicators.ranking_download(table, "density", "de"), "de")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.split(";")[4] == "Bevölkerungsdichte (Einwohner je km², 2018)"
    assert ";" in first and "," in first.split(";")[4]
    english = csv_bytes(indicators.ranking_download(table, "density", "en"), "en").decode("utf-8-sig")
    english_header, english_first = english.splitlines()[:2]
    back = pd.read_csv(io.StringIO(english), sep=",", dtype=str)  # English spreadsheets split at commas
    assert ";" not in english_header and back.columns[4] == "Population density (inhabitants per km², 2018)"
    assert "." in back.iloc[0, 4] and "," not in back.iloc[0, 4]


def test_district_labels_tell_the_two_leipzigs_apart(table):
    labels = indicators.district_labels(table, "de")
    assert labels["14713"] == "Leipzig (Kreisfreie Stadt)"
    assert labels["14729"] == "Leipzig (Landkreis)"
    assert labels[HALLE] == "Halle (Saale)"
    assert len(set(labels.values())) == len(labels)


def test_comparison_table_has_a_column_per_district_and_units_in_the_row_labels(table):
    frame = indicators.comparison_table(table, [HALLE, "14713"], "en")
    assert list(frame.columns) == ["Halle (Saale)", "Leipzig (city)"]
    assert "Population (inhabitants, 2018)" in frame.index
    assert frame.loc["Regional aid area (area type, 2022–2027)", "Leipzig (city)"] == "not verified"


# --- zone facts ------------------------------------------------------------------------------------------


def test_zone_facts_keep_their_source_and_format_by_language():
    facts = read_table("zone_facts")
    assert facts["source_url"].str.startswith("http").sum() >= len(facts) - 2
    lausitz = indicators.zone_facts_for(facts, "lausitz")
    assert set(lausitz["zone_id"]) == {"lausitz"} and len(lausitz) >= 1
    assert indicators.format_fact_value("14000", "Mio. EUR", "de") == "14\u00a0Mrd. EUR"
    assert indicators.format_fact_value("14000", "Mio. EUR", "en") == "14\u00a0billion EUR"
    assert indicators.format_fact_value("950", "Mio. EUR", "de") == "950\u00a0Mio. EUR"
    assert indicators.format_fact_value("25.8", "%", "de") == "25,8\u00a0%"
