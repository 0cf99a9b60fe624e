"""Plot facts of a site – area, price, zoning, development plan, rail, motorway, energy, contact – each
figure with its public source.

The facts live as one row per figure (`site_id, field, value, value_en, unit, source_url, as_of, note`):
in `data/sources/site_facts.csv` (curated), in the table `site_facts` of data/sites.gpkg (written by the
build), and derived from there as one column per field on the sites frame the app reads (missing = NaN
for numbers, None otherwise). The build and the importer check rows with the same functions here, so a
figure that one accepts the other accepts too.

A figure is never estimated: every row names the page that states it (`source_url`) and the date of the
figure (`as_of`: YYYY-MM-DD, YYYY-MM or YYYY; empty only when the page itself carries no date, which the
profile then says). `value` is German (or language-neutral: numbers, codes, names); `value_en` is the
English wording of a free text and may stay empty for proper names. `last_verified` is the date the
rows of a site were last checked against their sources; it needs no source of its own.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.core.formatting import format_date, format_number
from geo.core.paths import SOURCES_DIR
from geo.core.values import is_web_url

FACTS_CSV = SOURCES_DIR / "site_facts.csv"
FACTS_LAYER = "site_facts"
FACT_TABLE_COLUMNS = ["site_id", "field", "value", "value_en", "unit", "source_url", "as_of", "note"]
REQUIRED_TABLE_COLUMNS = ("site_id", "field", "value", "unit", "source_url", "as_of")
VALUE_SEPARATOR = ";"  # several zoning codes in one value: "GI;GE"
STALE_AFTER_MONTHS = 12

KINDS = ("number", "text", "name", "date", "vocabulary", "url", "email", "phone")


@dataclass(frozen=True)
class FactField:
    """One fact field: id (also the derived column's name), kind, unit and labels.

    Kinds: `number` (a figure in `unit`), `text` (free text, German with optional English),
    `name` (a proper name, shown as is in both languages, optional English form), `date`, `vocabulary`
    (codes of `vocabulary`, several joined by ";" when `multi`), `url`, `email`, `phone`.
    """

    id: str
    kind: str
    label_de: str
    label_en: str
    unit: str = ""
    vocabulary: str = ""
    multi: bool = False
    needs_source: bool = True
    minimum: float = 0.0

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_de


# Vocabularies: code -> (German label, English label), in the order the filters list them.
ZONING = {
    "GI": ("Industriegebiet (GI)", "Industrial area (GI)"),
    "GE": ("Gewerbegebiet (GE)", "Commercial area (GE)"),
    "SO": ("Sondergebiet (SO)", "Special-use area (SO)"),
    "MI": ("Mischgebiet (MI)", "Mixed-use area (MI)"),
    "MU": ("Urbanes Gebiet (MU)", "Urban area (MU)"),
}
RAIL_SIDING = {
    "yes": ("ja", "yes"),
    "no": ("nein", "no"),
    "unknown": ("unbekannt", "unknown"),
}
PLAN_STATUS = {
    "in_force": ("Bebauungsplan rechtskräftig", "development plan in force"),
    "adopted": ("Bebauungsplan als Satzung beschlossen", "development plan adopted"),
    "draft": ("Bebauungsplan-Entwurf öffentlich ausgelegt", "draft development plan on public display"),
    "in_preparation": ("Bebauungsplan in Aufstellung", "development plan being drawn up"),
    "none": ("kein Bebauungsplan", "no development plan"),
}
VOCABULARIES: dict[str, dict[str, tuple[str, str]]] = {
    "zoning": ZONING,
    "rail_siding": RAIL_SIDING,
    "plan_status": PLAN_STATUS,
}

FIELDS: tuple[FactField, ...] = (
    FactField("area_name", "name", "Angaben beziehen sich auf", "Figures refer to"),
    FactField("area_total_ha", "number", "Gesamtfläche", "Total area", unit="ha"),
    FactField("area_available_ha", "number", "Verfügbare Fläche", "Available area", unit="ha"),
    FactField("largest_plot_ha", "number", "Größtes freies Grundstück", "Largest free plot", unit="ha"),
    FactField("price_eur_m2_min", "number", "Preis ab", "Price from", unit="EUR/m2"),
    FactField("price_eur_m2_max", "number", "Preis bis", "Price up to", unit="EUR/m2"),
    FactField("zoning", "vocabulary", "Gebietsart", "Zoning", vocabulary="zoning", multi=True),
    FactField("plan_status", "vocabulary", "Bebauungsplan", "Development plan", vocabulary="plan_status"),
    FactField("plan_url", "url", "Bebauungsplan (Link)", "Development plan (link)"),
    FactField("rail_siding", "vocabulary", "Gleisanschluss", "Rail siding", vocabulary="rail_siding"),
    FactField("motorway_junction", "name", "Nächste Autobahnanschlussstelle", "Nearest motorway junction"),
    FactField("motorway_km", "number", "Entfernung zur Anschlussstelle", "Distance to the junction", unit="km"),
    FactField("energy_notes", "text", "Energie", "Energy"),
    FactField("contact_org", "name", "Ansprechpartner (Organisation)", "Contact (organisation)"),
    FactField("contact_phone", "phone", "Telefon", "Phone"),
    FactField("contact_email", "email", "E-Mail", "E-mail"),
    FactField("contact_url", "url", "Kontakt (Website)", "Contact (website)"),
    FactField("last_verified", "date", "Zuletzt geprüft", "Last verified", needs_source=False),
)
FIELD_BY_ID: dict[str, FactField] = {field.id: field for field in FIELDS}
FACT_COLUMNS: list[str] = [field.id for field in FIELDS]
# the pages that state a site's figures, space-separated, so downloads carry the sources with the figures
FACT_SOURCES_COLUMN = "fact_sources"
DERIVED_COLUMNS: list[str] = FACT_COLUMNS + [FACT_SOURCES_COLUMN]
NUMBER_COLUMNS: list[str] = [field.id for field in FIELDS if field.kind == "number"]

UNIT_LABELS = {"ha": ("ha", "ha"), "EUR/m2": ("€/m²", "€/m²"), "km": ("km", "km")}

_AS_OF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/\-]{5,}$")


def vocabulary_label(field_id: str, code: str, lang: str) -> str:
    """The label of a vocabulary code in `lang` (an unknown code shows as itself)."""
    labels = VOCABULARIES[FIELD_BY_ID[field_id].vocabulary].get(code)
    return code if labels is None else (labels[1] if lang == "en" else labels[0])


def unit_label(unit: str, lang: str) -> str:
    labels = UNIT_LABELS.get(unit)
    return unit if labels is None else (labels[1] if lang == "en" else labels[0])


def column_header(field_id: str, lang: str) -> str:
    """The field's label with its unit, as a table or CSV column is headed: "Gesamtfläche (ha)"."""
    field = FIELD_BY_ID[field_id]
    unit = unit_label(field.unit, lang)
    return f"{field.label(lang)} ({unit})" if unit else field.label(lang)


# --- dates --------------------------------------------------------------------------------------------


def parse_as_of(text: object) -> dt.date | None:
    """The last day a partial date can mean (`2024` -> 2024-12-31, `2024-03` -> 2024-03-31), so a figure
    is only called old when it certainly is; None for empty or malformed text."""
    match = _AS_OF.match(str(text or "").strip())
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


def is_older_than(text: object, today: dt.date, months: int = STALE_AFTER_MONTHS) -> bool:
    """True when the (possibly partial) date lies more than `months` before `today`, or is missing."""
    date = parse_as_of(text)
    if date is None:
        return True
    year, month = divmod(today.month - 1 - months, 12)
    day = min(today.day, calendar.monthrange(today.year + year, month + 1)[1])
    return date < dt.date(today.year + year, month + 1, day)


def format_as_of(text: object, lang: str) -> str:
    """`2024-03-07` -> 07.03.2024 / 7 Mar 2024; `2024-03` -> 03/2024; `2024` -> 2024."""
    raw = str(text or "").strip()
    match = _AS_OF.match(raw)
    if not match:
        return raw
    year, month, day = match.group(1), match.group(2), match.group(3)
    if day:
        return format_date(dt.date(int(year), int(month), int(day)), lang)
    if month:
        return f"{month}/{year}"
    return year


# --- checks (shared by the build and the importer) ---------------------------------------------------


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def is_http_url(text: object) -> bool:
    """The web address rule of every URL in the atlas (`geo.core.values.is_web_url`), after trimming."""
    return is_web_url(str(text or "").strip())


def parse_number(text: object) -> float | None:
    """A figure from its CSV text: "62.7" or German "62,7"; None if it is not a plain number."""
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d+(?:[.,]\d+)?", raw) is None:
        return None
    return float(raw.replace(",", "."))


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
                f"Unbekanntes Feld „{field_id}“ (bekannt: {known}).",
                f"unknown fact field '{field_id}' (known: {known})",
            )
        ]

    def problem(de: str, en: str) -> FactProblem:
        return FactProblem(field.id, de, f"{field.id}: {en}")

    if _is_blank(value):
        return [problem("Der Wert ist leer.", "the value is empty")]
    text = str(value).strip()
    unit_text = "" if _is_blank(unit) else str(unit).strip()
    problems = []
    if unit_text != field.unit:
        expected_de = f"„{field.unit}“ erwartet" if field.unit else "keine Einheit erwartet"
        expected_en = f"'{field.unit}' expected" if field.unit else "no unit expected"
        problems.append(
            problem(f"Einheit „{unit_text}“ angegeben, {expected_de}.", f"unit '{unit_text}' given, {expected_en}")
        )
    if field.kind == "number":
        number = parse_number(text)
        if number is None:
            problems.append(problem(f"„{text}“ ist keine Zahl.", f"'{text}' is not a number"))
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
            problems.append(problem(f"„{text}“ ist keiner der Werte {allowed}.", f"'{text}' is not one of {allowed}"))
        elif len(set(codes)) != len(codes):
            problems.append(problem(f"„{text}“ nennt einen Wert doppelt.", f"'{text}' repeats a code"))
    elif field.kind == "date":
        if parse_as_of(text) is None or len(text) != 10:
            problems.append(problem(f"„{text}“ ist kein Datum JJJJ-MM-TT.", f"'{text}' is not a date YYYY-MM-DD"))
    elif field.kind == "url":
        if not is_http_url(text):
            problems.append(problem(f"„{text}“ ist keine http(s)-Adresse.", f"'{text}' is not an http(s) address"))
    elif field.kind == "email":
        if _EMAIL.match(text) is None:
            problems.append(problem(f"„{text}“ ist keine E-Mail-Adresse.", f"'{text}' is not an e-mail address"))
    elif field.kind == "phone":
        if _PHONE.match(text) is None:
            problems.append(problem(f"„{text}“ ist keine Telefonnummer.", f"'{text}' is not a phone number"))
    elif "\n" in text or len(text) > 300:
        problems.append(
            problem(
                "Der Text muss eine Zeile mit höchstens 300 Zeichen sein.",
                "text must be one line of at most 300 characters",
            )
        )
    return problems


def check_value(field_id: str, value: object, unit: object = "") -> list[str]:
    """Problems with one value of `field_id` (empty list when it is fine), in English."""
    return [problem.message_en for problem in _value_problems(field_id, value, unit)]


def row_problems(row: Mapping[str, object], known_site_ids: Iterable[str] | None = None) -> list[FactProblem]:
    """Problems with one fact row (a mapping with the table's columns), in German and English."""
    problems = []
    site_id = "" if _is_blank(row.get("site_id")) else str(row["site_id"]).strip()
    if not site_id:
        problems.append(FactProblem("site_id", "site_id ist leer.", "site_id is empty"))
    elif known_site_ids is not None and site_id not in set(known_site_ids):
        problems.append(
            FactProblem(
                "site_id", f"site_id „{site_id}“ bezeichnet keinen Standort.", f"site_id '{site_id}' names no site"
            )
        )
    field_id = "" if _is_blank(row.get("field")) else str(row["field"]).strip()
    problems.extend(_value_problems(field_id, row.get("value"), row.get("unit")))
    field = FIELD_BY_ID.get(field_id)
    if field is None:
        return problems

    def problem(de: str, en: str) -> None:
        problems.append(FactProblem(field.id, de, f"{field.id}: {en}"))

    value_en = row.get("value_en")
    if not _is_blank(value_en) and field.kind not in ("text", "name"):
        problem("value_en gibt es nur für Texte und Namen.", "value_en is only for texts and names")
    if field.kind == "text" and _is_blank(value_en):
        problem("Ein Text braucht seine englische Fassung in value_en.", "a text needs its English wording in value_en")
    source = row.get("source_url")
    if field.needs_source and not is_http_url(source):
        problem(
            "source_url muss die http(s)-Adresse der Seite sein, die die Angabe nennt.",
            "source_url must be the http(s) address of the page that states the figure",
        )
    elif not _is_blank(source) and not is_http_url(source):
        problem(f"source_url „{source}“ ist keine http(s)-Adresse.", f"source_url '{source}' is not an http(s) address")
    as_of = row.get("as_of")
    if not _is_blank(as_of) and parse_as_of(as_of) is None:
        problem(
            f"as_of „{as_of}“ ist nicht JJJJ-MM-TT, JJJJ-MM oder JJJJ.",
            f"as_of '{as_of}' is not YYYY-MM-DD, YYYY-MM or YYYY",
        )
    if _is_blank(as_of) and not field.needs_source:
        problem("as_of ist leer.", "as_of is empty")
    return problems


def check_row(row: Mapping[str, object], known_site_ids: Iterable[str] | None = None) -> list[str]:
    """Problems with one fact row, in English (the build's messages)."""
    return [problem.message_en for problem in row_problems(row, known_site_ids)]


# An imported site row may carry fact columns (`area_available_ha`, `zoning`, …) together with one source
# for them: the page in `facts_source_url`, its date in `facts_as_of`; units are the fields' own.
IMPORT_SOURCE_COLUMN = "facts_source_url"
IMPORT_AS_OF_COLUMN = "facts_as_of"
IMPORT_COLUMNS = tuple(FACT_COLUMNS) + (IMPORT_SOURCE_COLUMN, IMPORT_AS_OF_COLUMN)


StoredFacts = Mapping[str, Mapping[str, object]]  # one site's stored rows by field id


def same_figure(field_id: str, value: object, stored: object) -> bool:
    """True when `value` states the same figure as the `stored` one: numbers by value ("62,7" = 62.7),
    zoning codes in any order, texts after trimming."""
    if _is_blank(value) or _is_blank(stored):
        return _is_blank(value) and _is_blank(stored)
    field = FIELD_BY_ID[field_id]
    if field.kind == "number":
        first = value if isinstance(value, (int, float)) else parse_number(value)
        second = stored if isinstance(stored, (int, float)) else parse_number(stored)
        if first is not None and second is not None:
            return math.isclose(float(first), float(second), rel_tol=1e-9, abs_tol=1e-9)
    if field.kind == "vocabulary" and field.multi:
        return sorted(value_codes(field_id, value)) == sorted(value_codes(field_id, stored))
    return str(value).strip() == str(stored).strip()


def stored_by_site(facts: pd.DataFrame) -> dict[str, dict[str, dict[str, object]]]:
    """The stored fact rows as {site_id: {field: row}}, for comparing an import with the live figures."""
    by_site: dict[str, dict[str, dict[str, object]]] = {}
    for row in facts.reindex(columns=FACT_TABLE_COLUMNS).fillna("").astype(str).to_dict("records"):
        by_site.setdefault(row["site_id"], {})[row["field"]] = row
    return by_site


def facts_from_record(record: Mapping[str, object], site_id: str, stored: StoredFacts | None = None) -> pd.DataFrame:
    """The fact rows that an imported site row carries (its filled fact columns), in table form.

    The one rule for imported figures: a figure equal to the site's stored one (`stored`, its rows by
    field) keeps its stored row, source and date included; a new or changed figure takes the row's
    `facts_source_url` and `facts_as_of` (checked like the build's rows by `row_problems`)."""
    rows = []
    stored = stored or {}
    for field in FIELDS:
        value = record.get(field.id)
        if _is_blank(value):
            continue
        kept = stored.get(field.id)
        if kept is not None and same_figure(field.id, value, kept.get("value")):
            rows.append(
                {column: "" if _is_blank(kept.get(column)) else str(kept.get(column)) for column in FACT_TABLE_COLUMNS}
                | {"site_id": site_id}
            )
            continue
        if field.kind == "number" and isinstance(value, (int, float)):
            value = format(float(value), "g")
        rows.append(
            {
                "site_id": site_id,
                "field": field.id,
                "value": str(value).strip(),
                "value_en": "",
                "unit": field.unit,
                "source_url": ""
                if _is_blank(record.get(IMPORT_SOURCE_COLUMN))
                else str(record[IMPORT_SOURCE_COLUMN]).strip(),
                "as_of": "" if _is_blank(record.get(IMPORT_AS_OF_COLUMN)) else str(record[IMPORT_AS_OF_COLUMN]).strip(),
                "note": "",
            }
        )
    return pd.DataFrame(rows, columns=FACT_TABLE_COLUMNS) if rows else empty_table()


def check_record_facts(record: Mapping[str, object], stored: StoredFacts | None = None) -> list[FactProblem]:
    """Problems with the fact columns of one imported site row, checked exactly as the build checks the
    curated rows. Figures equal to the site's `stored` ones keep their stored source and need none in
    the file; new or changed figures need `facts_source_url` (and `facts_as_of` unless the page carries
    no date, as in the build). A free text there needs no English form: the steward adds it in
    data/sources/site_facts.csv."""
    return imported_rows_problems(facts_from_record(record, "imported", stored))


def imported_rows_problems(rows: pd.DataFrame) -> list[FactProblem]:
    """Problems of the fact rows of one imported site (`facts_from_record`), each named once."""
    problems: list[FactProblem] = []
    for row in rows.to_dict("records"):
        for problem in row_problems(row):
            if problem.message_en.endswith("a text needs its English wording in value_en"):
                continue
            # an imported row names the source and date of its figures in columns of their own
            problem = FactProblem(
                problem.field,
                _IMPORT_COLUMN_NAMES.sub(r"facts_\1", problem.message_de),
                _IMPORT_COLUMN_NAMES.sub(r"facts_\1", problem.message_en),
            )
            if problem not in problems:
                problems.append(problem)
    return problems


_IMPORT_COLUMN_NAMES = re.compile(r"\b(source_url|as_of)\b")


def merge_imported_facts(
    stored: pd.DataFrame, imported: Mapping[str, pd.DataFrame], fields: Iterable[str], kept_site_ids: Iterable[str]
) -> tuple[pd.DataFrame, dict[str, list[tuple[str, str, str]]]]:
    """The fact table after an import, and what changed per site as (field, old value, new value).

    `imported` holds each imported site's rows (`facts_from_record`); for those sites the rows of the
    `fields` the file has (its fact columns) are replaced, an empty cell removing the figure. Sites not
    in `kept_site_ids` (removed by the import) lose their rows."""
    fields = [field_id for field_id in FACT_COLUMNS if field_id in set(fields)]
    kept = set(kept_site_ids)
    table = stored.reindex(columns=FACT_TABLE_COLUMNS).fillna("").astype(str)
    table = table[table["site_id"].isin(kept)]
    before = stored_by_site(table)
    changes: dict[str, list[tuple[str, str, str]]] = {}
    for site_id, rows in imported.items():
        if site_id not in kept:
            continue
        after = stored_by_site(normalised(rows)).get(site_id, {})
        old_rows = before.get(site_id, {})
        for field_id in fields:
            old, new = old_rows.get(field_id), after.get(field_id)
            if old is None and new is None:
                continue
            if (
                old is not None
                and new is not None
                and all(str(old.get(column, "")) == str(new.get(column, "")) for column in FACT_TABLE_COLUMNS)
            ):
                continue
            changes.setdefault(site_id, []).append(
                (field_id, "" if old is None else str(old["value"]), "" if new is None else str(new["value"]))
            )
        table = table[~((table["site_id"] == site_id) & table["field"].isin(fields))]
    additions = [
        rows[rows["field"].isin(fields)] for site_id, rows in imported.items() if site_id in kept and len(rows)
    ]
    merged = pd.concat([table, *additions], ignore_index=True) if additions else table
    return normalised(merged), changes


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


# --- reading, deriving, writing -----------------------------------------------------------------------


def empty_table() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in FACT_TABLE_COLUMNS})


def read_facts_csv(path: Path = FACTS_CSV) -> pd.DataFrame:
    """The curated fact rows as text (blank cells as ""), in file order; a missing file means no facts."""
    if not Path(path).exists():
        return empty_table()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = pd.DataFrame(rows, columns=list(rows[0].keys()) if rows else FACT_TABLE_COLUMNS)
    for column in FACT_TABLE_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    return table[FACT_TABLE_COLUMNS].fillna("").astype(str).apply(lambda column: column.str.strip())


def normalised(facts: pd.DataFrame) -> pd.DataFrame:
    """Checked rows in stored form: numbers with a decimal point, sorted by site and field order."""
    table = facts.reindex(columns=FACT_TABLE_COLUMNS).fillna("").astype(str).copy()
    for index, row in table.iterrows():
        field = FIELD_BY_ID.get(row["field"])
        if field is not None and field.kind == "number":
            number = parse_number(row["value"])
            if number is not None:
                table.at[index, "value"] = format(number, "g") if abs(number) < 1e15 else row["value"]
    order = {field_id: position for position, field_id in enumerate(FACT_COLUMNS)}
    table["_order"] = table["field"].map(order).fillna(len(order))
    table = table.sort_values(["site_id", "_order"], kind="stable").drop(columns="_order")
    return table.reset_index(drop=True)


def typed_value(field_id: str, value: object) -> object:
    """The value as the derived column holds it: float for numbers, text otherwise (None when blank)."""
    if _is_blank(value):
        return math.nan if FIELD_BY_ID[field_id].kind == "number" else None
    if FIELD_BY_ID[field_id].kind == "number":
        number = parse_number(value)
        return math.nan if number is None else number
    return str(value).strip()


def fact_columns(facts: pd.DataFrame, site_ids: Iterable[str]) -> pd.DataFrame:
    """One column per fact field for `site_ids` (in that order): floats for numbers, text or None else;
    then `fact_sources`, the source pages of the site's figures."""
    ids = list(site_ids)
    by_site: dict[str, dict[str, object]] = {}
    sources: dict[str, list[str]] = {}
    for row in normalised(facts).to_dict("records") if len(facts) else []:
        if row.get("field") in FIELD_BY_ID:
            by_site.setdefault(str(row["site_id"]), {})[row["field"]] = typed_value(row["field"], row.get("value"))
            if is_http_url(row.get("source_url")):
                listed = sources.setdefault(str(row["site_id"]), [])
                if row["source_url"] not in listed:
                    listed.append(row["source_url"])
    columns = {}
    for field in FIELDS:
        values = [by_site.get(site_id, {}).get(field.id) for site_id in ids]
        if field.kind == "number":
            columns[field.id] = pd.Series([math.nan if v is None else v for v in values], dtype="float64")
        else:
            columns[field.id] = pd.Series(values, dtype="object")
    columns[FACT_SOURCES_COLUMN] = pd.Series(
        [" ".join(sources[site_id]) if site_id in sources else None for site_id in ids], dtype="object"
    )
    return pd.DataFrame(columns)


def with_fact_columns(sites: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """`sites` with the derived fact columns (replacing any it already has)."""
    derived = fact_columns(facts, sites["site_id"].astype(str))
    derived.index = sites.index
    result = sites.drop(columns=[column for column in DERIVED_COLUMNS if column in sites.columns])
    for column in DERIVED_COLUMNS:
        result[column] = derived[column]
    return result


def site_rows(facts: pd.DataFrame, site_id: str) -> pd.DataFrame:
    """The fact rows of one site, in field order."""
    chosen = facts[facts["site_id"] == site_id]
    order = {field_id: position for position, field_id in enumerate(FACT_COLUMNS)}
    return chosen.assign(_order=chosen["field"].map(order)).sort_values("_order").drop(columns="_order")


# --- display ------------------------------------------------------------------------------------------


def format_value(field_id: str, value: object, lang: str, value_en: object = None, with_unit: bool = True) -> str:
    """A value as the visitor reads it in `lang` ("" when blank)."""
    field = FIELD_BY_ID[field_id]
    if _is_blank(value):
        return ""
    if field.kind == "number":
        number = parse_number(value) if not isinstance(value, (int, float)) else float(value)
        if number is None or math.isnan(number):
            return ""
        decimals = 0 if float(number).is_integer() else (1 if round(number, 1) == number else 2)
        text = format_number(number, lang, decimals)
        return f"{text}\u00a0{unit_label(field.unit, lang)}" if with_unit and field.unit else text
    if field.kind == "vocabulary":
        codes = str(value).split(VALUE_SEPARATOR) if field.multi else [str(value)]
        return ", ".join(vocabulary_label(field_id, code.strip(), lang) for code in codes if code.strip())
    if field.kind == "date":
        return format_as_of(value, lang)
    if field.kind in ("text", "name") and lang == "en" and not _is_blank(value_en):
        return str(value_en).strip()
    return str(value).strip()


def value_codes(field_id: str, value: object) -> tuple[str, ...]:
    """The vocabulary codes of a value ("GI;GE" -> ("GI", "GE")); () when blank."""
    if _is_blank(value):
        return ()
    field = FIELD_BY_ID[field_id]
    codes = str(value).split(VALUE_SEPARATOR) if field.multi else [str(value)]
    return tuple(code.strip() for code in codes if code.strip())
