"""Overview map (URL path `karte`, the default page): filters, map, legend and the chosen site's profile.

The map is built and prepared once per filter state (views/data.py); choosing a site draws a ring on
top without rebuilding or remounting it, and the component reports clicks only, so panning and zooming
do not rerun this script.
"""

from __future__ import annotations

import streamlit as st

from geo.maps import clicked_site, legend_html, selected_site_layer
from geo.site_profile import profile_html, site_permalink
from geo.texts import t
from geo.tiles import TileConfigError, tile_source
from views.data import atlas_map, show_prepared_map, site_profile_of
from views.filters import link_params, set_selected_site, show_count, site_choice, site_list_page
from views.frame import current_language

MAP_HEIGHT = 560
CLICK_FIELDS = ["last_object_clicked", "last_object_clicked_tooltip", "last_object_clicked_count"]
LAST_CLICK_KEY = "atlas_map_last_click"
TILES_KEY = "atlas_tiles"


lang = current_language()
view = site_list_page(lang, "karte", "map_heading", "map_intro")
site_filter, all_sites, shown, chosen = view.site_filter, view.all_sites, view.shown, view.chosen

count_column, tiles_column = st.columns([1, 1], vertical_alignment="center")
with count_column:
    show_count(len(shown), len(all_sites), lang)
    st.page_link("views/standorte.py", label=t("map_table_link", lang), icon=":material/table_rows:",
                 query_params=link_params(site_filter, chosen))
with tiles_column:
    tiles_on = False
    try:
        provider = tile_source()
        tiles_on = st.toggle(t("tiles_switch", lang, host=provider.host), key=TILES_KEY,
                             help=t("tiles_help", lang, host=provider.host, attribution=provider.attribution_text))
    except TileConfigError as error:
        st.warning(t("tiles_config_error", lang, message=str(error)))

if shown.empty:
    st.info(t("filter_none_match", lang), icon=":material/filter_alt_off:")

map_column, profile_column = st.columns([3, 2], gap="medium")
with map_column:
    prepared = atlas_map(site_filter, lang, tiles=tiles_on, base_path=st.get_option("server.baseUrlPath") or "")
    # a click that reran the script is known before the map is drawn, so its ring appears at once
    newly_clicked, st.session_state[LAST_CLICK_KEY] = clicked_site(
        st.session_state.get(prepared.key), st.session_state.get(LAST_CLICK_KEY), prepared.key, shown)
    if newly_clicked is not None:
        set_selected_site(newly_clicked)
        chosen = newly_clicked
    ring = None
    if chosen is not None and chosen in set(shown["site_id"]):
        ring = selected_site_layer(shown[shown["site_id"] == chosen].iloc[0])
    show_prepared_map(prepared, MAP_HEIGHT, CLICK_FIELDS, feature_group=ring)
    st.html(legend_html(lang, programs=shown["program"].unique() if not shown.empty else None,
                        heading_level=2))

with profile_column:
    site_choice(shown, chosen, lang, names=dict(zip(all_sites["site_id"], all_sites["name"])))
    profile = site_profile_of(chosen, lang) if chosen is not None else None
    if profile is None:
        st.info(t("map_no_selection", lang), icon=":material/touch_app:")
    else:
        if chosen not in set(shown["site_id"]):
            st.markdown(t("map_outside_filter", lang))
        st.html(profile_html(profile, permalink=site_permalink(profile.site_id, lang)))
        st.button(t("map_close_profile", lang), on_click=set_selected_site, args=(None,), icon=":material/close:")
