"""The benchmark (`python -m geo bench`) starts and writes its JSON; the real run is too slow for the suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from geo import bench

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def test_quick_run_without_browser_writes_json_and_markdown(tmp_path):
    output, markdown = tmp_path / "result.json", tmp_path / "benchmark.md"
    completed = subprocess.run(
        # `--` gets the options past the outer `python -m geo` parser (argparse.REMAINDER cannot take a leading
        # option); the benchmark drops it
        [sys.executable, "-m", "geo", "bench", "--", "--quick", "--skip-browser", "--reruns", "2", "--warmup", "0",
         "--output", str(output), "--markdown", str(markdown)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr
    result = json.loads(output.read_text(encoding="utf-8"))
    assert result["errors"] == {}
    assert {"date", "machine", "versions", "figures"} <= result.keys()
    assert {"platform", "cpu_model", "cores", "ram_mb"} <= result["machine"].keys()
    assert {"python", "streamlit", "folium"} <= result["versions"].keys()
    figures = {figure["key"]: figure for figure in result["figures"]}
    for key in ("map_html_kb", "map_ratio", "filter_rerun_median_ms"):
        assert figures[key]["value"] is not None and figures[key]["holds"] in (True, False), figures[key]
    for key in ("load_ratio", "memory_mb"):
        assert figures[key]["value"] is None and "skip" in figures[key]["note"]
    assert len(figures["filter_rerun_median_ms"]["detail"]["rerun_ms"]) == 2
    assert "| overview map / naive map |" in completed.stdout
    assert result["date"][:10] in markdown.read_text(encoding="utf-8")


def test_importing_the_benchmark_starts_nothing_heavy():
    probe = "import sys, geo.bench; print(sorted({'streamlit', 'playwright', 'psutil'} & set(sys.modules)))"
    completed = subprocess.run([sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True,
                               timeout=60, check=True)
    assert completed.stdout.strip() == "[]"


def test_empty_app_shows_the_text_the_benchmark_waits_for():
    assert bench.EMPTY_APP_TEXT in (PROJECT_ROOT / bench.EMPTY_APP_SCRIPT).read_text(encoding="utf-8")


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert bench.percentile(values, 0.95) == 19
    assert bench.percentile(values, 0.5) == 10
    assert bench.percentile([7.0], 0.95) == 7.0


def test_table_marks_budgets_that_fail_and_figures_not_measured():
    figures = [
        bench.Figure("map_html_kb", "HTML/JS of the overview map", 612.3, "KB", "≤ 500 KB", False),
        bench.Figure("load_ratio", "overview load / empty app load", None, "ratio", "≤ 2", None, note="skipped"),
    ]
    table = bench.markdown_table(figures)
    assert "| HTML/JS of the overview map | 612.3 KB | ≤ 500 KB | NO |" in table
    assert "not measured (skipped)" in table


def test_options_reject_zero_runs(capsys):
    try:
        bench.parse_options(["--runs", "0"])
    except SystemExit as exit_:
        assert exit_.code == 2
    else:
        raise AssertionError("--runs 0 was accepted")


# --- synthetic sites --------------------------------------------------------------------------------

import geopandas as gpd  # noqa: E402
import pyogrio  # noqa: E402
import pytest  # noqa: E402

from bench import synthetic_sites  # noqa: E402

BUNDLED = PROJECT_ROOT / "data"


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory):
    return synthetic_sites.write_synthetic_data_dir(300, tmp_path_factory.mktemp("synthetic"), seed=7)


def test_synthetic_sites_are_n_points_inside_the_four_states(synthetic_folder):
    sites = pyogrio.read_dataframe(synthetic_folder / "sites.gpkg", layer="sites")
    states = pyogrio.read_dataframe(BUNDLED / "reference.gpkg", layer="states")
    assert len(sites) == 300 and sites["site_id"].is_unique
    assert (sites.geometry.geom_type == "Point").all()
    located = gpd.sjoin(sites[["site_id", "state_code", "geometry"]], states[["state_code", "geometry"]],
                        predicate="within", how="left", lsuffix="site", rsuffix="state")
    assert located["state_code_state"].notna().all()
    assert (located["state_code_site"] == located["state_code_state"]).all()
    municipalities = pyogrio.read_dataframe(BUNDLED / "reference.gpkg", layer="municipalities")
    in_municipality = gpd.sjoin(sites[["site_id", "municipality_ags", "geometry"]],
                                municipalities[["ags", "geometry"]], predicate="within")
    assert set(sites["site_id"]) == set(in_municipality.loc[in_municipality["municipality_ags"]
                                                           == in_municipality["ags"], "site_id"])
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
