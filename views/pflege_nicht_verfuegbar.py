"""The staff page's address (`/pflege`) on an installation without a staff password: says so plainly."""

from __future__ import annotations

import streamlit as st

from geo.texts import language_param, t
from views.frame import current_language

lang = current_language()
st.title(t("stewardship_unavailable_title", lang))
st.info(t("stewardship_unavailable_text", lang), icon=":material/lock:")
st.page_link(
    "views/karte.py",
    label=t("stewardship_unavailable_map_link", lang),
    icon=":material/map:",
    query_params=language_param(lang) or None,
)
