"""Embed page (URL path `einbetten`): a compact site map for an iframe on another website.

No frame, no login, no upload, no link to the staff page, and no third-party request until the visitor
switches the background map on. The URL chooses what it shows, with the main map's parameter names
(`program`, `state`, `zone`, `theme`, `q`, `site`, `lang`); unknown values are reported and ignored.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from geo import site_filters
from geo.maps import clicked_site, legend_html, program_label, selected_site_layer
from geo.texts import LANGUAGES, t
from geo.tiles import TileConfigError, tile_source
from views.data import filtered_sites, frameless_map, show_prepared_map, site_vocabulary, sites
from views.filters import link_params
from views.frame import LANGUAGE_KEY, current_language

MAP_HEIGHT = 340
# The map is the app's default page, served at its root; relative, so any server.baseUrlPath works.
FULL_ATLAS_PATH = "./"
CLICK_FIELDS = ["last_object_clicked", "last_object_clicked_tooltip", "last_object_clicked_count"]
LAST_CLICK_KEY = "embed_last_click"
CHOSEN_KEY = "embed_site"

# Tight margins: the iframe is small and every pixel should be map.
st.html("""<style>
.block-container, [data-testid="stMainBlockContainer"] { padding: 0.5rem 0.75rem 0.25rem !important; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.4rem; }
.sa-embed-bar { display: flex; justify-content: space-between; align-items: baseline; gap: 0.75rem;
  flex-wrap: wrap; font-size: 0.9rem; }
.sa-embed-bar a { font-weight: 600; }
.sa-embed-site { font-size: 0.9rem; line-height: 1.35; }
.sa-embed-legend summary { cursor: pointer; font-size: 0.85rem; }
.sa-embed-legend .sa-legend { padding: 0.3rem 0 0; }
.sa-embed-attribution { font-size: 0.7rem; color: #5f6f7f; line-height: 1.3; }
</style>""")

lang = current_language()
all_sites = sites()
parsed = site_filters.parse_filter_params(
    {name: st.query_params.get_all(name) for name in site_filters.FILTER_PARAMS}, site_vocabulary())
site_id, site_problem = site_filters.parse_site_param(st.query_params.get(site_filters.SITE_PARAM),
                                                      all_sites["site_id"])
problems = list(parsed.problems) + ([site_problem] if site_problem else [])
raw_lang = st.query_params.get(LANGUAGE_KEY)
if raw_lang is not None and raw_lang not in LANGUAGES:
    problems.append(site_filters.ParamProblem(LANGUAGE_KEY, raw_lang))
for problem in problems:
    st.warning(t("bad_parameter", lang, name=problem.param, value=site_filters.markdown_literal(problem.value)),
               icon=":material/info:")

site_filter = parsed.site_filter
shown = filtered_sites(site_filter)
if site_id is not None and site_id not in set(shown["site_id"]):
    # a linked site is always on the map, even if the link's filter would hide it
    site_filter, shown = site_filters.SiteFilter(), all_sites

tiles_on = False
try:
    provider = tile_source()
    tiles_on = st.toggle(t("embed_tiles_toggle", lang, host=provider.host), key="embed_tiles",
                         help=t("privacy_note", lang))
except TileConfigError as error:
    st.warning(t("error_generic", lang, message=str(error)))
if shown.empty:
    st.info(t("embed_no_sites", lang))

prepared = frameless_map(site_filter, lang, key=f"embed-{lang}", tiles=tiles_on, legend=False,
                         base_path=st.get_option("server.baseUrlPath") or "")
newly_clicked, st.session_state[LAST_CLICK_KEY] = clicked_site(
    st.session_state.get(prepared.key), st.session_state.get(LAST_CLICK_KEY), prepared.key, shown)
if newly_clicked is not None:
    st.session_state[CHOSEN_KEY] = newly_clicked
chosen = st.session_state.get(CHOSEN_KEY) or site_id
ring = selected_site_layer(all_sites.loc[all_sites["site_id"] == chosen].iloc[0]) if chosen else None
show_prepared_map(prepared, MAP_HEIGHT, CLICK_FIELDS, feature_group=ring)

full_atlas_url = f"{FULL_ATLAS_PATH}?{urlencode({**link_params(site_filter, chosen), LANGUAGE_KEY: lang}, doseq=True)}"
count_text = (t("embed_site_count_one", lang) if len(shown) == 1
              else t("embed_site_count", lang, count=len(shown)))
site_html = ""
if chosen:
    site = all_sites.loc[all_sites["site_id"] == chosen].iloc[0]
    place = ", ".join(part for part in (site["locality"], site["municipality"]) if part)
    site_html = (f'<div class="sa-embed-site"><strong>{html.escape(site["name"])}</strong> · '
                 f'{html.escape(program_label(site["program"], lang))}'
                 f'{" · " + html.escape(place) if place else ""}</div>')
st.markdown(
    f'{site_html}<div class="sa-embed-bar"><span>{html.escape(count_text)}</span>'
    f'<a href="{html.escape(full_atlas_url)}" target="_blank" rel="noopener">'
    f'{html.escape(t("embed_open_full_atlas", lang))} ↗</a></div>'
    f'<details class="sa-embed-legend"><summary>{html.escape(t("legend_title", lang))}</summary>'
    f'{legend_html(lang, programs=shown["program"].unique())}</details>'
    f'<div class="sa-embed-attribution">{html.escape(t("embed_attribution", lang))}'
    f'{" · " + html.escape(provider.attribution_text) if tiles_on else ""}</div>',
    unsafe_allow_html=True,
)
