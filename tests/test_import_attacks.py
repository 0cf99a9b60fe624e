"""Hostile files on the import: each attack reproduced, and shown refused or harmless.

- a `crs` link inside a geometry, with the local address in `no_proxy`: no request reaches the listener;
- 30,000 (and 120,000) features whose keys are written `"\\u0074ype"`: refused at the row limit, fast and
  in bounded memory;
- a GeoPackage whose layer is a view over an endless recursive query, or a table whose column SQLite
  computes (100 MB of text a row) on every read: refused at once, small as it is;
- every check of an upload ends within its time and memory limit, a small one too.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
import types
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from geo.imports import geopackage
from geo.imports import offline as import_offline
from geo.imports import worker as import_worker
from geo.imports.importer import read_user_file
from tests import fixtures_import as fx
from tests.fixtures_import import PLACES
from tests.test_importer import Listener

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHECK_OPTIONS = {"programs": ["kreativort"], "themes": ["kultur", "digitalwirtschaft"]}


@pytest.fixture
def work(tmp_path) -> SimpleNamespace:
    return SimpleNamespace(dir=tmp_path, reference=fx.build_reference(tmp_path / "reference.gpkg"))


@pytest.fixture
def listener(monkeypatch):
    """A local listener, and the environment of the attack: its address in `no_proxy`."""
    for name in ("http_proxy", "HTTP_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = Listener()
    yield server
    server.close()


def check(work, data: bytes, filename: str, **options):
    """As /pflege checks an upload: in a process of its own, within the limits."""
    return import_worker.check_upload(data, filename, reference_path=work.reference, **CHECK_OPTIONS, **options)


# --- 1. no network request while a file is read ----------------------------------------------------------


def nested_crs_geojson(path: Path, url: str, features: int = 3) -> Path:
    link = {"type": "link", "properties": {"href": url, "type": "proj4"}}
    point = {"type": "Point", "coordinates": list(PLACES["potsdam"]), "crs": link}
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": f"Ort {number}", "program": "kreativort"}, "geometry": point}
            for number in range(features)
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_gdal_fetches_a_link_inside_a_geometry_once_per_feature_without_the_switch(work, listener):
    """The attack is real: with the listener's address in no_proxy, GDAL asks it once per feature."""
    path = nested_crs_geojson(work.dir / "nested.geojson", f"http://127.0.0.1:{listener.port}/x")
    pyogrio.read_dataframe(path)
    time.sleep(0.3)
    assert len(listener.requests) == 3 and listener.requests[0].startswith(b"GET /x")


def test_a_crs_link_inside_a_geometry_is_refused_and_nothing_is_fetched(work, listener):
    url = f"http://127.0.0.1:{listener.port}/x"
    path = nested_crs_geojson(work.dir / "nested.geojson", url)
    for result in (read_user_file(path, reference_path=work.reference), check(work, path.read_bytes(), path.name)):
        assert not result.ok
        assert 'coordinate reference system ("crs") 3 times inside features' in result.errors[0].message_en
    # the second line: the file handed to GDAL directly while the switch is on
    with import_offline.gdal_offline():
        pyogrio.read_dataframe(path)
    time.sleep(0.3)  # the listener records a connection within its accept timeout
    assert listener.requests == []
    assert url in import_offline.refused_addresses()


@pytest.mark.parametrize("key", ["crs", "CRS", "\\u0063rs"])
def test_a_crs_member_is_found_however_it_is_written(work, key):
    path = nested_crs_geojson(work.dir / "nested.geojson", "http://127.0.0.1:9/x", features=1)
    path.write_text(path.read_text().replace('"crs"', f'"{key}"'), encoding="utf-8")
    result = read_user_file(path, reference_path=work.reference)
    assert not result.ok and "inside features" in result.errors[0].message_en


# --- 2. the row limit counts parsed features --------------------------------------------------------------

ESCAPED_FEATURE = (
    '{"\\u0074ype":"Feature","properties":{"name":"Ort %d","program":"kreativort"},'
    '"geometry":{"\\u0074ype":"Point","coordinates":[13.06,52.39]}}'
)


def escaped_type_geojson(path: Path, features: int) -> Path:
    body = ",".join(ESCAPED_FEATURE % number for number in range(features))
    path.write_text('{"\\u0074ype":"FeatureCollection","features":[' + body + "]}", encoding="utf-8")
    return path


MEASURE = """
import resource, sys, time
from pathlib import Path
from geo.imports.importer import read_user_file
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
result = read_user_file(Path(sys.argv[1]), reference_path=Path(sys.argv[2]), programs=["kreativort"], themes=[])
elapsed = time.perf_counter() - started
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(elapsed, grown, result.ok, result.errors[0].message_en if result.errors else "")
"""


def test_30000_features_with_an_escaped_type_key_are_refused_fast_in_bounded_memory(work):
    path = escaped_type_geojson(work.dir / "escaped.geojson", 30_000)
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(work.reference)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    elapsed, grown, ok, message = run.stdout.strip().split(" ", 3)
    assert ok == "False" and "more than 20,000 rows" in message
    assert float(elapsed) < 3.0  # before: 22.6 s, and the file was "valid"
    assert float(grown) < 60  # MB beyond the imports; before: 309 MB


def test_120000_escaped_features_on_the_staff_page_path_are_refused_within_the_limits(work):
    data = escaped_type_geojson(work.dir / "escaped.geojson", 120_000).read_bytes()
    started = time.monotonic()
    result = check(work, data, "escaped.geojson", memory_mb=100)  # it holds about 55 MB of its own
    assert time.monotonic() - started < 20
    assert not result.ok and "more than 20,000 rows" in result.errors[0].message_en


# --- 3. GeoPackage layers: only real tables; every check within its limits --------------------------------


def view_geopackage(path: Path) -> Path:
    """A small GeoPackage whose layer "sites" is a view over a recursive query that never yields a row."""
    frame = gpd.GeoDataFrame({"name": ["Ort"], "program": ["kreativort"]}, geometry=[Point(PLACES["potsdam"])])
    frame.set_crs(4326).to_file(path, layer="base", driver="GPKG")
    with sqlite3.connect(path) as connection:
        connection.executescript(
            """
            CREATE VIEW sites AS WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter)
              SELECT n AS fid, 'x' AS name, 'kreativort' AS program, (SELECT geom FROM base) AS geom
              FROM counter WHERE n < 0;
            INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id)
              VALUES ('sites', 'features', 'sites', 4326);
            INSERT INTO gpkg_geometry_columns VALUES ('sites', 'geom', 'POINT', 4326, 0, 0);
            """
        )
    return path


def computing_geopackage(path: Path, rows: int = 5) -> Path:
    """A small GeoPackage whose one layer is a real table, but its "name" is a virtual generated column:
    SQLite computes 100 MB of text for it on every read of every row."""
    frame = gpd.GeoDataFrame({"program": ["kreativort"] * rows}, geometry=[Point(PLACES["potsdam"])] * rows)
    frame.set_crs(4326).to_file(path, layer="sites", driver="GPKG")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "ALTER TABLE sites ADD COLUMN name TEXT GENERATED ALWAYS AS (printf('%.*c', 100000000, 'x')) VIRTUAL"
        )
    return path


def test_layers_are_real_tables_and_a_view_is_only_named(work):
    path = view_geopackage(work.dir / "view.gpkg")
    assert geopackage.layers(path) == geopackage.Layers(("base",), ("sites",))


@pytest.mark.parametrize("layer", [None, "sites"])
def test_a_geopackage_with_a_recursive_view_is_refused_at_once(work, layer):
    data = view_geopackage(work.dir / "view.gpkg").read_bytes()
    assert len(data) < 200 * 1024  # small files were checked in the server's thread without a limit
    started = time.monotonic()
    result = check(work, data, "view.gpkg", layer=layer, seconds=30)
    assert time.monotonic() - started < 15  # before: never ended
    assert not result.ok and "not a table of stored features but a view" in result.errors[0].message_en


def test_a_table_that_computes_a_column_on_every_read_is_refused_at_once(work):
    path = computing_geopackage(work.dir / "computed.gpkg")
    assert geopackage.layers(path) == geopackage.Layers((), ("sites",))
    assert path.stat().st_size < 200 * 1024
    started = time.monotonic()
    result = check(work, path.read_bytes(), "computed.gpkg", seconds=30)
    assert time.monotonic() - started < 15  # before: stopped at the memory limit of 1,024 MB after 20 s
    assert not result.ok and "a table with computed columns" in result.errors[0].message_en
    assert "berechneten Spalten" in result.errors[0].message_de


def test_a_stored_generated_column_is_read_like_any_other(work):
    path = work.dir / "stored.gpkg"
    frame = gpd.GeoDataFrame({"program": ["kreativort"]}, geometry=[Point(PLACES["potsdam"])])
    frame.set_crs(4326).to_file(path, layer="sites", driver="GPKG")
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE plain (fid INTEGER PRIMARY KEY, a TEXT, b TEXT AS (upper(a)) STORED)")
    assert geopackage.layers(path).tables == ("sites",)  # "plain" is no layer: not in the table of contents
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('plain', 'attributes', 'plain')"
        )
    assert geopackage.layers(path).tables == ("sites", "plain")


def test_the_table_beside_a_view_is_still_read(work):
    result = check(work, view_geopackage(work.dir / "view.gpkg").read_bytes(), "view.gpkg", layer="base")
    assert result.ok and list(result.sites["name"]) == ["Ort"]


def twenty_thousand_rows(work) -> bytes:
    rows = [dict(fx.site_rows()[0], name=f"Ort Nummer {number:05d}") for number in range(20_000)]
    return fx.write_csv(work.dir / "gross.csv", rows).read_bytes()


def test_a_check_past_its_time_limit_is_stopped_and_said_so(work):
    started = time.monotonic()
    result = check(work, twenty_thousand_rows(work), "gross.csv", seconds=1)
    assert time.monotonic() - started < 8
    assert not result.ok and "took longer than" in result.errors[0].message_en and len(result.sites) == 0


def test_a_check_past_its_memory_limit_is_stopped_and_said_so(work):
    small = check(work, b"name,program,lat,lon\nOrt,kreativort,52.39,13.06\n", "klein.csv", memory_mb=80)
    assert small.ok  # the limit leaves room for a check (of its own a small one holds about 30 MB, this one 140)
    result = check(work, twenty_thousand_rows(work), "gross.csv", memory_mb=80)
    assert not result.ok and "needed more than 80 MB" in result.errors[0].message_en and len(result.sites) == 0


def test_the_limits_are_configurable(monkeypatch):
    monkeypatch.setenv(import_worker.CHECK_SECONDS_ENV, "42")
    monkeypatch.setenv(import_worker.CHECK_MEMORY_ENV, "512")
    assert import_worker.check_seconds() == 42 and import_worker.check_memory_mb() == 512
    monkeypatch.setenv(import_worker.CHECK_SECONDS_ENV, "viel")
    assert import_worker.check_seconds() == import_worker.DEFAULT_CHECK_SECONDS


def test_the_check_does_not_run_the_callers_main_script(work, monkeypatch):
    """Under `streamlit run`, `__main__` is the app script: a new process would run it again (80 MB more)."""
    script, marker = work.dir / "app.py", work.dir / "the-app-ran"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    result = check(work, b"name,program,lat,lon\nOrt,kreativort,52.39,13.06\n", "klein.csv", memory_mb=80)
    assert result.ok and not marker.exists()
    assert sys.modules["__main__"] is page
