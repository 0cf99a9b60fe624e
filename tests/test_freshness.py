"""How fresh the key figures are (geo/imports/freshness.py): a figure counts as confirmed on the later of
its source's date and the site's last check; partial dates count as their last day; undated is stale."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from geo.imports import freshness
from geo.sites import facts as site_facts
from geo.store.accounts import Account
from tests import fixtures_import as fx

TODAY = dt.date(2026, 12, 7)
POTSDAM = "kreativhof-groessenwahn-potsdam"  # 12054
DRESDEN = "zukunftsort-dresdner-suedhoehe"  # 14612


def fact(site_id: str, field: str, value: str, as_of: str, unit: str = "") -> dict:
    return {
        "site_id": site_id,
        "field": field,
        "value": value,
        "unit": unit,
        "source_url": "https://x.example/",
        "as_of": as_of,
    }


def test_the_later_of_source_date_and_last_check_counts_and_partial_dates_are_their_last_day():
    sites = fx.current_sites()
    facts = pd.DataFrame(
        [
            fact(POTSDAM, "area_total_ha", "10", "2019", "ha"),
            fact(POTSDAM, "last_verified", "2026-06-01", "2026-06-01"),
            fact(DRESDEN, "area_total_ha", "5", "2025-12", "ha"),  # last day: 31 Dec 2025, within 12 months
            fact(DRESDEN, "zoning", "GI", ""),  # undated: stale
        ]
    ).reindex(columns=site_facts.FACT_TABLE_COLUMNS, fill_value="")
    ages = freshness.key_fact_ages(sites, facts, TODAY, 12).set_index(["site_id", "field"])
    assert ages.loc[(POTSDAM, "area_total_ha"), "confirmed"] == "2026-06-01"
    assert not ages.loc[(POTSDAM, "area_total_ha"), "stale"]
    assert not ages.loc[(DRESDEN, "area_total_ha"), "stale"]
    assert ages.loc[(DRESDEN, "zoning"), "stale"]
    assert (
        freshness.key_fact_ages(sites, facts, TODAY, 6)
        .set_index(["site_id", "field"])
        .loc[(POTSDAM, "area_total_ha"), "stale"]
    )


def test_coverage_per_programme_and_partner_and_the_stale_list_names_partners():
    sites = fx.current_sites()
    facts = pd.DataFrame([fact(DRESDEN, "area_total_ha", "5", "2020", "ha")]).reindex(
        fill_value="", columns=site_facts.FACT_TABLE_COLUMNS
    )
    ages = freshness.key_fact_ages(sites, facts, TODAY, 12)
    dresden = Account("stadt-dresden", "partner", districts=("14612",), email="wirtschaft@dresden.example")
    others = [
        Account("anna", "editor"),
        Account("alt", "partner", districts=("14612",), disabled_at=dt.datetime(2026, 1, 1)),
    ]
    table = freshness.coverage(sites, ages, freshness.partner_groups(sites, [dresden, *others]))
    area = table[(table["group"] == "stadt-dresden") & (table["field"] == "area_total_ha")].iloc[0]
    assert (area["sites"], area["with_fact"], area["stale"], area["oldest"]) == (1, 1, 1, "2020")
    assert set(table["group"]) == {"stadt-dresden"}  # editors and disabled partners have no group
    stale = freshness.stale_list(ages, [dresden, *others])
    assert list(stale["site_id"]) == [DRESDEN]
    assert (stale.iloc[0]["partners"], stale.iloc[0]["emails"]) == ("stadt-dresden", "wirtschaft@dresden.example")


def test_no_figures_make_empty_tables_not_errors():
    sites = fx.current_sites()
    ages = freshness.key_fact_ages(sites, site_facts.empty_table(), TODAY, 12)
    assert ages.empty and freshness.stale_list(ages, []).empty
    assert set(freshness.coverage(sites, ages, freshness.programme_groups(sites))["with_fact"]) == {0}
