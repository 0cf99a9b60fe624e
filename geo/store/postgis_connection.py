"""Connections to the sites database, its schema (the numbered SQL files of geo/store/migrations/) and its
data version: a pool per process and database, advisory locks, and a version that every replica polls at
most once per STANDORTATLAS_VERSION_POLL_SECONDS. geo.store.postgis reads and writes the sites through it.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from geo.store.contract import (
    StoreError,
    StoreUnavailable,
)

VERSION_POLL_ENV = "STANDORTATLAS_VERSION_POLL_SECONDS"

DEFAULT_VERSION_POLL_SECONDS = 1.0

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Fixed keys of the two advisory locks (any 64-bit numbers; these spell "StAtlas1"/"StAtlas2").
WRITE_LOCK_KEY = 0x537441746C617331

MIGRATION_LOCK_KEY = 0x537441746C617332

CONNECT_TIMEOUT_SECONDS = 5.0

POOL_MAX_SIZE = int(os.environ.get("STANDORTATLAS_DATABASE_POOL_SIZE", "4"))

_MIGRATION_NAME = re.compile(r"^(?P<number>\d{3})_(?P<name>[a-z0-9_]+)\.sql$")


def _one(cursor: psycopg.Cursor) -> tuple[Any, ...]:
    """The one row of a query that always returns one (an aggregate, a lookup of the one state row)."""
    row = cursor.fetchone()
    if row is None:
        raise StoreError("the sites database returned no row where one was expected")
    return row


_pools: dict[str, ConnectionPool] = {}

_pools_lock = threading.Lock()

_held = threading.local()  # the connection holding the write lock in this thread, if any


def is_database_url(location: object) -> bool:
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def describe(url: str) -> str:
    """The database as people may see it: host, port and name, never the password."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    host = info.get("host") or "localhost"
    where = f"{host}:{info['port']}" if info.get("port") else host
    return f"PostgreSQL {info.get('dbname', '')} @ {where}"


def _pool(url: str) -> ConnectionPool:
    with _pools_lock:
        pool = _pools.get(url)
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=POOL_MAX_SIZE,
                open=False,
                name="standortatlas",
                kwargs={
                    "autocommit": True,
                    "connect_timeout": int(CONNECT_TIMEOUT_SECONDS),
                    "application_name": "standortatlas",
                },
                # a connection broken by a database restart is noticed and replaced before it is handed out
                check=ConnectionPool.check_connection,
                reconnect_timeout=24 * 3600,
            )
            pool.open(wait=False)
            _pools[url] = pool
        return pool


def close_pools() -> None:
    """Close every pool of this process (tests, and before a fork)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()
    _versions.clear()
    _schema_checked.clear()


@contextlib.contextmanager
def connection(url: str, timeout: float = CONNECT_TIMEOUT_SECONDS) -> Iterator[psycopg.Connection]:
    """A pooled connection (autocommit; use ``conn.transaction()``), or StoreUnavailable."""
    held = getattr(_held, "connections", {}).get(url)
    if held is not None:  # this thread holds the write lock: its connection does the work
        yield held
        return
    try:
        with _pool(url).connection(timeout=timeout) as conn:
            yield conn
    except PoolTimeout as error:
        raise StoreUnavailable(f"the database ({describe(url)}) cannot be reached: {error}") from error
    except psycopg.OperationalError as error:
        raise StoreUnavailable(f"the database ({describe(url)}) cannot be reached: {error}") from error


def migrations() -> list[tuple[int, str, Path]]:
    """(number, name, file) of every migration, in order."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match["number"]), match["name"], path))
    return found


def migrate(url: str) -> list[str]:
    """Apply the migrations the database does not have yet; returns their names."""
    applied = []
    with connection(url) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
                " version integer PRIMARY KEY, name text NOT NULL,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM public.schema_migrations")}
            for number, name, path in migrations():
                if number in done:
                    continue
                with conn.transaction():
                    conn.execute(path.read_text(encoding="utf-8"))
                    conn.execute("INSERT INTO public.schema_migrations (version, name) VALUES (%s, %s)", (number, name))
                applied.append(f"{number:03d}_{name}")
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied


def schema_version(url: str) -> int | None:
    """The newest applied migration, or None for a database without the schema."""
    with connection(url) as conn:
        exists = _one(conn.execute("SELECT to_regclass('public.schema_migrations')"))[0]
        if exists is None:
            return None
        return _one(conn.execute("SELECT max(version) FROM public.schema_migrations"))[0]


def require_schema(conn: psycopg.Connection, url: str) -> None:
    """The store's schema must be there and up to date (the stewardship ledger asks too)."""
    _require_schema(conn, url)


def _require_schema(conn: psycopg.Connection, url: str) -> None:
    """The store's schema must be there and up to date (once per process and database)."""
    if url in _schema_checked:
        return
    if _one(conn.execute("SELECT to_regclass('public.schema_migrations')"))[0] is None:
        raise StoreError(f"the database ({describe(url)}) has no sites store yet: run 'python -m geo db init'")
    applied = _one(conn.execute("SELECT max(version) FROM public.schema_migrations"))[0] or 0
    if applied < migrations()[-1][0]:
        raise StoreError(
            f"the database ({describe(url)}) has schema {applied:03d}, this code needs "
            f"{migrations()[-1][0]:03d}: run 'python -m geo db init'"
        )
    _schema_checked.add(url)


_schema_checked: set[str] = set()
_problems: dict[str, str] = {}  # url -> why the database did not answer at the last poll
_versions: dict[str, tuple[float, str]] = {}  # url -> (monotonic time asked, version)

_pollers: dict[str, threading.Lock] = {}


def poll_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(VERSION_POLL_ENV, DEFAULT_VERSION_POLL_SECONDS)))
    except ValueError:
        return DEFAULT_VERSION_POLL_SECONDS


def _state_version(conn: psycopg.Connection) -> tuple[str, int | None]:
    instance, generation, live = _one(
        conn.execute("SELECT instance_id, generation, live_snapshot FROM atlas.store_state")
    )
    return (f"pg-{instance[:12]}-{generation}" if live is not None else "missing"), live


def data_version(url: str) -> str:
    """The live data's version, asked from the database at most once per poll interval."""
    now = time.monotonic()
    cached = _versions.get(url)
    if cached is not None and now - cached[0] < poll_seconds():
        return cached[1]
    poller = _pollers.setdefault(url, threading.Lock())
    if cached is None:
        poller.acquire()
    elif not poller.acquire(blocking=False):
        return cached[1]  # another thread is asking the database right now; its answer comes at once
    try:
        return _poll_version(url, now, cached)
    finally:
        poller.release()


def _poll_version(url: str, now: float, cached: tuple[float, str] | None) -> str:
    try:
        with connection(url, timeout=2.0) as conn:
            _require_schema(conn, url)
            version, _ = _state_version(conn)
    except (StoreUnavailable, psycopg.Error) as error:
        _problems[url] = str(error).splitlines()[0] if str(error) else type(error).__name__
        if cached is not None:  # keep serving what was read last; try again at the next poll
            _versions[url] = (now, cached[1])
            return cached[1]
        raise StoreUnavailable(f"the database ({describe(url)}) cannot be reached") from error
    _problems.pop(url, None)
    _versions[url] = (now, version)
    return version


def database_problem(url: str) -> str | None:
    """Why the database could not be asked at the last poll, or None when it answered."""
    return _problems.get(url)


def _remember_version(url: str, version: str) -> None:
    _versions[url] = (time.monotonic(), version)


def forget_version(url: str) -> None:
    """Ask the database at the next poll: a write this process remembered was rolled back (it ran inside
    a larger transaction, geo.store.ledger's `sites_write`, that failed after it)."""
    _versions.pop(url, None)
