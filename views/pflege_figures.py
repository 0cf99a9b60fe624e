"""The staff page's tab "district figures": upload a GENESIS flat CSV, review, apply (a new version
that the versions tab undoes), written and logged through geo.imports.workflow like every change by a
person. The same geo/ code as ``python -m geo import-figures``."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd
import streamlit as st

from geo import store
from geo.core.genesis_flat import MAX_FILE_BYTES, FlatFileError
from geo.imports import workflow
from geo.imports.figures import dated_value, review_figures, review_lines
from geo.indicators import figure_indicators
from geo.store.accounts import Account
from geo.texts import pick, t
from views.pflege_common import reference_path, set_notice
from views.pflege_outcomes import write_refused

LOG = logging.getLogger(__name__)
REVIEW_KEY = "steward_figures_review"
ROUND_KEY = "steward_figures_round"
AUTO = ""


def _changes_table(review, lang: str) -> pd.DataFrame:
    names = {definition.key: definition.name(lang) for definition in figure_indicators()}

    return pd.DataFrame(
        {
            t("column_ags", lang): review.changes["ags"],
            t("column_district", lang): review.changes["district"],
            t("figures_import_indicator", lang): review.changes["indicator"].map(names),
            t("figures_column_old", lang): [
                dated_value(value, as_of, lang)
                for value, as_of in zip(review.changes["old_value"], review.changes["old_as_of"], strict=True)
            ],
            t("figures_column_new", lang): [
                dated_value(value, as_of, lang)
                for value, as_of in zip(review.changes["new_value"], review.changes["new_as_of"], strict=True)
            ],
            t("figures_column_change", lang): review.changes["change"].map(lambda c: t(f"figures_change_{c}", lang)),
        }
    )


def _apply(review, actor: Account) -> None:
    with write_refused(review.sites_path, "applying district figures"):
        outcome = workflow.apply_figures(review, actor)
        set_notice("success", "figures_import_applied", undo_version=outcome.data_version, count=review.changed_count)
        st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1
        st.session_state.pop(REVIEW_KEY, None)


def show_figures_import(lang: str, path: Path, actor: Account) -> None:
    """The tab of editors (the write path refuses anyone else): the agency's statistics, not a partner's."""
    reference = reference_path()
    st.header(t("figures_import_heading", lang))
    st.caption(t("figures_import_intro", lang))
    choices = [AUTO, *(definition.key for definition in figure_indicators())]
    labels = {definition.key: definition.name(lang) for definition in figure_indicators()}
    indicator = st.selectbox(
        t("figures_import_indicator", lang),
        choices,
        key="steward_figures_indicator",
        format_func=lambda key: labels.get(key, t("figures_import_auto", lang)),
    )
    code_column, url_column = st.columns([1, 2])
    table_code = code_column.text_input(
        t("figures_import_table_code", lang), max_chars=30, key="steward_figures_code"
    ).strip()
    source_url = url_column.text_input(
        t("figures_import_source_url", lang), max_chars=300, key="steward_figures_url"
    ).strip()
    upload = st.file_uploader(
        t("figures_import_file", lang),
        type=["csv", "zip"],
        max_upload_size=MAX_FILE_BYTES // 1_000_000,
        key=f"steward_figures_upload_{st.session_state.get(ROUND_KEY, 0)}",
    )
    if upload is None:
        return
    data = upload.getvalue()
    key = (hashlib.sha256(data).hexdigest(), indicator, table_code, source_url, store.data_version(path))
    cached = st.session_state.get(REVIEW_KEY)
    if cached is None or cached[0] != key:
        try:
            review = review_figures(
                data,
                targets=figure_indicators(),
                sites_path=path,
                reference_path=reference,
                indicator_key=indicator or None,
                table_code=table_code,
                source_url=source_url,
            )
        except FlatFileError as error:
            st.error(pick(lang, error.de, error.en))
            return
        st.session_state[REVIEW_KEY] = (key, review)
    review = st.session_state[REVIEW_KEY][1]
    summary, *details = review_lines(review, lang)
    st.markdown(summary)
    for line in details:
        if not line.startswith("  "):
            st.info(line)
    if review.incoming.empty:
        return
    st.dataframe(_changes_table(review, lang), hide_index=True, use_container_width=True)
    st.button(
        t("figures_import_apply", lang, count=review.changed_count),
        type="primary",
        disabled=review.changed_count == 0,
        on_click=_apply,
        args=(review, actor),
        key="steward_figures_apply",
    )
