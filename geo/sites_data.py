"""Read the sites layer for the app; the version key lets caches notice a new file at once."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio

from geo.paths import SITES_GPKG

SITES_LAYER = "sites"


def sites_file_version(path: Path = SITES_GPKG) -> tuple[int, int]:
    """(modification time in ns, size): changes whenever an import or undo replaces the file."""
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def read_sites(path: Path = SITES_GPKG) -> gpd.GeoDataFrame:
    sites = pyogrio.read_dataframe(path, layer=SITES_LAYER)
    for column in sites.columns:
        if column != "geometry" and sites[column].dtype == object:
            sites[column] = sites[column].fillna("")
    return sites.sort_values("site_id", kind="stable").reset_index(drop=True)
