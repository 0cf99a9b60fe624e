"""Sites page (URL path `standorte`): the filtered sites as a sortable, searchable table with downloads;
`?site=<site_id>` opens that site's profile. The table is also the map's text alternative."""

from __future__ import annotations

import streamlit as st

from geo.api.links import site_url, sites_url
from geo.expose.downloads import CSV_MEDIA_TYPE, GEOJSON_MEDIA_TYPE
from geo.expose.profile import profile_html, site_permalink
from geo.texts import t
from views.aid_estimator import site_aid_estimator
from views.data import site_downloads, site_profile_of, site_table_rows
from views.filters import link_params, set_selected_site, show_count, site_choice, site_list_page
from views.frame import current_language
from views.shortlist import shortlist_controls
from views.site_table import site_table

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
    # the app's own table (views/site_table.py): sorts in the browser, a row opens the profile below
    site_table(site_table_rows(site_filter, lang), lang, chosen, on_select=set_selected_site)
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
