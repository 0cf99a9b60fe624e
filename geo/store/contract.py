"""What every sites store keeps to (the GeoPackage file and the PostgreSQL database alike): its errors,
its kept versions, its settings, and where the live sites are.

Both backends (geo.store.geopackage, geo.store.postgis) and the facade (geo.store) import from here, so
the backends never import the facade that chooses between them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import geopandas as gpd

from geo.core.fields import SITE_COLUMNS
from geo.core.paths import SITES_GPKG
from geo.core.schema import STORAGE_CRS

SITES_LAYER = "sites"
DEFAULT_KEEP_VERSIONS = 10
LOCK_TIMEOUT_SECONDS = 30.0
# Test hook for the kill test: seconds to sleep after the temporary file is complete and before it
# replaces the live file, so a test can kill the writer at exactly the dangerous moment.
PAUSE_BEFORE_REPLACE_ENV = "STANDORTATLAS_TEST_PAUSE_BEFORE_REPLACE"
KIND_PREVIOUS = "previous"
KIND_UNDONE = "undone"
# The backend switch: with this set, the live sites are in PostgreSQL/PostGIS instead of the GeoPackage.
DATABASE_URL_ENV = "STANDORTATLAS_DATABASE_URL"


class StoreError(RuntimeError):
    """A store operation could not be done; the data is unchanged."""


class StoreBusy(StoreError):
    """Another process holds the write lock for longer than the timeout."""


class NothingToUndo(StoreError):
    """No kept version exists to go back to."""


class StaleData(StoreError):
    """The live file changed since the caller looked at it (someone else wrote in between)."""


class DataDamaged(StoreError):
    """The live sites file exists but cannot be read (truncated, overwritten, not a GeoPackage)."""


class StoreReadOnly(StoreError):
    """The data folder cannot be written by this process (permissions, read-only file system)."""


RESTORE_SITES_COMMAND = "python -m geo history; python -m geo undo --to VERSION"


class StoreUnavailable(StoreError):
    """The sites database cannot be reached (PostgreSQL store only); nothing was changed."""


@dataclass(frozen=True)
class Version:
    """One kept copy of the sites file."""

    version_id: str  # the file name without folder, stable and unique
    path: Path
    saved_at: datetime  # UTC, when the copy was taken
    kind: str  # KIND_PREVIOUS or KIND_UNDONE
    size_bytes: int
    site_count: int | None  # None when the copy cannot be read


def database_url(sites_path: Path | str = SITES_GPKG) -> str | None:
    """The database that holds the sites at ``sites_path``, or None for a GeoPackage file.

    With STANDORTATLAS_DATABASE_URL set, the live sites (the default location, data/sites.gpkg) are in
    that database; any other file named explicitly stays a GeoPackage. A ``postgresql://`` URL passed as
    the location (also as a Path, e.g. ``--sites postgresql://...`` on the command line) is a database.
    """
    text = str(sites_path)
    for scheme in ("postgresql:", "postgres:"):
        if text.startswith(scheme + "/"):
            # a URL that went through Path() (the CLI's --sites, the importer) lost one of its two slashes
            return f"{scheme}//{text[len(scheme) :].lstrip('/')}"
    configured = os.environ.get(DATABASE_URL_ENV, "").strip()
    if configured and Path(sites_path).resolve() == Path(SITES_GPKG).resolve():
        return configured
    return None


def empty_sites() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({column: [] for column in SITE_COLUMNS}, geometry=[], crs=STORAGE_CRS)


def keep_versions() -> int:
    """How many versions of each kind to keep (env STANDORTATLAS_KEEP_VERSIONS, at least 10)."""
    try:
        wanted = int(os.environ.get("STANDORTATLAS_KEEP_VERSIONS", DEFAULT_KEEP_VERSIONS))
    except ValueError:
        wanted = DEFAULT_KEEP_VERSIONS
    return max(wanted, DEFAULT_KEEP_VERSIONS)
