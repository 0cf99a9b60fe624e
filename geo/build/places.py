"""The reference areas a build places sites in: districts, municipalities (EPSG:3035, indexed) and the
outline of the four states, read from data/reference.gpkg, and which municipality holds a point.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Point

from geo.build.reference import BuildError
from geo.core.schema import (
    METRIC_CRS,
)


def load_reference(reference_path: Path):
    if not Path(reference_path).exists():
        raise BuildError(f"{reference_path} is missing; run `python -m geo build --only reference` first")
    districts = pyogrio.read_dataframe(reference_path, layer="districts", columns=["ags", "name", "kind", "state_code"])
    municipalities = pyogrio.read_dataframe(
        reference_path, layer="municipalities", columns=["ags", "name", "district_ags", "state_code"]
    )
    states = pyogrio.read_dataframe(reference_path, layer="states", columns=["state_code", "name"])
    municipalities = municipalities.to_crs(METRIC_CRS).sort_values("ags", kind="stable").reset_index(drop=True)
    states = states.to_crs(METRIC_CRS)
    return pd.DataFrame(districts.drop(columns="geometry")), municipalities, states


@dataclass
class Places:
    """The reference areas a build places sites in (EPSG:3035 where metric)."""

    districts: pd.DataFrame
    municipalities: gpd.GeoDataFrame
    four_states: shapely.Geometry
    geometry_of: dict[str, shapely.Geometry]
    name_of: dict[str, str]

    @classmethod
    def load(cls, reference_path: Path) -> Places:
        districts, municipalities, states = load_reference(reference_path)
        shapely.prepare(municipalities.geometry.values)
        return cls(
            districts,
            municipalities,
            shapely.union_all(states.geometry.values),
            dict(zip(municipalities["ags"], municipalities.geometry, strict=True)),
            dict(zip(municipalities["ags"], municipalities["name"], strict=True)),
        )


def containing_ags(point: Point, municipalities: gpd.GeoDataFrame) -> str | None:
    hits = municipalities.sindex.query(point, predicate="within")
    if len(hits) == 0:
        return None
    return sorted(municipalities["ags"].iloc[hits])[0]
