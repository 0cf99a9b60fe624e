"""Staff page, tab "Freshness": per programme and per partner, how many sites have each key figure and how
old it is; the stale figures to work through, as a table and as a CSV for mailing partners. A partner sees
its own sites only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import store
from geo.core.csv_download import csv_bytes
from geo.core.formatting import format_number
from geo.imports import freshness
from geo.sites import facts as site_facts
from geo.store import accounts
from geo.store.accounts import Account
from geo.texts import t
from views.data import stored_sites
from views.pflege_common import show_table

CSV_MEDIA_TYPE = "text/csv"


def show_freshness(lang: str, path: Path, actor: Account) -> None:
    live = stored_sites(str(path), store.data_version(path))
    partners = accounts.list_accounts(path)
    if actor.role == "partner":
        live = live[[actor.covers(str(s), str(d)) for s, d in zip(live["site_id"], live["district_ags"], strict=True)]]
        partners = [actor]
    months = int(
        st.number_input(
            t("steward_stale_months", lang),
            min_value=1,
            max_value=120,
            value=freshness.stale_months(),
            step=1,
            key="steward_stale_months",
        )
    )
    ages = freshness.key_fact_ages(live, store.live_facts(path), dt.date.today(), months)
    st.caption(t("steward_freshness_intro", lang, months=format_number(months, lang)))
    st.subheader(t("steward_freshness_programmes", lang))
    show_table(coverage_table(freshness.coverage(live, ages, freshness.programme_groups(live)), lang))
    partner_groups = freshness.partner_groups(live, partners)
    if partner_groups:
        st.subheader(t("steward_freshness_partners", lang))
        show_table(coverage_table(freshness.coverage(live, ages, partner_groups), lang))
    stale = freshness.stale_list(ages, partners)
    st.subheader(t("steward_stale_heading", lang, count=format_number(len(stale), lang)))
    if stale.empty:
        st.info(t("steward_stale_none", lang))
        return
    table = stale_table(stale, lang)
    show_table(table)
    st.download_button(
        t("steward_stale_csv", lang),
        csv_bytes(table, lang),
        file_name=f"standortatlas-veraltete-angaben-{lang}.csv",
        mime=CSV_MEDIA_TYPE,
        icon=":material/download:",
        on_click="ignore",
        key="steward_stale_csv",
    )


def coverage_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("steward_col_group", lang): frame["group"],
            t("steward_col_fact", lang): [site_facts.column_header(field, lang) for field in frame["field"]],
            t("steward_col_sites", lang): [format_number(value, lang) for value in frame["sites"]],
            t("steward_col_with_fact", lang): [format_number(value, lang) for value in frame["with_fact"]],
            t("steward_col_stale", lang): [format_number(value, lang) for value in frame["stale"]],
            t("steward_col_oldest", lang): [site_facts.format_as_of(value, lang) for value in frame["oldest"]],
        }
    )


def stale_table(stale: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("steward_col_partner", lang): stale["partners"],
            t("steward_col_email", lang): stale["emails"],
            "site_id": stale["site_id"],
            t("steward_col_name", lang): stale["name"],
            t("steward_col_fact", lang): [site_facts.column_header(field, lang) for field in stale["field"]],
            t("steward_col_value", lang): [
                site_facts.format_value(field, value, lang)
                for field, value in zip(stale["field"], stale["value"], strict=True)
            ],
            t("steward_col_as_of", lang): [site_facts.format_as_of(value, lang) or "–" for value in stale["as_of"]],
            t("steward_col_confirmed", lang): [
                site_facts.format_as_of(value, lang) or "–" for value in stale["confirmed"]
            ],
            t("steward_col_source", lang): stale["source_url"],
        }
    )
