"""AppTest smoke tests of every page (streamlit.testing.v1), in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["karte"]


def run_page(url_path: str, **query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(f"views/{url_path}.py")
    return app.run()


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("url_path", PAGES)
def test_page_renders_without_exception(url_path, lang):
    app = run_page(url_path, lang=lang)
    assert not app.exception, app.exception
