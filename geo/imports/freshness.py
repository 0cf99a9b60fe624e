"""How current the sites' key figures are: per programme and per partner, how many sites have each key
figure and how old it is, and the list of stale figures to work through (with the partners to ask).

A figure counts as confirmed on the later of its own date (`as_of`, the date of the page that states it)
and the day the site's figures were last confirmed (`last_verified`, set when a partner's proposal or the
staff page's form is approved). Partial dates count as their last day (`2024` is 31 Dec 2024), so a figure
is only called stale when it certainly is; a figure without any date is stale.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping

import geopandas as gpd
import pandas as pd

from geo.core import figure_dates
from geo.sites import fact_imports
from geo.store.accounts import Account

# the figures an investor asks for first: area, free area, price, zoning, plan, rail, whom to ask
KEY_FACTS = (
    "area_total_ha",
    "area_available_ha",
    "price_eur_m2_min",
    "zoning",
    "plan_status",
    "rail_siding",
    "contact_org",
)
STALE_MONTHS_ENV = "STANDORTATLAS_STALE_MONTHS"
AGE_COLUMNS = [
    "site_id",
    "name",
    "program",
    "district_ags",
    "field",
    "value",
    "as_of",
    "last_verified",
    "confirmed",
    "stale",
    "source_url",
]


def stale_months() -> int:
    """After how many months a figure counts as stale (env STANDORTATLAS_STALE_MONTHS, default 12)."""
    try:
        return max(1, int(os.environ.get(STALE_MONTHS_ENV, figure_dates.STALE_AFTER_MONTHS)))
    except ValueError:
        return figure_dates.STALE_AFTER_MONTHS


def key_fact_ages(sites: gpd.GeoDataFrame, facts: pd.DataFrame, today: dt.date, months: int) -> pd.DataFrame:
    """One row per site and key figure it has (AGE_COLUMNS): its value, dates and whether it is stale."""
    by_site = fact_imports.stored_by_site(facts)
    rows = []
    for site in sites.to_dict("records"):
        site_id = str(site.get("site_id"))
        stored = by_site.get(site_id, {})
        verified = str((stored.get("last_verified") or {}).get("value") or "")
        for field_id in KEY_FACTS:
            row = stored.get(field_id)
            if row is None:
                continue
            confirmed = max(
                (text for text in (str(row.get("as_of") or ""), verified) if figure_dates.parse_as_of(text)),
                key=figure_dates.parse_as_of,  # type: ignore[arg-type]
                default="",
            )
            rows.append(
                {
                    "site_id": site_id,
                    "name": site.get("name"),
                    "program": site.get("program"),
                    "district_ags": site.get("district_ags"),
                    "field": field_id,
                    "value": row.get("value"),
                    "as_of": row.get("as_of") or "",
                    "last_verified": verified,
                    "confirmed": confirmed,
                    "stale": figure_dates.is_older_than(confirmed, today, months),
                    "source_url": row.get("source_url") or "",
                }
            )
    return pd.DataFrame(rows, columns=AGE_COLUMNS)


def coverage(sites: gpd.GeoDataFrame, ages: pd.DataFrame, groups: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Per group (a programme, a partner) and key figure: the group's sites, how many have the figure, how
    many of those are stale, and the oldest confirmation date among them."""
    rows = []
    for group, site_ids in groups.items():
        members = set(site_ids)
        chosen = ages[ages["site_id"].isin(members)]
        for field_id in KEY_FACTS:
            figures = chosen[chosen["field"] == field_id]
            dated = [text for text in figures["confirmed"] if figure_dates.parse_as_of(text)]
            rows.append(
                {
                    "group": group,
                    "field": field_id,
                    "sites": len(members),
                    "with_fact": int(figures["site_id"].nunique()),
                    "stale": int(figures["stale"].sum()),
                    "oldest": min(dated, key=figure_dates.parse_as_of) if dated else "",  # type: ignore[arg-type]
                }
            )
    return pd.DataFrame(rows, columns=["group", "field", "sites", "with_fact", "stale", "oldest"])


def programme_groups(sites: gpd.GeoDataFrame) -> dict[str, list[str]]:
    return {
        str(program): [str(site_id) for site_id in members["site_id"]]
        for program, members in sites.groupby("program", sort=True)
    }


def partner_groups(sites: gpd.GeoDataFrame, partners: Iterable[Account]) -> dict[str, list[str]]:
    """Each active partner's sites (its named sites and the sites in its districts)."""
    groups = {}
    for partner in partners:
        if partner.role != "partner" or not partner.active:
            continue
        groups[partner.name] = [
            str(site_id)
            for site_id, district in zip(sites["site_id"], sites["district_ags"], strict=True)
            if partner.covers(str(site_id), None if district is None else str(district))
        ]
    return groups


def stale_list(ages: pd.DataFrame, partners: Iterable[Account]) -> pd.DataFrame:
    """The stale figures, oldest first, each with the partners whose scope covers the site (and their
    e-mail) — the list to work through and to send to partners."""
    stale = ages[ages["stale"].astype(bool)].copy()
    covering = {}
    active = [partner for partner in partners if partner.role == "partner" and partner.active]
    for site_id, district in zip(stale["site_id"], stale["district_ags"], strict=True):
        names = [p for p in active if p.covers(str(site_id), None if district is None else str(district))]
        covering[site_id] = names
    stale["partners"] = [", ".join(p.name for p in covering[site_id]) for site_id in stale["site_id"]]
    stale["emails"] = [", ".join(p.email for p in covering[site_id] if p.email) for site_id in stale["site_id"]]
    order = stale["confirmed"].map(lambda text: figure_dates.parse_as_of(text) or dt.date.min)
    return stale.assign(_order=order).sort_values(["_order", "site_id"]).drop(columns="_order").reset_index(drop=True)
