"""The offline map export opens without a network in Chromium and draws its sites with the atlas's own map."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import ARTIFACTS
from tests.test_export import exported_page, sample_sites


@pytest.mark.parametrize("lang", ["de", "en"])
def test_exported_file_renders_offline_in_chromium(browser, lang, tmp_path):
    path = tmp_path / "karte.html"
    path.write_text(exported_page(lang), encoding="utf-8")
    requested = []
    context = browser.new_context(offline=True, viewport={"width": 900, "height": 700})
    # belt and braces: anything but the file itself and inline data would be a network request
    context.route(re.compile(r"^(https?|wss?)://"), lambda route: (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.locator("body[data-atlas-render]").wait_for(state="attached", timeout=15_000)
    assert page.evaluate("document.body.dataset.atlasRender").split(":")[1] == str(len(sample_sites()))
    assert page.locator("path.leaflet-interactive").count() >= 67  # the districts
    assert page.locator(".sa-cluster, .sa-site-marker").count() >= 1
    assert page.locator(".leaflet-control-zoom-fullscreen, .leaflet-control-fullscreen").count() == 0  # a slide
    legend = page.locator(".sa-legend-box")
    assert ("Programme" if lang == "de" else "Programs") in legend.inner_text()
    # the hostile name is text on the map, never markup
    assert page.evaluate("document.querySelectorAll('img[src=x]').length") == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"export-offline-{lang}.png"))
    context.close()
    assert requested == []
    assert errors == []
