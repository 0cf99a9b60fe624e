"""Checking a large upload in a process of its own, so the web server stays responsive for everyone
else while it runs (reading and checking thousands of rows holds Python's interpreter lock), with
progress reported back as (done, total) rows.

Small files are checked in the calling thread: starting a process costs more than they take.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import time
from collections.abc import Callable

from geo.imports.results import ImportResult

log = logging.getLogger(__name__)

# Above this size an upload is checked in a separate process (about 1,000 rows of a typical CSV).
SEPARATE_PROCESS_BYTES = 200 * 1024
POLL_SECONDS = 0.2
TIMEOUT_SECONDS = 600.0


class CheckFailed(RuntimeError):
    """The checking process failed or ended without a result (a bug, or the machine ran out of memory)."""


def check_upload(
    data: bytes, filename: str, *, progress: Callable[[int, int], None] | None = None, **options
) -> ImportResult:
    """`geo.imports.importer.read_user_file` for an upload; large files in a separate process."""
    from geo.imports import importer

    if len(data) < SEPARATE_PROCESS_BYTES:
        return importer.read_user_file(data, filename, progress=progress, **options)
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no state of the server's threads
    messages = context.Queue()
    worker = context.Process(target=_check, args=(messages, data, filename, options), daemon=True)
    worker.start()
    deadline = time.monotonic() + TIMEOUT_SECONDS
    try:
        while True:
            try:
                kind, payload = messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not worker.is_alive():
                    raise CheckFailed(
                        f"the checking process ended without a result (exit code {worker.exitcode})"
                    ) from None
                if time.monotonic() > deadline:
                    raise CheckFailed(f"checking took longer than {TIMEOUT_SECONDS:.0f} s") from None
                continue
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "result":
                return payload
            else:
                raise CheckFailed(payload)
    finally:
        worker.join(timeout=5)
        if worker.is_alive():
            worker.kill()
            worker.join(timeout=5)


def _check(messages, data: bytes, filename: str, options: dict) -> None:
    """The separate process: check, sending progress and then the result (or the failure's traceback)."""
    import traceback

    from geo.imports import importer

    try:
        result = importer.read_user_file(
            data, filename, progress=lambda done, total: messages.put(("progress", (done, total))), **options
        )
        messages.put(("result", result))
    except BaseException:  # reported to the server, which logs it and tells the steward
        messages.put(("error", traceback.format_exc()))
