"""Plot facts of a site (area, price, zoning, contact …) for the exposé and the comparison.

The fields and their formatting come from `geo.sites.facts` (id, kind, unit, German and English label);
the values with their sources and dates from the `site_facts` table of data/sites.gpkg. Most sites have
few or no facts yet: only what exists is shown, and a figure without its source is not shown at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from geo import store
from geo.expose.profile import safe_url
from geo.sites import fact_checks
from geo.sites import facts as site_facts

CONTACT_FIELD_PREFIX = "contact_"
LINK_FIELDS = ("plan_url", "contact_url")


@dataclass(frozen=True)
class SiteFact:
    """One fact of one site, formatted for reading; `url` when the value is a link."""

    field_id: str
    label: str
    value: str
    url: str = ""
    source_url: str = ""
    as_of: str = ""  # formatted in the language; "" when the source gives no date

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
    if field_id in LINK_FIELDS:
        return safe_url(value)
    if field_id == "contact_email" and fact_checks.check_value("contact_email", value) == []:
        return f"mailto:{value}"
    return ""


def site_facts_of(site: pd.Series, facts: pd.DataFrame, lang: str) -> tuple[SiteFact, ...]:
    """The sourced facts of `site` in field order (the date of the last check is left out: it is the
    data date, shown with the sources)."""
    if facts is None or facts.empty:
        return ()
    shown = []
    for row in site_facts.site_rows(facts, str(site.get("site_id"))).to_dict("records"):
        field_id = row["field"]
        if field_id not in site_facts.FIELD_BY_ID or field_id == "last_verified":
            continue
        source = safe_url(row.get("source_url"))
        if not source:
            continue
        value = site_facts.format_value(field_id, row["value"], lang, row.get("value_en"))
        if not value:
            continue
        link = _value_link(field_id, str(row["value"]).strip())
        if field_id in LINK_FIELDS:
            value = urlsplit(str(row["value"])).netloc or value
        as_of = site_facts.format_as_of(row.get("as_of"), lang) if str(row.get("as_of") or "").strip() else ""
        shown.append(SiteFact(field_id, site_facts.FIELD_BY_ID[field_id].label(lang), value, link, source, as_of))
    return tuple(shown)


def last_verified(site: pd.Series, facts: pd.DataFrame, lang: str) -> str:
    """When the site's facts were last checked against their sources (formatted), or ""."""
    if facts is None or facts.empty:
        return ""
    rows = site_facts.site_rows(facts, str(site.get("site_id")))
    rows = rows[rows["field"] == "last_verified"]
    return site_facts.format_as_of(rows.iloc[0]["value"], lang) if not rows.empty else ""
