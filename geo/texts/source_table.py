"""The source table (`sources` in data/reference.gpkg) as a page or a PDF shows it: in the page's language,
with recorded dates written as that language writes dates."""

from __future__ import annotations

import datetime as dt
import re

from geo.core.formatting import format_date
from geo.texts.sources import german_source_row

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_or_text(value: str, lang: str) -> str:
    """A recorded date (ISO, e.g. a vintage "2018-12-31") as the language writes dates; other text as it is."""
    return format_date(dt.date.fromisoformat(value), lang) if _ISO_DATE.match(value) else value


def source_row(row: dict[str, object], lang: str) -> dict[str, object]:
    """A row of the source table in `lang`: English as recorded, German where a wording is known."""
    shown = {column: _date_or_text(value, lang) if isinstance(value, str) else value for column, value in row.items()}
    return german_source_row(shown) if lang == "de" else shown
