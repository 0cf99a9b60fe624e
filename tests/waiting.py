"""Waiting on a condition instead of sleeping a fixed time, for tests that watch other processes."""

from __future__ import annotations

import time


def wait_for(condition, timeout: float = 60.0, interval: float = 0.01) -> None:
    """Return as soon as `condition()` is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(interval)
