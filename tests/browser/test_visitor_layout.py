"""Layout for laptops and phones: the site profile gets the room it needs (no words broken letter by
letter, no label over its value), a phone scrolls the page with one finger and shows what a tap opened,
the filters do not cover the map, touch targets are large enough, the comparison keeps its row labels,
the embed's attribution is not cut off and the district list narrows as one types."""

from __future__ import annotations

import pytest

from geo.texts import t
from tests.browser.support import MAP, map_document
from tests.browser.visits import (
    DESKTOP,
    LAPTOP,
    PHONE,
    PROFILE,
    box,
    broken_words,
    overlaps,
    snapshot,
    visit,
    visitor,
)

SITE = "kulturbahnhof-bad-dueben"  # a profile with district figures, surroundings and a long description
COMPARED = "kulturbahnhof-bad-dueben,green-gate-gatersleben,chemiepark-bitterfeld-wolfen"
LAPTOP_1280 = {"width": 1280, "height": 800}
MIN_TOUCH = 44  # px, WCAG 2.5.5 / the platforms' guidelines
# Each label (dt) of a profile list beside or above its value (dd), never over it.
LABEL_OVER_VALUE = """(profile) => [...profile.querySelectorAll('dt')].filter(label => {
  const value = label.nextElementSibling;
  if (!value) { return false; }
  const a = label.getBoundingClientRect(), b = value.getBoundingClientRect();
  return a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
}).map(label => label.innerText)"""


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


@pytest.mark.parametrize("viewport", [LAPTOP, LAPTOP_1280, DESKTOP, PHONE], ids=["1024", "1280", "1400", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_profile_has_room_for_its_words(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang, touch=viewport is PHONE) as page:
        visit(page, app_url, f"/karte?site={SITE}", lang)
        map_document(page)
        profile = page.locator(PROFILE)
        profile.wait_for()
        snapshot(page, f"layout-profile-{lang}-{viewport['width']}")
        assert box(profile)["width"] >= min(300, viewport["width"] - 40)
        assert broken_words(profile) == []
        assert profile.evaluate(LABEL_OVER_VALUE) == []


def _swipe_up(page, x: float, y: float, distance: int = 300, steps: int = 12) -> None:
    """One finger moves up the screen by `distance` px, as a visitor scrolls down a page: raw touch events
    through the browser's input pipeline (headless Chromium ignores a synthesized scroll gesture)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        point = {"x": x, "y": y - distance * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def _page_scroll(page) -> float:
    return page.evaluate("document.querySelector('[data-testid=stMain]').scrollTop + window.scrollY")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_on_a_phone_one_finger_scrolls_the_page_over_the_map(browser, app_url, lang):
    with visitor(browser, PHONE, lang, touch=True) as page:
        visit(page, app_url, f"/karte?site={SITE}", lang)
        frame = map_document(page)
        map_box = box(page.locator(MAP))
        assert map_box["height"] <= 0.6 * PHONE["height"], "the map leaves room to reach the page around it"
        center = frame.evaluate("[atlasMap.getCenter().lat, atlasMap.getCenter().lng]")
        before = _page_scroll(page)
        _swipe_up(page, map_box["x"] + map_box["width"] / 2, min(map_box["y"] + map_box["height"] * 0.7, 800))
        page.wait_for_timeout(500)
        assert _page_scroll(page) > before + 100, "a one-finger swipe over the map scrolls the page"
        assert frame.evaluate("[atlasMap.getCenter().lat, atlasMap.getCenter().lng]") == center
        snapshot(page, f"layout-phone-swipe-{lang}")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_on_a_phone_a_tapped_site_is_shown_or_pointed_to(browser, app_url, lang):
    with visitor(browser, PHONE, lang, touch=True) as page:
        visit(page, app_url, "/karte?program=kreativort_sachsen", lang)
        frame = map_document(page)
        marker = frame.locator(".sa-site-marker").first
        page.locator(MAP).scroll_into_view_if_needed()
        marker.tap()
        heading = page.locator(f"{PROFILE} h2")
        heading.wait_for(timeout=20_000)
        name = heading.inner_text()
        page.wait_for_timeout(800)
        snapshot(page, f"layout-phone-tap-{lang}")
        in_view = "(el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
        if heading.evaluate(in_view):
            return
        # below the fold: a cue on screen names the site and leads to its profile
        cue = page.locator("a, button", has_text=name).filter(has_not=page.locator(PROFILE))
        assert cue.count() and cue.first.evaluate(in_view), "the opened profile is neither in view nor pointed to"
        cue.first.tap()
        page.wait_for_function(in_view, arg=heading.element_handle(), timeout=5_000)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1024", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_open_filters_do_not_cover_the_map(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang, touch=viewport is PHONE) as page:
        visit(page, app_url, "/karte", lang)
        map_document(page)
        page.get_by_role("button", name=t("map_filters_button", lang)).click()
        states = page.get_by_role("combobox", name=t("filter_states", lang))
        states.wait_for()
        page.wait_for_timeout(400)
        snapshot(page, f"layout-filters-{lang}-{viewport['width']}")
        panel = page.locator("[data-testid=stPopoverBody]", has=states)  # what the visitor sees of the panel
        assert not overlaps(box(panel), box(page.locator(MAP)))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_phone_touch_targets_are_large_enough(browser, app_url, lang):
    with visitor(browser, PHONE, lang, touch=True) as page:
        visit(page, app_url, "/karte", lang)
        map_document(page)
        sidebar_toggle = page.locator("[data-testid=stExpandSidebarButton]")
        filters = page.get_by_role("button", name=t("map_filters_button", lang))
        for target in (sidebar_toggle, filters):
            size = box(target)
            assert size["width"] >= MIN_TOUCH and size["height"] >= MIN_TOUCH, target


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1024", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_comparison_keeps_its_words_and_row_labels(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang, touch=viewport is PHONE) as page:
        visit(page, app_url, f"/vergleich?sites={COMPARED}", lang)
        table = page.locator(".sa-compare table")
        table.wait_for(timeout=30_000)
        assert broken_words(table) == []
        # the third site is reached by scrolling the table, and the row labels stay in view meanwhile
        third = table.locator("thead th").nth(3)
        third.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        snapshot(page, f"layout-compare-{lang}-{viewport['width']}")
        third_box = box(third)
        assert third_box["x"] >= 0 and third_box["x"] + third_box["width"] <= viewport["width"]
        label = box(table.locator("tbody th[scope=row]").first)
        assert 0 <= label["x"] < viewport["width"] / 2
        assert not overlaps(label, third_box) or label["y"] != third_box["y"]
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= viewport["width"], "the page itself does not scroll sideways"


def _embed_host(base_url: str, lang: str, width: int, height: int) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><body style="margin:0"><iframe title="Standortatlas" '
        f'src="{base_url}/einbetten?embed=true&lang={lang}" width="{width}" height="{height}" '
        f'style="border:0"></iframe></body></html>'
    )


@pytest.mark.parametrize("size", [(320, 480), (600, 450)], ids=["320x480", "600x450"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_embeds_attribution_is_shown_whole(browser, app_url, lang, size):
    width, height = size
    with visitor(browser, {"width": width + 40, "height": height + 40}, lang) as page:
        page.set_content(_embed_host(app_url, lang, width, height))
        embed = page.frame_locator("iframe").first
        embed.locator(f"{MAP}[data-atlas-render]").wait_for(state="attached", timeout=60_000)
        attribution = embed.locator(".sa-bar-attribution")
        attribution.wait_for()
        page.wait_for_timeout(500)
        snapshot(page, f"layout-embed-{lang}-{width}x{height}")
        shown = box(attribution)
        assert shown["y"] + shown["height"] <= height + 1, "the attribution runs past the bottom of the iframe"
        assert attribution.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
        assert "CC BY 4.0" in attribution.inner_text()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_typing_narrows_the_district_list(page, app_url, lang):
    visit(page, app_url, "/regionen", lang)
    choice = page.get_by_role("combobox", name=t("choose_district", lang), exact=True)
    choice.click()
    page.keyboard.type("Görl")
    options = page.get_by_role("option")
    options.first.wait_for()
    page.wait_for_timeout(300)
    names = options.all_inner_texts()
    assert names and len(names) < 10 and all("Görlitz" in name for name in names)
    page.keyboard.press("Enter")
    page.wait_for_url("**district=14626**", timeout=20_000)
