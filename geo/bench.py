"""`python -m geo bench`: measure the budgets of DESIGN §5 on the bundled data, in one run.

Four measurements, each against a reference measured in the same run:

1. map size: the HTML/JS of the default overview map (``folium_map.get_root().render()``; the vendored
   library files such as Leaflet are referenced by URL and not counted) beside the same layers drawn the
   naive way (``geo.maps.naive_overview_map``): full-resolution ``districts``, ``zones``, ``states`` as
   default ``folium.GeoJson`` with all their columns, a default marker per site.
2. load time: ``streamlit run`` of the app and of ``bench/empty_app.py`` on free ports, headless Chromium,
   fresh browser context per run, the two alternating. Time = from navigation start (the browser's
   ``performance.timeOrigin``) until every site is accounted for on the overview map (see
   ``DRAWN_SITES_JS``), versus until the empty app's text is visible. One unmeasured warm-up load per
   server first, as a live server has filled its caches before most visitors come.
3. filter rerun: ``bench/filter_rerun.py`` in its own process (geo/ never imports Streamlit) drives
   ``streamlit.testing.v1.AppTest`` on app.py + views/karte.py and times ``at.run()`` after a filter
   change, after warm-up runs.
4. memory: a fresh app server; N browser sessions one after another, each opening every page by its URL
   path; the resident memory (RSS) of the server's process tree afterwards.

Only the standard library is imported at module level; the map, browser, server and psutil parts import
what they need when they run, so importing this module starts nothing and loads nothing heavy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from geo.paths import PROJECT_ROOT, SITES_GPKG

APP_SCRIPT = "app.py"
EMPTY_APP_SCRIPT = "bench/empty_app.py"
# The one line that bench/empty_app.py writes; its appearance marks the empty app as rendered.
EMPTY_APP_TEXT = "Leere Streamlit-App"
FILTER_RERUN_SCRIPT = PROJECT_ROOT / "bench" / "filter_rerun.py"
DEFAULT_OUTPUT = PROJECT_ROOT / "bench" / "results" / "latest.json"
DEFAULT_MARKDOWN = PROJECT_ROOT / "docs" / "benchmark.md"
ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
# Every URL path of the app that a visitor can open (the staff page exists only with a password).
PAGE_PATHS = ("karte", "standorte", "regionen", "strukturwandel", "daten", "einbetten", "praesentation")
OVERVIEW_PATH = "karte"

CHROMIUM = os.environ.get("STANDORTATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 950}
MAP_FRAME_SELECTOR = "iframe[title='streamlit_folium.st_folium']"
LOAD_TIMEOUT_MS = 90_000

# DESIGN §5, in the units the table shows.
BUDGET_MAP_KB = 500
BUDGET_MAP_RATIO = 1 / 8
BUDGET_LOAD_RATIO = 2.0
BUDGET_RERUN_MEDIAN_MS = 200
BUDGET_MEMORY_MB = 600
# The minimum repetitions the issue asks for; a figure from fewer (e.g. --quick) carries a note saying so.
MIN_LOAD_RUNS = 5
MIN_RERUNS = 20
SPEC_SESSIONS = 20

# Counts the sites drawn on the st_folium map, evaluated inside the component's iframe, where
# streamlit-folium keeps the Leaflet map as `window.map`. A site counts once it is represented on screen:
# as its own marker (Leaflet has put its icon into the page: `_icon`; a vector circle marker: `_map`) or
# inside a drawn MarkerCluster icon (getAllChildMarkers). Sites are collected in a set by Leaflet's layer
# id, so the moment during a zoom animation when the old and the new clusters are both on the map counts
# each site once. When the map has marker cluster groups, only what they draw counts, so town labels or
# other point decorations drawn as markers outside the clusters cannot make the map look complete early.
# Without `window.map` the DOM is counted instead: `.leaflet-marker-icon` elements, a `.marker-cluster`
# counting the number it shows. Returns the browser clock (ms since 1970, comparable across frames) when
# `expected` sites are drawn, else false; `window.__benchDrawnSites` keeps the last count.
DRAWN_SITES_JS = """
(expected) => {
  const L = window.L, map = window.map;
  let drawn = 0;
  if (L && map && map.eachLayer) {
    const sites = new Set();
    const add = (layer) => {
      if (L.MarkerCluster && layer instanceof L.MarkerCluster) {
        if (layer._icon) layer.getAllChildMarkers().forEach((marker) => sites.add(L.stamp(marker)));
      } else if (layer instanceof L.Marker) {
        if (layer._icon) sites.add(L.stamp(layer));
      } else if (layer instanceof L.CircleMarker && !(layer instanceof L.Circle)) {
        if (layer._map) sites.add(L.stamp(layer));
      }
    };
    const groups = [];
    map.eachLayer((layer) => { if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) groups.push(layer); });
    if (groups.length) groups.forEach((group) => group._featureGroup.eachLayer(add));
    else map.eachLayer(add);
    drawn = sites.size;
  } else {
    for (const icon of document.querySelectorAll('.leaflet-marker-icon')) {
      const clustered = icon.classList.contains('marker-cluster') ? parseInt(icon.textContent, 10) : NaN;
      drawn += Number.isFinite(clustered) ? clustered : 1;
    }
  }
  window.__benchDrawnSites = drawn;
  return drawn >= expected ? performance.timeOrigin + performance.now() : false;
}
"""
EMPTY_APP_RENDERED_JS = """
(text) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return false;
  const shown = [...app.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .some((element) => element.offsetParent !== null && element.textContent.includes(text));
  return shown ? performance.timeOrigin + performance.now() : false;
}
"""
# Streamlit marks its root element while a script runs; "notRunning" after the first run has ended.
SCRIPT_DONE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'


# ---------------------------------------------------------------------------------------------------
# results

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


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "not measured"
    if unit == "ratio":
        return f"{value:.3f}" if value < 1 else f"{value:.2f}"
    if unit in ("KB", "MB"):
        return f"{value:,.1f} {unit}"
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


# ---------------------------------------------------------------------------------------------------
# the machine and the versions

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


def machine_info() -> dict:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "platform": platform.platform(),
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "ram_mb": memory_total_mb(),
        # other work on the machine makes timings noisy; the load at the start says how busy it was
        "load_average_1_5_15": [round(value, 2) for value in load] if load else None,
    }


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict:
    return {"python": platform.python_version(),
            **{name: package_version(name) for name in
               ("streamlit", "streamlit-folium", "folium", "geopandas", "shapely", "playwright")}}


# ---------------------------------------------------------------------------------------------------
# 1. map size

@dataclass
class MapInput:
    """What both maps are drawn from: the sites, the app's map layers (simplified `*_web` layers, towns,
    zone membership) and the full-resolution layers for the naive map."""

    sites: object
    layers: object  # geo.maps.MapLayers
    states: object
    districts: object
    zones: object


def load_map_input(quick: bool = False) -> MapInput:
    """The bundled data; `quick` keeps a few rows of each layer (and no town labels) for the fast test."""
    from geo.maps import MapLayers
    from geo.reference_data import read_layer, read_table

    sites = bundled_sites()
    full = {name: read_layer(name) for name in ("states", "districts", "zones")}
    if not quick:
        return MapInput(sites, MapLayers.from_reference(read_layer, read_table), **full)
    tiny = lambda frame, rows: frame.head(rows).copy()  # noqa: E731
    layers = MapLayers(tiny(read_layer("states_web"), 1), tiny(read_layer("districts_web"), 3),
                       tiny(read_layer("zones_web"), 1), read_table("zone_districts"), towns=None)
    return MapInput(tiny(sites, 3), layers, tiny(full["states"], 1), tiny(full["districts"], 3),
                    tiny(full["zones"], 1))


def bundled_sites():
    """The sites as the app reads them (views/data.py uses the same function)."""
    from geo.sites_data import read_sites_for_app

    if not SITES_GPKG.exists():
        raise FileNotFoundError(f"{SITES_GPKG} is missing; run `python -m geo build`")
    return read_sites_for_app(SITES_GPKG)


# The one place that knows the map helper's builders and their signatures (geo.maps): when they change,
# change these three functions only.
def overview_map(data: MapInput, lang: str = "de"):
    """The app's default overview map, as the map page draws it before any filter is touched."""
    from geo.maps import build_overview_map

    return build_overview_map(data.sites, data.layers, lang)


def naive_map(data: MapInput, lang: str = "de"):
    """The yardstick of DESIGN §5: full-resolution districts, zones and states as default folium GeoJson
    (all columns), a default marker per site; geo.maps keeps it beside the real builder."""
    from geo.maps import naive_overview_map

    return naive_overview_map(data.sites, data.states, data.districts, data.zones, lang)


def html_size(folium_map) -> int:
    """Bytes of `folium_map.get_root().render()`: libraries are <script src> links and do not count."""
    from geo.maps import map_html_size

    return map_html_size(folium_map)


def measure_map_size(quick: bool) -> list[Figure]:
    data = load_map_input(quick)
    started = time.perf_counter()
    overview_bytes = html_size(overview_map(data))
    overview_seconds = time.perf_counter() - started
    naive_bytes = html_size(naive_map(data))
    overview_kb, naive_kb = overview_bytes / 1024, naive_bytes / 1024
    detail = {
        "overview_bytes": overview_bytes, "naive_bytes": naive_bytes,
        "overview_build_and_render_s": round(overview_seconds, 3),
        "sites": len(data.sites), "districts": len(data.districts), "zones": len(data.zones),
        "states": len(data.states),
        "measured": "folium_map.get_root().render(), UTF-8 bytes; vendored library files not counted",
    }
    note = "tiny input" if quick else ""
    ratio = overview_bytes / naive_bytes
    return [
        Figure("map_html_kb", "HTML/JS of the overview map", round(overview_kb, 1), "KB",
               f"≤ {BUDGET_MAP_KB} KB", overview_kb <= BUDGET_MAP_KB, detail, note),
        Figure("map_naive_kb", "same layers drawn naively (reference)", round(naive_kb, 1), "KB", "–", None,
               note=note),
        Figure("map_ratio", "overview map / naive map", round(ratio, 4), "ratio",
               f"≤ 1/8 ({BUDGET_MAP_RATIO:.3f})", ratio <= BUDGET_MAP_RATIO, note=note),
    ]


# ---------------------------------------------------------------------------------------------------
# servers

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base_url} did not become healthy within {timeout:.0f} s")


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path

    def resident_memory_bytes(self) -> int:
        """RSS of the server process and all its children."""
        import psutil

        root = psutil.Process(self.process.pid)
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total


@contextmanager
def running_streamlit(script: str) -> Iterator[Server]:
    """`streamlit run <script>` on a free port, healthy when yielded, stopped afterwards."""
    port = free_port()
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    log_path = ARTIFACTS_DIR / f"bench-streamlit-{Path(script).stem}-{port}.log"
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_for_health(server.url, process)
        yield server
    except BaseException:
        print(f"[bench] server log: {log_path}", file=sys.stderr)
        raise
    else:
        log_path.unlink(missing_ok=True)  # kept only when something went wrong
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def fresh_page(browser) -> Iterator[object]:
    context = browser.new_context(viewport=VIEWPORT, locale="de-DE")
    try:
        yield context.new_page()
    finally:
        context.close()


def save_screenshot(page, name: str) -> str:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    path = ARTIFACTS_DIR / f"bench-{name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception:  # a screenshot is a courtesy for the reader; never hide the real error behind it
        return ""
    return str(path)


# ---------------------------------------------------------------------------------------------------
# 2. load time

class LoadFailed(RuntimeError):
    pass


def expected_site_count() -> int:
    """Sites the overview draws before any filter is touched: every site with a point geometry."""
    sites = bundled_sites()
    return int((sites.geometry.notna() & ~sites.geometry.is_empty).sum())


def overview_load_ms(browser, base_url: str, expected_sites: int, path: str = OVERVIEW_PATH) -> float:
    """Milliseconds from navigation start until `expected_sites` sites are drawn on the page's map."""
    with fresh_page(browser) as page:
        page.goto(f"{base_url}/{path}", wait_until="commit")
        navigation_start = page.evaluate("performance.timeOrigin")
        deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000
        last_count, last_error, frame = None, None, None
        # the component iframe can be replaced while the page settles: find it again until the deadline
        while time.monotonic() < deadline:
            remaining_ms = max(1_000, (deadline - time.monotonic()) * 1000)
            try:
                iframe = page.wait_for_selector(MAP_FRAME_SELECTOR, timeout=remaining_ms, state="attached")
                frame = iframe.content_frame()
                if frame is None:
                    continue
                done_at = frame.wait_for_function(DRAWN_SITES_JS, arg=expected_sites, polling=20,
                                                  timeout=remaining_ms).json_value()
                return done_at - navigation_start
            except Exception as error:  # detached frame or timeout: look again, or give up at the deadline
                last_error = error
                try:
                    last_count = frame.evaluate("window.__benchDrawnSites") if frame is not None else None
                except Exception:
                    pass
        screenshot = save_screenshot(page, "overview-load-timeout")
        raise LoadFailed(f"the overview did not draw {expected_sites} sites within {LOAD_TIMEOUT_MS / 1000:.0f} s "
                         f"(last count {last_count}; {type(last_error).__name__}); screenshot {screenshot}")


def empty_app_load_ms(browser, base_url: str) -> float:
    """Milliseconds from navigation start until the empty app's text is visible."""
    with fresh_page(browser) as page:
        page.goto(base_url, wait_until="commit")
        navigation_start = page.evaluate("performance.timeOrigin")
        try:
            done_at = page.wait_for_function(EMPTY_APP_RENDERED_JS, arg=EMPTY_APP_TEXT, polling=20,
                                             timeout=LOAD_TIMEOUT_MS).json_value()
        except Exception as error:
            screenshot = save_screenshot(page, "empty-app-load-timeout")
            raise LoadFailed(f"the empty app did not render: {error}; screenshot {screenshot}") from error
        return done_at - navigation_start


def measure_load_times(browser, runs: int) -> list[Figure]:
    expected_sites = expected_site_count()
    with running_streamlit(APP_SCRIPT) as app, running_streamlit(EMPTY_APP_SCRIPT) as empty:
        load_app = lambda: overview_load_ms(browser, app.url, expected_sites)  # noqa: E731
        load_empty = lambda: empty_app_load_ms(browser, empty.url)  # noqa: E731
        # warm-up: the first load of each server fills its caches (data, map) as in a live server
        first_app, first_empty = load_app(), load_empty()
        app_times, empty_times = [], []
        for run in range(runs):
            order = [(load_app, app_times), (load_empty, empty_times)]
            for load, times in order if run % 2 == 0 else reversed(order):
                times.append(load())
    app_median, empty_median = statistics.median(app_times), statistics.median(empty_times)
    ratio = app_median / empty_median
    note = f"only {runs} runs" if runs < MIN_LOAD_RUNS else ""
    detail = {
        "runs": runs, "expected_sites": expected_sites,
        "overview_ms": [round(value) for value in app_times], "empty_app_ms": [round(value) for value in empty_times],
        "overview_first_load_ms": round(first_app), "empty_app_first_load_ms": round(first_empty),
        "measured": "navigation start to all sites drawn in the st_folium iframe (markers + cluster counts) "
                    "vs to the empty app's text visible; fresh context per run, alternating, after one warm-up",
    }
    return [
        Figure("load_overview_ms", "overview page: navigation → all markers drawn (median)", round(app_median),
               "ms", "–", None, detail, note),
        Figure("load_empty_ms", "empty Streamlit app: navigation → rendered (median)", round(empty_median),
               "ms", "–", None, note=note),
        Figure("load_ratio", "overview load / empty app load", round(ratio, 2), "ratio",
               f"≤ {BUDGET_LOAD_RATIO:g}", ratio <= BUDGET_LOAD_RATIO, note=note),
    ]


# ---------------------------------------------------------------------------------------------------
# 3. filter rerun (AppTest runs in its own process: geo/ never imports Streamlit)

def measure_filter_rerun(reruns: int, warmup: int, unseen: int, profile_path: Path | None = None) -> list[Figure]:
    command = [sys.executable, str(FILTER_RERUN_SCRIPT), "--runs", str(reruns), "--warmup", str(warmup),
               "--unseen", str(unseen)]
    if profile_path is not None:
        command += ["--profile", str(profile_path)]
    completed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=1800)
    if completed.returncode != 0:
        raise RuntimeError(f"bench/filter_rerun.py failed: {completed.stderr.strip()[-2000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    times = result["rerun_ms"]
    median, p95 = statistics.median(times), percentile(times, 0.95)
    note = f"only {reruns} reruns" if reruns < MIN_RERUNS else ""
    figures = [
        Figure("filter_rerun_median_ms", f"filter change on the map page: rerun (median of {reruns})",
               round(median, 1), "ms", f"≤ {BUDGET_RERUN_MEDIAN_MS} ms", median <= BUDGET_RERUN_MEDIAN_MS,
               result, note),
        Figure("filter_rerun_p95_ms", "filter change on the map page: rerun (p95)", round(p95, 1), "ms", "–",
               None, note=note),
    ]
    unseen_times = result.get("unseen_filter_rerun_ms")
    if unseen_times:
        figures.append(Figure("filter_rerun_unseen_ms",
                              "filter change to a selection not chosen before (median, builds its map)",
                              round(statistics.median(unseen_times), 1), "ms", "–", None,
                              note=f"{len(unseen_times)} selections"))
    return figures


# ---------------------------------------------------------------------------------------------------
# 4. memory

def open_every_page(browser, base_url: str) -> None:
    """One browser session that opens every page by its URL path and waits until its script has run."""
    with fresh_page(browser) as page:
        for path in PAGE_PATHS:
            page.goto(f"{base_url}/{path}", wait_until="commit")
            try:
                page.wait_for_selector(SCRIPT_DONE_SELECTOR, timeout=LOAD_TIMEOUT_MS, state="attached")
            except Exception as error:
                screenshot = save_screenshot(page, f"page-{path}-timeout")
                raise LoadFailed(f"page {path} did not finish its run: {error}; screenshot {screenshot}") from error


def measure_memory(browser, sessions: int) -> list[Figure]:
    with running_streamlit(APP_SCRIPT) as app:
        at_start = app.resident_memory_bytes()
        peak = at_start
        started = time.perf_counter()
        for _session in range(sessions):
            open_every_page(browser, app.url)
            peak = max(peak, app.resident_memory_bytes())
        seconds = time.perf_counter() - started
        after = app.resident_memory_bytes()
    after_mb = after / 2**20
    note = f"{sessions} sessions" if sessions != SPEC_SESSIONS else ""
    detail = {"sessions": sessions, "pages": list(PAGE_PATHS), "rss_at_start_mb": round(at_start / 2**20, 1),
              "rss_peak_mb": round(max(peak, after) / 2**20, 1), "seconds": round(seconds, 1),
              "measured": "RSS of the streamlit process tree after the last session closed; "
                          "each session: fresh browser context, every page opened by URL, waited for its run"}
    return [Figure("memory_mb", f"server memory (RSS) after {sessions} sessions × {len(PAGE_PATHS)} pages",
                   round(after_mb, 1), "MB", f"≤ {BUDGET_MEMORY_MB} MB", after_mb <= BUDGET_MEMORY_MB, detail, note)]


# ---------------------------------------------------------------------------------------------------
# the run

def not_measured(key: str, label: str, unit: str, budget: str, reason: str) -> Figure:
    return Figure(key, label, None, unit, budget, None, {"reason": reason}, reason)


LOAD_PLACEHOLDER = ("load_ratio", "overview load / empty app load", "ratio", f"≤ {BUDGET_LOAD_RATIO:g}")
MEMORY_PLACEHOLDER = ("memory_mb", "server memory (RSS) after the sessions", "MB", f"≤ {BUDGET_MEMORY_MB} MB")
RERUN_PLACEHOLDER = ("filter_rerun_median_ms", "filter change on the map page: rerun (median)", "ms",
                     f"≤ {BUDGET_RERUN_MEDIAN_MS} ms")
MAP_PLACEHOLDERS = [("map_html_kb", "HTML/JS of the overview map", "KB", f"≤ {BUDGET_MAP_KB} KB"),
                    ("map_ratio", "overview map / naive map", "ratio", "≤ 1/8")]
FIGURE_ORDER = ["map_html_kb", "map_naive_kb", "map_ratio", "load_overview_ms", "load_empty_ms", "load_ratio",
                "filter_rerun_median_ms", "filter_rerun_p95_ms", "filter_rerun_unseen_ms", "memory_mb"]


def run_benchmark(options: argparse.Namespace) -> dict:
    """Every measurement in turn; one that fails leaves a "not measured" row and its error, never a gap."""
    started = {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "machine": machine_info()}
    figures: list[Figure] = []
    errors: dict[str, str] = {}

    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    def attempt(name: str, measure, placeholders: list[tuple[str, str, str, str]]) -> None:
        try:
            figures.extend(measure())
        except Exception as error:
            errors[name] = f"{type(error).__name__}: {error}"
            log(f"{name} failed: {errors[name]}")
            figures.extend(not_measured(*placeholder, reason=f"failed: {type(error).__name__}")
                           for placeholder in placeholders)

    log("map size")
    attempt("map_size", lambda: measure_map_size(options.quick), MAP_PLACEHOLDERS)
    if options.skip_browser:
        figures.extend(not_measured(*placeholder, reason="skipped (--skip-browser)")
                       for placeholder in (LOAD_PLACEHOLDER, MEMORY_PLACEHOLDER))
    else:
        def browser_parts() -> list[Figure]:
            with chromium() as browser:
                log(f"load times ({options.runs} runs each, alternating)")
                attempt("load_time", lambda: measure_load_times(browser, options.runs), [LOAD_PLACEHOLDER])
                log(f"memory ({options.sessions} sessions)")
                attempt("memory", lambda: measure_memory(browser, options.sessions), [MEMORY_PLACEHOLDER])
            return []

        attempt("browser", browser_parts, [LOAD_PLACEHOLDER, MEMORY_PLACEHOLDER])
    if options.skip_rerun:
        figures.append(not_measured(*RERUN_PLACEHOLDER, reason="skipped (--skip-rerun)"))
    else:
        log(f"filter rerun ({options.reruns} reruns after {options.warmup} warm-up)")
        attempt("filter_rerun", lambda: measure_filter_rerun(
            options.reruns, options.warmup, options.unseen, options.profile), [RERUN_PLACEHOLDER])
    figures.sort(key=lambda figure: FIGURE_ORDER.index(figure.key) if figure.key in FIGURE_ORDER
                 else len(FIGURE_ORDER))
    budgeted = [figure for figure in figures if figure.budget != "–"]
    return {
        **started,
        "versions": versions(),
        "options": {"runs": options.runs, "reruns": options.reruns, "warmup": options.warmup,
                    "unseen": options.unseen, "sessions": options.sessions, "quick": options.quick,
                    "skip_browser": options.skip_browser, "skip_rerun": options.skip_rerun},
        "all_budgets_hold": all(figure.holds is True for figure in budgeted),
        "figures": [asdict(figure) for figure in figures],
        "errors": errors,
    }


def machine_line(result: dict) -> str:
    machine, versions_ = result["machine"], result["versions"]
    ram = f"{machine['ram_mb'] / 1024:.0f} GB RAM" if machine.get("ram_mb") else "RAM unknown"
    load = machine.get("load_average_1_5_15")
    return (f"{machine['cpu_model']}, {machine['cores']} cores, {ram}, {machine['platform']}"
            + (f"; load average at start {load[0]}" if load else "")
            + f". Python {versions_['python']}, Streamlit {versions_['streamlit']}, "
              f"streamlit-folium {versions_['streamlit-folium']}, folium {versions_['folium']}.")


def result_table(result: dict) -> str:
    return markdown_table([Figure(**figure) for figure in result["figures"]])


METHOD_TEXT = """\
How each figure is measured (`geo/bench.py`, `bench/filter_rerun.py`):

- **Map HTML/JS**: `folium_map.get_root().render()` of the default overview map (UTF-8 bytes). Leaflet and
  its plugins are served from `/app/static/vendor/` and are referenced, not counted. The naive map
  (`geo.maps.naive_overview_map`) draws the same layers from the full-resolution `districts`, `zones`,
  `states` with default `folium.GeoJson` (all columns) and a default marker with a name tooltip per site.
- **Load time**: `streamlit run` of `app.py` and of `bench/empty_app.py` on free ports, headless Chromium
  (`/usr/bin/chromium`), a fresh browser context per run, the two apps alternating, after one unmeasured
  warm-up load each. Measured in the browser, from navigation start (`performance.timeOrigin`) until every
  site is accounted for on the overview map inside the st_folium iframe (a marker counts one, a marker
  cluster counts its children; only cluster groups are counted when the map has any), versus until the
  empty app's text is visible. Median of the runs.
- **Filter rerun**: `streamlit.testing.v1.AppTest` on `app.py`, switched to `views/karte.py`, in its own
  process. After warm-up runs (caches full, as in a live server) a filter widget (found on the page,
  named under `widget` in the JSON; the states filter at the time of writing) is switched between two
  values and `at.run()` is timed: the router script, the page script with its cached data and map and
  the component call, and AppTest's own handling of the produced elements. Not included: the websocket and the browser redrawing
  the map. For comparison, selections nobody has chosen since the process started (cache misses, so
  the page builds that map) are timed too; they have no budget of their own.
- **Memory**: a fresh `streamlit run app.py`; N browser sessions one after another, each a fresh context
  opening every URL path (karte, standorte, regionen, strukturwandel, daten, einbetten, praesentation)
  and waiting until the page's script run has ended; then the RSS of the server's process tree.
"""


def markdown_report(result: dict) -> str:
    budgeted = [figure for figure in result["figures"] if figure["budget"] != "–"]
    if result["all_budgets_hold"]:
        verdict = "All budgets hold."
    elif any(figure["holds"] is False for figure in budgeted):
        verdict = "Not every budget holds (see NO)."
    else:
        verdict = "Some budgets were not measured in this run."
    errors = "".join(f"\n- {name}: {message}" for name, message in result["errors"].items())
    return (f"# Benchmark\n\n`python -m geo bench` (or `make bench`) measures the budgets of DESIGN §5 "
            f"and writes `bench/results/latest.json` and this file.\n\n"
            f"Latest run: {result['date']}\n\nMachine: {machine_line(result)}\n\n"
            f"{result_table(result)}\n\n{verdict}"
            + (f"\n\nMeasurements that failed:{errors}" if errors else "")
            + f"\n\n## Method\n\n{METHOD_TEXT}")


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".tmp", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    os.replace(handle.name, path)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo bench",
        description="Measure the budgets of DESIGN §5 (map size, load time, filter rerun, memory) on the "
                    "bundled data; print a table, write JSON and docs/benchmark.md.")
    parser.add_argument("--runs", type=int, help="browser load runs per app (default 7, quick 2; at least 5 "
                        "for a figure that counts)")
    parser.add_argument("--reruns", type=int, help="timed filter reruns (default 30, quick 3; at least 20)")
    parser.add_argument("--warmup", type=int, help="untimed filter reruns first (default 5, quick 1)")
    parser.add_argument("--unseen", type=int, help="timed filter changes to selections not chosen before "
                        "(default 10, quick 1)")
    parser.add_argument("--sessions", type=int, help="browser sessions for the memory figure (default 20, quick 1)")
    parser.add_argument("--skip-browser", action="store_true", help="no browser: skip load time and memory")
    parser.add_argument("--skip-rerun", action="store_true", help="skip the filter-rerun measurement")
    parser.add_argument("--quick", action="store_true",
                        help="tiny input and few repetitions, to check that the benchmark works (figures do not count)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="JSON result file (default bench/results/latest.json)")
    parser.add_argument("--markdown", type=Path,
                        help="Markdown report (default docs/benchmark.md; none with --quick unless given)")
    parser.add_argument("--profile", type=Path,
                        help="also profile the timed filter reruns with pyinstrument and write the report here")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a budget does not hold")
    return parser


def parse_options(argv: list[str]) -> argparse.Namespace:
    parser = make_parser()
    options = parser.parse_args(argv)
    defaults = {"runs": 2, "reruns": 3, "warmup": 1, "unseen": 1, "sessions": 1} if options.quick else \
        {"runs": 7, "reruns": 30, "warmup": 5, "unseen": 10, "sessions": SPEC_SESSIONS}
    for name, default in defaults.items():
        if getattr(options, name) is None:
            setattr(options, name, default)
        minimum = 0 if name in ("warmup", "unseen") else 1
        if getattr(options, name) < minimum:
            parser.error(f"--{name} must be at least {minimum}")
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
        write_atomically(options.markdown, markdown_report(result))
        print(f"written: {options.markdown}")
    if options.strict and not result["all_budgets_hold"]:
        return 1
    return 0
