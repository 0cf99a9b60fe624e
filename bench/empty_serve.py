"""The baseline served the way the atlas is served (`streamlit run bench/empty_serve.py`): the empty page
of bench/empty_app.py behind serve.py's listening-socket setting (TCP_NODELAY), for the benchmark's
second comparison: what the atlas's pages cost beyond an empty page on the same server set-up."""

from pathlib import Path

import streamlit as st

from serve import lifespan

app = st.App(str(Path(__file__).with_name("empty_app.py")), lifespan=lifespan)
