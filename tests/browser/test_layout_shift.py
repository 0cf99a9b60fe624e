"""Nothing jumps while a page loads: every page, fresh, at 1400 px (English) and 390 px (German), keeps its
cumulative layout shift within 0.1 until it has settled, and its main area is shown (the first paint's hold,
assets/first_paint.js, is released by then, on a page without the frame too).

The elements whose code Streamlit loads on first use (HTML blocks, toggles, download buttons) are drawn as
empty stand-ins first; without the hold, the captions after them stood 400 px too high on a phone."""

from __future__ import annotations

import pytest

from bench.browser import RECORDER_JS, cumulative_layout_shift, wait_until_page_settled
from tests.browser.visits import DESKTOP, PHONE, address, visitor

COMPARED = "kulturbahnhof-bad-dueben,green-gate-gatersleben,chemiepark-bitterfeld-wolfen"
PAGES = [
    "/karte",
    "/standorte",
    f"/vergleich?sites={COMPARED}",
    "/regionen",
    "/strukturwandel",
    "/daten",
    "/einbetten",
    "/praesentation",
]
BUDGET = 0.1
QUIET_MS = 800


@pytest.fixture(scope="module")
def warm_url(browser, served_url) -> str:
    """The app as `make run` serves it (the hold is serve.py's), after one visit to every page, so the loads
    measured are a visitor's on a server whose caches are warm."""
    with visitor(browser, DESKTOP) as page:
        page.add_init_script(RECORDER_JS)
        for path in PAGES:
            page.goto(address(served_url, path))
            wait_until_page_settled(page, QUIET_MS)
    return served_url


@pytest.mark.parametrize("path", PAGES, ids=[path.split("?")[0].strip("/") for path in PAGES])
@pytest.mark.parametrize(("viewport", "lang"), [(DESKTOP, "en"), (PHONE, "de")], ids=["1400-en", "390-de"])
def test_a_fresh_page_does_not_jump_while_it_loads(browser, warm_url, path, viewport, lang):
    with visitor(browser, viewport, lang, touch=viewport is PHONE) as page:
        page.add_init_script(RECORDER_JS)
        page.goto(address(warm_url, path, lang))
        wait_until_page_settled(page, QUIET_MS)
        shift = cumulative_layout_shift(page)
        assert page.evaluate("document.documentElement.classList.contains('sa-laid-out')"), "the hold is released"
        assert page.locator("[data-testid='stMain'] h1, [data-testid='stMain'] .sa-atlas").first.is_visible()
        print(f"{path} at {viewport['width']} px: cumulative layout shift {shift:.4f}")
        assert shift <= BUDGET, f"{path} at {viewport['width']} px shifted by {shift:.3f}"
