"""Comparing checked sites with the live data, matched by ``site_id``: what is new, what changes field by
field, what would be removed; and the complete sites layer after the change, which `apply_import` writes.

Columns the file does not have are left as they are for existing sites; a column that is present but
empty in a row clears that field. ``updated`` is set to the day of the change for new and changed sites.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import date

import geopandas as gpd
import pandas as pd
import shapely

from geo.core import fields, schema
from geo.core.errors import user_message
from geo.core.schema import SAME_LOCATION_DEGREES, STORAGE_CRS
from geo.imports.checks import DERIVED_COLUMNS
from geo.imports.reading_base import cell_text
from geo.imports.results import WARNING, FieldChange, ImportResult, Problem, SiteDiff
from geo.sites import fact_imports
from geo.sites import facts as site_facts
from geo.texts import both

log = logging.getLogger(__name__)

# Taken from the file for new sites and for sites whose point moved, even when the file lacks the column
# (they describe the location); otherwise the current value stays.
LOCATION_COLUMNS = ("municipality", "precision")
COMPARED_COLUMNS = (*fields.COMPARED_COLUMNS, "geometry")
VERIFIED_FIELD = "last_verified"  # the fact that says when a site's figures were last confirmed


def diff_sites(
    current: gpd.GeoDataFrame,
    incoming: ImportResult,
    *,
    replace: bool = False,
    today: date | None = None,
    current_facts: pd.DataFrame | None = None,
    confirm_facts: bool = False,
) -> SiteDiff:
    """Compare an import with the current sites by site_id. Without ``replace`` sites absent from the
    file stay; with it they are removed. ``current_facts`` is the live `site_facts` table
    (`geo.store.live_facts`): the file's plot figures replace a site's figures of the fields it
    has, changed figures are listed with the site's other changes, removed sites lose theirs. With
    ``confirm_facts`` (an approved proposal, the staff page's form) every site whose figures the import
    carries gets `last_verified` = ``today``: the figures were confirmed that day."""
    stamp = (today or date.today()).isoformat()
    geometry_column = current.geometry.name
    current_records = current.to_dict("records")
    current_ids = {cell_text(record.get("site_id")) for record in current_records}
    incoming_records = {str(record["site_id"]): record for record in incoming.sites.to_dict("records")}
    extra_columns = [
        column for column in current.columns if column not in fields.SITE_COLUMNS and column != geometry_column
    ]

    result_records: list[dict] = []
    new, removed, changed, names, unchanged, kept_absent = [], [], {}, {}, 0, 0
    for old in current_records:
        site_id = cell_text(old.get("site_id"))
        if site_id is None:  # a broken row cannot be matched; it is kept, never silently dropped
            result_records.append(old)
            kept_absent += 1
            continue
        names[site_id] = cell_text(old.get("name"))
        candidate = incoming_records.get(site_id)
        if candidate is None:
            if replace:
                removed.append(site_id)
            else:
                kept_absent += 1
                result_records.append(old)
            continue
        merged, moved = _merge(old, candidate, incoming.provided_columns, geometry_column)
        changes = _field_changes(old, merged, geometry_column)
        if changes:
            changed[site_id] = changes
            merged["updated"] = stamp
            if moved:
                # distances to airport, station, city belong to the old point: recomputed below
                merged.update({column: None for column in schema.SITE_SURROUNDING_COLUMNS if column in merged})
            names[site_id] = cell_text(merged.get("name"))
        else:
            unchanged += 1
        result_records.append(merged)
    for site_id, candidate in incoming_records.items():
        if site_id in current_ids:
            continue
        record = {column: candidate.get(column) for column in fields.SITE_COLUMNS}
        record.update({column: None for column in extra_columns})
        record["updated"] = stamp
        record[geometry_column] = candidate["geometry"]
        new.append(site_id)
        names[site_id] = cell_text(candidate.get("name"))
        result_records.append(record)
    notes: list[Problem] = []
    facts: pd.DataFrame | None = None
    fact_changes: dict[str, list[FieldChange]] = {}
    if current_facts is not None or incoming.fact_fields:  # else the store carries the current facts over
        confirmed_on = stamp if confirm_facts else None
        facts, fact_changes = _merged_facts(current_facts, incoming, result_records, notes, confirmed_on)
    for site_id, changes in fact_changes.items():
        if site_id in new:
            continue  # a new site is listed as new, with all it carries
        if site_id not in changed:
            unchanged -= 1
            next(record for record in result_records if cell_text(record.get("site_id")) == site_id)["updated"] = stamp
        changed.setdefault(site_id, []).extend(changes)
    result = _with_surroundings(_result_frame(result_records, current), notes)
    if facts is not None:
        result = site_facts.with_fact_columns(result, facts)
    return SiteDiff(new, changed, removed, unchanged, kept_absent, names, result, notes, facts)


def _merged_facts(
    current_facts: pd.DataFrame | None,
    incoming: ImportResult,
    result_records: list[dict],
    notes: list[Problem],
    confirmed_on: str | None = None,
) -> tuple[pd.DataFrame, dict[str, list[FieldChange]]]:
    """The `site_facts` table after the import and the changed figures per site. A figure the file
    changes is taken with the file's source; one equal to the stored figure keeps its stored row. When
    the live figures changed since the file was checked, a changed figure may lack its source: that
    is an error note, and the import is not applied. Rows the form checked (``fact_rows``) are taken
    as they are; ``confirmed_on`` sets `last_verified` of every site the import carries figures for."""
    stored = site_facts.empty_table() if current_facts is None else current_facts
    stored_rows = fact_imports.stored_by_site(stored)
    imported = {}
    for site_id, cells in incoming.fact_records.items():
        rows = fact_imports.facts_from_record(cells, site_id, stored_rows.get(site_id))
        for problem in fact_imports.imported_rows_problems(rows):
            notes.append(
                Problem(None, problem.field, f"{site_id}: {problem.message_de}", f"{site_id}: {problem.message_en}")
            )
        imported[site_id] = rows
    imported.update(incoming.fact_rows)
    fact_fields = set(incoming.fact_fields)
    if confirmed_on is not None:
        fact_fields.add(VERIFIED_FIELD)
        imported = {site_id: _confirmed(rows, site_id, confirmed_on) for site_id, rows in imported.items()}
    kept = [kept_id for record in result_records if (kept_id := cell_text(record.get("site_id"))) is not None]
    facts, changes = fact_imports.merge_imported_facts(stored, imported, fact_fields, kept)
    return facts, {
        site_id: [FieldChange(field_id, old or None, new or None) for field_id, old, new in listed]
        for site_id, listed in changes.items()
    }


def _confirmed(rows: pd.DataFrame, site_id: str, confirmed_on: str) -> pd.DataFrame:
    """A site's imported fact rows with `last_verified` set to the day they were confirmed."""
    verified = {column: "" for column in site_facts.FACT_TABLE_COLUMNS}
    verified.update(site_id=site_id, field=VERIFIED_FIELD, value=confirmed_on, as_of=confirmed_on)
    others = rows[rows["field"] != VERIFIED_FIELD] if len(rows) else site_facts.empty_table()
    return pd.concat([others, pd.DataFrame([verified])], ignore_index=True)


def _with_surroundings(result: gpd.GeoDataFrame, notes: list[Problem]) -> gpd.GeoDataFrame:
    """Fill the nearest airport, station and city for new and moved sites (the others keep theirs).
    When that fails the fields stay empty and ``notes`` gets a warning for the steward; the log keeps
    the traceback."""
    if "airport_name" not in result.columns or result.empty:
        return result
    missing = result["airport_name"].isna() | (result["airport_name"].astype(str) == "")
    if not missing.any():
        return result
    from geo.sites.surroundings import add_surroundings

    try:
        computed = add_surroundings(result.loc[missing])
    except MemoryError:  # the check's memory limit (geo.imports.worker): not the file's fault
        raise
    except Exception as error:  # the sites are still right without distances: warn, do not refuse
        log.warning("nearest airport, station and city not computed for %d site(s)", int(missing.sum()), exc_info=True)
        reason = user_message(error)
        notes.append(
            Problem(
                None,
                "airport_name",
                *both("import_nearest_airport_station_city_could", count=int(missing.sum()), reason=reason),
                WARNING,
            )
        )
        return result
    result = result.copy()
    for column in schema.SITE_SURROUNDING_COLUMNS:
        if column not in result.columns:
            continue
        result[column] = result[column].astype(object)
        result.loc[missing, column] = computed[column].astype(object).values
    return result


def _merge(old: dict, candidate: dict, provided: frozenset[str], geometry_column: str) -> tuple[dict, bool]:
    merged = dict(old)
    old_point, new_point = old.get(geometry_column), candidate["geometry"]
    moved = not _same_location(old_point, new_point)
    for column in fields.SITE_COLUMNS:
        if column in DERIVED_COLUMNS or column in provided or (moved and column in LOCATION_COLUMNS):
            merged[column] = candidate.get(column)
    # Unmoved sites keep their stored point exactly, so a round trip through UTM is no change.
    merged[geometry_column] = new_point if moved else old_point
    return merged, moved


def _same_location(old: object, new: object) -> bool:
    if not isinstance(old, shapely.Point) or not isinstance(new, shapely.Point) or old.is_empty or new.is_empty:
        return old is new
    return abs(old.x - new.x) <= SAME_LOCATION_DEGREES and abs(old.y - new.y) <= SAME_LOCATION_DEGREES


def _field_changes(old: dict, merged: dict, geometry_column: str) -> list[FieldChange]:
    changes = []
    for column in COMPARED_COLUMNS:
        source_column = geometry_column if column == "geometry" else column
        before, after = _comparable(column, old.get(source_column)), _comparable(column, merged.get(source_column))
        if before != after:
            changes.append(FieldChange(column, before, after))
    return changes


def _comparable(column: str, value: object) -> object:
    if column == "geometry":
        if not isinstance(value, shapely.Point) or value.is_empty:
            return None
        return f"{value.x:.6f}, {value.y:.6f}"
    text = cell_text(value)
    if column in fields.FIELD_BY_NAME and fields.FIELD_BY_NAME[column].kind == "year" and text is not None:
        year = fields.year_value(text)
        return text if year is None else year
    return text


def _result_frame(records: list[dict], current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geometry_column = current.geometry.name
    columns = list(fields.SITE_COLUMNS) + [
        column for column in current.columns if column not in fields.SITE_COLUMNS and column != geometry_column
    ]
    frame = (
        pd.DataFrame.from_records(records, columns=columns + [geometry_column])
        if records
        else pd.DataFrame(columns=columns + [geometry_column])
    )
    result = gpd.GeoDataFrame(frame[columns], geometry=list(frame[geometry_column]), crs=STORAGE_CRS)
    for column in columns:
        if column in fields.FIELD_BY_NAME and fields.FIELD_BY_NAME[column].kind == "year":
            result[column] = pd.array([fields.year_value(value) for value in result[column]], dtype="Int64")
        elif column in fields.SITE_COLUMNS:
            result[column] = pd.Series([cell_text(value) for value in result[column]], index=result.index, dtype=object)
        else:
            with contextlib.suppress(TypeError, ValueError):  # extra columns (surroundings) keep their stored types
                result[column] = result[column].astype(current[column].dtype)
    return result
