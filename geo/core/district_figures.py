"""District figures with their own source and date: the table, its checks, and the flat-CSV import.

One row per (district, indicator): `FIGURE_COLUMNS`. The bundled rows come from
data/sources/district_labour.csv (method and coverage in district_labour.md); staff replace or add rows
from a GENESIS flat CSV (`figures_from_flat` → `compare_figures` → `merge_figures`), and the store keeps
the table together with the sites, so every import is a version that `undo` can take back.

A district without a row has no value: pages say „keine Quelle“ / “no source”, never 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from geo.core.genesis_flat import FlatFile, normalised_label
from geo.core.paths import SOURCES_DIR
from geo.core.values import is_web_url

# indicators computed from other figures: declared like figures (no source: "no source"), never imported
DERIVED_FIGURES = ("commuter_balance",)
FIGURE_COLUMNS = ("ags", "indicator", "value", "as_of", "table_code", "source_url", "retrieved", "note")
TABLE = "district_figures"
_AS_OF = re.compile(r"^\d{4}(-\d{2}-\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TABLE_CODE = re.compile(r"^[0-9A-Z][0-9A-Z-]{3,30}$")
MAX_NOTE = 500

CHANGE_NEW = "new"
CHANGE_CHANGED = "changed"
CHANGE_SAME = "unchanged"
CHANGE_NO_VALUE = "no_value"


def empty_figures() -> pd.DataFrame:
    return pd.DataFrame(
        {column: pd.Series(dtype="float64" if column == "value" else "object") for column in FIGURE_COLUMNS}
    )


def normalised(figures: pd.DataFrame) -> pd.DataFrame:
    """The columns in order, text as text, value as float, sorted by indicator and AGS (stable files)."""
    frame = figures.reindex(columns=list(FIGURE_COLUMNS)).copy()
    for column in FIGURE_COLUMNS:
        if column == "value":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame.sort_values(["indicator", "ags"], kind="stable").reset_index(drop=True)


def check_figures(
    figures: pd.DataFrame, district_ags: Iterable[str], indicator_keys: Iterable[str] | None = None
) -> list[str]:
    """Every problem of the table, each naming its row; an empty list when the table is sound.
    `indicator_keys` None: the keys are not checked (the build, below the indicator definitions, leaves
    that to tests/test_district_figures.py; the import only ever writes declared keys)."""
    known_ags = set(district_ags)
    known_keys = None if indicator_keys is None else set(indicator_keys)
    problems = []
    for number, row in figures.reset_index(drop=True).iterrows():
        label = f"row {number + 2} ({row.get('ags', '')}, {row.get('indicator', '')})"
        value = pd.to_numeric(pd.Series([row.get("value")]), errors="coerce").iloc[0]
        checks = [
            (str(row.get("ags")) in known_ags, "the AGS is not one of the 67 districts"),
            (
                known_keys is None or str(row.get("indicator")) in known_keys,
                "the indicator is not declared in the indicator definitions",
            ),
            (pd.notna(value) and math.isfinite(value), "the value is not a number"),
            (bool(_AS_OF.match(str(row.get("as_of", "")))), "as_of is neither YYYY nor YYYY-MM-DD"),
            (is_web_url(row.get("source_url")), "source_url is not a web address"),
            (
                not str(row.get("table_code", "")) or bool(_TABLE_CODE.match(str(row["table_code"]))),
                "table_code is not a GENESIS table code",
            ),
            (bool(_DATE.match(str(row.get("retrieved", "")))), "retrieved is not YYYY-MM-DD"),
            (len(str(row.get("note", ""))) <= MAX_NOTE, f"note longer than {MAX_NOTE} characters"),
        ]
        problems += [f"{label}: {message}" for passed, message in checks if not passed]
    duplicated = figures.duplicated(subset=["ags", "indicator"], keep=False)
    if duplicated.any():
        pairs = sorted({f"{a}/{k}" for a, k in figures.loc[duplicated, ["ags", "indicator"]].itertuples(index=False)})
        problems.append(f"more than one row for: {', '.join(pairs)}")
    return problems


def read_bundled_figures() -> pd.DataFrame:
    """data/sources/district_labour.csv as a figures table (checked by the build, not here)."""
    rows = pd.read_csv(SOURCES_DIR / "district_labour.csv", dtype=str, keep_default_na=False)
    return normalised(rows.drop(columns=["district"], errors="ignore"))


def figures_wide(figures: pd.DataFrame, keys: Iterable[str]) -> pd.DataFrame:
    """AGS as index, one float column per key (NaN where no source gives a value)."""
    keys = list(keys)
    if figures.empty:
        return pd.DataFrame(columns=keys, dtype="float64")
    wide = figures.pivot(index="ags", columns="indicator", values="value")
    return wide.reindex(columns=keys).astype("float64")


def figure_detail(figures: pd.DataFrame, ags: str, key: str) -> dict | None:
    """value, as_of, table_code, source_url, retrieved, note of one district's figure, or None."""
    rows = figures.loc[(figures["ags"] == ags) & (figures["indicator"] == key)]
    return None if rows.empty else rows.iloc[0].to_dict()


# --- the flat-CSV import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FlatMapping:
    """Which value variable of a flat file feeds which indicator."""

    indicator: str
    matches: tuple[str, ...]  # value-variable codes or labels (compared normalised)

    def fits(self, code: str, label: str) -> bool:
        wanted = {normalised_label(text) for text in self.matches}
        return normalised_label(code) in wanted or normalised_label(label) in wanted


@dataclass
class FlatImport:
    """What a flat file yields: candidate rows per indicator, and what it leaves out."""

    rows: pd.DataFrame
    markers: dict[str, list[str]] = field(default_factory=dict)  # indicator -> districts with a marker only
    outside_ags: int = 0  # district values of AGS that are not the atlas's districts
    unmatched_variables: dict[str, str] = field(default_factory=dict)  # code -> label, no indicator
    periods: dict[str, str] = field(default_factory=dict)  # indicator -> the reference date taken


def figures_from_flat(
    flat: FlatFile,
    mappings: Iterable[FlatMapping],
    district_ags: Iterable[str],
    *,
    source_url: str,
    table_code: str,
    retrieved: str,
) -> FlatImport:
    """Candidate figure rows from a parsed flat file: per indicator the latest reference date present,
    one row per district with a number; markers are listed, not turned into values."""
    known = set(district_ags)
    mappings = list(mappings)
    chosen: dict[str, list] = {}
    unmatched: dict[str, str] = {}
    for value in flat.values:
        mapping = next((m for m in mappings if m.fits(value.value_code, value.value_label)), None)
        if mapping is None:
            unmatched.setdefault(value.value_code, value.value_label)
            continue
        chosen.setdefault(mapping.indicator, []).append(value)
    result = FlatImport(rows=empty_figures(), unmatched_variables=unmatched)
    records = []
    for key, values in chosen.items():
        latest = max((value.as_of for value in values if value.value is not None), default=None)
        period = latest or max(value.as_of for value in values)
        result.periods[key] = period
        in_period = [value for value in values if value.as_of == period]
        result.outside_ags += sum(1 for value in in_period if value.ags not in known)
        result.markers[key] = sorted(
            f"{value.ags} ({value.marker})" for value in in_period if value.ags in known and value.value is None
        )
        note = f"GENESIS flat CSV {flat.statistic_code} {flat.statistic_label}".strip()
        records += [
            {
                "ags": value.ags,
                "indicator": key,
                "value": value.value,
                "as_of": period,
                "table_code": table_code,
                "source_url": source_url,
                "retrieved": retrieved,
                "note": f"{note}; {value.value_label}"[:MAX_NOTE],
            }
            for value in in_period
            if value.ags in known and value.value is not None
        ]
    result.rows = normalised(pd.DataFrame(records, columns=list(FIGURE_COLUMNS)))
    return result


def compare_figures(current: pd.DataFrame, incoming: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per incoming figure: district, indicator, old and new value and date, and the change."""
    old = current.set_index(["ags", "indicator"])
    records = []
    for row in incoming.itertuples(index=False):
        before = old.loc[(row.ags, row.indicator)] if (row.ags, row.indicator) in old.index else None
        if before is None:
            change, old_value, old_as_of = CHANGE_NEW, math.nan, ""
        else:
            old_value, old_as_of = float(before["value"]), str(before["as_of"])
            same = math.isclose(old_value, row.value, rel_tol=0, abs_tol=1e-9) and old_as_of == row.as_of
            change = CHANGE_SAME if same else CHANGE_CHANGED
        records.append(
            {
                "ags": row.ags,
                "district": names.get(row.ags, row.ags),
                "indicator": row.indicator,
                "old_value": old_value,
                "old_as_of": old_as_of,
                "new_value": row.value,
                "new_as_of": row.as_of,
                "change": change,
            }
        )
    return pd.DataFrame(
        records, columns=["ags", "district", "indicator", "old_value", "old_as_of", "new_value", "new_as_of", "change"]
    )


def merge_figures(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """`current` with each (district, indicator) of `incoming` replaced or added; the rest unchanged."""
    keys = set(zip(incoming["ags"], incoming["indicator"], strict=True))
    kept = current.loc[[(a, k) not in keys for a, k in zip(current["ags"], current["indicator"], strict=True)]]
    return normalised(pd.concat([kept, incoming], ignore_index=True))
