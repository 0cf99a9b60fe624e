"""Browser tier for the static tables (views/tables.py, geo/core/html_table.py): the data page loads none
of Streamlit's table code, the links keep opening in a new tab after Streamlit's HTML sanitiser (the
profile's links too), a table with a height scrolls from the keyboard under its sticky header row, and on a
phone a wide table scrolls sideways in its box instead of widening the page."""

from __future__ import annotations

from tests.browser.visits import DESKTOP, PHONE, PROFILE, visit, visitor

# Streamlit's st.table code and its Arrow formatting (about 1 MB), and its Markdown cells' renderer use
TABLE_CODE = r"/static/js/(Table|arrowFormatUtils)\.[^/]*\.js$"
SITE = "kulturbahnhof-bad-dueben"


def test_the_data_page_loads_no_table_code(browser, app_url):
    with visitor(browser, DESKTOP) as page:
        visit(page, app_url, "/daten")
        page.locator("table.sa-table").first.wait_for(timeout=30_000)
        loaded = page.evaluate("() => performance.getEntriesByType('resource').map(entry => entry.name)")
        assert any("/static/js/Html." in name for name in loaded)  # the measurement sees Streamlit's chunks
        table_code = page.evaluate(
            f"names => names.filter(name => new RegExp({TABLE_CODE!r}).test(name))",
            loaded,
        )
        assert table_code == []
        assert page.locator("[data-testid='stTable']").count() == 0


def test_table_links_open_in_a_new_tab_and_say_so(browser, app_url):
    with visitor(browser, DESKTOP) as page:
        visit(page, app_url, "/daten")
        links = page.locator("table.sa-table a")
        links.first.wait_for(timeout=30_000)
        found = links.evaluate_all(
            "links => links.map(link => [link.protocol, link.target, link.rel, link.textContent])"
        )
        assert len(found) > 10
        for protocol, target, rel, text in found:
            assert protocol in ("http:", "https:") and target == "_blank" and rel == "noopener noreferrer"
            assert text.endswith("(öffnet in neuem Tab)")  # for screen readers; shown: the host
        note = links.first.locator(".sa-sr")
        assert note.evaluate("note => note.getBoundingClientRect().width") <= 1  # heard, not seen
        assert links.first.evaluate("link => link.firstChild.textContent") in ("www.npmjs.com", "pypi.org")


def test_profile_links_keep_their_new_tab_through_the_sanitiser(browser, app_url):
    with visitor(browser, DESKTOP) as page:
        visit(page, app_url, f"/karte?site={SITE}")
        links = page.locator(f"{PROFILE} a[href^='http']")
        links.first.wait_for(timeout=30_000)
        found = links.evaluate_all("links => links.map(link => [link.target, link.rel])")
        assert found and all(pair == ["_blank", "noopener noreferrer"] for pair in found)


def test_a_table_with_a_height_scrolls_from_the_keyboard_under_its_header(browser, app_url):
    with visitor(browser, DESKTOP) as page:
        visit(page, app_url, "/regionen")
        box = page.get_by_role("region", name="Tabelle: Rang, Kreis, Land und Einwohner je km²")
        box.wait_for(timeout=30_000)
        header = box.locator("thead th").first
        assert box.get_attribute("tabindex") == "0"
        box.focus()
        for _ in range(3):
            page.keyboard.press("PageDown")
        page.wait_for_function(
            "box => box.scrollTop > 100", arg=box.element_handle(), timeout=5_000
        )  # the keyboard scrolled it
        box_top, header_top = box.bounding_box()["y"], header.bounding_box()["y"]
        assert abs(header_top - (box_top + 1)) <= 1  # the header row stays at the top (inside the 1 px frame)
        assert box.evaluate("box => box.scrollHeight > box.clientHeight && box.clientHeight <= 560")


def test_a_wide_table_scrolls_sideways_in_its_box_on_a_phone(browser, app_url):
    with visitor(browser, PHONE, touch=True) as page:
        visit(page, app_url, "/daten")
        box = page.locator(".sa-table-box").first
        box.wait_for(timeout=30_000)
        widths = box.evaluate(
            """box => ({page: document.documentElement.scrollWidth, main: document.querySelector(
              "[data-testid='stMain']").scrollWidth, box: box.clientWidth, table: box.scrollWidth})"""
        )
        assert widths["page"] <= PHONE["width"] and widths["main"] <= PHONE["width"], widths
        assert widths["table"] > widths["box"] + 50, widths  # the table is wider: it scrolls in its box
        # a box that scrolls is a tab stop (assets/frame.js), so a keyboard can scroll it too
        page.wait_for_function("box => box.getAttribute('tabindex') === '0'", arg=box.element_handle(), timeout=5_000)
        box.evaluate("box => { box.scrollLeft = 200; }")
        assert box.evaluate("box => box.scrollLeft") > 0 and page.evaluate("() => window.scrollX") == 0
