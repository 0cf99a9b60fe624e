"""Page `standorte` (being built)."""

import streamlit as st

st.info("…")
