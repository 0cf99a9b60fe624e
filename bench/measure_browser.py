"""What a visitor waits for, measured in headless Chromium: page loads until the markers are drawn (as
ratios to an empty Streamlit app in the same run), bytes transferred, typed-search filter changes until
the new markers are drawn, and the server's memory after many sessions.

Every load is a fresh browser context (empty cache, no cookies) against a server that has already served
one unmeasured load, as a live server has filled its caches before most visitors come. The app and the
empty app alternate, so a busy moment of the machine hits both.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

import pandas as pd

from bench.browser import (
    EMPTY_APP_RENDERED_JS,
    LOAD_TIMEOUT_S,
    SCRIPT_DONE_SELECTOR,
    CountMismatch,
    LoadFailed,
    Traffic,
    fresh_page,
    map_engine,
    navigation_start,
    recorded_renders,
    running_streamlit,
    save_screenshot,
    wait_for_sites_drawn,
)
from bench.browser_figures import (
    MIN_LOAD_RUNS,
    Load,
    filter_figure,
    load_figures,
    median_ms,
    median_traffic,
)
from bench.report import Figure
from geo.core.paths import PROJECT_ROOT

# What `make run` serves (serve.py runs app.py so that deep links find the app's root at once).
APP_SCRIPT = "serve.py" if (PROJECT_ROOT / "serve.py").exists() else "app.py"
EMPTY_APP_SCRIPT = "bench/empty_app.py"
# The same empty page behind serve.py's socket setting: the second, stricter baseline (see load_figures).
EMPTY_SERVED_SCRIPT = "bench/empty_serve.py"
# The one line that bench/empty_app.py writes; its appearance marks the empty app as rendered.
EMPTY_APP_TEXT = "Leere Streamlit-App"
MAP_PATH = "karte"
EMBED_PATH = "einbetten"
STAFF_PATH = "pflege"
FILTER_TIMEOUT_S = 30.0
# A draw with another number of sites than expected counts as the map's answer when no draw follows it
# within this long.
MISMATCH_SETTLE_S = 5.0
# The map page's search field is part of the map (inside its frame, components/atlas_map), in a form that
# searches on Enter (submit) and also after a short pause in typing. Typing the word and Enter as two
# browser round trips could let that pause pass in between on a busy machine, so the word and Enter are
# given in one task, as a fast typist does: the value with its input event, then the form's submission
# (what Enter does), noting the clock just before it.
MAP_FRAME_SELECTOR = "iframe[title='Standortatlas map']"
TYPE_AND_ENTER_JS = """(input, word) => {
  input.focus();
  input.value = word;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  window.top.__benchEnterAt = performance.timeOrigin + performance.now();
  input.form.requestSubmit();
}"""
# The page counts as at rest when the map has not drawn for this long and no script runs.
SETTLED_QUIET_MS = 300

BUDGET_FILTER_P95_MS = 150
BUDGET_LARGE_RATIO = 2.0
BUDGET_LARGE_MB = 1.5
BUDGET_LARGE_FILTER_P95_MS = 300
BUDGET_MEMORY_MB = 600
SPEC_SESSIONS = 20


def app_load(browser, url: str, expected_sites: int) -> Load:
    """Navigation start until the page's map shows `expected_sites` sites, and what the page received."""
    with fresh_page(browser) as page:
        traffic = Traffic().attach(page)
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
        started = navigation_start(page)
        engine = map_engine(page)
        drawn = wait_for_sites_drawn(page, engine, expected_sites, after_ms=started)
        traffic.wait_until_quiet(page)
        return Load(drawn.at_ms - started, engine, traffic.summary())


def empty_app_load(browser, url: str) -> Load:
    """Navigation start until the empty app's text is visible, and what the page received."""
    with fresh_page(browser) as page:
        traffic = Traffic().attach(page)
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
        started = navigation_start(page)
        try:
            done_at = page.wait_for_function(
                EMPTY_APP_RENDERED_JS, arg=EMPTY_APP_TEXT, polling=20, timeout=LOAD_TIMEOUT_S * 1000
            ).json_value()
        except Exception as error:
            raise LoadFailed(
                f"the empty app did not render: {error}; screenshot {save_screenshot(page, 'empty-app-timeout')}"
            ) from error
        traffic.wait_until_quiet(page)
        return Load(done_at - started, "empty app", traffic.summary())


def alternating_loads(loaders: dict[str, Callable[[], Load]], runs: int) -> dict[str, list[Load]]:
    """One warm-up load each, then `runs` rounds; each round starts with a different loader."""
    for load in loaders.values():
        load()
    results: dict[str, list[Load]] = {name: [] for name in loaders}
    names = list(loaders)
    for run in range(runs):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(loaders[name]())
    return results


# --- search queries with known answers ------------------------------------------------------------------


def search_queries(sites: pd.DataFrame, changes: int) -> list[tuple[str, int]]:
    """`changes` typed searches over `sites`, each with the number of sites it finds (by the app's own
    search rule), each finding some but not all sites and a different number than the one before, so
    every change draws a different set of markers. Words are the sites' municipality names."""
    from geo.sites.filters import matches_query, search_text

    texts = search_text(sites)
    counts = {}
    for word in sorted(set(sites["municipality"].dropna())):
        if len(word) >= 4 and word not in counts:
            found = int(matches_query(texts, word).sum())
            if 0 < found < len(sites):
                counts[word] = found
    if len(set(counts.values())) < 2:
        raise RuntimeError("the sites give too few distinct search results for the filter measurement")
    # alternate between words finding many and few sites, never the same number twice in a row
    words = sorted(counts, key=lambda word: (-counts[word], word))
    many, few = words[: len(words) // 2], words[len(words) // 2 :][::-1]
    order = [word for pair in zip(many, few, strict=False) for word in pair] + many[len(few) :]
    chosen: list[tuple[str, int]] = []
    previous = len(sites)
    while len(chosen) < changes:
        for word in order:
            if counts[word] != previous:
                chosen.append((word, counts[word]))
                previous = counts[word]
            if len(chosen) == changes:
                break
    return chosen


def rerun_words(sites: pd.DataFrame) -> tuple[str, str]:
    """Two search words for timing the server's rerun: the municipality names that find the most sites."""
    from geo.sites.filters import matches_query, search_text

    texts = search_text(sites)
    words = sorted({word for word in sites["municipality"].dropna() if len(word) >= 4})
    ranked = sorted(words, key=lambda word: (-int(matches_query(texts, word).sum()), word))
    if len(ranked) < 2:
        raise RuntimeError("the sites have too few municipality names for the rerun measurement")
    return ranked[0], ranked[1]


def wait_until_settled(page, quiet_ms: float = SETTLED_QUIET_MS, timeout_s: float = LOAD_TIMEOUT_S) -> None:
    """Until Streamlit's script has finished and the map has not drawn for `quiet_ms`: a visitor types the
    next word into a page that has come to rest (a search with one hit, for instance, selects that site
    and reruns once more)."""
    deadline = time.monotonic() + timeout_s
    last_seen, quiet_since = None, time.monotonic()
    while time.monotonic() < deadline:
        renders = recorded_renders(page)
        latest = renders[-1] if renders else None
        if latest != last_seen:
            last_seen, quiet_since = latest, time.monotonic()
        idle = page.query_selector(SCRIPT_DONE_SELECTOR) is not None
        if idle and (time.monotonic() - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(25)
    raise LoadFailed(f"the map page did not come to rest within {timeout_s:.0f} s")


def filter_change_times(
    browser, url: str, expected_sites: int, queries: list[tuple[str, int]], search_label: str
) -> tuple[list[float], str, list[dict]]:
    """Milliseconds from Enter in the search box until the map shows the new markers, per query; and the
    searches after which the map showed another number of sites than the app's search rule finds."""
    with fresh_page(browser) as page:
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
        started = navigation_start(page)
        engine = map_engine(page)
        wait_for_sites_drawn(page, engine, expected_sites, after_ms=started)
        box = page.frame_locator(MAP_FRAME_SELECTOR).first.get_by_label(search_label, exact=True)
        in_map = box.count() > 0 and box.evaluate("(input) => input.form !== null")
        if not in_map:  # a map page with the search field outside the map (a Streamlit text input)
            box = page.get_by_label(search_label, exact=True)
        box.wait_for(timeout=LOAD_TIMEOUT_S * 1000)
        times, mismatches = [], []
        for query, expected in queries:
            wait_until_settled(page)
            if in_map:
                box.evaluate(TYPE_AND_ENTER_JS, query)
            else:
                box.fill(query)
                box.press("Enter")
            pressed_at = page.evaluate("window.__benchEnterAt")
            try:
                # every word finds a different number of sites than the one before: a render signal set after
                # Enter with that number is the new markers
                last = wait_for_sites_drawn(
                    page,
                    engine,
                    expected,
                    after_ms=pressed_at,
                    must_be_new=True,
                    timeout_s=FILTER_TIMEOUT_S,
                    settle_s=MISMATCH_SETTLE_S,
                )
            except CountMismatch as mismatch:
                mismatches.append(
                    {
                        "q": query,
                        "expected": mismatch.expected,
                        "shown": mismatch.shown,
                        "draws_after_enter": mismatch.draws,
                    }
                )
                continue
            except LoadFailed as error:
                raise LoadFailed(f"search {query!r} (expected {expected} sites): {error}") from error
            times.append(last.at_ms - pressed_at)
        if not times:
            raise LoadFailed(f"no search showed the expected number of sites: {mismatches}")
        return times, engine, mismatches


# --- figures ----------------------------------------------------------------------------------------


def measure_bundled(browser, runs: int, changes: int, expected_sites: int, queries, search_label: str) -> list[Figure]:
    with (
        running_streamlit(APP_SCRIPT) as app,
        running_streamlit(EMPTY_APP_SCRIPT) as empty,
        running_streamlit(EMPTY_SERVED_SCRIPT) as empty_served,
    ):
        results = alternating_loads(
            {
                "empty": lambda: empty_app_load(browser, empty.url),
                "empty_served": lambda: empty_app_load(browser, empty_served.url),
                "map": lambda: app_load(browser, f"{app.url}/{MAP_PATH}", expected_sites),
                "embed": lambda: app_load(browser, f"{app.url}/{EMBED_PATH}", expected_sites),
            },
            runs,
        )
        times, engine, mismatches = filter_change_times(
            browser, f"{app.url}/{MAP_PATH}", expected_sites, queries, search_label
        )
    return [
        *load_figures(results, runs, expected_sites),
        filter_figure(
            "filter_p95_ms",
            "filter change, bundled sites: typed search, Enter → new markers (p95)",
            times,
            engine,
            queries,
            mismatches,
            BUDGET_FILTER_P95_MS,
        ),
    ]


def measure_large(
    browser, runs: int, changes: int, data_dir: Path, n_sites: int, queries, search_label: str
) -> list[Figure]:
    """First visit and filter changes with `n_sites` synthetic sites (the empty app measured alongside)."""
    with running_streamlit(APP_SCRIPT, data_dir=data_dir) as app, running_streamlit(EMPTY_APP_SCRIPT) as empty:
        results = alternating_loads(
            {
                "empty": lambda: empty_app_load(browser, empty.url),
                "map": lambda: app_load(browser, f"{app.url}/{MAP_PATH}", n_sites),
            },
            runs,
        )
        times, engine, mismatches = filter_change_times(
            browser, f"{app.url}/{MAP_PATH}", n_sites, queries, search_label
        )
    empty_ms, map_ms = median_ms(results["empty"]), median_ms(results["map"])
    traffic = median_traffic(results["map"])
    counted_mb = traffic["counted_bytes"] / 2**20
    note = f"only {runs} runs" if runs < MIN_LOAD_RUNS else ""
    detail = {
        "sites": n_sites,
        "runs": runs,
        "engine": results["map"][0].engine,
        "map_ms": [round(load.ms) for load in results["map"]],
        "empty_app_ms": [round(load.ms) for load in results["empty"]],
        "traffic": traffic,
    }
    ratio = map_ms / empty_ms
    return [
        Figure(
            "large_load_ratio",
            f"{n_sites:,} sites: first visit / empty app",
            round(ratio, 2),
            "ratio",
            f"≤ {BUDGET_LARGE_RATIO:g}",
            ratio <= BUDGET_LARGE_RATIO,
            detail,
            note,
        ),
        Figure(
            "large_bytes_mb",
            f"{n_sites:,} sites: first visit, data transferred (libraries cached)",
            round(counted_mb, 2),
            "MB",
            f"≤ {BUDGET_LARGE_MB:g} MB",
            counted_mb <= BUDGET_LARGE_MB,
            {"traffic": traffic},
        ),
        filter_figure(
            "large_filter_p95_ms",
            f"{n_sites:,} sites: filter change, Enter → new markers (p95)",
            times,
            engine,
            queries,
            mismatches,
            BUDGET_LARGE_FILTER_P95_MS,
        ),
    ]


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
