"""Plot facts of a site (area, price, zoning, contact …) as every view reads them: the profile, the
comparison, the exposé and the sites table.

The fields and their formatting come from `geo.sites.facts` (id, kind, unit, German and English label,
the qualifier's sign); each figure's date and whether it is stale from the one rule of
`geo.sites.provenance`; the values with their sources from the `site_facts` table of data/sites.gpkg. Most
sites have few or no facts yet: only what exists is shown, and a figure without its source is not shown
at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from geo import store
from geo.core.values import safe_url
from geo.sites import fact_checks
from geo.sites import facts as site_facts
from geo.sites.provenance import FigureAge, figure_age, format_as_of

CONTACT_FIELD_PREFIX = "contact_"
LINK_FIELDS = ("plan_url", "contact_url")


@dataclass(frozen=True)
class SiteFact:
    """One fact of one site, formatted for reading (a number with its qualifier's sign: "≥ 30 ha"); `url`
    when the value is a link; `age` its date and whether it is stale."""

    field_id: str
    label: str
    value: str
    url: str = ""
    source_url: str = ""
    age: FigureAge = FigureAge("", True)
    qualifier: str = ""
    raw: str = ""  # the value as stored ("30", "GI;GE"), for cells that format it their own way

    @property
    def source_host(self) -> str:
        return urlsplit(self.source_url).netloc if self.source_url else ""

    @property
    def is_contact(self) -> bool:
        return self.field_id.startswith(CONTACT_FIELD_PREFIX)


def read_fact_sources(sites_gpkg: Path, site_ids: Iterable[str]) -> pd.DataFrame:
    """The facts of the sites `site_ids` in a sites GeoPackage (one row per figure): its `site_facts`
    table, or the curated rows when a store write left only the sites layer (`geo.store.read_facts`)."""
    return store.read_facts(sites_gpkg, site_ids)


def _value_link(field_id: str, value: str) -> str:
    """The link a fact value itself carries: the plan or contact page, or a mailto: for an e-mail."""
    if field_id in LINK_FIELDS:
        return safe_url(value)
    if field_id == "contact_email" and fact_checks.check_value("contact_email", value) == []:
        return f"mailto:{value}"
    return ""


def _blank(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def site_facts_of(
    site_id: object, facts: pd.DataFrame | None, lang: str, today: dt.date | None = None
) -> tuple[SiteFact, ...]:
    """The sourced facts of the site `site_id` (or a row of the sites frame) in field order, each with its
    age judged on `today`. The date of the last check is left out: it is the data date, shown apart."""
    if facts is None or facts.empty:
        return ()
    if isinstance(site_id, pd.Series):
        site_id = site_id.get("site_id")
    return _sourced_facts(site_facts.site_rows(facts, str(site_id)), lang, today)


def _sourced_facts(rows: pd.DataFrame, lang: str, today: dt.date | None) -> tuple[SiteFact, ...]:
    shown = []
    for row in rows.to_dict("records"):
        field_id = row["field"]
        if field_id not in site_facts.FIELD_BY_ID or field_id == "last_verified":
            continue
        source = safe_url(row.get("source_url"))
        if not source:
            continue
        qualifier = _blank(row.get("qualifier"))
        value = site_facts.format_value(field_id, row["value"], lang, row.get("value_en"), qualifier=qualifier)
        if not value:
            continue
        link = _value_link(field_id, str(row["value"]).strip())
        if field_id in LINK_FIELDS:
            value = urlsplit(str(row["value"])).netloc or value
        label = site_facts.FIELD_BY_ID[field_id].label(lang)
        age = figure_age(row.get("as_of"), today)
        shown.append(SiteFact(field_id, label, value, link, source, age, qualifier, str(row["value"]).strip()))
    return tuple(shown)


def facts_by_site(
    facts: pd.DataFrame | None, site_ids: Iterable[str], lang: str, today: dt.date | None = None
) -> dict[str, dict[str, SiteFact]]:
    """{site_id: {field: SiteFact}} of those `site_ids` that have sourced facts, for tables with one column
    per field (the fact table is grouped once, not searched per site)."""
    if facts is None or facts.empty:
        return {}
    wanted = facts[facts["site_id"].isin({str(site_id) for site_id in site_ids})]
    return {
        str(site_id): {fact.field_id: fact for fact in _sourced_facts(rows, lang, today)}
        for site_id, rows in site_facts.normalised(wanted).groupby("site_id", sort=False)
    }


def last_verified(site: pd.Series, facts: pd.DataFrame, lang: str) -> str:
    """When the site's facts were last checked against their sources (formatted), or ""."""
    if facts is None or facts.empty:
        return ""
    rows = site_facts.site_rows(facts, str(site.get("site_id")))
    rows = rows[rows["field"] == "last_verified"]
    return format_as_of(rows.iloc[0]["value"], lang) if not rows.empty else ""
