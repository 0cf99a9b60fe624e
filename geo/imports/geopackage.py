"""A GeoPackage's layers and rows, read with SQLite (read-only, within a time limit) before GDAL opens a layer.

A layer may be a view: a stored query that SQLite computes whenever the layer is read. A recursive view
that never yields a row kept GDAL busy without end (already when it listed the layers), and a view can
compute rows of any size from a small file. So only real feature tables are layers here (`layers`): the
names the file's table of contents (`gpkg_contents`) lists whose SQLite object is a table without computed
columns — views, virtual tables and tables with a virtual generated column (an expression SQLite evaluates
on every read: a 98 KB file computed 100 MB of text per row) are named for the refusal, never read.

GDAL takes a layer's feature count from the GeoPackage's header table (`gpkg_ogr_contents`), and pyogrio
reads only that many features: a file whose header says 5 while its table holds 100,000 rows passed the
row limit and was imported with 5 of its rows, silently. So the reader counts the table's rows itself
(at most `limit + 1` of them) and reads every row with a query of its own.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

COUNT_SECONDS = 10.0  # a table of 20,000 rows is counted in milliseconds
_PROGRESS_STEPS = 10_000  # SQLite's virtual machine instructions between two looks at the clock
_VIRTUAL_GENERATED = 2  # PRAGMA table_xinfo's `hidden` of a virtual generated column
LAYER_TYPES = ("features", "attributes")  # the contents GDAL reads as vector layers (tiles are not)
_LAYERS_QUERY = f"""
    SELECT contents.table_name, object.type, coalesce(object.sql, '')
    FROM gpkg_contents AS contents LEFT JOIN sqlite_master AS object ON object.name = contents.table_name
    WHERE lower(contents.data_type) IN ({", ".join(f"'{kind}'" for kind in LAYER_TYPES)})
    ORDER BY contents.rowid
"""


@dataclass(frozen=True)
class Layers:
    tables: tuple[str, ...]  # real feature tables, in the order of the file's table of contents
    others: tuple[str, ...]  # views, virtual tables, tables that compute, names without a table: never read


def quoted(name: str) -> str:
    """A table name as an SQL identifier (SQLite's double quotes, inner quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


@contextlib.contextmanager
def _read_only(path: Path, seconds: float) -> Iterator[sqlite3.Connection]:
    """The file opened read-only; a statement still running after `seconds` is interrupted (sqlite3.Error)."""
    deadline = time.monotonic() + seconds
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    try:
        connection.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
        yield connection
    finally:
        connection.close()


def layers(path: Path, seconds: float = COUNT_SECONDS) -> Layers:
    """The layers of the GeoPackage at `path`, split into real tables and the rest. sqlite3.Error when it
    is no GeoPackage SQLite can read (or has no table of contents)."""
    with _read_only(path, seconds) as connection:
        rows = connection.execute(_LAYERS_QUERY).fetchall()
        tables: list[str] = []
        others: list[str] = []
        for name, kind, sql in rows:
            is_table = kind == "table" and not str(sql).lstrip().upper().startswith("CREATE VIRTUAL")
            stored = is_table and not _computes_on_read(connection, str(name))
            (tables if stored else others).append(str(name))
    return Layers(tuple(tables), tuple(others))


def _computes_on_read(connection: sqlite3.Connection, table: str) -> bool:
    """Whether `table` has a virtual generated column (table_xinfo's `hidden` is 2 for one; a stored
    generated column, 3, was computed when the row was written and is read like any other)."""
    columns = connection.execute(f"PRAGMA table_xinfo({quoted(table)})").fetchall()
    return any(column[6] == _VIRTUAL_GENERATED for column in columns)


def count_rows(path: Path, table: str, limit: int, seconds: float = COUNT_SECONDS) -> int:
    """How many rows `table` has, or `limit + 1` when it has more. sqlite3.Error when the file cannot be
    opened, the table does not exist, or counting takes longer than `seconds`."""
    with _read_only(path, seconds) as connection:
        query = f"SELECT count(*) FROM (SELECT 1 FROM {quoted(table)} LIMIT ?)"
        (rows,) = connection.execute(query, (limit + 1,)).fetchone()
    return int(rows)


def select_all(table: str) -> str:
    """The query that reads every row of `table` (GDAL's reader would stop at the header's count)."""
    return f"SELECT * FROM {quoted(table)}"
