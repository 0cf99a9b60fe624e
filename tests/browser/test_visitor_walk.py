"""A visitor's walk through every page, in German and English, on a desktop (1400 px) and a phone (390 px).

The app runs as `make run` starts it (serve.py). On every page: no failed request to the app (a deep link
used to cost two 404s for `/<page>/_stcore/health` and `host-config`), no exception, no figure cut off
in a table cell or a metric, and no text of the other language (Streamlit's own English widget texts on
a German page, German legal bases or periods on an English one). Screenshots of each view go to
test-artifacts/walk-<page>-<lang>-<width>.png.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.support import ARTIFACTS

# (address, what the page's main heading says in German, in English)
PAGES = [
    ("/karte", "Karte der Standorte", "Map of the sites"),
    ("/standorte", "Standorte als Tabelle", "Sites as a table"),
    (
        "/vergleich?sites=agro-chemie-park-piesteritz,alte-hoelle,atelierhaus-zeitz",
        "Standorte vergleichen",
        "Compare sites",
    ),
    ("/regionen?district=15002&compare=15002,14713", "Regionen", "Regions"),
    ("/strukturwandel?zone=jtf_bb_lausitz", "Strukturwandel", "Structural change"),
    ("/strukturwandel?zone=mitteldeutsch", "Strukturwandel", "Structural change"),
    ("/daten", "Daten & Quellen", "Data & sources"),
    ("/pflege", "Datenpflege nicht verfügbar", "Data maintenance not available"),
]
FRAMELESS_PAGES = ["/praesentation?slide=6", "/einbetten?state=ST"]
# Text that must not appear on a page in the other language (whole words, case-sensitive).
ENGLISH_ON_GERMAN_PAGES = (
    "No results",
    "You can only select",
    "Choose options",
    "Select all",
    "Download as CSV",
    "Confidence",
    "No options to select",
)
GERMAN_ON_ENGLISH_PAGES = (
    "bis 2038",
    "EU-Verordnung",
    "Prioritätsachse",
    "Territorialer Plan",
    "Verlässlichkeit",
    "Quelle:",
    "Einwohner",
    "Zurück",
    "Weiter",
    "Mio. EUR",
    "Standorte im Atlas",
    "Zukunftsort Saxony-Anhalt",
    "Reviervereinbarung 2023",
)
# Elements whose text must never be cut: table cells and the big figures.
CUT_OFF_CHECK = """() => {
  const cells = document.querySelectorAll(
    "[data-testid='stMain'] td, [data-testid='stMain'] th, [data-testid='stMetricValue'] *, .sa-figure-source");
  return [...cells].filter(cell => /\\d/.test(cell.innerText) && cell.clientWidth > 0
                                   && cell.scrollWidth > cell.clientWidth + 1)
                   .map(cell => cell.innerText.trim().slice(0, 80));
}"""
IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app && app.dataset.testScriptState === "notRunning"
    && document.querySelector("[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']")
    && !document.querySelector("[data-testid='stSkeleton']")
    && [...document.querySelectorAll(".sa-atlas")].every((map) => map.dataset.atlasRender !== undefined);
}"""


def visible_text(page) -> str:
    """What the visitor can read in the page, the maps' texts included."""
    return page.evaluate("() => document.querySelector(\"[data-testid='stApp']\").innerText")


def walk(page, base_url: str, address: str, lang: str, width: int) -> dict:
    failed: list[str] = []
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.url.startswith(base_url)
            else None
        ),
    )
    separator = "&" if "?" in address else "?"
    url = f"{base_url}{address}{separator}lang={lang}" if lang == "en" else f"{base_url}{address}"
    page.goto(url)
    page.wait_for_function(IDLE, timeout=90_000)
    page.evaluate("document.fonts.ready")
    name = re.sub(r"\W+", "-", address.strip("/").split("?")[0])
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"walk-{name}-{lang}-{width}.png"))
    return {
        "failed": failed,
        "text": visible_text(page),
        "cut": page.evaluate(CUT_OFF_CHECK),
        "exceptions": page.locator("[data-testid='stException']").count(),
    }


def assert_clean(result: dict, lang: str, address: str) -> None:
    assert result["failed"] == [], f"{address}: failed requests"
    assert result["exceptions"] == 0, f"{address}: an exception is shown"
    assert result["cut"] == [], f"{address}: figures cut off"
    foreign = ENGLISH_ON_GERMAN_PAGES if lang == "de" else GERMAN_ON_ENGLISH_PAGES
    found = [word for word in foreign if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", result["text"])]
    assert found == [], f"{address} ({lang}): text in the other language"


@pytest.mark.parametrize("width", [1400, 390])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_framed_page_in_both_languages_and_widths(browser, served_url, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        for address, heading_de, heading_en in PAGES:
            page = context.new_page()
            result = walk(page, served_url, address, lang, width)
            assert_clean(result, lang, address)
            assert (heading_de if lang == "de" else heading_en) in result["text"]
            page.close()
    finally:
        context.close()


@pytest.mark.parametrize("width", [1920, 390])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_presentation_and_embed_in_both_languages(browser, served_url, lang, width):
    context = browser.new_context(viewport={"width": width, "height": 1080 if width > 1000 else 844})
    try:
        for address in FRAMELESS_PAGES:
            page = context.new_page()
            assert_clean(walk(page, served_url, address, lang, width), lang, address)
            page.close()
    finally:
        context.close()


def test_sites_table_offers_only_the_apps_own_csv_and_no_english_toolbar(browser, served_url):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        walk(page, served_url, "/standorte", "de", 1400)
        table = page.locator(".st-key-atlas_sites_table .sa-table")
        table.locator("tbody tr").first.hover()
        assert page.get_by_role("button", name=re.compile("Download", re.I)).count() == 0
        # the app's own table: no toolbar of Streamlit's (its buttons' names are English), no grid
        assert page.locator(".st-key-atlas_sites_table [data-testid='stElementToolbarButton']").count() == 0
        assert page.locator("[data-testid='stDataFrame']").count() == 0
        headings = table.locator("thead button").all_inner_texts()
        assert headings[0] == "Name" and "Programm" in headings and not [h for h in headings if "Program " in h]
        assert page.locator(".st-key-download_sites_csv, [data-testid='stDownloadButton']").first.is_visible()
    finally:
        context.close()
