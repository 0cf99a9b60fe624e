"""Staff page, tab "Versions and undo" (editors): the kept versions, undo of the last change, restore of any
kept version — through geo.imports.workflow, so each is logged with the editor's name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import store
from geo.core.formatting import format_number
from geo.imports import workflow
from geo.store.accounts import Account
from geo.texts import t
from views.data import kept_versions, stored_sites
from views.pflege_common import local_time, set_notice, shown
from views.pflege_outcomes import write_refused
from views.tables import show_frame


def undo_last(path: Path, expected_version: str, actor: Account) -> None:
    with write_refused(path, "undo", versions=True):
        outcome = workflow.undo(path, actor, expected_version=expected_version)
        assert outcome.version is not None
        set_notice("success", "steward_undone", saved=outcome.version.saved_at, sites=outcome.version.site_count)


def restore_version(path: Path, expected_version: str, choice_key: str, actor: Account) -> None:
    version_id = str(st.session_state.get(choice_key))
    with write_refused(path, f"restoring {version_id}", versions=True):
        outcome = workflow.restore(version_id, path, actor, expected_version=expected_version)
        assert outcome.version is not None
        set_notice("success", "steward_restored", saved=outcome.version.saved_at, sites=outcome.version.site_count)


def show_versions(lang: str, path: Path, actor: Account) -> None:
    version = store.data_version(path)
    if version == "missing":
        st.info(t("steward_current_missing", lang))
    else:
        saved = _saved_at(path)
        try:
            count = len(stored_sites(str(path), version))
        except store.DataDamaged:  # the versions below are the way back: list them all the same
            st.warning(t("steward_current_damaged", lang))
        else:
            when = local_time(saved, lang) if saved is not None else "–"
            st.write(t("steward_current", lang, sites=format_number(count, lang), saved=when))
    st.caption(t("steward_versions_intro", lang))
    versions = kept_versions(str(path), version)
    next_undo = next((kept for kept in versions if kept.kind == store.KIND_PREVIOUS), None)
    st.button(
        t("steward_undo", lang),
        key="steward_undo",
        type="primary",
        disabled=next_undo is None,
        on_click=undo_last,
        args=(path, version, actor),
    )
    if not versions:
        st.info(t("steward_no_versions", lang))
        return
    show_frame(version_table(versions, next_undo, lang))
    choice_key = f"steward_restore_{version}"  # a new list after every write: no stale choice survives
    newest_undone = next((index for index, kept in enumerate(versions) if kept.kind == store.KIND_UNDONE), 0)
    labels = {kept.version_id: version_label(kept, next_undo, lang) for kept in versions}
    column, _ = st.columns([3, 2])
    column.selectbox(
        t("steward_restore_choice", lang),
        list(labels),
        index=newest_undone,
        key=choice_key,
        format_func=lambda version_id: labels.get(version_id, version_id),
        help=t("steward_restore_help", lang),
    )
    column.button(
        t("steward_restore", lang),
        key="steward_restore",
        on_click=restore_version,
        args=(path, version, choice_key, actor),
    )


def _saved_at(path: Path) -> datetime | None:
    """When the live sites were written: the file's time (GeoPackage); unknown for the database here."""
    if store.database_url(path) is not None or not path.exists():
        return None
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def kind_text(kept: store.Version, next_undo: store.Version | None, lang: str) -> str:
    if kept is next_undo:
        return t("steward_kind_next_undo", lang)
    return t(f"steward_kind_{kept.kind}", lang)


def version_label(kept: store.Version, next_undo: store.Version | None, lang: str) -> str:
    return t(
        "steward_version_label",
        lang,
        saved=local_time(kept.saved_at, lang),
        sites=shown(kept.site_count, lang),
        kind=kind_text(kept, next_undo, lang),
    )


def version_table(versions: list[store.Version], next_undo: store.Version | None, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("steward_col_saved", lang): [local_time(kept.saved_at, lang) for kept in versions],
            t("steward_col_sites", lang): [shown(kept.site_count, lang) for kept in versions],
            t("steward_col_kind", lang): [kind_text(kept, next_undo, lang) for kept in versions],
            t("steward_col_version", lang): [kept.version_id for kept in versions],
        }
    )
