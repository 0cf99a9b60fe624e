"""The start page `/`: forwards to the map (`/karte`) with every URL parameter, so old and short links work."""

from __future__ import annotations

import streamlit as st

st.switch_page(
    "views/karte.py",
    query_params={key: st.query_params.get_all(key) for key in st.query_params},
)
