"""The staff page in a real browser: a real file upload, apply, undo - on a copy of the data.

The server for these tests gets a steward password and STANDORTATLAS_DATA_DIR pointing at a copy of
data/sites.gpkg, so nothing the tests do can reach the bundled file.
"""

from __future__ import annotations

import os
import re
import shutil

import geopandas as gpd
import pytest

from geo import store
from geo.core import fields
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.texts import t
from tests.browser.support import foreign_origins, start_streamlit, stop
from tests.fixtures_import import digest

PASSWORD = "Strukturwandel-2038"
# /pflege has two uploaders (sites, and district figures as CSV/ZIP); the sites one is the one taking .gpkg
SITES_UPLOAD = "input[type=file][accept*='.gpkg']"
HOSTILE_NAME = "<img src=x onerror=alert(1)> **fett**"


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    """(base URL, the sites file it writes) of a server with a password and its own data copy."""
    bundled_digest = digest(SITES_GPKG)
    folder = tmp_path_factory.mktemp("pflege-data")
    shutil.copyfile(SITES_GPKG, folder / "sites.gpkg")
    (folder / "reference.gpkg").symlink_to(REFERENCE_GPKG)
    process, base_url, _log = start_streamlit(
        extra_env={
            "STANDORTATLAS_STEWARD_PASSWORD": PASSWORD,
            "STANDORTATLAS_DATA_DIR": str(folder),
        }
    )
    yield base_url, folder / "sites.gpkg"
    stop(process)
    assert digest(SITES_GPKG) == bundled_digest, "the bundled data/sites.gpkg was written"


def open_and_log_in(page, base_url: str) -> None:
    # by its address, as a steward's bookmark does (that the router lists the page is an AppTest)
    page.goto(f"{base_url}/pflege")
    password = page.get_by_label("Passwort", exact=True)
    password.fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Das Passwort ist falsch.").wait_for(timeout=30_000)
    # a wrong password makes the next attempt from this address wait (1 s, then doubling): retry as a person
    # would, after the wait the page names (a message a later rerun has already replaced counts as 1 s)
    uploader, wait = page.locator(SITES_UPLOAD), page.get_by_text(re.compile(r"^Bitte warten"))
    for _ in range(6):
        if uploader.count():  # a rerun that opened the page after the last check
            return
        password.fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_function("document.querySelector('[data-testid=\"stStatusWidget\"]') === null", timeout=60_000)
        uploader.or_(wait).first.wait_for(state="attached", timeout=30_000)
        if uploader.count():
            return
        seconds = re.search(r"in (\d+) s", " ".join(wait.all_text_contents()))  # no waiting: it may be gone
        page.wait_for_timeout(1_000 * (int(seconds.group(1)) if seconds else 1) + 200)
    uploader.wait_for(state="attached", timeout=1_000)


def test_without_password_a_deep_link_shows_no_login_and_no_upload(page, app_url):
    if os.environ.get("STANDORTATLAS_STEWARD_PASSWORD"):
        pytest.skip("the shared test server inherits a steward password from this shell")
    page.goto(f"{app_url}/pflege")
    # the link at the end of the "not set up" page: the script has run to its end
    page.get_by_text(t("stewardship_unavailable_map_link", "de"), exact=True).wait_for(timeout=30_000)
    assert page.locator("input[type=password]").count() == 0
    assert page.locator("input[type=file]").count() == 0


def test_upload_apply_and_undo_in_the_browser(page, staff_server, tmp_path):
    base_url, sites_path = staff_server
    original = digest(sites_path)
    sites = store.read_sites(sites_path)
    sites.loc[0, "name"] = HOSTILE_NAME
    upload = tmp_path / "standorte.geojson"
    columns = [column for column in fields.SITE_COLUMNS if column in sites.columns]
    gpd.GeoDataFrame(sites[columns], geometry=sites.geometry, crs=sites.crs).to_file(upload, driver="GeoJSON")

    open_and_log_in(page, base_url)
    page.locator(SITES_UPLOAD).set_input_files(str(upload))
    page.get_by_text("Die Datei ist gültig").wait_for(timeout=30_000)
    table = page.locator("table.sa-table:visible").last  # other tabs' tables are in the page, hidden
    table.get_by_text(HOSTILE_NAME, exact=True).first.wait_for(timeout=10_000)  # literal text, not markup
    assert page.locator("img[src='x']").count() == 0
    assert digest(sites_path) == original, "nothing is written before apply"

    page.get_by_role("button", name="Änderungen übernehmen").click()
    page.get_by_text("Übernommen: 0 neu, 1 geändert, 0 entfernt.").wait_for(timeout=30_000)
    assert HOSTILE_NAME in set(store.read_sites(sites_path)["name"])

    page.get_by_role("tab", name="Versionen und Rückgängig").click()
    page.get_by_role("button", name="Letzte Änderung rückgängig machen").click()
    page.get_by_text("Rückgängig gemacht: wieder der Stand").wait_for(timeout=30_000)
    assert digest(sites_path) == original
    assert foreign_origins(page.requested_origins, base_url) == set()


def test_x_y_columns_with_a_typed_epsg_code(page, staff_server, tmp_path):
    base_url, sites_path = staff_server
    upload = tmp_path / "utm.csv"
    upload.write_text(
        "site_id;name;program;rechtswert;hochwert\ntestort-utm;UTM-Ort;zukunftsort;368000;5807000\n", encoding="utf-8"
    )
    original = digest(sites_path)
    open_and_log_in(page, base_url)
    page.locator(SITES_UPLOAD).set_input_files(str(upload))
    page.get_by_text("brauchen ein Koordinatenreferenzsystem").first.wait_for(timeout=30_000)
    crs = page.get_by_role("combobox", name="Koordinatensystem der x/y-Spalten (EPSG-Code)")
    crs.click()
    crs.press_sequentially("25833")
    crs.press("Enter")
    page.get_by_text("Die Datei ist gültig: 1 Standorte").wait_for(timeout=30_000)
    assert digest(sites_path) == original
