"""What the API serves, read once per data version and shared by every request of the process.

The sites come through the same store as the app's pages (`geo.store`: the GeoPackage, or PostgreSQL when
STANDORTATLAS_DATABASE_URL is set), keyed by `store.data_version`, so an applied import or an undo shows in
the API with the next request, as it does on the next page view (a replica asks the database at most once
a second). Districts and zones come from data/reference.gpkg, which only a new release changes; they are
read once per file version.

Each entry holds the GeoJSON features already built, so a request only filters, pages and copies them:
its cost grows with the features it returns, not with the features the store holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache, cached_property
from typing import Generic, TypeVar

import geopandas as gpd
import numpy as np
import pandas as pd

from geo import store
from geo.api.features import area_features, district_extras, site_features, zone_extras
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.maps import payload
from geo.sites import filters as site_filters
from geo.sites import renames
from geo.store import geopackage, read_facts, read_sites_for_app
from geo.store import reference as reference_data

T = TypeVar("T")


@dataclass(frozen=True)
class Layer:
    """One collection's features at one data version, with what filtering needs beside them."""

    version: str
    modified: datetime  # when this version was written (Last-Modified)
    frame: gpd.GeoDataFrame  # the rows the features were built from, same order
    features: tuple[dict, ...]
    bounds: np.ndarray  # per feature: minx, miny, maxx, maxy (EPSG:4326)
    search_texts: pd.Series | None = None  # sites only: the folded text the free-text search reads

    @cached_property
    def positions(self) -> dict[str, int]:
        """Feature id -> its position (an item request finds its feature at once, whatever the count)."""
        return {feature["id"]: position for position, feature in enumerate(self.features)}

    def in_bbox(self, bbox: list[float]) -> np.ndarray:
        """Which features' bounding boxes meet `bbox` (minx, miny, maxx, maxy; minx > maxx crosses the
        antimeridian); exact for points, refined by shape for polygons by the caller."""
        minx, miny, maxx, maxy = bbox
        b = self.bounds
        across = (b[:, 0] <= maxx) & (b[:, 2] >= minx) if minx <= maxx else (b[:, 0] <= maxx) | (b[:, 2] >= minx)
        return across & (b[:, 1] <= maxy) & (b[:, 3] >= miny)


class _VersionCache(Generic[T]):
    """The last few results of `build(version)`, one build at a time per version (requests run in threads)."""

    def __init__(self, build: Callable[[str], T], size: int = 2) -> None:
        self._build, self._size = build, size
        self._entries: OrderedDict[str, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: str) -> T:
        with self._lock:
            if version in self._entries:
                self._entries.move_to_end(version)
                return self._entries[version]
            layer = self._build(version)
            self._entries[version] = layer
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
            return layer

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def reference_version() -> str:
    """The reference file's version (the same token the store gives a GeoPackage)."""
    return geopackage.data_version(REFERENCE_GPKG)


def _bounds(frame: gpd.GeoDataFrame) -> np.ndarray:
    return frame.geometry.bounds.to_numpy() if len(frame) else np.zeros((0, 4))


def _build_sites(version: str) -> Layer:
    sites = read_sites_for_app(SITES_GPKG)
    facts = read_facts(SITES_GPKG, sites["site_id"])
    modified = store.data_changed_at(SITES_GPKG)
    return Layer(
        version, modified, sites, tuple(site_features(sites, facts)), _bounds(sites), site_filters.search_text(sites)
    )


def _build_districts(version: str) -> Layer:
    districts = reference_data.read_layer("districts").sort_values("ags", kind="stable").reset_index(drop=True)
    extras = district_extras(districts, reference_data.read_table("zone_districts"))
    return Layer(
        version,
        geopackage.data_changed_at(REFERENCE_GPKG),
        districts,
        tuple(area_features(districts, "ags", extras)),
        _bounds(districts),
    )


def _build_zones(version: str) -> Layer:
    zones = reference_data.read_layer("zones").sort_values("zone_id", kind="stable").reset_index(drop=True)
    extras = zone_extras(zones, reference_data.read_table("zone_districts"), reference_data.read_table("zone_facts"))
    return Layer(
        version,
        geopackage.data_changed_at(REFERENCE_GPKG),
        zones,
        tuple(area_features(zones, "zone_id", extras)),
        _bounds(zones),
    )


_SITES = _VersionCache(_build_sites)
_DISTRICTS = _VersionCache(_build_districts, size=1)
_ZONES = _VersionCache(_build_zones, size=1)
_ZONE_DISTRICTS: _VersionCache[pd.DataFrame] = _VersionCache(
    lambda version: reference_data.read_table("zone_districts"), size=1
)


def sites() -> Layer:
    return _SITES.get(store.data_version(SITES_GPKG))


def districts() -> Layer:
    return _DISTRICTS.get(reference_version())


def zones() -> Layer:
    return _ZONES.get(reference_version())


def zone_districts() -> pd.DataFrame:
    return _ZONE_DISTRICTS.get(reference_version())


@cache
def site_renames() -> dict[str, str]:
    """Old id -> new id of renamed sites (data/sources/site_id_renames.csv, part of a release like the data),
    so an item link with an old id still answers with the site."""
    return renames.rename_map(renames.read_renames())


def clear() -> None:
    """Forget every cached version (tests that switch data folders)."""
    for version_cache in (_SITES, _DISTRICTS, _ZONES):
        version_cache.clear()
    _ZONE_DISTRICTS.clear()
    site_renames.cache_clear()


def filter_vocabulary() -> site_filters.Vocabulary:
    """The values each site filter may take, as the atlas's filter widgets offer them."""
    return payload.filter_vocabulary(zones().frame)
