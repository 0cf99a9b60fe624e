"""The sites page's own table (views/site_table.py, static/site_table/) in a real browser: a heading sorts
both ways with blanks last, a click or the keyboard chooses a site and opens its profile, German and
English, 1400 and 390 px; with 10,000 synthetic sites it turns pages and sorts at once, shows a hostile
name as text, holds its room while the page loads, and Streamlit's data grid code never loads."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pyogrio
import pytest

from bench.browser import RECORDER_JS, cumulative_layout_shift, wait_until_page_settled
from geo.core.formatting import format_number
from geo.sites.facts import column_header
from geo.texts import t
from tests.browser.support import start_streamlit, stop
from tests.browser.visits import DESKTOP, PHONE, PROFILE, settle, snapshot, visit, visitor

TABLE = ".st-key-atlas_sites_table .sa-table"
HOSTILE = "<img src=x onerror=alert(1)>"
SYNTHETIC_SITES = 10_000
GRID_CODE = re.compile(r"/(DataFrame|arrowFormatUtils)[.\w-]*\.js")
COLUMN_TEXTS = """(index) => [...document.querySelectorAll('.sa-table tbody tr')]
  .map(row => row.cells[index].textContent)"""
# Sort by the heading at `index` and say how long the click took (sorting and drawing the rows)
TIMED_SORT = """(index) => {
  const button = document.querySelectorAll('.sa-table thead button')[index];
  const started = performance.now();
  button.click();
  return performance.now() - started;
}"""


def figure(text: str, lang: str) -> float | None:
    """The number of a figure cell ("≥ 30 · 22.09.2011 ⚠", "1.394.800"); None when blank."""
    if not text:
        return None
    number = re.sub(r"[^\d.,]", "", text.split(" · ")[0])
    number = number.replace(".", "").replace(",", ".") if lang == "de" else number.replace(",", "")
    return float(number)


def text_key(text: str) -> str:
    """A text as the language's collation orders it, near enough for place names: case and accents aside."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def headings(page) -> list[str]:
    return page.locator(f"{TABLE} thead button").all_inner_texts()


def sort_by(page, heading: str) -> str:
    """Click `heading` and return its aria-sort."""
    index = headings(page).index(heading)
    page.locator(f"{TABLE} thead button").nth(index).click()
    return page.locator(f"{TABLE} thead th").nth(index).get_attribute("aria-sort") or ""


def column(page, heading: str) -> list[str]:
    return page.evaluate(COLUMN_TEXTS, headings(page).index(heading))


def assert_sorted(values: list, descending: bool) -> None:
    filled = [value for value in values if value not in (None, "")]
    assert values[: len(filled)] == filled, "blanks come last"
    assert filled == sorted(filled, reverse=descending)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_heading_sorts_both_ways_with_blanks_last(browser, app_url, lang):
    with visitor(browser, DESKTOP, lang) as page:
        visit(page, app_url, "/standorte", lang)
        page.locator(f"{TABLE} tbody tr").first.wait_for()
        area = column_header("area_available_ha", lang)
        assert sort_by(page, area) == "ascending"
        ascending = [figure(text, lang) for text in column(page, area)]
        assert None in ascending and ascending[-1] is None and ascending[0] is not None
        assert_sorted(ascending, descending=False)
        assert sort_by(page, area) == "descending"
        assert_sorted([figure(text, lang) for text in column(page, area)], descending=True)
        locality = t("column_locality", lang)
        assert sort_by(page, locality) == "ascending"
        assert page.locator(f"{TABLE} thead th[aria-sort]").count() == 1  # one sorted column at a time
        places = column(page, locality)
        assert "" in places and places[-1] == "" and places[0] != ""
        assert_sorted([text_key(place) for place in places], descending=False)
        assert sort_by(page, locality) == "descending"
        assert_sorted([text_key(place) for place in column(page, locality)], descending=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_a_click_or_the_keyboard_chooses_a_site_and_opens_its_profile(browser, app_url, lang, viewport):
    with visitor(browser, viewport, lang) as page:
        visit(page, app_url, "/standorte", lang)
        rows = page.locator(f"{TABLE} tbody tr")
        rows.first.wait_for()
        assert page.locator(f"{TABLE} caption").text_content() == t("sites_table_label", lang)
        row = rows.nth(3)
        site_id, name = row.get_attribute("data-site"), row.locator("th").inner_text()
        row.locator("td").nth(1).click()  # anywhere in the row
        page.locator(PROFILE, has_text=name).wait_for(timeout=30_000)
        page.wait_for_function(f"location.search.includes('site={site_id}')")
        chosen = page.locator(f"{TABLE} tbody tr[aria-current=true]")
        assert chosen.count() == 1 and chosen.get_attribute("data-site") == site_id
        assert "sa-table-selected" in (chosen.get_attribute("class") or "")
        snapshot(page, f"site-table-click-{lang}-{viewport['width']}")
        # the keyboard: a site's name is a button; Space (or Enter) chooses it, and the focus stays there
        other = rows.nth(6)
        other_id, other_name = other.get_attribute("data-site"), other.locator("th").inner_text()
        other.locator("th button").focus()
        page.keyboard.press("Space")
        page.locator(PROFILE, has_text=other_name).wait_for(timeout=30_000)
        page.wait_for_function(f"location.search.includes('site={other_id}')")
        page.locator(f"{TABLE} tbody tr[aria-current=true][data-site='{other_id}']").wait_for()
        assert page.locator(f"{TABLE} tbody tr[aria-current=true]").count() == 1
        assert page.evaluate("document.activeElement.textContent") == other_name
        # the chosen row stays marked when the page is opened from its link
        visit(page, app_url, f"/standorte?site={other_id}", lang)
        page.locator(f"{TABLE} tbody tr[aria-current=true][data-site='{other_id}']").wait_for()
        loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
        assert not [url for url in loaded if GRID_CODE.search(url)], "Streamlit's data grid is not loaded"
        page.locator(TABLE).scroll_into_view_if_needed()
        snapshot(page, f"site-table-chosen-{lang}-{viewport['width']}")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Iterator[str]:
    """The app on 10,000 synthetic sites (bench/synthetic_sites.py), one of them named like an attack,
    served as `make run` serves it (serve.py, with its load hints)."""
    from bench.synthetic_sites import write_synthetic_data_dir

    folder = write_synthetic_data_dir(SYNTHETIC_SITES, tmp_path_factory.mktemp("synthetic") / "data")
    sites = pyogrio.read_dataframe(folder / "sites.gpkg", layer="sites")
    sites.loc[sites.index[0], "name"] = HOSTILE
    pyogrio.write_dataframe(sites, folder / "sites.gpkg", layer="sites", driver="GPKG")  # the other layers stay
    process, base_url, _log = start_streamlit(
        "serve.py", extra_env={"STANDORTATLAS_DATA_DIR": str(folder)}, extra_args=["--server.fileWatcherType", "none"]
    )
    try:
        yield base_url
    finally:
        stop(process)


def test_ten_thousand_sites_turn_pages_and_sort_at_once_and_a_hostile_name_stays_text(browser, synthetic):
    with visitor(browser, DESKTOP, "de") as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        visit(page, synthetic, "/standorte", "de", timeout=180_000)
        rows = page.locator(f"{TABLE} tbody tr")
        rows.first.wait_for(timeout=60_000)
        total = format_number(SYNTHETIC_SITES, "de")
        pager = page.locator(f"{TABLE} .sa-table-range")
        assert pager.inner_text() == f"1–200 von {total}" and rows.count() == 200
        previous = page.get_by_role("button", name=t("sites_table_previous", "de"))
        following = page.get_by_role("button", name=t("sites_table_next", "de"))
        assert previous.is_disabled()
        first_page = rows.first.get_attribute("data-site")
        following.click()
        assert pager.inner_text() == f"201–400 von {total}" and rows.first.get_attribute("data-site") != first_page
        previous.click()
        assert pager.inner_text() == f"1–200 von {total}" and rows.first.get_attribute("data-site") == first_page
        # sorting 10,000 rows and drawing the first page is one quick step in the browser
        area = headings(page).index(column_header("area_available_ha", "de"))
        timings = [page.evaluate(TIMED_SORT, area), page.evaluate(TIMED_SORT, area)]
        assert page.locator(f"{TABLE} thead th").nth(area).get_attribute("aria-sort") == "descending"
        assert_sorted([figure(text, "de") for text in page.evaluate(COLUMN_TEXTS, area)], descending=True)
        timings.append(page.evaluate(TIMED_SORT, 0))  # the names, in German order
        print(f"sorting {SYNTHETIC_SITES} rows (ms): {[round(ms, 1) for ms in timings]}")
        assert max(timings) < 100, timings
        names = page.evaluate(COLUMN_TEXTS, 0)
        assert HOSTILE in names, "the name of markup sorts first and reads as typed"
        assert page.locator(f"{TABLE} img").count() == 0 and dialogs == []
        assert pager.inner_text() == f"1–200 von {total}"  # a sort starts at the first page
        snapshot(page, "site-table-10000")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
def test_the_table_holds_its_room_while_the_page_loads_and_no_grid_code_loads(browser, synthetic, viewport):
    context = browser.new_context(viewport=viewport, locale="de-DE")
    try:
        page = context.new_page()
        page.add_init_script(RECORDER_JS)
        page.goto(f"{synthetic}/standorte")
        page.locator(f"{TABLE} tbody tr").first.wait_for(timeout=120_000)
        wait_until_page_settled(page, 800)
        shift = cumulative_layout_shift(page)
        loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
        assert not [url for url in loaded if GRID_CODE.search(url)], "Streamlit's data grid is not loaded"
        assert any("/BidiComponent." in url for url in loaded)
        holder = page.locator(".st-key-atlas_sites_table").bounding_box()
        table = page.locator(TABLE).bounding_box()
        assert holder is not None and table is not None and abs(holder["height"] - table["height"]) <= 1
        print(f"cumulative layout shift at {viewport['width']} px: {shift:.4f}")
        assert shift <= 0.05, shift
    finally:
        context.close()


def test_ten_thousand_rows_travel_once_a_click_reruns_without_them_and_a_return_finds_them(browser, synthetic):
    """The rows (megabytes with 10,000 sites) are sent once per session: choosing a site reruns the page
    with the rows' digest only, the table keeps its rows and marks the site; back from the map page the
    table has them again."""
    with visitor(browser, DESKTOP, "de") as page:
        received: list[int] = []
        page.on("websocket", lambda socket: socket.on("framereceived", lambda frame: received.append(len(frame))))
        visit(page, synthetic, "/standorte", "de", timeout=180_000)
        rows = page.locator(f"{TABLE} tbody tr")
        rows.first.wait_for(timeout=60_000)
        first_load = sum(received)
        received.clear()
        chosen = rows.nth(2).get_attribute("data-site")
        rows.nth(2).click()
        page.locator(PROFILE).wait_for(timeout=60_000)
        settle(page)
        rerun = sum(received)
        print(f"received: first load {first_load:,} bytes, the click's rerun {rerun:,} bytes")
        assert first_load > 2_000_000 and rerun < first_load / 10
        assert rows.count() == 200 and page.locator(f"{TABLE} tr[aria-current]").get_attribute("data-site") == chosen
        page.locator("[data-testid='stSidebar'] a[href*='karte']").first.click()
        page.locator(".sa-atlas").wait_for(timeout=60_000)
        page.locator("[data-testid='stSidebar'] a[href*='standorte']").first.click()
        rows.first.wait_for(timeout=60_000)
        assert rows.count() == 200
