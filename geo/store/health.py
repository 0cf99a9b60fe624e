"""Are the app's data files and web libraries there and readable? Checked before a page is drawn, so a
missing or damaged file is one clear message that names the file and the command that restores it,
instead of a failure somewhere inside a page.

The check is cheap: it runs once per version of each file (inode, time, size), opens the GeoPackage
read-only with SQLite, runs ``PRAGMA quick_check`` and looks for the layers the app reads.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo import store
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG

DATA_DIR_ENV = "STANDORTATLAS_DATA_DIR"
SQLITE_HEADER = b"SQLite format 3\x00"
REFERENCE_LAYERS = ("states", "districts", "municipalities")
RESTORE_REFERENCE_COMMAND = "python -m geo build --only reference"
RESTORE_SITES_COMMAND = "python -m geo history && python -m geo undo --to VERSION"
REBUILD_SITES_COMMAND = "python -m geo build --only sites"
VENDOR_SETUP_COMMAND = "make setup"

MISSING = "missing"
DAMAGED = "damaged"


@dataclass(frozen=True)
class DataProblem:
    """One data file the app cannot use: which, why, and the command that brings it back."""

    path: Path
    kind: str  # MISSING or DAMAGED
    detail: str
    restore_command: str
    is_sites: bool  # the staff page can restore the sites file from its kept versions


def data_dir() -> Path:
    """The data folder, read at call time (STANDORTATLAS_DATA_DIR), as the staff page reads it."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else SITES_GPKG.parent


def data_problems(sites_path: Path | None = None, reference_path: Path | None = None) -> list[DataProblem]:
    """The problems with the sites and reference files (empty when both are fine)."""
    sites_path = sites_path or data_dir() / SITES_GPKG.name
    reference_path = reference_path or data_dir() / REFERENCE_GPKG.name
    problems = []
    if store.database_url(sites_path) is None:
        problem = _check(Path(sites_path), (store.SITES_LAYER,), is_sites=True)
        if problem is not None:
            problems.append(problem)
    problem = _check(Path(reference_path), REFERENCE_LAYERS, is_sites=False)
    if problem is not None:
        problems.append(problem)
    return problems


def missing_vendor_files(vendor_dir: Path | None = None) -> list[str]:
    """The web library files (below static/vendor/) that the set-up should have copied but did not."""
    from geo.core.web_assets import VENDOR_DIR, VENDOR_FILES

    folder = Path(vendor_dir or VENDOR_DIR)
    return [relative for relative in VENDOR_FILES.values() if not (folder / relative).is_file()]


def _check(path: Path, layers: tuple[str, ...], is_sites: bool) -> DataProblem | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        detail = None
        return _problem(path, MISSING, detail, is_sites)
    detail = _check_version(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size, layers)
    return None if detail is None else _problem(path, DAMAGED, detail, is_sites)


def _problem(path: Path, kind: str, detail: str | None, is_sites: bool) -> DataProblem:
    if not is_sites:
        command = RESTORE_REFERENCE_COMMAND
    elif store.history(path):
        command = RESTORE_SITES_COMMAND
    else:
        command = REBUILD_SITES_COMMAND
    return DataProblem(path, kind, detail or "", command, is_sites)


@lru_cache(maxsize=8)
def _check_version(path: str, inode: int, mtime_ns: int, size: int, layers: tuple[str, ...]) -> str | None:
    """Why the file at this version is unusable, or None. Cached: a file version never changes."""
    if size == 0:
        return "the file is empty"
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return "not a GeoPackage (no SQLite header)"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                return f"SQLite reports damage: {verdict}"
            tables = {row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")}
        finally:
            connection.close()
    except sqlite3.Error as error:
        return f"SQLite cannot read it: {error}"
    missing = [layer for layer in layers if layer not in tables]
    if missing:
        return f"the layer(s) {', '.join(missing)} are missing"
    return None
