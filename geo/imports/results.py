"""What an import produces: problems found in a user's file, the checked sites, the difference to the
live data and the outcome of applying it. Plain data, shared by the reading, checking, comparing and
applying steps (see `geo.imports.importer`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.texts import normalize_language, t

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input. ``row`` is where the user finds it in their own tool: the line of
    the spreadsheet for CSV (the header is line 1), the feature number (from 1) otherwise; None for the
    whole file. ``field`` is a column name, or None."""

    row: int | None
    field: str | None
    message_de: str
    message_en: str
    severity: str = ERROR

    def message(self, lang: str = "de") -> str:
        return self.message_en if normalize_language(lang) == "en" else self.message_de

    def location(self, lang: str = "de") -> str:
        parts = [t("import_location_row", lang, row=self.row)] if self.row is not None else []
        if self.field:
            parts.append(t("import_location_field", lang, field=self.field))
        return ", ".join(parts) or t("import_location_file", lang)


@dataclass
class ImportResult:
    """A user's file read and checked. ``sites`` holds the rows that passed their checks, indexed by
    their row number (see `Problem`); only a result without errors may be applied."""

    sites: gpd.GeoDataFrame
    problems: list[Problem]
    provided_columns: frozenset[str] = frozenset()
    source: dict[str, str] = field(default_factory=dict)  # format, layer, crs, encoding, delimiter
    # plot facts the file carries: per site_id its fact cells (geo.sites.fact_imports.IMPORT_COLUMNS), and the
    # fact fields the file has as columns (an empty cell there removes the stored figure)
    fact_records: dict[str, dict[str, object]] = field(default_factory=dict)
    fact_fields: frozenset[str] = frozenset()
    # checked fact rows per site_id, each figure with its own source and date (the staff page's form);
    # they replace the site's rows of ``fact_fields`` like a file's fact cells do
    fact_rows: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class SiteDiff:
    """What applying an import would do, matched by site_id. ``result`` is the complete sites layer
    after the apply; ``apply_import`` writes exactly that."""

    new: list[str]
    changed: dict[str, list[FieldChange]]
    removed: list[str]
    unchanged: int
    kept_absent: int  # sites missing from the file that stay because replace was not asked for
    names: dict[str, str | None]
    result: gpd.GeoDataFrame
    notes: list[Problem] = field(default_factory=list)  # warnings that came up while comparing
    # the complete `site_facts` table after the apply (None: the store carries the current one over);
    # changed figures are listed in ``changed`` like any other field
    facts: pd.DataFrame | None = None

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
            "kept_absent": self.kept_absent,
        }

    def to_table(self) -> pd.DataFrame:
        """One row per new or removed site and per changed field: site_id, name, change, field, old, new."""
        rows: list[dict[str, object]] = [
            {
                "site_id": site_id,
                "name": self.names.get(site_id),
                "change": "new",
                "field": None,
                "old": None,
                "new": None,
            }
            for site_id in self.new
        ]
        for site_id, changes in self.changed.items():
            rows += [
                {
                    "site_id": site_id,
                    "name": self.names.get(site_id),
                    "change": "changed",
                    "field": change.field,
                    "old": change.old,
                    "new": change.new,
                }
                for change in changes
            ]
        rows += [
            {
                "site_id": site_id,
                "name": self.names.get(site_id),
                "change": "removed",
                "field": None,
                "old": None,
                "new": None,
            }
            for site_id in self.removed
        ]
        return pd.DataFrame(rows, columns=["site_id", "name", "change", "field", "old", "new"])


@dataclass
class AppliedImport:
    diff: SiteDiff
    data_version: str
    written: bool


class ImportRefused(Exception):
    """apply_import was given a result with errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was written")
