"""The checks of plot figures, shared by the build (data/sources/site_facts.csv) and the import: each
value by its field's kind and unit, each row by its source and date, a table by its lines. A figure that
one accepts the other accepts too; the reasons are texts of geo/texts/site_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from geo.core.formatting import format_number
from geo.core.values import parse_number
from geo.sites.facts import (
    FACT_COLUMNS,
    FIELD_BY_ID,
    REQUIRED_TABLE_COLUMNS,
    VALUE_SEPARATOR,
    VOCABULARIES,
    is_blank,
    is_http_url,
)
from geo.sites.provenance import parse_as_of, qualifier_problem
from geo.texts import Text, both

_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")

_PHONE = re.compile(r"^\+?[0-9][0-9 ()/\-]{5,}$")


@dataclass(frozen=True)
class FactProblem:
    """A fact value that breaks a rule: the field, and the reason in German and English (the same shape
    as geo.sites.rules.RuleProblem, so the importer reports it like any other value)."""

    field: str
    message_de: str
    message_en: str


def _value_problems(field_id: str, value: object, unit: object = "") -> list[FactProblem]:
    field = FIELD_BY_ID.get(str(field_id))
    if field is None:
        known = ", ".join(FACT_COLUMNS)
        return [
            FactProblem(
                str(field_id),
                *both("rule_unknown_fact_field_field_id", field_id=field_id, known=known),
            )
        ]

    def problem(de: str, en: str) -> FactProblem:
        return FactProblem(field.id, de, f"{field.id}: {en}")

    if is_blank(value):
        return [problem(*both("rule_value_empty"))]
    text = str(value).strip()
    unit_text = "" if is_blank(unit) else str(unit).strip()
    problems = []
    if unit_text != field.unit:
        expected = Text("rule_unit_expected", {"unit": field.unit}) if field.unit else Text("rule_no_unit_expected")
        problems.append(problem(*both("rule_unit_given", unit=unit_text, expected=expected)))
    if field.kind == "number":
        number = parse_number(text)
        if number is None:
            problems.append(problem(*both("rule_text_not_number", text=text)))
        elif number < field.minimum:
            problems.append(
                problem(
                    f"{text} liegt unter {format_number(field.minimum, 'de')}.",
                    f"{text} is below {format_number(field.minimum, 'en')}",
                )
            )
    elif field.kind == "vocabulary":
        codes = [code.strip() for code in text.split(VALUE_SEPARATOR)] if field.multi else [text]
        allowed = ", ".join(VOCABULARIES[field.vocabulary])
        if any(code not in VOCABULARIES[field.vocabulary] for code in codes) or not all(codes):
            problems.append(problem(*both("rule_text_not_one_allowed", text=text, allowed=allowed)))
        elif len(set(codes)) != len(codes):
            problems.append(problem(*both("rule_text_repeats_code", text=text)))
    elif field.kind == "date":
        if parse_as_of(text) is None or len(text) != 10:
            problems.append(problem(*both("rule_text_not_date_yyyy_mm", text=text)))
    elif field.kind == "url":
        if not is_http_url(text):
            problems.append(problem(*both("rule_text_not_http_s_address", text=text)))
    elif field.kind == "email":
        if _EMAIL.match(text) is None:
            problems.append(problem(*both("rule_text_not_e_mail_address", text=text)))
    elif field.kind == "phone":
        if _PHONE.match(text) is None:
            problems.append(problem(*both("rule_text_not_phone_number", text=text)))
    elif "\n" in text or len(text) > 300:
        problems.append(
            problem(
                *both("rule_text_must_one_line_at"),
            )
        )
    return problems


def check_value(field_id: str, value: object, unit: object = "") -> list[str]:
    """Problems with one value of `field_id` (empty list when it is fine), in English."""
    return [problem.message_en for problem in _value_problems(field_id, value, unit)]


def row_problems(row: Mapping[str, object], known_site_ids: Iterable[str] | None = None) -> list[FactProblem]:
    """Problems with one fact row (a mapping with the table's columns), in German and English."""
    problems = []
    site_id = "" if is_blank(row.get("site_id")) else str(row["site_id"]).strip()
    if not site_id:
        problems.append(FactProblem("site_id", *both("rule_site_id_empty")))
    elif known_site_ids is not None and site_id not in set(known_site_ids):
        problems.append(FactProblem("site_id", *both("rule_site_id_site_id_names", site_id=site_id)))
    field_id = "" if is_blank(row.get("field")) else str(row["field"]).strip()
    problems.extend(_value_problems(field_id, row.get("value"), row.get("unit")))
    field = FIELD_BY_ID.get(field_id)
    if field is None:
        return problems

    def problem(de: str, en: str) -> None:
        problems.append(FactProblem(field.id, de, f"{field.id}: {en}"))

    qualifier = row.get("qualifier")
    if not is_blank(qualifier):
        reason = qualifier_problem(qualifier)
        if reason is not None:
            problem(*reason)
        elif field.kind != "number":
            problem(*both("rule_qualifier_only_numbers"))
    value_en = row.get("value_en")
    if not is_blank(value_en) and field.kind not in ("text", "name"):
        problem(*both("rule_value_en_only_texts_names"))
    if field.kind == "text" and is_blank(value_en):
        problem(*both("rule_text_needs_english"))
    source = row.get("source_url")
    if field.needs_source and not is_http_url(source):
        problem(
            *both("rule_source_url_must_http_s"),
        )
    elif not is_blank(source) and not is_http_url(source):
        problem(*both("rule_source_url_source_not_http", source=source))
    as_of = row.get("as_of")
    if not is_blank(as_of) and parse_as_of(as_of) is None:
        problem(
            *both("rule_as_as_not_yyyy_mm", as_of=as_of),
        )
    if is_blank(as_of) and not field.needs_source:
        problem(*both("rule_as_empty"))
    return problems


def check_row(row: Mapping[str, object], known_site_ids: Iterable[str] | None = None) -> list[str]:
    """Problems with one fact row, in English (the build's messages)."""
    return [problem.message_en for problem in row_problems(row, known_site_ids)]


def check_table(facts: pd.DataFrame, known_site_ids: Iterable[str] | None = None, first_line: int = 2) -> list[str]:
    """Problems of a whole fact table, each with its line (header = line 1); one figure per site and field."""
    missing = [column for column in REQUIRED_TABLE_COLUMNS if column not in facts.columns]
    if missing:
        return [f"site facts: columns missing: {', '.join(missing)}"]
    known = None if known_site_ids is None else set(known_site_ids)
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for offset, row in enumerate(facts.to_dict("records")):
        line = first_line + offset
        problems.extend(f"site facts line {line}: {problem}" for problem in check_row(row, known))
        key = (str(row.get("site_id", "")).strip(), str(row.get("field", "")).strip())
        if key in seen:
            problems.append(f"site facts line {line}: {key[1]} of {key[0]} already given on line {seen[key]}")
        else:
            seen[key] = line
    return problems
