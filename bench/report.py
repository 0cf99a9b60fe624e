"""The benchmark's results: one `Figure` per table row, the machine it ran on, and the files it writes
(bench/results/latest.json and docs/benchmark.md, whose hand-written part after MANUAL_MARKER is kept)."""

from __future__ import annotations

import math
import os
import platform
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

# Everything after this line in docs/benchmark.md is written by hand and kept on regeneration.
MANUAL_MARKER = "<!-- manual sections below: the benchmark keeps them -->"


@dataclass
class Figure:
    """One row of the table: a measured value, its budget and whether it holds (None: not measured)."""

    key: str
    label: str
    value: float | None
    unit: str
    budget: str
    holds: bool | None
    detail: dict = field(default_factory=dict)
    note: str = ""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def not_measured(key: str, label: str, unit: str, budget: str, reason: str) -> Figure:
    return Figure(key, label, None, unit, budget, None, {"reason": reason}, reason)


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "score":  # a layout shift score
        return f"{value:.3f}"
    if unit in ("KB", "MB", "s"):
        return f"{value:,.2f} {unit}" if value < 10 else f"{value:,.1f} {unit}"
    return f"{value:,.0f} {unit}"


def holds_text(holds: bool | None) -> str:
    return {True: "yes", False: "NO", None: "–"}[holds]


def markdown_table(figures: list[Figure]) -> str:
    rows = ["| figure | value | budget | holds |", "|---|---:|---|:---:|"]
    for figure in figures:
        value = format_value(figure.value, figure.unit)
        if figure.note:
            value += f" ({figure.note})"
        rows.append(f"| {figure.label} | {value} | {figure.budget} | {holds_text(figure.holds)} |")
    return "\n".join(rows)


# --- the machine and the versions -----------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_total_mb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024, 0)
    except OSError:
        pass
    return None


def load_average() -> list[float] | None:
    """The 1, 5 and 15 minute load averages: other work on the machine makes timings noisy."""
    return [round(value, 2) for value in os.getloadavg()] if hasattr(os, "getloadavg") else None


def machine_info() -> dict:
    return {
        "platform": platform.platform(),
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "ram_mb": memory_total_mb(),
        "load_average_1_5_15": load_average(),
    }


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict:
    return {
        "python": platform.python_version(),
        **{name: package_version(name) for name in ("streamlit", "geopandas", "shapely", "playwright")},
    }


def machine_line(result: dict) -> str:
    machine, versions_ = result["machine"], result["versions"]
    ram = f"{machine['ram_mb'] / 1024:.0f} GB RAM" if machine.get("ram_mb") else "RAM unknown"
    load = machine.get("load_average_1_5_15")
    end_load = result.get("load_average_at_end")
    return (
        f"{machine['cpu_model']}, {machine['cores']} cores, {ram}, {machine['platform']}"
        + (f"; load average (1 min) {load[0]} at the start" if load else "")
        + (f", {end_load[0]} at the end" if end_load else "")
        + f". Python {versions_['python']}, Streamlit {versions_['streamlit']}, "
        f"Playwright {versions_['playwright']}."
    )


# --- the files ----------------------------------------------------------------------------------------


def result_table(result: dict) -> str:
    return markdown_table([Figure(**figure) for figure in result["figures"]])


def verdict(result: dict) -> str:
    budgeted = [figure for figure in result["figures"] if figure["budget"] != "–"]
    if result["all_budgets_hold"]:
        return "All budgets hold."
    if any(figure["holds"] is False for figure in budgeted):
        return "Not every budget holds (see NO)."
    return "Some budgets were not measured in this run."


def markdown_report(result: dict, method_text: str, budgets_text: str, manual_part: str) -> str:
    errors = "".join(f"\n- {name}: {message}" for name, message in result["errors"].items())
    engine = result.get("map_engine")
    return (
        f"# Benchmark\n\n`python -m geo bench` (or `make bench`) measures what a visitor waits for, in "
        f"headless Chromium, against an empty Streamlit app in the same run, and writes "
        f"`bench/results/latest.json` and this file (up to the marker line below).\n\n"
        f"Latest run: {result['date']}, {result['options']['sites']:,} synthetic sites for the large figures"
        + (f"; map measured: {engine}" if engine else "")
        + ".\n\n"
        f"Machine: {machine_line(result)}\n\n{result_table(result)}\n\n{verdict(result)}"
        + (f"\n\nMeasurements that failed:{errors}" if errors else "")
        + f"\n\n## Budgets\n\n{budgets_text}\n## Method\n\n{method_text}\n{MANUAL_MARKER}"
        + (manual_part or "\n")
    )


def manual_part_of(path: Path) -> str:
    """The hand-written part of an existing report: everything after the marker, exactly; or nothing."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    _before, marker, after = text.partition(MANUAL_MARKER)
    return after if marker else ""


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    os.replace(handle.name, path)
