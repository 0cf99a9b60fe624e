"""Staff page, tab "Accounts" (admins): the named accounts with role and scope, and disabling one — which
ends its sessions on every replica at their next action. New accounts and passwords are set on the
command line (`python -m geo accounts`), where a password never passes through a web form."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from geo.imports import workflow
from geo.store import accounts
from geo.store.accounts import Account
from geo.texts import t
from views.pflege_common import local_time, plain, set_notice
from views.pflege_outcomes import write_refused
from views.tables import show_frame

CHOICE = "steward_disable_choice"


def disable(path: Path, actor: Account) -> None:
    name = str(st.session_state.get(CHOICE) or "")
    with write_refused(path, f"disabling {name}"):
        workflow.require(path, actor, "accounts")
        accounts.disable(path, name)
        set_notice("success", "steward_account_disabled", name=plain(name))


def show_accounts(lang: str, path: Path, actor: Account) -> None:
    found = accounts.list_accounts(path)
    st.write(t("steward_accounts_intro", lang))  # body text: inline code in a grey caption lacks contrast
    show_frame(account_table(found, lang))
    active = [account.name for account in found if account.active and account.name != actor.name]
    if not active:
        return
    column, _ = st.columns([2, 3])
    column.selectbox(t("steward_disable_choice", lang), active, index=None, key=CHOICE)
    column.button(
        t("steward_disable", lang),
        key="steward_disable",
        disabled=not st.session_state.get(CHOICE),
        on_click=disable,
        args=(path, actor),
    )


def account_table(found: list[Account], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("steward_col_account", lang): [account.name for account in found],
            t("steward_col_role", lang): [t(f"steward_role_{account.role}", lang) for account in found],
            t("steward_col_scope", lang): [", ".join([*account.sites, *account.districts]) for account in found],
            t("steward_col_email", lang): [account.email or "" for account in found],
            t("steward_col_state", lang): [
                t("steward_account_active", lang)
                if account.active or account.disabled_at is None
                else t("steward_account_disabled_since", lang, when=local_time(account.disabled_at, lang))
                for account in found
            ],
        }
    )
