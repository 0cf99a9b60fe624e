"""Browser tier for hostile links: unknown values of a link come back in the page's warning as plain text.
A Markdown link in `?sites=` is no clickable link under the agency's name, a Markdown image loads nothing,
and the browser asks no origin but the app's."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.support import ARTIFACTS, foreign_origins

PHISHING = "[Hier neu anmelden](https://evil.example/login)"
TRACKING_IMAGE = "![t](http://127.0.0.1:8690/md.png)"
KNOWN = "agro-chemie-park-piesteritz"


@pytest.mark.parametrize(
    "path, query",
    [
        ("vergleich", {"sites": f"{KNOWN},{PHISHING},{TRACKING_IMAGE}"}),
        ("karte", {"state": f"SN,{PHISHING}", "program": TRACKING_IMAGE}),
    ],
)
def test_hostile_values_in_a_link_show_as_text_and_load_nothing(page, app_url, path, query):
    page.goto(f"{app_url}/{path}?" + "&".join(f"{key}={quote(value, safe='')}" for key, value in query.items()))
    warning = page.locator("[data-testid='stAlert']", has_text="evil.example").first
    warning.wait_for(timeout=60_000)
    # brackets and address shown as text (an invisible word joiner keeps the address from becoming a link)
    assert PHISHING in warning.inner_text().replace("\u2060", "")
    page.wait_for_timeout(1_000)  # an image the warning might load would have been asked for by now
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"hostile-link-{path}.png"), full_page=False)
    assert page.locator("a[href*='evil.example']").count() == 0
    assert page.locator("img[src*='8690']").count() == 0
    assert "http://127.0.0.1:8690" not in page.requested_origins
    assert foreign_origins(page.requested_origins, app_url) == set()
