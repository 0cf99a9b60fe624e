"""axe-core on every page with its maps (in the page: the site map, the district and zone maps, the
comparison's map), in any frame of the app's own, and on the staff page after login: no violation of
any impact, on a desktop and on a phone.

What axe found is written to test-artifacts/axe-all-<page>-<width>.json for a person to read.
"""

from __future__ import annotations

import json
import re

import pytest

from geo.texts import t
from tests.browser.support import ARTIFACTS, AXE_SCRIPT, map_document
from tests.browser.test_pflege import PASSWORD, SITES_UPLOAD, open_and_log_in, staff_server  # noqa: F401 (a fixture)
from tests.browser.visits import DESKTOP, PHONE, settle, visit, visitor

SITE = "kulturbahnhof-bad-dueben"
PAGES = [
    "/karte",
    f"/karte?site={SITE}",
    f"/standorte?site={SITE}",
    f"/vergleich?sites={SITE},green-gate-gatersleben",
    "/regionen?district=15002&compare=15002,14713",
    "/strukturwandel?zone=lausitz",
    "/daten",
    "/praesentation?slide=1",
    "/praesentation?slide=5",
    "/einbetten?state=ST",
    "/pflege",
]
MAP_PAGES = ("/karte", "/einbetten", "/praesentation", "/vergleich", "/regionen", "/strukturwandel")


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


def axe_findings(page, base_url: str) -> list[tuple[str, str, str, str]]:
    """(document, rule, impact, element) of every violation in the page and in each frame of the app."""
    found = []
    for frame in page.frames:
        if not frame.url.startswith(base_url):
            continue
        frame.add_script_tag(path=str(AXE_SCRIPT))  # a test tool: the app never serves it
        violations = frame.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
        where = "page" if frame == page.main_frame else re.sub(r"\?.*", "", frame.url.removeprefix(base_url))
        found += [
            (where, violation["id"], violation["impact"], node["html"][:200])
            for violation in violations
            for node in violation["nodes"]
        ]
    return found


def save(name: str, findings: list[tuple[str, str, str, str]]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-all-{name}.json").write_text(
        json.dumps(findings, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def settle_with_maps(page, path: str) -> None:
    if path.startswith(MAP_PAGES):
        map_document(page)
    page.wait_for_timeout(500)  # tooltips and controls the map adds after its signal


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1400", "390"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing(browser, app_url, path, viewport):
    with visitor(browser, viewport, touch=viewport is PHONE) as page:
        visit(page, app_url, path)
        settle_with_maps(page, path)
        findings = axe_findings(page, app_url)
        name = re.sub(r"\W+", "-", path.strip("/"))
        save(f"{name}-{viewport['width']}", findings)
        assert findings == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_finds_nothing_on_the_staff_page_after_login(page, staff_server, lang):
    base_url, _ = staff_server
    if lang == "de":
        open_and_log_in(page, base_url)
    else:  # the staff page offers no language switch after login: log in on the English page
        page.goto(f"{base_url}/pflege?lang=en")
        page.get_by_label(t("steward_password", "en"), exact=True).fill(PASSWORD)
        page.get_by_role("button", name=t("steward_login", "en")).click()
        page.locator(SITES_UPLOAD).wait_for(state="attached", timeout=30_000)
    settle(page)
    findings = axe_findings(page, base_url)
    save(f"pflege-logged-in-{lang}", findings)
    assert findings == []
