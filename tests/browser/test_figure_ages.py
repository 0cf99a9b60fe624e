"""Browser tier for a figure's age and for renamed sites, as a visitor meets them: the comparison page shows
each figure with its date, its qualifier ("≥ 30 ha" where the source says "über 30 ha") and the stale mark,
and the comparison's CSV has a date column per figure; the map's profile dates the plot figures and the
district's labour-market figures alike; an old link to a renamed site opens the site and
the address bar then carries its id of today."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from geo.sites.renames import read_renames, rename_map
from tests.browser.support import ARTIFACTS, foreign_origins

PIESTERITZ, BITTERFELD, LEUNA = "agro-chemie-park-piesteritz", "chemiepark-bitterfeld-wolfen", "chemiestandort-leuna"
OLD_ID, NEW_ID = "summer-of-pioneers-wittenberge-elblandwerker", "elblandwerker-coworking-wittenberge"
TIMEOUT_MS = 60_000


def shown_text(locator) -> str:
    """What the visitor reads, with non-breaking spaces as spaces and runs of white space as one."""
    return re.sub(r"\s+", " ", locator.inner_text().replace("\u00a0", " "))


def test_the_comparison_dates_qualifies_and_marks_each_figure_and_its_csv_has_the_dates(page, app_url, tmp_path):
    page.goto(f"{app_url}/vergleich?sites={PIESTERITZ},{BITTERFELD},{LEUNA}")
    table = page.locator(".sa-compare table")
    table.wait_for(timeout=TIMEOUT_MS)
    text = shown_text(table)
    assert "≥ 30 ha" in text and "Stand 22.09.2011" in text  # Piesteritz: "über 30 ha" in 2011
    assert "125 ha" in text and "Stand 05/2017" in text  # Bitterfeld-Wolfen
    assert "35 ha" in text and "Stand 05.03.2026" in text  # Leuna's newer figure, not 40 ha of 2021
    assert not re.search(r"(?<![\d.,])40 ha", text)
    assert "⚠ älter als 12 Monate" in text
    ARTIFACTS.mkdir(exist_ok=True)
    table.screenshot(path=str(ARTIFACTS / "figure-ages-vergleich-de.png"))  # the page scrolls inside Streamlit

    with page.expect_download(timeout=TIMEOUT_MS) as download_info:
        page.get_by_role("button", name="Vergleich als CSV (Excel)").click()
    csv_path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(csv_path)
    table_csv = pd.read_csv(io.BytesIO(csv_path.read_bytes()), encoding="utf-8-sig", sep=";", dtype=str)
    rows = table_csv.set_index("Standort-ID")
    assert rows.loc[PIESTERITZ, "Verfügbare Fläche (ha): Stand"] == "22.09.2011 ⚠ älter als 12 Monate"
    assert rows.loc[PIESTERITZ, "Verfügbare Fläche (ha): Angabe"] == "mindestens"
    assert rows.loc[LEUNA, "Verfügbare Fläche (ha)"] == "35,0"
    assert rows.loc[LEUNA, "Verfügbare Fläche (ha): Stand"] == "05.03.2026"
    assert "Stand der Angaben" not in rows.columns  # no single date for all figures
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_an_old_link_to_a_renamed_site_opens_it_under_its_id_of_today(page, app_url):
    assert rename_map(read_renames())[OLD_ID] == NEW_ID
    page.goto(f"{app_url}/karte?site={OLD_ID}&lang=en")
    heading = page.locator("section.sa-profile h2")
    heading.wait_for(timeout=TIMEOUT_MS)
    assert shown_text(heading).strip() == "elblandwerker* Coworking Wittenberge"
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("site") == [NEW_ID], timeout=TIMEOUT_MS)
    assert page.get_by_text(OLD_ID).count() == 0  # no "unknown site" note
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "figure-ages-renamed-site-en.png"), full_page=True)
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_the_profile_dates_the_plot_and_labour_market_figures(page, app_url):
    page.goto(f"{app_url}/karte?site={LEUNA}")
    profile = page.locator("section.sa-profile")
    profile.wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Arbeitsmarkt im Kreis").first.wait_for(timeout=TIMEOUT_MS)
    text = shown_text(profile)
    assert "35 ha" in text and "Stand 05.03.2026" in text  # the plot figure of 2026
    assert "≤ 5 ha" in text  # "kein Areal größer als fünf Hektar"
    # the district's labour market (Regionalstatistik, employees on 30 June 2023): dated and marked old
    read = re.sub(r"\s*\(öffnet in neuem Tab\)\s*", "", text)  # the links' note for screen readers
    assert "70.695 Personen (Quelle: www.regionalstatistik.de, 13111-01-03-4, Stand 30.06.2023) ⚠ älter" in read
    ARTIFACTS.mkdir(exist_ok=True)
    profile.screenshot(path=str(ARTIFACTS / "figure-ages-profile-leuna-de.png"))
    assert foreign_origins(page.requested_origins, app_url) == set()
