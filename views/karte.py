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

from geo.api.links import site_url
from geo.expose.profile import profile_html, site_permalink
from geo.maps.tiles import TileConfigError, TileSource, tile_source
from geo.texts import t
from views.aid_estimator import site_aid_estimator
from views.atlas_map import atlas_map, map_event, map_query
from views.data import site_ids, site_profile_of
from views.filters import (
    filter_panel,
    link_params,
    program_buttons,
    read_filter,
    selected_site,
    set_selected_site,
)
from views.frame import current_language
from views.shortlist import shortlist_controls

MAP_KEY = "atlas_map"
TILES_KEY = "atlas_tiles"
LAYOUT_KEY = "atlas_map_layout"
_COLUMNS = f".st-key-{LAYOUT_KEY} [data-testid='stHorizontalBlock']"
LAYOUT_CSS = f"""
.st-key-{LAYOUT_KEY} {{ container-type: inline-size; }}
{_COLUMNS} > [data-testid='stColumn']:first-child {{ flex: 1 1 0 !important; width: auto !important; min-width: 0; }}
{_COLUMNS} > [data-testid='stColumn']:last-child {{ flex: 0 0 max(20rem, 30%) !important; width: auto !important; }}
@container (max-width: 44rem) {{
  {_COLUMNS} {{ flex-wrap: wrap; }}
  {_COLUMNS} > [data-testid='stColumn']:is(:first-child, :last-child) {{ flex: 1 1 100% !important; }}
}}
"""

lang = current_language()
# The heading, messages and filter button come first, in the order they are seen: drawn after the map,
# they would push it down when they arrive.
st.title(t("map_heading", lang), anchor=False, help=t("map_intro", lang))
filter_state = read_filter(lang, "karte", typed_query=map_query(MAP_KEY))
site_filter = filter_state[0]
chosen = selected_site(site_ids(), lang)
filter_panel(lang, "karte", filter_state, search=False)
event = map_event(MAP_KEY)
if event is not None and event.id in site_ids():
    set_selected_site(event.id)
    chosen = event.id

# The profile column keeps room for its words: at least 20rem beside the map, and below the map where the
# page is too narrow for both (a laptop with the sidebar open, a phone). Streamlit's columns would share the
# width 2.3 : 1 at any width (155 px for the profile at 1024 px).
st.html(f"<style>{LAYOUT_CSS}</style>")
map_column, side_column = st.container(key=LAYOUT_KEY).columns([2.3, 1], gap="medium")
tiles: TileSource | None = None
provider: TileSource | None = None
try:
    provider = tile_source()
    # the switch is drawn beside the map; its value is known before, so the map is sent first
    tiles = provider if st.session_state.get(TILES_KEY) else None
except TileConfigError as error:
    side_column.warning(t("tiles_config_error", lang, message=str(error)))

with map_column:
    atlas_map(
        site_filter,
        lang,
        key=MAP_KEY,
        selected=chosen,
        tiles=tiles,
        search=True,
        program_buttons=program_buttons(lang),
    )

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
        st.html(
            profile_html(
                profile, permalink=site_permalink(profile.site_id, lang), data_link=site_url(profile.site_id, lang)
            )
        )
        site_aid_estimator(profile.site_id, lang, key="karte_aid")
        st.button(t("map_close_profile", lang), on_click=set_selected_site, args=(None,), icon=":material/close:")
