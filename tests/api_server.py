"""A running API for the tests' clients: `uvicorn --factory geo.api.app:standalone` in its own process (GDAL
and OWSLib then talk HTTP to a real server, and a client that holds the interpreter does not stall it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


SERVER = [sys.executable, "-m", "uvicorn", "--factory", "geo.api.app:standalone", "--host", "127.0.0.1"]


def _wait_until_up(url: str, process: subprocess.Popen, log, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/conformance", timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"the API did not start:\n{log.read().decode(errors='replace')}") from None
            time.sleep(0.1)


@contextmanager
def running_api(extra_env: dict[str, str] | None = None, timeout: float = 60.0) -> Iterator[str]:
    """Start the API on a free port and yield its address (…/api); stop it afterwards."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    with tempfile.TemporaryFile() as log:
        command = [*SERVER, "--port", str(port), "--log-level", "warning"]
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/api"
        try:
            _wait_until_up(url, process, log, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
