"""Staff page, tab "Edit a site": one site's descriptions and plot figures, each figure with its date and
the page that states it. A partner's form becomes a proposal, an editor's is applied; both mark the site's
figures as confirmed that day (approval date). The checks are geo.imports.site_form's, the write is
geo.imports.workflow's — the same as for a file.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from geo import store
from geo.imports import site_form, workflow
from geo.sites import facts as site_facts
from geo.store.accounts import Account
from geo.texts import t
from views.data import stored_sites
from views.pflege_common import plain, set_notice
from views.pflege_import import problem_table
from views.pflege_outcomes import write_refused
from views.tables import show_frame

SITE_CHOICE = "steward_form_site"


def in_scope(actor: Account, live) -> list[tuple[str, str]]:
    """(site_id, label) of the sites this account may edit, by name."""
    rows = live.sort_values("name", key=lambda names: names.astype(str).str.casefold())
    return [
        (str(site_id), f"{name} ({site_id})")
        for site_id, name, district in zip(rows["site_id"], rows["name"], rows["district_ags"], strict=True)
        if actor.covers(str(site_id), None if district is None else str(district))
    ]


def show_site_form(lang: str, path: Path, actor: Account) -> None:
    version = store.data_version(path)
    live = stored_sites(str(path), version)
    choices = dict(in_scope(actor, live))
    if not choices:
        st.info(t("steward_form_no_sites", lang))
        return
    st.caption(t("steward_form_intro" if actor.may("apply") else "steward_form_intro_partner", lang))
    site_id = st.selectbox(
        t("steward_form_choose", lang),
        list(choices),
        index=None,
        key=SITE_CHOICE,
        format_func=lambda chosen: choices.get(chosen, chosen),
        placeholder=t("steward_form_placeholder", lang),
    )
    if site_id is None:
        return
    facts = store.live_facts(path)
    site = live[live["site_id"].astype(str) == site_id].iloc[0]
    stored = site_form.stored_inputs(facts, site_id)
    prefix = f"steward_form_{version}_{site_id}"
    with st.form(f"{prefix}_form", enter_to_submit=False):
        descriptions = {
            column: st.text_area(
                t(f"steward_form_{column}", lang),
                value=_text(site.get(column)),
                key=f"{prefix}_{column}",
                height=120,
            )
            for column in site_form.DESCRIPTION_COLUMNS
        }
        st.markdown(f"**{t('steward_form_figures', lang)}**")
        st.caption(t("steward_form_figures_help", lang))
        figures = {
            field.id: _figure_inputs(field, stored.get(field.id), prefix, lang) for field in site_form.FORM_FIELDS
        }
        submit_key = "steward_form_apply" if actor.may("apply") else "steward_form_propose"
        submitted = st.form_submit_button(t(submit_key, lang), type="primary", key=submit_key)
    if submitted:
        result = site_form.form_result(store.read_sites(path), facts, site_id, descriptions, figures)
        if not result.ok:
            st.error(t("steward_form_errors", lang, count=len(result.errors)))
            show_frame(problem_table(result.errors, lang))
            return
        _write(result, path, actor, version, site_id)
        st.rerun()


def _write(result, path: Path, actor: Account, version: str, site_id: str) -> None:
    with write_refused(path, f"the form of {site_id}"):
        if actor.may("apply"):
            outcome = workflow.apply(result, path, actor, confirm=True, expected_version=version)
            set_notice("success", "steward_form_applied", site=plain(site_id), fields=len(outcome.records))
        else:
            proposal = workflow.propose(result, path, actor, kind=workflow.FORM, label=site_id)
            set_notice("success", "steward_proposal_stored", number=proposal.proposal_id)
        st.session_state.pop(SITE_CHOICE, None)


def _figure_inputs(
    field: site_facts.FactField, stored: site_form.FigureInput | None, prefix: str, lang: str
) -> site_form.FigureInput:
    current = stored or site_form.FigureInput()
    unit = site_facts.unit_label(field.unit, lang)
    heading = field.label(lang) + (f" ({unit})" if unit else "")
    summary = site_facts.format_value(field.id, current.value, lang, current.value_en) if current.value else "–"
    with st.expander(f"{heading}: {summary}"):
        value_column, date_column = st.columns([3, 2])
        value = value_column.text_input(
            t("steward_form_value", lang, field=heading),
            value=current.value,
            key=f"{prefix}_{field.id}_value",
            help=_value_help(field, lang),
        )
        as_of = date_column.text_input(
            t("steward_form_as_of", lang), value=current.as_of, key=f"{prefix}_{field.id}_as_of"
        )
        value_en = ""
        if field.kind in ("text", "name"):
            value_en = st.text_input(
                t("steward_form_value_en", lang), value=current.value_en, key=f"{prefix}_{field.id}_value_en"
            )
        source = st.text_input(
            t("steward_form_source", lang), value=current.source_url, key=f"{prefix}_{field.id}_source_url"
        )
    return site_form.FigureInput(value, value_en, as_of, source)


def _value_help(field: site_facts.FactField, lang: str) -> str:
    if field.kind == "vocabulary":
        codes = ", ".join(
            f"{code} = {site_facts.vocabulary_label(field.id, code, lang)}"
            for code in site_facts.VOCABULARIES[field.vocabulary]
        )
        return t("steward_form_codes", lang, codes=codes)
    return t("steward_form_empty_removes", lang)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)
