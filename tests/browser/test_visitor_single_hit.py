"""A single hit in context: the map keeps towns around the site in view, and the print view of one hit
(or a few) zooms to them, names them on the map and lists them, in German and English."""

from __future__ import annotations

import re

import pytest

from geo.texts import t
from tests.browser.support import map_document, map_search, render_count, wait_for_new_render
from tests.browser.visits import DESKTOP, PHONE, PROFILE, pdf_text, snapshot, visit, visitor

SITE_NAME = "Elbland Kunsthalle Riesa"  # in Riesa (Meißen), far enough from the large towns
NEIGHBOURS = ("Mittelsachsen", "Nordsachsen", "Bautzen", "Dresden", "Elbe-Elster")
# town labels the map shows inside its visible area
TOWNS_IN_VIEW = """() => {
  const size = document.querySelector('.leaflet-container').getBoundingClientRect();
  return [...document.querySelectorAll('.sa-town')].filter(town => {
    if (town.style.display === 'none') { return false; }
    const rect = town.querySelector('span').getBoundingClientRect();
    return rect.width > 0 && rect.left >= size.left && rect.right <= size.right
      && rect.top >= size.top && rect.bottom <= size.bottom;
  }).map(town => town.innerText);
}"""


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_single_hit_keeps_towns_around_it_in_view(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang, touch=viewport is PHONE) as page:
        visit(page, app_url, "/karte", lang)
        frame = map_document(page)
        sequence, _ = render_count(frame)
        search = map_search(page, t("filter_search", lang))
        search.fill(SITE_NAME)
        search.press("Enter")
        assert wait_for_new_render(frame, sequence)[1] == 1
        page.locator(PROFILE).get_by_role("heading", name=SITE_NAME).wait_for(timeout=20_000)
        frame.wait_for_timeout(800)  # the view settles after the zoom
        snapshot(page, f"single-hit-{lang}-{viewport['width']}")
        towns = frame.evaluate(TOWNS_IN_VIEW)
        assert len(towns) >= 2, towns
        assert frame.locator(".sa-site-marker").first.is_visible()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_print_view_of_a_single_hit_zooms_names_and_lists_it(page, app_url, lang, tmp_path):
    visit(page, app_url, "/standorte?q=Kunsthalle+Riesa", lang)
    page.get_by_role("button", name=t("print_heading", lang)).click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=t("print_a4", lang)).click()
    path = tmp_path / f"print-single-{lang}.pdf"
    download.value.save_as(path)
    text = pdf_text(path)
    assert t("print_title", lang, count=1, total="") in text
    # numbered on the map and listed by name beside it
    assert t("print_list_heading", lang) in text
    assert re.search(rf"^\s*1\s+{re.escape(SITE_NAME)}\b", text, re.M), text
    # zoomed in: the neighbouring districts are named, which a map of all four states leaves out
    assert any(name in text for name in NEIGHBOURS), text
