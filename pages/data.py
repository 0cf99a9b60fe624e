"""The single place where the app caches data access (DESIGN §2).

Pages call these functions and never read files themselves. Reference data is read once per process;
site data is keyed by the file's version (`data_version`), so an import applied by a steward shows up
in the running app without a restart.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import reference_data, store
from geo.paths import SITES_GPKG
from geo.sites_data import read_sites_for_app


@st.cache_resource(show_spinner=False)
def reference_layer(name: str) -> gpd.GeoDataFrame:
    """A geometry layer of data/reference.gpkg (shared, read-only: do not modify the result)."""
    return reference_data.read_layer(name)


@st.cache_resource(show_spinner=False)
def reference_table(name: str) -> pd.DataFrame:
    """A table of data/reference.gpkg without geometry (shared, read-only)."""
    return reference_data.read_table(name)


@st.cache_resource(show_spinner=False, max_entries=2)
def _sites_at_version(version: str) -> gpd.GeoDataFrame:
    return read_sites_for_app(SITES_GPKG)


def sites() -> gpd.GeoDataFrame:
    """All sites (shared, read-only). Keyed by the file's version, so an applied import shows at once."""
    return _sites_at_version(store.data_version(SITES_GPKG))
