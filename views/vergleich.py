"""Comparison page (URL path `vergleich`): two to six shortlisted sites side by side.

`?sites=a,b,c` holds the shortlist, so the page's link shares the comparison. Rows whose values differ
are marked; a small map shows where the sites are; downloads: CSV (German Excel) and the exposé PDF.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.api.links import site_url
from geo.core.values import escape_text
from geo.expose.downloads import CSV_MEDIA_TYPE
from geo.expose.shortlist import MAX_SHORTLIST, MIN_COMPARISON, comparison_html
from geo.sites.filters import MAX_QUERY_LENGTH, SiteFilter, markdown_literal
from geo.texts import t
from views import data
from views.aid_estimator import comparison_aid_estimator
from views.atlas_map import atlas_map
from views.filters import CHOOSE_ONLY
from views.frame import current_language
from views.shortlist import current_shortlist, expose_button, set_shortlist

CHOICE_KEY = "comparison_choice"
FIND_KEY = "comparison_find"
ONLY_DIFFERENCES_KEY = "comparison_only_differences"
MAP_HEIGHT = 340


def _adopt_choice() -> None:
    set_shortlist(st.session_state[CHOICE_KEY])


lang = current_language()
st.title(t("comparison_heading", lang))
st.markdown(t("comparison_intro", lang))

shortlist = current_shortlist(lang)
names = data.site_names()
options = sorted(names, key=lambda site_id: str(names[site_id]).casefold())
# The sites are found with a search field of the page's own (name, place, description, folded as the map
# folds them) and then chosen from a list that is not typed into: typing into Streamlit's list answers a
# miss with its own English "No results", also on the German page.
query = st.text_input(
    t("comparison_find", lang),
    key=FIND_KEY,
    max_chars=MAX_QUERY_LENGTH,
    placeholder=t("comparison_find_placeholder", lang),
)
if query.strip():
    found = set(data.filtered_sites(SiteFilter(query=query))["site_id"])
    if found:
        options = [site_id for site_id in options if site_id in found or site_id in shortlist]
    else:  # the whole list stays: an empty one would again say "No results" in English
        st.caption(t("comparison_find_none", lang, query=markdown_literal(query)))
st.session_state[CHOICE_KEY] = list(shortlist)
st.multiselect(
    t("comparison_choose", lang),
    options,
    key=CHOICE_KEY,
    format_func=lambda site_id: names[site_id],
    max_selections=MAX_SHORTLIST,
    on_change=_adopt_choice,
    help=t("comparison_choose_help", lang, max=MAX_SHORTLIST),
    placeholder=t("comparison_choose_placeholder", lang),
    **CHOOSE_ONLY,
)

if len(shortlist) < MIN_COMPARISON:
    st.info(t("comparison_too_few", lang), icon=":material/compare:")
else:
    compared = data.comparison(tuple(shortlist), lang, dt.date.today())
    chosen, rows = compared.sites, compared.rows
    map_column, download_column = st.columns([3, 2], gap="medium")
    with map_column:
        st.header(t("comparison_map_heading", lang))  # h2: the page title is the only h1
        # the sites numbered as the table's columns are
        numbered = ", ".join(f"{number} {name}" for number, name in enumerate(chosen["name"], start=1))
        atlas_map(
            None,
            lang,
            key="comparison_map",
            mode="compare",
            height=MAP_HEIGHT,
            numbered=list(chosen["site_id"]),
            legend=False,
            label=t("comparison_map_alt", lang, sites=numbered),
        )
    with download_column:
        st.header(t("comparison_downloads", lang))
        st.download_button(
            t("comparison_csv", lang),
            compared.csv,
            file_name=f"standortatlas-vergleich-{lang}.csv",
            mime=CSV_MEDIA_TYPE,
            help=t("comparison_csv_help", lang),
            icon=":material/download:",
            on_click="ignore",
        )
        expose_button(
            shortlist,
            lang,
            "expose-merkliste",
            label_key="comparison_expose",
            help_key="comparison_expose_help",
            key="expose_shortlist",
        )
        api_links = " · ".join(
            f'<a href="{escape_text(site_url(site_id, lang, "json"))}" target="_blank" rel="noopener">'
            f"{escape_text(name)}</a>"
            for site_id, name in zip(chosen["site_id"], chosen["name"], strict=True)
        )
        st.html(f'<p class="sa-open-data">{escape_text(t("api_link_comparison", lang, links=""))}{api_links}</p>')
    only_differences = st.toggle(t("comparison_only_differences", lang), key=ONLY_DIFFERENCES_KEY)
    st.html(comparison_html(list(chosen["name"]), rows, lang, only_differences))
    comparison_aid_estimator(chosen, lang)
