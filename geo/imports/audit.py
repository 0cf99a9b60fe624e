"""What a change did to the sites, field by field, for the change log: the state before and after compared.

Every write by a person (an approved proposal, an editor's import, an undo, a restore) is logged the same
way: the live sites and figures before it are compared with those after it, so the log holds exactly what
changed, whichever way it was written. Site fields are compared as the import compares them
(`geo.imports.diff`: text, the year as a number, the point to six decimals; `updated` and the computed
distances are left out); a figure is logged under its field id (its value) and, where its source, date,
unit, English wording or note changed, under ``field.source_url`` and so on.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.imports.diff import COMPARED_COLUMNS, _comparable
from geo.imports.reading import cell_text
from geo.sites import facts as site_facts
from geo.store.changes import FieldRecord

FACT_DETAILS = ("value_en", "unit", "source_url", "as_of", "note")


def field_records(
    before_sites: gpd.GeoDataFrame,
    before_facts: pd.DataFrame,
    after_sites: gpd.GeoDataFrame,
    after_facts: pd.DataFrame,
) -> list[FieldRecord]:
    """Every field that differs between the two states, site by site (a new site: every field it has)."""
    records = _site_records(before_sites, after_sites)
    records += _fact_records(before_facts, after_facts)
    return sorted(records, key=lambda record: (record.site_id, record.field))


def touched_sites(records: list[FieldRecord]) -> list[str]:
    return list(dict.fromkeys(record.site_id for record in records))


def _by_site(sites: gpd.GeoDataFrame) -> dict[str, dict]:
    if sites is None or sites.empty:
        return {}
    geometry = sites.geometry.name
    found = {}
    for record in sites.to_dict("records"):
        site_id = cell_text(record.get("site_id"))
        if site_id is not None:
            record["geometry"] = record.get(geometry)
            found[site_id] = record
    return found


def _text(column: str, value: object) -> str | None:
    compared = _comparable(column, value)
    return None if compared is None else str(compared)


def _site_records(before_sites: gpd.GeoDataFrame, after_sites: gpd.GeoDataFrame) -> list[FieldRecord]:
    before, after = _by_site(before_sites), _by_site(after_sites)
    records = []
    for site_id in list(dict.fromkeys([*before, *after])):
        old, new = before.get(site_id, {}), after.get(site_id, {})
        for column in COMPARED_COLUMNS:
            first, second = _text(column, old.get(column)), _text(column, new.get(column))
            if first != second:
                records.append(FieldRecord(site_id, column, first, second))
    return records


def _fact_records(before_facts: pd.DataFrame, after_facts: pd.DataFrame) -> list[FieldRecord]:
    before = site_facts.stored_by_site(_table(before_facts))
    after = site_facts.stored_by_site(_table(after_facts))
    records = []
    for site_id in list(dict.fromkeys([*before, *after])):
        old_rows, new_rows = before.get(site_id, {}), after.get(site_id, {})
        for field_id in list(dict.fromkeys([*old_rows, *new_rows])):
            old, new = old_rows.get(field_id), new_rows.get(field_id)
            for detail in ("value", *FACT_DETAILS):
                first = None if old is None else (str(old.get(detail) or "") or None)
                second = None if new is None else (str(new.get(detail) or "") or None)
                if first != second:
                    name = field_id if detail == "value" else f"{field_id}.{detail}"
                    records.append(FieldRecord(site_id, name, first, second))
    return records


def _table(facts: pd.DataFrame | None) -> pd.DataFrame:
    return site_facts.empty_table() if facts is None else facts
