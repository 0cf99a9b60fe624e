"""The inclusion rule of the curated site list (data/sources/sites_reference.md, "Inclusion rule").

The atlas shows places that operate today: a visitor who follows a marker must find what its description
promises. Every row of data/sources/sites.csv carries a `status` from `geo.schema.SITE_STATUSES`; only
`active` rows belong in the list. Places left out on purpose (a programme that ended, a conversion that is
only planned, a vacant building) are kept in data/sources/sites_left_out.csv with their status, the reason
and the page that shows it, so that nobody adds them again from another list by mistake.

A steward's import applies the same rule (`status_rule_problems`): a file may carry the columns `status`
and `status_source_url`; a row whose status the rule leaves out is refused, naming the row; a file
without the column, or an empty cell, means `active` (the default), so older import files keep working.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo.core.paths import SOURCES_DIR
from geo.core.schema import INCLUDED_STATUSES, SITE_STATUSES
from geo.core.values import is_web_url
from geo.sites.rules import RuleProblem, site_id_from_name
from geo.texts import Text, both

LEFT_OUT_CSV = SOURCES_DIR / "sites_left_out.csv"
LEFT_OUT_REQUIRED = ("name", "status", "status_source_url", "reason")
# the columns of the rule that an imported file may carry; they are checked, not stored with the site
IMPORT_STATUS_COLUMNS = ("status", "status_source_url")
DEFAULT_STATUS = "active"


def status_rule_problems(record: Mapping[str, object], default: str = "", named: bool = False) -> list[RuleProblem]:
    """Problems of one row's `status` and `status_source_url` under the inclusion rule, in German and
    English. An empty status counts as `default` (the import: "active"; the build: none, so it is refused);
    `named` puts the row's site name into the message (the import's report, where a row is a line of a
    steward's own file)."""
    raw = record.get("status")
    status = str(raw).strip() if raw not in (None, "") else default
    name = str(record.get("name") or "").strip() if named else ""
    named_text = Text("rule_status_named", {"name": name}) if name else ""
    problems = []
    if status not in SITE_STATUSES:
        allowed = ", ".join(SITE_STATUSES)
        problems.append(
            RuleProblem("status", *both("rule_status_unknown", status=status, named=named_text, allowed=allowed))
        )
    elif status not in INCLUDED_STATUSES:
        included = ", ".join(INCLUDED_STATUSES)
        problems.append(
            RuleProblem(
                "status",
                *both(
                    "rule_status_left_out",
                    status=status,
                    named=named_text,
                    included=included,
                    left_out=LEFT_OUT_CSV.name,
                ),
            )
        )
    source = record.get("status_source_url")
    if source not in (None, "") and not is_web_url(str(source).strip()):
        problems.append(RuleProblem("status_source_url", *both("rule_status_source_not_web")))
    return problems


def status_problems(record: Mapping[str, object]) -> list[str]:
    """Problems of one list row's `status` and `status_source_url` (English, the build's messages)."""
    return [problem.message_en for problem in status_rule_problems(record)]


def check_left_out(sites: pd.DataFrame, left_out_csv: Path = LEFT_OUT_CSV) -> list[str]:
    """Rows of the left-out list: a status the rule leaves out, a reason, a source — and none of them back
    in the site list under the same name (compared as site ids)."""
    if not Path(left_out_csv).exists():
        return []
    name = Path(left_out_csv).name
    left_out = pd.read_csv(left_out_csv, dtype=str, keep_default_na=False)
    missing = [column for column in LEFT_OUT_REQUIRED if column not in left_out.columns]
    if missing:
        return [f"{name} lacks the columns {missing}"]
    listed = {site_id_from_name(site_name) for site_name in sites["name"]}
    problems = []
    for line, row in enumerate(left_out.to_dict("records"), start=2):
        where = f"{name} line {line} ({row['name']})"
        if row["status"] not in SITE_STATUSES or row["status"] in INCLUDED_STATUSES:
            problems.append(f"{where}: status '{row['status']}' is not one that the inclusion rule leaves out")
        if not row["reason"].strip() or not is_web_url(row["status_source_url"]):
            problems.append(f"{where}: needs a reason and an http(s) status_source_url")
        if site_id_from_name(row["name"]) in listed:
            problems.append(f"{where}: is also in the site list, but the inclusion rule leaves it out")
    return problems
