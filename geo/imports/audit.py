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
from geo.imports.reading_base import cell_text
from geo.imports.results import SiteDiff
from geo.sites import fact_imports
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
    # site by site; within a site its fields in the data contract's order, then its figures
    return sorted(records, key=lambda record: record.site_id)


def review_table(diff: SiteDiff, live: gpd.GeoDataFrame, new_in_detail: int = 50) -> pd.DataFrame:
    """What a steward reviews before applying: one row per changed field; a new site with every field it
    has (the first ``new_in_detail`` new sites; further ones by name only); a removed site in one row.
    Columns: site_id, name, change (new, changed, removed), field, old, new."""
    detailed = set(diff.new[:new_in_detail])
    new_sites = diff.result[diff.result["site_id"].astype(str).isin(detailed)]
    new_facts = diff.facts[diff.facts["site_id"].isin(detailed)] if diff.facts is not None else None
    by_site: dict[str, list[FieldRecord]] = {}
    for record in field_records(live.iloc[0:0], site_facts.empty_table(), new_sites, _table(new_facts)):
        by_site.setdefault(record.site_id, []).append(record)
    rows: list[dict[str, object]] = []
    for site_id in diff.new:
        name = diff.names.get(site_id)
        fields = by_site.get(site_id) or [FieldRecord(site_id, "", None, None)]
        rows += [_row(site_id, name, "new", record.field or None, None, record.after) for record in fields]
    for site_id, field_changes in diff.changed.items():
        rows += [
            _row(site_id, diff.names.get(site_id), "changed", change.field, change.old, change.new)
            for change in field_changes
        ]
    rows += [_row(site_id, diff.names.get(site_id), "removed", None, None, None) for site_id in diff.removed]
    return pd.DataFrame(rows, columns=["site_id", "name", "change", "field", "old", "new"])


def _row(site_id: str, name: object, change: str, field: str | None, old: object, new: object) -> dict[str, object]:
    return {"site_id": site_id, "name": name, "change": change, "field": field, "old": old, "new": new}


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
    before = fact_imports.stored_by_site(_table(before_facts))
    after = fact_imports.stored_by_site(_table(after_facts))
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
