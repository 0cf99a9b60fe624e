"""Site facts: field declarations, row checks shared by build and import, derived columns, dates."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from geo import store
from geo.core.paths import SITES_GPKG
from geo.sites import fact_checks, fact_imports
from geo.sites import facts as site_facts
from geo.texts import TEXTS

SOURCE = "https://example.org/quelle"


def text(html: str) -> str:
    """What a reader sees of an HTML block: the tags and the screen-reader-only notes left out."""
    import html as html_module
    import re

    visible = re.sub(r'<span class="sa-sr">.*?</span>', "", re.sub(r"<style>.*?</style>", "", html, flags=re.S))
    return (
        re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", visible)))
        .replace(" )", ")")
        .replace("( ", "(")
        .replace(" ,", ",")
    )


def fact(field: str, value: str, unit: str = "", **extra: str) -> dict[str, str]:
    row = {
        "site_id": "a",
        "field": field,
        "value": value,
        "value_en": "",
        "unit": unit,
        "source_url": SOURCE,
        "as_of": "2025-03",
        "note": "",
    }
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
            assert field.unit in site_facts.UNITS
            assert site_facts.unit_label(field.unit, "de") and site_facts.unit_label(field.unit, "en")
    for vocabulary, codes in site_facts.VOCABULARIES.items():
        assert all(
            TEXTS[f"fact_{vocabulary}_{code}"]["de"] and TEXTS[f"fact_{vocabulary}_{code}"]["en"] for code in codes
        )
    assert set(site_facts.RAIL_SIDING) == {"yes", "no", "unknown"}
    assert {"GI", "GE", "SO", "MI"} <= set(site_facts.ZONING)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
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
    ],
)
def test_row_check(row, expected):
    problems = fact_checks.check_row(row, known_site_ids={"a"})
    if expected is None:
        assert problems == []
    else:
        assert any(expected in problem for problem in problems), problems


def test_table_check_names_the_line_and_finds_unknown_sites_and_duplicates():
    table = pd.DataFrame(
        [
            fact("area_total_ha", "60", "ha"),
            fact("area_total_ha", "61", "ha"),
            fact("area_total_ha", "5", "ha", site_id="ghost"),
        ]
    )
    problems = fact_checks.check_table(table, known_site_ids={"a"})
    assert any(p.startswith("site facts line 3:") and "already given on line 2" in p for p in problems)
    assert any(p.startswith("site facts line 4:") and "'ghost' names no site" in p for p in problems)
    assert fact_checks.check_table(table.drop(columns="source_url"))[0].endswith("source_url")


def test_derived_columns_are_typed_and_missing_stays_missing():
    table = pd.DataFrame(
        [fact("area_available_ha", "12,5", "ha"), fact("zoning", "GI;GE"), fact("rail_siding", "yes", site_id="b")]
    )
    columns = site_facts.fact_columns(table, ["a", "b", "c"])
    assert list(columns.columns) == site_facts.DERIVED_COLUMNS
    assert columns["fact_sources"].tolist() == [SOURCE, SOURCE, None]
    assert columns["area_available_ha"].dtype == "float64"
    assert columns["area_available_ha"].iloc[0] == 12.5
    assert math.isnan(columns["area_available_ha"].iloc[1]) and math.isnan(columns["area_available_ha"].iloc[2])
    assert columns["zoning"].tolist() == ["GI;GE", None, None]
    assert columns["rail_siding"].tolist() == [None, "yes", None]
    sites = pd.DataFrame({"site_id": ["c", "a"], "area_available_ha": [99.0, 99.0]}, index=[7, 3])
    derived = site_facts.with_fact_columns(sites, table)
    assert list(derived.index) == [7, 3]
    assert math.isnan(derived.loc[7, "area_available_ha"]) and derived.loc[3, "area_available_ha"] == 12.5


def test_values_read_in_both_languages():
    assert site_facts.format_value("area_total_ha", "62.7", "de") == "62,7\u00a0ha"
    assert site_facts.format_value("area_total_ha", 1300.0, "en") == "1,300\u00a0ha"
    assert site_facts.format_value("price_eur_m2_max", "25", "de") == "25\u00a0€/m²"
    assert site_facts.format_value("zoning", "GI;GE", "en") == "Industrial area (GI), Commercial area (GE)"
    assert site_facts.format_value("rail_siding", "yes", "de") == "ja"
    assert site_facts.format_value("energy_notes", "Umspannwerk", "en", value_en="Substation") == "Substation"
    assert site_facts.format_value("contact_org", "Stadt Köthen (Anhalt)", "en") == "Stadt Köthen (Anhalt)"
    assert site_facts.format_value("last_verified", "2026-11-30", "de") == "30.11.2026"
    assert site_facts.format_value("area_available_ha", "30", "de", qualifier="at_least") == "≥\u00a030\u00a0ha"
    assert site_facts.format_value("largest_plot_ha", "5", "en", qualifier="at_most") == "≤\u00a05\u00a0ha"


def test_curated_facts_pass_the_checks_and_cover_the_industrial_sites():
    import pyogrio

    table = site_facts.read_facts_csv()
    site_ids = pyogrio.read_dataframe(SITES_GPKG, layer="sites", columns=["site_id", "program"], read_geometry=False)
    assert fact_checks.check_table(table, site_ids["site_id"]) == []
    industrial = set(site_ids.loc[site_ids["program"] == "industriestandort", "site_id"])
    with_area = set(table.loc[table["field"].isin(["area_total_ha", "area_available_ha"]), "site_id"])
    assert len(industrial & with_area) >= 7
    # every figure except the check date names its source
    sourced = table[table["field"] != "last_verified"]
    assert sourced["source_url"].str.startswith(("http://", "https://")).all()


# --- profile ------------------------------------------------------------------------------------------


def _profile(facts: pd.DataFrame, lang: str, today: dt.date = dt.date(2026, 11, 30)):
    import geopandas as gpd

    from geo.expose.profile import ProfileTables, profile_html, site_profile

    sites = gpd.read_file(SITES_GPKG, layer="sites")
    site = sites[sites["site_id"] == "strategischer-industriestandort-quedlinburg-quarmbeck"].iloc[0]
    districts = gpd.read_file(SITES_GPKG.parent / "reference.gpkg", layer="districts")
    tables = ProfileTables.from_layers(
        districts,
        pd.DataFrame(columns=["zone_id", "name", "name_en", "zone_type"]),
        pd.DataFrame(columns=["zone_id", "ags"]),
    )
    profile = site_profile(site, tables, lang, facts=facts, today=today)
    return profile, profile_html(profile)


def _quarmbeck_facts(**changes: str) -> pd.DataFrame:
    site = "strategischer-industriestandort-quedlinburg-quarmbeck"
    rows = [
        fact("area_total_ha", "62.7", "ha", site_id=site, as_of="2025-12-01"),
        fact("zoning", "GI", site_id=site, source_url="https://example.org/b-plan?a=1&b=<2>"),
        fact("energy_notes", "Umspannwerk <geplant>", site_id=site, value_en="Substation <planned>", as_of=""),
        fact("contact_email", "info@example.org", site_id=site),
        fact("last_verified", "2026-11-30", site_id=site, source_url="", as_of="2026-11-30"),
    ]
    table = pd.DataFrame(rows)
    for column, value in changes.items():
        table[column] = value
    return table


def test_profile_shows_each_figure_with_its_source_and_date_in_both_languages():
    profile_de, html_de = _profile(_quarmbeck_facts(), "de")
    labels = [item.label for item in profile_de.plot_facts]
    assert labels == ["Gesamtfläche", "Gebietsart", "Energie", "E-Mail"]
    assert "62,7\u00a0ha" in html_de and "Industriegebiet (GI)" in html_de
    assert 'href="https://example.org/quelle"' in html_de and "(Quelle: example.org, Stand 01.12.2025)" in text(html_de)
    # data is escaped: no raw angle brackets from the text or the source address reach the HTML
    assert "Umspannwerk &lt;geplant&gt;" in html_de and "<geplant>" not in html_de
    assert 'href="https://example.org/b-plan?a=1&amp;b=&lt;2&gt;"' in html_de
    assert 'href="mailto:info@example.org"' in html_de
    assert "Angaben zuletzt geprüft am 30.11.2026." in html_de
    profile_en, html_en = _profile(_quarmbeck_facts(), "en")
    assert [item.label for item in profile_en.plot_facts] == ["Total area", "Zoning", "Energy", "E-mail"]
    assert "Substation &lt;planned&gt;" in html_en and "(Source: example.org, as of 1 Dec 2025)" in text(html_en)
    assert "Plot, planning and contact" in html_en


def test_profile_marks_old_and_undated_figures_and_an_old_check():
    profile, html = _profile(_quarmbeck_facts(), "de", today=dt.date(2028, 1, 1))
    assert [item.old for item in profile.plot_facts] == [True, True, True, True]
    assert "vor mehr als 12 Monaten" in html and "markiert (⚠)" in html
    fresh, fresh_html = _profile(_quarmbeck_facts(), "de")
    # 2025-12-01 is recent; 2025-03 lies more than 12 months back; the energy note has no date
    assert [item.old for item in fresh.plot_facts] == [False, True, True, True]
    assert "Umspannwerk <geplant> (Quelle: example.org) ⚠ Quelle ohne Datum" in text(fresh_html)
    assert "Industriegebiet (GI) (Quelle: example.org, Stand 03/2025) ⚠ älter als 12 Monate" in text(fresh_html)
    assert "62,7 ha (Quelle: example.org, Stand 01.12.2025) Gebietsart" in text(fresh_html)


def test_profile_leaves_out_a_figure_without_a_usable_source_and_a_site_without_facts():
    profile, html = _profile(_quarmbeck_facts(source_url="javascript:alert(1)"), "de")
    assert profile.plot_facts == () and "javascript" not in html
    assert _profile(site_facts.empty_table(), "de")[0].plot_facts == ()


# --- the import checks the same fields alike ----------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("area_available_ha", "12,5"),
        ("area_available_ha", "viel"),
        ("price_eur_m2_max", "-1"),
        ("zoning", "GI;GE"),
        ("zoning", "GX"),
        ("rail_siding", "yes"),
        ("rail_siding", "ja"),
        ("plan_url", "ftp://example.org/plan"),
        ("contact_email", "info@example.org"),
        ("contact_phone", "none"),
        ("last_verified", "2026-13-01"),
    ],
)
def test_import_row_and_curated_row_get_the_same_verdict(column, value):
    source, as_of = "https://example.org/quelle", "2025-06"
    field = site_facts.FIELD_BY_ID[column]
    curated = {
        "site_id": "a",
        "field": column,
        "value": value,
        "value_en": "",
        "unit": field.unit,
        "source_url": source,
        "as_of": as_of,
    }
    imported = {column: value, fact_imports.IMPORT_SOURCE_COLUMN: source, fact_imports.IMPORT_AS_OF_COLUMN: as_of}
    from_build = fact_checks.check_row(curated)
    from_import = [problem.message_en for problem in fact_imports.check_record_facts(imported)]
    assert from_import == from_build


def test_import_row_needs_a_source_for_its_figures_and_place_rules_call_the_fact_checks():
    from geo.sites.rules import check_site_values

    record = {"name": "Neues Gewerbegebiet", "program": "industriestandort", "area_available_ha": "20"}
    problems = check_site_values(record, programs={"industriestandort"}, themes=None)
    assert [(problem.field, "source_url" in problem.message_en) for problem in problems] == [
        ("area_available_ha", True)
    ]
    assert problems[0].message_de.startswith("facts_source_url muss")  # the column of the import file
    record.update(
        {fact_imports.IMPORT_SOURCE_COLUMN: "https://example.org/expose", fact_imports.IMPORT_AS_OF_COLUMN: "2026-10"}
    )
    assert check_site_values(record, programs={"industriestandort"}, themes=None) == []
    assert (
        check_site_values(
            {"name": "Ohne Angaben", "program": "industriestandort"}, programs={"industriestandort"}, themes=None
        )
        == []
    )


# --- in the app ---------------------------------------------------------------------------------------


def test_sites_page_filters_by_facts_from_the_url_counts_the_dropped_and_profiles_link_sources():
    from streamlit.testing.v1 import AppTest

    from geo.core.paths import PROJECT_ROOT

    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    app.query_params["area_min"] = "10"
    app.query_params["site"] = "strategischer-industriestandort-quedlinburg-quarmbeck"
    app.switch_page("views/standorte.py")
    app.run()
    assert not app.exception
    html = "\n".join(element.proto.body for element in app.get("html"))
    import pyogrio

    total = pyogrio.read_info(SITES_GPKG, layer="sites")["features"]
    with_figure = site_facts.read_facts_csv().query("field == 'area_available_ha'")
    shown = int((with_figure["value"].astype(float) >= 10).sum())
    assert f"{shown} von {total} Standorten" in html
    assert f"{total - len(with_figure)} Standorte ohne Angabe zur verfügbaren Fläche sind ausgeblendet." in [
        caption.value for caption in app.caption
    ]
    assert "Fläche, Planung und Kontakt" in html and "62,7\u00a0ha" in html
    assert 'href="https://beteiligung.sachsen-anhalt.de/portal/quedlinburg/beteiligung/themen/1001200"' in html
    assert app.query_params["area_min"] in ("10", ["10"])


def test_facts_come_from_the_file_or_from_the_curated_list_when_the_file_lost_its_table(tmp_path):
    import shutil

    import pyogrio

    copy = tmp_path / "sites.gpkg"
    sites = pyogrio.read_dataframe(SITES_GPKG, layer="sites")
    pyogrio.write_dataframe(sites, copy, layer="sites", driver="GPKG")  # the sites layer only
    assert store.read_facts_layer(copy).empty
    fallback = store.read_facts(copy, ["chemiestandort-leuna"])
    assert set(fallback["site_id"]) == {"chemiestandort-leuna"} and len(fallback) > 3
    shutil.copy(SITES_GPKG, copy)
    assert len(store.read_facts(copy, [])) == len(site_facts.read_facts_csv())


def test_an_import_file_with_fact_columns_is_checked_by_the_same_rules(tmp_path):
    from geo.imports.importer import read_user_file

    path = tmp_path / "orte.csv"
    path.write_text(
        "name;program;state_code;municipality;district;lat;lon;precision;source_url;area_available_ha;zoning;"
        "facts_source_url;facts_as_of\n"
        "Gewerbegebiet Nord;industriestandort;ST;Magdeburg;Magdeburg;52.13;11.62;site;https://example.org/a;"
        "12,5;GI;https://example.org/expose;2026-10\n"
        "Gewerbegebiet Süd;industriestandort;ST;Magdeburg;Magdeburg;52.10;11.62;site;https://example.org/b;"
        "viel;XX;https://example.org/expose;2026-10\n",
        encoding="utf-8",
    )
    result = read_user_file(path, programs={"industriestandort"}, themes=None)
    fact_problems = [
        (problem.row, problem.field) for problem in result.problems if problem.field in ("area_available_ha", "zoning")
    ]
    assert (3, "area_available_ha") in fact_problems and (3, "zoning") in fact_problems
    assert all(row == 3 for row, _ in fact_problems)
    # the valid row's figures travel with the result, to be stored with their source on apply
    assert result.fact_fields == {"area_available_ha", "zoning"}
    assert result.fact_records["gewerbegebiet-nord"]["area_available_ha"] == "12,5"
    assert not any(
        "facts_source_url" in problem.message_en and "Unknown column" in problem.message_en
        for problem in result.problems
    )
