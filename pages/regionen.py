"""Page `regionen` (being built)."""

import streamlit as st

st.info("…")
