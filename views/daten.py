"""Page `daten`: where every figure comes from, what it means and how current it is.

Sources, licences and vintage (reference table `sources`, the build's surroundings sources and the
source of each site); the indicator definitions that the other pages, legends and downloads read; the
program vocabulary with how complete the atlas is per program; themes; the zone facts with sources;
known vintage issues; privacy; attribution; the operator's imprint when one is configured (`imprint_text` /
`imprint_url` in .streamlit/secrets.toml, or STANDORTATLAS_IMPRINT_TEXT / STANDORTATLAS_IMPRINT_URL).
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from geo import indicators
from geo.api.links import api_url
from geo.core.csv_download import csv_bytes
from geo.core.schema import programs as program_vocabulary
from geo.core.schema import themes
from geo.expose.profile import safe_url
from geo.indicators import completeness
from geo.indicators.zone_texts import period_text
from geo.maps.symbols import program_label
from geo.sites.filters import markdown_literal
from geo.sites.provenance import figure_age
from geo.sites.surroundings import surroundings_sources
from geo.texts import pick, t
from geo.texts.source_table import source_row
from views.data import (
    district_figures_table,
    district_table,
    program_claims,
    reference_layer,
    reference_table,
    sites,
)
from views.frame import current_language
from views.tables import show_table

SOURCE_COLUMNS = ("name", "version", "registry", "licence", "attribution", "used_for", "vintage", "url")
SITE_SOURCES_HEIGHT = 420


def source_rows() -> pd.DataFrame:
    """The reference table `sources`, completed by the surroundings' sources the build used (if absent)."""
    recorded = reference_table("sources")
    extra = [row for row in surroundings_sources() if row["name"] not in set(recorded["name"])]
    return pd.concat([recorded, pd.DataFrame(extra)], ignore_index=True).reindex(columns=SOURCE_COLUMNS).fillna("")


def imprint_setting(name: str) -> str:
    """The operator's imprint `text` or `url`: environment first, then .streamlit/secrets.toml, else ""."""
    value = os.environ.get(f"STANDORTATLAS_IMPRINT_{name.upper()}", "")
    if not value.strip():
        try:
            value = str(st.secrets.get(f"imprint_{name}", "") or "")
        except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
            value = ""
    return value.strip()


def show_imprint(lang: str) -> None:
    """The imprint section, only when the operator configured one: a visitor never sees a placeholder."""
    text, url = imprint_setting("text"), safe_url(imprint_setting("url"))
    if not text and not url:
        return
    st.header(t("data_imprint_title", lang), anchor="impressum")
    if text:
        # the operator's plain text, line by line, shown literally (no Markdown from configuration)
        st.markdown("  \n".join(markdown_literal(line, 300) for line in text.splitlines() if line.strip()))
    if url:
        st.link_button(t("imprint_link", lang), url, icon=":material/open_in_new:")


lang = current_language()
all_sites = sites()

st.title(t("data_title", lang), anchor=False)
st.caption(t("data_intro", lang))

st.header(t("data_sources_title", lang), anchor="quellen")
st.caption(t("data_sources_caption", lang))
rows = pd.DataFrame([source_row(row, lang) for row in source_rows().to_dict("records")], columns=SOURCE_COLUMNS)
headings = {
    column: t(f"column_{key}", lang)
    for column, key in (
        ("name", "name"),
        ("version", "version"),
        ("registry", "registry"),
        ("licence", "licence"),
        ("attribution", "attribution"),
        ("used_for", "used_for"),
        ("vintage", "vintage"),
        ("url", "source_link"),
    )
}
show_table({headings[column]: list(rows[column]) for column in SOURCE_COLUMNS}, links=[headings["url"]])
with st.expander(t("data_site_sources_title", lang, count=len(all_sites))):
    show_table(
        {
            t("column_name", lang): list(all_sites["name"]),
            t("column_program", lang): [program_label(program, lang) for program in all_sites["program"]],
            t("column_source_link", lang): list(all_sites["source_url"]),
            t("column_coord_source", lang): list(all_sites["coord_source_url"]),
        },
        links=[t("column_source_link", lang), t("column_coord_source", lang)],
        height=SITE_SOURCES_HEIGHT,
    )

st.header(t("data_definitions_title", lang), anchor="kennzahlen")
st.caption(t("data_definitions_caption", lang))
definitions = indicators.definitions_table(lang)
definition_headings = {
    "key": t("column_key", lang),
    "name": t("column_name", lang),
    "unit": t("column_unit", lang),
    "year": t("column_year", lang),
    "scope": t("column_scope", lang),
    "description": t("column_description", lang),
    "source": t("column_source", lang),
    "source_url": t("column_source_link", lang),
}
definitions = definitions[["name", "unit", "year", "source", "source_url", "description", "scope", "key"]]
definitions = definitions.rename(columns=definition_headings)
show_table(
    {column: list(definitions[column]) for column in definitions.columns}, links=[definition_headings["source_url"]]
)
st.download_button(
    t("download_csv", lang),
    csv_bytes(definitions, lang),
    file_name=f"standortatlas_kennzahlen_{lang}.csv",
    mime="text/csv",
    help=t("download_csv_help", lang),
    icon=":material/download:",
    on_click="ignore",
)

st.header(t("data_programs_title", lang), anchor="programme")
st.caption(t("data_programs_caption", lang))
program_rows = completeness.program_completeness(all_sites, program_claims(), lang)
show_table(
    {
        t("column_label", lang): list(program_rows["label"]),
        t("column_shown", lang): list(program_rows["shown"]),
        t("column_claimed", lang): list(program_rows["claimed"]),
        t("column_claim_as_of", lang): list(program_rows["as_of"]),
        t("column_completeness", lang): list(program_rows["completeness"]),
        t("column_list_public", lang): list(program_rows["list_public"]),
        t("column_claim", lang): list(program_rows["claim"]),
        t("column_source_link", lang): list(program_rows["source_url"]),
        t("column_explanation", lang): list(program_rows["explanation"]),
        t("column_run_by", lang): [
            program_vocabulary().get(program, {}).get(f"run_by_{lang}") or run_by
            for program, run_by in zip(program_rows["program"], program_rows["run_by"], strict=True)
        ],
    },
    links=[t("column_source_link", lang)],
    numbers=[t("column_shown", lang)],
)

st.header(t("data_themes_title", lang), anchor="themen")
counts = indicators.theme_counts(all_sites)
show_table(
    {
        t("column_theme", lang): [row[f"label_{lang}"] for row in themes().values()],
        t("column_sites", lang): [int(counts.get(theme, 0)) for theme in themes()],
        t("column_explanation", lang): [row[f"explanation_{lang}"] for row in themes().values()],
    },
    numbers=[t("column_sites", lang)],
)

st.header(t("data_zone_facts_title", lang), anchor="fakten")
facts = reference_table("zone_facts")
zone_names = {zone["zone_id"]: indicators.zone_name(zone, lang) for _, zone in reference_layer("zones").iterrows()}
show_table(
    {
        t("column_zone", lang): [zone_names.get(zone_id, t("zone_general", lang)) for zone_id in facts["zone_id"]],
        t("column_fact", lang): list(facts[f"label_{lang}"]),
        t("column_value", lang): [
            indicators.format_fact_value(value, unit, lang)
            for value, unit in zip(facts["value"], facts["unit"], strict=True)
        ],
        t("column_period", lang): [period_text(period, lang) for period in facts["period"]],
        t("column_source_link", lang): list(facts["source_url"]),
    },
    links=[t("column_source_link", lang)],
    numbers=[t("column_value", lang)],
)

st.header(t("data_figures_title", lang), anchor="kreiszahlen")
st.caption(t("data_figures_caption", lang))
figures = district_figures_table()
figure_names = {definition.key: definition.name(lang) for definition in indicators.INDICATORS}
district_names = indicators.district_labels(district_table(), lang)
# a toggle, not an expander: the long tables are only sent to the browser when asked for (the page stays quick)
if st.toggle(t("data_figures_table", lang, count=len(figures)), key="data_figures_table"):
    show_table(
        {
            t("column_district", lang): [district_names.get(ags, ags) for ags in figures["ags"]],
            t("column_indicator", lang): [figure_names.get(key, key) for key in figures["indicator"]],
            t("column_value", lang): [
                indicators.format_value(indicators.indicator(key), value, lang)
                for key, value in zip(figures["indicator"], figures["value"], strict=True)
            ],
            t("column_reference_date", lang): [figure_age(date).marked_date(lang) for date in figures["as_of"]],
            t("figures_import_table_code", lang): list(figures["table_code"]),
            t("column_source_link", lang): list(figures["source_url"]),
        },
        links=[t("column_source_link", lang)],
        numbers=[t("column_value", lang)],
        height=420,
    )

st.header(t("research_layer", lang), anchor="forschung")
st.caption(t("data_research_caption", lang))
institutions = reference_layer("research_institutions")
if st.toggle(t("data_research_table", lang, count=len(institutions)), key="data_research_table"):
    show_table(
        {
            t("column_name", lang): list(institutions["name"]),
            t("column_kind", lang): [t(f"research_kind_{kind}", lang) for kind in institutions["kind"]],
            t("column_fields", lang): list(pick(lang, institutions["fields_de"], institutions["fields_en"])),
            t("column_municipality", lang): list(institutions["municipality"]),
            t("column_precision", lang): [t(f"precision_{precision}", lang) for precision in institutions["precision"]],
            t("column_source_link", lang): list(institutions["source_url"]),
        },
        links=[t("column_source_link", lang)],
        height=420,
    )

st.header(t("data_vintage_title", lang), anchor="stand")
unverified = int((district_table()["aid_area"] == indicators.NOT_VERIFIED).sum())
st.markdown(
    "\n".join(
        f"- {markdown_literal(text, 600)}"
        for text in (
            t("vintage_boundaries", lang),
            t("vintage_eisenach", lang),
            t("vintage_statistics", lang),
            t("vintage_aid", lang, count=unverified),
            t("vintage_distances", lang),
            t("vintage_stations", lang),
            t("vintage_inclusion", lang),
        )
    )
)

st.header(t("data_api_title", lang), anchor="api")
st.write(t("data_api_text", lang))
st.markdown(
    t(
        "data_api_links",
        lang,
        root=api_url("/", lang),
        collections=api_url("/collections", lang),
        openapi=api_url("/openapi", lang, f="html"),
    )
)
st.caption(t("data_api_qgis", lang))

st.header(t("data_privacy_title", lang), anchor="datenschutz")
st.write(t("privacy_note", lang))
st.write(t("privacy_details", lang))

st.header(t("data_attribution_title", lang), anchor="namensnennung")
st.markdown("\n".join(f"- {markdown_literal(item.strip(), 300)}" for item in t("attribution_items", lang).split("·")))

show_imprint(lang)
