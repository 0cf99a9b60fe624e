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
