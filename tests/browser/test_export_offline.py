"""The standalone map export opens offline in Chromium (the browser tier shares one Chromium)."""

from __future__ import annotations

import re

import pytest

from geo.maps.export import standalone_map_html
from tests.browser.support import ARTIFACTS
from tests.test_export import sample_map


@pytest.fixture(scope="module")
def exported() -> str:
    return standalone_map_html(sample_map(), title="Standortatlas <Test>", lang="de").decode("utf-8")


def test_exported_file_renders_offline_in_chromium(browser, exported, tmp_path):
    path = tmp_path / "karte.html"
    path.write_text(exported, encoding="utf-8")
    requested = []
    context = browser.new_context(offline=True, viewport={"width": 900, "height": 700})
    # belt and braces: anything but the file itself and inline data would be a network request
    context.route(re.compile(r"^(https?|wss?)://"), lambda route: (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.locator(".leaflet-container").wait_for(timeout=10_000)
    page.locator("path.leaflet-interactive").nth(1).wait_for(timeout=10_000)
    assert page.locator("path.leaflet-interactive").count() >= 2
    assert page.locator(".marker-cluster").count() >= 1  # the three close sites form a cluster
    assert page.locator(".leaflet-control-zoom-fullscreen, .leaflet-control-fullscreen").count() >= 1
    marker_loaded = page.evaluate(
        "() => [...document.querySelectorAll('img.leaflet-marker-icon')].every(img => img.naturalWidth > 0)"
    )
    assert marker_loaded
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "export-offline.png"))
    context.close()
    assert requested == []
    assert errors == []
