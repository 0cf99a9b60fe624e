"""AppTest smoke tests of every page (streamlit.testing.v1), in both languages, through the router."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from views.pages import FRAMELESS_PAGES, MAIN_PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# every public page the router lists (views/pages.py), so a new page is smoke-tested from the start
PUBLIC_PAGES = [url_path for _, url_path, _, _ in MAIN_PAGES + FRAMELESS_PAGES]


def run_page(url_path: str, **query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(next(script for script, path, _, _ in MAIN_PAGES + FRAMELESS_PAGES if path == url_path))
    return app.run()


def shown_text(app: AppTest) -> str:
    parts = [
        element.value
        for kind in ("title", "header", "subheader", "markdown", "caption")
        for element in getattr(app, kind)
        if isinstance(element.value, str)
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("url_path", PUBLIC_PAGES)
def test_page_renders_without_exception(url_path, lang):
    app = run_page(url_path, lang=lang)
    assert not app.exception, app.exception
    assert not app.error, [error.value for error in app.error]


@pytest.mark.parametrize("lang, title", [("de", "Daten & Quellen"), ("en", "Data & sources")])
def test_page_title_follows_the_language(lang, title):
    app = run_page("daten", lang=lang)
    assert [element.value for element in app.title] == [title]


@pytest.mark.parametrize("url_path", PUBLIC_PAGES)
def test_bad_parameters_give_a_message_not_a_traceback(url_path):
    app = run_page(url_path, site="<script>alert(1)</script>", state="XX", zone="atlantis", slide="x")
    assert not app.exception, app.exception


def test_staff_page_is_not_in_the_navigation_without_a_password(monkeypatch):
    monkeypatch.delenv("STANDORTATLAS_STEWARD_PASSWORD", raising=False)
    app = AppTest.from_file(APP, default_timeout=60).run()
    links = [link.proto.page for link in app.get("page_link")]
    assert links and not any("pflege" in link for link in links)


def test_the_smoke_test_covers_every_page_of_the_router():
    """The page list comes from the router's table, and the router uses that table (not a copy)."""
    router = (Path(APP)).read_text(encoding="utf-8")
    assert "from views.pages import" in router and "views/" not in router.split("start_page")[0]
    assert {"karte", "vergleich", "einbetten", "praesentation"} <= set(PUBLIC_PAGES)
