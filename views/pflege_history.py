"""Staff page, tab "History": every applied change of one site — when, which kind, who proposed and who
approved it, and each field before and after — from the change log (geo.store.changes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo import store
from geo.store import changes
from geo.store.accounts import Account
from geo.texts import t
from views.data import stored_sites
from views.pflege_common import local_time
from views.pflege_form import in_scope
from views.tables import show_frame


def show_history(lang: str, path: Path, actor: Account) -> None:
    live = stored_sites(str(path), store.data_version(path))
    choices = dict(in_scope(actor, live))
    site_id = st.selectbox(
        t("steward_history_choose", lang),
        list(choices),
        index=None,
        key="steward_history_site",
        format_func=lambda chosen: choices.get(chosen, chosen),
        placeholder=t("steward_form_placeholder", lang),
        help=t("steward_history_help", lang),
    )
    if site_id is None:
        return
    entries = changes.site_history(path, site_id)
    if not entries:
        st.info(t("steward_history_empty", lang))
        return
    show_frame(history_table(entries, lang))


def history_table(entries: list[changes.Change], lang: str) -> pd.DataFrame:
    rows = []
    for entry in entries:
        when = local_time(entry.applied_at, lang)
        kind = t(f"steward_history_kind_{entry.kind}", lang)
        if entry.proposal_id is not None:
            kind = f"{kind} #{entry.proposal_id}"
        for record in entry.fields:
            rows.append(
                {
                    t("steward_col_when", lang): when,
                    t("steward_col_kind", lang): kind,
                    t("steward_col_proposed_by", lang): entry.proposed_by,
                    t("steward_col_approved_by", lang): entry.approved_by,
                    t("steward_col_field", lang): record.field,
                    t("steward_col_old", lang): record.before or "",
                    t("steward_col_new", lang): record.after or "",
                }
            )
    return pd.DataFrame(rows)
