"""Browser tier for `regionen` and `strukturwandel`: the choropleth draws every district, a click on the
map opens the district's profile and puts it into the URL, the district comparison is a shareable link,
the bar labels of the charts agree with the bars, and neither the map nor the plotly charts contact any
origin but the app's own."""

from __future__ import annotations

import re

from geo.store.reference import read_layer
from tests.browser.support import foreign_origins

PLOTLY_CHART = "[data-testid='stPlotlyChart'] .main-svg"
CHOROPLETH_FRAME = "iframe[title='streamlit_folium.st_folium']"  # the districts' map (st_folium)


def map_frame(page, timeout: float = 30_000):
    """The choropleth's iframe once its Leaflet map has been drawn."""
    page.wait_for_selector(CHOROPLETH_FRAME, timeout=timeout)
    frame = page.frame_locator(CHOROPLETH_FRAME).first
    frame.locator(".leaflet-container").wait_for(timeout=timeout)
    return frame


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
    frame.locator(".leaflet-container").click(
        position={
            "x": box["x"] + box["width"] / 2 - frame.locator(".leaflet-container").bounding_box()["x"],
            "y": box["y"] + box["height"] / 2 - frame.locator(".leaflet-container").bounding_box()["y"],
        }
    )
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


def test_the_comparison_is_a_link_that_opens_the_same_districts(page, app_url):
    page.goto(f"{app_url}/regionen?compare=15002,14713")
    page.get_by_role("heading", name="Kreise vergleichen").wait_for(timeout=30_000)
    chooser = page.locator(".st-key-compare_de")
    chooser.get_by_text("Halle (Saale)").wait_for(timeout=20_000)
    assert "Leipzig (Kreisfreie Stadt)" in chooser.inner_text()
    table = page.locator("[data-testid='stTableStyledTable']").last
    assert "Halle (Saale)" in table.inner_text() and "Leipzig (Kreisfreie Stadt)" in table.inner_text()
    # removing a district updates the link
    chooser.get_by_role("button", name=re.compile("Halle")).first.click()
    page.wait_for_url(re.compile(r"[?&]compare=14713(&|$)"), timeout=20_000)


def test_bar_labels_agree_with_the_bar_lengths(page, app_url):
    page.goto(f"{app_url}/regionen?district=15002")
    page.get_by_role("heading", name="Profil: Halle (Saale)").wait_for(timeout=30_000)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".main-svg").first.wait_for(timeout=20_000)
    chart.scroll_into_view_if_needed()
    bars = chart.evaluate("""element => [...element.querySelectorAll('g.trace.bars')].map(trace =>
        [...trace.querySelectorAll('g.point')].map(point => ({
            width: point.querySelector('path').getBBox().width,
            label: (point.querySelector('text') || {}).textContent || ''})))""")
    assert bars, "no bar traces drawn"
    for trace in bars:
        numbers = [float(bar["label"].replace(".", "").replace(",", ".")) for bar in trace]
        by_length = [number for _, number in sorted(zip([bar["width"] for bar in trace], numbers, strict=True))]
        assert by_length == sorted(by_length)  # a longer bar never carries a smaller number
        widths = [round(bar["width"], 1) for bar in trace]
        assert len(set(bar["label"] for bar in trace)) == len(set(widths))  # different bars, different labels
