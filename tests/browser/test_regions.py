"""Browser tier for `regionen` and `strukturwandel`: the choropleth draws every district, a click on the
map opens the district's profile and puts it into the URL, and neither the map nor the plotly charts
contact any origin but the app's own."""

from __future__ import annotations

import re

from geo.reference_data import read_layer
from tests.browser.support import foreign_origins, map_frame

PLOTLY_CHART = "[data-testid='stPlotlyChart'] .main-svg"


def test_choropleth_draws_one_shape_per_district(page, app_url):
    page.goto(f"{app_url}/regionen")
    frame = map_frame(page)
    district_count = len(read_layer("districts_web"))
    assert district_count == 67
    # one clickable polygon per district; state borders and the selection outline are not interactive
    shapes = frame.locator("path.leaflet-interactive")
    shapes.nth(district_count - 1).wait_for(timeout=20_000)
    assert shapes.count() == district_count
    legend = frame.locator(".standortatlas-legend")
    assert "Bevölkerungsdichte (2018)" in legend.inner_text()
    assert "Einwohner je km²" in legend.inner_text()
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_unverified_aid_is_drawn_hatched(page, app_url):
    page.goto(f"{app_url}/regionen?indicator=aid_area")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(66).wait_for(timeout=20_000)
    hatched = frame.locator("path.leaflet-interactive[fill='url(#standortatlas-hatch)']")
    districts = read_layer("districts")
    assert hatched.count() == int((districts["aid_area"] == "not verified").sum()) > 0
    assert frame.locator("#standortatlas-hatch").count() == 1


def test_click_on_a_district_opens_its_profile(page, app_url):
    page.goto(f"{app_url}/regionen")
    frame = map_frame(page)
    shape = frame.locator("path.leaflet-interactive").nth(40)
    shape.wait_for(timeout=20_000)
    box = shape.bounding_box()
    # click inside the polygon's box near its centre; any district is fine, the profile must follow
    frame.locator(".leaflet-container").click(position={
        "x": box["x"] + box["width"] / 2 - frame.locator(".leaflet-container").bounding_box()["x"],
        "y": box["y"] + box["height"] / 2 - frame.locator(".leaflet-container").bounding_box()["y"]})
    page.get_by_role("heading", name=re.compile(r"^Profil: ")).wait_for(timeout=20_000)
    assert re.search(r"[?&]district=\d{5}", page.url)
    page.locator(PLOTLY_CHART).first.wait_for(timeout=20_000)


def test_profile_and_zone_pages_contact_no_third_party(page, app_url):
    page.goto(f"{app_url}/regionen?district=15002")
    page.get_by_role("heading", name="Profil: Halle (Saale)").wait_for(timeout=30_000)
    map_frame(page)
    page.locator(PLOTLY_CHART).first.wait_for(timeout=20_000)
    page.goto(f"{app_url}/strukturwandel?zone=mitteldeutsch")
    page.get_by_role("heading", name="Mitteldeutsches Revier").wait_for(timeout=30_000)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=20_000)
    page.locator(PLOTLY_CHART).first.wait_for(timeout=20_000)
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_pages_switch_to_english(page, app_url):
    page.goto(app_url)
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).wait_for(timeout=30_000)
    page.goto(f"{app_url}/regionen?district=15002")
    page.get_by_role("heading", name="Profil: Halle (Saale)").wait_for(timeout=30_000)
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Profile: Halle (Saale)").wait_for(timeout=30_000)
    assert "district=15002" in page.url  # the district stays in the URL as its key, whatever the language
    legend = map_frame(page).locator(".standortatlas-legend")
    legend.get_by_text("Population density (2018)").wait_for(timeout=20_000)
    assert "inhabitants per km²" in legend.inner_text()
    page.locator("[data-testid='stSidebar']").get_by_text("Structural change", exact=True).click()
    page.get_by_role("heading", name="Lusatian coal region").wait_for(timeout=30_000)
