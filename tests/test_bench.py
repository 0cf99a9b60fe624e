"""The benchmark (`python -m geo bench`, package bench/): a quick run without the browser, its parts, and
the synthetic sites. The real run is too slow for the suite and is never started here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from bench import cli, report, synthetic_sites
from bench.browser import LIBRARY_PATHS, is_cached_for_later, layout_shift_score
from bench.measure_browser import (
    EMPTY_APP_SCRIPT,
    EMPTY_APP_TEXT,
    PROGRAM_BUTTONS_SCOPE,
    program_changes,
    search_queries,
)
from bench.measure_pages import visitor_page_paths

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED = PROJECT_ROOT / "data"


@pytest.mark.slow  # a whole quick benchmark run (seconds of AppTest reruns and an import check); make test runs it
def test_quick_run_without_browser_writes_json_and_markdown(tmp_path):
    output, markdown = tmp_path / "result.json", tmp_path / "benchmark.md"
    markdown.write_text("# old\n\n" + report.MANUAL_MARKER + "\n\n## PostGIS\n\nkept by hand\n", encoding="utf-8")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "bench",
            "--quick",
            "--skip-browser",
            "--sites",
            "60",
            "--few-sites",
            "20",
            "--reruns",
            "2",
            "--warmup",
            "0",
            "--validate-rows",
            "10",
            "--output",
            str(output),
            "--markdown",
            str(markdown),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["errors"] == {}, result["errors"]
    assert {"platform", "cpu_model", "cores", "ram_mb", "load_average_1_5_15"} <= result["machine"].keys()
    figures = {figure["key"]: figure for figure in result["figures"]}
    for key in ("rerun_growth", "validate_s", "validate_mb"):
        assert figures[key]["value"] > 0 and figures[key]["holds"] in (True, False), figures[key]
    assert len(figures["rerun_few_ms"]["detail"]["20"]["rerun_ms"]) == 2
    # the search box when it is a Streamlit widget, else the first filter widget; the JSON names it
    assert figures["rerun_few_ms"]["detail"]["60"]["widget"]["kind"] in {
        "text_input",
        "multiselect",
        "selectbox",
        "button_group",
        "radio",
        "checkbox",
        "toggle",
    }
    assert figures["validate_s"]["detail"]["rows"] == 10 and figures["validate_s"]["detail"]["errors"] == 0
    for key in ("load_map_ratio", "large_bytes_mb", "memory_mb"):
        assert figures[key]["value"] is None and "skip" in figures[key]["note"]
    assert "| import check of 10 CSV rows: time (whole process) |" in completed.stdout
    written = markdown.read_text(encoding="utf-8")
    assert result["date"] in written and "## Budgets" in written
    assert written.endswith(report.MANUAL_MARKER + "\n\n## PostGIS\n\nkept by hand\n")


def test_importing_the_benchmark_starts_nothing_heavy():
    probe = (
        "import sys, bench.cli; print(sorted({'streamlit', 'playwright', 'psutil', 'geopandas'} & set(sys.modules)))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_help_lists_the_benchmark_options():
    completed = subprocess.run(
        [sys.executable, "-m", "geo", "bench", "--help"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0
    assert "--sites" in completed.stdout and "--skip-browser" in completed.stdout


def test_empty_app_shows_the_text_the_benchmark_waits_for():
    # the pages are compared with the empty page served like the atlas: bench/empty_app.py behind serve.py
    served = (PROJECT_ROOT / EMPTY_APP_SCRIPT).read_text(encoding="utf-8")
    assert "empty_app.py" in served and "from serve import lifespan" in served
    assert EMPTY_APP_TEXT in (PROJECT_ROOT / "bench" / "empty_app.py").read_text(encoding="utf-8")


def test_the_program_buttons_the_benchmark_clicks_are_the_filter_panels():
    from geo.sites.filters import PROGRAM_PARAM
    from views.filters import WIDGET_KEYS

    assert f".st-key-{WIDGET_KEYS[PROGRAM_PARAM]}" == PROGRAM_BUTTONS_SCOPE


def test_the_import_checks_memory_is_its_own_not_the_runners(tmp_path):
    from bench.measure_server import measure_validation
    from bench.synthetic_sites import write_synthetic_import_csv

    csv_path = write_synthetic_import_csv(10, tmp_path / "sites.csv")
    held = bytearray(400 * 1024 * 1024)  # the runner's own peak, as with 10,000 synthetic sites in memory
    held[::4096] = b"x" * len(held[::4096])  # touched, so resident
    figures = {figure.key: figure for figure in measure_validation(csv_path, 10)}
    del held
    assert 50 < figures["validate_mb"].value < 400 and figures["validate_mb"].holds


def test_layout_shift_is_the_largest_session_window_without_shifts_after_input():
    assert layout_shift_score([]) == 0
    # two windows (a gap of 1 s or more starts a new one): 0.05 + 0.04, then 0.03 + 0.02
    shifts = [(100, 0.05, False), (900, 0.04, False), (2000, 0.03, False), (2500, 0.02, False)]
    assert layout_shift_score(shifts) == pytest.approx(0.09)
    assert layout_shift_score([*shifts, (2600, 0.5, True)]) == pytest.approx(0.09)  # after an input
    # a window ends after 5 s even if the shifts keep coming
    steady = [(start, 0.01, False) for start in range(0, 12_000, 500)]
    assert layout_shift_score(steady) == pytest.approx(0.10)


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert report.percentile(values, 0.95) == 19
    assert report.percentile(values, 0.5) == 10
    assert report.percentile([7.0], 0.95) == 7.0


def test_table_marks_budgets_that_fail_and_figures_not_measured():
    figures = [
        report.Figure("bytes_map_kb", "map page: data transferred", 312.4, "KB", "≤ 300 KB", False),
        report.Figure("load_map_ratio", "map page / empty app", None, "ratio", "≤ 1.5", None, note="skipped"),
    ]
    table = report.markdown_table(figures)
    assert "| map page: data transferred | 312.4 KB | ≤ 300 KB | NO |" in table
    assert "| map page / empty app | not measured (skipped) | ≤ 1.5 | – |" in table


def test_options_reject_zero_runs():
    with pytest.raises(SystemExit) as exit_:
        cli.parse_options(["--runs", "0"])
    assert exit_.value.code == 2


def test_only_cacheable_library_files_are_left_out_of_the_bytes():
    assert is_cached_for_later({"cache-control": "public, immutable, max-age=31536000"})
    assert is_cached_for_later({"cache-control": "max-age=3600"})
    assert not is_cached_for_later({"cache-control": "no-cache"})
    assert not is_cached_for_later({"cache-control": "max-age=0"})
    assert not is_cached_for_later({})
    assert LIBRARY_PATHS.match("/static/js/index.DormvYxC.js")
    assert LIBRARY_PATHS.match("/app/static/vendor/leaflet/leaflet.js")
    assert not LIBRARY_PATHS.match("/app/static/data/abc/sites.json")
    assert not LIBRARY_PATHS.match("/component/views.atlas_map.atlas_map/index.js")


def test_memory_sessions_open_every_visitor_page_of_the_router(tmp_path):
    router = tmp_path / "app.py"
    router.write_text(
        'PAGES = [("views/karte.py", "karte", "nav_map"), ("views/daten.py", "daten", "nav_data")]\n'
        'STAFF = [("views/pflege.py", "pflege", "nav_stewardship")]\n',
        encoding="utf-8",
    )
    assert visitor_page_paths(router) == ["karte", "daten"]
    assert {"karte", "einbetten"} <= set(visitor_page_paths()) and "pflege" not in visitor_page_paths()


def test_filter_changes_go_both_ways_with_the_apps_own_counts():
    sites = cli.app_sites(None)
    from geo.sites.filters import SiteFilter, filter_sites, matches_query, search_text
    from geo.store.reference import read_table

    queries = search_queries(sites, 24)
    texts = search_text(sites)
    assert len(queries) == 24 and [word for word, _count in queries[1::2]] == [""] * 12
    for word, expected in queries:
        assert expected == (int(matches_query(texts, word).sum()) if word else len(sites))
    assert all(0 < expected < len(sites) for _word, expected in queries[::2])
    changes = program_changes(sites, 24)
    assert [program for program, _count in changes[1::2]] == [""] * 12
    for program, expected in changes[::2]:
        zone_districts = read_table("zone_districts")
        assert expected == len(filter_sites(sites, SiteFilter(programs=(program,)), zone_districts)) < len(sites)


# --- synthetic sites --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory):
    return synthetic_sites.write_synthetic_data_dir(300, tmp_path_factory.mktemp("synthetic"), seed=7)


def test_synthetic_sites_are_n_points_inside_the_four_states(synthetic_folder):
    sites = pyogrio.read_dataframe(synthetic_folder / "sites.gpkg", layer="sites")
    states = pyogrio.read_dataframe(BUNDLED / "reference.gpkg", layer="states")
    assert len(sites) == 300 and sites["site_id"].is_unique
    assert (sites.geometry.geom_type == "Point").all()
    located = gpd.sjoin(
        sites[["site_id", "state_code", "geometry"]],
        states[["state_code", "geometry"]],
        predicate="within",
        how="left",
        lsuffix="site",
        rsuffix="state",
    )
    assert located["state_code_state"].notna().all()
    assert (located["state_code_site"] == located["state_code_state"]).all()
    municipalities = pyogrio.read_dataframe(BUNDLED / "reference.gpkg", layer="municipalities")
    in_municipality = gpd.sjoin(
        sites[["site_id", "municipality_ags", "geometry"]], municipalities[["ags", "geometry"]], predicate="within"
    )
    assert set(sites["site_id"]) == set(
        in_municipality.loc[in_municipality["municipality_ags"] == in_municipality["ags"], "site_id"]
    )
    assert sites["name"].iloc[41] == "Synthetischer Standort 00042"


def test_synthetic_sites_have_the_schema_of_the_bundled_file(synthetic_folder):
    bundled = pyogrio.read_dataframe(BUNDLED / "sites.gpkg", layer="sites")
    synthetic = pyogrio.read_dataframe(synthetic_folder / "sites.gpkg", layer="sites")
    assert list(synthetic.columns) == list(bundled.columns)
    assert synthetic.dtypes.astype(str).to_dict() == bundled.dtypes.astype(str).to_dict()
    assert synthetic.crs == bundled.crs
    bundled_layers = {name: kind for name, kind in pyogrio.list_layers(BUNDLED / "sites.gpkg")}
    assert {name: kind for name, kind in pyogrio.list_layers(synthetic_folder / "sites.gpkg")} == bundled_layers
    for column in ("airport_km", "station_km", "city_km", "airport_name"):
        assert synthetic[column].notna().all(), column
    # the mix follows the bundled list: every program and state drawn comes from it
    assert set(synthetic["program"]) <= set(bundled["program"])
    assert set(synthetic["state_code"]) == set(bundled["state_code"])
    assert (synthetic_folder / "reference.gpkg").resolve() == (BUNDLED / "reference.gpkg").resolve()


def test_synthetic_sites_are_deterministic_and_depend_on_the_seed():
    first, _ = synthetic_sites.synthetic_sites(50, seed=3)
    again, _ = synthetic_sites.synthetic_sites(50, seed=3)
    other, _ = synthetic_sites.synthetic_sites(50, seed=4)
    assert first.to_wkt().equals(again.to_wkt())
    assert not first.geometry.equals(other.geometry)


def test_synthetic_sites_never_go_to_the_bundled_folder():
    with pytest.raises(ValueError):
        synthetic_sites.write_synthetic_data_dir(5, BUNDLED)


def test_the_load_test_learns_each_session_s_replica_from_nginx_s_log(tmp_path):
    """Visitors get no replica header; the load test reads the cluster's access log (its `atlas` format)."""
    import asyncio
    import concurrent.futures

    from bench.cluster_load import ReplicaLog

    log = tmp_path / "access.log"
    log.write_text(
        '127.0.0.9 - [07/Dec/2026:02:47:09 +0000] "GET /karte HTTP/1.1" 200 10 upstream=127.0.0.1:8661 time=0.010\n'
    )
    replicas = ReplicaLog(log)  # what was logged before the run started is not this run's
    with log.open("a") as handle:
        handle.write(
            '127.0.1.7 - [07/Dec/2026:02:47:10 +0000] "GET /karte?program=a HTTP/1.1" 200 10 '
            "upstream=127.0.0.1:8662 time=0.010\n"
            '127.0.1.7 - [07/Dec/2026:02:47:10 +0000] "GET /_stcore/health HTTP/1.1" 200 2 '
            "upstream=127.0.0.1:8661 time=0.001\n"
            '127.0.1.7 - [07/Dec/2026:02:47:40 +0000] "GET /karte?program=a HTTP/1.1" 200 10 '
            "upstream=127.0.0.1:8662, 127.0.0.1:8663 time=2.010\n"  # a retry: the last one answered
            '127.0.1.8 - [07/Dec/2026:02:47:41 +0000] "GET /karte HTTP/1.1" 200 10 upstream=127.0.0.1:8661'
        )

    async def lookups():
        return (
            await replicas.replica_of("127.0.1.7", 1),
            await replicas.replica_of("127.0.1.7", 2),
            await replicas.replica_of("127.0.0.9", 1, timeout=0.1),
            await replicas.replica_of("127.0.1.8", 1, timeout=0.1),
        )

    # an unfinished last line (nginx writes whole lines) is read once it is complete. A thread of its own: the
    # browser tier's Playwright keeps an event loop running in the main thread of the same pytest process.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(asyncio.run, lookups()).result(timeout=60)
    assert found == ("127.0.0.1:8662", "127.0.0.1:8663", "?", "?")
