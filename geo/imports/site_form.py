"""The staff page's form for one site: its descriptions and its plot figures, each figure with its own date
and source, turned into a checked import (`ImportResult`) that goes the same way as a file: compared with
the live data, proposed or applied by geo.imports.workflow.

The descriptions are checked by the place rules every site follows (geo.sites.rules), the figures by the
rules of the curated table (geo.sites.facts: the unit is the field's own, a new or changed figure needs
the page that states it, a text its English wording). A figure whose value, wording, date and source are
all unchanged keeps its stored row. An empty value removes the figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.core import fields
from geo.imports.reading_base import cell_text
from geo.imports.results import ImportResult, Problem
from geo.sites import fact_checks, fact_imports
from geo.sites import facts as site_facts
from geo.sites.rules import check_site_values

DESCRIPTION_COLUMNS = ("description_de", "description_en")
# the figures the form edits: every fact field but the date of the last check, which approval sets
FORM_FIELDS = tuple(field for field in site_facts.FIELDS if field.id != "last_verified")
FORM_SOURCE = {"format": "form"}


@dataclass(frozen=True)
class FigureInput:
    """One figure as typed into the form (blank strings where nothing was typed)."""

    value: str = ""
    value_en: str = ""
    as_of: str = ""
    source_url: str = ""


def stored_inputs(facts: pd.DataFrame, site_id: str) -> dict[str, FigureInput]:
    """What the form shows to begin with: the site's stored figures."""
    stored = fact_imports.stored_by_site(facts).get(site_id, {})
    return {
        field_id: FigureInput(
            str(row.get("value") or ""),
            str(row.get("value_en") or ""),
            str(row.get("as_of") or ""),
            str(row.get("source_url") or ""),
        )
        for field_id, row in stored.items()
    }


def form_result(
    live: gpd.GeoDataFrame,
    facts: pd.DataFrame,
    site_id: str,
    descriptions: Mapping[str, str],
    figures: Mapping[str, FigureInput],
) -> ImportResult:
    """The form's input for ``site_id`` as a checked import: one site whose descriptions and figures are
    what the form says; every other field stays as it is."""
    chosen = live[live["site_id"].astype(str) == site_id]
    if chosen.empty:
        problem = Problem(None, "site_id", f"Unbekannter Standort „{site_id}“.", f"Unknown site '{site_id}'.")
        return ImportResult(_empty(live), [problem], source=dict(FORM_SOURCE))
    row = chosen.iloc[[0]].copy()
    record: dict[str, object] = {column: cell_text(descriptions.get(column)) for column in DESCRIPTION_COLUMNS}
    problems = [
        Problem(None, problem.field, problem.message_de, problem.message_en)
        for problem in check_site_values(record, programs=(), themes=None, required=())
    ]
    for column in DESCRIPTION_COLUMNS:
        row[column] = record[column]
    stored = fact_imports.stored_by_site(facts).get(site_id, {})
    rows = []
    for field in FORM_FIELDS:
        figure = figures.get(field.id, FigureInput())
        if not figure.value.strip():
            continue  # an empty value removes the figure
        fact_row = _fact_row(site_id, field, figure, stored.get(field.id))
        for fact_problem in fact_checks.row_problems(fact_row):
            problems.append(Problem(None, field.id, fact_problem.message_de, fact_problem.message_en))
        rows.append(fact_row)
    table = pd.DataFrame(rows, columns=site_facts.FACT_TABLE_COLUMNS) if rows else site_facts.empty_table()
    columns = [column for column in fields.SITE_COLUMNS if column in row.columns]
    sites = gpd.GeoDataFrame(row[columns], geometry=row.geometry.to_numpy(), crs=live.crs)
    return ImportResult(
        sites,
        problems,
        frozenset({"site_id", *DESCRIPTION_COLUMNS}),
        dict(FORM_SOURCE),
        fact_fields=frozenset(field.id for field in FORM_FIELDS),
        fact_rows={site_id: table},
    )


def _fact_row(
    site_id: str, field: site_facts.FactField, figure: FigureInput, stored: Mapping[str, object] | None
) -> dict[str, str]:
    typed = {
        "value": figure.value.strip(),
        "value_en": figure.value_en.strip() if field.kind in ("text", "name") else "",
        "as_of": figure.as_of.strip(),
        "source_url": figure.source_url.strip(),
    }
    if stored is not None and all(str(stored.get(column) or "").strip() == text for column, text in typed.items()):
        return {column: str(stored.get(column) or "") for column in site_facts.FACT_TABLE_COLUMNS}
    return {"site_id": site_id, "field": field.id, "unit": field.unit, "note": "", **typed}


def _empty(live: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        live.iloc[0:0][[c for c in fields.SITE_COLUMNS if c in live.columns]], geometry=[], crs=live.crs
    )
