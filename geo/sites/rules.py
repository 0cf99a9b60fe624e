"""The rules a site follows, one copy for everyone who makes sites: the build of data/sites.gpkg from the
curated list (`geo.build.sites`) and a steward's import (`geo.imports.importer`). Both accept and refuse the
same values, because both call these functions.

What lives here:

* **Constants**: years, id limits (CRS, bounds and stored precision are in geo.core.schema, the fields'
  kinds and text limits in geo.core.fields).
* **Folding**: one reduction of names for comparison (`fold`), its search variant (`fold_for_search`,
  used by the site filter) and site ids (`slugify`).
* **Municipality lookup**: geo.sites.municipalities (names as people write them, merged municipalities).
* **Values**: years, text lengths and control characters, vocabularies, web addresses (`check_site_values`,
  with the single-value rules of geo.core.values: `is_web_url`, `parse_number`, `looks_like_formula`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass
from datetime import date

from geo.core.fields import FIELD_BY_NAME, MULTILINE_COLUMNS, TEXT_COLUMNS, URL_COLUMNS, year_value
from geo.core.schema import (
    PRECISIONS,
    STATE_CODES,
    STORED_DECIMALS,
    THEME_SEPARATOR,
)
from geo.core.values import is_web_url, looks_like_formula
from geo.sites.fact_imports import IMPORT_COLUMNS, check_record_facts
from geo.texts import Text, both

# --- constants --------------------------------------------------------------------------------------


SITE_ID_MAX_CHARS = FIELD_BY_NAME["site_id"].max_chars
EARLIEST_YEAR = 1800
YEARS_AHEAD = 10  # a planned opening may lie a few years ahead


def round_coordinate(value: float) -> float:
    return round(float(value), STORED_DECIMALS)


# --- folding ----------------------------------------------------------------------------------------

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SEARCH_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(text: object) -> str:
    """Lower case, umlauts and ß transliterated (ö → oe), accents removed, dashes unified, spaces
    collapsed: 'Görlitz' and 'GOERLITZ' both give 'goerlitz'."""
    text = unicodedata.normalize("NFC", str(text)).strip().casefold().translate(_TRANSLITERATION)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s*-\s*", "-", text)
    text = re.sub(r"\s*/\s*", "/", text)
    return re.sub(r"\s+", " ", text).strip()


def fold_for_search(text: object) -> str:
    """`fold` with ae/oe/ue reduced to a/o/u, so a visitor's 'gorlitz', 'goerlitz' and 'Görlitz' meet."""
    folded = fold(text)
    for digraph, vowel in _SEARCH_DIGRAPHS:
        folded = folded.replace(digraph, vowel)
    return folded


def slugify(name: object) -> str:
    """Stable site id from a name: 'Kühlhaus Görlitz' → 'kuehlhaus-goerlitz' (lowercase ASCII, other
    characters → '-')."""
    text = unicodedata.normalize("NFKD", fold(name)).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


SITE_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def site_id_from_name(name: object) -> str:
    """The id a site without one gets: its name's slug, cut to the id length."""
    return slugify(name)[:SITE_ID_MAX_CHARS].strip("-")


# --- municipality names -----------------------------------------------------------------------------


# --- districts --------------------------------------------------------------------------------------


# --- municipalities ---------------------------------------------------------------------------------


# --- values -----------------------------------------------------------------------------------------

# C0 and C1 control characters; tab, line feed and carriage return are allowed in descriptions only.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_CHARACTERS = re.compile(r"[\t\n\r]")
# Bidirectional overrides can make a name read differently from what it is.
_BIDI_OVERRIDES = re.compile(r"[\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class RuleProblem:
    """A value that breaks a rule: the column, and the reason in German and English."""

    field: str
    message_de: str
    message_en: str


def latest_year() -> int:
    return date.today().year + YEARS_AHEAD


def check_site_values(
    record: MutableMapping[str, object],
    programs: Collection[str],
    themes: Collection[str] | None,
    *,
    required: Collection[str] = ("name", "program"),
    stored_facts: Mapping[str, Mapping[str, object]] | None = None,
) -> list[RuleProblem]:
    """Check the values of one site (texts, or None where empty) and clean them in place: program,
    precision and state lowercased/uppercased as stored, the year as an int, themes trimmed.
    ``required`` names the columns that must not be empty; ``themes`` None skips the theme vocabulary.
    ``stored_facts`` (the site's stored fact rows by field) lets a plot figure equal to the stored one
    keep its stored source; a new or changed figure needs its own (`geo.sites.fact_imports.facts_from_record`)."""
    problems = [
        RuleProblem(
            column, *both(f"rule_missing_{column}" if column in ("name", "program") else "rule_missing", column=column)
        )
        for column in required
        if record.get(column) in (None, "")
    ]
    problems += _text_problems(record)
    problems += _code_problems(record, programs, themes)
    problems += _year_problems(record)
    problems += _url_problems(record)
    # plot facts (area, price, zoning, plan, rail, contact …): the rules the build applies to
    # data/sources/site_facts.csv
    if any(record.get(column) not in (None, "") for column in IMPORT_COLUMNS):  # most rows carry none
        problems.extend(
            RuleProblem(problem.field, problem.message_de, problem.message_en)
            for problem in check_record_facts(record, stored_facts)
        )
    return problems


def _text_problems(record: Mapping[str, object]) -> list[RuleProblem]:
    """Lengths, control characters and reading-order overrides of the text fields."""
    problems = []
    for column in TEXT_COLUMNS:
        text = str(record.get(column) or "")
        if not text:
            continue
        limit = FIELD_BY_NAME[column].max_chars
        if len(text) > limit:
            problems.append(
                RuleProblem(column, *both("rule_text_too_long_count_text", count_text=len(text), limit=limit))
            )
        checked = _LINE_CHARACTERS.sub("", text) if column in MULTILINE_COLUMNS else text
        if _CONTROL_CHARACTERS.search(checked) or (column not in MULTILINE_COLUMNS and _LINE_CHARACTERS.search(text)):
            problems.append(RuleProblem(column, *both("rule_text_contains_control_characters_such")))
        elif _BIDI_OVERRIDES.search(text):
            problems.append(RuleProblem(column, *both("rule_text_contains_characters_override_reading")))
    return problems


def _code_problems(
    record: MutableMapping[str, object], programs: Collection[str], themes: Collection[str] | None
) -> list[RuleProblem]:
    """Program, themes, state and precision: codes of their vocabularies, stored in their case."""
    problems = []
    program = record.get("program")
    if program:
        record["program"] = program = str(program).strip().lower()
        if program not in programs:
            allowed = ", ".join(sorted(programs))
            problems.append(
                RuleProblem(
                    "program", *both("rule_unknown_program_program_allowed_allowed", program=program, allowed=allowed)
                )
            )
    theme_text = record.get("themes")
    if theme_text and themes is not None:
        listed = [theme.strip() for theme in str(theme_text).split(THEME_SEPARATOR) if theme.strip()]
        unknown = [theme for theme in listed if theme not in themes]
        if unknown:
            problems.append(RuleProblem("themes", *both("rule_unknown_themes", themes=", ".join(unknown))))
        record["themes"] = THEME_SEPARATOR.join(listed) or None
    state = record.get("state_code")
    if state:
        record["state_code"] = state = str(state).strip().upper()
        if state not in STATE_CODES.values():
            allowed = ", ".join(sorted(STATE_CODES.values()))
            problems.append(
                RuleProblem(
                    "state_code", *both("rule_unknown_state_state_allowed_allowed", state=state, allowed=allowed)
                )
            )
    precision = record.get("precision")
    if precision:
        record["precision"] = precision = str(precision).strip().lower()
        if precision not in PRECISIONS:
            problems.append(
                RuleProblem(
                    "precision",
                    *both(
                        "rule_unknown_precision_precision_allowed_value",
                        precision=precision,
                        allowed=", ".join(PRECISIONS),
                    ),
                )
            )
    return problems


def _year_problems(record: MutableMapping[str, object]) -> list[RuleProblem]:
    year = record.get("year")
    if year in (None, "") or isinstance(year, int):
        return []
    number = year_value(year)
    if number is None or not EARLIEST_YEAR <= number <= latest_year():
        return [
            RuleProblem(
                "year",
                *both("rule_year_not_year_earliest_year", year=year, earliest=EARLIEST_YEAR, latest=latest_year()),
            )
        ]
    record["year"] = number
    return []


def _url_problems(record: Mapping[str, object]) -> list[RuleProblem]:
    problems = []
    for column in URL_COLUMNS:
        url = str(record.get(column) or "")
        if url and not is_web_url(url):
            scheme_missing = "://" not in url and "." in url and not any(character.isspace() for character in url)
            hint = Text("rule_hint_https", {"url": url}) if scheme_missing else ""
            problems.append(RuleProblem(column, *both("rule_not_a_web_address", shown=url[:120], hint=hint)))
    return problems


def formula_like_columns(record: MutableMapping[str, object]) -> list[str]:
    """The text columns of a site whose value a spreadsheet would run as a formula."""
    return [
        column for column in TEXT_COLUMNS + URL_COLUMNS if record.get(column) and looks_like_formula(record[column])
    ]
