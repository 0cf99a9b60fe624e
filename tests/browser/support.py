"""Helpers for the browser tier: a Streamlit server on a free port and origin bookkeeping."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.browser import free_port, wait_for_health

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# a test tool: the tests put it into the page from node_modules; the app never serves it to visitors
AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
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


def start_streamlit(
    script: str = "app.py", extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None
) -> tuple[subprocess.Popen, str, Path]:
    """A Streamlit server on a free port, healthy and really ours: on a machine shared with other test runs
    another server may take the port first and answer the health check, while ours exits; then we try a
    new port."""
    for _attempt in range(3):
        port = free_port()
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
        try:
            wait_for_health(base_url, process)
            if listens_on(process, port):
                return process, base_url, log_path
        except Exception:
            process.kill()
            raise
        stop(process)  # another server answered on this port
    raise RuntimeError("no free port for a Streamlit server after 3 attempts")


def listens_on(process: subprocess.Popen, port: int, timeout: float = 30.0) -> bool:
    """Whether `process` itself listens on `port` (False once it has exited)."""
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if any(
                connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port == port
                for connection in psutil.Process(process.pid).net_connections(kind="inet")
            ):
                return True
        except psutil.Error:
            return False
        time.sleep(0.1)
    return False


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


# Every atlas map's root element, in Streamlit's page (views/atlas_map.py: components v2, no frame).
MAP = ".sa-atlas"


def map_document(page, timeout: float = 30_000):
    """The page's Frame (for locators and evaluate) once the atlas map has drawn the markers of its first
    arguments (its render signal)."""
    page.locator(f"{MAP}[data-atlas-render]").first.wait_for(state="attached", timeout=timeout)
    return page.main_frame


map_frame = map_document  # the map was once in a frame of its own; tests read either name


def map_search(page, label: str = "Suche in Name, Ort und Beschreibung"):
    """The map page's search field, which is part of the map (above it); `label` in the page's language."""
    return page.locator(f"{MAP} .sa-search").get_by_role("searchbox", name=label)


def render_count(frame) -> tuple[int, int]:
    """(sequence, sites shown) of the map's last completed draw."""
    sequence, shown = frame.evaluate("document.body.dataset.atlasRender").split(":")
    return int(sequence), int(shown)


def wait_for_new_render(frame, after_sequence: int, timeout: float = 20_000) -> tuple[int, int]:
    """Wait until the map completes a draw after `after_sequence`; returns (sequence, sites shown)."""
    frame.wait_for_function(f"parseInt(document.body.dataset.atlasRender || '0') > {after_sequence}", timeout=timeout)
    return render_count(frame)
