"""Staff page, tab "Freshness": per programme and per partner, how many sites have each key figure and how
old it is; the stale figures to work through, as a table and as a CSV for mailing partners. A partner sees
its own sites only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import store
from geo.core import figure_dates
from geo.core.csv_download import csv_bytes
from geo.core.formatting import format_number
from geo.imports import freshness
from geo.maps.symbols import program_label
from geo.sites import facts as site_facts
from geo.store import accounts
from geo.store.accounts import Account
from geo.texts import t
from views.data import stored_sites
from views.tables import show_frame

CSV_MEDIA_TYPE = "text/csv"


def show_freshness(lang: str, path: Path, actor: Account) -> None:
    live = stored_sites(str(path), store.data_version(path))
    partners = accounts.list_accounts(path)
    if actor.role == "partner":
        live = live[[actor.covers(str(s), str(d)) for s, d in zip(live["site_id"], live["district_ags"], strict=True)]]
        partners = [actor]
    column, _ = st.columns([1, 3])
    months = int(
        column.number_input(
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
    st.header(t("steward_freshness_programmes", lang))
    by_programme = freshness.coverage(live, ages, freshness.programme_groups(live))
    show_frame(coverage_table(by_programme, lang, lambda program: program_label(program, lang)))
    partner_groups = freshness.partner_groups(live, partners)
    if partner_groups:
        st.header(t("steward_freshness_partners", lang))
        show_frame(coverage_table(freshness.coverage(live, ages, partner_groups), lang))
    stale = freshness.stale_list(ages, partners)
    st.header(t("steward_stale_heading", lang, count=format_number(len(stale), lang)))
    if stale.empty:
        st.info(t("steward_stale_none", lang))
        return
    table = stale_table(stale, lang)
    show_frame(table)
    st.download_button(
        t("steward_stale_csv", lang),
        csv_bytes(table, lang),
        file_name=f"standortatlas-veraltete-angaben-{lang}.csv",
        mime=CSV_MEDIA_TYPE,
        icon=":material/download:",
        on_click="ignore",
        key="steward_stale_csv",
    )


def coverage_table(frame: pd.DataFrame, lang: str, label=str) -> pd.DataFrame:
    """One row per group, one column per key figure: "7 of 9" sites have it, "(2 stale)" of those; the
    oldest confirmation of the group's key figures last."""
    rows = []
    for group, figures in frame.groupby("group", sort=False):
        row = {t("steward_col_group", lang): label(group)}
        for record in figures.to_dict("records"):
            cell = t(
                "steward_coverage_cell",
                lang,
                have=format_number(record["with_fact"], lang),
                sites=format_number(record["sites"], lang),
            )
            if record["stale"]:
                cell += " " + t("steward_coverage_stale", lang, count=format_number(record["stale"], lang))
            row[site_facts.column_header(record["field"], lang)] = cell
        oldest = [text for text in figures["oldest"] if text]
        row[t("steward_col_oldest", lang)] = (
            site_facts.format_as_of(min(oldest, key=lambda text: figure_dates.parse_as_of(text) or dt.date.max), lang)
            if oldest
            else "–"
        )
        rows.append(row)
    return pd.DataFrame(rows)


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
