"""Page `strukturwandel` (being built)."""

import streamlit as st

st.info("…")
