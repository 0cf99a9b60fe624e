"""Servers and the browser for the benchmark: `streamlit run` on a port of its own, headless Chromium, and
what the browser records while a page loads (when the map drew its markers, when the page last changed,
its layout shifts, the bytes that arrived).

How "markers drawn" is seen: every atlas map sets `document.body.dataset.atlasRender = "<sequence>:<count>"`
after the markers of its current arguments are on the map and painted (the render signal). A script that
Playwright adds to every page before any page script runs (`RECORDER_JS`) watches that attribute with a
MutationObserver and notes the browser clock (`performance.timeOrigin + performance.now()`, in ms since
1970) of every value, in its own document and in every same-origin iframe's document (a map inside a frame,
the component API the map used before). Timings therefore come from the moment the page set the signal,
not from when the benchmark happened to look. The same script notes when Enter was pressed or a pointer
released (a filter committed), the time of the page's last DOM change (a page has settled when it has not
changed for a while after its script ran), and the page's layout shifts (PerformanceObserver).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.core.paths import PROJECT_ROOT

ARTIFACTS_DIR = PROJECT_ROOT / "test-artifacts"
# The ports this benchmark uses first; any free port when they are taken.
PREFERRED_PORTS = range(8611, 8620)
CHROMIUM = os.environ.get("STANDORTATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 900}
PHONE_VIEWPORT = {"width": 390, "height": 844}
LOAD_TIMEOUT_S = 120.0
DATA_DIR_ENV = "STANDORTATLAS_DATA_DIR"

ENGINE_RENDER_SIGNAL = "atlas map (render signal)"

RECORDER_JS = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  // one record per page, in the top window (iframes of the app are same-origin)
  let top;
  try { top = window.top; void top.document; } catch (error) { top = window; }
  const sink = top.__benchSink = top.__benchSink || [];
  const watch = (doc) => {
    if (!doc || doc.__benchWatched) return;
    doc.__benchWatched = true;
    const record = () => {
      const value = doc.body ? doc.body.dataset.atlasRender : undefined;
      if (value !== undefined && value !== doc.__benchLast) { doc.__benchLast = value; sink.push([now(), value]); }
    };
    new MutationObserver(record).observe(doc, {subtree: true, childList: true, attributes: true,
                                               attributeFilter: ['data-atlas-render']});
    record();
  };
  watch(document);
  // An iframe's first document (about:blank) is replaced by its page in the same window, and the script
  // Playwright adds does not run again for it: watch each iframe's current document from here.
  setInterval(() => {
    for (const frame of document.querySelectorAll('iframe')) {
      try { watch(frame.contentDocument); } catch (error) { /* another origin */ }
    }
  }, 4);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') top.__benchEnterAt = now();
  }, true);
  document.addEventListener('pointerup', () => { top.__benchPointerAt = now(); }, true);
  if (window !== top) return;
  // when the page last changed
  window.__benchLastChange = now();
  new MutationObserver(() => { window.__benchLastChange = now(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  window.__benchShifts = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__benchShifts.push([entry.startTime, entry.value, entry.hadRecentInput]);
      }
    }).observe({type: 'layout-shift', buffered: true});
  } catch (error) { /* no layout-shift entries in this browser */ }
})();
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
# Streamlit marks its root element while a script runs; "notRunning" after the run has ended.
SCRIPT_DONE_SELECTOR = '[data-testid="stApp"][data-test-script-state="notRunning"]'


class LoadFailed(RuntimeError):
    pass


class CountMismatch(LoadFailed):
    """The map drew after the change, but showed another number of sites than expected."""

    def __init__(self, expected: int, shown: int, draws: list[str]) -> None:
        super().__init__(f"the map shows {shown} sites, expected {expected}")
        self.expected, self.shown, self.draws = expected, shown, draws


# --- servers -----------------------------------------------------------------------------------------


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(taken: Collection[int] = frozenset()) -> int:
    for port in PREFERRED_PORTS:
        if port not in taken and port_is_free(port):
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_health(base_url: str, process: subprocess.Popen, timeout: float = 120.0) -> None:
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
            with contextlib.suppress(psutil.NoSuchProcess):  # a child that ended meanwhile uses no memory
                total += process.memory_info().rss
        return total


_ports_in_use: set[int] = set()


@contextmanager
def running_streamlit(script: str, data_dir: Path | None = None) -> Iterator[Server]:
    """`streamlit run <script>` on a port of its own (on `data_dir` when given), healthy when yielded,
    stopped afterwards. Its log is kept in test-artifacts/ only when something went wrong."""
    port = free_port(_ports_in_use)
    _ports_in_use.add(port)
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    log_path = ARTIFACTS_DIR / f"bench-streamlit-{Path(script).stem}-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if data_dir is not None:
        environment[DATA_DIR_ENV] = str(data_dir)
    else:
        environment.pop(DATA_DIR_ENV, None)
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, env=environment)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        wait_for_health(server.url, process)
        yield server
    except BaseException:
        print(f"[bench] server log: {log_path}", file=sys.stderr)
        raise
    else:
        log_path.unlink(missing_ok=True)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _ports_in_use.discard(port)


# --- the browser -------------------------------------------------------------------------------------


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
def fresh_page(browser, viewport: dict | None = None) -> Iterator[Any]:
    """A page in a new browser context (empty cache, no cookies) with the recorder in every frame."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale="de-DE")
    context.add_init_script(RECORDER_JS)
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


def navigation_start(page) -> float:
    return page.evaluate("performance.timeOrigin")


# --- the render signal ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Render:
    at_ms: float  # browser clock, ms since 1970
    sequence: int
    count: int


_SIGNAL = re.compile(r"^(\d+):(\d+)$")


def recorded_renders(page) -> list[Render]:
    """Every render signal value seen in any frame of the page so far, oldest first."""
    renders = []
    for frame in page.frames:
        try:
            entries = frame.evaluate("window.__benchSink || []")
        except Exception:  # a frame that is going away
            continue
        for at_ms, value in entries:
            match = _SIGNAL.match(str(value))
            if match:
                renders.append(Render(at_ms, int(match.group(1)), int(match.group(2))))
    return sorted(renders, key=lambda render: render.at_ms)


def wait_for_render(
    page, expected_count: int, after_ms: float, timeout_s: float = LOAD_TIMEOUT_S, settle_s: float | None = None
) -> Render:
    """The first render signal set after `after_ms` (browser clock) with `expected_count` sites shown.
    With `settle_s`: a draw with another count that no other draw follows within `settle_s` raises
    CountMismatch (the map filtered differently) instead of waiting for the timeout."""
    deadline = time.monotonic() + timeout_s
    seen: list[Render] = []
    other: tuple[Render, float] | None = None
    while time.monotonic() < deadline:
        seen = recorded_renders(page)
        for render in seen:
            if render.at_ms >= after_ms and render.count == expected_count:
                return render
        later = [render for render in seen if render.at_ms >= after_ms]
        if settle_s is not None and later:
            if other is None or other[0] != later[-1]:
                other = (later[-1], time.monotonic())
            elif time.monotonic() - other[1] > settle_s:
                raise CountMismatch(
                    expected_count,
                    other[0].count,
                    [f"{render.sequence}:{render.count} at +{render.at_ms - after_ms:.0f} ms" for render in later],
                )
        page.wait_for_timeout(25)  # polling only finds the entry; its time was noted when it was set
    raise LoadFailed(
        f"no render signal with {expected_count} sites within {timeout_s:.0f} s "
        f"(last seen: {[f'{render.sequence}:{render.count}' for render in seen[-3:]]}); "
        f"screenshot {save_screenshot(page, 'render-timeout')}"
    )


# --- a page at rest, and its layout shifts --------------------------------------------------------------

PAGE_STATE_JS = """() => {
  const now = performance.timeOrigin + performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const maps = [...document.querySelectorAll('.sa-atlas')];
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  // Streamlit's root says "notRunning" before the script has started too: the page's elements tell them apart
  const drawn = document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]') !== null;
  return {now, lastChange: window.__benchLastChange, scriptRan: drawn,
          scriptDone: Boolean(app && app.dataset.testScriptState === 'notRunning'),
          mapsDrawn: maps.every((map) => map.dataset.atlasRender !== undefined),
          chartsDrawn: charts.every((chart) => chart.querySelector('.main-svg') !== null)};
}"""


def wait_until_page_settled(page, quiet_ms: float, timeout_s: float = LOAD_TIMEOUT_S) -> float:
    """Browser clock of the page's last change, once its script has run, every map and chart is drawn and
    nothing has changed for `quiet_ms`."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = page.evaluate(PAGE_STATE_JS)
        if (
            state["scriptRan"]
            and state["scriptDone"]
            and state["mapsDrawn"]
            and state["chartsDrawn"]
            and state["now"] - state["lastChange"] >= quiet_ms
        ):
            return state["lastChange"]
        page.wait_for_timeout(25)
    raise LoadFailed(
        f"the page did not settle within {timeout_s:.0f} s; screenshot {save_screenshot(page, 'settle-timeout')}"
    )


SESSION_GAP_MS = 1000
SESSION_MAX_MS = 5000


def layout_shift_score(shifts: list[tuple[float, float, bool]]) -> float:
    """The cumulative layout shift as browsers report it, from (start ms, value, after an input) entries: the
    largest sum of shifts in a session window (shifts less than 1 s apart, at most 5 s long), shifts right
    after an input left out."""
    largest = current = first = 0.0
    previous: float | None = None
    for start, value in sorted((start, value) for start, value, after_input in shifts if not after_input):
        if previous is None or start - previous >= SESSION_GAP_MS or start - first >= SESSION_MAX_MS:
            first, current = start, 0.0
        current += value
        previous = start
        largest = max(largest, current)
    return largest


def cumulative_layout_shift(page) -> float:
    """The page's cumulative layout shift so far (the recorder keeps every layout-shift entry)."""
    return layout_shift_score(page.evaluate("window.__benchShifts || []"))


# --- bytes transferred -------------------------------------------------------------------------------

# Library files: Streamlit's own front end (/static/...) and the vendored web libraries (/app/static/vendor/).
LIBRARY_PATHS = re.compile(r"^/(?:static/|app/static/vendor/)")


def is_cached_for_later(headers: dict[str, str]) -> bool:
    """Whether a browser may reuse the response without asking again (Cache-Control max-age > 0 or immutable)."""
    cache_control = headers.get("cache-control", "").lower()
    if "no-store" in cache_control or "no-cache" in cache_control:
        return False
    max_age = re.search(r"max-age=(\d+)", cache_control)
    return "immutable" in cache_control or bool(max_age and int(max_age.group(1)) > 0)


@dataclass
class Traffic:
    """What a page received: HTTP response bodies (as transferred, by Playwright's request sizes) and
    websocket frames, with cacheable library files kept apart."""

    requests: list = field(default_factory=list)
    websocket_bytes: int = 0
    in_flight: int = 0

    def attach(self, page) -> Traffic:
        page.on("request", self._started)
        page.on("requestfinished", self._finished)
        page.on("requestfailed", self._failed)
        page.on("websocket", self._websocket)
        return self

    def _started(self, _request) -> None:
        self.in_flight += 1

    def _finished(self, request) -> None:
        self.in_flight -= 1
        self.requests.append(request)

    def _failed(self, _request) -> None:
        self.in_flight -= 1

    def _websocket(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        self.websocket_bytes += len(payload.encode("utf-8") if isinstance(payload, str) else payload)

    def wait_until_quiet(self, page, timeout_s: float = 5.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self.in_flight > 0 and time.monotonic() < deadline:
            page.wait_for_timeout(25)

    def summary(self) -> dict:
        from urllib.parse import urlsplit

        counted = library = 0
        counted_files: dict[str, int] = {}
        for request in self.requests:
            try:
                body = max(request.sizes()["responseBodySize"], 0)
                response = request.response()
                headers = response.all_headers() if response is not None else {}
            except Exception:  # the page is gone; the request's size is unknown
                continue
            path = urlsplit(request.url).path
            if LIBRARY_PATHS.match(path) and is_cached_for_later(headers):
                library += body
            else:
                counted += body
                counted_files[path] = counted_files.get(path, 0) + body
        largest = sorted(counted_files.items(), key=lambda item: -item[1])[:8]
        return {
            "counted_bytes": counted + self.websocket_bytes,
            "http_bytes": counted,
            "websocket_bytes": self.websocket_bytes,
            "cached_library_bytes": library,
            "requests": len(self.requests),
            "largest_counted": dict(largest),
        }
