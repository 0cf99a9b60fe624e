"""Renamed site ids: old links keep opening the site (data/sources/site_id_renames.csv).

A site's id is a slug of its name, so a new name means a new id, while links that people shared carry the
old one. `read_renames` reads the table of old id → new id with the date and reason of the change;
`check_renames` is the build's check (the new id exists, the old one is never a site's id again);
`resolve_site_id` is what a link's id means today: a live id as it is, an old one as its new id.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

import pandas as pd

from geo.core.paths import SOURCES_DIR
from geo.core.values import is_web_url

RENAMES_CSV = SOURCES_DIR / "site_id_renames.csv"
RENAME_COLUMNS = ("old_id", "new_id", "renamed", "reason", "source_url")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_renames(path: Path = RENAMES_CSV) -> pd.DataFrame:
    """The table as text, in file order; a missing file means no renames."""
    if not Path(path).exists():
        return pd.DataFrame(columns=list(RENAME_COLUMNS))
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return table.apply(lambda column: column.str.strip())


def check_renames(renames: pd.DataFrame, site_ids: Collection[str], name: str = RENAMES_CSV.name) -> list[str]:
    """Problems of the renames table against the ids of the built sites, each naming its line."""
    missing = [column for column in RENAME_COLUMNS if column not in renames.columns]
    if missing:
        return [f"{name} lacks the columns {missing}"]
    live = set(site_ids)
    old_ids = list(renames["old_id"])
    problems = []
    for line, row in enumerate(renames.to_dict("records"), start=2):
        where = f"{name} line {line} ({row['old_id']} -> {row['new_id']})"
        if not row["old_id"] or not row["new_id"]:
            problems.append(f"{where}: needs an old_id and a new_id")
            continue
        if row["new_id"] not in live:
            problems.append(f"{where}: the new id names no site of the list")
        if row["old_id"] in live:
            problems.append(f"{where}: the old id is a site's id again; an old id is never reused")
        if old_ids.count(row["old_id"]) > 1:
            problems.append(f"{where}: the old id is listed more than once")
        if row["new_id"] in old_ids:
            problems.append(f"{where}: the new id is itself an old id; point it at the id the site has now")
        if not _DATE.match(row["renamed"]):
            problems.append(f"{where}: renamed '{row['renamed']}' is not a date YYYY-MM-DD")
        if not row["reason"] or not is_web_url(row["source_url"]):
            problems.append(f"{where}: needs a reason and an http(s) source_url")
    return problems


def rename_map(renames: pd.DataFrame) -> dict[str, str]:
    """old id -> new id."""
    return dict(zip(renames["old_id"], renames["new_id"], strict=True)) if len(renames) else {}


def resolve_site_id(site_id: str, known_site_ids: Collection[str], renamed: Mapping[str, str]) -> str:
    """The id a link's `site_id` means today: a live id stays as it is (it wins over an old one), an old
    id becomes its new id; anything else stays as it is (the caller reports it as unknown)."""
    if site_id in known_site_ids:
        return site_id
    return renamed.get(site_id, site_id)
