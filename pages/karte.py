"""Overview map (URL path `karte`, the default page)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from geo.maps import district_overview_map
from geo.texts import t
from pages.data import reference_layer
from pages.frame import current_language


@st.cache_resource(show_spinner=False)
def cached_overview_map_html(lang: str):
    return district_overview_map(reference_layer("states_web"), reference_layer("districts_web"), lang)


lang = current_language()
st.title(t("app_title", lang))
st.caption(t("app_tagline", lang))
districts = reference_layer("districts_web")
st.write(t("first_map_caption", lang, count=len(districts)))
st_folium(cached_overview_map_html(lang), height=620, use_container_width=True, returned_objects=[],
          key="overview_map")
