"""A GeoPackage layer's rows, counted in its table rather than taken from the file's own header.

GDAL takes a layer's feature count from the GeoPackage's header table (`gpkg_ogr_contents`), and pyogrio
reads only that many features: a file whose header says 5 while its table holds 100,000 rows passed the
row limit and was imported with 5 of its rows, silently. So the reader counts the table's rows itself
(read-only, at most `limit + 1` of them, within a time limit) and reads every row with a query of its own.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

COUNT_SECONDS = 10.0  # a table of 20,000 rows is counted in milliseconds
_PROGRESS_STEPS = 10_000  # SQLite's virtual machine instructions between two looks at the clock


def quoted(name: str) -> str:
    """A table name as an SQL identifier (SQLite's double quotes, inner quotes doubled)."""
    return '"' + name.replace('"', '""') + '"'


def count_rows(path: Path, table: str, limit: int, seconds: float = COUNT_SECONDS) -> int:
    """How many rows `table` has, or `limit + 1` when it has more. sqlite3.Error when the file cannot be
    opened, the table does not exist, or counting takes longer than `seconds` (a view that computes)."""
    deadline = time.monotonic() + seconds
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
    try:
        connection.set_progress_handler(lambda: time.monotonic() > deadline, _PROGRESS_STEPS)
        query = f"SELECT count(*) FROM (SELECT 1 FROM {quoted(table)} LIMIT ?)"
        (rows,) = connection.execute(query, (limit + 1,)).fetchone()
    finally:
        connection.close()
    return int(rows)


def select_all(table: str) -> str:
    """The query that reads every row of `table` (GDAL's reader would stop at the header's count)."""
    return f"SELECT * FROM {quoted(table)}"
