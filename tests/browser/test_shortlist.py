"""Browser tier for the shortlist: three sites put on the shortlist from the sites page, the shortlist
carried by the URL from page to page, the comparison page opened by its link, the language switched and
the page reloaded with the list intact, the English exposé downloaded, and the map printed."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

from tests.browser.support import ARTIFACTS, MAP, foreign_origins

SITES = ["agro-chemie-park-piesteritz", "alte-hoelle", "atelierhaus-zeitz"]
NAMES = ["Agro-Chemie Park Piesteritz", "Alte Hölle", "Atelierhaus Zeitz"]


def url_shortlist(url: str) -> list[str]:
    values = parse_qs(urlsplit(url).query).get("sites", [])
    return values[0].split(",") if values else []


def pdf_text(pdf_path) -> str:
    if not shutil.which("pdftotext"):
        return ""
    return subprocess.run(["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True).stdout


def test_shortlist_travels_in_the_url_to_the_comparison_and_the_expose(page, app_url, tmp_path):
    url = f"{app_url}/standorte"
    for count, site_id in enumerate(SITES, start=1):
        # each visit starts from the URL the app wrote last: the shortlist lives in the link, not the session
        separator = "&" if "?" in url else "?"
        page.goto(f"{url}{separator}site={site_id}")
        page.get_by_role("button", name="Auf die Merkliste").click()
        page.get_by_role("button", name="Von der Merkliste nehmen").wait_for(timeout=30_000)
        page.wait_for_url(lambda current, count=count: len(url_shortlist(current)) == count, timeout=30_000)
        assert url_shortlist(page.url) == SITES[:count]
        query = {key: values for key, values in parse_qs(urlsplit(page.url).query).items() if key == "sites"}
        url = f"{app_url}/standorte?sites={query['sites'][0]}"

    page.get_by_role("link", name="Merkliste vergleichen (3)").click()
    page.get_by_role("heading", name="Standorte vergleichen").wait_for(timeout=30_000)
    page.wait_for_url(re.compile(r"/vergleich\?"), timeout=30_000)
    assert url_shortlist(page.url) == SITES
    table = page.locator(".sa-compare table")
    table.wait_for(timeout=30_000)
    headers = table.locator("thead th").all_inner_texts()
    assert [re.sub(r"^\d+\s*", "", header) for header in headers[1:]] == NAMES
    assert table.locator("tr.sa-differs").count() > 3
    # the small map: the atlas map with the sites numbered as the table's columns
    comparison_map = page.locator(f"{MAP}[data-atlas-render]")
    comparison_map.wait_for(state="attached", timeout=30_000)
    assert (
        comparison_map.locator(".leaflet-container")
        .get_attribute("aria-label")
        .startswith("Karte der verglichenen Standorte")
    )
    numbers = comparison_map.locator(".sa-number-marker")
    assert numbers.count() == 3
    assert [numbers.nth(index).locator(".sa-sr").inner_text().split(" (")[0] for index in range(3)] == NAMES
    assert sorted(numbers.all_inner_texts())[0].startswith("1")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vergleich-de.png"), full_page=True)

    # the language switch keeps the shortlist, and a reload (a shared link) restores it
    page.get_by_role("radio", name="English").or_(page.get_by_role("button", name="English")).first.click()
    page.get_by_role("heading", name="Compare sites").wait_for(timeout=30_000)
    page.wait_for_url(re.compile(r"lang=en"), timeout=30_000)
    assert url_shortlist(page.url) == SITES
    page.reload()
    page.get_by_role("heading", name="Compare sites").wait_for(timeout=30_000)
    page.locator(".sa-compare table").wait_for(timeout=30_000)
    assert url_shortlist(page.url) == SITES

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Exposé of the shortlist (PDF)").click()
    pdf_path = tmp_path / "expose.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    assert download_info.value.suggested_filename == "expose-merkliste-en.pdf"
    text = pdf_text(pdf_path)
    if text:
        assert "Shortlist: 3 sites" in text and all(name in text for name in NAMES)
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_print_view_of_the_filtered_map(page, app_url, tmp_path):
    page.goto(f"{app_url}/standorte?state=SN&lang=en")
    page.get_by_role("button", name="Print the map").click()
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Print view A4 landscape (PDF)").click()
    pdf_path = tmp_path / "print.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf_path)
    if text:
        assert "Filter: States: Saxony" in text
        assert "/karte?state=SN&lang=en" in text


def test_map_page_adds_the_chosen_site_to_the_shortlist(page, app_url):
    page.goto(f"{app_url}/karte?site={SITES[2]}&sites={SITES[0]},{SITES[1]}")
    page.get_by_role("button", name="Auf die Merkliste").click()
    page.get_by_role("link", name="Merkliste vergleichen (3)").wait_for(timeout=30_000)
    assert url_shortlist(page.url) == SITES
    assert page.get_by_role("button", name="Exposé (PDF)").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte-merkliste.png"))
