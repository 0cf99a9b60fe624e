"""Keyboard visitors: what opens takes the focus, a focused site names itself, and the presentation's
title is the page's heading and draws no focus box on a mouse click (German and English)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from geo.maps.symbols import program_label
from geo.texts import t
from tests.browser.support import MAP, map_document
from tests.browser.visits import DESKTOP, PHONE, PROFILE, focused_description, snapshot, visit, visitor

# Kreativorte Sachsen: a handful of single markers, no cluster in the way of the keyboard
PROGRAM = "kreativort_sachsen"
FEW_SITES = f"/karte?program={PROGRAM}"


def site_name(marker, lang: str) -> str:
    """The name of the site a marker stands for (its screen-reader text is "name (program)")."""
    return marker.locator(".sa-sr").inner_text().removesuffix(f" ({program_label(PROGRAM, lang)})")


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_filter_button_takes_the_focus_into_the_filters(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang) as page:
        visit(page, app_url, "/karte", lang)
        map_document(page)
        page.get_by_role("button", name=t("map_filters_button", lang)).focus()
        page.keyboard.press("Enter")
        first_field = t("filter_states", lang)
        page.get_by_role("combobox", name=first_field).wait_for()
        # the first filter field has the focus, or is the next tab stop
        if first_field not in focused_description(page):
            page.keyboard.press("Tab")
        assert first_field in focused_description(page)
        snapshot(page, f"keyboard-filters-{lang}-{viewport['width']}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_choosing_a_site_by_keyboard_takes_the_focus_to_its_profile(browser, app_url, lang):
    with visitor(browser, DESKTOP, lang) as page:
        visit(page, app_url, FEW_SITES, lang)
        frame = map_document(page)
        marker = frame.locator(".sa-site-marker").first
        name = site_name(marker, lang)
        page.locator(MAP).scroll_into_view_if_needed()
        marker.focus()
        page.keyboard.press("Enter")
        heading = page.locator(PROFILE).get_by_role("heading", name=name)
        heading.wait_for(timeout=20_000)
        page.wait_for_function(
            "() => document.activeElement && document.activeElement.closest('" + PROFILE + "')", timeout=10_000
        )
        # from the profile, the shortlist button (above it, with the exposé and the print view) is a few tab
        # stops away, not dozens
        shortlist = t("shortlist_add", lang)
        assert _tab_stops_to(page, shortlist, "Shift+Tab") <= 6


def _tab_stops_to(page, name: str, key: str, most: int = 12) -> int:
    """How many presses of `key` take the focus to the control named `name` (more than `most`: not found)."""
    for presses in range(most + 1):
        if name in focused_description(page):
            return presses
        page.keyboard.press(key)
    return most + 1


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_focused_site_shows_its_name(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang, touch=viewport is PHONE) as page:
        visit(page, app_url, FEW_SITES, lang)
        frame = map_document(page)
        marker = frame.locator(".sa-site-marker").first
        name = site_name(marker, lang)
        page.locator(MAP).scroll_into_view_if_needed()
        marker.focus()
        tooltip = frame.locator(".leaflet-tooltip", has_text=name)
        tooltip.wait_for(timeout=5_000)
        assert tooltip.is_visible()
        snapshot(page, f"keyboard-focused-site-{lang}-{viewport['width']}")
        # and hides again when the focus moves on
        frame.locator(".sa-site-marker").nth(1).focus()
        tooltip.wait_for(state="hidden", timeout=5_000)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_focus_on_a_cluster_or_a_zoom_button_shows_no_tooltip_and_no_error(browser, app_url, lang):
    with visitor(browser, DESKTOP, lang) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        visit(page, app_url, "/karte", lang)  # every site: clusters at the first view
        map_document(page)
        page.locator(MAP).scroll_into_view_if_needed()
        page.locator(f"{MAP} .sa-cluster").first.focus()
        zoom_in = page.locator(f"{MAP} .leaflet-control-zoom-in")
        zoom_in.focus()
        page.wait_for_timeout(300)
        assert errors == []
        assert page.locator(f"{MAP} .leaflet-tooltip").count() == 0
        # the zoom buttons are named in the page's language
        assert zoom_in.get_attribute("aria-label") == t("map_zoom_in", lang)
        assert page.locator(f"{MAP} .leaflet-control-zoom-out").get_attribute("title") == t("map_zoom_out", lang)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_slide_title_is_the_pages_heading(page, app_url, lang):
    visit(page, app_url, "/praesentation?slide=2", lang)
    headings = page.locator("h1")
    assert headings.count() == 1
    assert headings.first.inner_text() == "Brandenburg"
    visit(page, app_url, "/praesentation?slide=1", lang)
    assert page.locator("h1").first.inner_text() == t("slide_overview_title", lang)


def _head_pixels(page) -> Image.Image:
    head = page.locator("h1").first.bounding_box()
    clip = {"x": 0, "y": max(head["y"] - 20, 0), "width": page.viewport_size["width"], "height": head["height"] + 40}
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


def test_mouse_clicks_draw_no_focus_box_on_the_slide_but_the_keyboard_does(browser, app_url):
    with visitor(browser, {"width": 1920, "height": 1080}) as page:
        visit(page, app_url, "/praesentation?slide=2")
        map_document(page)
        before = _head_pixels(page)
        title = page.locator("h1").first
        assert title.get_attribute("title") is None, "a tooltip box would cover the title after a click"
        title.click()
        page.locator(MAP).click(position={"x": 300, "y": 300})
        page.get_by_role("button", name=t("present_previous", "de"), exact=True).click()
        page.locator("h1", has_text="Vier Länder").wait_for(timeout=20_000)
        page.get_by_role("button", name=t("present_next", "de"), exact=True).click()
        page.locator("h1", has_text="Brandenburg").wait_for(timeout=20_000)
        title.click()
        page.wait_for_timeout(300)
        assert ImageChops.difference(before, _head_pixels(page)).getbbox() is None, "a box was drawn at the title"
        # a keyboard visitor still sees where the focus is
        page.keyboard.press("Tab")
        ring = page.evaluate("""() => {
            const element = document.activeElement;
            const style = element.ownerDocument.defaultView.getComputedStyle(element);
            return [element.tagName, style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                || style.boxShadow !== 'none'];
        }""")
        assert ring[1], f"no focus ring on {ring[0]}"
