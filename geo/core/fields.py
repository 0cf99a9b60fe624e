"""The fields of a site (layer `sites` of data/sites.gpkg), each declared once: name, kind, heading, checks,
and whether an import compares it and the download carries it.

Everything that handles a site's columns reads this table: the data contract (`SITE_COLUMNS`), the rules
of the build and the import (which columns are one-line text, multi-line text, web addresses, their
longest value), the comparison of an import with the live sites, the profile's links and the CSV download's
headings. A new field is a line here, its heading in geo/texts/ (both languages) and, if the curated list
carries it, a column of data/sources/sites.csv; docs/ARCHITECTURE.md lists the rest.

The plot facts (area, price, zoning …) are fields of their own, declared in geo/sites/facts.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.core.values import parse_number

# kinds: the site id; a code of a vocabulary (program, state); a key of the official register (AGS); a
# one-line text; a multi-line text; theme codes joined by ";"; a year; a web address; a precision word;
# a date (YYYY-MM-DD)
KINDS = ("id", "code", "ags", "text", "multiline", "themes", "year", "url", "precision", "date")


@dataclass(frozen=True)
class SiteField:
    name: str
    kind: str
    heading: str  # the text key of its heading (tables, CSV, profile)
    max_chars: int = 0  # the longest text a rule accepts (text kinds)
    compared: bool = True  # an import lists a change of it (not `updated`, which every change sets)
    derived: bool = False  # computed from the point (state, district, municipality keys), not given in a file


SITE_FIELDS: tuple[SiteField, ...] = (
    SiteField("site_id", "id", "csv_site_id", max_chars=120),
    SiteField("name", "text", "column_name", max_chars=200),
    SiteField("program", "code", "column_program"),
    SiteField("state_code", "code", "column_state", derived=True),
    SiteField("district_ags", "ags", "column_ags", derived=True),
    SiteField("municipality_ags", "ags", "csv_municipality_key", derived=True),
    SiteField("municipality", "text", "column_municipality", max_chars=2000),
    SiteField("locality", "text", "column_locality", max_chars=2000),
    SiteField("themes", "themes", "column_themes", max_chars=2000),
    SiteField("description_de", "multiline", "site_profile_description", max_chars=2000),
    SiteField("description_en", "multiline", "site_profile_description", max_chars=2000),
    SiteField("year", "year", "csv_program_year"),
    SiteField("website", "url", "site_profile_website"),
    SiteField("precision", "precision", "column_precision"),
    SiteField("source_url", "url", "site_profile_source"),
    SiteField("coord_source_url", "url", "site_profile_location_source"),
    SiteField("updated", "date", "csv_updated", compared=False),
)
FIELD_BY_NAME = {field.name: field for field in SITE_FIELDS}
SITE_COLUMNS: list[str] = [field.name for field in SITE_FIELDS]
TEXT_COLUMNS = tuple(field.name for field in SITE_FIELDS if field.kind in ("text", "themes", "multiline"))
MULTILINE_COLUMNS = tuple(field.name for field in SITE_FIELDS if field.kind == "multiline")
URL_COLUMNS = tuple(field.name for field in SITE_FIELDS if field.kind == "url")
COMPARED_COLUMNS = tuple(field.name for field in SITE_FIELDS if field.compared)


def year_value(value: object) -> int | None:
    """A year as the sites hold it (an integer), from a cell, a number or text such as "2019" or "2019,0";
    None when empty or not a whole number. The one place a year is converted."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    number = float(value) if isinstance(value, int | float) else parse_number(str(value))
    return int(number) if number is not None and number.is_integer() else None


def with_typed_columns(sites: pd.DataFrame) -> pd.DataFrame:
    """`sites` with each declared field in its stored type (years as nullable integers)."""
    typed = sites.copy()
    for field in SITE_FIELDS:
        if field.kind == "year" and field.name in typed.columns:
            typed[field.name] = pd.array([year_value(value) for value in typed[field.name]], dtype="Int64")
    return typed
