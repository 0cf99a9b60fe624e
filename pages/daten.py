"""Page `daten` (being built)."""

import streamlit as st

st.info("…")
