"""How complete the atlas is for each program, in plain words, German and English.

Two counts meet here. The count a program publishes itself (or, where it publishes none, a public report
of it) is curated in data/sources/program_completeness.csv with its source, its date and three facts about
it: whether it is exact or a lower bound ("über 20", "mindestens"), whether it covers only the atlas's
four states or all of Germany, and whether the program's list of places could be read. The count the atlas
has is never typed: it is counted from the sites at the moment a page asks. The data page and the slides
both read the count through this module, so a claim is worded the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from geo.core.formatting import format_number
from geo.core.paths import SOURCES_DIR
from geo.core.schema import programs
from geo.core.values import is_web_url
from geo.sites.provenance import format_as_of, parse_as_of
from geo.texts import t

PROGRAM_CLAIMS_CSV = SOURCES_DIR / "program_completeness.csv"
CLAIM_COLUMNS = (
    "program",
    "claimed_count",
    "count_qualifier",
    "claim_scope",
    "list_public",
    "as_of",
    "claim_de",
    "claim_en",
    "source_url",
)
# exact: "12 Orte"; at_least: "mindestens 28"; more_than: "über 20"
COUNT_QUALIFIERS = ("exact", "at_least", "more_than")
# atlas: every counted place lies in the atlas's four states; germany: the count includes places elsewhere
CLAIM_SCOPES = ("atlas", "germany")
# yes: the list of places could be read; partial: the program names only some of the places it counts;
# no: the list could not be reached
LIST_STATES = ("yes", "partial", "no")


class ProgramClaimsError(ValueError):
    """program_completeness.csv breaks a rule; the message names the row, the column and the value."""


def _blank(value: object) -> bool:
    return str(value if value is not None else "").strip() == ""


def _row_problems(number: int, row: pd.Series, known: dict) -> list[str]:
    problems: list[str] = []

    def bad(column: str, rule: str) -> None:
        problems.append(f"row {number}, {column} = {row[column]!r}: {rule}")

    if row["program"] not in known:
        bad("program", f"not a program of programs.csv ({', '.join(known)})")
    for column, allowed in (
        ("count_qualifier", COUNT_QUALIFIERS),
        ("claim_scope", CLAIM_SCOPES),
        ("list_public", LIST_STATES),
    ):
        if not _blank(row[column]) and row[column] not in allowed:
            bad(column, f"one of {', '.join(allowed)}")
    if not _blank(row["claimed_count"]):
        if not str(row["claimed_count"]).strip().isdigit() or int(row["claimed_count"]) < 1:
            bad("claimed_count", "a whole number of places (1 or more)")
        for column in ("count_qualifier", "claim_scope", "list_public", "source_url"):
            if _blank(row[column]):
                bad(column, "needed with a claimed count")
    if not _blank(row["as_of"]) and parse_as_of(row["as_of"]) is None:
        bad("as_of", "a date as YYYY-MM-DD, YYYY-MM or YYYY")
    if not _blank(row["source_url"]) and not is_web_url(str(row["source_url"]).strip()):
        bad("source_url", "an http(s) address")
    for column in ("claim_de", "claim_en"):
        if _blank(row[column]):
            bad(column, "the claim in German and English")
    return problems


def claim_problems(table: pd.DataFrame) -> list[str]:
    """Every rule a row of program_completeness.csv breaks, each naming the row (as in a spreadsheet,
    the header being row 1), the column and the value; an empty list for a good table."""
    missing = [column for column in CLAIM_COLUMNS if column not in table.columns]
    if missing:
        return [f"columns missing: {', '.join(missing)}"]
    known = programs()
    problems = [
        problem
        for number, (_, row) in enumerate(table.iterrows(), start=2)
        for problem in _row_problems(number, row, known)
    ]
    duplicated = sorted(set(table.loc[table["program"].duplicated(), "program"]))
    if duplicated:
        problems.append(f"programs listed twice: {', '.join(duplicated)}")
    return problems


def read_program_claims(path: Path = PROGRAM_CLAIMS_CSV) -> pd.DataFrame:
    """program_completeness.csv as text, checked; raises ProgramClaimsError naming every bad value."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems = claim_problems(table)
    if problems:
        raise ProgramClaimsError(f"{path.name}: " + "; ".join(problems))
    return table


def _count(claim: Mapping[str, object]) -> int | None:
    text = str(claim.get("claimed_count") or "").strip()
    return int(text) if text.isdigit() else None


def claimed_count_text(claim: Mapping[str, object], lang: str) -> str:
    """The program's count as it says it: "12", "mindestens 28" / "at least 28", "über 20" / "more than
    20"; "" when it states none."""
    count = _count(claim)
    if count is None:
        return ""
    qualifier = str(claim.get("count_qualifier") or "exact")
    number = format_number(count, lang)
    return number if qualifier == "exact" else t(f"claimed_{qualifier}", lang, count=number)


def _fraction_words(shown: int, claimed: float, lang: str) -> str:
    share = shown / claimed if claimed else 0
    for threshold, key in (
        (1.0, "fraction_all"),
        (0.8, "fraction_almost_all"),
        (0.6, "fraction_most"),
        (0.4, "fraction_about_half"),
        (0.2, "fraction_some"),
    ):
        if share >= threshold:
            return t(key, lang)
    return t("fraction_few", lang)


def completeness_sentence(shown: int, claim: Mapping[str, object], lang: str) -> str:
    """How complete the atlas is for a program, in plain words.

    "12 von 12 Orten, die die Quelle zählt (alle)"; "9 von mindestens 28 Orten …"; for a count that takes
    in all of Germany: "32 Orte in den vier Ländern; die Quelle zählt 47 in ganz Deutschland"; without a
    count: "9 Orte; die Quelle nennt keine Gesamtzahl". `shown` is the atlas's own count of the program.
    """
    count = _count(claim)
    if count is None:
        return t("completeness_no_claim", lang, shown=shown)
    claimed = claimed_count_text(claim, lang)
    if claim.get("claim_scope") == "germany":
        return t("completeness_germany", lang, shown=shown, claimed=claimed)
    if shown > count or (shown == count and claim.get("count_qualifier") != "exact"):
        key = "completeness_more_than_claimed" if claim.get("count_qualifier") == "exact" else "completeness_reached"
        return t(key, lang, shown=shown, claimed=claimed)
    fraction = _fraction_words(shown, count, lang)
    return t("completeness_of_claimed", lang, shown=shown, claimed=claimed, fraction=fraction)


def list_status_text(claim: Mapping[str, object], lang: str) -> str:
    """Whether the program's list of places could be read, in words; "–" where nothing is recorded."""
    status = str(claim.get("list_public") or "")
    return t(f"list_public_{status}", lang) if status in LIST_STATES else "–"


def program_completeness(sites: pd.DataFrame, claims: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per program of the vocabulary: label, explanation, who runs it, the count the atlas shows
    (counted from `sites`), the count the program publishes as it says it, the sentence of
    `completeness_sentence`, whether its list could be read, the source's claim, its date and URL."""
    shown = sites["program"].value_counts()
    by_program = {row["program"]: row for row in claims.to_dict("records")}
    records = []
    for program, row in programs().items():
        claim = by_program.get(program, {})
        count = int(shown.get(program, 0))
        records.append(
            {
                "program": program,
                "label": row[f"label_{lang}"],
                "explanation": row[f"explanation_{lang}"],
                "run_by": row["run_by"],
                "shown": count,
                "claimed": claimed_count_text(claim, lang) or "–",
                "completeness": completeness_sentence(count, claim, lang),
                "list_public": list_status_text(claim, lang),
                "claim": str(claim.get(f"claim_{lang}") or ""),
                "as_of": format_as_of(claim.get("as_of"), lang) or "–",
                "source_url": str(claim.get("source_url") or row["source_url"] or ""),
            }
        )
    return pd.DataFrame(records)
