"""The path from data to screen: districts drawn by the app's own Leaflet, no third-party request."""

from __future__ import annotations

from geo.store.reference import read_layer
from tests.browser.support import foreign_origins, map_frame


def test_overview_draws_one_shape_per_district(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_frame(page)
    district_count = len(read_layer("districts_web"))
    # district polygons react to the pointer (name on hover); the state outlines are not interactive
    shapes = frame.locator("path.leaflet-interactive")
    shapes.nth(district_count - 1).wait_for(timeout=20_000)
    assert shapes.count() >= district_count
    assert foreign_origins(page.requested_origins, app_url) == set()
