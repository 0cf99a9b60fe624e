"""The stewardship workflow in a real browser, in German and in English: a partner proposes a new
description for a site of its district with the form, a visitor does not see it yet, an editor approves
it, and then the visitor sees it together with the date the figures were confirmed (the approval day).
The server has its own data copy with named accounts; the bundled data stays untouched."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.sites import facts as site_facts
from geo.store import accounts
from geo.texts import t
from tests.browser.support import ARTIFACTS, foreign_origins, origin_of, start_streamlit, stop
from tests.browser.test_accessibility import run_axe, save
from tests.browser.test_pflege import SITES_UPLOAD
from tests.fixtures_import import digest

SITE = "technologiepark-weinberg-campus"  # Halle (Saale), district 15002
# Streamlit's own file uploader marks its drop zone role="presentation" yet focusable (axe: minor
# presentation-role-conflict); the page cannot change that markup
STREAMLIT_DROPZONE = '<section role="presentation" tabindex="-1" data-testid="stFileUploaderDropzone"'
PASSWORDS = {"stadt-halle": "Saale-Ufer Weinberg 2038", "anna": "Redaktion Vier Augen 2038"}


@pytest.fixture(scope="module")
def workflow_server(tmp_path_factory):
    bundled = digest(SITES_GPKG)
    folder = tmp_path_factory.mktemp("pflege-accounts")
    shutil.copyfile(SITES_GPKG, folder / "sites.gpkg")
    (folder / "reference.gpkg").symlink_to(REFERENCE_GPKG)
    accounts.add(folder / "sites.gpkg", "stadt-halle", "partner", PASSWORDS["stadt-halle"], districts=["15002"])
    accounts.add(folder / "sites.gpkg", "anna", "editor", PASSWORDS["anna"])
    process, base_url, _log = start_streamlit(extra_env={"STANDORTATLAS_DATA_DIR": str(folder)})
    yield base_url
    stop(process)
    assert digest(SITES_GPKG) == bundled, "the bundled data/sites.gpkg was written"


def log_in(page, base_url: str, lang: str, name: str) -> None:
    page.goto(f"{base_url}/pflege?lang={lang}")
    page.get_by_label(t("steward_account_name", lang), exact=True).fill(name)
    page.get_by_label(t("steward_password", lang), exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name=t("steward_login", lang), exact=True).click()
    page.get_by_text(t("steward_logout", lang), exact=True).wait_for(timeout=60_000)


def profile_text(page, base_url: str, lang: str) -> str:
    page.goto(f"{base_url}/karte?site={SITE}&lang={lang}")
    page.get_by_text("Technologiepark Weinberg Campus").first.wait_for(timeout=60_000)
    page.wait_for_function("document.querySelector('[data-testid=\"stStatusWidget\"]') === null", timeout=60_000)
    return page.locator("[data-testid='stMain']").inner_text()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_partner_proposes_editor_approves_visitor_sees_it(browser, workflow_server, lang):
    base_url = workflow_server
    description = {
        "de": "Forschungscampus am Weinberg mit freien Laborflächen (Vorschlag der Stadt).",
        "en": "Research campus on the Weinberg with free lab space (proposed by the city).",
    }[lang]
    contexts = [browser.new_context(viewport={"width": 1400, "height": 950}) for _ in range(3)]
    partner, editor, visitor = (context.new_page() for context in contexts)
    origins: set[str] = set()
    for page in (partner, editor, visitor):
        page.on("request", lambda request: origins.add(origin_of(request.url)))
    try:
        log_in(partner, base_url, lang, "stadt-halle")
        partner.get_by_role("tab", name=t("steward_tab_form", lang)).click()
        chooser = partner.get_by_role("combobox", name=t("steward_form_choose", lang))
        chooser.click()
        chooser.press_sequentially("Weinberg")
        chooser.press("Enter")
        column = "description_de" if lang == "de" else "description_en"
        partner.get_by_label(t(f"steward_form_{column}", lang), exact=True).fill(description)
        partner.get_by_role("button", name=t("steward_form_propose", lang)).click()
        stored = re.compile(rf"^{re.escape(t('steward_proposal_stored', lang, number=0).split('#')[0])}#\d+ ")
        partner.get_by_text(stored).first.wait_for(timeout=60_000)

        assert description not in profile_text(visitor, base_url, lang), "visible before approval"

        log_in(editor, base_url, lang, "anna")
        editor.get_by_role("tab", name=t("steward_tab_proposals", lang)).click()
        editor.get_by_text(description).first.wait_for(timeout=60_000)  # the review shows the new text
        editor.get_by_role("button", name=t("steward_approve", lang)).click()
        words = t("steward_proposal_approved", lang, number=0, fields=0).split("#")
        approved = re.compile(rf"^{re.escape(words[0])}#\d+{re.escape(words[1].split('(')[0].removeprefix('0'))}")
        editor.get_by_text(approved).first.wait_for(timeout=60_000)
        editor.screenshot(path=str(ARTIFACTS / f"pflege-approved-{lang}.png"), full_page=True)

        shown = profile_text(visitor, base_url, lang)
        assert description in shown
        today = site_facts.format_as_of(dt.date.today().isoformat(), lang)
        assert t("facts_last_verified", lang, date=today) in shown
        visitor.screenshot(path=str(ARTIFACTS / f"pflege-visitor-{lang}.png"), full_page=True)

        # the partner's session goes on (a reload would be a new session): its tab shows the decision
        partner.get_by_role("tab", name=t("steward_tab_own_proposals", lang)).click()
        partner.get_by_text(t("steward_status_approved", lang), exact=True).first.wait_for(timeout=60_000)
    finally:
        for context in contexts:
            context.close()
    assert foreign_origins(origins, base_url) == set()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_an_editor_checks_a_new_site_from_a_lat_lon_file_before_applying(browser, workflow_server, tmp_path, lang):
    """A new site is listed with every field and drawn on a small map before anything is applied; a file
    with lat/lon columns asks for no coordinate system."""
    base_url = workflow_server
    name = f"Testort Lausitz {lang}"
    csv_file = tmp_path / "neue_orte.csv"
    csv_file.write_text(f"site_id,name,program,lat,lon\ntestort-lausitz-{lang},{name},zukunftsort,51.76,14.33\n")
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    origins: set[str] = set()
    page.on("request", lambda request: origins.add(origin_of(request.url)))
    try:
        log_in(page, base_url, lang, "anna")
        page.locator(SITES_UPLOAD).set_input_files(str(csv_file))  # not the district figures' uploader
        new_map = page.get_by_role("img", name=t("steward_new_map_alt", lang, sites=f"1 {name}"))
        new_map.wait_for(timeout=90_000)
        assert new_map.evaluate("image => image.complete && image.naturalWidth > 0"), "the map did not render"
        main_text = page.locator("[data-testid='stMain']").inner_text()
        # every field of the new site, the point included, is listed for checking
        for shown in (f"testort-lausitz-{lang}", name, "zukunftsort", "14.330000, 51.760000", "Cottbus"):
            assert shown in main_text, shown
        assert page.get_by_label(t("steward_crs", lang)).count() == 0
        page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
        violations = run_axe(page)  # the logged-in staff page with a review and its map: none of any impact
        save(f"pflege-new-site-{lang}", violations)
        found = [
            (violation["id"], violation["impact"], node["html"][:200])
            for violation in violations
            for node in violation["nodes"]
            if not (violation["id"] == "presentation-role-conflict" and node["html"].startswith(STREAMLIT_DROPZONE))
        ]
        assert found == []
        new_map.scroll_into_view_if_needed()  # the page scrolls inside Streamlit's main container
        page.screenshot(path=str(ARTIFACTS / f"pflege-new-site-{lang}.png"))
    finally:
        context.close()
    assert foreign_origins(origins, base_url) == set()


def test_a_wrong_login_is_told_to_wait_and_the_old_error_goes(browser, workflow_server):
    """Last in this file: its failures from this address delay the next logins from it."""
    base_url, lang = workflow_server, "de"
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    try:
        page.goto(f"{base_url}/pflege?lang={lang}")
        wrong = page.get_by_text(t("steward_wrong_login", lang), exact=True)
        wait = page.get_by_text(re.compile("^" + re.escape(t("steward_wait", lang, seconds=0).split("0")[0])))
        for _ in range(6):  # the waits double (1, 2, 4 … s): a retry soon lands inside one
            page.get_by_label(t("steward_account_name", lang), exact=True).fill("anna")
            page.get_by_label(t("steward_password", lang), exact=True).fill("falsch geraten")
            page.get_by_role("button", name=t("steward_login", lang), exact=True).click()
            page.wait_for_function(
                "document.querySelector('[data-testid=\"stStatusWidget\"]') === null", timeout=60_000
            )
            wrong.or_(wait).first.wait_for(timeout=60_000)
            if wait.count():
                break
        assert wait.count() == 1 and wrong.count() == 0, "no 'please wait', or the old error stayed"
        page.screenshot(path=str(ARTIFACTS / f"pflege-please-wait-{lang}.png"), full_page=True)
    finally:
        context.close()
