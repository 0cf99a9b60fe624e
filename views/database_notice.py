"""What visitors see while the PostgreSQL store cannot be reached (deployments with several replicas).

The GeoPackage store never raises these; with the database store, a replica keeps showing the data it
has cached (with a note) and, where it has nothing cached, says so and reloads by itself once the
database answers again, so nobody has to press reload after a database restart.
"""

from __future__ import annotations

import streamlit as st

from geo import store
from geo.texts import t

RETRY_SECONDS = 3


def stale_data_note(lang: str) -> None:
    """A note while the database does not answer and cached data is shown."""
    try:
        store.data_version()  # asks the database at most once per poll interval (a file stat without one)
    except store.StoreError:
        return  # nothing cached at all: the page cannot be drawn and `database_unavailable` says so
    if store.database_problem() is not None:
        st.warning(t("database_stale", lang), icon=":material/cloud_off:")


def database_unavailable(lang: str) -> None:
    """The page could not be drawn without the database: say so and rerun as soon as it is back."""
    st.error(t("database_unavailable", lang), icon=":material/cloud_off:")
    _rerun_when_database_is_back()


@st.fragment(run_every=RETRY_SECONDS)
def _rerun_when_database_is_back() -> None:
    try:
        store.data_version()
    except store.StoreError:
        return
    if store.database_problem() is None:
        st.rerun(scope="app")
