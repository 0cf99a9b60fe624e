"""Standortatlas: router and shared frame (DESIGN §2). Start with `make run`."""

from __future__ import annotations

import streamlit as st

from geo.paths import ASSETS_DIR
from geo.texts import t
from pages.frame import attribution, current_language, language_switch, set_html_language

st.set_page_config(page_title="Standortatlas", page_icon=str(ASSETS_DIR / "logo.png"), layout="wide")

lang = current_language()
pages = [
    st.Page("pages/karte.py", title=t("nav_map", lang), icon=":material/map:", url_path="karte",
            default=True),
]
page = st.navigation(pages)
with st.sidebar:
    lang = language_switch()
set_html_language(lang)
page.run()
attribution(lang)
