"""The GeoPackage backend of geo.store: the sites and their facts in one file, data/sites.gpkg.

Every write goes the same way, under an exclusive lock (``sites.lock`` beside the file):

1. the new data is written to a temporary GeoPackage in the same folder and fsynced;
2. the current file is copied into ``backups/`` as a kept version;
3. the temporary file replaces the live file with ``os.replace`` (atomic on POSIX), and the folder is
   fsynced so the rename survives a power cut.

A reader therefore sees either the old or the new file, never half of one, and a process killed at any
point leaves the previous data intact (at worst a stray temporary file, removed by the next writer).
The lock is an ``fcntl.flock`` lock, which the kernel releases when its process dies, so a killed writer
never blocks the next one.

Kept versions are named ``<stem>-<UTC timestamp>-<kind>.gpkg``: kind ``previous`` is the state before a
write (what `undo` goes back to), kind ``undone`` is a state that `undo` replaced (kept so that an undo
never loses data; `restore` can bring it back).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.core import district_figures
from geo.core.schema import STORAGE_CRS
from geo.sites import facts as site_facts
from geo.store import contract
from geo.store.contract import (
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
    Version,
    empty_sites,
)

_VERSION_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<kind>previous|undone)\.gpkg$")
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_held = threading.local()  # the lock files this thread holds: a write inside a held lock does not wait for itself


def backup_dir(sites_path: Path) -> Path:
    return Path(sites_path).parent / "backups"


def lock_path(sites_path: Path) -> Path:
    # data/sites.lock: matches the `data/*.lock` rule of .gitignore
    return Path(sites_path).with_suffix(".lock")


def data_version(sites_path: Path) -> str:
    """A token that changes whenever the live file is replaced: use it as a cache key.

    The inode changes with every ``os.replace``, so two writes within one clock tick still differ.
    """
    try:
        stat = os.stat(sites_path)
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_ino}-{stat.st_mtime_ns}-{stat.st_size}"


def data_changed_at(sites_path: Path) -> datetime:
    """When the live file was written (its modification time, UTC, whole seconds); now when it is missing."""
    try:
        written = os.stat(sites_path).st_mtime
    except FileNotFoundError:
        return datetime.now(UTC).replace(microsecond=0)
    return datetime.fromtimestamp(written, tz=UTC).replace(microsecond=0)


def read_sites(sites_path: Path, *, missing_ok: bool = False) -> gpd.GeoDataFrame:
    """The `sites` layer in EPSG:4326; with ``missing_ok`` an absent file reads as no sites."""
    if missing_ok and not Path(sites_path).exists():
        return empty_sites()
    try:
        sites = pyogrio.read_dataframe(sites_path, layer=SITES_LAYER)
    except (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.GeometryError,
        pyogrio.errors.FieldError,
    ) as error:
        if not Path(sites_path).exists():
            raise FileNotFoundError(f"{sites_path} is missing") from error
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataDamaged(
            f"{sites_path} is damaged and cannot be read ({reason}); restore a kept version: {RESTORE_SITES_COMMAND}"
        ) from error
    if sites.crs is None or sites.crs.to_epsg() != 4326:
        sites = sites.to_crs(STORAGE_CRS) if sites.crs is not None else sites.set_crs(STORAGE_CRS)
    return sites


@contextlib.contextmanager
def write_lock(sites_path: Path, timeout: float | None = None) -> Iterator[None]:
    """Serialise writers of one sites file. Readers need no lock: they only ever see whole files."""
    timeout = contract.LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    path = lock_path(sites_path)
    held: set[Path] = getattr(_held, "paths", None) or set()
    _held.paths = held
    if path.resolve() in held:  # already ours (a write inside geo.store.ledger's sites_write)
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"{Path(sites_path).name} is being written by another process; try again later"
                    ) from None
                time.sleep(0.05)
        held.add(path.resolve())
        try:
            yield
        finally:
            held.discard(path.resolve())
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_sites(
    sites: gpd.GeoDataFrame,
    sites_path: Path,
    *,
    expected_version: str | None = None,
    facts: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> str:
    """Replace the sites layer with ``sites`` atomically, keeping the current file as a version.

    The `site_facts` table travels in the same file (the same transaction in the database): ``facts``
    replaces it; without it the current table is carried over, for the sites still there. The
    `district_figures` table travels the same way (``figures``; carried over whole when None). So a kept
    version, and an undo, holds sites, facts and district figures together.
    ``expected_version`` (from `data_version`) refuses the write if someone else wrote since the caller
    read the data. Returns the new data version.
    """
    sites_path = Path(sites_path)
    if sites.crs is None or sites.crs.to_epsg() != 4326:
        raise StoreError("sites must be in EPSG:4326 before they are written")
    with read_only_as_message(sites_path), write_lock(sites_path):
        _check_expected_version(sites_path, expected_version)
        _remove_stray_temporaries(sites_path)
        temporary = _temporary_path(sites_path)
        try:
            if facts is None:
                carried = read_facts_layer(sites_path)
                facts = carried[carried["site_id"].isin(set(sites["site_id"].astype(str)))]
            if figures is None:
                figures = read_figures_layer(sites_path)
            pyogrio.write_dataframe(sites, temporary, layer=SITES_LAYER, driver="GPKG")
            write_facts_layer(facts, temporary)
            if figures is not None:
                write_figures_layer(figures, temporary)
            _fsync_file(temporary)
            _replace_live_file(temporary, sites_path, keep_as=KIND_PREVIOUS)
        finally:
            temporary.unlink(missing_ok=True)
        return data_version(sites_path)


def history(sites_path: Path) -> list[Version]:
    """Kept versions, newest first."""
    return [
        Version(path.name, path, saved_at, kind, path.stat().st_size, _count_sites(path))
        for saved_at, kind, path in _kept_files(Path(sites_path))
    ]


def undo(sites_path: Path, *, expected_version: str | None = None) -> Version:
    """Go back to the state before the last write; returns the version that is live again.

    Undo steps back through the ``previous`` versions one by one (undo twice = back two writes). The
    state it replaces is kept as an ``undone`` version, so nothing is lost.
    """
    sites_path = Path(sites_path)
    with read_only_as_message(sites_path), write_lock(sites_path):
        _check_expected_version(sites_path, expected_version)
        live_digest = _digest(sites_path) if sites_path.exists() else None
        for version in history(sites_path):
            if version.kind != KIND_PREVIOUS:
                continue
            # A writer killed between taking its copy and the replace leaves a copy equal to the live
            # file; going back to it would change nothing, so it is dropped and the next one is taken.
            if _digest(version.path) == live_digest:
                version.path.unlink()
                continue
            _restore_locked(version, sites_path, keep_as=KIND_UNDONE)
            version.path.unlink()
            return version
    raise NothingToUndo(f"no earlier version of {sites_path.name} is kept")


def restore(version_id: str, sites_path: Path, *, expected_version: str | None = None) -> Version:
    """Make any kept version live again (an ordinary write: the current state is kept as ``previous``)."""
    sites_path = Path(sites_path)
    with read_only_as_message(sites_path), write_lock(sites_path):
        _check_expected_version(sites_path, expected_version)
        for version in history(sites_path):
            if version.version_id == version_id:
                _restore_locked(version, sites_path, keep_as=KIND_PREVIOUS)
                return version
    raise StoreError(f"no kept version named {version_id}")


# --- the steps of a write; all run with the lock held ------------------------------------------------


@contextlib.contextmanager
def read_only_as_message(sites_path: Path) -> Iterator[None]:
    """A folder this process may not write is named in one clear message, not a raw OS error."""
    try:
        yield
    except PermissionError as error:
        raise StoreReadOnly(
            f"cannot write in {sites_path.parent} ({error.strerror}: {error.filename}); the folder is read-only "
            "for this process. Nothing was changed; give the app's user write access to the folder."
        ) from error
    except OSError as error:
        if error.errno != errno.EROFS:
            raise
        raise StoreReadOnly(
            f"cannot write in {sites_path.parent}: the file system is mounted read-only. Nothing was changed."
        ) from error
    except pyogrio.errors.DataSourceError as error:
        if "readonly" not in str(error).replace("-", "").lower() and "permission" not in str(error).lower():
            raise
        raise StoreReadOnly(
            f"cannot write in {sites_path.parent}: {str(error).strip().splitlines()[0]}. Nothing was changed."
        ) from error


def _restore_locked(version: Version, sites_path: Path, keep_as: str) -> None:
    _remove_stray_temporaries(sites_path)
    temporary = _temporary_path(sites_path)
    try:
        # A fresh copy rather than a rename: the live file gets a new inode and mtime (so caches keyed
        # on data_version see the change) and the kept version stays intact until the replace is done.
        shutil.copyfile(version.path, temporary)
        _fsync_file(temporary)
        _replace_live_file(temporary, sites_path, keep_as=keep_as)
    finally:
        temporary.unlink(missing_ok=True)


def _replace_live_file(temporary: Path, sites_path: Path, keep_as: str) -> None:
    # A writer killed between taking its copy and the replace leaves a copy of the live state; that
    # copy already keeps this state, and a second one would crowd out an earlier, different state.
    if sites_path.exists() and not _newest_kept_is_live(sites_path, keep_as):
        _keep_version(sites_path, keep_as)
    pause = float(os.environ.get(PAUSE_BEFORE_REPLACE_ENV, "0") or 0)
    if pause > 0:
        time.sleep(pause)
    os.replace(temporary, sites_path)
    _fsync_directory(sites_path.parent)
    _prune_versions(sites_path)


def _keep_version(sites_path: Path, kind: str) -> Path:
    folder = backup_dir(sites_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = _unused_version_path(folder, sites_path.stem, kind)
    # Copy under a hidden name and rename, so a copy cut short never shows up as a version.
    partial = folder / f".{target.name}.partial"
    shutil.copyfile(sites_path, partial)
    _fsync_file(partial)
    os.replace(partial, target)
    _fsync_directory(folder)
    return target


def _newest_kept_is_live(sites_path: Path, kind: str) -> bool:
    newest = next((path for _, found_kind, path in _kept_files(sites_path) if found_kind == kind), None)
    return (
        newest is not None
        and newest.stat().st_size == sites_path.stat().st_size
        and _digest(newest) == _digest(sites_path)
    )


def _unused_version_path(folder: Path, stem: str, kind: str) -> Path:
    while True:
        stamp = datetime.now(UTC).strftime(_STAMP_FORMAT)
        target = folder / f"{stem}-{stamp}-{kind}.gpkg"
        if not target.exists():
            return target
        time.sleep(0.000_01)


def _kept_files(sites_path: Path) -> list[tuple[datetime, str, Path]]:
    """(saved at, kind, path) of the kept copies of one sites file, newest first."""
    folder = backup_dir(sites_path)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _VERSION_NAME.match(path.name)
        if match and match["stem"] == sites_path.stem:
            saved_at = datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=UTC)
            found.append((saved_at, match["kind"], path))
    return sorted(found, key=lambda item: (item[0], item[2].name), reverse=True)


def _prune_versions(sites_path: Path) -> None:
    keep = contract.keep_versions()
    for kind in (KIND_PREVIOUS, KIND_UNDONE):
        for _, _, path in [item for item in _kept_files(sites_path) if item[1] == kind][keep:]:
            path.unlink(missing_ok=True)


def _check_expected_version(sites_path: Path, expected_version: str | None) -> None:
    if expected_version is not None and data_version(sites_path) != expected_version:
        raise StaleData(f"{sites_path.name} was changed by someone else in the meantime; review again")


def _temporary_path(sites_path: Path) -> Path:
    # Same folder as the live file (os.replace is only atomic within one file system); a .gpkg
    # extension because GDAL chooses its driver by it.
    return sites_path.with_name(f".{sites_path.stem}.{os.getpid()}.tmp.gpkg")


def _remove_stray_temporaries(sites_path: Path) -> None:
    """Temporary files (and SQLite journals) of writers that were killed; safe under the lock."""
    for stray in sites_path.parent.glob(f".{sites_path.stem}.*.tmp.gpkg*"):
        stray.unlink(missing_ok=True)
    for stray in backup_dir(sites_path).glob(f".{sites_path.stem}-*.partial"):
        stray.unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _digest(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _count_sites(path: Path) -> int | None:
    try:
        return int(pyogrio.read_info(path, layer=SITES_LAYER)["features"])
    except Exception:  # a damaged copy is still listed, just without a count
        return None


# --- the `site_facts` table in the same file -----------------------------------------------------------


def read_facts_layer(path: Path) -> pd.DataFrame:
    """The `site_facts` table of a sites GeoPackage; an empty table when the file or table is absent."""
    path = Path(path)
    if not path.exists():
        return site_facts.empty_table()
    try:
        layers = {str(name) for name, *_ in pyogrio.list_layers(path)}
    except Exception:  # an unreadable file has no facts to show; the sites reader reports the file itself
        return site_facts.empty_table()
    if site_facts.FACTS_LAYER not in layers:
        return site_facts.empty_table()
    table = pyogrio.read_dataframe(path, layer=site_facts.FACTS_LAYER, read_geometry=False)
    return table.reindex(columns=site_facts.FACT_TABLE_COLUMNS).fillna("").astype(str)


def has_facts_table(path: Path | str) -> bool:
    """True when the GeoPackage at `path` has a `site_facts` table, even an empty one (every store write
    carries it)."""
    if not Path(path).exists():
        return False
    try:
        return site_facts.FACTS_LAYER in {str(name) for name, *_ in pyogrio.list_layers(path)}
    except Exception:  # an unreadable file has no facts to show; the sites reader reports the file itself
        return False


def write_facts_layer(facts: pd.DataFrame, path: Path) -> None:
    """Write (replace) the `site_facts` table in the GeoPackage at `path` (no geometry)."""
    table = site_facts.normalised(facts)
    pyogrio.write_dataframe(table, path, layer=site_facts.FACTS_LAYER, driver="GPKG")


def read_figures_layer(path: Path | str) -> pd.DataFrame | None:
    """The `district_figures` table of a sites GeoPackage; None when the file holds no such table (then the
    bundled rows of data/sources/district_labour.csv apply)."""
    try:
        layers = {str(name) for name, *_ in pyogrio.list_layers(path)}
    except Exception:  # no file or an unreadable one: the sites reader reports the file itself
        return None
    if district_figures.TABLE not in layers:
        return None
    return district_figures.normalised(pyogrio.read_dataframe(path, layer=district_figures.TABLE, read_geometry=False))


def write_figures_layer(figures: pd.DataFrame, path: Path) -> None:
    """Write (replace) the `district_figures` table in the GeoPackage at `path` (no geometry)."""
    table = district_figures.normalised(figures)
    pyogrio.write_dataframe(table, path, layer=district_figures.TABLE, driver="GPKG")
