"""Page `pflege` (being built)."""

import streamlit as st

st.info("…")
