"""Plot facts of a site (area, price, zoning, contact …), rendered generically from geo/site_facts.py.

The fact fields are declared in `geo.site_facts` (id, kind, unit, German and English label); the sites
frame carries one column per field, and `data/sites.gpkg` keeps each value's source and date in its
table `site_facts`. Most sites have few or no facts yet: only what exists is shown, each with its source.
Until `geo.site_facts` exists, a site simply has no facts here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pyogrio

from geo.formatting import format_number
from geo.site_profile import safe_url

FACTS_TABLE = "site_facts"
CONTACT_FIELD_PREFIX = "contact_"


@dataclass(frozen=True)
class FactField:
    field_id: str
    kind: str  # number, text, date, vocabulary, url
    unit: str
    label_de: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_de


@dataclass(frozen=True)
class SiteFact:
    """One fact of one site, formatted for reading; `url` when the value is a link."""

    field_id: str
    label: str
    value: str
    url: str = ""
    source_url: str = ""
    as_of: str = ""

    @property
    def source_host(self) -> str:
        return urlsplit(self.source_url).netloc if self.source_url else ""

    @property
    def is_contact(self) -> bool:
        return self.field_id.startswith(CONTACT_FIELD_PREFIX)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _field_from_declaration(declared: object) -> FactField | None:
    """A FactField of whatever geo.site_facts declares (a dataclass or a mapping with the contract's keys)."""
    get = declared.get if isinstance(declared, dict) else (lambda key, default=None: getattr(declared, key, default))
    field_id = get("field_id") or get("id") or get("field") or get("name")
    if not field_id:
        return None
    label = get("label")
    label_de = get("label_de") or (label.get("de") if isinstance(label, dict) else None) or str(field_id)
    label_en = get("label_en") or (label.get("en") if isinstance(label, dict) else None) or label_de
    return FactField(str(field_id), _text(get("kind") or "text"), _text(get("unit") or ""), str(label_de), str(label_en))


def fact_fields() -> tuple[FactField, ...]:
    """The declared fact fields in declaration order; () while geo/site_facts.py does not exist."""
    try:
        module = importlib.import_module("geo.site_facts")
    except ModuleNotFoundError:
        return ()
    declared = next((getattr(module, name) for name in ("FACT_FIELDS", "FIELDS", "SITE_FACT_FIELDS")
                     if hasattr(module, name)), ())
    if isinstance(declared, dict):
        declared = [value if not isinstance(value, dict) or "id" in value else {"id": key, **value}
                    for key, value in declared.items()]
    fields = (_field_from_declaration(item) for item in declared)
    return tuple(field for field in fields if field is not None)


def read_fact_sources(sites_gpkg: Path) -> pd.DataFrame:
    """The `site_facts` table of a sites GeoPackage (source and date of each value); empty if absent."""
    columns = ["site_id", "field", "value", "unit", "source_url", "as_of"]
    try:
        if sites_gpkg.exists() and FACTS_TABLE in {name for name, _ in pyogrio.list_layers(sites_gpkg)}:
            table = pd.DataFrame(pyogrio.read_dataframe(sites_gpkg, layer=FACTS_TABLE, read_geometry=False))
            return table.reindex(columns=columns)
    except Exception:  # a damaged table must not stop an exposé: the facts then show without sources
        pass
    return pd.DataFrame(columns=columns)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return str(value).strip() == ""


def _format_value(field: FactField, value: object, lang: str) -> tuple[str, str]:
    """(text, link) of a value of `field`."""
    if field.kind == "number":
        try:
            number = float(value)
        except (TypeError, ValueError):
            return _text(value), ""
        decimals = 0 if number.is_integer() else (1 if abs(number) >= 10 else 2)
        text = format_number(number, lang, decimals)
        return (f"{text}\u00a0{field.unit}" if field.unit else text), ""
    if field.kind == "url":
        url = safe_url(value)
        return (urlsplit(url).netloc + urlsplit(url).path.rstrip("/") if url else _text(value)), url
    if field.kind == "date":
        try:
            date = pd.Timestamp(value).date()
            return (date.strftime("%d.%m.%Y") if lang == "de" else date.isoformat()), ""
        except (TypeError, ValueError):
            return _text(value), ""
    if field.field_id == "contact_email" and "@" in _text(value):
        return _text(value), f"mailto:{_text(value).strip()}"
    text = _text(value)
    return (f"{text}\u00a0{field.unit}" if field.unit and field.kind != "vocabulary" else text), ""


def site_facts_of(site: pd.Series, fact_sources: pd.DataFrame, lang: str,
                  fields: tuple[FactField, ...] | None = None) -> tuple[SiteFact, ...]:
    """The facts `site` has (declared fields with a value), in declaration order, with source and date."""
    fields = fact_fields() if fields is None else fields
    own = fact_sources[fact_sources["site_id"] == site.get("site_id")] if not fact_sources.empty else fact_sources
    sources = {row["field"]: row for row in own.to_dict("records")}
    facts = []
    for field in fields:
        value = site.get(field.field_id)
        if _is_missing(value) and field.field_id in sources:
            value = sources[field.field_id].get("value")
        if _is_missing(value):
            continue
        text, url = _format_value(field, value, lang)
        source = sources.get(field.field_id, {})
        as_of = source.get("as_of")
        if isinstance(as_of, (dt.date, pd.Timestamp)):
            as_of = as_of.isoformat()[:10]
        facts.append(SiteFact(field.field_id, field.label(lang), text, url, safe_url(source.get("source_url")),
                              "" if _is_missing(as_of) else str(as_of)))
    return tuple(facts)
