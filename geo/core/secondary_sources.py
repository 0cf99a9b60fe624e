"""Sources that are copies, not originals: document-sharing sites and mirrors of Wikipedia
(data/sources/secondary_sources.csv, with what each host is). A link to one still supports its fact where the
original was not reachable, and every page and PDF marks it as a copy."""

from __future__ import annotations

import csv
from functools import lru_cache
from urllib.parse import urlsplit

from geo.core.paths import SOURCES_DIR

SECONDARY_SOURCES_CSV = SOURCES_DIR / "secondary_sources.csv"


@lru_cache(maxsize=1)
def secondary_hosts() -> frozenset[str]:
    with open(SECONDARY_SOURCES_CSV, encoding="utf-8", newline="") as handle:
        return frozenset(row["host"].lower() for row in csv.DictReader(handle))


def is_secondary(url: str) -> bool:
    """True when `url` lies on a host that only copies what others published."""
    host = (urlsplit(url).hostname or "").lower()
    return host in secondary_hosts()
