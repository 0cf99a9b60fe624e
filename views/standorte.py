"""Sites page (URL path `standorte`): the filtered sites as a sortable, searchable table with downloads;
`?site=<site_id>` opens that site's profile. The table is also the map's text alternative."""

from __future__ import annotations

import streamlit as st

from geo.api.links import site_url, sites_url
from geo.expose.downloads import CSV_MEDIA_TYPE, GEOJSON_MEDIA_TYPE
from geo.expose.profile import profile_html, site_permalink
from geo.texts import t
from views.aid_estimator import site_aid_estimator
from views.data import site_downloads, site_profile_of, sites_table
from views.filters import link_params, set_selected_site, show_count, site_choice, site_list_page
from views.frame import current_language
from views.shortlist import shortlist_controls

TABLE_KEY = "atlas_sites_table"
ROW_PX = 35  # the grid's row (and header) height in Streamlit's default theme
VISIBLE_ROWS = 10  # more rows scroll inside the grid, as Streamlit's own default height does


def table_height(rows: int) -> int:
    """The grid's height in pixels: its header and up to VISIBLE_ROWS rows, with the frame's border."""
    return ROW_PX * (min(rows, VISIBLE_ROWS) + 1) + 3


def _select_from_table(table_ids: list[str]) -> None:
    rows = st.session_state[TABLE_KEY].selection.rows
    set_selected_site(table_ids[rows[0]] if rows else None)


lang = current_language()
view = site_list_page(lang, "standorte", "sites_heading", "sites_intro")
site_filter, all_sites, shown, chosen = view.site_filter, view.all_sites, view.shown, view.chosen

count_column, link_column = st.columns([1, 1], vertical_alignment="center")
with count_column:
    show_count(len(shown), len(all_sites), lang)
with link_column:
    st.page_link(
        "views/karte.py",
        label=t("sites_map_link", lang),
        icon=":material/map:",
        query_params=link_params(site_filter, chosen),
    )

if shown.empty:
    st.info(t("filter_none_match", lang), icon=":material/filter_alt_off:")
else:
    table = sites_table(site_filter, lang)  # a Styler: figures read with date and mark, sort by number
    table_ids = list(table.data.index)
    # The page's own search field above filters the table; the grid's toolbar (search, full screen) would
    # only add Streamlit's untranslated English button names to a German page.
    # Its height is set and reserved before the grid's code arrives (about 490 KB, loaded on first use): the
    # table otherwise pushes everything below it down the screen when it appears (a layout shift of 0.26 on a
    # phone).
    height = table_height(len(table_ids))
    st.html(
        f"<style>.st-key-{TABLE_KEY} [data-testid='stElementToolbar'] {{ display: none; }}"
        f".st-key-{TABLE_KEY} {{ min-height: {height}px; }}</style>"
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=height,
        key=TABLE_KEY,
        on_select=lambda: _select_from_table(table_ids),
        selection_mode="single-row",
        row_height=None,
        placeholder="–",  # a missing figure, as the atlas writes it everywhere (Streamlit would draw "None")
    )
    st.caption(t("figures_age_legend", lang))
    csv_bytes, geojson_bytes = site_downloads(site_filter, lang)
    csv_column, geojson_column = st.columns(2)
    csv_column.download_button(
        t("download_sites_csv", lang),
        csv_bytes,
        file_name="standortatlas-standorte.csv",
        mime=CSV_MEDIA_TYPE,
        help=t("download_sites_csv_help", lang),
        icon=":material/download:",
        on_click="ignore",
    )
    geojson_column.download_button(
        t("download_sites_geojson", lang),
        geojson_bytes,
        file_name="standortatlas-standorte.geojson",
        mime=GEOJSON_MEDIA_TYPE,
        help=t("download_sites_geojson_help", lang),
        icon=":material/download:",
        on_click="ignore",
    )
    st.markdown(f"[{t('api_link_sites', lang)}]({sites_url(site_filter, lang)})")

site_choice(shown, chosen, lang, names=dict(zip(all_sites["site_id"], all_sites["name"], strict=True)))
shortlist_controls(chosen, lang, site_filter)  # shortlist, exposé, comparison link, print view
profile = site_profile_of(chosen, lang) if chosen is not None else None
if profile is not None:
    with st.container(border=True):
        st.html(
            profile_html(
                profile,
                permalink=site_permalink(profile.site_id, lang, "standorte"),
                data_link=site_url(profile.site_id, lang),
            )
        )
        site_aid_estimator(profile.site_id, lang, key="standorte_aid")
        st.button(t("map_close_profile", lang), on_click=set_selected_site, args=(None,), icon=":material/close:")
