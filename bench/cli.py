"""`python -m geo bench`: measure the atlas's budgets in one run and write the report.

Options are described by `python -m geo bench --help`; what each figure means and how it is taken is in
METHOD_TEXT (copied into docs/benchmark.md). Only the standard library and bench.report are imported at
module level: the browser, servers and data load when a measurement runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench.report import (
    Figure,
    load_average,
    machine_info,
    machine_line,
    manual_part_of,
    markdown_report,
    not_measured,
    result_table,
    versions,
    write_atomically,
)
from geo.core.paths import PROJECT_ROOT

DEFAULT_OUTPUT = PROJECT_ROOT / "bench" / "results" / "latest.json"
DEFAULT_MARKDOWN = PROJECT_ROOT / "docs" / "benchmark.md"
DEFAULT_SITES = 10_000
FEW_SITES = 100
SEARCH_LABEL_KEY = "filter_search"

BUDGETS_TEXT = """\
Page loads are compared with an empty Streamlit page served the same way as the atlas (serve.py's socket
setting, `bench/empty_serve.py`), measured in the same run.

| figure | budget |
|---|---|
| map page with the bundled sites: navigation until the markers are drawn | ≤ 1.4 × the empty page |
| embed page, the same | ≤ 1.25 × the empty page |
| every other page until settled (`/standorte`, `/vergleich` with three sites, `/regionen`, `/strukturwandel`, \
`/daten`, `/praesentation`) | ≤ 1.8 × the empty page until settled |
| map page with the bundled sites: data transferred, cached library files not counted | ≤ 300 KB |
| filter change in both directions (a typed search and its clearing; a program selected and removed): input until \
the map shows the new markers | ≤ 150 ms p95 |
| cumulative layout shift of every page at 1400 and 390 px | ≤ 0.1 |
| 10,000 synthetic sites: first visit | ≤ 1.6 × the empty page and ≤ 1.5 MB transferred |
| 10,000 synthetic sites: filter change in both directions | ≤ 300 ms p95 |
| server work per filter change | independent of the number of sites (10,000 sites ≤ 1.5 × the time of 100) |
| memory of one app process after 20 sessions have each opened every page | ≤ 600 MB |
| import check of a 10,000-row CSV | ≤ 10 s and ≤ 500 MB |
| replicas behind nginx: 200 concurrent sessions over 3 replicas (the cluster load test, reported below the marker \
line) | 0 errors, p95 page time reported, a killed replica loses no data |
| open data API (/api): a filtered query with 10,000 synthetic sites | median and p95 reported |
"""

METHOD_TEXT = """\
How each figure is taken (`bench/`: `cli.py` runs them, `measure_browser.py` (map, embed, filter changes),
`measure_pages.py` (the other pages, layout shift, memory), `measure_server.py`, `browser.py` for servers
and Chromium, `synthetic_sites.py` for the generated data):

- **Page loads**: `streamlit run serve.py` (what `make run` starts) and the empty page served the same way
  (`streamlit run bench/empty_serve.py`: bench/empty_app.py behind serve.py's socket setting, which switches
  Nagle's algorithm off; Streamlit's own server leaves it on, and every response after the first on a
  kept-alive connection then waits about 40 ms for the browser's delayed acknowledgement) on ports
  8611–8619 (or free ports), headless Chromium (`/usr/bin/chromium`, Playwright), 1400 × 900, a fresh
  browser context (empty cache) per load, the pages taking turns, after one unmeasured load per page.
  Ratios are of the medians.
  - *Map and embed page*: from navigation start (`performance.timeOrigin`) until the map shows every
    site. Every map of the atlas sets `document.body.dataset.atlasRender = "<sequence>:<sites shown>"`
    once its markers are on the map and painted (a frame and a task later), and a MutationObserver that
    Playwright installs before any page script notes the browser clock of each value. The empty page:
    until its one line of text is visible.
  - *Every other page, until settled*: until the page's last DOM change, once Streamlit's script has run,
    every map has set its render signal, every plotly chart has drawn and nothing has changed for 500 ms
    (the recorder notes the time of every change). The empty page is measured the same way for this ratio.
    `/vergleich` is opened with the first three bundled sites (`?sites=a,b,c`).
- **Layout shift**: the cumulative layout shift (a PerformanceObserver of `layout-shift` entries; the
  largest sum in a session window, as browsers report it) of every visitor page until it settled, at
  1400 × 900 (every timed load, the largest) and at 390 × 844 (one load each). The figure is the largest
  of all; every page's value is in the JSON.
- **Data transferred**: what the map page received until the markers were drawn and no HTTP request was
  in flight any more: response bodies as transferred (Playwright's `request.sizes()`, compressed where the
  server compressed) plus every websocket frame the page received. Not counted: library files, i.e.
  Streamlit's own front end (`/static/…`) and the vendored web libraries (`/app/static/vendor/…`), and
  only when they are served with cache headers that let a browser keep them (`Cache-Control` with
  `max-age` > 0 or `immutable`); a library served without such headers counts. Data files, the map's own
  code, HTML and the websocket always count. The run with the median count is reported, with its largest
  counted files and the cached library bytes in the JSON.
- **Filter changes, both directions**: one visitor on the map page, waiting before each change until the
  page is at rest (no script running, no draw for 300 ms). *Search and clear*: a word typed into the map's
  search field and Enter, then the cleared field and Enter, alternately (the word and Enter are given in
  one browser task, as the field also searches after a pause in typing); words are municipality names
  alternating between ones finding many and few sites. *Select and deselect*: a program chosen in the
  filter panel's list, then removed with its chip's button, each program in turn. Time from the Enter key
  (or the pointer's release on the option or button; a capture listener notes the browser clock) until a
  render signal set after it shows exactly the number of sites the app's own rule finds
  (`geo.sites.filters`; every site after a clearing). The 95th percentile (nearest rank) of all changes;
  each direction's in the JSON. A change after which the map settles on another number is listed under
  `count_mismatches` and noted in the table.
- **Synthetic sites**: `bench/synthetic_sites.py` (documented there) writes N sites modelled on the
  bundled ones, placed at random inside municipalities of the four states, into a temporary folder that
  the app reads through `STANDORTATLAS_DATA_DIR`; never into `data/`. Seed 1. The first visit and the
  filter changes are measured as above, against the empty page served like the atlas.
- **Server work per filter change**: `bench/filter_rerun.py` drives `streamlit.testing.v1.AppTest` on
  `app.py`, switched to the map page, in a process of its own, once with 100 and once with N synthetic
  sites; after warm-up runs it switches a filter between two values and times `at.run()` (router, page
  script, cached data access, the map component call, AppTest's handling of the elements; not the
  websocket or the browser). The filter is the search box when it is a Streamlit widget on the page,
  else the first filter widget that can be changed (the search field inside the map is the component's
  own, which AppTest cannot type into; the widget used is named under `widget` in the JSON, the states
  filter in the latest run). The figure is the ratio of the medians.
- **Memory**: a fresh `streamlit run serve.py` on the bundled data; 20 browser sessions one after another,
  each a fresh context opening every visitor page by its URL path (the router's page table in `views/pages.py`,
  without the staff page) and waiting until the page's script has run; then the resident memory (RSS) of
  the server's process tree.
- **Import check**: `bench/validate_import.py` calls the importer's public entry
  (`geo.imports.importer.read_user_file`) on a CSV of 10,000 synthetic sites (the layout of
  `data/sources/sites.csv`, with coordinates) in a process of its own; the time is that whole process
  (start, imports, check), the memory its own peak resident size as it reports it (VmHWM). Not `ru_maxrss`
  from `wait4`: Linux gives a program the peak of the process that started it as its starting maximum, and
  the runner holds about 660 MB of synthetic sites by then (the earlier figure, 693 MB, was the runner's).
  A check still running after 120 s is stopped; the time then reads "at least".

- **Open data API**: `bench/measure_api.py`: `streamlit run serve.py` on the N synthetic sites, one
  client on a kept-alive connection asking `/api/collections/sites/items` with the atlas's filters, up to
  100 sites per answer (GeoJSON), 200 requests after 8 unmeasured ones (pygeoapi's import and the data's
  first read). Every request asks a filter not asked before (the API remembers the sites a filter selects,
  so a repeated query is quicker): a program and a state, a theme, a search word, a state and a theme in a
  bounding box, in turn. Each answer must find exactly the sites the atlas's own filter selects. Time from
  sending the request until the whole answer is read; median and 95th percentile (nearest rank).

Timings are noisy on a shared machine: the load average at the start and the end is recorded with the
results; a run on a busy machine should be repeated.
"""

# label, unit and budget of each figure that a failed or skipped measurement leaves "not measured"
PAGES = ("standorte", "vergleich", "regionen", "strukturwandel", "daten", "praesentation")
PLACEHOLDERS = {
    "bundled": [
        ("load_map_ratio", "map page until markers drawn / empty app served like the atlas", "ratio", "≤ 1.4"),
        ("load_embed_ratio", "embed page until markers drawn / empty app served like the atlas", "ratio", "≤ 1.25"),
        *[
            (f"load_{page}_ratio", f"/{page} until settled / empty app served like the atlas", "ratio", "≤ 1.8")
            for page in PAGES
        ],
        ("cls_max", "cumulative layout shift, every page at 1400 and 390 px (largest)", "score", "≤ 0.1"),
        ("bytes_map_kb", "map page, bundled sites: data transferred (libraries cached)", "KB", "≤ 300 KB"),
        (
            "filter_search_p95_ms",
            ("bundled sites: filter change both ways, typed search and cleared field (p95)"),
            "ms",
            "≤ 150 ms p95",
        ),
        (
            "filter_select_p95_ms",
            ("bundled sites: filter change both ways, program selected and removed (p95)"),
            "ms",
            "≤ 150 ms p95",
        ),
    ],
    "large": [
        ("large_load_ratio", "many sites: first visit / empty app served like the atlas", "ratio", "≤ 1.6"),
        ("large_bytes_mb", "many sites: first visit, data transferred (libraries cached)", "MB", "≤ 1.5 MB"),
        (
            "large_filter_search_p95_ms",
            ("many sites: filter change both ways, typed search and cleared field (p95)"),
            "ms",
            "≤ 300 ms p95",
        ),
        (
            "large_filter_select_p95_ms",
            ("many sites: filter change both ways, program selected and removed (p95)"),
            "ms",
            "≤ 300 ms p95",
        ),
    ],
    "memory": [("memory_mb", "server memory (RSS) after the sessions", "MB", "≤ 600 MB")],
    "rerun": [
        (
            "rerun_growth",
            "server work per filter change: many / few sites",
            "ratio",
            "≤ 1.5 (independent of the number of sites)",
        )
    ],
    "api": [
        ("api_median_ms", "open data API: filtered query (median)", "ms", "–"),
        ("api_p95_ms", "open data API: filtered query (p95)", "ms", "–"),
    ],
    "validate": [
        ("validate_s", "import check of the CSV rows: time (whole process)", "s", "≤ 10 s"),
        ("validate_mb", "import check of the CSV rows: peak memory (its own)", "MB", "≤ 500 MB"),
    ],
}
FIGURE_ORDER = [
    "load_map_ratio",
    "load_embed_ratio",
    *[f"load_{page}_ratio" for page in PAGES],
    "cls_max",
    "bytes_map_kb",
    "filter_search_p95_ms",
    "filter_select_p95_ms",
    "large_load_ratio",
    "large_bytes_mb",
    "large_filter_search_p95_ms",
    "large_filter_select_p95_ms",
    "rerun_growth",
    "memory_mb",
    "validate_s",
    "validate_mb",
    "load_map_ms",
    "load_empty_ms",
    "rerun_few_ms",
    "rerun_many_ms",
    "api_median_ms",
    "api_p95_ms",
]


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Run:
    """Collects the figures; a measurement that fails leaves "not measured" rows and its error, never a gap."""

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.errors: dict[str, str] = {}

    def attempt(self, name: str, measure) -> None:
        try:
            self.figures.extend(measure())
        except Exception as error:
            self.errors[name] = f"{type(error).__name__}: {error}"
            log(f"{name} failed: {self.errors[name]}")
            self.skip(name, f"failed: {type(error).__name__}")

    def skip(self, name: str, reason: str) -> None:
        self.figures.extend(not_measured(*placeholder, reason=reason) for placeholder in PLACEHOLDERS[name])


def search_label() -> str:
    from geo.texts import t

    return t(SEARCH_LABEL_KEY, "de")


def app_sites(folder: Path | None):
    """The sites as the app reads them from `folder` (None: the bundled data in data/, which the servers
    for the bundled figures run on whatever STANDORTATLAS_DATA_DIR says)."""
    from bench.synthetic_sites import BUNDLED_SITES
    from geo.store import read_sites_for_app

    return read_sites_for_app(folder / "sites.gpkg" if folder is not None else BUNDLED_SITES)


def page_paths(sites) -> list[str]:
    """The pages timed until settled, as URL paths; the comparison with the first three sites."""
    comparison = ",".join(sites["site_id"].head(3))
    return [f"{page}?sites={comparison}" if page == "vergleich" else page for page in PAGES]


def drawn_count(sites) -> int:
    """Sites the map draws before any filter is touched: every site with a point."""
    return int((sites.geometry.notna() & ~sites.geometry.is_empty).sum())


def _measure_in_browser(run: Run, options: argparse.Namespace, large_dir: Path) -> None:
    """Every page with the bundled sites, the large synthetic sites, and the memory of one process, in one
    Chromium."""
    from bench import measure_browser
    from bench.browser import chromium
    from bench.measure_pages import measure_memory

    bundled, large = app_sites(None), app_sites(large_dir)
    parts = {
        "bundled": lambda browser: measure_browser.measure_bundled(
            browser,
            options.runs,
            drawn_count(bundled),
            measure_browser.search_queries(bundled, options.changes),
            measure_browser.program_changes(bundled, options.changes),
            page_paths(bundled),
        ),
        "large": lambda browser: measure_browser.measure_large(
            browser,
            options.runs,
            large_dir,
            drawn_count(large),
            measure_browser.search_queries(large, options.changes),
            measure_browser.program_changes(large, options.changes),
        ),
        "memory": lambda browser: measure_memory(browser, options.sessions),
    }
    done = set()
    try:
        with chromium() as browser:
            for name, measure in parts.items():
                log(f"browser: {name}")
                run.attempt(name, functools.partial(measure, browser))
                done.add(name)
    except Exception as error:  # the browser itself failed: the rest is not measured
        run.errors["browser"] = f"{type(error).__name__}: {error}"
        for name in parts.keys() - done:
            run.skip(name, f"failed: {type(error).__name__}")


def run_benchmark(options: argparse.Namespace) -> dict:
    started = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine_info()}
    run = Run()
    with tempfile.TemporaryDirectory(prefix="standortatlas-bench-") as work:
        work_dir = Path(work)
        needs_large = not (options.skip_browser and options.skip_rerun and options.skip_api)
        if needs_large:
            from bench.synthetic_sites import write_synthetic_data_dir

            log(f"writing {options.sites:,} and {options.few_sites:,} synthetic sites")
            large_dir = write_synthetic_data_dir(options.sites, work_dir / f"sites-{options.sites}")
            few_dir = write_synthetic_data_dir(options.few_sites, work_dir / f"sites-{options.few_sites}")
        label = search_label()

        if options.skip_browser:
            for name in ("bundled", "large", "memory"):
                run.skip(name, "skipped (--skip-browser)")
        else:
            _measure_in_browser(run, options, large_dir)

        if options.skip_rerun:
            run.skip("rerun", "skipped (--skip-rerun)")
        else:
            from bench.measure_browser import rerun_words
            from bench.measure_server import measure_rerun_growth

            log(f"server reruns: {options.reruns} with {options.few_sites:,} and with {options.sites:,} sites")
            run.attempt(
                "rerun",
                lambda: measure_rerun_growth(
                    (options.few_sites, few_dir, rerun_words(app_sites(few_dir))),
                    (options.sites, large_dir, rerun_words(app_sites(large_dir))),
                    options.reruns,
                    options.warmup,
                    label,
                ),
            )

        if options.skip_api:
            run.skip("api", "skipped (--skip-api)")
        else:
            from bench.measure_api import measure_api

            log(f"open data API: {options.api_requests} filtered queries on {options.sites:,} sites")
            run.attempt(
                "api", lambda: measure_api(options.sites, large_dir, app_sites(large_dir), options.api_requests, 8)
            )

        if options.skip_validate:
            run.skip("validate", "skipped (--skip-validate)")
        else:
            from bench.measure_server import measure_validation
            from bench.synthetic_sites import write_synthetic_import_csv

            log(f"import check of {options.validate_rows:,} CSV rows")
            csv_path = write_synthetic_import_csv(options.validate_rows, work_dir / "sites.csv")
            run.attempt("validate", lambda: measure_validation(csv_path, options.validate_rows))

    figures = sorted(
        run.figures,
        key=lambda figure: FIGURE_ORDER.index(figure.key) if figure.key in FIGURE_ORDER else len(FIGURE_ORDER),
    )
    budgeted = [figure for figure in figures if figure.budget != "–"]
    return {
        **started,
        "load_average_at_end": load_average(),
        "versions": versions(),
        "options": {name: (str(value) if isinstance(value, Path) else value) for name, value in vars(options).items()},
        "all_budgets_hold": all(figure.holds is True for figure in budgeted),
        "figures": [asdict(figure) for figure in figures],
        "errors": run.errors,
    }


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo bench",
        description="Measure the atlas's budgets in headless Chromium against an empty Streamlit app (page loads, "
        "data transferred, filter changes, N synthetic sites, server reruns, memory, import check); "
        "print a table, write JSON and docs/benchmark.md.",
    )
    parser.add_argument(
        "--sites", type=int, help=f"synthetic sites for the large figures (default {DEFAULT_SITES:,}, quick 300)"
    )
    parser.add_argument(
        "--few-sites", type=int, help=f"synthetic sites for the small rerun figure (default {FEW_SITES})"
    )
    parser.add_argument(
        "--runs", type=int, help="page loads per app (default 7, quick 2; at least 5 for a figure that counts)"
    )
    parser.add_argument(
        "--changes",
        type=int,
        help="filter changes of each kind, both directions together (default 24, quick 4; at least 20)",
    )
    parser.add_argument("--reruns", type=int, help="timed server reruns per data size (default 30, quick 3)")
    parser.add_argument("--warmup", type=int, help="untimed server reruns first (default 5, quick 1)")
    parser.add_argument("--sessions", type=int, help="browser sessions for the memory figure (default 20, quick 1)")
    parser.add_argument(
        "--validate-rows", type=int, help="rows of the CSV for the import check (default 10,000, quick 200)"
    )
    parser.add_argument("--skip-browser", action="store_true", help="no browser: skip loads, filter changes, memory")
    parser.add_argument("--skip-rerun", action="store_true", help="skip the server rerun figures")
    parser.add_argument("--skip-validate", action="store_true", help="skip the import check")
    parser.add_argument("--skip-api", action="store_true", help="skip the open data API's query times")
    parser.add_argument("--api-requests", type=int, help="timed API queries (default 200, quick 10)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small data and few repetitions, to check that the benchmark works (figures do not count)",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_OUTPUT, help="JSON result file (default bench/results/latest.json)"
    )
    parser.add_argument(
        "--markdown", type=Path, help="Markdown report (default docs/benchmark.md; none with --quick unless given)"
    )
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a budget does not hold")
    return parser


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = make_parser()
    options = parser.parse_args(argv)
    defaults = (
        {
            "sites": 300,
            "few_sites": 30,
            "runs": 2,
            "changes": 4,
            "reruns": 3,
            "warmup": 1,
            "sessions": 1,
            "validate_rows": 200,
            "api_requests": 10,
        }
        if options.quick
        else {
            "sites": DEFAULT_SITES,
            "few_sites": FEW_SITES,
            "runs": 7,
            "changes": 24,
            "reruns": 30,
            "warmup": 5,
            "sessions": 20,
            "validate_rows": 10_000,
            "api_requests": 200,
        }
    )
    for name, default in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, default)
        minimum = {"warmup": 0, "changes": 2, "sites": 2, "few_sites": 2}.get(name, 1)
        if getattr(options, name) < minimum:
            parser.error(f"--{name.replace('_', '-')} must be at least {minimum}")
    if options.markdown is None and not options.quick:
        options.markdown = DEFAULT_MARKDOWN
    return options


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # `python -m geo bench -- --quick`: the separator gets options past the outer parser; drop it here
    options = parse_options(argv[1:] if argv[:1] == ["--"] else argv)
    result = run_benchmark(options)
    print(f"Benchmark {result['date']}\n{machine_line(result)}\n\n{result_table(result)}")
    write_atomically(options.output, json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {options.output}")
    if options.markdown is not None:
        write_atomically(
            options.markdown, markdown_report(result, METHOD_TEXT, BUDGETS_TEXT, manual_part_of(options.markdown))
        )
        print(f"written: {options.markdown}")
    if options.strict and not result["all_budgets_hold"]:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
