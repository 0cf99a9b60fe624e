"""The stewardship ledger of a sites location: named accounts, partners' proposals and the log of every
applied change. It lives beside the sites, not inside their versions: an undo brings back earlier sites,
never earlier accounts, proposals or log entries.

- With PostgreSQL (``STANDORTATLAS_DATABASE_URL``, or a ``postgresql://`` location) the ledger is the
  tables of migration 005_stewardship.sql in the store's database.
- With the GeoPackage store it is an SQLite file beside sites.gpkg (``stewardship.sqlite``), attached under
  the name ``atlas`` so the SQL is the same; its schema comes from ``migrations/sqlite/``, recorded in a
  table of its own. A reader never creates the file: without it there are no accounts and no proposals.

`sites_write` holds the sites' write lock and one ledger transaction, so a change to the sites and its
log entry are written together: in PostgreSQL in one transaction; with the GeoPackage the log commits
right after the new file replaced the old one (both under the same lock), or not at all when the write
failed.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from geo.store import geopackage
from geo.store.contract import StoreError, StoreReadOnly, database_url

LEDGER_FILE = "stewardship.sqlite"
SQLITE_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations" / "sqlite"
SQLITE_BUSY_SECONDS = 10.0
_MIGRATION_NAME = re.compile(r"^(?P<number>\d{3})_(?P<name>[a-z0-9_]+)\.sql$")


def now() -> datetime:
    """The time the ledger records (UTC)."""
    return datetime.now(UTC)


def moment(value: object) -> datetime | None:
    """A stored time as an aware UTC datetime (PostgreSQL returns datetimes, SQLite ISO text)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class Session:
    """One ledger transaction: queries are written with ``%s`` placeholders for both databases."""

    def __init__(self, connection: Any, sqlite: bool):
        self._connection = connection
        self._sqlite = sqlite

    def _prepared(self, sql: str, params: Sequence[object]) -> tuple[str, tuple[object, ...]]:
        if not self._sqlite:
            return sql, tuple(params)
        values = tuple(value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value for value in params)
        return sql.replace("%s", "?"), values

    def rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        query, values = self._prepared(sql, params)
        return [tuple(row) for row in self._connection.execute(query, values).fetchall()]

    def row(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def run(self, sql: str, params: Sequence[object] = ()) -> int:
        """Run a statement; the number of rows it changed."""
        query, values = self._prepared(sql, params)
        cursor = self._connection.execute(query, values)
        return int(cursor.rowcount or 0)


class Ledger:
    """The ledger of the sites at ``sites_path`` (the GeoPackage file or the database it names)."""

    def __init__(self, sites_path: Path | str):
        self.sites_path = sites_path
        self.url = database_url(sites_path)
        self.file = None if self.url is not None else Path(sites_path).with_name(LEDGER_FILE)

    def exists(self) -> bool:
        """False only for a GeoPackage location whose ledger file was never written."""
        return self.file is None or self.file.exists()

    @contextlib.contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction. A read of a GeoPackage location without a ledger file yields None rows: callers
        check `exists()` first."""
        if self.url is not None:
            from geo.store import postgis_connection

            with postgis_connection.connection(self.url) as conn:
                postgis_connection.require_schema(conn, self.url)
                with conn.transaction():
                    yield Session(conn, sqlite=False)
            return
        assert self.file is not None
        connection = _open_sqlite(self.file, write)
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield Session(connection, sqlite=True)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()

    @contextlib.contextmanager
    def sites_write(self) -> Iterator[Session]:
        """The sites' write lock and a ledger transaction around a change of the sites and its log entry.

        Inside, `geo.store.write_sites` / `undo` / `restore` run under the lock already held; in
        PostgreSQL they join this transaction (their own becomes a savepoint), so the sites and the log
        commit together or not at all."""
        if self.url is not None:
            from geo.store import postgis, postgis_connection

            with postgis.write_lock(self.url), self.session(write=True) as session:
                try:
                    yield session
                except BaseException:
                    postgis_connection.forget_version(self.url)  # a version remembered inside was rolled back
                    raise
            return
        sites_path = Path(self.sites_path)
        with (
            geopackage.read_only_as_message(sites_path),
            geopackage.write_lock(sites_path),
            self.session(write=True) as session,
        ):
            yield session


def _open_sqlite(file: Path, write: bool) -> sqlite3.Connection:
    """A connection with the ledger file attached as ``atlas`` (created and migrated for a write)."""
    if write:
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except PermissionError as error:
            raise StoreReadOnly(f"cannot write in {file.parent}: {error.strerror}") from error
    elif not file.exists():
        raise StoreError(f"{file} does not exist")
    connection = sqlite3.connect(":memory:", timeout=SQLITE_BUSY_SECONDS, isolation_level=None)
    try:
        connection.execute("ATTACH DATABASE ? AS atlas", (str(file),))
        connection.execute(f"PRAGMA busy_timeout = {int(SQLITE_BUSY_SECONDS * 1000)}")
        if write:
            connection.execute("PRAGMA atlas.journal_mode = WAL")
            _migrate_sqlite(connection)
    except sqlite3.OperationalError as error:
        connection.close()
        if "readonly" in str(error) or "unable to open" in str(error):
            raise StoreReadOnly(
                f"cannot write the stewardship ledger {file} ({error}); the folder is read-only for this process. "
                "Nothing was changed; give the app's user write access to the folder."
            ) from error
        raise
    return connection


def sqlite_migrations() -> list[tuple[int, str, Path]]:
    found = []
    for path in sorted(SQLITE_MIGRATIONS_DIR.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append((int(match["number"]), match["name"], path))
    return found


def _migrate_sqlite(connection: sqlite3.Connection) -> None:
    """Apply the SQLite migrations the file does not have yet, each in its own transaction."""
    connection.execute(
        "CREATE TABLE IF NOT EXISTS atlas.schema_migrations (version integer PRIMARY KEY, name text NOT NULL,"
        " applied_at text NOT NULL)"
    )
    done = {row[0] for row in connection.execute("SELECT version FROM atlas.schema_migrations")}
    for number, name, path in sqlite_migrations():
        if number in done:
            continue
        connection.execute("BEGIN IMMEDIATE")
        try:
            # checked again inside the transaction: another process may have migrated meanwhile
            if connection.execute("SELECT 1 FROM atlas.schema_migrations WHERE version = ?", (number,)).fetchone():
                connection.execute("COMMIT")
                continue
            for statement in _statements(path.read_text(encoding="utf-8")):
                connection.execute(statement)
            connection.execute(
                "INSERT INTO atlas.schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (number, name, now().isoformat()),
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """The statements of a migration file (comments dropped; no statement of ours holds a ';' in text)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [statement.strip() for statement in "\n".join(lines).split(";") if statement.strip()]
