"""The atlas in headless Chromium: every site drawn, a click opens its profile, a deep link restores the
view, the phone layout puts the profile under the map, and no origin but the app's own is contacted."""

from __future__ import annotations

from functools import lru_cache

import pytest

from geo.reference_data import read_table
from geo.site_filters import SiteFilter, filter_sites
from geo.sites_data import read_sites_for_app
from tests.browser.support import foreign_origins

MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
PROFILE = "section.sa-profile"
SITE_ID = "kulturbahnhof-bad-dueben"
SITE_NAME = "Kulturbahnhof Bad Düben"
# Sites drawn: single markers plus the children of every cluster (robust to how dense the map is).
COUNT_DRAWN = """() => {
    const pane = document.querySelector('.leaflet-marker-pane');
    if (!pane) { return -1; }
    const single = pane.querySelectorAll('.sa-site-marker').length;
    const clustered = [...pane.querySelectorAll('.sa-cluster-count')]
        .reduce((sum, element) => sum + parseInt(element.textContent, 10), 0);
    return single + clustered;
}"""


@lru_cache(maxsize=1)
def bundled_sites():
    return read_sites_for_app()


def expected_count(site_filter: SiteFilter) -> int:
    return len(filter_sites(bundled_sites(), site_filter, read_table("zone_districts")))


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


def map_document(page, timeout: float = 30_000):
    """The map component's frame, once Leaflet and the site markers are on the page."""
    page.wait_for_selector(MAP_IFRAME, timeout=timeout)
    frame = page.query_selector(MAP_IFRAME).content_frame()
    frame.wait_for_selector(".leaflet-marker-pane", state="attached", timeout=timeout)
    return frame


def click_in_view(page, marker) -> None:
    """Bring the whole map into view first: Leaflet misses a click that Playwright makes while it
    scrolls the page around the map's frame."""
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    marker.click()


def chosen_chips(page) -> list[str]:
    return page.eval_on_selector_all("[data-testid=stMultiSelect] .react-aria-ComboBox [data-tag]",
                                     "tags => tags.map(tag => tag.getAttribute('aria-label'))")


def wait_for_drawn_sites(frame, expected: int, timeout: float = 20_000) -> int:
    frame.wait_for_function(f"({COUNT_DRAWN})() === {expected}", timeout=timeout)
    return frame.evaluate(COUNT_DRAWN)


def test_every_site_is_drawn(page, app_url):
    page.goto(app_url)
    frame = map_document(page)
    total = len(bundled_sites())
    assert wait_for_drawn_sites(frame, total) == total
    assert page.get_by_text(f"{total} von {total} Standorten").is_visible()
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_clicking_a_marker_opens_its_profile(page, app_url):
    site_filter = SiteFilter(programs=("kreativort_sachsen",))
    page.goto(f"{app_url}/?program=kreativort_sachsen")
    frame = map_document(page)
    wait_for_drawn_sites(frame, expected_count(site_filter))
    marker = frame.locator(".sa-site-marker").first
    label = marker.locator(".sa-sr").inner_text()  # "Name (program)"
    name = label.rsplit(" (", 1)[0]
    click_in_view(page, marker)
    page.locator(PROFILE).get_by_role("heading", name=name).wait_for(timeout=20_000)
    assert "site=" in page.url
    # the chosen site is ringed on the same, not remounted, map
    frame.wait_for_selector("path.sa-selected", timeout=10_000)
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_a_marker_works_by_keyboard(page, app_url):
    page.goto(f"{app_url}/?program=kreativort_sachsen")
    frame = map_document(page)
    wait_for_drawn_sites(frame, expected_count(SiteFilter(programs=("kreativort_sachsen",))))
    marker = frame.locator(".sa-site-marker").last
    name = marker.locator(".sa-sr").inner_text().rsplit(" (", 1)[0]
    assert marker.get_attribute("role") == "button" and marker.get_attribute("tabindex") == "0"
    page.locator(MAP_IFRAME).scroll_into_view_if_needed()
    marker.focus()
    marker.press("Enter")
    page.locator(PROFILE).get_by_role("heading", name=name).wait_for(timeout=20_000)


def test_deep_link_restores_filters_and_site(page, app_url):
    site_filter = SiteFilter(states=("SN",), programs=("kreativort_mitteldeutschland", "weitere_orte"))
    expected = expected_count(site_filter)
    filters = "state=SN&program=kreativort_mitteldeutschland&program=weitere_orte"
    page.goto(f"{app_url}/?{filters}")
    frame = map_document(page)
    assert wait_for_drawn_sites(frame, expected) == expected
    page.get_by_text(f"{expected} von 97 Standorten").wait_for()
    assert chosen_chips(page) == ["Sachsen", "Kreativort Mitteldeutschland", "Weitere Orte"]
    # with a site: its profile opens (and the map opens the cluster hiding it)
    page.goto(f"{app_url}/?{filters}&site={SITE_ID}")
    map_document(page)
    page.locator(PROFILE).get_by_role("heading", name=SITE_NAME).wait_for()
    page.get_by_text(f"{expected} von 97 Standorten").wait_for()
    assert "state=SN" in page.url and f"site={SITE_ID}" in page.url
    # the sites page keeps the same view when reached through the map page's link
    page.get_by_role("link", name="Dieselben Standorte als Tabelle").click()
    page.wait_for_url("**/standorte?**")
    page.get_by_text(f"{expected} von 97 Standorten").wait_for()
    page.locator(PROFILE).get_by_role("heading", name=SITE_NAME).wait_for()
    assert chosen_chips(page) == ["Sachsen", "Kreativort Mitteldeutschland", "Weitere Orte"]
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_deep_link_restores_the_language(page, app_url):
    page.goto(f"{app_url}/?lang=en&site={SITE_ID}")
    map_document(page)
    page.get_by_text("97 of 97 sites").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "en"


def test_phone_shows_map_then_profile(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?site={SITE_ID}")
        map_document(page)
        profile = page.locator(PROFILE)
        profile.wait_for()
        map_box = page.locator(MAP_IFRAME).bounding_box()
        profile_box = profile.bounding_box()
        assert map_box["y"] + map_box["height"] <= profile_box["y"]
        assert map_box["x"] >= 0 and map_box["x"] + map_box["width"] <= 390
        assert profile_box["x"] + profile_box["width"] <= 390
    finally:
        context.close()
