"""AppTest of the staff address without a password and of the configurable imprint on the data page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_app_smoke import APP, run_page


@pytest.mark.parametrize(
    "lang, title", [("de", "Datenpflege nicht verfügbar"), ("en", "Data maintenance not available")]
)
def test_staff_address_without_password_says_not_available(monkeypatch, lang, title):
    monkeypatch.delenv("STANDORTATLAS_STEWARD_PASSWORD", raising=False)
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets = {"unrelated": "x"}
    app.query_params["lang"] = lang
    app.switch_page("views/pflege.py")  # AppTest finds a page by its address, like a browser does
    app.run()
    assert not app.exception, app.exception
    assert [element.value for element in app.title] == [title]
    assert len(app.info) == 1
    assert not app.get("file_uploader") and not app.text_input  # no login form, nothing to upload
    links = [link.proto.page for link in app.sidebar.get("page_link")]
    assert "pflege" not in links  # reachable by its address, never linked


def test_staff_address_with_password_is_the_staff_page(monkeypatch):
    monkeypatch.setenv("STANDORTATLAS_STEWARD_PASSWORD", "secret")
    app = AppTest.from_file(APP, default_timeout=60)
    app.switch_page("views/pflege.py")
    app.run()
    assert not app.exception, app.exception
    assert [element.value for element in app.title] == ["Datenpflege"]


def imprint_text(app) -> str:
    return "\n".join(str(element.value) for element in (*app.header, *app.markdown))


def test_imprint_is_hidden_when_not_configured(monkeypatch):
    monkeypatch.delenv("STANDORTATLAS_IMPRINT_TEXT", raising=False)
    monkeypatch.delenv("STANDORTATLAS_IMPRINT_URL", raising=False)
    app = run_page("daten")
    assert not app.exception, app.exception
    assert "Impressum" not in [element.value for element in app.header]
    assert "Platzhalter" not in imprint_text(app) and not app.warning


def test_imprint_from_the_environment_is_shown_literally_with_its_link(monkeypatch):
    monkeypatch.setenv("STANDORTATLAS_IMPRINT_TEXT", "Landesamt für Beispiele\n**Musterstraße 1**, 01067 Dresden")
    monkeypatch.setenv("STANDORTATLAS_IMPRINT_URL", "https://www.example.org/impressum")
    app = run_page("daten", lang="en")
    assert not app.exception, app.exception
    assert "Imprint" in [element.value for element in app.header]
    shown = imprint_text(app)
    assert "Landesamt für Beispiele" in shown and "\\*\\*Musterstraße 1\\*\\*" in shown  # no Markdown from config
    [button] = app.get("link_button")
    assert button.proto.url == "https://www.example.org/impressum"


def test_imprint_link_that_is_not_http_is_dropped(monkeypatch):
    monkeypatch.delenv("STANDORTATLAS_IMPRINT_TEXT", raising=False)
    monkeypatch.setenv("STANDORTATLAS_IMPRINT_URL", "javascript:alert(1)")
    app = run_page("daten")
    assert not app.exception, app.exception
    assert "Impressum" not in [element.value for element in app.header] and not app.get("link_button")


@pytest.mark.parametrize(
    "lang, words",
    [
        ("de", ("Jahresfahrplan 2026", "Dessau Hbf", "Oranienburg", "heute betrieben")),
        ("en", ("2026 annual timetable", "Dessau Hbf", "Oranienburg", "operate today")),
    ],
)
def test_data_page_states_the_station_rule_and_the_inclusion_rule(lang, words):
    app = run_page("daten", lang=lang)
    assert not app.exception, app.exception
    shown = "\n".join(element.value for element in app.markdown)
    for word in words:
        assert word in shown, word


@pytest.mark.parametrize(
    "lang, title", [("de", "Standortatlas Ostdeutschland"), ("en", "Site Atlas of Eastern Germany")]
)
def test_the_sidebar_head_is_one_block_with_the_logo_inside(lang, title):
    app = run_page("daten", lang=lang)
    assert not app.exception, app.exception
    [head] = [element.proto.body for element in app.sidebar.get("html") if "sa-brand" in element.proto.body]
    assert f"<p>{title}</p>" in head and 'src="data:image/png;base64,' in head and 'alt=""' in head
    assert not app.sidebar.get("imgs")  # no image element of its own: no request, no late change
