"""A figure's age and qualifier travel with it: the one rule every view and download applies.

Every figure the atlas shows (a plot fact, a district's population, an investor figure) was stated by a
source on some date. The date rule itself (parsing, writing, when a date is old) is geo.core.figure_dates,
so every room of the atlas can apply it; this module adds the words and the qualifier, and decides,

* how that date (`as_of`: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``, or empty when the source gives none) is
  written in German and English ("Stand 22.09.2011" / "as of 22 Sep 2011", "09/2011", "2018");
* when a figure is **stale**: dated more than `STALE_AFTER_MONTHS` months before today, or undated
  ("Quelle ohne Datum" / "source undated"), because an investor cannot tell how old it is;
* how a figure's **qualifier** is shown: a source that says "über 30 ha" states a lower bound, so the
  atlas shows "≥ 30 ha", never "30 ha" (``about`` ≈, ``at_least`` ≥, ``at_most`` ≤).

`figure_age(as_of)` gives a `FigureAge` with the texts every output uses (`note`, `date_text`,
`stale_text`); `qualified(text, qualifier)` puts the qualifier's sign before a formatted value. Other
parts of the atlas with dated figures call these two functions rather than judging age themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# the date rule itself is in geo.core (every room may use it); it is named here too, so that a part
# judging a figure's age needs only this module
from geo.core.figure_dates import STALE_AFTER_MONTHS, as_of_text, format_as_of, is_older_than, parse_as_of
from geo.texts import both, t

__all__ = [
    "QUALIFIERS",
    "STALE_AFTER_MONTHS",
    "FigureAge",
    "figure_age",
    "format_as_of",
    "is_older_than",
    "parse_as_of",
    "qualified",
    "qualifier_problem",
    "qualifier_word",
]

STALE_SIGN = "⚠"

# What a source's wording says about a figure: "rund 150 ha" (about), "über 30 ha" (at least), "kein
# Areal größer als 5 ha" (at most). Empty: the figure as stated. The words are the texts qualifier_<code>.
QUALIFIERS = ("about", "at_least", "at_most")
QUALIFIER_SIGNS = {"about": "≈", "at_least": "≥", "at_most": "≤"}


@dataclass(frozen=True)
class FigureAge:
    """The age of one figure: its date as recorded (`as_of`, "" when the source gives none) and whether
    it is stale on the day it is judged. Its texts are what every view and download shows."""

    as_of: str
    stale: bool

    @property
    def dated(self) -> bool:
        return parse_as_of(self.as_of) is not None

    def date_text(self, lang: str) -> str:
        """The date alone ("22.09.2011"), or "Quelle ohne Datum" when the source gives none."""
        return format_as_of(self.as_of, lang) if self.dated else t("facts_undated", lang)

    def note(self, lang: str) -> str:
        """What is written beside a figure: "Stand 22.09.2011" / "as of 22 Sep 2011", or "Quelle ohne Datum"."""
        return t("facts_as_of", lang, date=self.date_text(lang)) if self.dated else t("facts_undated", lang)

    def stale_text(self, lang: str) -> str:
        """The stale mark in words, sign first ("⚠ älter als 12 Monate", "⚠ Quelle ohne Datum"); "" when fresh."""
        if not self.stale:
            return ""
        return f"{STALE_SIGN} {t('facts_old_marker', lang) if self.dated else t('facts_undated', lang)}"

    def marked_note(self, lang: str) -> str:
        """The note with its stale mark, for plain text (PDF, table cells): "Stand 22.09.2011 ⚠ älter als
        12 Monate", "⚠ Quelle ohne Datum", "Stand 05.03.2026"."""
        if self.stale and not self.dated:
            return self.stale_text(lang)
        return " ".join(part for part in (self.note(lang), self.stale_text(lang)) if part)

    def marked_date(self, lang: str) -> str:
        """The date with its stale mark, for a CSV's date column: "22.09.2011 ⚠ älter als 12 Monate"."""
        if self.stale and not self.dated:
            return self.stale_text(lang)
        return " ".join(part for part in (self.date_text(lang), self.stale_text(lang)) if part)


def figure_age(as_of: object, today: dt.date | None = None, months: int = STALE_AFTER_MONTHS) -> FigureAge:
    """The age of a figure dated `as_of` (YYYY-MM-DD, YYYY-MM, YYYY or empty), judged on `today`."""
    raw = as_of_text(as_of)
    return FigureAge(raw, is_older_than(raw, today or dt.date.today(), months))


# --- qualifiers -----------------------------------------------------------------------------------------


def qualifier_problem(value: object) -> tuple[str, str] | None:
    """(German, English) reason when `value` is not a qualifier code or empty; None when it is fine."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
    if text in ("", *QUALIFIERS):
        return None
    return both("rule_qualifier_not_allowed", text=text, allowed=", ".join(QUALIFIERS))


def qualified(text: str, qualifier: object) -> str:
    """A formatted value with its qualifier's sign before it ("≥ 30 ha"); unchanged without one."""
    sign = QUALIFIER_SIGNS.get(str(qualifier or "").strip())
    return f"{sign}\u00a0{text}" if sign and text else text


def qualifier_word(qualifier: object, lang: str) -> str:
    """The qualifier in words ("mindestens" / "at least"), for a CSV column; "" without one."""
    code = str(qualifier or "").strip()
    return t(f"qualifier_{code}", lang) if code in QUALIFIERS else ""
