"""Browser tier: start `streamlit run` on a free port, wait for /_stcore/health, drive Debian's Chromium.

Every test gets a fresh page whose requests are recorded (`page.requested_origins`), and a screenshot is
saved under test-artifacts/ when a test fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    map_frame,
    origin_of,
    start_streamlit,
    stop,
)


def pytest_collection_modifyitems(config, items):
    """Browser tests need Debian's Chromium: skipped without it on a developer's machine, an error in CI.
    (The tier itself is set by tests/conftest.py from what a test runs.)"""
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests")
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    process, base_url, _log = start_streamlit()
    yield base_url
    stop(process)


@pytest.fixture(scope="module")
def served_url() -> Iterator[str]:
    """The app as `make run` serves it (serve.py: its page with the first paint's style, hold and load
    hints), on a free port."""
    process, base_url, _log = start_streamlit("serve.py", extra_args=["--server.fileWatcherType", "none"])
    yield base_url
    stop(process)


@pytest.fixture(scope="session")
def warm_app(browser, app_url) -> str:
    """The app's URL after one visit to its map, so the server's caches are warm before timed checks."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(app_url)
    map_frame(page, timeout=60_000)
    context.close()
    return app_url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="de-DE")
    new_page = context.new_page()
    new_page.requested_origins = set()
    new_page.on("request", lambda req: new_page.requested_origins.add(origin_of(req.url)))
    new_page.on("websocket", lambda ws: new_page.requested_origins.add(origin_of(ws.url)))
    yield new_page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        new_page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
