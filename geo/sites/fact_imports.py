"""Plot figures in a steward's import: an imported site row may carry fact columns (`area_available_ha`,
`zoning`, …) with one source for them (`facts_source_url`, `facts_as_of`) and a number's qualifier in a
column of its own (`area_available_ha_qualifier`). Here they become fact rows, are checked like the build's
rows (geo.sites.fact_checks), and are merged into the stored fact table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

import pandas as pd

from geo.core.values import parse_number
from geo.sites.fact_checks import FactProblem, row_problems
from geo.sites.facts import (
    FACT_COLUMNS,
    FACT_TABLE_COLUMNS,
    FIELD_BY_ID,
    FIELDS,
    NUMBER_COLUMNS,
    empty_table,
    is_blank,
    normalised,
    value_codes,
)
from geo.sites.provenance import qualified

# An imported site row may carry fact columns (`area_available_ha`, `zoning`, …) together with one source
# for them: the page in `facts_source_url`, its date in `facts_as_of`; units are the fields' own. A number
# may come with its qualifier in a column of its own, `<field>_qualifier` (`area_available_ha_qualifier` =
# at_least), because one row carries several figures and each source words each figure its own way.
IMPORT_SOURCE_COLUMN = "facts_source_url"

IMPORT_AS_OF_COLUMN = "facts_as_of"

QUALIFIER_SUFFIX = "_qualifier"


def qualifier_column(field_id: str) -> str:
    """The import column of a number field's qualifier: `area_available_ha_qualifier`."""
    return f"{field_id}{QUALIFIER_SUFFIX}"


IMPORT_QUALIFIER_COLUMNS = tuple(qualifier_column(field_id) for field_id in NUMBER_COLUMNS)

IMPORT_COLUMNS = tuple(FACT_COLUMNS) + (IMPORT_SOURCE_COLUMN, IMPORT_AS_OF_COLUMN) + IMPORT_QUALIFIER_COLUMNS

StoredFacts = Mapping[str, Mapping[str, object]]  # one site's stored rows by field id


def same_figure(field_id: str, value: object, stored: object) -> bool:
    """True when `value` states the same figure as the `stored` one: numbers by value ("62,7" = 62.7),
    zoning codes in any order, texts after trimming (the qualifier is compared by the caller)."""
    if is_blank(value) or is_blank(stored):
        return is_blank(value) and is_blank(stored)
    field = FIELD_BY_ID[field_id]
    if field.kind == "number":
        first = value if isinstance(value, (int, float)) else parse_number(value)
        second = stored if isinstance(stored, (int, float)) else parse_number(stored)
        if first is not None and second is not None:
            return math.isclose(float(first), float(second), rel_tol=1e-9, abs_tol=1e-9)
    if field.kind == "vocabulary" and field.multi:
        return sorted(value_codes(field_id, value)) == sorted(value_codes(field_id, stored))
    return str(value).strip() == str(stored).strip()


def stored_by_site(facts: pd.DataFrame) -> dict[str, dict[str, dict[str, object]]]:
    """The stored fact rows as {site_id: {field: row}}, for comparing an import with the live figures."""
    by_site: dict[str, dict[str, dict[str, object]]] = {}
    for row in facts.reindex(columns=FACT_TABLE_COLUMNS).fillna("").astype(str).to_dict("records"):
        by_site.setdefault(row["site_id"], {})[row["field"]] = row
    return by_site


def facts_from_record(record: Mapping[str, object], site_id: str, stored: StoredFacts | None = None) -> pd.DataFrame:
    """The fact rows that an imported site row carries (its filled fact columns), in table form.

    The one rule for imported figures: a figure equal to the site's stored one (`stored`, its rows by
    field) keeps its stored row, source and date included; a new or changed figure takes the row's
    `facts_source_url` and `facts_as_of` (checked like the build's rows by `row_problems`). A changed
    qualifier (`<field>_qualifier`) makes a changed figure; a file without that column keeps the stored one."""
    rows = []
    stored = stored or {}
    for field in FIELDS:
        value = record.get(field.id)
        if is_blank(value):
            continue
        kept = stored.get(field.id)
        qualifier_given = qualifier_column(field.id) in record
        qualifier = "" if is_blank(record.get(qualifier_column(field.id))) else str(record[qualifier_column(field.id)])
        if (
            kept is not None
            and same_figure(field.id, value, kept.get("value"))
            and (not qualifier_given or qualifier.strip() == str(kept.get("qualifier") or "").strip())
        ):
            rows.append(
                {column: "" if is_blank(kept.get(column)) else str(kept.get(column)) for column in FACT_TABLE_COLUMNS}
                | {"site_id": site_id}
            )
            continue
        if field.kind == "number" and isinstance(value, (int, float)):
            value = format(float(value), "g")
        rows.append(
            {
                "site_id": site_id,
                "field": field.id,
                "value": str(value).strip(),
                "value_en": "",
                "unit": field.unit,
                "qualifier": qualifier.strip(),
                "source_url": ""
                if is_blank(record.get(IMPORT_SOURCE_COLUMN))
                else str(record[IMPORT_SOURCE_COLUMN]).strip(),
                "as_of": "" if is_blank(record.get(IMPORT_AS_OF_COLUMN)) else str(record[IMPORT_AS_OF_COLUMN]).strip(),
                "note": "",
            }
        )
    return pd.DataFrame(rows, columns=FACT_TABLE_COLUMNS) if rows else empty_table()


def check_record_facts(record: Mapping[str, object], stored: StoredFacts | None = None) -> list[FactProblem]:
    """Problems with the fact columns of one imported site row, checked exactly as the build checks the
    curated rows. Figures equal to the site's `stored` ones keep their stored source and need none in
    the file; new or changed figures need `facts_source_url` (and `facts_as_of` unless the page carries
    no date, as in the build). A free text there needs no English form: the steward adds it in
    data/sources/site_facts.csv."""
    return imported_rows_problems(facts_from_record(record, "imported", stored))


def imported_rows_problems(rows: pd.DataFrame) -> list[FactProblem]:
    """Problems of the fact rows of one imported site (`facts_from_record`), each named once."""
    problems: list[FactProblem] = []
    for row in rows.to_dict("records"):
        for problem in row_problems(row):
            if problem.message_en.endswith("a text needs its English wording in value_en"):
                continue
            # an imported row names the source and date of its figures, and each figure's qualifier, in
            # columns of their own
            column = qualifier_column(problem.field)
            problem = FactProblem(
                problem.field,
                _QUALIFIER_NAME.sub(column, _IMPORT_COLUMN_NAMES.sub(r"facts_\1", problem.message_de)),
                _QUALIFIER_NAME.sub(column, _IMPORT_COLUMN_NAMES.sub(r"facts_\1", problem.message_en)),
            )
            if problem not in problems:
                problems.append(problem)
    return problems


_IMPORT_COLUMN_NAMES = re.compile(r"\b(source_url|as_of)\b")
_QUALIFIER_NAME = re.compile(r"\bqualifier\b")


def merge_imported_facts(
    stored: pd.DataFrame, imported: Mapping[str, pd.DataFrame], fields: Iterable[str], kept_site_ids: Iterable[str]
) -> tuple[pd.DataFrame, dict[str, list[tuple[str, str, str]]]]:
    """The fact table after an import, and what changed per site as (field, old value, new value).

    `imported` holds each imported site's rows (`facts_from_record`); for those sites the rows of the
    `fields` the file has (its fact columns) are replaced, an empty cell removing the figure. Sites not
    in `kept_site_ids` (removed by the import) lose their rows."""
    fields = [field_id for field_id in FACT_COLUMNS if field_id in set(fields)]
    kept = set(kept_site_ids)
    table = stored.reindex(columns=FACT_TABLE_COLUMNS).fillna("").astype(str)
    table = table[table["site_id"].isin(kept)]
    before = stored_by_site(table)
    changes: dict[str, list[tuple[str, str, str]]] = {}
    for site_id, rows in imported.items():
        if site_id not in kept:
            continue
        after = stored_by_site(normalised(rows)).get(site_id, {})
        old_rows = before.get(site_id, {})
        for field_id in fields:
            old, new = old_rows.get(field_id), after.get(field_id)
            if old is None and new is None:
                continue
            if (
                old is not None
                and new is not None
                and all(str(old.get(column, "")) == str(new.get(column, "")) for column in FACT_TABLE_COLUMNS)
            ):
                continue
            changes.setdefault(site_id, []).append(
                (
                    field_id,
                    "" if old is None else qualified(str(old["value"]), old.get("qualifier")),
                    "" if new is None else qualified(str(new["value"]), new.get("qualifier")),
                )
            )
        table = table[~((table["site_id"] == site_id) & table["field"].isin(fields))]
    additions = [
        rows[rows["field"].isin(fields)] for site_id, rows in imported.items() if site_id in kept and len(rows)
    ]
    merged = pd.concat([table, *additions], ignore_index=True) if additions else table
    return normalised(merged), changes
