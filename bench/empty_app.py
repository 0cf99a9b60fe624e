"""The baseline of `python -m geo bench`: an empty Streamlit page (its text is bench.measure_browser.EMPTY_APP_TEXT)."""

import streamlit as st

st.write("Leere Streamlit-App")
