"""The sites page's table: one row per site with readable labels, and the main plot figures, each shown
with its qualifier, date and stale mark while the column still sorts by the number.

`sites_display_table` gives the values (numbers stay numbers); `figure_texts` what each figure cell
says ("≥ 30 · 22.09.2011 ⚠"); `table_rows` joins them into the columns and rows the page's table
component draws: per cell the text shown and the value it sorts by. The dates and marks come from the one rule of
`geo.sites.provenance` (through `geo.expose.facts.site_facts_of`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable

import pandas as pd

from geo.core.fields import year_value
from geo.core.formatting import format_number
from geo.core.schema import STATE_NAMES
from geo.expose.facts import facts_by_site
from geo.expose.investor import with_pool_columns
from geo.expose.profile import ProfileTables, precision_keys, theme_labels
from geo.maps.symbols import program_label
from geo.sites import facts as site_facts
from geo.sites.provenance import STALE_SIGN, FigureAge
from geo.texts import t

# plot facts the sites table lists (numbers stay numbers so the column sorts by value)
TABLE_FACT_FIELDS = ("area_total_ha", "area_available_ha", "price_eur_m2_max", "zoning", "rail_siding")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or value == "" or (isinstance(value, float) and math.isnan(value))


def sites_display_table(sites: pd.DataFrame, tables: ProfileTables, lang: str) -> pd.DataFrame:
    """One row per site with readable labels in `lang` (the sites page's table); index = site_id."""
    rows = []
    district_names, zones_by_district = tables.district_names(lang), tables.zones_by_district(lang)
    since = t("csv_program_year", lang)  # the year a site joined its program, not the date of any figure
    for _, site in sites.iterrows():
        year = year_value(site.get("year"))
        rows.append(
            {
                "site_id": site["site_id"],
                t("column_name", lang): site["name"],
                t("column_program", lang): program_label(str(site["program"]), lang),
                t("column_state", lang): STATE_NAMES.get(str(site.get("state_code")), {}).get(
                    lang, site.get("state_code")
                ),
                t("column_municipality", lang): site.get("municipality") or "",
                t("column_locality", lang): site.get("locality") or "",
                t("column_district", lang): district_names.get(site.get("district_ags"), ""),
                t("column_themes", lang): ", ".join(theme_labels(site.get("themes"), lang)),
                t("column_zones", lang): ", ".join(zones_by_district.get(site.get("district_ags"), ())),
                t("column_precision", lang): t(precision_keys(site.get("precision"))[0], lang),
                since: year,
            }
        )
    columns = ["site_id", *(key for key in (rows[0] if rows else {}) if key != "site_id")]
    table = pd.DataFrame(rows, columns=columns or ["site_id"]).set_index("site_id")
    if since in table.columns:
        table[since] = table[since].astype("Int64")
    for header, values in fact_table_columns(sites, lang).items():
        table[header] = values.to_numpy()
    return table


def fact_table_columns(sites: pd.DataFrame, lang: str) -> dict[str, pd.Series]:
    """Header -> values of the plot-fact columns for `sites` (missing figures blank); none when the data
    carries no fact columns."""
    columns = {}
    for field_id in TABLE_FACT_FIELDS:
        if field_id not in sites.columns:
            continue
        if site_facts.FIELD_BY_ID[field_id].kind == "number":
            values = pd.to_numeric(sites[field_id], errors="coerce").astype("Float64")
        else:
            values = sites[field_id].map(lambda value, f=field_id: site_facts.format_value(f, value, lang))
        columns[site_facts.column_header(field_id, lang)] = values.reset_index(drop=True)
    return columns


def figure_cell(value: str, age: FigureAge, lang: str) -> str:
    """A figure with its date and stale sign for a table cell: "≥ 30 · 22.09.2011 ⚠", "≈ 150 · Quelle
    ohne Datum ⚠", "35 · 05.03.2026" (the sign is explained under the table)."""
    text = f"{value} · {age.date_text(lang)}"
    return f"{text} {STALE_SIGN}" if age.stale else text


def figure_texts(
    sites: pd.DataFrame, facts: pd.DataFrame | None, lang: str, today: dt.date | None = None
) -> dict[str, dict[str, str]]:
    """Header -> {site_id: cell text} of the figure cells of the table's fact columns (the sites that
    have the figure)."""
    by_site = facts_by_site(facts, sites["site_id"].astype(str), lang, today)
    texts: dict[str, dict[str, str]] = {}
    for field_id in TABLE_FACT_FIELDS:
        field = site_facts.FIELD_BY_ID[field_id]
        cells = {}
        for site_id, site_figures in by_site.items():
            fact = site_figures.get(field_id)
            if fact is None:
                continue
            value = (
                site_facts.format_value(field_id, fact.raw, lang, with_unit=False, qualifier=fact.qualifier)
                if field.kind == "number"
                else fact.value
            )
            cells[site_id] = figure_cell(value, fact.age, lang)
        if cells:
            texts[site_facts.column_header(field_id, lang)] = cells
    return texts


def table_rows(
    table: pd.DataFrame, texts: dict[str, dict[str, str]], lang: str, pool_headers: frozenset[str] = frozenset()
) -> dict:
    """`table` as the sites page's table component draws it (static/site_table/):

    - "columns": [{"heading", "kind"}], kind "number" (the column sorts by value) or "text" (by the text,
      in the language's order);
    - "rows": [{"site_id", "cells"}], one cell per column: a text column's cell is the text shown (it
      sorts by it), a number column's is [text shown, value it sorts by].

    The figure cells read as `texts` says (with date and mark, `figure_texts`), the other figures in the
    language's number format (`pool_headers`: whole numbers with grouping); a missing figure is blank
    ("" or ["", None]) and sorts last. Texts come from data: the component sets them as text, never as
    markup."""
    headers = list(table.columns)
    kinds = ["number" if pd.api.types.is_numeric_dtype(table[header]) else "text" for header in headers]
    show = [_cell_format(header, lang, header in pool_headers) for header in headers]
    shown_texts = [texts.get(header, {}) for header in headers]
    columns = [table[header].tolist() for header in headers]
    rows = []
    for position, site_id in enumerate(table.index):
        cells: list[object] = []
        for index, kind in enumerate(kinds):
            value = columns[index][position]
            if kind == "text":
                cells.append("" if _missing(value) else str(value))
            elif _missing(value):
                cells.append(["", None])
            else:
                number = float(value)
                text = shown_texts[index].get(site_id) or show[index](number)
                cells.append([text, int(number) if number.is_integer() else number])
        rows.append({"site_id": str(site_id), "cells": cells})
    return {"columns": [{"heading": str(h), "kind": k} for h, k in zip(headers, kinds, strict=True)], "rows": rows}


def _cell_format(header: str, lang: str, pool: bool) -> Callable[[float], str]:
    """How a number column's value reads: a plot figure as the facts say it (no unit: it is in the
    heading), a labour pool as a whole number, anything else (the year) as it is."""
    for field_id in TABLE_FACT_FIELDS:
        if header == site_facts.column_header(field_id, lang):
            return functools.partial(_fact_text, field_id, lang)
    if pool:
        return functools.partial(format_number, lang=lang)
    return _plain_number


def _fact_text(field_id: str, lang: str, value: float) -> str:
    return site_facts.format_value(field_id, value, lang, with_unit=False)


def _plain_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def site_table_rows(
    sites: pd.DataFrame, tables: ProfileTables, facts: pd.DataFrame | None, lang: str, today: dt.date | None = None
) -> dict:
    """The sites page's table of `sites` (`table_rows`): labels in `lang`, each figure shown with its date
    and mark, and the labour pool within reach (an estimate, geo/expose/investor.py) as whole numbers."""
    table = sites_display_table(sites, tables, lang)
    base_headers = set(table.columns)
    table = with_pool_columns(table, sites, lang)
    pool_headers = frozenset(header for header in table.columns if header not in base_headers)
    return table_rows(table, figure_texts(sites, facts, lang, today), lang, pool_headers)
