"""The atlas map in headless Chromium: every site drawn, filters applied in the browser without a remount,
a click or a single search hit opens the profile, deep links restore the view, unknown link values are
named, the map comes first on desktop and phone, and no origin but the app's own is contacted."""

from __future__ import annotations

from functools import lru_cache

import pytest

from geo.sites.filters import SiteFilter, filter_sites
from geo.store import read_sites_for_app
from geo.store.reference import read_table
from tests.browser.support import (
    MAP,
    foreign_origins,
    map_document,
    map_search,
    render_count,
    wait_for_new_render,
)

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


def click_in_view(page, marker) -> None:
    """Bring the whole map into view first: Leaflet misses a click that Playwright makes while it
    scrolls the page around the map."""
    page.locator(MAP).scroll_into_view_if_needed()
    marker.click()


def wait_for_drawn_sites(frame, expected: int, timeout: float = 20_000) -> int:
    frame.wait_for_function(f"({COUNT_DRAWN})() === {expected}", timeout=timeout)
    return frame.evaluate(COUNT_DRAWN)


def map_instance(frame) -> str:
    return frame.evaluate("window.atlasMap._atlasInstance")


def test_every_site_is_drawn(page, app_url):
    page.goto(app_url)
    frame = map_document(page)
    total = len(bundled_sites())
    assert render_count(frame)[1] == total
    assert wait_for_drawn_sites(frame, total) == total
    assert frame.locator(f"{MAP} [role=status]").inner_text() == f"{total} von {total} Standorten"
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_typed_search_redraws_the_same_map(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    instance = map_instance(frame)
    sequence, _ = render_count(frame)
    expected = expected_count(SiteFilter(query="Kreativ"))
    assert 1 < expected < len(bundled_sites())
    search = map_search(page)
    search.fill("Kreativ")
    search.press("Enter")
    sequence, shown = wait_for_new_render(frame, sequence)
    assert shown == expected
    assert wait_for_drawn_sites(frame, expected) == expected
    assert map_instance(frame) == instance  # no remount, no second Leaflet
    page.wait_for_url("**q=Kreativ**", timeout=20_000)  # the map draws first, then the server writes the URL
    # the search runs on folded text in the browser, as on the server: "Goerlitz" finds Görlitz
    search.fill("Goerlitz")
    search.press("Enter")
    _, shown = wait_for_new_render(frame, sequence)
    assert shown == expected_count(SiteFilter(query="Goerlitz")) > 0
    assert map_instance(frame) == instance


# From now on, count the arguments Streamlit hands the map that carry the search `q` (the server's answer to
# it), and note the first draw after this point with how many such answers had arrived by then. The counter
# wraps the engine's entry, so it runs before the map's own handling.
WATCH_SEARCH = """q => {
    window.testAnswers = 0;
    const mount = window.atlasEngine.mountStreamlit;
    window.atlasEngine.mountStreamlit = function (component) {
        if (component.data.sites && component.data.sites.filter.q === q) { window.testAnswers += 1; }
        return mount.apply(this, arguments);
    };
    window.testFirstDraw = null;
    new MutationObserver((records, observer) => {
        observer.disconnect();
        window.testFirstDraw = {signal: document.body.dataset.atlasRender, answers: window.testAnswers,
                                status: document.querySelector('.sa-status').textContent};
    }).observe(document.body, {attributes: true, attributeFilter: ['data-atlas-render']});
}"""


def test_a_typed_search_is_drawn_before_the_server_answers(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    instance = map_instance(frame)
    sequence, _ = render_count(frame)
    expected, total = expected_count(SiteFilter(query="Kreativ")), len(bundled_sites())
    frame.evaluate(WATCH_SEARCH, "kreativ")
    search = map_search(page)
    search.fill("Kreativ")
    search.press("Enter")
    frame.wait_for_function("window.testFirstDraw !== null", timeout=10_000)
    first = frame.evaluate("window.testFirstDraw")
    drawn_sequence, shown = (int(part) for part in first["signal"].split(":"))
    assert first["answers"] == 0, "the map waited for the server"
    assert drawn_sequence > sequence and shown == expected
    assert first["status"] == f"{expected} von {total} Standorten"
    # then the server puts the search into the URL and answers with the same filter: no second draw
    page.wait_for_url("**q=Kreativ**", timeout=20_000)
    frame.wait_for_function("window.testAnswers > 0", timeout=20_000)
    frame.evaluate("() => new Promise(resolve => setTimeout(resolve, 0))")  # let the answer be applied
    assert render_count(frame) == (drawn_sequence, expected)
    assert map_instance(frame) == instance
    assert search.input_value() == "Kreativ"


def test_a_pause_while_typing_searches_without_enter(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    expected = expected_count(SiteFilter(query="Kreativ"))
    map_search(page).press_sequentially("Kreativ", delay=30)
    frame.wait_for_function(f"document.body.dataset.atlasRender.endsWith(':{expected}')", timeout=10_000)
    page.wait_for_url("**q=Kreativ**", timeout=20_000)


def test_a_deep_link_search_fills_the_field_and_the_map(page, app_url):
    page.goto(f"{app_url}/karte?q=G%C3%B6rlitz")
    frame = map_document(page)
    assert render_count(frame)[1] == expected_count(SiteFilter(query="Görlitz")) > 0
    assert map_search(page).input_value() == "Görlitz"
    # the filter reset empties the field as well
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Filter zurücksetzen").click()
    frame.wait_for_function(f"document.body.dataset.atlasRender.endsWith(':{len(bundled_sites())}')")
    assert map_search(page).input_value() == ""
    page.wait_for_url(lambda url: "q=" not in url, timeout=20_000)  # written at the end of the server's run


def test_a_single_search_hit_opens_its_profile_in_context(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    sequence, _ = render_count(frame)
    search = map_search(page)
    search.fill(SITE_NAME)
    search.press("Enter")
    _, shown = wait_for_new_render(frame, sequence)
    assert shown == 1
    page.locator(PROFILE).get_by_role("heading", name=SITE_NAME).wait_for(timeout=20_000)
    assert f"site={SITE_ID}" in page.url
    # a useful context: districts and towns around it, not the 3 km scale
    assert frame.evaluate("window.atlasMap.getZoom()") <= 10


def test_clicking_a_marker_opens_its_profile(page, app_url):
    site_filter = SiteFilter(programs=("kreativort_sachsen",))
    page.goto(f"{app_url}/?program=kreativort_sachsen")
    frame = map_document(page)
    wait_for_drawn_sites(frame, expected_count(site_filter))
    marker = frame.locator(".sa-site-marker").first
    label = marker.locator(".sa-sr").inner_text()  # "Name (program)"
    name = label.rsplit(" (", 1)[0]
    instance = map_instance(frame)
    click_in_view(page, marker)
    page.locator(PROFILE).get_by_role("heading", name=name).wait_for(timeout=20_000)
    assert "site=" in page.url
    # the chosen site is ringed on the same, not remounted, map
    frame.wait_for_selector("path.sa-selected", timeout=10_000)
    assert map_instance(frame) == instance
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_keyboard_reaches_sites_without_passing_district_outlines(page, app_url):
    page.goto(f"{app_url}/?program=kreativort_sachsen")
    frame = map_document(page)
    wait_for_drawn_sites(frame, expected_count(SiteFilter(programs=("kreativort_sachsen",))))
    # the outlines take no tab stop; in the map, its sites and clusters come first
    assert frame.locator("path[tabindex]").count() == 0
    focusable = frame.evaluate("""() => [...document.querySelectorAll(
            '.sa-map [tabindex="0"], .sa-map a[href], .sa-map button')]
        .filter(el => !el.closest('.leaflet-control-container')).map(el => el.className.baseVal ?? el.className)""")
    assert any("sa-site-marker" in name for name in focusable[:3])
    marker = frame.locator(".sa-site-marker").last
    name = marker.locator(".sa-sr").inner_text().rsplit(" (", 1)[0]
    assert marker.get_attribute("role") == "button" and marker.get_attribute("tabindex") == "0"
    page.locator(MAP).scroll_into_view_if_needed()
    marker.focus()
    marker.press("Enter")
    page.locator(PROFILE).get_by_role("heading", name=name).wait_for(timeout=20_000)


def test_tooltip_near_the_top_edge_opens_downwards(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    # move the northernmost site to the top edge of the map, then hover it
    frame.evaluate("""() => {
        const map = window.atlasMap; let top = null;
        map.eachLayer(layer => { if (layer.options && layer.options.siteIndex !== undefined
            && (!top || layer.getLatLng().lat > top.getLatLng().lat)) { top = layer; } });
        map.setView(top.getLatLng(), 12, {animate: false});
        map.panBy([0, map.getSize().y / 2 - 30], {animate: false});  // the site ends 30 px below the top
        top.fire("mouseover", {latlng: top.getLatLng()}, true);  // as the pointer would
    }""")
    tooltip = frame.locator(".sa-site-tip")
    tooltip.wait_for(timeout=5_000)
    assert "leaflet-tooltip-bottom" in tooltip.get_attribute("class")
    assert tooltip.bounding_box()["y"] >= 0


def test_deep_link_restores_filters_and_site(page, app_url):
    site_filter = SiteFilter(states=("SN",), programs=("kreativort_mitteldeutschland", "weitere_orte"))
    expected = expected_count(site_filter)
    filters = "state=SN&program=kreativort_mitteldeutschland&program=weitere_orte"
    page.goto(f"{app_url}/?{filters}")
    frame = map_document(page)
    assert wait_for_drawn_sites(frame, expected) == expected
    frame.get_by_text(f"{expected} von {len(bundled_sites())} Standorten").wait_for()
    assert page.get_by_role("button", name="Filter (2 aktiv)").is_visible()
    # with a site: its profile opens (and the map opens the cluster hiding it)
    page.goto(f"{app_url}/?{filters}&site={SITE_ID}")
    frame = map_document(page)
    page.locator(PROFILE).get_by_role("heading", name=SITE_NAME).wait_for()
    frame.get_by_text(f"{expected} von {len(bundled_sites())} Standorten").wait_for()
    frame.wait_for_selector("path.sa-selected", timeout=10_000)
    assert "state=SN" in page.url and f"site={SITE_ID}" in page.url
    # the sites page keeps the same view when reached through the map page's link
    page.get_by_role("link", name="Dieselben Standorte als Tabelle").click()
    page.wait_for_url("**/standorte?**")
    page.get_by_text(f"{expected} von {len(bundled_sites())} Standorten").wait_for()
    page.locator(PROFILE).get_by_role("heading", name=SITE_NAME).wait_for()
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_unknown_link_values_are_named_not_dropped_silently(page, app_url):
    page.goto(f"{app_url}/karte?state=XX&program=foo&site=nope")
    map_document(page)
    alerts = page.locator("[data-testid=stAlert]")
    alerts.filter(has_text="XX").wait_for(timeout=15_000)
    assert alerts.filter(has_text="foo").count() == 1
    assert alerts.filter(has_text="nope").count() == 1


def test_deep_link_restores_the_language(page, app_url):
    page.goto(f"{app_url}/?lang=en&site={SITE_ID}")
    frame = map_document(page)
    total = len(bundled_sites())
    frame.get_by_text(f"{total} of {total} sites").wait_for(timeout=15_000)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert frame.evaluate("document.documentElement.lang") == "en"


def test_unreachable_tile_server_is_named_and_the_map_keeps_working(page, app_url):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    page.get_by_text("Hintergrundkarte laden").click()
    frame.get_by_text("nicht erreichbar").wait_for(timeout=20_000)
    sequence, _ = render_count(frame)
    search = map_search(page)
    search.fill("Kreativ")
    search.press("Enter")
    assert wait_for_new_render(frame, sequence)[1] == expected_count(SiteFilter(query="Kreativ"))


def test_desktop_shows_the_whole_map_without_scrolling(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{app_url}/karte")
    map_document(page)
    box = page.locator(MAP).bounding_box()
    assert box["y"] < 260, "filters above the map stay compact"
    assert box["y"] + box["height"] <= 900 and box["height"] >= 500
    title_top = page.locator("h1").first.bounding_box()["y"]
    assert title_top < 90


def test_phone_shows_map_in_first_screen_then_profile(browser, app_url):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="de-DE", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?site={SITE_ID}")
        map_document(page)
        profile = page.locator(PROFILE)
        profile.wait_for()
        map_box = page.locator(MAP).bounding_box()
        profile_box = profile.bounding_box()
        assert map_box["y"] < 844 - 200, "the map starts within the first screen"
        assert map_box["y"] + map_box["height"] <= profile_box["y"]
        assert map_box["x"] >= 0 and map_box["x"] + map_box["width"] <= 390
        assert profile_box["x"] + profile_box["width"] <= 390
        assert page.get_by_role("button", name="Filter").is_visible()  # filters one tap away
    finally:
        context.close()
