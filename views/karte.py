"""Map page (URL path `karte`, the default page): the map first, filters beside it, the chosen site's profile.

The map is the atlas map component (views/atlas_map.py): it receives the filter and applies it in the
browser, so a filter change reruns this script without any work per site (no filtering here, no count:
the map shows the count itself). The search field is part of the map: the map filters as the visitor
types and then reports the text, which this script puts into the URL (`?q=`) for the links and the
shortlist beside it. A click on a site, or a search with a single hit, reaches this script as a map
event and puts the site into the URL (`?site=`) and the profile beside the map.
"""

from __future__ import annotations

import streamlit as st

from geo.expose.profile import profile_html, site_permalink
from geo.maps.tiles import TileConfigError, TileSource, tile_source
from geo.texts import t
from views.atlas_map import atlas_map, map_event, map_query
from views.data import site_ids, site_profile_of
from views.filters import filter_panel, link_params, read_filter, selected_site, set_selected_site
from views.frame import current_language
from views.shortlist import shortlist_controls

MAP_KEY = "atlas_map"
TILES_KEY = "atlas_tiles"

lang = current_language()
# The heading, messages and filter widgets go above the map, but are drawn after it: the browser then
# starts loading the map's frame first.
head = st.container()
head.title(t("map_heading", lang), anchor=False, help=t("map_intro", lang))
filter_state = read_filter(lang, "karte", typed_query=map_query(MAP_KEY))
site_filter = filter_state[0]
with head:
    chosen = selected_site(site_ids(), lang)
event = map_event(MAP_KEY)
if event is not None and event.site_id in site_ids():
    set_selected_site(event.site_id)
    chosen = event.site_id

map_column, side_column = st.columns([2.3, 1], gap="medium")
tiles: TileSource | None = None
provider: TileSource | None = None
try:
    provider = tile_source()
    # the switch is drawn beside the map; its value is known before, so the map is sent first
    tiles = provider if st.session_state.get(TILES_KEY) else None
except TileConfigError as error:
    side_column.warning(t("tiles_config_error", lang, message=str(error)))

with map_column:
    atlas_map(site_filter, lang, key=MAP_KEY, selected=chosen, tiles=tiles, search=True)
with head:
    filter_panel(lang, "karte", filter_state, search=False)

with side_column:
    if provider is not None:
        st.toggle(
            t("tiles_switch", lang, host=provider.host),
            key=TILES_KEY,
            help=t("tiles_help", lang, host=provider.host, attribution=provider.attribution_text),
        )
    st.page_link(
        "views/standorte.py",
        label=t("map_table_link", lang),
        icon=":material/table_rows:",
        query_params=link_params(site_filter, chosen),
    )
    shortlist_controls(chosen, lang, site_filter)  # shortlist, exposé, comparison link, print view
    profile = site_profile_of(chosen, lang) if chosen is not None else None
    if profile is None:
        st.info(t("map_no_selection", lang), icon=":material/touch_app:")
    else:
        st.html(profile_html(profile, permalink=site_permalink(profile.site_id, lang)))
        st.button(t("map_close_profile", lang), on_click=set_selected_site, args=(None,), icon=":material/close:")
