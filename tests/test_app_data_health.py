"""The app started with a data file or the web libraries missing or damaged: every page (the embed too)
shows a message that names the file and the command that restores it, instead of Streamlit's generic
error, and the staff page still lists the kept versions and restores one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.core import web_assets
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import auth
from geo.store import health as data_health
from tests.fixtures_import import digest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = str(PROJECT_ROOT / "app.py")
PASSWORD = "Datenrettung-2038"
PAGES = ["views/karte.py", "views/standorte.py", "views/daten.py", "views/einbetten.py"]


def damage(path: Path, how: str) -> None:
    if how == "missing":
        path.unlink()
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "truncated":
        path.write_bytes(path.read_bytes()[:4096])
    elif how == "random":
        path.write_bytes(os.urandom(64 * 1024))


@pytest.fixture
def data_folder(tmp_path, monkeypatch) -> Path:
    """Copies of both data files (and one kept version of the sites) in a folder of their own."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(SITES_GPKG, folder / "sites.gpkg")
    shutil.copyfile(REFERENCE_GPKG, folder / "reference.gpkg")
    (folder / "backups").mkdir()
    shutil.copyfile(SITES_GPKG, folder / "backups" / "sites-20261101T120000000000Z-previous.gpkg")
    monkeypatch.setenv("STANDORTATLAS_DATA_DIR", str(folder))
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    auth.LOGIN_THROTTLE.reset()
    bundled = digest(SITES_GPKG), digest(REFERENCE_GPKG)
    yield folder
    assert (digest(SITES_GPKG), digest(REFERENCE_GPKG)) == bundled


def open_app(page: str, lang: str = "en") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["lang"] = lang
    app.secrets = {"unrelated": "x"}
    app.switch_page(page)
    return app.run()


def errors(app: AppTest) -> list[str]:
    return [element.value for element in app.error]


@pytest.mark.parametrize(
    "file_name, how",
    [
        ("sites.gpkg", "missing"),
        ("sites.gpkg", "empty"),
        ("sites.gpkg", "truncated"),
        ("sites.gpkg", "random"),
        ("reference.gpkg", "missing"),
        ("reference.gpkg", "truncated"),
        ("reference.gpkg", "random"),
    ],
)
def test_every_page_names_the_file_and_the_restoring_command(data_folder, file_name, how):
    damage(data_folder / file_name, how)
    command = "python -m geo build --only reference" if file_name == "reference.gpkg" else "python -m geo undo --to"
    for page in PAGES:
        app = open_app(page)
        assert not app.exception, (page, app.exception)
        messages = errors(app)
        assert len(messages) == 1, (page, messages)
        assert str(data_folder / file_name) in messages[0].replace("\\", "")
        assert ("is missing" if how == "missing" else "is damaged") in messages[0]
        assert command in messages[0]


def test_the_staff_page_lists_and_restores_kept_versions_when_the_live_file_is_damaged(data_folder):
    live = data_folder / "sites.gpkg"
    damage(live, "truncated")
    app = open_app("views/pflege.py")
    app.text_input[0].input(PASSWORD)
    app = app.button[0].click().run()
    assert not app.exception, app.exception
    assert any("is damaged" in message for message in errors(app))
    assert any("The current file is damaged" in warning.value for warning in app.warning)
    assert not app.file_uploader  # no import onto damaged data
    choice = [box for box in app.selectbox if box.key and box.key.startswith("steward_restore_")][0]
    assert choice.options and "sites-20261101T120000000000Z-previous.gpkg" in choice.value
    app = app.button(key="steward_restore").click().run()
    assert not app.exception, app.exception
    assert digest(live) == digest(SITES_GPKG)
    assert data_health.data_problems(live, data_folder / "reference.gpkg") == []
    app = open_app("views/karte.py")
    assert not errors(app)


def test_missing_web_libraries_name_the_setup_command(data_folder, tmp_path, monkeypatch):
    monkeypatch.setattr(web_assets, "VENDOR_DIR", tmp_path / "no-vendor")
    for page in ("views/karte.py", "views/einbetten.py"):
        app = open_app(page)
        assert not app.exception, app.exception
        warnings = [warning.value for warning in app.warning]
        assert any("static/vendor/" in text and "make setup" in text for text in warnings), warnings


def test_history_on_the_command_line_lists_versions_of_a_damaged_file(data_folder, capsys):
    from geo.cli.main import main

    damage(data_folder / "sites.gpkg", "random")
    assert main(["history", "--sites", str(data_folder / "sites.gpkg"), "--lang", "en"]) == 0
    output = capsys.readouterr().out
    assert "is damaged and cannot be read" in output
    assert "sites-20261101T120000000000Z-previous.gpkg" in output
    assert main(["undo", "--sites", str(data_folder / "sites.gpkg")]) == 0
    assert digest(data_folder / "sites.gpkg") == digest(SITES_GPKG)
    assert store.read_sites(data_folder / "sites.gpkg").shape[0] > 0
