"""The filter panel's programs are buttons: one click (or Enter on a focused one) chooses a program and the
map shows its sites alone, a second click clears it; the choice is in the address (German and English,
1400 and 390 px)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from geo.core.paths import SITES_GPKG
from geo.maps.symbols import program_label
from geo.sites.filters import PROGRAM_PARAM
from geo.texts import t
from tests.browser.support import map_document, render_count, wait_for_new_render
from tests.browser.visits import DESKTOP, PHONE, snapshot, visit, visitor

PROGRAM = "kreativort_sachsen"


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


@pytest.fixture(scope="module")
def site_counts() -> tuple[int, int]:
    """(every site, the sites of PROGRAM) in the bundled data."""
    import pyogrio

    programs = pyogrio.read_dataframe(SITES_GPKG, layer="sites", read_geometry=False, columns=["program"])["program"]
    return len(programs), int((programs == PROGRAM).sum())


def programs_in_address(page) -> list[str]:
    return parse_qs(urlparse(page.url).query).get(PROGRAM_PARAM, [])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_one_click_chooses_a_program_and_a_second_clears_it(browser, app_url, lang, viewport, site_counts):
    every_site, program_sites = site_counts
    assert 0 < program_sites < every_site
    with visitor(browser, viewport, lang) as page:
        visit(page, app_url, "/karte", lang)
        frame = map_document(page)
        sequence, shown = render_count(frame)
        assert shown == every_site
        page.get_by_role("button", name=t("map_filters_button", lang)).click()
        button = page.get_by_role("button", name=program_label(PROGRAM, lang), exact=True)
        button.click()
        sequence, shown = wait_for_new_render(frame, sequence)
        assert shown == program_sites
        page.wait_for_function(f"location.search.includes('{PROGRAM_PARAM}={PROGRAM}')")
        snapshot(page, f"program-buttons-{lang}-{viewport['width']}")
        button.click()
        sequence, shown = wait_for_new_render(frame, sequence)
        assert shown == every_site
        page.wait_for_function(f"!location.search.includes('{PROGRAM_PARAM}=')")
        assert programs_in_address(page) == []


def test_a_program_button_is_chosen_by_keyboard_and_says_it_is_chosen(browser, app_url, site_counts):
    with visitor(browser, DESKTOP, "de") as page:
        visit(page, app_url, "/karte", "de")
        frame = map_document(page)
        sequence, _ = render_count(frame)
        page.get_by_role("button", name=t("map_filters_button", "de")).click()
        button = page.get_by_role("button", name=program_label(PROGRAM, "de"), exact=True)
        button.focus()
        page.keyboard.press("Enter")
        _, shown = wait_for_new_render(frame, sequence)
        assert shown == site_counts[1] and programs_in_address(page) == [PROGRAM]
        # a chosen button tells assistive technology so, not only by its colour
        chosen = page.get_by_role("button", name=program_label(PROGRAM, "de"), exact=True, pressed=True)
        chosen.wait_for(timeout=10_000)


# Records when the page receives the server's messages and when the map draws (its render signal).
RECORDER = """
window.__received = [];
window.__draws = [];
const NativeSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeSocket(...args);
  socket.addEventListener('message', () => window.__received.push(performance.now()));
  return socket;
};
window.WebSocket.prototype = NativeSocket.prototype;
new MutationObserver(() => {
  const value = document.body && document.body.dataset.atlasRender;
  const last = window.__draws[window.__draws.length - 1];
  if (value && (!last || last[1] !== value)) window.__draws.push([performance.now(), value]);
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-atlas-render']});
"""


def test_the_map_draws_a_clicked_program_before_the_server_answers_and_only_once(browser, app_url, site_counts):
    with visitor(browser, DESKTOP, "de") as page:
        page.add_init_script(RECORDER)
        visit(page, app_url, "/karte", "de")
        frame = map_document(page)
        sequence, _ = render_count(frame)
        page.get_by_role("button", name=t("map_filters_button", "de")).click()
        button = page.get_by_role("button", name=program_label(PROGRAM, "de"), exact=True)
        page.wait_for_timeout(500)  # the panel's own messages have arrived
        clicked_at = page.evaluate("performance.now()")
        button.click()
        _, shown = wait_for_new_render(frame, sequence)
        assert shown == site_counts[1]
        page.wait_for_function(f"location.search.includes('{PROGRAM_PARAM}={PROGRAM}')")  # the server has answered
        page.wait_for_timeout(1000)
        draws = [draw for draw in page.evaluate("window.__draws") if draw[0] > clicked_at]
        answered_at = min(at for at in page.evaluate("window.__received") if at > clicked_at)
        assert len(draws) == 1, draws  # the server's answer, the same filter, is not drawn again
        assert draws[0][0] < answered_at and draws[0][1].endswith(f":{site_counts[1]}")
