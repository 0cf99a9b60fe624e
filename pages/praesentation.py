"""Page `praesentation` (being built)."""

import streamlit as st

st.info("…")
