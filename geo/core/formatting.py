"""Numbers, dates and lists as each language writes them, through Babel (CLDR): 1.234,5 and „7. März 2024“ in
German, 1,234.5 and "7 March 2024" in English.

The one formatter of the atlas: the pages, the CSV downloads, the PDFs, the charts' separators and the
messages of the import and the command line all format here, so no module writes a thousands separator or
a month name by hand. Nothing here depends on the process's locale (no ``strftime("%b")``, no ``%-d``).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from functools import cache
from numbers import Integral
from typing import Literal

from babel import dates, lists, numbers

# the Babel locale of each page language (British English: "7 Mar 2024", day before month)
LOCALES = {"de": "de_DE", "en": "en_GB"}
MISSING = "–"
PERCENT_SIGN = "\u00a0%"  # a non-breaking space before the sign, in both languages (house style)
# date styles: numeric (07.03.2024 / 7 Mar 2024), long (7. März 2024 / 7 March 2024), month (März 2024)
DATE_PATTERNS = {
    "de": {"numeric": "dd.MM.y", "long": "d. MMMM y", "month": "MMMM y", "month_numeric": "MM/y"},
    "en": {"numeric": "d MMM y", "long": "d MMMM y", "month": "MMMM y", "month_numeric": "MM/y"},
}


def locale_of(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["en"])


def _language(lang: str) -> str:
    return lang if lang in LOCALES else "en"


@cache
def _pattern(decimals: int, grouping: bool) -> str:
    whole = "#,##0" if grouping else "0"
    return f"{whole}.{'0' * decimals}" if decimals > 0 else whole


def format_number(
    value: float | int | None, lang: str, decimals: int = 0, missing: str = MISSING, *, grouping: bool = True
) -> str:
    """`value` with `decimals` places and the language's marks: 1.234,5 / 1,234.5; `missing` for None or NaN.

    Floats are rounded as Python rounds them (their exact binary value, half to even), so a figure reads
    the same here as in a chart or a computed comparison."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    exact = Decimal(int(value)) if isinstance(value, Integral) else Decimal(float(value))
    return numbers.format_decimal(
        exact, format=_pattern(decimals, grouping), locale=locale_of(lang), decimal_quantization=True
    )


def format_percent(value: float | None, lang: str, decimals: int = 0) -> str:
    """A percentage (`value` in percent, 12.5 -> "12,5 %" / "12.5 %"); "–" when missing."""
    number = format_number(value, lang, decimals)
    return number if number == MISSING else f"{number}{PERCENT_SIGN}"


def format_date(value: dt.date, lang: str, style: str = "numeric") -> str:
    """A date: numeric 07.03.2024 / 7 Mar 2024, long 7. März 2024 / 7 March 2024, month März 2024 /
    March 2024, month_numeric 03/2024 (month names from CLDR, not from the process's locale)."""
    return dates.format_date(value, format=DATE_PATTERNS[_language(lang)][style], locale=locale_of(lang))


def format_time(value: dt.datetime | dt.time, lang: str) -> str:
    """A time of day, 24 hours with seconds: 14:05:09."""
    return dates.format_time(value, format="HH:mm:ss", locale=locale_of(lang))


def format_list(items: list[str], lang: str, style: Literal["standard", "or"] = "standard") -> str:
    """Names joined as the language joins them: „A, B und C“ / "A, B and C"; style "or": „A, B oder C“."""
    return lists.format_list(items, style=style, locale=locale_of(lang))


def decimal_mark(lang: str) -> str:
    """ "," in German, "." in English (the CSV download's decimal mark)."""
    return numbers.get_decimal_symbol(locale_of(lang))


def group_mark(lang: str) -> str:
    """ "." in German, "," in English."""
    return numbers.get_group_symbol(locale_of(lang))


# whole euros with the currency's code where each language puts it: 4.000.000 EUR / EUR 4,000,000
EURO_PATTERNS = {"de": "#,##0\u00a0¤¤", "en": "¤¤\u00a0#,##0"}


def format_euro(value: float | None, lang: str) -> str:
    """An amount in whole euros: "4.000.000 EUR" / "EUR 4,000,000" ("–" without a value)."""
    if value is None or not math.isfinite(float(value)):
        return "–"
    return numbers.format_currency(
        round(float(value)), "EUR", format=EURO_PATTERNS[_language(lang)], locale=locale_of(lang), currency_digits=False
    )
