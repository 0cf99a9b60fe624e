"""Further public pages that name a site, beside the one `source_url` of its row in sites.csv.

data/sources/site_sources.csv keeps, per site, pages that confirm it from another side: the program's own
pages (`program`), the operator's own pages (`own`) and pages of third parties (`independent`), each with
its date where the page gives one and a line on what it says. It is the audit trail for a site whose row
rests on one page only, for example a profile the place wrote on a network's platform. The build checks
the table (every name a site of sites.csv, every address a web address, every date well formed) so it
cannot drift from the list; the app does not show it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geo.build.reference import BuildError, read_source_csv
from geo.core.paths import SOURCES_DIR
from geo.core.values import is_web_url
from geo.sites.provenance import parse_as_of

SITE_SOURCES_CSV = SOURCES_DIR / "site_sources.csv"
SITE_SOURCE_COLUMNS = ("name", "source_url", "as_of", "publisher", "supports")
PUBLISHERS = ("program", "own", "independent")


def site_source_problems(table: pd.DataFrame, site_names: Iterable[str]) -> list[str]:
    """Every rule a row breaks, naming the row (the header being row 1), the column and the value."""
    missing = [column for column in SITE_SOURCE_COLUMNS if column not in table.columns]
    if missing:
        return [f"columns missing: {', '.join(missing)}"]
    names = set(site_names)
    problems: list[str] = []
    for number, row in enumerate(table.to_dict("records"), start=2):
        checks = (
            ("name", row["name"] in names, "not the name of a site in sites.csv"),
            ("source_url", is_web_url(row["source_url"].strip()), "an http(s) address"),
            ("as_of", not row["as_of"] or parse_as_of(row["as_of"]) is not None, "YYYY-MM-DD, YYYY-MM or YYYY"),
            ("publisher", row["publisher"] in PUBLISHERS, f"one of {', '.join(PUBLISHERS)}"),
            ("supports", bool(row["supports"].strip()), "what the page says about the site"),
        )
        problems.extend(
            f"row {number}, {column} = {row[column]!r}: {rule}" for column, passed, rule in checks if not passed
        )
    repeated = table.loc[table.duplicated(["name", "source_url"]), "name"]
    problems.extend(f"{name}: the same page listed twice" for name in sorted(set(repeated)))
    return problems


def check_site_sources(site_names: Iterable[str], path: Path = SITE_SOURCES_CSV) -> int:
    """Check site_sources.csv against the site names; the number of rows, or BuildError naming every
    problem."""
    table = read_source_csv(path)
    problems = site_source_problems(table, site_names)
    if problems:
        raise BuildError(f"{path.name}: " + "; ".join(problems))
    return len(table)
