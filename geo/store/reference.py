"""Read the layers of data/reference.gpkg. Callers cache the results (views/data.py)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core.paths import REFERENCE_GPKG

GEOMETRY_LAYERS = (
    "states",
    "districts",
    "municipalities",
    "zones",
    "states_web",
    "districts_web",
    "municipalities_web",
    "zones_web",
    "research_institutions",
)
TABLE_LAYERS = ("zone_districts", "zone_facts", "sources", "development_banks")


class ReferenceDataMissing(FileNotFoundError):
    """data/reference.gpkg is absent; `python -m geo build` makes it."""


def _require(path: Path) -> Path:
    if not path.exists():
        raise ReferenceDataMissing(f"{path} is missing; run `python -m geo build`")
    return path


def read_layer(name: str, path: Path = REFERENCE_GPKG) -> gpd.GeoDataFrame:
    if name not in GEOMETRY_LAYERS:
        raise ValueError(f"unknown geometry layer {name!r}")
    return pyogrio.read_dataframe(_require(path), layer=name)


def read_table(name: str, path: Path = REFERENCE_GPKG) -> pd.DataFrame:
    if name not in TABLE_LAYERS:
        raise ValueError(f"unknown table {name!r}")
    return pd.DataFrame(pyogrio.read_dataframe(_require(path), layer=name, read_geometry=False))
