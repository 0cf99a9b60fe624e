"""The open data API's HTML pages in a real browser, served as `make run` serves them (serve.py): a visitor
goes from a site's profile on the map to the site in the API, and walks the API's pages in German and in
English — each in its language, nothing loaded from another origin, no failed request, readable on a phone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from geo.core.paths import SITES_GPKG
from geo.store import read_sites_for_app
from tests.browser.support import ARTIFACTS, foreign_origins, start_streamlit, stop

SITE = "biopharmapark-dessau"


@pytest.fixture(scope="module")
def served_url() -> Iterator[str]:
    process, base_url, _log = start_streamlit("serve.py", extra_args=["--server.fileWatcherType", "none"])
    yield base_url
    stop(process)


def failed_requests(page, base_url: str) -> list[str]:
    failed: list[str] = []
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.url.startswith(base_url)
            else None
        ),
    )
    return failed


@pytest.mark.parametrize(
    "lang, texts",
    [
        (
            "de",
            {
                "home": "Sammlungen",
                "items": "Standorte",
                "matched": "Treffer",
                "profile": "Profil im Atlas",
                "switch": "English",
                "queryables": "Filter (Queryables)",
            },
        ),
        (
            "en",
            {
                "home": "Collections",
                "items": "Sites",
                "matched": "matches",
                "profile": "Profile in the atlas",
                "switch": "Deutsch",
                "queryables": "Filters (queryables)",
            },
        ),
    ],
)
def test_walk_the_api_pages_in_each_language(page, served_url, lang, texts):
    failed = failed_requests(page, served_url)
    page.goto(f"{served_url}/api/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    page.get_by_role("link", name=texts["home"], exact=True).first.click()
    page.get_by_role("link", name=texts["items"], exact=True).first.click()
    page.wait_for_url("**/collections/sites?*")
    page.locator("main ul.links a").first.click()  # the collection's items
    assert texts["matched"] in page.locator("p.matched").inner_text()
    assert page.locator("tbody tr").count() == min(100, len(read_sites_for_app(SITES_GPKG)))  # a page of 100
    page.get_by_role("link", name=SITE, exact=True).click()
    assert page.locator("h1").inner_text() == "BioPharmaPark Dessau"
    row = page.locator("tr", has=page.locator("code", has_text="area_available_ha_source_url"))
    assert row.locator("a").get_attribute("href").startswith("https://")
    assert (
        page.get_by_role("link", name=texts["profile"])
        .get_attribute("href")
        .endswith(f"/karte?site={SITE}&lang={lang}")
    )
    page.goto(f"{served_url}/api/collections/sites/queryables?lang={lang}")
    assert page.locator("h1").inner_text().startswith(texts["queryables"])
    page.get_by_role("link", name=texts["switch"]).click()
    assert page.locator("html").get_attribute("lang") != lang
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"api-queryables-{lang}.png"), full_page=True)
    assert not failed, failed
    assert not foreign_origins(page.requested_origins, served_url)


def test_from_a_profile_to_the_site_in_the_api_and_on_a_phone(browser, served_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    page = context.new_page()
    try:
        page.goto(f"{served_url}/standorte?site={SITE}")
        link = page.get_by_role("link", name="Dieser Standort als offene Daten (OGC API – Features)")
        link.wait_for(timeout=90_000)
        link.click()
        page.wait_for_url(f"**/api/collections/sites/items/{SITE}?*")
        assert page.locator("h1").inner_text() == "BioPharmaPark Dessau"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px phone"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-site-phone.png"), full_page=False)
    finally:
        context.close()
