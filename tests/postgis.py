"""A throwaway PostgreSQL + PostGIS cluster for the tests: one per test session, one database per test.

The cluster lives in a temporary folder, listens only on a unix socket there (no TCP port to collide
with), runs with fsync off (its data is thrown away) and is stopped at the end of the session. As root,
PostgreSQL refuses to run, so the server runs as the `postgres` system user (made by Debian's package).
Each test gets a fresh database copied from a template that already has PostGIS and the migrations.

It logs in without passwords (trust), which is safe only because nobody else can reach it: no TCP port,
and the socket lies in a folder made by `tempfile.mkdtemp` (mode 0700, owned by the user that runs the
tests, or by `postgres` when the tests run as root). The tests use the store as the app does, as a role
with only the store's rights (`geo.store.roles`), so a missing right fails here first; the superuser
`postgres` only prepares and drops the databases.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

PG_BIN_CANDIDATES = [Path("/usr/lib/postgresql/15/bin"), Path("/usr/lib/postgresql/16/bin")]
TEMPLATE_DATABASE = "atlas_template"
APP_ROLE = "atlas_app"  # what new_database's URLs connect as


def postgres_bin() -> Path | None:
    """The folder of initdb/pg_ctl, or None when PostgreSQL (with PostGIS) is not installed."""
    for folder in PG_BIN_CANDIDATES:
        version = folder.parent.name
        has_postgis = Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists()
        if (folder / "initdb").exists() and has_postgis:
            return folder
    return None


class ThrowawayCluster:
    def __init__(self, pg_bin: Path):
        self.pg_bin = pg_bin
        self.folder = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        self.data = self.folder / "data"
        self.socket_dir = self.folder  # short path: unix socket paths are limited to ~100 characters
        self.port = 5432
        self.run_as = "postgres" if os.geteuid() == 0 else None

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        subprocess.run(prefix + list(command), check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def start(self) -> ThrowawayCluster:
        if self.run_as:
            shutil.chown(self.folder, self.run_as)
        self._run(
            str(self.pg_bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self.start_server()
        self.execute("postgres", f"CREATE ROLE {APP_ROLE} LOGIN")
        self.execute("postgres", f"CREATE DATABASE {TEMPLATE_DATABASE}")
        from geo.store import postgis_connection, roles

        postgis_connection.migrate(self.url(TEMPLATE_DATABASE))
        roles.grant_app_role(self.url(TEMPLATE_DATABASE), APP_ROLE)  # copied with the template
        postgis_connection.close_pools()  # a template must have no connections when it is copied
        return self

    def start_server(self) -> None:
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir} -c port={self.port}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.pg_bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop_server(self) -> None:
        self._run(str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str, role: str = "postgres") -> str:
        """The database as `role`: by default the superuser (set-up, migrations); see new_database."""
        return f"postgresql://{role}@/{database}?host={self.socket_dir}&port={self.port}"

    def execute(self, database: str, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

    def new_database(self) -> str:
        """A fresh database with the empty sites store; returns its URL for the app's role."""
        name = f"atlas_{uuid.uuid4().hex[:12]}"
        self.execute("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DATABASE} STRATEGY FILE_COPY")
        return self.url(name, APP_ROLE)

    def drop_database(self, url: str) -> None:

        from geo.store import postgis_connection

        postgis_connection.close_pools()
        name = url.split("?")[0].rsplit("/", 1)[-1]
        self.execute("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run(str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgis_cluster():
    """A running throwaway cluster for the session (tests/conftest.py offers it to every test).
    Skipped where PostgreSQL/PostGIS is not installed, except in CI, where the tests must run."""
    from geo.store import postgis_connection

    pg_bin = postgres_bin()
    if pg_bin is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL with PostGIS is missing in CI: `make postgis` installs it")
        pytest.skip("PostgreSQL with PostGIS is not installed (`make postgis` installs it as root)")
    cluster = ThrowawayCluster(pg_bin).start()
    yield cluster

    postgis_connection.close_pools()
    cluster.stop()
