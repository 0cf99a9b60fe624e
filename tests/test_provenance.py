"""A figure's age and qualifier travel with it: the one rule (geo.sites.provenance) and every view and
download that applies it — profile, comparison, sites table, CSV, GeoJSON, district figures — in German and
English, plus the qualifier column through the checks, the build's data and the import."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.expose import downloads, sites_table
from geo.expose.document import ExposeData
from geo.expose.shortlist import comparison_html, comparison_rows
from geo.sites import fact_checks, provenance
from geo.sites import facts as site_facts
from geo.texts import t

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TODAY = dt.date(2026, 12, 7)
PIESTERITZ, BITTERFELD, LEUNA = "agro-chemie-park-piesteritz", "chemiepark-bitterfeld-wolfen", "chemiestandort-leuna"
CHOSEN = [PIESTERITZ, BITTERFELD, LEUNA]


@pytest.fixture(scope="module")
def data() -> ExposeData:
    return ExposeData.from_files()


def visible(html: str) -> str:
    """What a reader sees of an HTML block: no style, no tags, no screen-reader-only notes, one space."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    html = re.sub(r'<span class="sa-sr">.*?</span>', "", html)
    text = re.sub(r"<[^>]+>", " ", html).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return re.sub(r"\s+", " ", text).replace("( ", "(").replace(" )", ")").replace(" ,", ",")


# --- the rule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "today", "stale"),
    [
        ("2025-11-29", dt.date(2026, 11, 30), True),
        ("2025-11-30", dt.date(2026, 11, 30), False),
        ("2025-12", dt.date(2026, 11, 30), False),  # a month counts by its last day
        ("2025", dt.date(2026, 11, 30), False),
        ("2024", dt.date(2026, 11, 30), True),
        ("", dt.date(2026, 11, 30), True),  # undated counts as stale
        ("2024-02-29", dt.date(2025, 2, 28), False),
        ("2011-09-22", TODAY, True),
    ],
)
def test_a_figure_is_stale_when_older_than_twelve_months_or_undated(as_of, today, stale):
    assert provenance.is_older_than(as_of, today) is stale
    assert provenance.figure_age(as_of, today).stale is stale


@pytest.mark.parametrize(
    ("as_of", "lang", "note", "marked"),
    [
        ("2011-09-22", "de", "Stand 22.09.2011", "Stand 22.09.2011 ⚠ älter als 12 Monate"),
        ("2011-09-22", "en", "as of 22 Sept 2011", "as of 22 Sept 2011 ⚠ older than 12 months"),
        ("2017-05", "de", "Stand 05/2017", "Stand 05/2017 ⚠ älter als 12 Monate"),
        ("2018", "en", "as of 2018", "as of 2018 ⚠ older than 12 months"),
        ("2026-03-05", "de", "Stand 05.03.2026", "Stand 05.03.2026"),
        ("2026-03-05", "en", "as of 5 Mar 2026", "as of 5 Mar 2026"),
        ("", "de", "Quelle ohne Datum", "⚠ Quelle ohne Datum"),
        ("", "en", "source undated", "⚠ source undated"),
    ],
)
def test_the_date_beside_a_figure_reads_the_same_everywhere(as_of, lang, note, marked):
    age = provenance.figure_age(as_of, TODAY)
    assert age.note(lang) == note
    assert age.marked_note(lang) == marked
    assert age.marked_date(lang) == marked.removeprefix("Stand ").removeprefix("as of ")


def test_qualifiers_show_as_signs_and_words_and_are_checked():
    assert provenance.qualified("30\u00a0ha", "at_least") == "≥\u00a030\u00a0ha"
    assert provenance.qualified("150\u00a0ha", "about") == "≈\u00a0150\u00a0ha"
    assert provenance.qualified("5\u00a0ha", "at_most") == "≤\u00a05\u00a0ha"
    assert provenance.qualified("220\u00a0ha", "") == "220\u00a0ha"
    assert [provenance.qualifier_word(code, "de") for code in provenance.QUALIFIERS] == [
        "etwa",
        "mindestens",
        "höchstens",
    ]
    assert provenance.qualifier_word("at_least", "en") == "at least"
    assert provenance.qualifier_problem("at_least") is None and provenance.qualifier_problem("") is None
    assert "über" in provenance.qualifier_problem("über")[0]


def test_the_fact_rows_check_the_qualifier():
    row = {"site_id": "a", "field": "area_available_ha", "value": "30", "unit": "ha", "source_url": "https://x.de/a"}
    assert fact_checks.check_row(row | {"qualifier": "at_least", "as_of": "2011"}) == []
    assert fact_checks.check_row(row | {"qualifier": "mehr als"}) == [
        "area_available_ha: qualifier 'mehr als' is not one of about, at_least, at_most (or empty)"
    ]
    zoning = {"site_id": "a", "field": "zoning", "value": "GI", "unit": "", "source_url": "https://x.de/a"}
    assert fact_checks.check_row(zoning | {"qualifier": "about"}) == ["zoning: qualifier is only for numbers"]


def test_the_curated_qualifiers_are_those_the_sources_word():
    table = site_facts.read_facts_csv()
    qualified = {
        (row["site_id"], row["field"]): row["qualifier"] for row in table.to_dict("records") if row["qualifier"]
    }
    assert qualified[(PIESTERITZ, "area_available_ha")] == "at_least"  # „über 30 ha“
    assert qualified[(LEUNA, "largest_plot_ha")] == "at_most"  # „Kein Areal ist größer als fünf Hektar“
    assert qualified[("dow-valuepark-schkopau", "area_total_ha")] == "about"  # „rund 150 Hektar“
    assert (PIESTERITZ, "area_total_ha") not in qualified  # „auf 220 ha“
    assert fact_checks.check_table(table) == []


# --- the views and downloads ------------------------------------------------------------------------------


def test_the_comparison_shows_each_figure_with_its_source_date_and_stale_mark(data):
    chosen = data.site_rows(CHOSEN)
    for lang, stale, available in (
        ("de", "⚠ älter als 12 Monate", "≥ 30 ha (Quelle: chemanager-online.com, Stand 22.09.2011) ⚠ älter als"),
        ("en", "⚠ older than 12 months", "≥ 30 ha (Source: chemanager-online.com, as of 22 Sept 2011) ⚠ older than"),
    ):
        rows = comparison_rows(chosen, data.tables, data.fact_sources, lang, TODAY)
        by_label = {row.label: row for row in rows}
        area = by_label[site_facts.FIELD_BY_ID["area_available_ha"].label(lang)]
        assert [cell.text for cell in area.cells] == ["≥\u00a030\u00a0ha", "125\u00a0ha", "35\u00a0ha"]
        assert [cell.age.stale for cell in area.cells] == [True, True, False]
        html = comparison_html(list(chosen["name"]), rows, lang)
        text = visible(html)
        assert available in text
        assert "125 ha (" in text and ("Stand 05/2017)" in text if lang == "de" else "as of 05/2017)" in text)
        assert text.count(stale) >= 8  # plot figures, district figures, contacts
        assert '<span class="sa-old">' in html and t("figures_age_legend", lang) in text
        district = [row for row in rows if row.group == t("comparison_group_district", lang)]
        assert district and all(cell.age is not None and cell.age.stale for row in district for cell in row.cells)
        assert all(cell.age.as_of == "2018-12-31" for row in district for cell in row.cells)


def test_the_profile_shows_the_district_figures_with_their_date(data):
    from geo.expose.profile import profile_html, site_profile

    site = data.site_rows([PIESTERITZ]).iloc[0]
    profile = site_profile(site, data.tables, "de", facts=data.fact_sources, today=TODAY)
    assert [fact.label for fact in profile.key_figures] == ["Bevölkerung", "Bevölkerungsdichte", "Fläche"]
    text = visible(profile_html(profile))
    assert "Einwohner (Stand 31.12.2018) ⚠ älter als 12 Monate" in text
    assert "≥ 30 ha (Quelle: chemanager-online.com, Stand 22.09.2011) ⚠ älter als 12 Monate" in text
    assert t("facts_qualifier_note", "de") in text


def read_csv(data: bytes, lang: str) -> pd.DataFrame:
    separator, decimal = (";", ",") if lang == "de" else (",", ".")
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=separator, decimal=decimal, dtype=str)


def test_the_csv_has_a_qualifier_date_and_source_column_per_figure(data):
    chosen = data.site_rows(CHOSEN)
    german = read_csv(downloads.sites_csv(chosen, "de", None, data.fact_sources, TODAY), "de").set_index("Standort-ID")
    assert german.loc[PIESTERITZ, "Verfügbare Fläche (ha)"] == "30,0"
    assert german.loc[PIESTERITZ, "Verfügbare Fläche (ha): Angabe"] == "mindestens"
    assert german.loc[PIESTERITZ, "Verfügbare Fläche (ha): Stand"] == "22.09.2011 ⚠ älter als 12 Monate"
    assert german.loc[PIESTERITZ, "Verfügbare Fläche (ha): Quelle"].startswith("https://chemanager-online.com/")
    assert german.loc[BITTERFELD, "Verfügbare Fläche (ha): Stand"] == "05/2017 ⚠ älter als 12 Monate"
    assert german.loc[LEUNA, "Verfügbare Fläche (ha): Stand"] == "05.03.2026"
    assert german.loc[LEUNA, "Größtes freies Grundstück (ha): Angabe"] == "höchstens"
    assert pd.isna(german.loc[PIESTERITZ, "Größtes freies Grundstück (ha)"])
    assert german.loc[PIESTERITZ, "Eintrag zuletzt geprüft"] == "25.11.2026"  # the entry's check, not the figures'
    assert "Stand der Angaben" not in german.columns and "Preis bis (€/m²)" not in german.columns  # none has one
    figures = [column for column in german.columns if column.startswith(("Gesamtfläche", "Verfügbare", "Größtes"))]
    assert all(f"{column}: Stand" in german.columns for column in figures if ":" not in column)
    english = read_csv(downloads.sites_csv(chosen, "en", None, data.fact_sources, TODAY), "en").set_index("Site ID")
    assert english.loc[PIESTERITZ, "Available area (ha): stated as"] == "at least"
    assert english.loc[PIESTERITZ, "Available area (ha): as of"] == "22 Sept 2011 ⚠ older than 12 months"
    assert english.loc[LEUNA, "Available area (ha)"] == "35.0"
    undated = data.site_rows(["dow-valuepark-schkopau"])
    dow = read_csv(downloads.sites_csv(undated, "en", None, data.fact_sources, TODAY), "en")
    assert (
        dow.loc[0, "Total area (ha): as of"] == "⚠ source undated"
        and dow.loc[0, "Total area (ha): stated as"] == "about"
    )


def test_without_the_fact_table_no_figure_is_written_without_its_date(data):
    chosen = data.site_rows(CHOSEN)
    table = downloads.sites_table(chosen, "de")
    assert not [column for column in table.columns if column.startswith(("Gesamtfläche", "Verfügbare Fläche"))]


def test_the_geojson_carries_each_figure_s_provenance(data):
    chosen = data.site_rows(CHOSEN)
    features = {
        feature["id"]: feature["properties"]
        for feature in json.loads(downloads.sites_geojson(chosen, data.fact_sources, TODAY))["features"]
    }
    piesteritz = features[PIESTERITZ]
    assert piesteritz["area_available_ha"] == 30 and piesteritz["area_available_ha_qualifier"] == "at_least"
    assert piesteritz["area_available_ha_as_of"] == "2011-09-22" and piesteritz["area_available_ha_stale"] is True
    assert (
        features[LEUNA]["area_available_ha_stale"] is False
        and features[LEUNA]["largest_plot_ha_qualifier"] == "at_most"
    )
    assert features[PIESTERITZ]["largest_plot_ha_as_of"] is None  # Piesteritz has no such figure


def test_the_sites_table_shows_each_figure_with_date_and_mark_and_sorts_by_number(data):
    chosen = data.site_rows(CHOSEN + ["dow-valuepark-schkopau"])
    table = sites_table.sites_display_table(chosen, data.tables, "de")
    assert "Im Programm seit" in table.columns and "Jahr / Stand" not in table.columns
    assert pd.api.types.is_float_dtype(table["Verfügbare Fläche (ha)"])  # the column sorts by the figure
    texts = sites_table.figure_texts(chosen, data.fact_sources, "de", TODAY)
    assert texts["Verfügbare Fläche (ha)"] == {
        PIESTERITZ: "≥\u00a030 · 22.09.2011 ⚠",
        BITTERFELD: "125 · 05/2017 ⚠",
        LEUNA: "35 · 05.03.2026",
    }
    assert texts["Gesamtfläche (ha)"]["dow-valuepark-schkopau"] == "≈\u00a0150 · Quelle ohne Datum ⚠"
    shown = sites_table.table_rows(table, texts, "de")
    headings = [column["heading"] for column in shown["columns"]]
    cells = {row["site_id"]: dict(zip(headings, row["cells"], strict=True)) for row in shown["rows"]}
    assert cells[PIESTERITZ]["Verfügbare Fläche (ha)"] == ["≥\u00a030 · 22.09.2011 ⚠", 30]  # shown, sorted by
    assert "nan" not in json.dumps(shown, ensure_ascii=False).lower().replace("nan-", "")
    english = sites_table.figure_texts(chosen, data.fact_sources, "en", TODAY)
    assert english["Available area (ha)"][PIESTERITZ] == "≥\u00a030 · 22 Sept 2011 ⚠"


# --- the pages --------------------------------------------------------------------------------------------


def run_page(page: str, **query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(page)
    return app.run()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_comparison_page_dates_and_marks_every_figure(lang):
    app = run_page("views/vergleich.py", lang=lang, sites=",".join(CHOSEN))
    assert not app.exception, app.exception
    html = "".join(element.proto.body for element in app.get("html"))
    text = visible(html)
    stale = t("facts_old_marker", lang)
    assert f"⚠ {stale}" in text and t("figures_age_legend", lang) in text
    assert ("Stand 22.09.2011" if lang == "de" else "as of 22 Sept 2011") in text
    assert ("Stand 31.12.2018" if lang == "de" else "as of 31 Dec 2018") in text
    assert "≥ 30 ha" in text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_sites_page_table_shows_the_date_and_stale_mark(lang):
    from tests.test_app_atlas import table_frame

    app = run_page("views/standorte.py", lang=lang, program="zukunftsort")
    assert not app.exception, app.exception
    shown, values = table_frame(app, shown=True), table_frame(app)
    header = "Verfügbare Fläche (ha)" if lang == "de" else "Available area (ha)"
    date = "22.09.2011" if lang == "de" else "22 Sept 2011"
    assert shown.loc[PIESTERITZ, header] == f"≥\u00a030 · {date} ⚠"  # what the table shows
    assert values.loc[PIESTERITZ, header] == 30  # the value underneath: the column sorts by the number
    assert t("figures_age_legend", lang) in [caption.value for caption in app.caption]


def test_the_date_rule_is_one_rule_in_core_that_provenance_names():
    """Every room may import geo.core: the date rule lives there once, and provenance's words build on it."""
    from geo.core import figure_dates

    assert provenance.parse_as_of is figure_dates.parse_as_of and provenance.format_as_of is figure_dates.format_as_of
    assert provenance.is_older_than is figure_dates.is_older_than
    assert figure_dates.format_as_of("2023-06-30", "en") == "30 Jun 2023"
    assert figure_dates.format_as_of(float("nan"), "de") == "" and figure_dates.parse_as_of(None) is None
    assert not hasattr(__import__("geo.core.formatting", fromlist=["x"]), "format_reference_date")


def test_a_site_whose_text_or_place_changed_from_a_source_says_when_it_was_last_checked(data):
    """`updated` means "last checked": the rows changed from sources on 7 Dec 2026 carry that day, the others
    the list's compilation date (the exposé's wording: tests/test_expose.py)."""
    from geo.sites.site_list import SOURCE_DATE

    updated = data.sites.set_index("site_id")["updated"].astype(str).str[:10]
    for site_id in ("elblandwerker-coworking-wittenberge", LEUNA, "high-tech-park-sachsen-anhalt-magdeburg-eulenberg"):
        assert updated[site_id] == "2026-12-07", site_id
    assert updated["green-gate-gatersleben"] == SOURCE_DATE


def test_the_site_list_s_date_is_its_newest_check_written_in_each_language(tmp_path):
    """The source line of the site counts names the day the list was last checked, as a date of its language."""
    from geo.core.figure_dates import format_as_of
    from geo.indicators import read_definitions
    from geo.sites.site_list import SOURCE_DATE, last_checked

    (tmp_path / "sites.csv").write_text("name,updated\nA,2026-12-07\nB,\nC,2026-12-01\n", encoding="utf-8")
    assert last_checked(tmp_path) == "2026-12-07"
    assert last_checked(tmp_path / "missing") == SOURCE_DATE
    newest = last_checked()
    site_list = next(definition for definition in read_definitions() if "site list" in definition.source_en)
    assert format_as_of(newest, "de") in site_list.source_de
    assert format_as_of(newest, "en") in site_list.source_en
    assert newest not in site_list.source_de + site_list.source_en  # never the ISO form in a sentence
