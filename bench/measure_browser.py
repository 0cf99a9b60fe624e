"""What a visitor waits for on the map, measured in headless Chromium: the map and embed pages until the
markers are drawn, the other pages until they settle (bench.measure_pages), all as ratios to an empty
Streamlit app served like the atlas in the same run; bytes transferred; filter changes in both directions
(a typed search and its clearing, a program selected and deselected) until the map shows the new markers;
the same with N synthetic sites.

Every load is a fresh browser context (empty cache, no cookies) against a server that has already served
one unmeasured load, as a live server has filled its caches before most visitors come. The pages take
turns, so a busy moment of the machine hits all of them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from bench.browser import (
    EMPTY_APP_RENDERED_JS,
    LOAD_TIMEOUT_S,
    SCRIPT_DONE_SELECTOR,
    CountMismatch,
    LoadFailed,
    Traffic,
    cumulative_layout_shift,
    fresh_page,
    navigation_start,
    recorded_renders,
    running_streamlit,
    save_screenshot,
    wait_for_render,
    wait_until_page_settled,
)
from bench.browser_figures import (
    BUDGET_FILTER_P95_MS,
    BUDGET_LARGE_FILTER_P95_MS,
    BUDGET_LARGE_MB,
    BUDGET_LARGE_RATIO,
    MIN_LOAD_RUNS,
    ChangeTimes,
    Load,
    change_figures,
    load_figures,
    median_ms,
    median_traffic,
)
from bench.measure_pages import (
    APP_SCRIPT,
    SETTLED_QUIET_MS,
    PageLoad,
    cls_figure,
    page_figures,
    phone_shifts,
    settled_load,
)
from bench.report import Figure

# The empty page behind serve.py's socket setting: what the atlas's pages are compared with.
EMPTY_APP_SCRIPT = "bench/empty_serve.py"
# The one line that bench/empty_app.py writes; its appearance marks the empty app as rendered.
EMPTY_APP_TEXT = "Leere Streamlit-App"
MAP_PATH = "karte"
EMBED_PATH = "einbetten?embed=true"  # as a website embeds it (README: the snippet)
FILTER_TIMEOUT_S = 30.0
# A draw with another number of sites than expected counts as the map's answer when no draw follows it
# within this long.
MISMATCH_SETTLE_S = 5.0
# The map page's search field is part of the map, in a form that searches on Enter (submit) and also
# after a short pause in typing. Typing the word and Enter as two browser round trips could let that
# pause pass in between on a busy machine, so the word and Enter are given in one task, as a fast typist
# does: the value with its input event, then the form's submission (what Enter does), noting the clock
# just before it.
SEARCH_FIELD = ".sa-search input"
TYPE_AND_ENTER_JS = """(input, word) => {
  input.focus();
  input.value = word;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  window.top.__benchEnterAt = performance.timeOrigin + performance.now();
  input.form.requestSubmit();
}"""
# The page counts as at rest when the map has not drawn for this long and no script runs.
MAP_QUIET_MS = 300
# The filter panel's program buttons (st.pills with the key views.filters gives the program filter).
PROGRAM_BUTTONS_SCOPE = ".st-key-atlas_filter_program"
PROGRAM_BUTTONS = f"{PROGRAM_BUTTONS_SCOPE} button[aria-pressed]"  # not its help button
FILTER_BUTTON_KEY = "map_filters_button"


def app_load(browser, url: str, expected_sites: int) -> Load:
    """Navigation start until the page's map shows `expected_sites` sites, what the page received by
    then, and the page's layout shift until it settled."""
    with fresh_page(browser) as page:
        traffic = Traffic().attach(page)
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
        started = navigation_start(page)
        drawn = wait_for_render(page, expected_sites, after_ms=started)
        traffic.wait_until_quiet(page)
        summary = traffic.summary()
        settled_at = wait_until_page_settled(page, SETTLED_QUIET_MS)
        return Load(drawn.at_ms - started, summary, PageLoad(settled_at - started, cumulative_layout_shift(page)))


def empty_app_load(browser, url: str) -> Load:
    """Navigation start until the empty app's text is visible (and until it settled)."""
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
        summary = traffic.summary()
        settled_at = wait_until_page_settled(page, SETTLED_QUIET_MS)
        return Load(done_at - started, summary, PageLoad(settled_at - started, cumulative_layout_shift(page)))


def alternating_loads(loaders: Mapping[str, Callable[[], object]], runs: int) -> dict[str, list]:
    """One warm-up load each, then `runs` rounds; each round starts with a different loader."""
    for load in loaders.values():
        load()
    results: dict[str, list] = {name: [] for name in loaders}
    names = list(loaders)
    for run in range(runs):
        shift = run % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(loaders[name]())
    return results


# --- filter changes with known answers ------------------------------------------------------------------


def search_queries(sites: pd.DataFrame, changes: int) -> list[tuple[str, int]]:
    """`changes` typed searches over `sites` in both directions: a word, then the cleared field (every
    site), and so on; each word finds some but not all sites (by the app's own search rule), and the
    words alternate between ones finding many and few. Words are the sites' municipality names."""
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
    words = sorted(counts, key=lambda word: (-counts[word], word))
    many, few = words[: len(words) // 2], words[len(words) // 2 :][::-1]
    order = [word for pair in zip(many, few, strict=False) for word in pair] + many[len(few) :]
    chosen: list[tuple[str, int]] = []
    while len(chosen) < changes:
        for word in order:
            chosen += [(word, counts[word]), ("", len(sites))]
            if len(chosen) >= changes:
                break
    return chosen[:changes]


def program_changes(sites: pd.DataFrame, changes: int) -> list[tuple[str, int]]:
    """`changes` filter changes in both directions: a program selected (the sites it has), then deselected
    (every site), each program in turn; only programs with some but not all sites."""
    counts = sites["program"].value_counts()
    programs = [program for program in sorted(counts.index) if 0 < counts[program] < len(sites)]
    if not programs:
        raise RuntimeError("the sites have too few programs for the select measurement")
    chosen: list[tuple[str, int]] = []
    while len(chosen) < changes:
        for program in programs:
            chosen += [(program, int(counts[program])), ("", len(sites))]
            if len(chosen) >= changes:
                break
    return chosen[:changes]


def wait_until_at_rest(page, timeout_s: float = LOAD_TIMEOUT_S) -> None:
    """Until Streamlit's script has finished and the map has not drawn for MAP_QUIET_MS: the visitor
    changes the next filter on a page that has come to rest (a search with one hit, for instance,
    selects that site and reruns once more)."""
    deadline = page.evaluate("performance.now()") + timeout_s * 1000
    last_seen, quiet_since = None, page.evaluate("performance.now()")
    while page.evaluate("performance.now()") < deadline:
        renders = recorded_renders(page)
        latest = renders[-1] if renders else None
        now = page.evaluate("performance.now()")
        if latest != last_seen:
            last_seen, quiet_since = latest, now
        if page.query_selector(SCRIPT_DONE_SELECTOR) is not None and now - quiet_since >= MAP_QUIET_MS:
            return
        page.wait_for_timeout(25)
    raise LoadFailed(f"the map page did not come to rest within {timeout_s:.0f} s")


def timed_change(page, times: ChangeTimes, commit, clock: str, expected: int, total: int, what: dict) -> None:
    """Commit one filter change and note how long until the map showed `expected` sites."""
    wait_until_at_rest(page)
    commit()
    committed_at = page.evaluate(f"window.{clock}")
    try:
        drawn = wait_for_render(
            page, expected, after_ms=committed_at, timeout_s=FILTER_TIMEOUT_S, settle_s=MISMATCH_SETTLE_S
        )
    except CountMismatch as mismatch:
        times.mismatches.append(
            {**what, "expected": mismatch.expected, "shown": mismatch.shown, "draws_after_input": mismatch.draws}
        )
        return
    except LoadFailed as error:
        raise LoadFailed(f"{what} (expected {expected} sites): {error}") from error
    (times.widening if expected == total else times.narrowing).append(drawn.at_ms - committed_at)


def open_map(page, url: str, expected_sites: int) -> None:
    page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_S * 1000)
    wait_for_render(page, expected_sites, after_ms=navigation_start(page))


def search_field(page, timeout_s: float = LOAD_TIMEOUT_S):
    """The map's search field, in the page or, when the map is drawn in a frame of its own
    (STANDORTATLAS_MAP_FRAME=1), in that frame."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame.query_selector(SEARCH_FIELD) is not None:
                box = frame.locator(SEARCH_FIELD).first
                box.wait_for(timeout=timeout_s * 1000)
                return box
        page.wait_for_timeout(50)
    raise LoadFailed(f"no search field ({SEARCH_FIELD}) in the page or its frames within {timeout_s:.0f} s")


def search_change_times(browser, url: str, total: int, queries: list[tuple[str, int]]) -> ChangeTimes:
    """A typed search and its clearing, alternately: Enter until the map shows the new markers."""
    times = ChangeTimes([], [], [])
    with fresh_page(browser) as page:
        open_map(page, url, total)
        box = search_field(page)
        for query, expected in queries:
            timed_change(
                page,
                times,
                lambda query=query: box.evaluate(TYPE_AND_ENTER_JS, query),
                "__benchEnterAt",
                expected,
                total,
                {"q": query},
            )
    if not times.all:
        raise LoadFailed(f"no search showed the expected number of sites: {times.mismatches}")
    return times


def select_change_times(browser, url: str, total: int, changes: list[tuple[str, int]], lang: str = "de") -> ChangeTimes:
    """A program chosen in the filter panel and cleared again, alternately: the pointer's release on the
    program's button (the panel's programs are buttons that a click chooses and a second click clears)
    until the map shows the new markers."""
    from geo.maps.symbols import program_label
    from geo.texts import t

    times = ChangeTimes([], [], [])
    with fresh_page(browser) as page:
        open_map(page, url, total)
        panel = page.get_by_role("button", name=t(FILTER_BUTTON_KEY, lang)).first
        programs = page.locator(PROGRAM_BUTTONS)

        def click(button) -> None:  # the filter panel (a popover) opened first if it closed
            if not programs.first.is_visible():
                panel.click()
                programs.first.wait_for(timeout=LOAD_TIMEOUT_S * 1000)
            button.click()

        chosen = ""
        for program, expected in changes:
            chosen = program_label(program, lang) if program else chosen  # an empty program: clear the last
            button = page.locator(PROGRAM_BUTTONS_SCOPE).get_by_role("button", name=chosen, exact=True)
            commit = functools.partial(click, button)
            timed_change(page, times, commit, "__benchPointerAt", expected, total, {"program": program or "(none)"})
    if not times.all:
        raise LoadFailed(f"no program change showed the expected number of sites: {times.mismatches}")
    return times


# --- the bundled sites: every page ------------------------------------------------------------------


def measure_bundled(browser, runs: int, expected_sites: int, queries, programs, page_paths: list[str]) -> list[Figure]:
    """Every page with the bundled sites (loads, layout shifts at both widths) and the filter changes."""
    with running_streamlit(APP_SCRIPT) as app, running_streamlit(EMPTY_APP_SCRIPT) as empty:
        loaders: dict[str, Callable[[], object]] = {
            "empty": lambda: empty_app_load(browser, empty.url),
            "map": lambda: app_load(browser, f"{app.url}/{MAP_PATH}", expected_sites),
            "embed": lambda: app_load(browser, f"{app.url}/{EMBED_PATH}", expected_sites),
        }
        for path in page_paths:
            loaders[path] = functools.partial(settled_load, browser, f"{app.url}/{path}")
        results = alternating_loads(loaders, runs)
        search = search_change_times(browser, f"{app.url}/{MAP_PATH}", expected_sites, queries)
        select = select_change_times(browser, f"{app.url}/{MAP_PATH}", expected_sites, programs)
        paths = [MAP_PATH, EMBED_PATH, *page_paths]
        phone = phone_shifts(browser, app.url, paths)
    wide = {
        path: [load.page if isinstance(load, Load) else load for load in results[key]]
        for path, key in ((MAP_PATH, "map"), (EMBED_PATH, "embed"), *((path, path) for path in page_paths))
    }
    shifts = {path: {"1400": max(load.cls for load in wide[path]), "390": phone[path]} for path in paths}
    return [
        *load_figures(results, runs, expected_sites),
        *page_figures({path: results[path] for path in page_paths}, [load.page for load in results["empty"]], runs),
        cls_figure(shifts),
        *change_figures("", "bundled sites", search, select, BUDGET_FILTER_P95_MS, queries, programs),
    ]


def measure_large(browser, runs: int, data_dir: Path, n_sites: int, queries, programs) -> list[Figure]:
    """First visit and filter changes with `n_sites` synthetic sites (the empty app measured alongside)."""
    with running_streamlit(APP_SCRIPT, data_dir=data_dir) as app, running_streamlit(EMPTY_APP_SCRIPT) as empty:
        results = alternating_loads(
            {
                "empty": lambda: empty_app_load(browser, empty.url),
                "map": lambda: app_load(browser, f"{app.url}/{MAP_PATH}", n_sites),
            },
            runs,
        )
        search = search_change_times(browser, f"{app.url}/{MAP_PATH}", n_sites, queries)
        select = select_change_times(browser, f"{app.url}/{MAP_PATH}", n_sites, programs)
    empty_ms, map_ms = median_ms(results["empty"]), median_ms(results["map"])
    traffic = median_traffic(results["map"])
    counted_mb = traffic["counted_bytes"] / 2**20
    note = f"only {runs} runs" if runs < MIN_LOAD_RUNS else ""
    detail = {
        "sites": n_sites,
        "runs": runs,
        "map_ms": [round(load.ms) for load in results["map"]],
        "empty_app_ms": [round(load.ms) for load in results["empty"]],
        "traffic": traffic,
    }
    ratio = map_ms / empty_ms
    label = f"{n_sites:,} sites"
    return [
        Figure(
            "large_load_ratio",
            f"{label}: first visit until markers drawn / empty app served like the atlas",
            round(ratio, 2),
            "ratio",
            f"≤ {BUDGET_LARGE_RATIO:g}",
            ratio <= BUDGET_LARGE_RATIO,
            detail,
            note,
        ),
        Figure(
            "large_bytes_mb",
            f"{label}: first visit, data transferred (libraries cached)",
            round(counted_mb, 2),
            "MB",
            f"≤ {BUDGET_LARGE_MB:g} MB",
            counted_mb <= BUDGET_LARGE_MB,
            {"traffic": traffic},
        ),
        *change_figures("large_", label, search, select, BUDGET_LARGE_FILTER_P95_MS, queries, programs),
    ]


def rerun_words(sites: pd.DataFrame) -> tuple[str, str]:
    """Two search words for timing the server's rerun: the municipality names that find the most sites."""
    from geo.sites.filters import matches_query, search_text

    texts = search_text(sites)
    words = sorted({word for word in sites["municipality"].dropna() if len(word) >= 4})
    ranked = sorted(words, key=lambda word: (-int(matches_query(texts, word).sum()), word))
    if len(ranked) < 2:
        raise RuntimeError("the sites have too few municipality names for the rerun measurement")
    return ranked[0], ranked[1]
