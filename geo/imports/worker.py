"""Checking an upload in a process of its own, within a time and a memory limit, with progress reported
back as (done, total) rows.

Every upload is checked this way, a small one too, and so is a file the command line checks: a file of a
few kilobytes can still make GDAL or SQLite compute without end or fill the memory (a GeoPackage view over
a recursive query was one), and in the web server's own thread nothing could stop that. The process keeps
the server responsive for everyone else (checking thousands of rows holds Python's interpreter lock), and
is stopped when it takes longer than `check_seconds()` or holds more memory of its own than
`check_memory_mb()` (its private pages, watched every WATCH_SECONDS; an address-space limit stops a faster
burst: allocations beyond it fail in the process).
Either way the steward reads why, and nothing is changed.

The processes come from a fork server that has imported the importer once, so a check starts in
milliseconds rather than in the seconds a fresh interpreter needs for geopandas; a forked process holds
none of the server's threads.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import queue
import resource
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from multiprocessing.context import ForkServerContext
from pathlib import Path

from geo import store
from geo.imports.results import ImportResult, Problem
from geo.texts import Num, both

log = logging.getLogger(__name__)

WATCH_SECONDS = 0.05
CHECK_SECONDS_ENV = "STANDORTATLAS_IMPORT_CHECK_SECONDS"
DEFAULT_CHECK_SECONDS = 300.0  # 20,000 rows with their surroundings are checked in well under a minute
CHECK_MEMORY_ENV = "STANDORTATLAS_IMPORT_CHECK_MB"
DEFAULT_CHECK_MEMORY_MB = 1024  # a 20,000-row check holds about 150 MB of its own
# Libraries reserve address space they do not use (pyarrow's allocator 1 GiB at once): the hard limit on the
# address space allows that much beside the memory limit, which the resident size enforces.
_RESERVED_ADDRESS_SPACE = 2 * 1024 * 1024 * 1024
_MEMORY_EXHAUSTED = "memory"
_start_lock = threading.Lock()


class CheckFailed(RuntimeError):
    """The checking process failed or ended without a result (a bug, or it was killed from outside)."""


def check_seconds() -> float:
    """The time limit of one check (env STANDORTATLAS_IMPORT_CHECK_SECONDS, default 300)."""
    try:
        return max(1.0, float(os.environ.get(CHECK_SECONDS_ENV, DEFAULT_CHECK_SECONDS)))
    except ValueError:
        return DEFAULT_CHECK_SECONDS


def check_memory_mb() -> int:
    """The memory one checking process may hold (env STANDORTATLAS_IMPORT_CHECK_MB, default 1024)."""
    try:
        return max(64, int(os.environ.get(CHECK_MEMORY_ENV, DEFAULT_CHECK_MEMORY_MB)))
    except ValueError:
        return DEFAULT_CHECK_MEMORY_MB


@functools.cache
def _processes() -> ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    context.set_forkserver_preload(["geo.imports.importer"])
    return context


def check_upload(
    source: bytes | Path,
    filename: str | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    seconds: float | None = None,
    memory_mb: int | None = None,
    **options,
) -> ImportResult:
    """`geo.imports.importer.read_user_file` for an upload (its bytes and `filename`) or a file on disk (a
    path: the command line's), in a process of its own within `seconds` and `memory_mb` (default: the
    configured limits). A check stopped at a limit is a refused result. The process reads what `options`
    leave out (vocabularies, limits) from the project's files and the environment it was started in."""
    filename = filename or (source.name if isinstance(source, Path) else None)
    if not filename:
        raise ValueError("filename is needed with bytes: the format is taken from its extension")
    seconds = check_seconds() if seconds is None else seconds
    memory_mb = check_memory_mb() if memory_mb is None else memory_mb
    context = _processes()
    messages = context.Queue()
    worker = context.Process(target=_check, args=(messages, source, filename, memory_mb, options), daemon=True)
    with _main_script_hidden():
        worker.start()
    deadline = time.monotonic() + seconds
    try:
        while True:
            if time.monotonic() > deadline:
                log.warning("checking %r stopped after %.0f s", filename, seconds)
                return _stopped("import_check_time_limit", display_name=filename, seconds=Num(seconds, 0))
            try:
                kind, payload = messages.get(timeout=WATCH_SECONDS)
            except queue.Empty:
                kind, payload = (None, None) if worker.is_alive() else _last_message(messages, worker.exitcode)
            if kind == _MEMORY_EXHAUSTED or _private_mb(worker.pid) > memory_mb:
                log.warning("checking %r stopped at its memory limit of %d MB", filename, memory_mb)
                return _stopped("import_check_memory_limit", display_name=filename, megabytes=Num(memory_mb))
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "result":
                return payload
            elif kind == "error":
                raise CheckFailed(payload)
    finally:
        worker.kill()
        worker.join(timeout=5)


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """While a process starts, `__main__` is a module without a file. A new process imports the starting
    one's main module by its file, and under `streamlit run` that is the app script (Streamlit installs each
    page run's module as `__main__`): every check ran the whole app again, holding 80 MB more before it read
    a byte. The check needs nothing from it. (Streamlit swaps `__main__` for each run in the same way.)"""
    with _start_lock:
        main = sys.modules.get("__main__")
        spec_name = getattr(getattr(main, "__spec__", None), "name", None)
        if main is None or spec_name is not None or getattr(main, "__file__", None) is None:
            yield  # started as `python -m …` (imported by its name, guarded) or interactively: nothing to hide
            return
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


def _last_message(messages, exit_code: int | None) -> tuple[str, object]:
    """What an ended process sent last (its result can still be on its way through the pipe)."""
    try:
        return messages.get(timeout=1)
    except queue.Empty:
        raise CheckFailed(f"the checking process ended without a result (exit code {exit_code})") from None


def _stopped(key: str, **values: object) -> ImportResult:
    return ImportResult(store.empty_sites(), [Problem(None, None, *both(key, **values))])


def _private_mb(pid: int | None) -> float:
    """The memory process `pid` holds for itself, in MB: its private pages (the pages it still shares with
    the fork server it came from are not its own); 0 when it has ended."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            kilobytes = sum(
                int(line.split()[1]) for line in rollup if line.startswith(("Private_Clean", "Private_Dirty"))
            )
    except (OSError, IndexError, ValueError):
        return 0.0
    return kilobytes / 1024


def _limit_address_space(memory_mb: int) -> None:
    """What the process has mapped now, plus `memory_mb` and the reserve: beyond it allocations fail."""
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = current + memory_mb * 1024 * 1024 + _RESERVED_ADDRESS_SPACE
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _check(messages, source: bytes | Path, filename: str, memory_mb: int, options: dict) -> None:
    """The separate process: check, sending progress and then the result (or why it failed)."""
    import traceback

    from geo.imports import importer

    _limit_address_space(memory_mb)
    try:
        result = importer.read_user_file(
            source, filename, progress=lambda done, total: messages.put(("progress", (done, total))), **options
        )
        messages.put(("result", result))
    except MemoryError:
        messages.put((_MEMORY_EXHAUSTED, None))
    except BaseException:  # reported to the server, which logs it and tells the steward
        messages.put(("error", traceback.format_exc()))
