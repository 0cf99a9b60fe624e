"""Every page of the atlas in headless Chromium: loads until the page has settled (its script has run, its
maps and charts are drawn and nothing changes any more), the cumulative layout shift of every page at
1400 and 390 px, and the server's memory after many sessions have opened every page.

A page has settled at its last DOM change before a quiet spell of SETTLED_QUIET_MS (bench.browser records
every change); the empty app is measured the same way, so the ratio compares like with like.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from bench.browser import (
    LOAD_TIMEOUT_S,
    PHONE_VIEWPORT,
    SCRIPT_DONE_SELECTOR,
    LoadFailed,
    cumulative_layout_shift,
    fresh_page,
    navigation_start,
    running_streamlit,
    save_screenshot,
    wait_until_page_settled,
)
from bench.report import Figure
from geo.core.paths import PROJECT_ROOT

# What `make run` serves (serve.py runs app.py so that deep links find the app's root at once).
APP_SCRIPT = "serve.py" if (PROJECT_ROOT / "serve.py").exists() else "app.py"
STAFF_PATH = "pflege"
SETTLED_QUIET_MS = 500
BUDGET_PAGE_RATIO = 1.8
BUDGET_CLS = 0.1
BUDGET_MEMORY_MB = 600
SPEC_SESSIONS = 20
MIN_LOAD_RUNS = 5


@dataclass(frozen=True)
class PageLoad:
    settled_ms: float  # navigation start until the page's last change
    cls: float


def settled_load(browser, url: str, viewport: dict | None = None) -> PageLoad:
    """Navigation start until the page has settled, and its cumulative layout shift by then."""
    with fresh_page(browser, viewport) as page:
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
        started = navigation_start(page)
        settled_at = wait_until_page_settled(page, SETTLED_QUIET_MS)
        return PageLoad(settled_at - started, cumulative_layout_shift(page))


def page_figures(loads: dict[str, list[PageLoad]], empty: list[PageLoad], runs: int) -> list[Figure]:
    """One figure per page: its median time until settled against the empty app's, same run."""
    import statistics

    empty_ms = statistics.median(load.settled_ms for load in empty)
    note = f"only {runs} runs" if runs < MIN_LOAD_RUNS else ""
    figures = []
    for path, page_loads in loads.items():
        median = statistics.median(load.settled_ms for load in page_loads)
        ratio = median / empty_ms
        name = path.split("?")[0]
        figures.append(
            Figure(
                f"load_{name}_ratio",
                f"/{name} until settled / empty app served like the atlas",
                round(ratio, 2),
                "ratio",
                f"≤ {BUDGET_PAGE_RATIO:g}",
                ratio <= BUDGET_PAGE_RATIO,
                {
                    "page_ms": [round(load.settled_ms) for load in page_loads],
                    "median_ms": round(median),
                    "empty_settled_ms": [round(load.settled_ms) for load in empty],
                },
                note,
            )
        )
    return figures


def cls_figure(shifts: dict[str, dict[str, float]]) -> Figure:
    """The largest cumulative layout shift over every page and both widths; each one in the detail."""
    worst_page, worst = max(
        (
            (f"/{path.split('?')[0]} at {width} px", value)
            for path, by_width in shifts.items()
            for width, value in by_width.items()
        ),
        key=lambda item: item[1],
    )
    return Figure(
        "cls_max",
        "cumulative layout shift, every page at 1400 and 390 px (largest)",
        round(worst, 3),
        "score",
        f"≤ {BUDGET_CLS:g}",
        worst <= BUDGET_CLS,
        {
            "largest_on": worst_page,
            "pages": {
                path: {width: round(value, 3) for width, value in by_width.items()} for path, by_width in shifts.items()
            },
        },
    )


def phone_shifts(browser, base_url: str, paths: list[str], runs: int = 1) -> dict[str, float]:
    """The largest cumulative layout shift of each page at 390 px over `runs` loads."""
    return {
        path: max(settled_load(browser, f"{base_url}/{path}", PHONE_VIEWPORT).cls for _ in range(runs))
        for path in paths
    }


# --- memory -------------------------------------------------------------------------------------------


def visitor_page_paths(app_script: Path = PROJECT_ROOT / "views" / "pages.py") -> list[str]:
    """Every URL path a visitor can open, read from the router's page table in views/pages.py (the
    `("views/<file>.py", "<path>", ...)` entries), without the staff page."""
    import ast

    paths = []
    for node in ast.walk(ast.parse(app_script.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Tuple)
            and len(node.elts) >= 2
            and all(isinstance(element, ast.Constant) and isinstance(element.value, str) for element in node.elts[:2])
        ):
            script, path = str(cast(ast.Constant, node.elts[0]).value), str(cast(ast.Constant, node.elts[1]).value)
            if script.startswith("views/") and path != STAFF_PATH and path not in paths:
                paths.append(path)
    if not paths:
        raise RuntimeError(f"no pages found in {app_script}")
    return paths


def open_every_page(browser, base_url: str, paths: list[str]) -> None:
    """One browser session that opens every page by its URL path and waits until its script has run."""
    with fresh_page(browser) as page:
        for path in paths:
            page.goto(f"{base_url}/{path}", wait_until="commit")
            try:
                page.wait_for_selector(SCRIPT_DONE_SELECTOR, timeout=LOAD_TIMEOUT_S * 1000, state="attached")
            except Exception as error:
                raise LoadFailed(
                    f"page {path} did not finish its run: {error}; "
                    f"screenshot {save_screenshot(page, f'page-{path}-timeout')}"
                ) from error


def measure_memory(browser, sessions: int) -> list[Figure]:
    paths = visitor_page_paths()
    with running_streamlit(APP_SCRIPT) as app:
        at_start = app.resident_memory_bytes()
        peak = at_start
        started = time.perf_counter()
        for _session in range(sessions):
            open_every_page(browser, app.url, paths)
            peak = max(peak, app.resident_memory_bytes())
        seconds = time.perf_counter() - started
        after = app.resident_memory_bytes()
    after_mb = after / 2**20
    note = f"{sessions} sessions" if sessions != SPEC_SESSIONS else ""
    detail = {
        "sessions": sessions,
        "pages": paths,
        "rss_at_start_mb": round(at_start / 2**20, 1),
        "rss_peak_mb": round(max(peak, after) / 2**20, 1),
        "seconds": round(seconds, 1),
    }
    return [
        Figure(
            "memory_mb",
            f"server memory (RSS) after {sessions} sessions × {len(paths)} pages",
            round(after_mb, 1),
            "MB",
            f"≤ {BUDGET_MEMORY_MB} MB",
            after_mb <= BUDGET_MEMORY_MB,
            detail,
            note,
        )
    ]
