"""Checking the rows of a user's file: the values by the shared place rules (`geo.sites.rules`, the same
the build applies), the inclusion rule (`geo.sites.inclusion`: an optional `status` column, default
active), the site id, the location (coordinates, or the municipality a row names) and the areas derived
from the point. Every problem becomes a `Problem` naming its row and field."""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo import store
from geo.core import fields, schema
from geo.core.schema import STORAGE_CRS, four_states_label
from geo.imports.places import Reference, load_reference
from geo.imports.reading import FileReader
from geo.imports.reading_base import RawTable, cell_text
from geo.imports.results import ERROR, WARNING, ImportResult, Problem
from geo.sites import fact_imports
from geo.sites import facts as site_facts
from geo.sites.inclusion import DEFAULT_STATUS, IMPORT_STATUS_COLUMNS, status_rule_problems
from geo.sites.rules import (
    SITE_ID_MAX_CHARS,
    SITE_ID_PATTERN,
    check_site_values,
    formula_like_columns,
    site_id_from_name,
    slugify,
)
from geo.texts import Num, Text, both

DERIVED_COLUMNS = ("state_code", "district_ags", "municipality_ags")
PROGRESS_EVERY_ROWS = 250


class SiteChecker:
    def __init__(
        self,
        table: RawTable,
        reader: FileReader,
        reference_path: Path,
        programs: Collection[str],
        themes: Collection[str] | None,
        progress: Callable[[int, int], None] | None = None,
        stored_facts: dict[str, dict[str, dict[str, object]]] | None = None,
    ):
        self.table = table
        # the live sites' fact rows by site and field: a figure equal to its stored one needs no new source
        self.stored_facts = stored_facts or {}
        self.fact_cells: dict[int, dict[str, object]] = {}
        self.progress = progress
        self.problems = reader.problems
        self.info = reader.info
        self.reference_path = Path(reference_path)
        self.programs = set(programs)
        self.themes = None if themes is None else set(themes)
        # rows whose location the reader already refused (bad number, unsupported geometry, bad CRS fit)
        self.rows_without_location = {problem.row for problem in reader.problems if problem.severity == ERROR}
        self.rows_with_errors = set(self.rows_without_location)
        self.known_areas: dict[tuple[int, bytes], dict | None] = {}

    def error(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, ERROR))
        self.rows_with_errors.add(row)

    def warn(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, WARNING))

    def check(self) -> ImportResult:
        values = self.table.values
        provided = {
            column
            for column in values.columns
            if column not in DERIVED_COLUMNS
            and column != "updated"
            and column not in fact_imports.IMPORT_COLUMNS
            and column not in IMPORT_STATUS_COLUMNS
        }
        provided |= {"site_id", "name", "program", "geometry"}
        for column in ("name", "program"):
            if column not in values.columns:
                self.error(None, column, *both("import_required_column_column_missing", column=column))
        if not len(values.index):
            self.error(None, None, *both("import_file_contains_no_sites"))
        reference = self._reference()
        if None in self.rows_with_errors or reference is None:
            return self._result(store.empty_sites(), provided)

        records = {}
        formula_rows: dict[int, list[str]] = {}
        cells = values.to_dict("records")  # keeps each column's own type, unlike iterrows
        total = len(cells)
        # the areas of all given points at once: per point, the lookups would dominate a long file
        self.known_areas = {
            (int(row), point.wkb): areas
            for row, point, areas in zip(
                values.index, self.table.points, reference.areas_for(self.table.points), strict=True
            )
            if point is not None
        }
        for done, (row, row_values, point) in enumerate(zip(values.index, cells, self.table.points, strict=True)):
            if self.progress is not None and done % PROGRESS_EVERY_ROWS == 0:
                self.progress(done, total)
            record = self._check_row(int(row), row_values, point, reference)
            if record is not None:
                records[int(row)] = record
                if columns := formula_like_columns(record):
                    formula_rows[int(row)] = columns
        if self.progress is not None:
            self.progress(total, total)
        self._check_duplicate_ids(records)
        self._warn_about_formulas(formula_rows)
        fact_fields = frozenset(column for column in values.columns if column in site_facts.FACT_COLUMNS)
        sites = sites_frame(records)
        self.info["rows"] = str(len(values))
        result = self._result(sites, provided)
        if fact_fields:
            result.fact_fields = fact_fields
            result.fact_records = {str(record["site_id"]): self.fact_cells[row] for row, record in records.items()}
        return result

    def _result(self, sites: gpd.GeoDataFrame, provided: set[str]) -> ImportResult:
        return ImportResult(sites, self.problems, frozenset(provided), dict(self.info))

    def _reference(self) -> Reference | None:
        try:
            return load_reference(self.reference_path)
        except FileNotFoundError:
            self.error(
                None,
                None,
                *both("import_reference_data_missing_reference_path", reference_path=self.reference_path),
            )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, KeyError) as error:
            self.error(
                None,
                None,
                *both(
                    "import_reference_data_unreadable_reference_path", reference_path=self.reference_path, error=error
                ),
            )
        return None

    def _check_row(self, row: int, row_values: dict, point: shapely.Point | None, reference: Reference) -> dict | None:
        record: dict[str, object] = {column: None for column in fields.SITE_COLUMNS}
        for column, value in row_values.items():
            record[column] = cell_text(value)
        given_areas = {column: record[column] for column in DERIVED_COLUMNS}

        site_id = record.get("site_id") or site_id_from_name(record.get("name") or "")
        for problem in check_site_values(
            record, self.programs, self.themes, stored_facts=self.stored_facts.get(str(site_id))
        ):
            self.error(row, problem.field, problem.message_de, problem.message_en)
        # the inclusion rule, as the build applies it to the curated list (no column: every row is active)
        for problem in status_rule_problems(record, DEFAULT_STATUS, named=True):
            self.error(row, problem.field, problem.message_de, problem.message_en)
        for column in IMPORT_STATUS_COLUMNS:
            record.pop(column, None)  # checked, not stored with the site
        self._check_site_id(row, record)
        point = self._place(row, record, point, reference)
        if point is not None:
            self._derive_areas(row, record, given_areas, point, reference)

        if row in self.rows_with_errors:
            return None
        record["updated"] = None
        record["geometry"] = point
        self.fact_cells[row] = {
            column: record.pop(column) for column in fact_imports.IMPORT_COLUMNS if column in record
        }
        return record

    def _check_site_id(self, row: int, record: dict) -> None:
        site_id = record.get("site_id")
        if site_id is None:
            record["site_id"] = site_id_from_name(record.get("name") or "")
            if not record["site_id"] and record.get("name"):
                self.error(
                    row,
                    "site_id",
                    *both("import_no_site_id_can_derived"),
                )
            return
        if len(site_id) > SITE_ID_MAX_CHARS or not SITE_ID_PATTERN.match(site_id):
            self.error(
                row,
                "site_id",
                *both(
                    "import_invalid_site_id_value_only",
                    site_id=site_id[:SITE_ID_MAX_CHARS],
                    suggestion=slugify(site_id)[:SITE_ID_MAX_CHARS],
                ),
            )

    def _place(self, row: int, record: dict, point: shapely.Point | None, reference: Reference) -> shapely.Point | None:
        if point is not None:
            record["precision"] = record.get("precision") or "address"
            return point
        if row in self.rows_without_location:
            return None  # already reported by the reader
        municipality = record.get("municipality")
        if municipality is None:
            self.error(
                row,
                "geometry",
                *both("import_site_has_no_location_give"),
            )
            return None
        if record.get("precision") in schema.COORDINATE_PRECISIONS:
            precision = record["precision"]
            self.error(
                row,
                "precision",
                *both("import_precision_precision_needs_coordinates_without", precision=precision),
            )
            return None
        matches = reference.find_municipality(municipality, record.get("state_code"), record.get("locality"))
        if len(matches) != 1:
            listed = "; ".join(f"{reference.name_of(m.place_ags)} ({m.place_ags})" for m in matches[:10])
            key = "import_municipality_ambiguous" if matches else "import_municipality_not_found"
            self.error(row, "municipality", *both(key, municipality=municipality, listed=listed))
            return None
        place_name = reference.name_of(matches[0].place_ags)
        record["precision"] = record.get("precision") or "municipality"
        self.warn(
            row,
            "geometry",
            *both("import_no_coordinates_site_placed_municipality", place_name=place_name),
        )
        return reference.municipality_point(matches[0].place_ags)

    def _derive_areas(
        self, row: int, record: dict, given_areas: dict, point: shapely.Point, reference: Reference
    ) -> None:
        areas = self.known_areas.get((row, point.wkb)) or reference.areas_at(point)
        if areas["state_code"] is None:
            swapped = (
                self.table.is_geographic_input and reference.areas_at(shapely.Point(point.y, point.x))["state_code"]
            )
            self.error(
                row,
                "geometry",
                *both(
                    "import_point_outside_the_four_states",
                    lon=Num(point.x, 5, grouping=False),
                    lat=Num(point.y, 5, grouping=False),
                    states=four_states_label,
                    hint=Text("import_hint_swapped") if swapped else "",
                ),
            )
            return
        for column in DERIVED_COLUMNS:
            given, derived = given_areas[column], areas[column]
            if given is not None and derived is not None and given != derived:
                self.warn(
                    row,
                    column,
                    *both("import_given_given_but_point_lies", given=given, derived=derived),
                )
            record[column] = derived
        if areas["district_ags"] is None:
            self.warn(row, "district_ags", "Kein Landkreis am Punkt gefunden.", "No district found at the point.")
        given = record.get("municipality")
        if given is None:
            record["municipality"] = areas["municipality"]
        elif (
            areas["municipality_ags"]
            and (named := reference.find_municipality(given))
            # a known municipality name elsewhere hints at a wrong point or name; an unknown one may be
            # an Ortsteil or an older name and is kept silently
            and not any(areas["municipality_ags"] in match.area_ags for match in named)
        ):
            self.warn(
                row,
                "municipality",
                *both("import_municipality_given_given_but_point", given=given, municipality=areas["municipality"]),
            )

    def _check_duplicate_ids(self, records: dict[int, dict]) -> None:
        rows_by_id: dict[str, list[int]] = {}
        for row, record in records.items():
            rows_by_id.setdefault(record["site_id"], []).append(row)
        for site_id, rows in rows_by_id.items():
            if len(rows) > 1:
                listed = ", ".join(map(str, rows))
                for row in rows:
                    self.error(
                        row,
                        "site_id",
                        *both("import_site_id_site_id_occurs", site_id=site_id, listed=listed),
                    )
                    records.pop(row)

    def _warn_about_formulas(self, formula_rows: dict[int, list[str]]) -> None:
        """Text starting with =, +, -, @ is what a spreadsheet runs as a formula. It is stored as it is
        (the app's own CSV downloads neutralise it), but the steward should know."""
        if not formula_rows:
            return
        listed = ", ".join(str(row) for row in list(formula_rows)[:20]) + (" …" if len(formula_rows) > 20 else "")
        columns = sorted({column for names in formula_rows.values() for column in names})
        self.warn(
            None,
            ", ".join(columns),
            *both("import_text_looks_like_spreadsheet_formula", listed=listed),
        )


def sites_frame(records: dict[int, dict]) -> gpd.GeoDataFrame:
    if not records:
        return store.empty_sites()
    frame = pd.DataFrame.from_dict(records, orient="index")
    sites = gpd.GeoDataFrame(frame[fields.SITE_COLUMNS], geometry=list(frame["geometry"]), crs=STORAGE_CRS)
    sites.index = frame.index
    sites = fields.with_typed_columns(sites)
    return sites
