"""Plot facts of a site – area, price, zoning, development plan, rail, motorway, energy, contact – each
figure with its public source.

The facts live as one row per figure (`site_id, field, value, value_en, unit, qualifier, source_url, as_of,
note`):
in `data/sources/site_facts.csv` (curated), in the table `site_facts` of data/sites.gpkg (written by the
build), and derived from there as one column per field on the sites frame the app reads (missing = NaN
for numbers, None otherwise). The build and the importer check rows with the same functions here, so a
figure that one accepts the other accepts too.

A figure is never estimated: every row names the page that states it (`source_url`) and the date of the
figure (`as_of`: YYYY-MM-DD, YYYY-MM or YYYY; empty only when the page itself carries no date, which the
profile then says). `value` is German (or language-neutral: numbers, codes, names); `value_en` is the
English wording of a free text and may stay empty for proper names. `qualifier` says what a number's
source states it as: `about` ("rund 150 ha"), `at_least` ("über 30 ha"), `at_most` ("kein Areal größer
als 5 ha"), or empty for the figure as stated; it is shown as ≈, ≥, ≤ before the value. How a figure's date
is shown and when it counts as old is the one rule of `geo.sites.provenance`. `last_verified` is the date
the rows of a site were last checked against their sources; it needs no source of its own.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from geo.core.formatting import format_number
from geo.core.paths import SOURCES_DIR
from geo.core.values import is_web_url, parse_number
from geo.sites.provenance import format_as_of, qualified
from geo.texts import pick, t

FACTS_CSV = SOURCES_DIR / "site_facts.csv"
FACTS_LAYER = "site_facts"
FACT_TABLE_COLUMNS = ["site_id", "field", "value", "value_en", "unit", "qualifier", "source_url", "as_of", "note"]
REQUIRED_TABLE_COLUMNS = ("site_id", "field", "value", "unit", "source_url", "as_of")
VALUE_SEPARATOR = ";"  # several zoning codes in one value: "GI;GE"

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
    unit: str = ""
    vocabulary: str = ""
    multi: bool = False
    needs_source: bool = True
    minimum: float = 0.0

    def label(self, lang: str) -> str:
        """The field's label (the text fact_<id>, geo/texts/facts.py)."""
        return t(f"fact_{self.id}", lang)


# Vocabularies: their codes, in the order the filters list them; the labels are the texts
# fact_<vocabulary>_<code> (geo/texts/facts.py).
ZONING = ("GI", "GE", "SO", "MI", "MU")
RAIL_SIDING = ("yes", "no", "unknown")
PLAN_STATUS = ("in_force", "adopted", "draft", "in_preparation", "none")
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "zoning": ZONING,
    "rail_siding": RAIL_SIDING,
    "plan_status": PLAN_STATUS,
}

FIELDS: tuple[FactField, ...] = (
    FactField("area_name", "name"),
    FactField("area_total_ha", "number", unit="ha"),
    FactField("area_available_ha", "number", unit="ha"),
    FactField("largest_plot_ha", "number", unit="ha"),
    FactField("price_eur_m2_min", "number", unit="EUR/m2"),
    FactField("price_eur_m2_max", "number", unit="EUR/m2"),
    FactField("zoning", "vocabulary", vocabulary="zoning", multi=True),
    FactField("plan_status", "vocabulary", vocabulary="plan_status"),
    FactField("plan_url", "url"),
    FactField("rail_siding", "vocabulary", vocabulary="rail_siding"),
    FactField("motorway_junction", "name"),
    FactField("motorway_km", "number", unit="km"),
    FactField("energy_notes", "text"),
    FactField("contact_org", "name"),
    FactField("contact_phone", "phone"),
    FactField("contact_email", "email"),
    FactField("contact_url", "url"),
    FactField("last_verified", "date", needs_source=False),
)
FIELD_BY_ID: dict[str, FactField] = {field.id: field for field in FIELDS}
FACT_COLUMNS: list[str] = [field.id for field in FIELDS]
# the pages that state a site's figures, space-separated, so downloads carry the sources with the figures
FACT_SOURCES_COLUMN = "fact_sources"
DERIVED_COLUMNS: list[str] = FACT_COLUMNS + [FACT_SOURCES_COLUMN]
NUMBER_COLUMNS: list[str] = [field.id for field in FIELDS if field.kind == "number"]

UNITS = ("ha", "EUR/m2", "km")  # their labels are the texts unit_<unit> (geo/texts/facts.py)


def vocabulary_label(field_id: str, code: str, lang: str) -> str:
    """The label of a vocabulary code in `lang` (an unknown code shows as itself)."""
    vocabulary = FIELD_BY_ID[field_id].vocabulary
    return t(f"fact_{vocabulary}_{code}", lang) if code in VOCABULARIES[vocabulary] else code


def unit_label(unit: str, lang: str) -> str:
    """ "€/m²" for EUR/m2 (the texts unit_<unit>); an unknown unit shows as itself."""
    return t("unit_" + re.sub(r"[^a-z0-9]+", "_", unit.lower()).strip("_"), lang) if unit in UNITS else unit


def column_header(field_id: str, lang: str) -> str:
    """The field's label with its unit, as a table or CSV column is headed: "Gesamtfläche (ha)"."""
    field = FIELD_BY_ID[field_id]
    unit = unit_label(field.unit, lang)
    return f"{field.label(lang)} ({unit})" if unit else field.label(lang)


# --- checks (shared by the build and the importer) ---------------------------------------------------


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def is_http_url(text: object) -> bool:
    """The web address rule of every URL in the atlas (`geo.core.values.is_web_url`), after trimming."""
    return is_web_url(str(text or "").strip())


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
    table = facts.reindex(columns=FACT_TABLE_COLUMNS).astype(object).fillna("").astype(str).copy()
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
    if is_blank(value):
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


def format_value(
    field_id: str,
    value: object,
    lang: str,
    value_en: object = None,
    with_unit: bool = True,
    qualifier: object = None,
) -> str:
    """A value as the visitor reads it in `lang` ("" when blank); a number with its `qualifier`'s sign
    before it ("≥ 30 ha")."""
    field = FIELD_BY_ID[field_id]
    if is_blank(value):
        return ""
    if field.kind == "number":
        number = parse_number(value) if not isinstance(value, (int, float)) else float(value)
        if number is None or math.isnan(number):
            return ""
        decimals = 0 if float(number).is_integer() else (1 if round(number, 1) == number else 2)
        text = format_number(number, lang, decimals)
        text = f"{text}\u00a0{unit_label(field.unit, lang)}" if with_unit and field.unit else text
        return qualified(text, qualifier)
    if field.kind == "vocabulary":
        codes = str(value).split(VALUE_SEPARATOR) if field.multi else [str(value)]
        return ", ".join(vocabulary_label(field_id, code.strip(), lang) for code in codes if code.strip())
    if field.kind == "date":
        return format_as_of(value, lang)
    if field.kind in ("text", "name") and not is_blank(value_en):
        return pick(lang, str(value).strip(), str(value_en).strip())
    return str(value).strip()


def value_codes(field_id: str, value: object) -> tuple[str, ...]:
    """The vocabulary codes of a value ("GI;GE" -> ("GI", "GE")); () when blank."""
    if is_blank(value):
        return ()
    field = FIELD_BY_ID[field_id]
    codes = str(value).split(VALUE_SEPARATOR) if field.multi else [str(value)]
    return tuple(code.strip() for code in codes if code.strip())
