"""Site facts: field declarations, row checks shared by build and import, derived columns, dates."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from geo import site_facts
from geo.paths import SITES_GPKG

SOURCE = "https://example.org/quelle"


def fact(field: str, value: str, unit: str = "", **extra: str) -> dict[str, str]:
    row = {"site_id": "a", "field": field, "value": value, "value_en": "", "unit": unit,
           "source_url": SOURCE, "as_of": "2025-03", "note": ""}
    row.update(extra)
    return row


def test_every_field_has_labels_in_both_languages_and_a_known_kind():
    assert len(set(site_facts.FACT_COLUMNS)) == len(site_facts.FIELDS)
    for field in site_facts.FIELDS:
        assert field.kind in site_facts.KINDS
        assert field.label("de") and field.label("en")
        if field.kind == "vocabulary":
            assert field.vocabulary in site_facts.VOCABULARIES
        if field.kind == "number":
            assert field.unit in site_facts.UNIT_LABELS
    for vocabulary in site_facts.VOCABULARIES.values():
        assert all(de and en for de, en in vocabulary.values())
    assert set(site_facts.RAIL_SIDING) == {"yes", "no", "unknown"}
    assert {"GI", "GE", "SO", "MI"} <= set(site_facts.ZONING)


@pytest.mark.parametrize(("row", "expected"), [
    (fact("area_total_ha", "62.7", "ha"), None),
    (fact("area_total_ha", "62,7", "ha"), None),
    (fact("area_total_ha", "about 60", "ha"), "is not a number"),
    (fact("area_total_ha", "-3", "ha"), "is below"),
    (fact("area_total_ha", "60", "m2"), "unit 'm2' given"),
    (fact("area_total_ha", "60", ""), "unit '' given"),
    (fact("zoning", "GI;GE"), None),
    (fact("zoning", "GI;XX"), "is not one of"),
    (fact("zoning", "GI;GI"), "repeats a code"),
    (fact("rail_siding", "maybe"), "is not one of"),
    (fact("plan_status", "draft"), None),
    (fact("plan_url", "javascript:alert(1)"), "http(s)"),
    (fact("contact_email", "info@example.org"), None),
    (fact("contact_email", "info(at)example.org"), "e-mail"),
    (fact("contact_phone", "+49 391 567 6560"), None),
    (fact("contact_phone", "call us"), "phone"),
    (fact("energy_notes", "Umspannwerk geplant", value_en="Substation planned"), None),
    (fact("energy_notes", "Umspannwerk geplant"), "English wording"),
    (fact("area_total_ha", "60", "ha", value_en="sixty"), "only for texts"),
    (fact("area_total_ha", "60", "ha", source_url=""), "source_url must be"),
    (fact("area_total_ha", "60", "ha", as_of="März 2025"), "is not YYYY-MM-DD"),
    (fact("area_total_ha", "60", "ha", as_of=""), None),
    (fact("last_verified", "2026-11-30", source_url="", as_of="2026-11-30"), None),
    (fact("last_verified", "30.11.2026", source_url="", as_of="2026-11-30"), "not a date"),
    (fact("plot_count", "3"), "unknown fact field"),
    (fact("area_total_ha", "", "ha"), "value is empty"),
])
def test_row_check(row, expected):
    problems = site_facts.check_row(row, known_site_ids={"a"})
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems


def test_table_check_names_the_line_and_finds_unknown_sites_and_duplicates():
    table = pd.DataFrame([fact("area_total_ha", "60", "ha"), fact("area_total_ha", "61", "ha"),
                          fact("area_total_ha", "5", "ha", site_id="ghost")])
    problems = site_facts.check_table(table, known_site_ids={"a"})
    assert any(p.startswith("site facts line 3:") and "already given on line 2" in p for p in problems)
    assert any(p.startswith("site facts line 4:") and "'ghost' names no site" in p for p in problems)
    assert site_facts.check_table(table.drop(columns="source_url"))[0].endswith("source_url")


def test_derived_columns_are_typed_and_missing_stays_missing():
    table = pd.DataFrame([fact("area_available_ha", "12,5", "ha"), fact("zoning", "GI;GE"),
                          fact("rail_siding", "yes", site_id="b")])
    columns = site_facts.fact_columns(table, ["a", "b", "c"])
    assert list(columns.columns) == site_facts.FACT_COLUMNS
    assert columns["area_available_ha"].dtype == "float64"
    assert columns["area_available_ha"].iloc[0] == 12.5
    assert math.isnan(columns["area_available_ha"].iloc[1]) and math.isnan(columns["area_available_ha"].iloc[2])
    assert columns["zoning"].tolist() == ["GI;GE", None, None]
    assert columns["rail_siding"].tolist() == [None, "yes", None]
    sites = pd.DataFrame({"site_id": ["c", "a"], "area_available_ha": [99.0, 99.0]}, index=[7, 3])
    derived = site_facts.with_fact_columns(sites, table)
    assert list(derived.index) == [7, 3]
    assert math.isnan(derived.loc[7, "area_available_ha"]) and derived.loc[3, "area_available_ha"] == 12.5


@pytest.mark.parametrize(("as_of", "today", "old"), [
    ("2025-11-29", dt.date(2026, 11, 30), True),
    ("2025-11-30", dt.date(2026, 11, 30), False),
    ("2025-12", dt.date(2026, 11, 30), False),   # a month counts by its last day
    ("2025", dt.date(2026, 11, 30), False),
    ("2024", dt.date(2026, 11, 30), True),
    ("", dt.date(2026, 11, 30), True),           # undated counts as old
    ("2024-02-29", dt.date(2025, 2, 28), False),
])
def test_age_of_a_date(as_of, today, old):
    assert site_facts.is_older_than(as_of, today) is old


def test_values_read_in_both_languages():
    assert site_facts.format_value("area_total_ha", "62.7", "de") == "62,7\u00a0ha"
    assert site_facts.format_value("area_total_ha", 1300.0, "en") == "1,300\u00a0ha"
    assert site_facts.format_value("price_eur_m2_max", "25", "de") == "25\u00a0€/m²"
    assert site_facts.format_value("zoning", "GI;GE", "en") == "Industrial area (GI), Commercial area (GE)"
    assert site_facts.format_value("rail_siding", "yes", "de") == "ja"
    assert site_facts.format_value("energy_notes", "Umspannwerk", "en", value_en="Substation") == "Substation"
    assert site_facts.format_value("contact_org", "Stadt Köthen (Anhalt)", "en") == "Stadt Köthen (Anhalt)"
    assert site_facts.format_value("last_verified", "2026-11-30", "de") == "30.11.2026"
    assert site_facts.format_as_of("2024-01", "en") == "01/2024"


def test_curated_facts_pass_the_checks_and_cover_the_industrial_sites():
    import pyogrio

    table = site_facts.read_facts_csv()
    site_ids = pyogrio.read_dataframe(SITES_GPKG, layer="sites", columns=["site_id", "program"], read_geometry=False)
    assert site_facts.check_table(table, site_ids["site_id"]) == []
    industrial = set(site_ids.loc[site_ids["program"] == "industriestandort", "site_id"])
    with_area = set(table.loc[table["field"].isin(["area_total_ha", "area_available_ha"]), "site_id"])
    assert len(industrial & with_area) >= 7
    # every figure except the check date names its source
    sourced = table[table["field"] != "last_verified"]
    assert sourced["source_url"].str.startswith(("http://", "https://")).all()
