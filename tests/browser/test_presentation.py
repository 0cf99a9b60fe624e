"""The presentation page on a 1920×1080 screen: every slide can be reached with "next" (mouse and keyboard,
also after a click into the map), the slide number is in the URL (an unknown one leaves it), a state slide
outlines its state, the legend sits beside the map, the navigation bar stays in place, and nothing but
the app itself is contacted (tiles are off)."""

from __future__ import annotations

import re

from geo.indicators.slides import read_slide_file
from geo.maps.export import chart_image_available
from tests.browser.support import ARTIFACTS, MAP, foreign_origins

TITLE = ".sa-slide-title"
NEXT = ".st-key-slide_next button"


def wait_for_slide(page, number: int, previous_title: str | None) -> str:
    page.wait_for_url(re.compile(rf"[?&]slide={number}(&|$)") if number > 1 else re.compile(r".*"), timeout=30_000)
    if previous_title is not None:
        page.wait_for_function(
            "([selector, old]) => { const el = document.querySelector(selector);"
            " return el && el.innerText.trim() && el.innerText.trim() !== old; }",
            arg=[TITLE, previous_title],
            timeout=30_000,
        )
    page.locator(f"{MAP}[data-atlas-render]").wait_for(state="attached", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    return page.locator(TITLE).inner_text().strip()


def open_slide(page, app_url: str, query: str) -> str:
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/praesentation{query}")
    match = re.search(r"slide=(\d+)", query)
    return wait_for_slide(page, int(match.group(1)) if match else 1, None)


def test_step_through_every_slide_with_the_navigation_bar_in_place(page, app_url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    title = open_slide(page, app_url, "")
    assert title == "Vier Länder auf einen Blick"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "presentation-slide-1.png"))
    total = len(read_slide_file())
    titles = [title]
    next_button = page.locator(NEXT)
    assert "Weiter" in next_button.inner_text()
    bar_tops = {round(next_button.bounding_box()["y"])}
    for number in range(2, total + 1):
        next_button.click()
        titles.append(wait_for_slide(page, number, titles[-1]))
        bar_tops.add(round(next_button.bounding_box()["y"]))
    assert len(set(titles)) == total
    assert next_button.is_disabled()
    # short and long subtitles alike: the bar never moves under the presenter's pointer
    assert max(bar_tops) - min(bar_tops) <= 1, bar_tops
    page.screenshot(path=str(ARTIFACTS / f"presentation-slide-{total}.png"))
    assert errors == []
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_arrow_keys_change_slides_also_after_a_click_into_the_map(page, app_url):
    second = open_slide(page, app_url, "?slide=2&lang=en")
    view_before = page.locator(f"{MAP} .leaflet-map-pane").get_attribute("style")
    page.locator(f"{MAP} .leaflet-container").click(position={"x": 300, "y": 300})
    page.keyboard.press("ArrowRight")
    third = wait_for_slide(page, 3, second)
    assert third == "Saxony"
    page.locator(f"{MAP} .leaflet-container").click(position={"x": 300, "y": 300})
    page.keyboard.press("ArrowLeft")
    assert wait_for_slide(page, 2, third) == second
    # the map did not pan on the way (its pane keeps the slide's view)
    assert page.locator(f"{MAP} .leaflet-map-pane").get_attribute("style") == view_before


def test_keyboard_and_reload_keep_the_slide(page, app_url):
    third = open_slide(page, app_url, "?slide=3&lang=en")
    assert third == "Saxony"
    page.locator(TITLE).click()
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


def test_an_unknown_slide_number_shows_slide_one_and_leaves_the_url(page, app_url):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/praesentation?slide=99")
    page.wait_for_url(re.compile(r"/praesentation$"), timeout=30_000)
    assert wait_for_slide(page, 1, None) == "Vier Länder auf einen Blick"
    assert "99" in page.locator("[data-testid='stAlert']").first.inner_text()


def test_a_state_slide_outlines_its_state_and_the_legend_sits_beside_the_map(page, app_url):
    assert open_slide(page, app_url, "?slide=5") == "Thüringen"
    frame = page.locator(MAP)
    frame.locator(".leaflet-saStates-pane path[stroke='#0b5c8a']").wait_for(state="attached", timeout=20_000)
    assert frame.locator(".leaflet-saStates-pane path[stroke='#0b5c8a']").count() == 1
    assert frame.locator(".leaflet-saStates-pane path[fill-opacity='0.6']").count() == 3  # the others veiled
    assert frame.locator(".sa-legend").count() == 0  # no legend over the map
    legend = page.locator("[data-testid='stMain'] .sa-legend")
    map_box = page.locator(MAP).bounding_box()
    legend_box = legend.bounding_box()
    assert legend_box["x"] >= map_box["x"] + map_box["width"]
    page.screenshot(path=str(ARTIFACTS / "presentation-state-slide.png"))
    page.locator(NEXT).click()
    wait_for_slide(page, 6, "Thüringen")
    frame.locator(".leaflet-saStates-pane path[stroke='#0b5c8a']").wait_for(state="detached", timeout=20_000)


def test_the_slide_map_downloads_as_a_file_that_works_offline(page, app_url, browser, tmp_path):
    open_slide(page, app_url, "?slide=6")
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
    map_page.locator("body[data-atlas-render]").wait_for(state="attached", timeout=15_000)
    map_page.locator("path.leaflet-interactive >> visible=true").first.wait_for(timeout=10_000)
    assert map_page.locator(".sa-site-marker, .sa-cluster").count() >= 1
    map_page.screenshot(path=str(ARTIFACTS / "presentation-map-offline.png"))
    offline.close()
    assert [url for url in requested if not url.startswith(("file:", "data:"))] == []


def test_the_slide_figures_download_as_an_image(page, app_url, tmp_path):
    # the chart behind the download is built only when the button is pressed
    open_slide(page, app_url, "?slide=6")
    page.locator(".st-key-present_downloads button, [data-testid='stPopover'] button").first.click()
    as_image = chart_image_available()  # else the same figures as an HTML file with plotly.js inlined
    with page.expect_download(timeout=60_000) as download_info:
        page.locator(f".st-key-download_{'png' if as_image else 'figures_html'} button >> visible=true").click()
    path = tmp_path / "kennzahlen"
    download_info.value.save_as(path)
    if as_image:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 5_000  # a drawn chart, not an empty image
    else:
        assert "Plotly.newPlot" in path.read_text(encoding="utf-8")
