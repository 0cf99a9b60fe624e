"""Server-side figures, each in a process of its own: the map page's rerun after a typed search with few
and with many sites (is the server's work independent of the number of sites?), and the import check of
a large CSV (time and peak memory)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Figure, percentile
from geo.core.paths import PROJECT_ROOT

# run as modules of the bench package (python -m), each in a process of its own
FILTER_RERUN_MODULE = "bench.filter_rerun"
VALIDATE_MODULE = "bench.validate_import"
DATA_DIR_ENV = "STANDORTATLAS_DATA_DIR"
# Server work counts as independent of the number of sites when many sites take at most this much
# longer per rerun than few (the timings of a shared machine scatter by a few tens of per cent).
BUDGET_RERUN_GROWTH = 1.5
BUDGET_VALIDATE_S = 10.0
BUDGET_VALIDATE_MB = 500
# A check still running after this long has missed its budget many times over and is stopped.
VALIDATE_LIMIT_S = 120.0


def filter_rerun(
    data_dir: Path | None,
    reruns: int,
    warmup: int,
    searches: tuple[str, str] | None,
    search_label: str | None,
    profile_path: Path | None = None,
) -> dict:
    """bench/filter_rerun.py's JSON for the app on `data_dir` (None: the bundled data)."""
    command = [
        sys.executable,
        "-m",
        FILTER_RERUN_MODULE,
        "--runs",
        str(reruns),
        "--warmup",
        str(warmup),
        "--unseen",
        "0",
    ]
    if searches is not None and search_label:
        command += ["--search", searches[0], "--search", searches[1], "--search-label", search_label]
    if profile_path is not None:
        command += ["--profile", str(profile_path)]
    environment = dict(os.environ)
    environment.pop(DATA_DIR_ENV, None)
    if data_dir is not None:
        environment[DATA_DIR_ENV] = str(data_dir)
    completed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800, env=environment)
    if completed.returncode != 0:
        raise RuntimeError(f"bench.filter_rerun failed: {completed.stderr.strip()[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def measure_rerun_growth(
    small: tuple[int, Path, tuple[str, str]],
    large: tuple[int, Path, tuple[str, str]],
    reruns: int,
    warmup: int,
    search_label: str | None,
) -> list[Figure]:
    """Median rerun of the map page after a typed search with few and with many synthetic sites."""
    results = {}
    for n_sites, folder, searches in (small, large):
        results[n_sites] = filter_rerun(folder, reruns, warmup, searches, search_label)
    (few, few_result), (many, many_result) = sorted(results.items())
    few_ms, many_ms = statistics.median(few_result["rerun_ms"]), statistics.median(many_result["rerun_ms"])
    growth = many_ms / few_ms
    note = f"only {reruns} reruns" if reruns < 20 else ""
    detail = {
        str(n): {
            "median_ms": round(statistics.median(result["rerun_ms"]), 1),
            "p95_ms": round(percentile(result["rerun_ms"], 0.95), 1),
            "widget": result["widget"],
            "rerun_ms": result["rerun_ms"],
        }
        for n, result in results.items()
    }
    return [
        Figure(
            "rerun_few_ms",
            f"server rerun per filter change, {few:,} sites (median)",
            round(few_ms, 1),
            "ms",
            "–",
            None,
            detail,
            note,
        ),
        Figure(
            "rerun_many_ms",
            f"server rerun per filter change, {many:,} sites (median)",
            round(many_ms, 1),
            "ms",
            "–",
            None,
            note=note,
        ),
        Figure(
            "rerun_growth",
            f"server work per filter change: {many:,} / {few:,} sites",
            round(growth, 2),
            "ratio",
            f"≤ {BUDGET_RERUN_GROWTH:g} (independent of the number of sites)",
            growth <= BUDGET_RERUN_GROWTH,
            note=note,
        ),
    ]


def measure_validation(csv_path: Path, rows: int, limit_s: float = VALIDATE_LIMIT_S) -> list[Figure]:
    """The importer's check of a CSV with `rows` synthetic sites, in a fresh process: wall time of the
    whole process (start, imports, check) and its peak resident memory as the process reports it
    (bench/validate_import.py `own_peak_mb`). A check that runs longer than `limit_s` is stopped and
    reported as taking at least that long; its memory is then the kernel's max RSS of the process, which
    includes this runner's own peak (a program inherits it when it starts), so only an upper bound."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", VALIDATE_MODULE, str(csv_path)],
            cwd=PROJECT_ROOT,
            stdout=stdout,
            stderr=stderr,
            text=True,
        )
        # wait4 gives this child's own resource use: ru_maxrss is its peak resident memory in KiB
        stopped = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > limit_s:
                process.kill()
                stopped = True
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        output, errors = stdout.read(), stderr.read()
    if stopped:
        return _stopped_validation(rows, limit_s, usage.ru_maxrss / 1024)
    if process.returncode != 0:
        raise RuntimeError(f"bench.validate_import failed: {errors.strip()[-2000:]}")
    result = json.loads(output.strip().splitlines()[-1])
    if result["sites"] != rows:
        raise RuntimeError(
            f"the importer accepted {result['sites']} of {rows} synthetic rows: {result['first_errors']}"
        )
    peak_mb = result["peak_mb"]
    detail = {**result, "rows": rows, "process_s": round(seconds, 2)}
    return [
        Figure(
            "validate_s",
            f"import check of {rows:,} CSV rows: time (whole process)",
            round(seconds, 2),
            "s",
            f"≤ {BUDGET_VALIDATE_S:g} s",
            seconds <= BUDGET_VALIDATE_S,
            detail,
        ),
        Figure(
            "validate_mb",
            f"import check of {rows:,} CSV rows: peak memory (its own)",
            round(peak_mb, 1),
            "MB",
            f"≤ {BUDGET_VALIDATE_MB} MB",
            peak_mb <= BUDGET_VALIDATE_MB,
        ),
    ]


def _stopped_validation(rows: int, limit_s: float, runner_peak_mb: float) -> list[Figure]:
    """The figures of a check stopped after `limit_s`: its time at least that, its memory the kernel's
    max RSS (`runner_peak_mb`: an upper bound, see measure_validation)."""
    detail = {"rows": rows, "stopped_after_s": limit_s}
    note = f"stopped after {limit_s:g} s"
    return [
        Figure(
            "validate_s",
            f"import check of {rows:,} CSV rows: time (whole process)",
            limit_s,
            "s",
            f"≤ {BUDGET_VALIDATE_S:g} s",
            False,
            detail,
            f"at least; {note}",
        ),
        Figure(
            "validate_mb",
            f"import check of {rows:,} CSV rows: peak memory (its own)",
            round(runner_peak_mb, 1),
            "MB",
            f"≤ {BUDGET_VALIDATE_MB} MB",
            None,
            note=f"until {note}; at most (includes the runner's own peak)",
        ),
    ]
