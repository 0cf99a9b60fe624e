"""Where a steward's site lies: the state, district and municipality polygons of data/reference.gpkg
for point lookups, and the municipality a row names (by the shared rules of `geo.place_rules`, the same
the build uses) for a site without coordinates."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from geo.place_rules import (
    MERGERS_CSV, STORAGE_CRS, MunicipalityMatch, Predecessor, find_municipality, read_mergers, round_coordinate,
)


class Reference:
    """The state, district and municipality polygons of data/reference.gpkg, for point lookups."""

    def __init__(self, states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame,
                 mergers: list[Predecessor]):
        self.states, self.districts, self.municipalities = states, districts, municipalities
        self.mergers = mergers
        self._name_of = dict(zip(municipalities["ags"].astype(str), municipalities["name"].astype(str)))

    def areas_at(self, point: shapely.Point) -> dict[str, str | None]:
        state = _first_containing(self.states, point)
        district = _first_containing(self.districts, point) if state is not None else None
        municipality = _first_containing(self.municipalities, point) if state is not None else None
        return {
            "state_code": None if state is None else str(self.states["state_code"].iloc[state]),
            "district_ags": None if district is None else str(self.districts["ags"].iloc[district]),
            "municipality_ags": None if municipality is None else str(self.municipalities["ags"].iloc[municipality]),
            "municipality": None if municipality is None else str(self.municipalities["name"].iloc[municipality]),
        }

    def find_municipality(self, name: str, state_code: str | None = None, locality: str | None = None
                          ) -> list[MunicipalityMatch]:
        """The municipalities ``name`` may mean, narrowed to ``state_code`` if given: one entry is a match,
        several are ambiguous. A municipality formed after 2017 is placed in the predecessor that
        ``locality`` names."""
        return find_municipality(name, locality or "", self.municipalities, self.mergers, state_code)

    def name_of(self, ags: str) -> str:
        return self._name_of.get(ags, ags)

    def municipality_point(self, ags: str) -> shapely.Point:
        polygon = self.municipalities.geometry[self.municipalities["ags"].astype(str) == ags].iloc[0]
        point = shapely.make_valid(polygon).representative_point()
        return shapely.Point(round_coordinate(point.x), round_coordinate(point.y))


def _first_containing(polygons: gpd.GeoDataFrame, point: shapely.Point) -> int | None:
    # "intersects", not "within": a point on a shared border still belongs somewhere; the lowest
    # position wins so the answer is deterministic.
    hits = polygons.sindex.query(point, predicate="intersects")
    return int(hits.min()) if len(hits) else None


def load_reference(reference_path: Path, mergers_path: Path = MERGERS_CSV) -> Reference:
    stat = os.stat(reference_path)  # FileNotFoundError is reported by the caller
    return _load_reference_version(str(reference_path), stat.st_mtime_ns, stat.st_size, str(mergers_path))


@lru_cache(maxsize=2)
def _load_reference_version(path: str, mtime_ns: int, size: int, mergers_path: str) -> Reference:
    # cached per file version: reading municipality polygons takes a moment, the file rarely changes
    layers = {
        "states": ["state_code"], "districts": ["ags"],
        "municipalities": ["ags", "name", "state_code", "district_ags"],
    }
    frames = {}
    for layer, columns in layers.items():
        frame = pyogrio.read_dataframe(path, layer=layer, columns=columns)
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise KeyError(f"layer {layer} lacks {', '.join(missing)}")
        frames[layer] = frame.to_crs(STORAGE_CRS) if frame.crs is not None else frame.set_crs(STORAGE_CRS)
    municipalities = frames["municipalities"]
    for column in ("ags", "district_ags", "state_code"):
        municipalities[column] = municipalities[column].astype(str)
    return Reference(frames["states"], frames["districts"], municipalities, read_mergers(Path(mergers_path)))
