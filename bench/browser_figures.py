"""The figures of the browser measurements (page loads against the empty page served like the atlas, data
transferred, filter changes in both directions) with their budgets, made from the raw loads and times that
bench/measure_browser.py takes."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.measure_pages import PageLoad
from bench.report import Figure, percentile

BUDGET_MAP_RATIO = 1.4
BUDGET_EMBED_RATIO = 1.25
BUDGET_BUNDLED_KB = 300
BUDGET_FILTER_P95_MS = 150
BUDGET_LARGE_RATIO = 1.6
BUDGET_LARGE_MB = 1.5
BUDGET_LARGE_FILTER_P95_MS = 300
MIN_LOAD_RUNS = 5
MIN_FILTER_CHANGES = 20


@dataclass(frozen=True)
class Load:
    ms: float  # navigation start until the markers are drawn (the empty app: its text shown)
    traffic: dict
    page: PageLoad  # until settled, and the layout shift by then


def median_ms(loads: list[Load]) -> float:
    return statistics.median(load.ms for load in loads)


def median_traffic(loads: list[Load]) -> dict:
    """The traffic of the run with the median counted bytes (they hardly vary between fresh contexts)."""
    ordered = sorted(loads, key=lambda load: load.traffic["counted_bytes"])
    return ordered[len(ordered) // 2].traffic


@dataclass
class ChangeTimes:
    """Milliseconds from the committed input until the map showed the new markers, by direction."""

    narrowing: list[float]
    widening: list[float]
    mismatches: list[dict]

    @property
    def all(self) -> list[float]:
        return self.narrowing + self.widening


def change_figures(
    prefix: str, label: str, search: ChangeTimes, select: ChangeTimes, budget_ms: float, queries, programs
) -> list[Figure]:
    figures = []
    for key, what, times, plan in (
        ("search", "typed search and cleared field, Enter", search, queries),
        ("select", "program selected and removed, click", select, programs),
    ):
        p95 = percentile(times.all, 0.95)
        notes = [f"only {len(times.all)} changes"] if len(times.all) < MIN_FILTER_CHANGES else []
        if times.mismatches:
            notes.append(f"{len(times.mismatches)} changes showed another number of sites")
        detail = {
            "changes": len(times.all),
            "median_ms": round(statistics.median(times.all), 1),
            "narrowing_p95_ms": round(percentile(times.narrowing, 0.95), 1) if times.narrowing else None,
            "widening_p95_ms": round(percentile(times.widening, 0.95), 1) if times.widening else None,
            "narrowing_ms": [round(value, 1) for value in times.narrowing],
            "widening_ms": [round(value, 1) for value in times.widening],
            "plan": [{"input": value, "sites": count} for value, count in plan],
            "count_mismatches": times.mismatches,
        }
        figures.append(
            Figure(
                f"{prefix}filter_{key}_p95_ms",
                f"{label}: filter change both ways, {what} → new markers (p95)",
                round(p95, 1),
                "ms",
                f"≤ {budget_ms:g} ms p95",
                p95 <= budget_ms,
                detail,
                "; ".join(notes),
            )
        )
    return figures


def load_figures(results: dict[str, list], runs: int, expected_sites: int) -> list[Figure]:
    empty, karte, embed = median_ms(results["empty"]), median_ms(results["map"]), median_ms(results["embed"])
    note = f"only {runs} runs" if runs < MIN_LOAD_RUNS else ""
    traffic = median_traffic(results["map"])
    counted_kb = traffic["counted_bytes"] / 1024
    detail = {
        "runs": runs,
        "sites": expected_sites,
        "map_ms": [round(load.ms) for load in results["map"]],
        "embed_ms": [round(load.ms) for load in results["embed"]],
        "empty_app_ms": [round(load.ms) for load in results["empty"]],
        "map_traffic": traffic,
        "empty_app_traffic": median_traffic(results["empty"]),
    }
    return [
        Figure(
            "load_empty_ms",
            "empty app served like the atlas: navigation → text shown (median)",
            round(empty),
            "ms",
            "–",
            None,
            note=note,
        ),
        Figure(
            "load_map_ms",
            "map page, bundled sites: navigation → markers drawn (median)",
            round(karte),
            "ms",
            "–",
            None,
            detail,
            note,
        ),
        Figure(
            "load_map_ratio",
            "map page until markers drawn / empty app served like the atlas",
            round(karte / empty, 2),
            "ratio",
            f"≤ {BUDGET_MAP_RATIO:g}",
            karte / empty <= BUDGET_MAP_RATIO,
            note=note,
        ),
        Figure(
            "load_embed_ratio",
            "embed page until markers drawn / empty app served like the atlas",
            round(embed / empty, 2),
            "ratio",
            f"≤ {BUDGET_EMBED_RATIO:g}",
            embed / empty <= BUDGET_EMBED_RATIO,
            {"embed_ms": round(embed)},
            note,
        ),
        Figure(
            "bytes_map_kb",
            "map page, bundled sites: data transferred (libraries cached)",
            round(counted_kb, 1),
            "KB",
            f"≤ {BUDGET_BUNDLED_KB} KB",
            counted_kb <= BUDGET_BUNDLED_KB,
            {"traffic": traffic},
        ),
    ]
