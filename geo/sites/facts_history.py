"""Figures that a newer public figure replaced: kept with their source and the date they were superseded.

`data/sources/site_facts_history.csv` has the columns of `site_facts.csv` plus `superseded` (YYYY-MM-DD, the
date of the newer figure). When a newer figure replaces one in site_facts.csv, the old row moves here, so
the atlas shows only the current figure while the record of what was published before stays. The build
checks every row with the rules of a current figure (`geo.site_facts.check_row`) and requires that the
site still has a current figure for that field, dated no earlier than the old one; it stores the rows as
the table `site_facts_history` in data/reference.gpkg, which no view reads.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geo.core.paths import SOURCES_DIR
from geo.sites.fact_checks import check_row
from geo.sites.facts import FACT_TABLE_COLUMNS
from geo.sites.provenance import parse_as_of

HISTORY_CSV = SOURCES_DIR / "site_facts_history.csv"
HISTORY_TABLE = "site_facts_history"
HISTORY_COLUMNS = [*FACT_TABLE_COLUMNS, "superseded"]
OPTIONAL_COLUMNS = ("value_en", "qualifier", "note")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def read_history_csv(path: Path = HISTORY_CSV) -> pd.DataFrame:
    """The superseded figures as text, in file order; a missing file means none."""
    if not Path(path).exists():
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = pd.DataFrame(rows, columns=list(rows[0].keys()) if rows else HISTORY_COLUMNS)
    missing = [column for column in HISTORY_COLUMNS if column not in table.columns and column not in OPTIONAL_COLUMNS]
    if missing:
        raise ValueError(f"{Path(path).name}: columns missing: {', '.join(missing)}")
    table = table.reindex(columns=HISTORY_COLUMNS).fillna("").astype(str)
    return table.apply(lambda column: column.str.strip())


def check_history(
    history: pd.DataFrame, current: pd.DataFrame, known_site_ids: Iterable[str] | None = None
) -> list[str]:
    """Problems of the history table, each with its line (header = line 1)."""
    latest = {(row["site_id"], row["field"]): row["as_of"] for row in current.to_dict("records")}
    known = None if known_site_ids is None else set(known_site_ids)
    problems: list[str] = []
    for line, row in enumerate(history.to_dict("records"), start=2):
        where = f"site facts history line {line}"
        problems.extend(f"{where}: {problem}" for problem in check_row(row, known))
        if not _DATE.fullmatch(row["superseded"]) or parse_as_of(row["superseded"]) is None:
            problems.append(f"{where}: superseded '{row['superseded']}' is not a date YYYY-MM-DD")
            continue
        key = (row["site_id"], row["field"])
        if key not in latest:
            problems.append(f"{where}: {key[0]} has no current {key[1]} in site_facts.csv that replaced it")
            continue
        old, new = parse_as_of(row["as_of"]), parse_as_of(latest[key])
        if old is not None and new is not None and new < old:
            problems.append(
                f"{where}: the current {key[1]} of {key[0]} ({latest[key]}) is older than the "
                f"superseded one ({row['as_of']})"
            )
    return problems
