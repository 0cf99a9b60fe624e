"""Accessibility of every page (BITV 2.0 / WCAG 2.1 AA): axe-core, put into the page by the test itself, finds no
critical or serious violation in what the app controls; filters and the choice of a site work by
keyboard; the page and the map say which language they are in.

Findings axe reports for Streamlit's own markup, or for the shared frame, are written to
test-artifacts/axe-<page>.json and listed in ALLOWED with the reason they are not this page's to fix.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.support import ARTIFACTS, AXE_SCRIPT, MAP, map_document, map_search

BLOCKING = {"critical", "serious"}
SITE_ID = "kulturbahnhof-bad-dueben"
# (rule id, pattern of the offending element's HTML) -> why it is not the atlas pages' to fix
ALLOWED: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


def run_axe(target) -> list[dict]:
    target.add_script_tag(path=str(AXE_SCRIPT))
    return target.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")


def allowed(rule_id: str, node_html: str) -> bool:
    return any(rule == rule_id and re.search(pattern, node_html) for rule, pattern in ALLOWED)


def blocking(violations: list[dict]) -> list[tuple[str, str, str]]:
    return [
        (violation["id"], violation["impact"], node["html"][:200])
        for violation in violations
        if violation["impact"] in BLOCKING
        for node in violation["nodes"]
        if not allowed(violation["id"], node["html"])
    ]


def save(name: str, violations: list[dict]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    summary = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "nodes": [node["html"][:300] for node in violation["nodes"]],
        }
        for violation in violations
    ]
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.parametrize(
    "path, name",
    [("/", "karte"), (f"/?site={SITE_ID}&state=SN", "karte-profile"), (f"/standorte?site={SITE_ID}", "standorte")],
)
def test_axe_finds_no_critical_or_serious_violation(page, app_url, path, name):
    page.goto(f"{app_url}{path}")
    if path.startswith("/standorte"):
        page.wait_for_selector(".sa-table tbody tr", timeout=30_000)
    else:
        map_document(page)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
    violations = run_axe(page)  # the map is part of the page
    save(name, violations)
    assert blocking(violations) == []


@pytest.mark.parametrize(
    "path, name",
    [
        ("/regionen?district=15002&compare=15002,14713", "regionen"),
        ("/strukturwandel?zone=jtf_bb_lausitz&lang=en", "strukturwandel"),
        ("/daten", "daten"),
        ("/praesentation?slide=5", "praesentation"),
        ("/vergleich?sites=agro-chemie-park-piesteritz,alte-hoelle,atelierhaus-zeitz&lang=en", "vergleich"),
    ],
)
def test_reading_pages_have_no_critical_or_serious_violation(page, app_url, path, name):
    page.goto(f"{app_url}{path}")
    page.wait_for_selector("h1, .sa-slide-title", timeout=60_000)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)
    page.wait_for_selector("[data-testid=stSkeleton]", state="detached", timeout=60_000)
    violations = run_axe(page)
    save(name, violations)
    assert blocking(violations) == []


def test_page_and_map_declare_their_language(page, app_url):
    page.goto(app_url)
    map_document(page)
    assert page.evaluate("document.documentElement.lang") == "de"
    label = page.locator(f"{MAP} .leaflet-container").get_attribute("aria-label")
    assert (
        label and "Standorte" in label and page.locator(f"{MAP} .leaflet-container").get_attribute("role") == "region"
    )


def test_filters_and_site_choice_work_by_keyboard(page, app_url):
    page.goto(app_url)
    frame = map_document(page)
    search = map_search(page)  # part of the map, above it
    search.focus()
    page.keyboard.type("Kunsthalle")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Kunsthalle"))
    frame.locator(f"{MAP} [role=status]").filter(has_text=re.compile(r"^[1-9]\d* von \d+ Standorten$")).wait_for()
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Enter")  # the filters open from one button
    states = page.get_by_role("combobox", name="Länder")
    states.focus()
    # the list is chosen from, not typed into: the arrow keys walk it (Brandenburg, Sachsen, …)
    page.keyboard.press("ArrowDown")  # opens the list on its first entry
    page.get_by_role("option", name="Brandenburg").wait_for()
    page.keyboard.press("ArrowDown")  # Sachsen, where the Kunsthalle Riesa is
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"state=SN"))
    page.keyboard.press("Escape")
    # a site is reached by keyboard on the map: the first tab stops inside the map are its sites
    marker = frame.locator(".sa-site-marker, .sa-cluster").first
    marker.wait_for()
    marker.focus()
    page.keyboard.press("Enter")
    if "sa-cluster" in (marker.get_attribute("class") or ""):
        frame.locator(".sa-site-marker").first.focus()
        page.keyboard.press("Enter")
    page.locator("section.sa-profile h2").wait_for()
    assert "site=" in page.url
    # the profile closes by keyboard too
    page.get_by_role("button", name="Profil schließen").focus()
    page.keyboard.press("Enter")
    page.locator("section.sa-profile").wait_for(state="detached")
