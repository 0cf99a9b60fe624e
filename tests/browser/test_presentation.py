"""The presentation page on a 1920×1080 screen: every slide can be reached with "next" (mouse and keyboard),
the slide number is in the URL, and nothing but the app itself is contacted (tiles are off)."""

from __future__ import annotations

import re

from geo.slides import read_slide_file
from tests.browser.support import ARTIFACTS, foreign_origins, map_frame
from tests.browser.test_embed import warm_up

TITLE = ".sa-slide-title"


def wait_for_slide(page, number: int, previous_title: str | None) -> str:
    page.wait_for_url(re.compile(rf"[?&]slide={number}(&|$)") if number > 1 else re.compile(r".*"), timeout=20_000)
    if previous_title is not None:
        page.wait_for_function("([selector, old]) => { const el = document.querySelector(selector);"
                               " return el && el.innerText.trim() && el.innerText.trim() !== old; }",
                               arg=[TITLE, previous_title], timeout=20_000)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive >> visible=true").first.wait_for(timeout=20_000)
    assert page.locator("[data-testid='stException']").count() == 0
    return page.locator(TITLE).inner_text().strip()


def test_step_through_every_slide(page, app_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1920, "height": 1080})
    warm_up(page, app_url)
    page.goto(f"{app_url}/praesentation")
    total = len(read_slide_file())
    title = wait_for_slide(page, 1, None)
    assert title == "Vier Länder auf einen Blick"
    page.wait_for_timeout(500)  # let the map settle for the picture
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentation-slide-1.png"))

    titles = [title]
    next_button = page.locator(".st-key-slide_next button")
    assert "Weiter" in next_button.inner_text()
    for number in range(2, total + 1):
        next_button.click()
        titles.append(wait_for_slide(page, number, titles[-1]))
    assert len(set(titles)) == total
    assert next_button.is_disabled()
    page.screenshot(path=str(ARTIFACTS / f"presentation-slide-{total}.png"))
    assert errors == []
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_keyboard_and_reload_keep_the_slide(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    warm_up(page, app_url)
    page.goto(f"{app_url}/praesentation?slide=3&lang=en")
    third = wait_for_slide(page, 3, None)
    assert third == "Saxony"
    page.locator(TITLE).click()  # focus the page, not the map (its frame keeps arrow keys for panning)
    page.keyboard.press("ArrowRight")
    fourth = wait_for_slide(page, 4, third)
    page.reload()
    assert wait_for_slide(page, 4, None) == fourth
    # the buttons are reachable with Tab and work with Enter
    previous = page.locator(".st-key-slide_previous button")
    assert "Previous" in previous.inner_text()
    previous.focus()
    page.keyboard.press("Enter")
    assert wait_for_slide(page, 3, fourth) == third


def test_the_slide_map_downloads_as_a_file_that_works_offline(page, app_url, browser, tmp_path):
    page.set_viewport_size({"width": 1920, "height": 1080})
    warm_up(page, app_url)
    page.goto(f"{app_url}/praesentation?slide=6")
    wait_for_slide(page, 6, None)
    page.locator(".st-key-present_downloads button, [data-testid='stPopover'] button").first.click()
    with page.expect_download(timeout=30_000) as download_info:
        page.locator(".st-key-download_map button >> visible=true").click()
    path = tmp_path / "karte.html"
    download_info.value.save_as(path)

    offline = browser.new_context(offline=True, viewport={"width": 1200, "height": 800})
    requested = []
    offline.on("request", lambda request: requested.append(request.url))
    map_page = offline.new_page()
    map_page.goto(path.as_uri())
    map_page.locator(".leaflet-container").wait_for(timeout=10_000)
    map_page.locator("path.leaflet-interactive >> visible=true").first.wait_for(timeout=10_000)
    assert map_page.locator(".sa-site-marker").count() >= 1
    map_page.screenshot(path=str(ARTIFACTS / "presentation-map-offline.png"))
    offline.close()
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []
