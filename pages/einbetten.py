"""Page `einbetten` (being built)."""

import streamlit as st

st.info("…")
