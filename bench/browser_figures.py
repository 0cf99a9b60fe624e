"""The figures of the browser measurements (page loads against the empty app, filter changes) with their
budgets, made from the raw loads and times that bench/measure_browser.py takes."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.report import Figure, percentile

BUDGET_MAP_RATIO = 1.5
BUDGET_EMBED_RATIO = 1.3
BUDGET_BUNDLED_KB = 300
MIN_LOAD_RUNS = 5
MIN_FILTER_CHANGES = 20


@dataclass(frozen=True)
class Load:
    ms: float
    engine: str
    traffic: dict


def median_ms(loads: list[Load]) -> float:
    return statistics.median(load.ms for load in loads)


def median_traffic(loads: list[Load]) -> dict:
    """The traffic of the run with the median counted bytes (they hardly vary between fresh contexts)."""
    ordered = sorted(loads, key=lambda load: load.traffic["counted_bytes"])
    return ordered[len(ordered) // 2].traffic


def _served_figures(empty: float, served: float, karte: float, embed: float, note: str) -> list[Figure]:
    """The loads without a budget: the empty app both ways, and the pages against the empty app served
    like the atlas."""
    return [
        Figure(
            "load_empty_ms",
            "empty Streamlit app: navigation → text shown (median)",
            round(empty),
            "ms",
            "–",
            None,
            note=note,
        ),
        Figure(
            "load_empty_served_ms",
            "empty app served like the atlas (serve.py's socket setting; median)",
            round(served),
            "ms",
            "–",
            None,
            note=note,
        ),
        Figure(
            "load_map_ratio_served",
            "map page / empty app served like the atlas",
            round(karte / served, 2),
            "ratio",
            "–",
            None,
            note=note,
        ),
        Figure(
            "load_embed_ratio_served",
            "embed page / empty app served like the atlas",
            round(embed / served, 2),
            "ratio",
            "–",
            None,
            note=note,
        ),
    ]


def load_figures(results: dict[str, list[Load]], runs: int, expected_sites: int) -> list[Figure]:
    empty, karte, embed = median_ms(results["empty"]), median_ms(results["map"]), median_ms(results["embed"])
    note = f"only {runs} runs" if runs < MIN_LOAD_RUNS else ""
    traffic = median_traffic(results["map"])
    counted_kb = traffic["counted_bytes"] / 1024
    engine = results["map"][0].engine
    detail = {
        "runs": runs,
        "sites": expected_sites,
        "engine": engine,
        "map_ms": [round(load.ms) for load in results["map"]],
        "embed_ms": [round(load.ms) for load in results["embed"]],
        "empty_app_ms": [round(load.ms) for load in results["empty"]],
        "map_traffic": traffic,
        "empty_app_traffic": median_traffic(results["empty"]),
    }
    # The budgets compare with an empty app as `streamlit run` serves it. serve.py, which serves the atlas,
    # also switches Nagle's algorithm off on the server socket (see serve.py), which makes every page
    # faster, an empty one too: the ratios to an empty app served that way say what the atlas's pages
    # cost beyond it on equal terms. Reported beside the budgets, not instead of them.
    served = median_ms(results["empty_served"])
    detail["empty_served_ms"] = [round(load.ms) for load in results["empty_served"]]
    return _served_figures(empty, served, karte, embed, note) + [
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
            "map page, bundled sites / empty app",
            round(karte / empty, 2),
            "ratio",
            f"≤ {BUDGET_MAP_RATIO:g}",
            karte / empty <= BUDGET_MAP_RATIO,
            note=note,
        ),
        Figure(
            "load_embed_ratio",
            "embed page / empty app",
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


def filter_figure(
    key: str, label: str, times: list[float], engine: str, queries, mismatches: list[dict], budget_ms: float
) -> Figure:
    p95 = percentile(times, 0.95)
    notes = [f"only {len(times)} changes"] if len(times) < MIN_FILTER_CHANGES else []
    if mismatches:
        notes.append(f"{len(mismatches)} searches showed another number of sites")
    note = "; ".join(notes)
    detail = {
        "engine": engine,
        "changes": len(times),
        "median_ms": round(statistics.median(times), 1),
        "ms": [round(value, 1) for value in times],
        "queries": [{"q": query, "sites": expected} for query, expected in queries],
        "count_mismatches": mismatches,
    }
    return Figure(key, label, round(p95, 1), "ms", f"≤ {budget_ms:g} ms p95", p95 <= budget_ms, detail, note)
