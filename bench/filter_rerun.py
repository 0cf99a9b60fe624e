"""Time the server-side rerun of the map page after a filter change (part of `python -m geo bench`).

Runs in its own process, started by bench/measure_server.py (on the data folder named by
STANDORTATLAS_DATA_DIR, so the same rerun can be timed with 100 and with 10,000 sites). Uses
`streamlit.testing.v1.AppTest` on app.py, switched to views/karte.py as a visitor would open /karte, and
prints one JSON line: the timed `at.run()` durations in milliseconds and what was changed.

A timed rerun includes: the router script app.py (frame, sidebar), the page script with its cached data
access and the map component call, and AppTest's own handling of the produced elements. Not included: the
websocket and the browser redrawing the map. Warm-up reruns first, so Streamlit's caches are as full as in
a live server that has had visitors; the timed reruns alternate between two filter values. Then, for
comparison, filter values that nobody has chosen since the process started (`unseen_filter_rerun_ms`):
those miss the page's caches and include building the map for the new selection.

With `--search A --search B` the timed change is the typed search: the text box labelled `--search-label`
switches between the two words. Otherwise the filter widget is found, not hard-coded: the first widget of the map page
(other than the language switch) whose value can be changed and changed back without an exception,
preferring keys that name a filter (FILTER_KEY_HINTS). Raw option values are taken from the widget's
current value or looked up in the project's vocabularies (programs, themes, states, zones).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

PROJECT_ROOT = Path(__file__).resolve().parents[1]

APP = str(PROJECT_ROOT / "app.py")
MAP_PAGE = "views/karte.py"
LANGUAGE_KEY = "lang"
FILTER_KEY_HINTS = ("program", "theme", "state", "zone", "region", "filter", "land", "thema")
WIDGET_KINDS = ("multiselect", "button_group", "selectbox", "radio", "checkbox", "toggle")
TIMEOUT_S = 120


def vocabulary_values() -> list[str]:
    """Raw values a filter may offer, from the project's vocabularies."""
    from geo.core import schema

    values = [*schema.programs(), *schema.themes(), *schema.STATE_CODES.values()]
    try:
        from geo.store.reference import read_layer

        values += list(read_layer("zones_web")["zone_id"])
    except Exception:  # a missing layer only means fewer candidates
        pass
    return values


def raw_options(widget, vocabulary: list[str]) -> list:
    """The widget's options as raw values, as far as they can be recovered."""
    format_func = widget.format_func
    by_label: dict[str, object] = {}
    for value in [*vocabulary, *widget.options]:
        try:
            by_label.setdefault(str(format_func(value)), value)
        except Exception:
            continue
    return [by_label[label] for label in widget.options if label in by_label]


def value_pair(widget, vocabulary: list[str]):
    """Two values (current, changed) for the widget, or None when no change can be made."""
    current = widget.value
    if widget.type in ("checkbox", "toggle"):
        return current, not current
    if widget.type == "multiselect" or (widget.type == "button_group" and isinstance(current, list)):
        current = list(current or [])
        if len(current) >= 2:
            return current, current[:1]
        options = [value for value in raw_options(widget, vocabulary) if value not in current]
        return (current, current + options[:1]) if options else None
    options = [value for value in raw_options(widget, vocabulary) if value != current]
    return (current, options[0]) if options else None


def unseen_values(widget, vocabulary: list[str], seen: list, count: int) -> list:
    """Up to `count` values the widget has not had yet in this process (each misses the page's caches):
    single options, then pairs, … of the raw options for a multi-select; the options for a single select."""
    from itertools import combinations

    options = raw_options(widget, vocabulary)
    if widget.type in ("checkbox", "toggle"):
        return []
    candidates_: Iterator[Any]
    if widget.type == "multiselect" or (widget.type == "button_group" and isinstance(widget.value, list)):
        candidates_ = (list(combo) for size in range(1, len(options) + 1) for combo in combinations(options, size))
    else:
        candidates_ = iter(options)
    found = []
    for value in candidates_:
        if value not in seen:
            found.append(value)
        if len(found) == count:
            break
    return found


def locate(at: AppTest, kind: str, key: str | None, index: int):
    widgets = getattr(at, kind)
    return widgets(key=key) if key is not None else widgets[index]


def candidates(at: AppTest) -> list[tuple[str, str | None, int]]:
    found = []
    for kind in WIDGET_KINDS:
        for index, widget in enumerate(getattr(at, kind)):
            if widget.key == LANGUAGE_KEY or getattr(widget.proto, "disabled", False):
                continue
            hinted = any(hint in (widget.key or "").lower() for hint in FILTER_KEY_HINTS)
            found.append((0 if hinted else 1, kind, widget.key, index))
    return [(kind, key, index) for _rank, kind, key, index in sorted(found, key=lambda item: item[0])]


def set_and_run(at: AppTest, kind: str, key: str | None, index: int, value) -> float:
    locate(at, kind, key, index).set_value(value)
    started = time.perf_counter()
    at.run(timeout=TIMEOUT_S)
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the map page raised: {at.exception[0].message}")
    return elapsed * 1000


def find_filter(at: AppTest):
    """The first widget that takes a changed value and back without an exception: (kind, key, index, a, b)."""
    vocabulary = vocabulary_values()
    tried = []
    for kind, key, index in candidates(at):
        try:
            pair = value_pair(locate(at, kind, key, index), vocabulary)
            if pair is None:
                continue
            set_and_run(at, kind, key, index, pair[1])
            set_and_run(at, kind, key, index, pair[0])
            return kind, key, index, pair
        except Exception as error:  # try the next widget, and say why this one was skipped
            tried.append(f"{kind}[{key or index}]: {error}")
    raise RuntimeError("no filter widget on the map page could be changed; tried: " + "; ".join(tried or ["none"]))


def search_box(at: AppTest, label: str | None):
    """(kind, key, index) of the text box with this label, or None when the page has none."""
    for index, widget in enumerate(at.text_input):
        if label is not None and widget.label == label:
            return "text_input", widget.key, index
    return None


def describe(value) -> object:
    return value if isinstance(value, (str, int, float, bool, list, type(None))) else repr(value)


def empty_app_rerun_ms(runs: int) -> list[float]:
    """AppTest's floor: reruns of the one-line empty app, for comparison."""
    at = AppTest.from_file(str(PROJECT_ROOT / "bench" / "empty_app.py"), default_timeout=TIMEOUT_S).run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def profile_script_thread() -> list:
    """Profile every following script run with pyinstrument. The page runs in AppTest's script thread and
    pyinstrument samples only the thread that starts it, so the profiler starts inside that thread."""
    from pyinstrument import Profiler
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    sessions = []
    run_script_thread = LocalScriptRunner._run_script_thread

    def profiled(self):
        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
        try:
            run_script_thread(self)
        finally:
            sessions.append(profiler.stop())

    LocalScriptRunner._run_script_thread = profiled  # type: ignore[method-assign]  # profiling the reruns
    return sessions


def write_profile(sessions: list, path: Path) -> None:
    from functools import reduce

    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    combined = reduce(Session.combine, sessions)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ConsoleRenderer(unicode=True, color=False, show_all=False).render(combined), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--unseen", type=int, default=10, help="reruns with filter values not chosen before")
    parser.add_argument("--profile", type=Path, help="write a pyinstrument report of the timed reruns here")
    parser.add_argument("--search", action="append", default=[], help="a search word (give two)")
    parser.add_argument("--search-label", help="label of the search box on the map page")
    options = parser.parse_args()
    os.chdir(PROJECT_ROOT)

    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    started = time.perf_counter()
    at.run()
    at.switch_page(MAP_PAGE)
    at.run()
    first_run_ms = (time.perf_counter() - started) * 1000
    if at.exception:
        raise RuntimeError(f"the map page raised: {at.exception[0].message}")
    searched = search_box(at, options.search_label) if len(options.search) == 2 else None
    if searched is not None:
        kind, key, index = searched
        value_a, value_b = options.search
        set_and_run(at, kind, key, index, value_a)
    else:
        kind, key, index, (value_a, value_b) = find_filter(at)
    unchanged = []
    for _ in range(max(options.warmup, 1)):
        started = time.perf_counter()
        at.run()
        unchanged.append((time.perf_counter() - started) * 1000)
    for warm in range(options.warmup):
        set_and_run(at, kind, key, index, value_b if warm % 2 == 0 else value_a)

    times = []
    for run in range(options.runs):
        # alternate so every timed run is a real change of the filter
        times.append(set_and_run(at, kind, key, index, value_b if run % 2 == 0 else value_a))
    # a combination nobody has chosen since the server started: the page builds and prepares a new map
    vocabulary = vocabulary_values()
    unseen = (
        []
        if searched is not None
        else unseen_values(locate(at, kind, key, index), vocabulary, [value_a, value_b], options.unseen)
    )
    unseen_times = [set_and_run(at, kind, key, index, value) for value in unseen]
    set_and_run(at, kind, key, index, value_a)
    if options.profile:
        # extra reruns after the timed ones, so the profiler's overhead never enters the figures
        sessions = profile_script_thread()
        for run in range(options.runs):
            set_and_run(at, kind, key, index, value_b if run % 2 == 0 else value_a)
        write_profile(sessions, options.profile)

    result = {
        "rerun_ms": [round(value, 2) for value in times],
        "widget": {"kind": kind, "key": key, "index": index, "values": [describe(value_a), describe(value_b)]},
        "first_run_ms": round(first_run_ms, 1),
        "unseen_filter_rerun_ms": [round(value, 2) for value in unseen_times],
        "unseen_values": [describe(value) for value in unseen],
        "unchanged_rerun_ms": [round(value, 2) for value in unchanged],
        "empty_app_rerun_ms": [round(value, 2) for value in empty_app_rerun_ms(max(3, min(options.runs, 10)))],
        "warmup": options.warmup,
        "included": "app.py (router, sidebar) + views/karte.py (filters, cached data and map, component call) "
        "+ AppTest's handling of the produced elements; not the websocket or the browser",
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
