"""The sites as the app shows them: read through geo.store, blanks instead of missing text."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geo import store
from geo.paths import SITES_GPKG


def read_sites_for_app(path: Path = SITES_GPKG) -> gpd.GeoDataFrame:
    sites = store.read_sites(path)
    text_columns = [column for column in sites.columns
                    if column != sites.geometry.name and sites[column].dtype in (object, "str", "string")]
    sites[text_columns] = sites[text_columns].fillna("")
    return sites.sort_values("site_id", kind="stable").reset_index(drop=True)
