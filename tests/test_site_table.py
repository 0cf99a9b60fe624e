"""The sites page's table: the rows geo builds for it (per cell the text shown and the value it sorts by),
the heights the page reserves and the pager's words, and the page's component arguments (AppTest). What a
visitor does with it in a browser: tests/browser/test_site_table.py."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from geo.expose import sites_table
from geo.expose.document import ExposeData
from geo.texts import t
from tests.test_app_atlas import SITE_COUNT, SITE_ID, run_page, table_args, table_frame
from views import site_table

TODAY = dt.date(2026, 12, 7)
PIESTERITZ, LEUNA = "agro-chemie-park-piesteritz", "chemiestandort-leuna"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def data() -> ExposeData:
    return ExposeData.from_files()


def by_site(rows: dict) -> dict[str, dict[str, object]]:
    """site_id -> {heading: cell} of `table_rows`'s answer."""
    headings = [column["heading"] for column in rows["columns"]]
    return {row["site_id"]: dict(zip(headings, row["cells"], strict=True)) for row in rows["rows"]}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_number_columns_sort_by_value_and_show_the_figure_with_date_and_mark(data, lang):
    chosen = data.site_rows([PIESTERITZ, LEUNA, "dow-valuepark-schkopau"])
    rows = sites_table.site_table_rows(chosen, data.tables, data.fact_sources, lang, TODAY)
    kinds = {column["heading"]: column["kind"] for column in rows["columns"]}
    pool = t("pool_column", lang, km=45)
    available = next(heading for heading in kinds if heading.startswith(("Verfügbare", "Available")))
    assert kinds[available] == kinds[pool] == kinds[t("csv_program_year", lang)] == "number"
    assert kinds[t("column_name", lang)] == kinds[t("column_state", lang)] == "text"
    cells = by_site(rows)
    date = "22.09.2011" if lang == "de" else "22 Sept 2011"
    assert cells[PIESTERITZ][available] == [f"≥\u00a030 · {date} ⚠", 30]  # dated, marked, sorts by 30
    assert cells[LEUNA][available][0].endswith(("05.03.2026", "5 Mar 2026"))  # recent: no mark
    for site_cells in cells.values():
        for heading, cell in site_cells.items():
            if kinds[heading] == "number":
                text, value = cell
                assert value is None or isinstance(value, (int, float)) and not isinstance(value, bool)
                assert (text == "") == (value is None)  # a blank is blank in both
            else:
                assert isinstance(cell, str)
    # the pool: whole numbers in the language's format, the value a plain number
    text, value = cells[PIESTERITZ][pool]
    assert isinstance(value, int) and value > 1000
    assert text == f"{value:,}".replace(",", "." if lang == "de" else ",")
    year_text, year = cells[PIESTERITZ][t("csv_program_year", lang)]
    assert year_text == str(year) and 1990 < year < 2100  # a year, not "2.023"


def test_missing_figures_are_blank_and_nothing_reads_nan(data):
    rows = sites_table.site_table_rows(data.site_rows([LEUNA, PIESTERITZ]), data.tables, data.fact_sources, "de", TODAY)
    price = next(column["heading"] for column in rows["columns"] if column["heading"].startswith("Preis"))
    assert by_site(rows)[PIESTERITZ][price] == ["", None]  # Piesteritz names no price
    dumped = json.dumps(rows, ensure_ascii=False)
    for word in ("nan", "NaN", "None", "<NA>", 'null"'):
        assert word not in dumped.replace("nan-", "")
    json.loads(dumped)  # plain JSON (no NaN literal)


def test_hostile_text_stays_literal_text():
    table = pd.DataFrame(
        {"Name": [HOSTILE, "Zeitz"], "Fläche": pd.array([1.5, None], dtype="Float64")},
        index=pd.Index(["a", "b"], name="site_id"),
    )
    rows = sites_table.table_rows(table, {"Fläche": {"b": "</td><script>x</script>"}}, "de")
    assert rows["columns"] == [{"heading": "Name", "kind": "text"}, {"heading": "Fläche", "kind": "number"}]
    assert rows["rows"] == [
        {"site_id": "a", "cells": [HOSTILE, ["1.5", 1.5]]},  # unchanged: the browser sets it as text
        {"site_id": "b", "cells": ["Zeitz", ["", None]]},  # a figure text for a missing value is not shown
    ]


def test_the_reserved_height_and_the_pager_words():
    assert site_table.table_height(3) == site_table.box_height(3) < site_table.box_height(10)
    assert site_table.box_height(10) == site_table.box_height(5000)  # ten rows, the rest scroll
    assert site_table.table_height(site_table.PAGE_ROWS + 1) == site_table.box_height(10) + site_table.PAGER_PX
    assert site_table.page_ranges(10_000, "de")[:2] == ["1–200 von 10.000", "201–400 von 10.000"]
    assert site_table.page_ranges(10_001, "en")[-1] == "10,001–10,001 of 10,001"
    assert site_table.page_ranges(7, "de") == ["1–7 von 7"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_page_sends_the_rows_the_words_and_the_chosen_site(lang):
    app = run_page("standorte", lang=lang, site=SITE_ID)
    assert not app.exception, app.exception
    args = table_args(app)
    assert len(args["rows"]) == SITE_COUNT and args["selected"] == SITE_ID and args["lang"] == lang
    assert args["texts"]["label"] == t("sites_table_label", lang)
    assert args["texts"]["next"] == t("sites_table_next", lang)
    assert args["columns"][0] == {"heading": t("column_name", lang), "kind": "text"}
    assert args["height"] == site_table.table_height(SITE_COUNT)
    assert table_frame(app).index.is_unique and not app.dataframe  # Streamlit's grid is gone


def test_only_a_site_of_the_table_is_taken_from_the_browser(monkeypatch):
    """The id comes from the browser: a site of the table is handed on, anything else changes nothing.
    (A real click: tests/browser/test_site_table.py.)"""
    chosen: list[str] = []
    for sent in (LEUNA, "no-such-site", ["list"], None, HOSTILE):
        monkeypatch.setattr(site_table.st, "session_state", {"table": {"select": sent}})
        site_table._chosen("table", frozenset([LEUNA, PIESTERITZ]), chosen.append)
    monkeypatch.setattr(site_table.st, "session_state", {"table": None})
    site_table._chosen("table", frozenset([LEUNA]), chosen.append)
    assert chosen == [LEUNA]


def test_the_rows_are_sent_once_per_session_and_again_when_the_browser_lacks_them():
    """With 10,000 sites the rows are megabytes and a click on a row reruns the page: a rerun with the same
    rows sends only their digest (the browser keeps what it got); rows the browser says it lacks (the
    trigger "missing" forgets what was sent) and other rows (another filter) are sent again."""
    app = run_page("standorte")
    first = table_args(app)
    assert len(first["rows"]) == SITE_COUNT
    app.run()
    again = table_args(app)
    assert again["rows"] is None and again["digest"] == first["digest"] and not app.exception
    del app.session_state[site_table._sent_key(site_table.TABLE_KEY)]  # what "missing" does
    app.run()
    assert len(table_args(app)["rows"]) == SITE_COUNT
    app.query_params["state"] = "ST"
    app.run()
    narrowed = table_args(app)
    assert narrowed["digest"] != first["digest"] and 0 < len(narrowed["rows"]) < SITE_COUNT


def test_the_trigger_missing_makes_the_next_run_send_the_rows(monkeypatch):
    state = {site_table._sent_key("table"): "digest-1", site_table._sent_key("other"): "digest-2"}
    monkeypatch.setattr(site_table.st, "session_state", state)
    assert not site_table._rows_wanted("table", "digest-1")
    site_table._forget_sent_rows("table")
    assert site_table._rows_wanted("table", "digest-1") and not site_table._rows_wanted("other", "digest-2")
