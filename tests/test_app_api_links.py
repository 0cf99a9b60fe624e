"""The atlas's pages link to the open data API: a site's profile, the sites page's selection, the comparison
and /daten; every link relative to the page, in the page's language."""

from __future__ import annotations

import pytest

from tests.test_app_smoke import run_page

SITE = "biopharmapark-dessau"


def html_of(app) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def markdown_of(app) -> str:
    return "\n".join(str(element.value) for element in app.markdown)


@pytest.mark.parametrize("page", ["karte", "standorte"])
@pytest.mark.parametrize("lang, words", [("de", "als offene Daten"), ("en", "as open data")])
def test_profile_links_to_the_site_in_the_api(page, lang, words):
    app = run_page(page, lang=lang, site=SITE)
    assert not app.exception, app.exception
    html = html_of(app)
    assert f'href="api/collections/sites/items/{SITE}?f=html&amp;lang={lang}"' in html and words in html


def test_sites_page_links_its_selection_to_the_api():
    app = run_page("standorte", lang="en", program="zukunftsort", state="ST")
    assert not app.exception, app.exception
    assert "(api/collections/sites/items?f=html&state=ST&program=zukunftsort&lang=en)" in markdown_of(app)


def test_comparison_links_each_site_to_the_api():
    app = run_page("vergleich", sites=f"{SITE},agro-chemie-park-piesteritz")
    assert not app.exception, app.exception
    html = html_of(app)
    assert f"api/collections/sites/items/{SITE}?f=json&amp;lang=de" in html
    assert "api/collections/sites/items/agro-chemie-park-piesteritz?f=json" in html


@pytest.mark.parametrize(
    "lang, title", [("de", "Offene Daten: API für Partner"), ("en", "Open data: API for partners")]
)
def test_data_page_explains_the_api(lang, title):
    app = run_page("daten", lang=lang)
    assert not app.exception, app.exception
    assert title in [element.value for element in app.header]
    assert f"(api/?lang={lang})" in markdown_of(app) and f"(api/openapi?f=html&lang={lang})" in markdown_of(app)
