"""Safe writes of data/sites.gpkg (geo.store) — atomic replace, kept versions, undo,
a lock between writers, and a writer killed in the middle that leaves the previous data readable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from geo import store
from geo.core import schema
from geo.store import contract
from tests import fixtures_import as fx
from tests.waiting import wait_for

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def sites_path(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return fx.build_sites(folder / "sites.gpkg")


def renamed(sites_path: Path, index: int, name: str) -> None:
    """One write through the store: site ``index`` gets a new name."""
    sites = store.read_sites(sites_path)
    sites.loc[index, "name"] = name
    store.write_sites(sites, sites_path)


def names(sites_path: Path) -> list[str]:
    return list(store.read_sites(sites_path)["name"])


def start_python(code: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def temporaries(sites_path: Path) -> list[Path]:
    return list(sites_path.parent.glob(".sites.*.tmp.gpkg*"))


def test_write_then_read_keeps_every_value(sites_path):
    original = store.read_sites(sites_path)
    store.write_sites(original, sites_path)
    again = store.read_sites(sites_path)

    assert list(again.columns) == list(original.columns)
    for column in original.columns:
        if column != "geometry":
            assert again[column].tolist() == original[column].tolist() or (
                pd.isna(again[column]).tolist() == pd.isna(original[column]).tolist()
            ), column
    assert again.geometry.equals(original.geometry)
    assert fx.HOSTILE_NAME in set(again["name"]) and again.crs.to_epsg() == 4326


def test_data_version_changes_with_each_write_only(sites_path, tmp_path):
    first = store.data_version(sites_path)
    assert store.data_version(sites_path) == first
    store.read_sites(sites_path)
    assert store.data_version(sites_path) == first  # reading is not writing
    store.write_sites(store.read_sites(sites_path), sites_path)  # same content, still a new version
    assert store.data_version(sites_path) != first
    assert store.data_version(tmp_path / "missing.gpkg") == "missing"
    assert store.read_sites(tmp_path / "missing.gpkg", missing_ok=True).empty


def test_each_write_keeps_the_previous_version_and_at_least_ten(sites_path, monkeypatch):
    monkeypatch.setenv("STANDORTATLAS_KEEP_VERSIONS", "3")  # below the floor of ten: ten are kept anyway
    for number in range(13):
        renamed(sites_path, 0, f"Fassung {number}")
    versions = store.history(sites_path)

    assert len(versions) == 10 and all(version.kind == store.KIND_PREVIOUS for version in versions)
    assert versions == sorted(versions, key=lambda version: version.saved_at, reverse=True)
    assert store.read_sites(versions[0].path)["name"][0] == "Fassung 11"
    assert all(version.site_count == 3 for version in versions)
    assert versions[0].path.parent == sites_path.parent / "backups"


def test_undo_steps_back_one_write_at_a_time(sites_path):
    original = names(sites_path)
    renamed(sites_path, 0, "Erste Änderung")
    renamed(sites_path, 1, "Zweite Änderung")

    store.undo(sites_path)
    assert names(sites_path) == ["Erste Änderung", *original[1:]]
    store.undo(sites_path)
    assert names(sites_path) == original
    with pytest.raises(store.NothingToUndo):
        store.undo(sites_path)
    # what undo replaced is kept, so an undo can itself be taken back
    undone = [version for version in store.history(sites_path) if version.kind == store.KIND_UNDONE]
    assert len(undone) == 2
    store.restore(undone[-1].version_id, sites_path)  # the oldest undone state: after the second change
    assert names(sites_path)[:2] == ["Erste Änderung", "Zweite Änderung"]


def test_nothing_to_undo_on_a_fresh_file(sites_path):
    with pytest.raises(store.NothingToUndo):
        store.undo(sites_path)
    with pytest.raises(store.StoreError):
        store.restore("sites-20200101T000000000000Z-previous.gpkg", sites_path)


def test_a_write_against_a_stale_version_is_refused(sites_path):
    seen = store.data_version(sites_path)
    renamed(sites_path, 0, "Jemand anderes")
    before = fx.digest(sites_path)
    with pytest.raises(store.StaleData):
        store.write_sites(store.read_sites(sites_path), sites_path, expected_version=seen)
    assert fx.digest(sites_path) == before


HOLD_LOCK = """
    import time
    from pathlib import Path
    from geo import store
    with store.write_lock(Path({path!r})):
        print("locked", flush=True)
        time.sleep({seconds})
"""


def test_a_second_writer_waits_for_the_first(sites_path):
    holder = start_python(HOLD_LOCK.format(path=str(sites_path), seconds=1.5))
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    renamed(sites_path, 0, "Nach dem Warten")
    assert time.monotonic() - started > 0.5
    assert names(sites_path)[0] == "Nach dem Warten"
    assert holder.wait(timeout=30) == 0


def test_a_writer_gives_up_after_the_lock_timeout(sites_path, monkeypatch):
    monkeypatch.setattr(contract, "LOCK_TIMEOUT_SECONDS", 0.3)
    holder = start_python(HOLD_LOCK.format(path=str(sites_path), seconds=5))
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = fx.digest(sites_path)
        with pytest.raises(store.StoreBusy):
            renamed(sites_path, 0, "Zu früh")
        assert fx.digest(sites_path) == before
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_killing_an_apply_before_the_replace_leaves_the_previous_data(sites_path, tmp_path):
    """The CLI apply is paused right before os.replace (test hook), then killed with SIGKILL."""
    reference = fx.build_reference(tmp_path / "reference.gpkg")
    rows = fx.site_rows()
    for row in rows:
        row["program"] = "kreativort"  # ids the real vocabularies have: the subprocess reads programs.csv
        row["themes"] = next(iter(schema.themes()))  # and themes.csv
        row["name"] += " (neu)"
    incoming = fx.write_csv(tmp_path / "neu.csv", rows)
    before, previous_names = fx.digest(sites_path), names(sites_path)

    writer = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "geo",
            "import",
            str(incoming),
            "--apply",
            "--sites",
            str(sites_path),
            "--reference",
            str(reference),
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, store.PAUSE_BEFORE_REPLACE_ENV: "60"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # paused: the new file is complete and the old one already copied to backups/
        wait_for(lambda: temporaries(sites_path) and store.history(sites_path))
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    assert fx.digest(sites_path) == before
    assert names(sites_path) == previous_names
    assert temporaries(sites_path)  # the stray is left beside, never as the live file
    # the copy the killed writer took equals the live data: undo drops it instead of "restoring" it
    with pytest.raises(store.NothingToUndo):
        store.undo(sites_path)
    assert store.history(sites_path) == [] and fx.digest(sites_path) == before

    # the next writer is not blocked by the dead one's lock and cleans up after it
    started = time.monotonic()
    renamed(sites_path, 0, "Nach dem Abbruch")
    assert time.monotonic() - started < contract.LOCK_TIMEOUT_SECONDS
    assert temporaries(sites_path) == []
    store.undo(sites_path)
    assert fx.digest(sites_path) == before


def test_killing_a_writer_in_the_middle_of_a_large_write(sites_path):
    """Killed while GDAL is still writing the temporary GeoPackage (as soon as it appears)."""
    before = fx.digest(sites_path)
    writer = start_python(f"""
        import geopandas as gpd, numpy as np, pandas as pd
        from geo import store
        from geo.core import fields
        count = 60_000  # about two seconds of writing: the kill lands in the middle
        frame = pd.DataFrame({{column: ["Größe " * 20] * count for column in fields.SITE_COLUMNS}})
        frame["site_id"] = [f"ort-{{index}}" for index in range(count)]
        sites = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(np.linspace(11, 14, count),
                                 np.linspace(51, 53, count)), crs="EPSG:4326")
        print("ready", flush=True)
        store.write_sites(sites, {str(sites_path)!r})
    """)
    try:
        assert writer.stdout.readline().strip() == "ready"
        wait_for(lambda: temporaries(sites_path), interval=0.001)
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)

    assert fx.digest(sites_path) == before
    assert len(store.read_sites(sites_path)) == 3
    renamed(sites_path, 0, "Weiter geht's")  # no deadlock, no leftovers
    assert temporaries(sites_path) == []


def kill_a_writer_inside_the_replace_window(sites_path: Path, name: str) -> None:
    """A writer paused after it kept its copy and before the replace (test hook), then killed."""
    kept_before = len(list(store.backup_dir(sites_path).glob("*.gpkg")))
    writer = start_python(
        f"""
        from geo import store
        sites = store.read_sites({str(sites_path)!r})
        sites.loc[0, "name"] = {name!r}
        store.write_sites(sites, {str(sites_path)!r})
    """,
        **{store.PAUSE_BEFORE_REPLACE_ENV: "60"},
    )
    try:
        wait_for(
            lambda: temporaries(sites_path) and len(list(store.backup_dir(sites_path).glob("*.gpkg"))) > kept_before
        )
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)


@pytest.mark.slow  # kills several writer processes one after the other; make test runs it
def test_killed_writers_do_not_crowd_out_kept_states(sites_path):
    """Five writers killed inside the replace window between twelve ordinary writes: the ten kept
    versions are ten different states, and undo walks back through all of them."""
    written = []
    for number in range(12):
        if number % 2 == 0 and number < 10:
            kill_a_writer_inside_the_replace_window(sites_path, f"Abgebrochen {number}")
        renamed(sites_path, 0, f"Stand {number}")
        written.append(f"Stand {number}")

    versions = store.history(sites_path)
    digests = {fx.digest(version.path) for version in versions}
    assert len(versions) == 10 and len(digests) == 10
    assert fx.digest(sites_path) not in digests

    seen = []
    for _ in range(10):
        store.undo(sites_path)
        seen.append(names(sites_path)[0])
    assert seen == written[-2::-1][:10]  # back through "Stand 10" … "Stand 1", one state per undo
