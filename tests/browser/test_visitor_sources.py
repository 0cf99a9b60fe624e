"""Sources an investor can trust: no document-sharing site and no user page of a Wikipedia mirror as a
source; a copy of Wikipedia that remains is marked as a secondary source; district figures of 2018 carry
the age mark the atlas gives every figure older than a year (German and English)."""

from __future__ import annotations

import re

import pytest

from geo.texts import t
from tests.browser.visits import PROFILE, visit

# no source at all: a user's page on Wikipedia or a mirror (a draft, not reviewed)
REFUSED = re.compile(r"/Benutzer:|/User:", re.I)
# copies (a document-sharing site, mirrors of Wikipedia): allowed only where marked as copies
MIRRORS = re.compile(r"docslib\.org|nearbywiki\.org|academic\.(com|ru)|classicistranieri\.com|wiki\.x\.io", re.I)
# sites whose sources were a document-sharing site, a mirror's user page or a mirror
SITES = [
    "chemiepark-bitterfeld-wolfen",
    "kulturgut-quellenhof-garbisdorf",
    "agro-chemie-park-piesteritz",
    "green-gate-gatersleben",
    "wissenschaftshafen-magdeburg",
    "kloster-posa",
    "burg-tannroda",
]
LINKS = """(profile) => [...profile.querySelectorAll('a[href]')].map(link => ({
  href: link.href, text: (link.closest('dd, p, li') || link).innerText }))"""


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


@pytest.mark.parametrize("site", SITES)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_profiles_cite_no_untrusted_source_and_mark_copies(page, app_url, lang, site):
    visit(page, app_url, f"/standorte?site={site}", lang)
    profile = page.locator(PROFILE)
    profile.wait_for()
    links = profile.evaluate(LINKS)
    assert [link["href"] for link in links if REFUSED.search(link["href"])] == []
    mark = t("source_secondary_mark", lang)
    unmarked = [link["href"] for link in links if MIRRORS.search(link["href"]) and mark not in link["text"]]
    assert unmarked == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_district_figures_of_2018_carry_the_age_mark(page, app_url, lang):
    visit(page, app_url, "/standorte?site=kulturbahnhof-bad-dueben", lang)
    profile = page.locator(PROFILE)
    profile.wait_for()
    heading = t("site_profile_key_figures", lang, district="Nordsachsen")
    figures = profile.locator("h3", has_text=heading).locator("xpath=following-sibling::dl[1]")
    values = figures.locator("dd")
    assert values.count() >= 3
    marker = t("facts_old_marker", lang)
    for number in range(values.count()):
        assert values.nth(number).locator(".sa-old", has_text=marker).count() == 1, values.nth(number).inner_text()
    # the district page's figures say it too: a mark at each figure of 2018, explained below them
    visit(page, app_url, "/regionen?district=14730", lang)
    metrics = page.locator("[data-testid=stMetric]")
    metrics.first.wait_for()
    labels = [metrics.nth(number).inner_text() for number in range(metrics.count())]
    dated = [label for label in labels if "2018" in label]
    assert len(dated) == 3 and all("⚠" in label for label in dated), labels
    # (the page marks further old figures, e.g. the labour market's, by the same rule: look for the 2018 note)
    page.locator("p", has_text="2018").filter(has_text=f"⚠ {marker}").first.wait_for()
