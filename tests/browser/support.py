"""Helpers for the browser tier: a Streamlit server on a free port and origin bookkeeping."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.browser import free_port, wait_for_health

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM = os.environ.get("STANDORTATLAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Streamlit's lines when it has bound its port, and when another program holds the port already
SERVING = re.compile(r"You can now view|server started on")
PORT_TAKEN = re.compile(r"Port \d+ is not available")


def start_streamlit(
    script: str = "app.py", extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None
) -> tuple[subprocess.Popen, str, Path]:
    """A Streamlit server of this checkout on a free port. Several checkouts share the machine: a port that
    was free when chosen may be taken before Streamlit binds it (Streamlit then exits, and the health check
    would reach the other server), so the server's own log has to say it serves, else another port is tried."""
    taken: set[int] = set()
    for _attempt in range(5):
        port = free_port(taken)
        taken.add(port)
        started = _start_on(port, script, extra_env, extra_args)
        if started is not None:
            return started
    raise RuntimeError(f"no free port for streamlit (tried {sorted(taken)})")


def _start_on(
    port: int, script: str, extra_env: dict[str, str] | None, extra_args: list[str] | None
) -> tuple[subprocess.Popen, str, Path] | None:
    log_path = ARTIFACTS / f"streamlit-{port}.log"
    ARTIFACTS.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
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
        *(extra_args or []),
    ]
    log = log_path.open("w")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        if PORT_TAKEN.search(text) or process.poll() is not None:
            stop(process)
            return None
        if SERVING.search(text):
            break
        time.sleep(0.1)
    try:
        wait_for_health(base_url, process)
    except Exception:
        process.kill()
        raise
    return process, base_url, log_path


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https", "ws", "wss") else parts.scheme


def foreign_origins(origins: set[str], *allowed_urls: str) -> set[str]:
    """The origins a page contacted beyond the given app URLs (http and ws of the same host count as
    one) and beyond the browser's own schemes (data:, blob:, about:)."""
    allowed_hosts = {urlsplit(url).netloc for url in allowed_urls}
    return {
        origin
        for origin in origins
        if origin not in ("data", "blob", "about", "chrome-extension") and urlsplit(origin).netloc not in allowed_hosts
    }


MAP_FRAME = "iframe[title='Standortatlas map']"  # the atlas map component (views/atlas_map.py)


def map_frame(page, timeout: float = 30_000):
    """The atlas map's iframe (a FrameLocator) once the markers of its first filter are drawn."""
    page.wait_for_selector(MAP_FRAME, timeout=timeout)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("body[data-atlas-render]").wait_for(state="attached", timeout=timeout)
    return frame


def map_document(page, timeout: float = 30_000):
    """The atlas map's document (a Frame, for evaluate) once the markers of its first filter are drawn."""
    map_frame(page, timeout)
    return page.query_selector(MAP_FRAME).content_frame()


def map_search(page, label: str = "Suche in Name, Ort und Beschreibung"):
    """The map page's search field, which is part of the map (inside its frame); `label` in the page's
    language."""
    return page.frame_locator(MAP_FRAME).first.get_by_role("searchbox", name=label)


def render_count(frame) -> tuple[int, int]:
    """(sequence, sites shown) of the map's last completed draw."""
    sequence, shown = frame.evaluate("document.body.dataset.atlasRender").split(":")
    return int(sequence), int(shown)


def wait_for_new_render(frame, after_sequence: int, timeout: float = 20_000) -> tuple[int, int]:
    """Wait until the map completes a draw after `after_sequence`; returns (sequence, sites shown)."""
    frame.wait_for_function(f"parseInt(document.body.dataset.atlasRender || '0') > {after_sequence}", timeout=timeout)
    return render_count(frame)
