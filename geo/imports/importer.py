"""Turn a user's GeoPackage, GeoJSON or CSV into clean sites, or into a list of clear problems; compare
them with the live data; apply them.

The three steps the data steward sees (CLI `validate`/`import`, app page `pflege`):

1. `read_user_file` reads and validates a file. It never raises for a bad file: every problem comes back
   as a `Problem` with its row, field and a German and English message.
2. `diff_sites` shows what would change, site by site and field by field (matched by ``site_id``).
3. `apply_import` writes exactly that difference through `geo.store` (atomic, versioned, undoable).

The work is done in rooms of its own: `geo.imports.reading` (file, format, encoding, CRS),
`geo.imports.checks` (row values by the shared `geo.sites.rules`, location), `geo.imports.places`
(reference polygons, municipality lookup), `geo.imports.diff` (comparison) and `geo.imports.results`
(the data they hand on). This module joins them and is what callers import.

Columns the file does not have are left as they are for existing sites; a column that is present but
empty in a row clears that field. ``state_code``, ``district_ags`` and ``municipality_ags`` are always
derived from the point (data/reference.gpkg); ``updated`` is set to today for new and changed sites.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path

from pyproj import CRS

from geo import store
from geo.core import schema
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports.checks import SiteChecker
from geo.imports.diff import diff_sites
from geo.imports.reading import FileReader
from geo.imports.reading_base import MAX_ROWS_ENV, MAX_UPLOAD_ENV, max_import_rows, max_upload_bytes, parse_crs
from geo.imports.results import (
    ERROR,
    WARNING,
    AppliedImport,
    FieldChange,
    ImportRefused,
    ImportResult,
    Problem,
    SiteDiff,
)
from geo.sites import fact_imports
from geo.sites import facts as site_facts
from geo.sites.rules import slugify

__all__ = [
    "ERROR",
    "MAX_ROWS_ENV",
    "MAX_UPLOAD_ENV",
    "WARNING",
    "AppliedImport",
    "FieldChange",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "SiteDiff",
    "apply_import",
    "diff_sites",
    "max_import_rows",
    "max_upload_bytes",
    "parse_crs",
    "read_user_file",
    "slugify",
]


def read_user_file(
    source: str | os.PathLike | bytes,
    filename: str | None = None,
    *,
    layer: str | None = None,
    crs: str | int | CRS | None = None,
    reference_path: Path = REFERENCE_GPKG,
    programs: Collection[str] | None = None,
    themes: Collection[str] | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    surface: str = "cli",
    progress: Callable[[int, int], None] | None = None,
    sites_path: Path | str = SITES_GPKG,
) -> ImportResult:
    """Read a GeoPackage, GeoJSON or CSV (a path, or the bytes of an upload with its ``filename``) and
    check every row. ``crs`` is the CRS of coordinates the file does not declare itself; ``programs``
    and ``themes`` default to the vocabularies of data/sources/programs.csv and themes.csv.

    Files over ``max_bytes`` (env STANDORTATLAS_MAX_UPLOAD_MB) or ``max_rows`` (env
    STANDORTATLAS_MAX_IMPORT_ROWS) are refused before they are parsed. ``surface`` ("cli" or "page")
    decides how messages name the options (``--crs`` or the page's field); ``progress(done, total)`` is
    called while the rows are checked. Plot figures are compared with the live ones at ``sites_path``:
    a figure equal to its stored one keeps its stored source, a new or changed one needs its own."""
    if isinstance(source, bytes):
        if not filename:
            raise ValueError("filename is needed with bytes: the format is taken from its extension")
        with tempfile.TemporaryDirectory(prefix="standortatlas-upload-") as folder:
            path = Path(folder) / (Path(filename).name.lstrip(".") or "upload")
            path.write_bytes(source)
            return read_user_file(
                path,
                layer=layer,
                crs=crs,
                reference_path=reference_path,
                programs=programs,
                themes=themes,
                max_bytes=max_bytes,
                max_rows=max_rows,
                surface=surface,
                progress=progress,
                sites_path=sites_path,
            )
    path = Path(source)
    if isinstance(crs, (str, int)):
        crs = parse_crs(crs)
    reader = FileReader(path, filename or path.name, layer=layer, crs=crs, max_rows=max_rows, surface=surface)
    table = reader.read(max_bytes if max_bytes is not None else max_upload_bytes())
    if table is None:
        return ImportResult(store.empty_sites(), reader.problems, source=reader.info)
    allowed_programs = programs if programs is not None else schema.programs()
    allowed_themes = themes if themes is not None else schema.themes()
    stored_facts = (
        fact_imports.stored_by_site(store.live_facts(sites_path))
        if any(column in site_facts.FACT_COLUMNS for column in table.values.columns)
        else {}
    )
    return SiteChecker(table, reader, reference_path, allowed_programs, allowed_themes, progress, stored_facts).check()


def apply_import(
    incoming: ImportResult,
    sites_path: Path = SITES_GPKG,
    *,
    replace: bool = False,
    expected_version: str | None = None,
    today: date | None = None,
) -> AppliedImport:
    """Write an error-free import into the sites file (atomically, keeping the previous version).

    Pass the `store.data_version` seen when the diff was reviewed as ``expected_version``: if someone
    else wrote in between, `store.StaleData` is raised and nothing is written.
    """
    if not incoming.ok:
        raise ImportRefused(incoming.errors)
    sites_path = Path(sites_path)
    version = store.data_version(sites_path)
    if expected_version is not None and version != expected_version:
        raise store.StaleData(f"{sites_path.name} was changed by someone else in the meantime; review again")
    diff = diff_sites(
        store.read_sites(sites_path, missing_ok=True),
        incoming,
        replace=replace,
        today=today,
        current_facts=store.live_facts(sites_path),
    )
    if refused := [note for note in diff.notes if note.severity == ERROR]:
        raise ImportRefused(refused)
    if not diff.has_changes:
        return AppliedImport(diff, version, written=False)
    # the version read above guards the gap between reading and taking the write lock; the fact table
    # goes into the same write, so an undo takes sites and facts back together
    new_version = store.write_sites(diff.result, sites_path, expected_version=version, facts=diff.facts)
    return AppliedImport(diff, new_version, written=True)
