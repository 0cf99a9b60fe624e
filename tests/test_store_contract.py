"""The store contract, checked on both backends: the GeoPackage file and PostgreSQL/PostGIS.

Every test gets a `sites` location that geo.store's functions accept: a GeoPackage path, or the URL of
a fresh database in a throwaway PostgreSQL cluster (started once per test session, see
tests/postgis.py) holding the same three fixture sites. Writes are atomic, versions are kept (at
least ten) and can be undone and restored, writers wait for each other across processes, a stale or
bad write is refused with the data unchanged, and a writer killed in the middle changes nothing.
PostgreSQL-only checks at the end: another process's write is seen within the poll interval, and the
store keeps answering through a database restart and recovers by itself.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from geo import store
from geo.core.fields import SITE_COLUMNS
from geo.imports import importer
from geo.store import contract
from tests import fixtures_import as fx
from tests.postgis import APP_ROLE
from tests.waiting import wait_for

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 3, 14)
BACKENDS = ["geopackage", "postgis"]


@pytest.fixture(params=BACKENDS)
def sites(request, tmp_path, monkeypatch):
    """Where the three fixture sites live, and how a subprocess (the CLI) reaches the same place."""
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    gpkg = fx.build_sites(data_dir / "sites.gpkg")
    reference = fx.build_reference(tmp_path / "reference.gpkg")
    if request.param == "geopackage":
        yield SimpleNamespace(
            backend="geopackage",
            location=gpkg,
            dir=tmp_path,
            reference=reference,
            cli_sites=["--sites", str(gpkg)],
            env={},
        )
        return
    from geo.store import postgis as store_postgis

    cluster = request.getfixturevalue("postgis_cluster")
    url = cluster.new_database()
    store_postgis.load_initial(url, store.read_sites(gpkg))
    # the CLI's default location (STANDORTATLAS_DATA_DIR/sites.gpkg) is the database when the URL is set
    yield SimpleNamespace(
        backend="postgis",
        location=url,
        dir=tmp_path,
        reference=reference,
        cli_sites=[],
        env={store.DATABASE_URL_ENV: url, "STANDORTATLAS_DATA_DIR": str(data_dir)},
    )
    cluster.drop_database(url)


def renamed(location, index: int, name: str) -> str:
    """One write through the store: site ``index`` gets a new name."""
    frame = store.read_sites(location)
    frame.loc[index, "name"] = name
    return store.write_sites(frame, location)


def names(location) -> list[str]:
    return list(store.read_sites(location)["name"])


def same_frames(left, right) -> bool:
    if list(left.columns) != list(right.columns) or len(left) != len(right):
        return False
    for column in left.columns:
        if column == left.geometry.name:
            if not left.geometry.equals(right.geometry):
                return False
        elif left[column].tolist() != right[column].tolist() and (
            pd.isna(left[column]).tolist() != pd.isna(right[column]).tolist()
            or left[column].dropna().tolist() != right[column].dropna().tolist()
        ):
            return False
    return True


def start_python(code: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(sites, *arguments: str, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **sites.env, **extra_env},
    )


def incoming_csv(sites, **changes: str) -> Path:
    """The three fixture sites with ``changes``, in vocabularies that the real data/sources accept."""
    rows = fx.site_rows()
    for row in rows:
        row.update(program="kreativort", themes="", **changes)
    return fx.write_csv(sites.dir / "neu.csv", rows)


def writer_paused(sites) -> bool:
    """The CLI writer is inside its pause: everything written, not yet visible."""
    if sites.backend == "geopackage":
        return bool(list(sites.location.parent.glob(".sites.*.tmp.gpkg*"))) and bool(store.history(sites.location))
    import psycopg

    with psycopg.connect(sites.location, autocommit=True) as conn:
        return (
            conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state = 'idle in transaction'"
            ).fetchone()[0]
            > 0
        )


# --- the contract -------------------------------------------------------------------------------------


def test_write_then_read_keeps_every_value(sites):
    original = store.read_sites(sites.location)
    store.write_sites(original, sites.location)
    again = store.read_sites(sites.location)

    assert same_frames(again, original)
    assert list(again.columns[: len(SITE_COLUMNS)]) == SITE_COLUMNS
    assert fx.HOSTILE_NAME in set(again["name"]) and again.crs.to_epsg() == 4326
    assert again["name"].tolist()[0] == "Kreativhof Größenwahn Potsdam"
    assert again["year"].tolist()[:2] == [2021, 2020] and pd.isna(again["year"].tolist()[2])


def test_data_version_changes_with_each_write_only(sites):
    first = store.data_version(sites.location)
    assert store.data_version(sites.location) == first
    store.read_sites(sites.location)
    assert store.data_version(sites.location) == first  # reading is not writing
    store.write_sites(store.read_sites(sites.location), sites.location)  # same content, still a new version
    second = store.data_version(sites.location)
    assert second != first and second != "missing"


def test_data_changed_at_is_the_time_of_the_last_write(sites):
    """When the live data was written, in UTC (the open data API's Last-Modified)."""
    import datetime as dt

    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    store.write_sites(store.read_sites(sites.location), sites.location)
    after = dt.datetime.now(dt.UTC)
    changed = store.data_changed_at(sites.location)
    assert changed.tzinfo is not None and changed.microsecond == 0
    assert before - dt.timedelta(seconds=1) <= changed <= after


def test_an_empty_store_reads_as_no_sites(sites, request):
    if sites.backend == "geopackage":
        empty = sites.dir / "missing.gpkg"
    else:
        empty = request.getfixturevalue("postgis_cluster").new_database()  # the schema, but no sites loaded
    assert store.data_version(empty) == "missing"
    assert store.read_sites(empty, missing_ok=True).empty
    assert store.history(empty) == []
    store.write_sites(store.read_sites(sites.location), empty)  # a first write needs nothing to keep
    assert len(store.read_sites(empty)) == 3 and store.history(empty) == []


def test_each_write_keeps_the_previous_version_and_at_least_ten(sites, monkeypatch):
    monkeypatch.setenv("STANDORTATLAS_KEEP_VERSIONS", "3")  # below the floor of ten: ten are kept anyway
    for number in range(13):
        renamed(sites.location, 0, f"Fassung {number}")
    versions = store.history(sites.location)

    assert len(versions) == 10 and all(version.kind == store.KIND_PREVIOUS for version in versions)
    assert versions == sorted(versions, key=lambda version: version.saved_at, reverse=True)
    assert len({version.version_id for version in versions}) == 10
    assert all(version.site_count == 3 and version.size_bytes > 0 for version in versions)
    store.restore(versions[0].version_id, sites.location)  # the newest kept: the state before the last write
    assert names(sites.location)[0] == "Fassung 11"


def test_undo_steps_back_one_write_at_a_time(sites):
    original = names(sites.location)
    renamed(sites.location, 0, "Erste Änderung")
    renamed(sites.location, 1, "Zweite Änderung")

    store.undo(sites.location)
    assert names(sites.location) == ["Erste Änderung", *original[1:]]
    store.undo(sites.location)
    assert names(sites.location) == original
    with pytest.raises(store.NothingToUndo):
        store.undo(sites.location)
    undone = [version for version in store.history(sites.location) if version.kind == store.KIND_UNDONE]
    assert len(undone) == 2
    store.restore(undone[-1].version_id, sites.location)  # the oldest undone state: after the second change
    assert names(sites.location)[:2] == ["Erste Änderung", "Zweite Änderung"]


def test_district_figures_travel_with_the_sites_and_undo_takes_an_import_back(sites):
    """Both backends keep the district figures (migration 003 in the database) in every version: a write
    with new figures is undone like any write; a write without them carries them over."""
    from geo.core.district_figures import normalised

    def figures(value: float) -> pd.DataFrame:
        row = {
            "ags": "15087",
            "indicator": "employees_workplace",
            "value": value,
            "as_of": "2023-06-30",
            "table_code": "13111-01-03-4",
            "source_url": "https://www.regionalstatistik.de/genesis/online?operation=table&code=13111-01-03-4",
            "retrieved": "2026-12-07",
            "note": "",
        }
        return normalised(pd.DataFrame([row]))

    def stored_value() -> float | None:
        table = store.live_figures(sites.location)
        rows = table.loc[(table["ags"] == "15087") & (table["indicator"] == "employees_workplace"), "value"]
        return float(rows.iloc[0]) if len(rows) else None

    frame = store.read_sites(sites.location)
    store.write_sites(frame, sites.location, figures=figures(40328))
    store.write_sites(frame, sites.location, figures=figures(40999))
    assert stored_value() == 40999
    renamed(sites.location, 0, "Ohne neue Kreiszahlen")  # carried over
    assert stored_value() == 40999
    store.undo(sites.location)
    store.undo(sites.location)
    assert stored_value() == 40328


def test_nothing_to_undo_and_unknown_versions(sites):
    with pytest.raises(store.NothingToUndo):
        store.undo(sites.location)
    with pytest.raises(store.StoreError):
        store.restore("sites-20200101T000000000000Z-previous.gpkg", sites.location)
    with pytest.raises(store.StoreError):
        store.restore("v999999-previous", sites.location)


def test_a_write_against_a_stale_version_is_refused(sites):
    seen = store.data_version(sites.location)
    renamed(sites.location, 0, "Jemand anderes")
    before, version = store.read_sites(sites.location), store.data_version(sites.location)
    with pytest.raises(store.StaleData):
        store.write_sites(store.read_sites(sites.location), sites.location, expected_version=seen)
    with pytest.raises(store.StaleData):
        store.undo(sites.location, expected_version=seen)
    assert same_frames(store.read_sites(sites.location), before) and store.data_version(sites.location) == version


def test_bad_input_is_refused_and_nothing_changes(sites):
    before, version = store.read_sites(sites.location), store.data_version(sites.location)
    with pytest.raises(store.StoreError):
        store.write_sites(before.to_crs(25833), sites.location)
    assert same_frames(store.read_sites(sites.location), before)
    assert store.data_version(sites.location) == version and store.history(sites.location) == []


HOLD_LOCK = """
    import time
    from geo import store
    location = {location!r}
    location = location if location.startswith("postgresql://") else __import__("pathlib").Path(location)
    with store.write_lock(location):
        print("locked", flush=True)
        time.sleep({seconds})
"""


def test_a_second_writer_waits_for_the_first(sites):
    holder = start_python(HOLD_LOCK.format(location=str(sites.location), seconds=1.5), {})
    assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
    started = time.monotonic()
    renamed(sites.location, 0, "Nach dem Warten")
    assert time.monotonic() - started > 0.5
    assert names(sites.location)[0] == "Nach dem Warten"
    assert holder.wait(timeout=30) == 0


def test_a_writer_gives_up_after_the_lock_timeout(sites, monkeypatch):
    monkeypatch.setattr(contract, "LOCK_TIMEOUT_SECONDS", 0.3)
    holder = start_python(HOLD_LOCK.format(location=str(sites.location), seconds=5), {})
    try:
        assert holder.stdout.readline().strip() == "locked", holder.stderr.read()
        before = store.read_sites(sites.location)
        with pytest.raises(store.StoreBusy):
            renamed(sites.location, 0, "Zu früh")
        assert same_frames(store.read_sites(sites.location), before)
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_killing_an_apply_before_it_becomes_visible_leaves_the_previous_data(sites):
    """The CLI apply pauses when everything is written but not yet live (test hook), then gets SIGKILL."""
    incoming = incoming_csv(sites, description_en="Changed.")
    before, previous_names = store.read_sites(sites.location), names(sites.location)

    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geo",
            "import",
            str(incoming),
            "--apply",
            "--reference",
            str(sites.reference),
            *sites.cli_sites,
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, **sites.env, store.PAUSE_BEFORE_REPLACE_ENV: "60"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: writer.poll() is not None or writer_paused(sites))
        assert writer.poll() is None, writer.communicate()
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    assert names(sites.location) == previous_names and same_frames(store.read_sites(sites.location), before)
    with pytest.raises(store.NothingToUndo):  # nothing of the killed write is left to "undo"
        store.undo(sites.location)

    # the next writer is not blocked by the dead one's lock
    started = time.monotonic()
    renamed(sites.location, 0, "Nach dem Abbruch")
    assert time.monotonic() - started < contract.LOCK_TIMEOUT_SECONDS
    store.undo(sites.location)
    assert same_frames(store.read_sites(sites.location), before)


# --- the import on both backends ------------------------------------------------------------------


@pytest.fixture
def fixture_vocabularies(monkeypatch):
    fx.use_fixture_programs(monkeypatch)


def test_apply_writes_the_diff_and_undo_brings_back_the_old_state(sites, fixture_vocabularies):
    before = store.read_sites(sites.location)
    rows = fx.site_rows()
    rows[2]["description_en"] = "Thuringian delicacies."
    result = importer.read_user_file(
        fx.write_gpkg(sites.dir / "neu.gpkg", rows, epsg=25833), reference_path=sites.reference
    )
    version = store.data_version(sites.location)

    applied = importer.apply_import(result, sites.location, expected_version=version, today=TODAY)
    assert applied.written and applied.data_version == store.data_version(sites.location) != version
    written = store.read_sites(sites.location)
    assert list(written.columns[: len(SITE_COLUMNS)]) == SITE_COLUMNS
    hostile = written.set_index("site_id").loc[importer.slugify(fx.HOSTILE_NAME)]
    assert hostile["description_en"] == "Thuringian delicacies." and hostile["name"] == fx.HOSTILE_NAME

    again = importer.apply_import(result, sites.location, today=TODAY)  # the same file twice: nothing to do
    assert not again.written and len(store.history(sites.location)) == 1
    store.undo(sites.location)
    assert same_frames(store.read_sites(sites.location), before)


def test_apply_refuses_when_someone_else_wrote_since_the_review(sites, fixture_vocabularies):
    rows = fx.site_rows()
    rows[0]["year"] = "2022"
    result = importer.read_user_file(fx.write_csv(sites.dir / "a.csv", rows), reference_path=sites.reference)
    reviewed = store.data_version(sites.location)
    store.write_sites(store.read_sites(sites.location).iloc[:2], sites.location)  # another steward's import
    after_other = store.read_sites(sites.location)

    with pytest.raises(store.StaleData):
        importer.apply_import(result, sites.location, expected_version=reviewed)
    assert same_frames(store.read_sites(sites.location), after_other)


@pytest.mark.slow  # four command-line processes per store; make test runs it
def test_command_line_import_history_and_undo(sites):
    incoming = incoming_csv(sites, description_en="Geändert.")
    common = ["--reference", str(sites.reference), *sites.cli_sites]

    preview = run_cli(sites, "import", str(incoming), *common, "--lang", "en")
    assert preview.returncode == 0, preview.stderr
    assert "3 changed" in preview.stdout and "preview" in preview.stdout

    def described() -> list[str]:
        return list(store.read_sites(sites.location)["description_en"])

    original = described()
    assert original[0] == "Former market garden with studios."  # a preview writes nothing

    applied = run_cli(sites, "import", str(incoming), "--apply", *common, "--lang", "en")
    assert applied.returncode == 0, applied.stderr
    assert described() == ["Geändert."] * 3
    where = "PostgreSQL" if sites.backend == "postgis" else "sites.gpkg"
    assert where in applied.stdout

    history = run_cli(sites, "history", *sites.cli_sites, "--lang", "en")
    assert history.returncode == 0, history.stderr
    assert "(3 sites)" in history.stdout and "undo restores this" in history.stdout

    undone = run_cli(sites, "undo", *sites.cli_sites, "--lang", "en")
    assert undone.returncode == 0, undone.stderr
    assert described()[:2] == original[:2]

    broken = sites.dir / "kaputt.csv"
    broken.write_text("name,program,lat,lon\nOhne Programm,,52.39,13.06\n", encoding="utf-8")
    version = store.data_version(sites.location)
    refused = run_cli(sites, "import", str(broken), "--apply", *common, "--lang", "en")
    assert refused.returncode == 1 and "Nothing was changed" in refused.stdout
    assert store.data_version(sites.location) == version


# --- PostgreSQL only: replicas and restarts -----------------------------------------------------------


@pytest.fixture
def database(sites):
    if sites.backend != "postgis":
        pytest.skip("a GeoPackage has no database to poll or restart")
    return sites


@pytest.mark.parametrize("sites", ["postgis"], indirect=True)
def test_another_process_write_is_seen_within_the_poll_interval(database, monkeypatch):

    from geo.store import postgis_connection

    monkeypatch.setenv(postgis_connection.VERSION_POLL_ENV, "0.5")
    seen = store.data_version(database.location)
    writer = start_python(
        f"""
        from geo import store
        frame = store.read_sites({database.location!r})
        frame.loc[0, "name"] = "Von nebenan"
        print(store.write_sites(frame, {database.location!r}), flush=True)
    """,
        {},
    )
    written_version = writer.stdout.readline().strip()
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    written_at = time.monotonic()
    wait_for(lambda: store.data_version(database.location) != seen, timeout=5)
    assert time.monotonic() - written_at < 1.5
    assert store.data_version(database.location) == written_version
    assert names(database.location)[0] == "Von nebenan"


@pytest.mark.slow
@pytest.mark.parametrize("sites", ["postgis"], indirect=True)
def test_a_database_restart_is_survived_and_recovered_from(database, postgis_cluster, monkeypatch):

    from geo.store import postgis_connection

    monkeypatch.setenv(postgis_connection.VERSION_POLL_ENV, "0")
    version = store.data_version(database.location)
    postgis_cluster.stop_server()
    try:
        # cached pages keep working: the last version is still the answer, and the problem is known
        assert store.data_version(database.location) == version
        assert store.database_problem(database.location) is not None
        with pytest.raises(store.StoreUnavailable):
            store.read_sites(database.location)
        with pytest.raises(store.StoreUnavailable):
            renamed(database.location, 0, "Während des Neustarts")
    finally:
        postgis_cluster.start_server()
    wait_for(
        lambda: store.data_version(database.location) and store.database_problem(database.location) is None,
        timeout=30,
        interval=0.2,
    )
    assert store.data_version(database.location) == version  # nothing was written while it was down
    renamed(database.location, 0, "Nach dem Neustart")
    assert names(database.location)[0] == "Nach dem Neustart"


def fact_table(site_ids: list[str], value: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "site_id": site_id,
                "field": "area_total_ha",
                "value": value,
                "value_en": "",
                "unit": "ha",
                "source_url": "https://example.org/flaechen",
                "as_of": "2025-01-01",
                "note": "Hinweis mit Ümlaut",
            }
            for site_id in site_ids
        ]
    )


@pytest.mark.parametrize("sites", ["postgis"], indirect=True)
def test_site_facts_travel_with_their_sites(database):
    from geo.store import postgis as store_postgis

    url = database.location
    frame = store.read_sites(url)
    store_postgis.write_sites(frame, url, facts=fact_table(list(frame["site_id"]), "12.5"))
    facts = store_postgis.read_site_facts(url)
    assert list(facts.columns) == list(store_postgis.FACT_COLUMNS)
    assert len(facts) == 3 and set(facts["value"]) == {"12.5"} and set(facts["note"]) == {"Hinweis mit Ümlaut"}

    renamed(url, 0, "Ohne neue Fakten")  # a write of the sites alone keeps the facts
    assert set(store_postgis.read_site_facts(url)["value"]) == {"12.5"}
    store_postgis.write_sites(store.read_sites(url), url, facts=fact_table(list(frame["site_id"]), "99"))
    store.undo(url)  # undo brings back the facts that belonged to the earlier state
    assert set(store_postgis.read_site_facts(url)["value"]) == {"12.5"}


def test_db_init_creates_the_schema_and_loads_the_sites_once(postgis_cluster, tmp_path):
    from geo.core.district_figures import read_bundled_figures
    from geo.store import postgis as store_postgis
    from geo.store import postgis_connection

    url = postgis_cluster.new_database()  # the app's role
    name = url.split("?")[0].rsplit("/", 1)[-1]
    owner = postgis_cluster.url(name)  # the migrations run as the schema's owner
    postgis_connection.close_pools()
    postgis_cluster.execute(name, "DROP SCHEMA atlas CASCADE; DROP TABLE schema_migrations")
    gpkg = fx.build_sites(tmp_path / "sites.gpkg")
    import pyogrio

    pyogrio.write_dataframe(
        fact_table(["kreativhof-groessenwahn-potsdam"], "3"), gpkg, layer="site_facts", driver="GPKG"
    )
    env = {**os.environ, store.DATABASE_URL_ENV: owner}
    init = [sys.executable, "-m", "geo", "db", "init", "--sites", str(gpkg), "--app-role", APP_ROLE]
    first = subprocess.run(init, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert (
        "001_sites_store" in first.stdout
        and "3 Standorte, 1 Fakten" in first.stdout
        and "3 sites, 1 facts" in first.stdout
    )
    # the app's role got its rights on the new schema: it reads, writes and undoes
    assert len(store.read_sites(url)) == 3 and store.history(url) == []
    assert list(store_postgis.read_site_facts(url)["value"]) == ["3"]
    # the fixture file has no district figures: the bundled rows are loaded, so the app shows them
    assert len(store.live_figures(url)) == len(read_bundled_figures()) > 0 and "Kreiszahlen" in first.stdout
    renamed(url, 0, "Neu")
    store.undo(url)

    again = subprocess.run(init, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "nothing loaded" in again.stdout and "schema up to date" in again.stdout
    status = subprocess.run(
        [sys.executable, "-m", "geo", "db", "status"],
        cwd=PROJECT_ROOT,
        env={**env, store.DATABASE_URL_ENV: url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    newest = postgis_connection.migrations()[-1][0]
    assert status.returncode == 0 and f"Schema: {newest:03d}" in status.stdout and "3 Standorte" in status.stdout
    assert f"role: {APP_ROLE}" in status.stdout and "superuser" not in status.stdout


def test_the_app_role_gets_the_store_s_rights_and_no_others(postgis_cluster):
    import psycopg

    from geo.store import roles

    url = postgis_cluster.new_database()
    name = url.split("?")[0].rsplit("/", 1)[-1]
    postgis_cluster.execute(
        name, f"GRANT CREATE ON SCHEMA atlas TO {APP_ROLE}; GRANT TRUNCATE ON atlas.site_rows TO {APP_ROLE}"
    )  # rights it should not have, from an earlier hand-made set-up
    roles.grant_app_role(postgis_cluster.url(name), APP_ROLE)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in (
            "CREATE TABLE atlas.intruder (a int)",
            "TRUNCATE atlas.site_rows",
            "UPDATE atlas.site_snapshots SET site_count = 0",
            "DELETE FROM atlas.site_rows",
            "COPY (SELECT 1) TO PROGRAM 'id'",
            # the stewardship ledger: the change log is only added to, accounts and proposals never deleted
            "UPDATE atlas.changes SET approved_by = 'someone'",
            "DELETE FROM atlas.changes",
            "UPDATE atlas.change_fields SET after = ''",
            "DELETE FROM atlas.change_fields",
            "DELETE FROM atlas.accounts",
            "DELETE FROM atlas.proposals",
            "TRUNCATE atlas.changes",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    with pytest.raises(roles.RoleError, match="superuser"):
        roles.grant_app_role(postgis_cluster.url(name), "postgres")
    with pytest.raises(roles.RoleError, match="does not exist"):
        roles.grant_app_role(postgis_cluster.url(name), "nobody_here")
    roles.grant_app_role(postgis_cluster.url(name), APP_ROLE)  # again: nothing changes, nothing fails
    postgis_cluster.drop_database(url)


def test_a_database_behind_the_code_is_refused_until_db_init(postgis_cluster):

    from geo.store import postgis_connection

    url = postgis_cluster.new_database()
    name = url.split("?")[0].rsplit("/", 1)[-1]
    postgis_connection.close_pools()
    postgis_cluster.execute(
        name, "DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)"
    )
    with pytest.raises(store.StoreError, match="db init"):
        store.read_sites(url, missing_ok=True)


def test_the_throwaway_test_cluster_trusts_only_because_nobody_else_can_reach_it(postgis_cluster):
    """The test cluster logs in without passwords: safe only with no TCP port and a socket folder that no
    other local user may enter."""
    import stat

    import psycopg

    assert stat.S_IMODE(postgis_cluster.socket_dir.stat().st_mode) == 0o700
    with psycopg.connect(postgis_cluster.url("postgres"), autocommit=True) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""
