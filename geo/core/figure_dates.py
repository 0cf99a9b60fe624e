"""A figure's date and age: the pure rule every layer applies (no texts, no data, only dates).

A figure's date (`as_of`) is ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty when the source gives none.
This module decides, in one place for the whole atlas,

* how that date is written: ``2011-09-22`` -> 22.09.2011 / 22 Sept 2011, ``2017-05`` -> 05/2017,
  ``2018`` -> 2018 (through the one formatter, geo.core.formatting);
* when a figure is old: dated more than `STALE_AFTER_MONTHS` months before the day it is judged, or
  undated, because an investor cannot tell how old it is. A partial date counts by the last day it can
  mean, so a figure is only called old when it certainly is.

It lives in geo.core so that every room (sites, indicators, imports, the API, the pages) uses the same
rule; geo.sites.provenance adds the words ("Stand …", "⚠ älter als 12 Monate") on top of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from geo.core.formatting import format_date

STALE_AFTER_MONTHS = 12
_AS_OF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def as_of_text(value: object) -> str:
    """A recorded date as text: "" for None or a missing number (NaN), else the text stripped."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def parse_as_of(text: object) -> dt.date | None:
    """The last day a partial date can mean (`2024` -> 2024-12-31, `2024-03` -> 2024-03-31), so a figure
    is only called old when it certainly is; None for empty or malformed text."""
    match = _AS_OF.match(as_of_text(text))
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        if day:
            return dt.date(int(year), int(month), int(day))
        if month:
            return dt.date(int(year), int(month), calendar.monthrange(int(year), int(month))[1])
        return dt.date(int(year), 12, 31)
    except ValueError:
        return None


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the month's last day where it is shorter)."""
    year, month = divmod(today.month - 1 - months, 12)
    day = min(today.day, calendar.monthrange(today.year + year, month + 1)[1])
    return dt.date(today.year + year, month + 1, day)


def is_older_than(text: object, today: dt.date, months: int = STALE_AFTER_MONTHS) -> bool:
    """True when the (possibly partial) date lies more than `months` before `today`, or is missing."""
    date = parse_as_of(text)
    return date is None or date < months_before(today, months)


def format_as_of(text: object, lang: str) -> str:
    """`2024-03-07` -> 07.03.2024 / 7 Mar 2024 (the project's date formatter); `2024-03` -> 03/2024;
    `2024` -> 2024; anything else as it is."""
    raw = as_of_text(text)
    match = _AS_OF.match(raw)
    if not match or parse_as_of(raw) is None:
        return raw
    year, month, day = match.group(1), match.group(2), match.group(3)
    if day:
        return format_date(dt.date(int(year), int(month), int(day)), lang)
    if month:
        return format_date(dt.date(int(year), int(month), 1), lang, "month_numeric")
    return year
