"""Staff page `pflege`: partners and agency staff keep the sites current — import, the form for one site,
proposals and their approval, the history of a site, how fresh the figures are, versions and undo.

app.py lists this page only when stewardship is set up (named accounts, or a shared password); the page
checks that again and asks for a login itself, so its script stops before anything else for whoever is not
logged in. What each tab shows depends on the account's role (geo.store.accounts); what it may write is
checked again where the data is written (geo.imports.workflow). Each step calls the same geo/ code as the
command line (`python -m geo validate | import | proposals | history | undo`).
"""

from __future__ import annotations

import streamlit as st

from geo.store import accounts
from geo.store import health as data_health
from geo.store.accounts import Account
from geo.texts import t
from views import pflege_access as access
from views.frame import current_language, stewardship_enabled
from views.pflege_accounts import show_accounts
from views.pflege_common import notice_text, reference_path, sites_path, take_notice
from views.pflege_figures import show_figures_import
from views.pflege_form import show_site_form
from views.pflege_freshness import show_freshness
from views.pflege_history import show_history
from views.pflege_import import show_import
from views.pflege_proposals import show_own_proposals, show_review_queue
from views.pflege_versions import show_versions, undo_last


def show_notice(lang: str, path, actor: Account) -> None:
    notice = take_notice()
    if notice is None:
        return
    getattr(st, notice["kind"])(notice_text(notice, lang))
    if notice["undo_version"] and actor.may("undo"):
        st.button(
            t("steward_undo_this", lang),
            key="steward_undo_import",
            on_click=undo_last,
            args=(path, notice["undo_version"], actor),
        )


def who(actor: Account, lang: str) -> str:
    if actor.shared:
        return t("steward_logged_in_shared", lang)
    return t("steward_logged_in_as", lang, name=actor.name, role=t(f"steward_role_{actor.role}", lang))


def tabs_for(actor: Account) -> list[str]:
    """The tabs of this account's role, in order (keys of the tab titles and of TAB_CONTENT)."""
    if actor.may("review"):
        tabs = ["import", "form", "proposals", "figures", "history", "freshness", "versions"]
        return [*tabs, "accounts"] if actor.may("accounts") else tabs
    return ["import", "form", "own_proposals", "history", "freshness"]


WITHOUT_SITES = ("versions", "own_proposals", "accounts")
TAB_CONTENT = {
    "form": show_site_form,
    "proposals": show_review_queue,
    "figures": show_figures_import,
    "own_proposals": show_own_proposals,
    "history": show_history,
    "freshness": show_freshness,
    "versions": show_versions,
    "accounts": show_accounts,
}

lang = current_language()
title_column, logout_column = st.columns([3, 1], vertical_alignment="bottom")
title_column.title(t("nav_stewardship", lang))
path = sites_path()
if not (stewardship_enabled() or accounts.any_accounts(path)):
    st.error(t("steward_disabled", lang))
    st.stop()
actor = access.current_actor(path)
if actor is None:
    if (ended := take_notice()) is not None:  # a session that just ended says why
        getattr(st, ended["kind"])(notice_text(ended, lang))
    access.login_form(path, lang)
    st.stop()
with logout_column.container(horizontal_alignment="right"):
    st.caption(who(actor, lang))
    if st.button(t("steward_logout", lang), key="steward_logout", icon=":material/logout:"):
        access.log_out()

show_notice(lang, path, actor)
st.write(t("steward_intro", lang))  # body text: its inline code keeps its contrast (a caption's grey does not)
if actor.shared:
    st.info(t("steward_shared_password_note", lang))
names = tabs_for(actor)
# a key and state tracking keep the chosen tab when an action's notice appears above the tabs
tabs = st.tabs([t(f"steward_tab_{name}", lang) for name in names], key="steward_tab", on_change="rerun")
# with the data missing or damaged only the tabs that need no sites work; the versions are the way back
damaged = bool(data_health.data_problems(path, reference_path()))
for name, tab in zip(names, tabs, strict=True):
    with tab:
        if damaged and name not in WITHOUT_SITES:
            st.info(t("steward_fix_data_first", lang))
        elif name == "import":
            show_import(lang, path, actor)
        else:
            TAB_CONTENT[name](lang, path, actor)
