"""Embed page (URL path `einbetten`): a compact site map for an iframe on another website.

No frame, no login, no upload, no link to the staff page, and no third-party request until the visitor
switches the background map on. The URL chooses what it shows, with the main map's parameter names
(`program`, `state`, `zone`, `theme`, `q`, `site`, `lang`); unknown values are reported and ignored.
The map fills the height the host page gives the iframe; its bar shows the count, the link to the full
atlas and the attribution; a click on a site opens a popup with program, place and a link to its profile.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from geo.maps.tiles import TileConfigError, tile_source
from geo.sites import filters as site_filters
from geo.texts import LANGUAGES, t
from views.atlas_map import atlas_map
from views.data import filtered_sites, site_id_renames, site_ids, site_vocabulary
from views.filters import link_params
from views.frame import FRAMELESS_REVEAL, LANGUAGE_KEY, current_language, ignored_values_text

MAP_KEY = "embed_map"
MIN_MAP_HEIGHT = 240
# The full atlas's map page, relative to the app's root (the map resolves it against its own address).
FULL_ATLAS_PATH = site_filters.MAP_PAGE

# Tight margins: the iframe is small and every pixel should be map. The main area appears with them.
st.html(f"""<style>
.block-container, [data-testid="stMainBlockContainer"] {{ padding: 0.4rem 0.6rem 0 !important; }}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{ gap: 0.3rem; }}
{FRAMELESS_REVEAL}
</style>""")

lang = current_language()
known_ids = site_ids()
parsed = site_filters.parse_filter_params(
    {name: st.query_params.get_all(name) for name in site_filters.FILTER_PARAMS}, site_vocabulary()
)
site_id, site_problem = site_filters.parse_site_param(
    st.query_params.get(site_filters.SITE_PARAM), known_ids, site_id_renames()
)
if site_id is not None and st.query_params.get(site_filters.SITE_PARAM) != site_id:
    st.query_params[site_filters.SITE_PARAM] = site_id  # a renamed site's old id: the link's id of today
problems = list(parsed.problems) + ([site_problem] if site_problem else [])
raw_lang = st.query_params.get(LANGUAGE_KEY)
if raw_lang is not None and raw_lang not in LANGUAGES:
    problems.append(site_filters.ParamProblem(LANGUAGE_KEY, raw_lang))
for problem in problems:
    st.warning(
        t("bad_parameter", lang, name=problem.param, value=ignored_values_text(problem, lang)),
        icon=":material/info:",
    )

tiles = None
try:
    provider = tile_source()
    if st.toggle(t("embed_tiles_toggle", lang, host=provider.host), key="embed_tiles", help=t("privacy_note", lang)):
        tiles = provider
except TileConfigError as error:
    st.warning(t("error_generic", lang, message=str(error)))

site_filter = parsed.site_filter
if site_id is not None and not (filtered_sites(site_filter)["site_id"] == site_id).any():
    site_filter = site_filters.SiteFilter()  # a linked site is always on the map, even if the link's filter hides it

base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
atlas_path = f"/{base_path}/{FULL_ATLAS_PATH}" if base_path else f"/{FULL_ATLAS_PATH}"
full_atlas_url = f"{atlas_path}?{urlencode({**link_params(site_filter), LANGUAGE_KEY: lang}, doseq=True)}"
atlas_map(
    site_filter,
    lang,
    key=MAP_KEY,
    selected=site_id,
    mode="embed",
    tiles=tiles,
    atlas_url=full_atlas_url,
    height={"fill": True, "min": MIN_MAP_HEIGHT, "max": 2000, "bottom": 4},
)
