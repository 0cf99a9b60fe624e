"""A checked import as text, so a partner's proposal can wait in the ledger until an editor decides on it.

The payload keeps what the comparison needs: the checked sites (GeoJSON features), the columns the file
had, the plot figures it carries (a file's fact cells, or the form's rows with their own sources), its
warnings and where it came from. At approval it is compared again with the data live then, so the editor
sees and writes what it changes at that moment.
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd

from geo import store
from geo.core.fields import SITE_COLUMNS
from geo.core.schema import STORAGE_CRS
from geo.imports.reading_base import cell_text
from geo.imports.results import WARNING, ImportResult, Problem
from geo.sites import facts as site_facts

PAYLOAD_VERSION = 1


def dumps(result: ImportResult) -> str:
    """The checked import (without errors) as JSON text."""
    columns = [column for column in SITE_COLUMNS if column in result.sites.columns]
    sites = gpd.GeoDataFrame(result.sites[columns], geometry=result.sites.geometry, crs=result.sites.crs)
    features = json.loads(sites.to_json(na="null", drop_id=True)) if len(sites) else {"features": []}
    return json.dumps(
        {
            "version": PAYLOAD_VERSION,
            "columns": columns,
            "features": features["features"],
            "rows": [int(row) for row in result.sites.index],  # each site's row in the file
            "provided_columns": sorted(result.provided_columns),
            "source": result.source,
            "warnings": [[p.row, p.field, p.message_de, p.message_en] for p in result.warnings],
            "fact_fields": sorted(result.fact_fields),
            "fact_records": {site: _plain_cells(cells) for site, cells in result.fact_records.items()},
            "fact_rows": {
                site: rows.astype(object).fillna("").astype(str).to_dict("records")
                for site, rows in result.fact_rows.items()
            },
        },
        ensure_ascii=False,
    )


def loads(text: str) -> ImportResult:
    """The import a payload holds, ready for `geo.imports.diff.diff_sites`."""
    data = json.loads(text)
    if data.get("version") != PAYLOAD_VERSION:
        raise ValueError(f"unknown proposal payload version {data.get('version')!r}")
    columns = list(data["columns"])
    if data["features"]:
        sites = gpd.GeoDataFrame.from_features(data["features"], crs=STORAGE_CRS)
        sites = gpd.GeoDataFrame(sites.reindex(columns=columns), geometry=sites.geometry, crs=STORAGE_CRS)
        sites.index = pd.Index(data["rows"], dtype="int64")
        if "year" in sites.columns:
            sites["year"] = pd.array(
                [None if _missing(value) else int(value) for value in sites["year"]], dtype="Int64"
            )
    else:
        sites = store.empty_sites()
    return ImportResult(
        sites,
        [Problem(row, field, de, en, WARNING) for row, field, de, en in data["warnings"]],
        frozenset(data["provided_columns"]),
        dict(data["source"]),
        fact_records={site: dict(cells) for site, cells in data["fact_records"].items()},
        fact_fields=frozenset(data["fact_fields"]),
        fact_rows={
            site: pd.DataFrame(rows, columns=site_facts.FACT_TABLE_COLUMNS) for site, rows in data["fact_rows"].items()
        },
    )


def _plain_cells(cells: dict[str, object]) -> dict[str, object]:
    return {column: None if _missing(value) else cell_text(value) for column, value in cells.items()}


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))
