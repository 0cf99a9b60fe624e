"""Read and write the sites and their plot facts safely: atomic replace, kept versions, undo.

This package is the one door to the stored sites. Its functions choose the backend per location: the
GeoPackage data/sites.gpkg (geo.store.geopackage, the default) or, when ``STANDORTATLAS_DATABASE_URL`` is
set or a ``postgresql://`` URL is passed as the location, PostgreSQL/PostGIS (geo.store.postgis, schema
in geo/store/migrations/). Both keep the same contract (geo.store.contract): a write replaces the sites and
their `site_facts` together, keeps the previous state as a version, and an undo never loses data.

The reference layers (districts, zones …) are read by geo.store.reference; geo.store.health says whether
the data files and web libraries are there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pandas as pd

from geo.core import district_figures
from geo.core.paths import SITES_GPKG
from geo.sites import facts as site_facts
from geo.store import geopackage
from geo.store.contract import (
    DATABASE_URL_ENV,
    DEFAULT_KEEP_VERSIONS,
    KIND_PREVIOUS,
    KIND_UNDONE,
    PAUSE_BEFORE_REPLACE_ENV,
    RESTORE_SITES_COMMAND,
    SITES_LAYER,
    DataDamaged,
    NothingToUndo,
    StaleData,
    StoreBusy,
    StoreError,
    StoreReadOnly,
    StoreUnavailable,
    Version,
    database_url,
    empty_sites,
    keep_versions,
)

# the contract's names, so callers need only `from geo import store`
__all__ = [
    "DATABASE_URL_ENV",
    "DEFAULT_KEEP_VERSIONS",
    "KIND_PREVIOUS",
    "KIND_UNDONE",
    "PAUSE_BEFORE_REPLACE_ENV",
    "RESTORE_SITES_COMMAND",
    "SITES_LAYER",
    "DataDamaged",
    "NothingToUndo",
    "StaleData",
    "StoreBusy",
    "StoreError",
    "StoreReadOnly",
    "StoreUnavailable",
    "Version",
    "backup_dir",
    "data_version",
    "database_problem",
    "database_url",
    "empty_sites",
    "history",
    "keep_versions",
    "live_facts",
    "live_figures",
    "location_label",
    "read_facts",
    "read_facts_layer",
    "read_figures_layer",
    "read_sites",
    "read_sites_for_app",
    "restore",
    "undo",
    "write_lock",
    "write_sites",
]


def _postgis() -> ModuleType:
    from geo.store import postgis  # only the database mode needs psycopg

    return postgis


def _postgis_connection() -> ModuleType:
    from geo.store import postgis_connection

    return postgis_connection


def backup_dir(sites_path: Path = SITES_GPKG) -> Path:
    """The folder of the kept versions of a sites GeoPackage."""
    return geopackage.backup_dir(Path(sites_path))


def location_label(sites_path: Path | str = SITES_GPKG) -> str:
    """Where the sites are, for messages: the file, or the database without its password."""
    url = database_url(sites_path)
    return str(sites_path) if url is None else _postgis_connection().describe(url)


def database_problem(sites_path: Path | str = SITES_GPKG) -> str | None:
    """Why the sites database did not answer at its last poll (None when it did, or for a GeoPackage)."""
    url = database_url(sites_path)
    return None if url is None else _postgis_connection().database_problem(url)


def data_version(sites_path: Path = SITES_GPKG) -> str:
    """A token that changes whenever the live sites change: use it as a cache key."""
    if (url := database_url(sites_path)) is not None:
        return _postgis_connection().data_version(url)
    return geopackage.data_version(Path(sites_path))


def data_changed_at(sites_path: Path = SITES_GPKG) -> datetime:
    """When the live sites were last written (UTC, whole seconds): the time of the write that made the
    current `data_version` (the open data API's Last-Modified)."""
    if (url := database_url(sites_path)) is not None:
        return _postgis().data_changed_at(url)
    return geopackage.data_changed_at(Path(sites_path))


def read_sites(sites_path: Path = SITES_GPKG, *, missing_ok: bool = False) -> gpd.GeoDataFrame:
    """The `sites` layer in EPSG:4326; with ``missing_ok`` an absent file reads as no sites."""
    if (url := database_url(sites_path)) is not None:
        return _postgis().read_sites(url, missing_ok=missing_ok)
    return geopackage.read_sites(Path(sites_path), missing_ok=missing_ok)


def read_sites_for_app(path: Path = SITES_GPKG) -> gpd.GeoDataFrame:
    """The sites as the app shows them: blanks instead of missing text, sorted by site id."""
    sites = read_sites(path)
    text_columns = [
        column
        for column in sites.columns
        if column != sites.geometry.name and sites[column].dtype in (object, "str", "string")
    ]
    sites[text_columns] = sites[text_columns].fillna("")
    return sites.sort_values("site_id", kind="stable").reset_index(drop=True)


@contextlib.contextmanager
def write_lock(sites_path: Path = SITES_GPKG, timeout: float | None = None) -> Iterator[None]:
    """Serialise writers of one sites location. Readers need no lock: they only ever see whole states."""
    if (url := database_url(sites_path)) is not None:
        with _postgis().write_lock(url, timeout):
            yield
        return
    with geopackage.write_lock(Path(sites_path), timeout):
        yield


def write_sites(
    sites: gpd.GeoDataFrame,
    sites_path: Path = SITES_GPKG,
    *,
    expected_version: str | None = None,
    facts: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> str:
    """Replace the sites with ``sites`` atomically, keeping the current state as a version.

    The `site_facts` table travels with them (the same file, the same transaction in the database):
    ``facts`` replaces it; without it the current table is carried over, for the sites still there. The
    `district_figures` table travels the same way (``figures``; carried over whole when None). So a kept
    version, and an undo, holds sites, facts and district figures together.
    ``expected_version`` (from `data_version`) refuses the write if someone else wrote since the caller
    read the data. Returns the new data version.
    """
    if (url := database_url(sites_path)) is not None:
        return _postgis().write_sites(sites, url, expected_version=expected_version, facts=facts, figures=figures)
    return geopackage.write_sites(
        sites, Path(sites_path), expected_version=expected_version, facts=facts, figures=figures
    )


def history(sites_path: Path = SITES_GPKG) -> list[Version]:
    """Kept versions, newest first."""
    if (url := database_url(sites_path)) is not None:
        return _postgis().history(url)
    return geopackage.history(Path(sites_path))


def undo(sites_path: Path = SITES_GPKG, *, expected_version: str | None = None) -> Version:
    """Go back to the state before the last write; returns the version that is live again.

    Undo steps back through the ``previous`` versions one by one (undo twice = back two writes). The
    state it replaces is kept as an ``undone`` version, so nothing is lost.
    """
    if (url := database_url(sites_path)) is not None:
        return _postgis().undo(url, expected_version=expected_version)
    return geopackage.undo(Path(sites_path), expected_version=expected_version)


def restore(version_id: str, sites_path: Path = SITES_GPKG, *, expected_version: str | None = None) -> Version:
    """Make any kept version live again (an ordinary write: the current state is kept as ``previous``)."""
    if (url := database_url(sites_path)) is not None:
        return _postgis().restore(version_id, url, expected_version=expected_version)
    return geopackage.restore(version_id, Path(sites_path), expected_version=expected_version)


# --- plot facts ------------------------------------------------------------------------------------------


def read_facts_layer(path: Path | str) -> pd.DataFrame:
    """The stored `site_facts` rows of the sites at `path` (the GeoPackage's table, or the database's live
    facts); an empty table when there are none."""
    if (url := database_url(path)) is not None:
        table = _postgis().read_site_facts(url)
        return table.reindex(columns=site_facts.FACT_TABLE_COLUMNS).fillna("").astype(str)
    return geopackage.read_facts_layer(Path(path))


def _has_facts_table(path: Path | str) -> bool:
    """True when the sites at `path` have a `site_facts` table, even an empty one: always in the database,
    in a GeoPackage since every store write carries it."""
    return database_url(path) is not None or geopackage.has_facts_table(path)


def read_facts(path: Path | str, site_ids: Iterable[str]) -> pd.DataFrame:
    """The facts the app shows for the sites in `path`: its `site_facts` table, or, when the file has none
    (a store write that kept only the sites layer), the curated rows of data/sources/site_facts.csv for
    the sites it holds – the figures keep their sources either way. A file whose table is there but empty
    (an import removed every figure) shows none."""
    table = read_facts_layer(path)
    if len(table) or _has_facts_table(path):
        return table
    known = set(site_ids)
    curated = site_facts.read_facts_csv()
    return curated[curated["site_id"].isin(known)].reset_index(drop=True)


def live_facts(path: Path | str) -> pd.DataFrame:
    """The fact rows of the live sites at `path` as the app shows them (`read_facts`): what an import
    compares its figures with and merges into."""
    table = read_facts_layer(path)
    if len(table) or _has_facts_table(path):
        return table
    try:
        site_ids = read_sites(Path(path), missing_ok=True)["site_id"].astype(str)
    except DataDamaged:  # reported by the sites reader wherever the sites themselves are read
        return table
    return read_facts(path, site_ids)


# --- district figures ------------------------------------------------------------------------------------


def read_figures_layer(path: Path | str) -> pd.DataFrame | None:
    """The stored `district_figures` table of the sites at `path` (the GeoPackage's table or the database's
    live rows); None when a GeoPackage holds no such table (then the bundled rows apply)."""
    if (url := database_url(path)) is not None:
        return district_figures.normalised(_postgis().read_district_figures(url))
    return geopackage.read_figures_layer(path)


def live_figures(path: Path | str = SITES_GPKG) -> pd.DataFrame:
    """The district figures the app shows: the store's table, or the bundled rows of
    data/sources/district_labour.csv when it has none."""
    figures = read_figures_layer(path)
    return district_figures.read_bundled_figures() if figures is None else figures
