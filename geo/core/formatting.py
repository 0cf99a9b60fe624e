"""Numbers and dates as each language writes them: 1.234,5 in German, 1,234.5 in English."""

from __future__ import annotations

import datetime as dt
import math


def format_number(value: float | int | None, lang: str, decimals: int = 0, missing: str = "–") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def format_percent(value: float | None, lang: str, decimals: int = 0) -> str:
    number = format_number(value, lang, decimals)
    return number if number == "–" else f"{number}\u00a0%"


def format_date(value: dt.date, lang: str) -> str:
    return value.strftime("%d.%m.%Y") if lang == "de" else value.strftime("%-d %b %Y")
