"""Where a steward's site lies: the state, district and municipality polygons of data/reference.gpkg
for point lookups, and the municipality a row names (by the shared rules of `geo.sites.rules`, the same
the build uses) for a site without coordinates."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.core.schema import STORAGE_CRS
from geo.sites.municipalities import MERGERS_CSV, MunicipalityMatch, Predecessor, find_municipality, read_mergers
from geo.sites.rules import round_coordinate

MAX_REMEMBERED_NAMES = 50_000


class Reference:
    """The state, district and municipality polygons of data/reference.gpkg, for point lookups."""

    def __init__(
        self,
        states: gpd.GeoDataFrame,
        districts: gpd.GeoDataFrame,
        municipalities: gpd.GeoDataFrame,
        mergers: list[Predecessor],
    ):
        self.states, self.districts, self.municipalities = states, districts, municipalities
        self.mergers = mergers
        self._name_of = dict(zip(municipalities["ags"].astype(str), municipalities["name"].astype(str), strict=True))
        # Name lookups need only the names, not the polygons: selecting rows of a frame without geometry
        # is many times cheaper, and a file names the same municipalities again and again.
        self._municipality_names = pd.DataFrame(municipalities.drop(columns=municipalities.geometry.name))
        self._found: dict[tuple[str, str | None, str], list[MunicipalityMatch]] = {}
        self._state_codes = states["state_code"].astype(str).tolist()
        self._district_ags = districts["ags"].astype(str).tolist()
        self._municipality_ags = municipalities["ags"].astype(str).tolist()
        self._municipality_name_list = municipalities["name"].astype(str).tolist()

    def areas_at(self, point: shapely.Point) -> dict[str, str | None]:
        """The state, district and municipality a point lies in (None outside the four states)."""
        (areas,) = self.areas_for([point])
        if areas is None:  # areas_for gives None only for a missing point
            raise ValueError("areas_at needs a point")
        return areas

    def areas_for(self, points: list[shapely.Point | None]) -> list[dict[str, str | None] | None]:
        """`areas_at` for many points at once (one spatial-index query per layer, not per point)."""
        positions = [position for position, point in enumerate(points) if point is not None]
        found: list[dict[str, str | None] | None] = [None] * len(points)
        if not positions:
            return found
        geometries = np.array([points[position] for position in positions], dtype=object)
        state = _first_containing_each(self.states, geometries)
        district = _first_containing_each(self.districts, geometries)
        municipality = _first_containing_each(self.municipalities, geometries)
        state_codes, district_ags = self._state_codes, self._district_ags
        municipality_ags, municipality_names = self._municipality_ags, self._municipality_name_list
        for offset, position in enumerate(positions):
            inside = state[offset] >= 0
            found[position] = {
                "state_code": state_codes[state[offset]] if inside else None,
                "district_ags": district_ags[district[offset]] if inside and district[offset] >= 0 else None,
                "municipality_ags": municipality_ags[municipality[offset]]
                if inside and municipality[offset] >= 0
                else None,
                "municipality": municipality_names[municipality[offset]]
                if inside and municipality[offset] >= 0
                else None,
            }
        return found

    def find_municipality(
        self, name: str, state_code: str | None = None, locality: str | None = None
    ) -> list[MunicipalityMatch]:
        """The municipalities ``name`` may mean, narrowed to ``state_code`` if given: one entry is a match,
        several are ambiguous. A municipality formed after 2017 is placed in the predecessor that
        ``locality`` names."""
        key = (name, state_code, locality or "")
        if key not in self._found:
            if len(self._found) >= MAX_REMEMBERED_NAMES:  # the object lives as long as the reference file
                self._found.clear()
            self._found[key] = find_municipality(
                name, locality or "", self._municipality_names, self.mergers, state_code
            )
        return list(self._found[key])

    def name_of(self, ags: str) -> str:
        return self._name_of.get(ags, ags)

    def municipality_point(self, ags: str) -> shapely.Point:
        polygon = self.municipalities.geometry[self.municipalities["ags"].astype(str) == ags].iloc[0]
        point = shapely.make_valid(polygon).representative_point()
        return shapely.Point(round_coordinate(point.x), round_coordinate(point.y))


def _first_containing_each(polygons: gpd.GeoDataFrame, points: np.ndarray) -> np.ndarray:
    """For each point the lowest position of a polygon it intersects, or -1. "intersects", not "within":
    a point on a shared border still belongs somewhere; the lowest position wins so the answer is
    deterministic."""
    hits = polygons.sindex.query(points, predicate="intersects")
    first = np.full(len(points), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, hits[0], hits[1])
    first[first == np.iinfo(np.int64).max] = -1
    return first


def load_reference(reference_path: Path, mergers_path: Path = MERGERS_CSV) -> Reference:
    stat = os.stat(reference_path)  # FileNotFoundError is reported by the caller
    return _load_reference_version(str(reference_path), stat.st_mtime_ns, stat.st_size, str(mergers_path))


@lru_cache(maxsize=2)
def _load_reference_version(path: str, mtime_ns: int, size: int, mergers_path: str) -> Reference:
    # cached per file version: reading municipality polygons takes a moment, the file rarely changes
    layers = {
        "states": ["state_code"],
        "districts": ["ags"],
        "municipalities": ["ags", "name", "state_code", "district_ags"],
    }
    frames = {}
    for layer, columns in layers.items():
        frame = pyogrio.read_dataframe(path, layer=layer, columns=columns)
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise KeyError(f"layer {layer} lacks {', '.join(missing)}")
        frames[layer] = frame.to_crs(STORAGE_CRS) if frame.crs is not None else frame.set_crs(STORAGE_CRS)
    for frame in frames.values():
        shapely.prepare(frame.geometry.values)  # point-in-polygon tests against detailed borders
    municipalities = frames["municipalities"]
    for column in ("ags", "district_ags", "state_code"):
        municipalities[column] = municipalities[column].astype(str)
    return Reference(frames["states"], frames["districts"], municipalities, read_mergers(Path(mergers_path)))
