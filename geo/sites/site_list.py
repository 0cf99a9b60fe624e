"""Facts about the bundled site list (data/sources/sites.csv) that the running app needs.

Kept apart from `geo.build.sites` so that the app (indicators, source notes) can name the list's date
without importing the build pipeline.
"""

from __future__ import annotations

import csv
from pathlib import Path

from geo.core.paths import SOURCES_DIR

# The site list was compiled from stored copies of public pages in November 2026
# (data/sources/sites_reference.md); the build writes it as `updated` (the day a row was last checked)
# unless the row carries its own date, the day its text, place or figures were last checked and changed.
SOURCE_DATE = "2026-11-25"


def last_checked(sources_dir: Path = SOURCES_DIR) -> str:
    """The day the site list was last checked as a whole: the newest `updated` of its rows, never earlier
    than its compilation (`SOURCE_DATE`). A folder without the list (a test's) keeps the compilation date."""
    days = [SOURCE_DATE]
    try:
        with (sources_dir / "sites.csv").open(encoding="utf-8", newline="") as file:
            days += [row["updated"] for row in csv.DictReader(file) if row.get("updated")]
    except (OSError, ValueError, KeyError, csv.Error):  # ValueError: a file that is not UTF-8
        pass
    return max(days)
