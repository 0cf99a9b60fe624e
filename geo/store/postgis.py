"""The sites store in PostgreSQL/PostGIS: the same contract as the GeoPackage store in geo.store.

geo.store switches here when ``STANDORTATLAS_DATABASE_URL`` is set (or a ``postgresql://`` URL is
passed as the sites location); callers keep using geo.store's functions.

How it keeps the contract (schema: geo/store/migrations/):

- Every write (write, undo, restore) runs in one transaction while holding a PostgreSQL advisory lock,
  so one writer at a time across processes and machines; the database releases the lock when the
  writer's connection ends, so a killed writer never blocks the next one.
- A write adds an immutable snapshot of the sites and moves the live pointer to it; the old live
  snapshot becomes a kept version. A reader reads one snapshot inside one transaction, so it sees the
  old or the new sites, never a mixture; a killed writer's transaction is rolled back, data unchanged.
- `data_version` is ``pg-<instance>-<generation>`` from the one-row ``store_state`` table; the
  generation grows with every write. A process asks the database at most once per
  ``STANDORTATLAS_VERSION_POLL_SECONDS`` (default 1 s), so replicas notice another replica's write
  within about a second and the app's version-keyed caches make way for the new data.
- Connections come from psycopg_pool (one pool per process and database). While the database cannot
  be reached, `data_version` answers with the last version it saw, so pages whose data is cached keep
  working, and `database_problem()` says what is wrong; reads that need the database raise
  `StoreUnavailable`. The pool reconnects by itself when the database is back.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import shapely

from geo.core.schema import STORAGE_CRS
from geo.store import contract
from geo.store.contract import (
    KIND_PREVIOUS,
    KIND_UNDONE,
    NothingToUndo,
    StaleData,
    StoreBusy,
    StoreError,
    StoreUnavailable,
    Version,
)
from geo.store.postgis_connection import (
    WRITE_LOCK_KEY,
    _held,
    _one,
    _remember_version,
    _require_schema,
    _state_version,
    connection,
    describe,
)

_VERSION_ID = re.compile(r"^v(?P<kept_id>\d+)-(?P<kind>previous|undone)$")
# the columns of the `site_facts` table (geo/sites/facts.py: FACT_TABLE_COLUMNS), as the database holds them
FACT_COLUMNS = ("site_id", "field", "value", "value_en", "unit", "qualifier", "source_url", "as_of", "note")
# the columns of the `district_figures` table (geo/core/district_figures.py: FIGURE_COLUMNS)
FIGURE_COLUMNS = ("ags", "indicator", "value", "as_of", "table_code", "source_url", "retrieved", "note")


# --- reading ------------------------------------------------------------------------------------------


def read_sites(url: str, *, missing_ok: bool = False) -> gpd.GeoDataFrame:
    """The live sites, in EPSG:4326, with the columns and types they were written with."""
    with connection(url) as conn:
        _require_schema(conn, url)
        # inside a writer's transaction (geo.store.ledger's sites_write) the write lock keeps other writers
        # out, and the writer's own changes are what it must read
        nested = conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE
        with conn.transaction():
            if not nested:  # one snapshot for both queries, even if a writer commits (or prunes) in between
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            row = conn.execute(
                "SELECT s.snapshot_id, s.columns FROM atlas.store_state st"
                " JOIN atlas.site_snapshots s ON s.snapshot_id = st.live_snapshot"
            ).fetchone()
            if row is None:
                if missing_ok:
                    return contract.empty_sites()
                raise StoreError(f"the database ({describe(url)}) holds no sites yet: run 'python -m geo db init'")
            return _read_snapshot(conn, row[0], row[1])


def data_changed_at(url: str) -> datetime:
    """When the live snapshot was made the live one (the store's `changed_at`, UTC, whole seconds)."""
    with connection(url) as conn:
        _require_schema(conn, url)
        (changed_at,) = _one(conn.execute("SELECT changed_at FROM atlas.store_state"))
    return changed_at.astimezone(UTC).replace(microsecond=0)


def read_site_facts(url: str) -> pd.DataFrame:
    """The live site facts, one row per site and fact field (columns FACT_COLUMNS)."""
    with connection(url) as conn:
        _require_schema(conn, url)
        rows = conn.execute(
            f"SELECT {', '.join(FACT_COLUMNS)} FROM atlas.live_site_facts ORDER BY site_id, field"
        ).fetchall()
    return pd.DataFrame(rows, columns=list(FACT_COLUMNS))


def read_district_figures(url: str) -> pd.DataFrame:
    """The live district figures, one row per district and indicator (columns FIGURE_COLUMNS)."""
    with connection(url) as conn:
        _require_schema(conn, url)
        rows = conn.execute(
            f"SELECT {', '.join(FIGURE_COLUMNS)} FROM atlas.live_district_figures ORDER BY indicator, ags"
        ).fetchall()
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS))


def _read_snapshot(conn: psycopg.Connection, snapshot_id: int, columns: list) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        # pandas asks for SQLAlchemy but reads through any DB-API connection (psycopg here)
        warnings.filterwarnings("ignore", message="pandas only supports SQLAlchemy", category=UserWarning)
        frame = gpd.read_postgis(
            "SELECT properties, geom FROM atlas.site_rows WHERE snapshot_id = %(snapshot)s ORDER BY row_number",
            conn,
            geom_col="geom",
            crs=STORAGE_CRS,
            params={"snapshot": snapshot_id},
        )
    records = list(frame["properties"])
    data = {name: _decoded([record.get(name) for record in records], kind) for name, kind in columns}
    return gpd.GeoDataFrame(data, geometry=frame["geom"].to_numpy(), crs=STORAGE_CRS)


def _decoded(values: list, kind: str) -> pd.Series:
    """A column as the GeoPackage store reads it: integers with gaps become floats, like pyogrio does."""
    has_gaps = any(value is None for value in values)
    if kind == "integer":
        return pd.Series(values, dtype="float64" if has_gaps else "int64")
    if kind == "real":
        return pd.Series([math.nan if value is None else value for value in values], dtype="float64")
    if kind == "boolean":
        return pd.Series(values, dtype=object if has_gaps else bool)
    if kind == "datetime":
        return pd.Series(pd.to_datetime(values, format="ISO8601"))
    return pd.Series(values, dtype="str")


# --- writing ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def write_lock(url: str, timeout: float | None = None) -> Iterator[psycopg.Connection]:
    """Serialise writers across processes with a session-level advisory lock on one pooled connection."""
    timeout = contract.LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    held = getattr(_held, "connections", None)
    if held is None:
        held = _held.connections = {}
    if url in held:  # already ours (a write inside an explicit write_lock): advisory locks nest per session
        yield held[url]
        return
    with connection(url) as conn:
        deadline = time.monotonic() + timeout
        while not _one(conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITE_LOCK_KEY,)))[0]:
            if time.monotonic() >= deadline:
                raise StoreBusy("the sites are being written by another process; try again later")
            time.sleep(0.05)
        held[url] = conn
        try:
            yield conn
        finally:
            del held[url]
            with contextlib.suppress(psycopg.Error):  # a broken connection has lost the lock anyway
                conn.execute("SELECT pg_advisory_unlock(%s)", (WRITE_LOCK_KEY,))


def write_sites(
    sites: gpd.GeoDataFrame,
    url: str,
    *,
    expected_version: str | None = None,
    facts: pd.DataFrame | None = None,
    figures: pd.DataFrame | None = None,
) -> str:
    """Make ``sites`` the live sites (one transaction), keeping the current state as a version.

    ``facts`` (site_id, field, value, unit, source_url, as_of) replaces the site facts; without it the
    facts of the current state are carried over for the sites ``sites`` holds. ``figures`` (the district
    figures) replaces them likewise; without it they are carried over whole. Returns the new data version.
    """
    if sites.crs is None or sites.crs.to_epsg() != 4326:
        raise StoreError("sites must be in EPSG:4326 before they are written")
    columns, records, geometries, size = _encoded(sites)
    fact_rows = None if facts is None else _fact_rows(facts)
    with write_lock(url) as conn:
        _require_schema(conn, url)
        try:
            with conn.transaction():
                live = _lock_state(conn, expected_version)
                snapshot = _one(
                    conn.execute(
                        "INSERT INTO atlas.site_snapshots (columns, site_count, size_bytes) VALUES (%s, %s, %s)"
                        " RETURNING snapshot_id",
                        (json.dumps(columns), len(records), size),
                    )
                )[0]
                with conn.cursor().copy(
                    "COPY atlas.site_rows (snapshot_id, row_number, site_id, properties, geom) FROM STDIN"
                ) as copy:
                    for number, (record, geometry) in enumerate(zip(records, geometries, strict=True)):
                        copy.write_row(
                            (snapshot, number, record.get("site_id"), json.dumps(record, ensure_ascii=False), geometry)
                        )
                if fact_rows is not None:
                    with conn.cursor().copy(
                        f"COPY atlas.site_facts (snapshot_id, {', '.join(FACT_COLUMNS)}) FROM STDIN"
                    ) as copy:
                        for fact in fact_rows:
                            copy.write_row((snapshot, *fact))
                elif live is not None:  # carried over for the sites that are still there
                    fact_columns = ", ".join(FACT_COLUMNS)
                    conn.execute(
                        f"INSERT INTO atlas.site_facts (snapshot_id, {fact_columns}) SELECT %s, {fact_columns}"
                        " FROM atlas.site_facts WHERE snapshot_id = %s AND site_id = ANY(%s)",
                        (snapshot, live, [str(record.get("site_id")) for record in records]),
                    )
                _write_figures(conn, snapshot, live, figures)
                version = _switch_live(conn, snapshot, keep=live, keep_as=KIND_PREVIOUS)
                _pause_before_commit()
        except psycopg.OperationalError as error:
            raise StoreUnavailable(
                f"the database ({describe(url)}) went away during the write; nothing was changed"
            ) from error
        except psycopg.Error as error:
            raise StoreError(f"the database refused the sites; nothing was changed: {error}") from error
    _remember_version(url, version)
    return version


def history(url: str) -> list[Version]:
    """Kept versions, newest first."""
    with connection(url) as conn:
        _require_schema(conn, url)
        rows = conn.execute(
            "SELECT k.kept_id, k.kind, k.saved_at, s.site_count, s.size_bytes FROM atlas.kept_versions k"
            " JOIN atlas.site_snapshots s USING (snapshot_id) ORDER BY k.saved_at DESC, k.kept_id DESC"
        ).fetchall()
    return [_version(*row) for row in rows]


def undo(url: str, *, expected_version: str | None = None) -> Version:
    """Back to the state before the last write; the replaced state is kept as ``undone``."""
    with write_lock(url) as conn:
        _require_schema(conn, url)
        with conn.transaction():
            live = _lock_state(conn, expected_version)
            rows = conn.execute(
                "SELECT k.kept_id, k.kind, k.saved_at, s.site_count, s.size_bytes, k.snapshot_id"
                " FROM atlas.kept_versions k JOIN atlas.site_snapshots s USING (snapshot_id)"
                " WHERE k.kind = %s ORDER BY k.saved_at DESC, k.kept_id DESC",
                (KIND_PREVIOUS,),
            ).fetchall()
            for *fields, snapshot in rows:
                conn.execute("DELETE FROM atlas.kept_versions WHERE kept_id = %s", (fields[0],))
                if snapshot == live:  # going back to it would change nothing
                    continue
                version = _switch_live(conn, snapshot, keep=live, keep_as=KIND_UNDONE)
                break
            else:
                raise NothingToUndo("no earlier version of the sites is kept")
    _remember_version(url, version)
    return _version(*fields)


def restore(version_id: str, url: str, *, expected_version: str | None = None) -> Version:
    """Make a kept version live again (an ordinary write: the current state is kept as ``previous``)."""
    match = _VERSION_ID.match(version_id)
    with write_lock(url) as conn:
        _require_schema(conn, url)
        with conn.transaction():
            live = _lock_state(conn, expected_version)
            row = (
                None
                if match is None
                else conn.execute(
                    "SELECT k.kept_id, k.kind, k.saved_at, s.site_count, s.size_bytes, k.snapshot_id"
                    " FROM atlas.kept_versions k JOIN atlas.site_snapshots s USING (snapshot_id)"
                    " WHERE k.kept_id = %s AND k.kind = %s",
                    (int(match["kept_id"]), match["kind"]),
                ).fetchone()
            )
            if row is None:
                raise StoreError(f"no kept version named {version_id}")
            *fields, snapshot = row
            version = _switch_live(conn, snapshot, keep=live, keep_as=KIND_PREVIOUS)
    _remember_version(url, version)
    return _version(*fields)


def load_initial(
    url: str, sites: gpd.GeoDataFrame, facts: pd.DataFrame | None = None, figures: pd.DataFrame | None = None
) -> bool:
    """Load the first sites into an empty store (``db init``); False when it already holds sites."""
    with write_lock(url) as conn:
        _require_schema(conn, url)
        live = _one(conn.execute("SELECT live_snapshot FROM atlas.store_state"))[0]
        if live is not None:
            return False
        # a database copied from a template starts with the template's instance id: make it its own
        conn.execute("UPDATE atlas.store_state SET instance_id = md5(random()::text || clock_timestamp()::text)")
        write_sites(sites, url, facts=facts, figures=figures)  # from an empty store: nothing to keep or undo
    return True


# --- the steps of a write; all run inside the write transaction --------------------------------------


def _write_figures(conn: psycopg.Connection, snapshot: int, live: int | None, figures: pd.DataFrame | None) -> None:
    columns = ", ".join(FIGURE_COLUMNS)
    if figures is None:
        if live is not None:
            conn.execute(
                f"INSERT INTO atlas.district_figures (snapshot_id, {columns}) SELECT %s, {columns}"
                " FROM atlas.district_figures WHERE snapshot_id = %s",
                (snapshot, live),
            )
        return
    frame = figures.reindex(columns=list(FIGURE_COLUMNS))
    with conn.cursor().copy(f"COPY atlas.district_figures (snapshot_id, {columns}) FROM STDIN") as copy:
        for row in frame.itertuples(index=False):
            copy.write_row(
                (
                    snapshot,
                    *(
                        _plain(value, "real" if name == "value" else "text")
                        for name, value in zip(FIGURE_COLUMNS, row, strict=True)
                    ),
                )
            )


def _lock_state(conn: psycopg.Connection, expected_version: str | None) -> int | None:
    conn.execute("SELECT 1 FROM atlas.store_state FOR UPDATE")
    version, live = _state_version(conn)
    if expected_version is not None and version != expected_version:
        raise StaleData("the sites were changed by someone else in the meantime; review again")
    return live


def _switch_live(conn: psycopg.Connection, snapshot: int, keep: int | None, keep_as: str) -> str:
    if keep is not None:
        conn.execute("INSERT INTO atlas.kept_versions (snapshot_id, kind) VALUES (%s, %s)", (keep, keep_as))
    conn.execute(
        "UPDATE atlas.store_state SET live_snapshot = %s, generation = generation + 1, changed_at = clock_timestamp()",
        (snapshot,),
    )
    _prune(conn)
    version, _ = _state_version(conn)
    # replicas poll the version row; the notification is for tools that would rather LISTEN
    conn.execute("SELECT pg_notify('standortatlas_sites', %s)", (version,))
    return version


def _prune(conn: psycopg.Connection) -> None:
    conn.execute(
        "DELETE FROM atlas.kept_versions WHERE kept_id IN (SELECT kept_id FROM ("
        " SELECT kept_id, row_number() OVER (PARTITION BY kind ORDER BY saved_at DESC, kept_id DESC) AS rank"
        " FROM atlas.kept_versions) ranked WHERE rank > %s)",
        (contract.keep_versions(),),
    )
    conn.execute(
        "DELETE FROM atlas.site_snapshots s WHERE s.snapshot_id <> (SELECT live_snapshot FROM atlas.store_state)"
        " AND NOT EXISTS (SELECT 1 FROM atlas.kept_versions k WHERE k.snapshot_id = s.snapshot_id)"
    )


def _pause_before_commit() -> None:
    # the GeoPackage store's test hook, at the same moment: everything written, nothing yet visible
    pause = float(os.environ.get(contract.PAUSE_BEFORE_REPLACE_ENV, "0") or 0)
    if pause > 0:
        time.sleep(pause)


def _version(kept_id: int, kind: str, saved_at: datetime, site_count: int, size_bytes: int) -> Version:
    version_id = f"v{kept_id}-{kind}"
    return Version(
        version_id, Path("postgis") / version_id, saved_at.astimezone(UTC), kind, int(size_bytes), int(site_count)
    )


# --- encoding a frame ---------------------------------------------------------------------------------


def _column_kind(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "real"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "text"


def _plain(value: Any, kind: str) -> object:
    """One value as JSON can hold it (None for missing)."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if kind == "integer":
        return int(value)
    if kind == "real":
        return float(value)
    if kind == "boolean":
        return bool(value)
    if kind == "datetime" or isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (np.generic,)):
        return value.item()
    return str(value) if kind == "text" else value


def _encoded(sites: gpd.GeoDataFrame) -> tuple[list[list[str]], list[dict], list[str | None], int]:
    geometry_name = sites.geometry.name
    columns = [[name, _column_kind(sites[name])] for name in sites.columns if name != geometry_name]
    values = {name: [_plain(value, kind) for value in sites[name].tolist()] for name, kind in columns}
    records = (
        [dict(zip(values, row, strict=True)) for row in zip(*values.values(), strict=True)]
        if columns
        else [{} for _ in range(len(sites))]
    )
    geometries = shapely.to_wkb(shapely.set_srid(sites.geometry.to_numpy(), 4326), hex=True, include_srid=True)
    geometries = [None if geometry is None else geometry for geometry in geometries]
    size = sum(len(json.dumps(record, ensure_ascii=False)) for record in records) + sum(
        len(geometry or "") // 2 for geometry in geometries
    )
    return columns, records, geometries, size


def _fact_rows(facts: pd.DataFrame) -> list[tuple]:
    missing = [column for column in ("site_id", "field") if column not in facts.columns]
    if missing:
        raise StoreError(f"site facts need the columns {', '.join(missing)}")
    frame = facts.reindex(columns=list(FACT_COLUMNS))
    return [tuple(_plain(value, "text") for value in row) for row in frame.itertuples(index=False)]
