"""AppTest of the staff page `pflege`: access, login, and upload → report → changes → apply → undo → restore.

Every test that could write works on a copy of data/sites.gpkg in a temporary folder (the page reads
STANDORTATLAS_DATA_DIR at call time); a fixture checks that the bundled file is byte for byte unchanged.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import store
from geo.core import fields
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import auth
from tests.fixtures_import import digest
from tests.html_tables import app_table

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = str(PROJECT_ROOT / "app.py")
PAGE = str(PROJECT_ROOT / "views" / "pflege.py")
PASSWORD = "Kohle-Ausstieg 2038 – ÄÖÜ"
HOSTILE_NAME = "<img src=x onerror=alert(1)> **fett**"
NEW_SITE = {"site_id": "testort-potsdam", "name": "Testort Potsdam", "program": "zukunftsort"}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No password from the developer's shell, and no delay left over from another test's wrong guess."""
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)
    monkeypatch.delenv("STANDORTATLAS_DATA_DIR", raising=False)
    auth.LOGIN_THROTTLE.reset()
    yield
    auth.LOGIN_THROTTLE.reset()


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled sites in a folder of its own; the bundled file must stay untouched."""
    if not SITES_GPKG.exists():
        pytest.fail(f"{SITES_GPKG} is missing: run `python -m geo build`")
    bundled_digest = digest(SITES_GPKG)
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(SITES_GPKG, folder / "sites.gpkg")
    (folder / "reference.gpkg").symlink_to(REFERENCE_GPKG)  # read only
    monkeypatch.setenv("STANDORTATLAS_DATA_DIR", str(folder))
    yield folder / "sites.gpkg"
    assert digest(SITES_GPKG) == bundled_digest, "the bundled data/sites.gpkg was written"


@pytest.fixture
def password(monkeypatch) -> str:
    monkeypatch.setenv(auth.PASSWORD_ENV, PASSWORD)
    return PASSWORD


def open_page(lang: str = "de", secrets: dict | None = None, user: dict | None = None) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["lang"] = lang
    # always set secrets: an empty dict would fall back to a developer's own .streamlit/secrets.toml
    app.secrets = dict(secrets or {"unrelated": "x"})
    if user is not None:
        app.user = user
    app.switch_page("views/pflege.py")
    return app.run()


def log_in(app: AppTest, password: str = PASSWORD) -> AppTest:
    app.text_input[0].input(password)
    return app.button[0].click().run()  # the form's submit button is the only button before login


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def upload(app: AppTest, name: str, data: bytes) -> AppTest:
    app.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return app.run()


def site_file(sites: gpd.GeoDataFrame) -> bytes:
    """The sites as GeoJSON, as a steward would export them from QGIS."""
    columns = [column for column in fields.SITE_COLUMNS if column in sites.columns]
    return gpd.GeoDataFrame(sites[columns], geometry=sites.geometry, crs=sites.crs).to_json().encode("utf-8")


def edited_sites(path: Path, *, rename: str | None = None, add_new: bool = True) -> gpd.GeoDataFrame:
    sites = store.read_sites(path)
    if rename is not None:
        sites.loc[0, "name"] = rename
    if add_new:
        new = sites.iloc[[1]].copy()
        for column, value in NEW_SITE.items():
            new[column] = value
        for column in ("state_code", "district_ags", "municipality_ags", "municipality", "locality"):
            new[column] = None  # derived from the point, as a steward's new row would leave them
        new = new.set_geometry([shapely.Point(13.0645, 52.3906)], crs=sites.crs)
        sites = gpd.GeoDataFrame(pd.concat([sites, new], ignore_index=True), geometry="geometry", crs=sites.crs)
    return sites


# --- access ---------------------------------------------------------------------------------------------


def navigation_pages(secrets: dict | None = None) -> list[str]:
    """The URL paths the router's sidebar links to (a run of app.py on its default page)."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.secrets = dict(secrets or {"unrelated": "x"})
    app.run()
    assert not app.exception, app.exception
    return [link.proto.page for link in app.sidebar.get("page_link")]


def site_uploaders(app) -> list:
    """The sites import's upload field (the district-figures tab has one of its own)."""
    return [uploader for uploader in app.file_uploader if uploader.key.startswith("steward_upload")]


def test_without_password_the_page_is_not_in_the_navigation():
    assert "pflege" not in navigation_pages()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_page_script_reached_directly_without_password_refuses(lang):
    # e.g. a deep link that bypasses the router: the page itself must refuse
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.query_params["lang"] = lang
    app.secrets = {"unrelated": "x"}
    app.run()
    assert not app.exception, app.exception
    assert texts(app.error) == [
        {
            "de": "Die Datenpflege ist nicht eingerichtet: Es gibt weder Konten noch ein Passwort.",
            "en": "Data stewardship is not set up: there are neither accounts nor a password.",
        }[lang]
    ]
    assert not app.text_input and not app.file_uploader and not app.button


def test_with_password_the_page_is_listed_and_asks_for_it(password):
    assert "pflege" in navigation_pages()
    app = open_page()
    assert not app.exception, app.exception
    assert [field.label for field in app.text_input] == ["Passwort"]
    assert app.text_input[0].proto.type == app.text_input[0].proto.PASSWORD
    assert not app.file_uploader


@pytest.mark.parametrize(
    "lang, wrong, wait",
    [
        ("de", "Das Passwort ist falsch.", "Bitte warten: Nach einer falschen Anmeldung ist der nächste Versuch"),
        ("en", "The password is wrong.", "Please wait: after a wrong login, the next attempt"),
    ],
)
def test_wrong_password_is_refused_and_the_next_attempt_is_told_to_wait(password, lang, wrong, wait, caplog):
    caplog.set_level(logging.DEBUG)
    app = log_in(open_page(lang), "falsch")
    assert texts(app.error) == [wrong]
    assert not app.file_uploader
    started = time.monotonic()
    app = log_in(app, PASSWORD)  # even the right password is not compared before the wait is over
    assert time.monotonic() - started < 5, "answered at once, not held"
    assert not site_uploaders(app)
    assert texts(app.error) == [], "the earlier error is gone"
    assert len(app.warning) == 1 and app.warning[0].value.startswith(wait)
    time.sleep(auth.LOGIN_THROTTLE.delay_for(auth.client_address(None)))  # AppTest: the loopback address
    app = log_in(app, PASSWORD)
    assert len(site_uploaders(app)) == 1
    failures = [record.getMessage() for record in caplog.records if "wrong steward password" in record.getMessage()]
    assert len(failures) == 1 and "falsch" not in caplog.text and PASSWORD not in caplog.text


def test_right_password_shows_the_upload_and_keeps_only_a_flag(password, data_copy):
    app = log_in(open_page(secrets={"steward_password": "not this one"}))  # the environment wins
    assert not app.exception, app.exception
    assert len(site_uploaders(app)) == 1
    assert app.session_state["steward_logged_in"] is True
    stored = [str(app.session_state[key]) for key in app.session_state]
    assert not any(PASSWORD in value for value in stored)
    assert app.text_input == [] or all(field.value in ("", None) for field in app.text_input)


def test_password_from_secrets_and_logout(data_copy):
    app = log_in(open_page("en", secrets={"steward_password": PASSWORD}))
    assert len(site_uploaders(app)) == 1
    app.button(key="steward_logout").click().run()
    assert not app.file_uploader
    assert [field.label for field in app.text_input] == ["Password"]
    assert "steward_logged_in" not in app.session_state


def test_oidc_login_of_a_listed_steward_needs_no_password(password, data_copy):
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"},
        "steward_emails": ["Pflege@Example.org"],
    }
    listed = open_page(secrets=secrets, user={"is_logged_in": True, "email": "pflege@example.org"})
    assert len(site_uploaders(listed)) == 1
    stranger = open_page(secrets=secrets, user={"is_logged_in": True, "email": "someone@example.org"})
    assert not stranger.file_uploader
    assert any("someone@example\\.org" in warning for warning in texts(stranger.warning))  # escaped Markdown
    logged_out = open_page(secrets=secrets, user={"is_logged_in": False})
    assert [button.label for button in logged_out.button if "Organisationskonto" in button.label]


# --- the import flow ------------------------------------------------------------------------------------


def test_upload_review_apply_undo_and_restore(password, data_copy, monkeypatch):
    before = store.read_sites(data_copy)
    app = log_in(open_page())
    app = upload(app, "standorte.geojson", site_file(edited_sites(data_copy, rename=HOSTILE_NAME)))
    assert not app.exception, app.exception
    assert texts(app.success)[0].startswith(f"Die Datei ist gültig: {len(before) + 1} Standorte, ")
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics == {"Neu": "1", "Geändert": "1", "Entfernt": "0", "Unverändert": str(len(before) - 1)}
    changes = app_table(app, "Änderung")
    assert list(changes.columns) == ["site_id", "Name", "Änderung", "Feld", "bisher", "neu"]
    rows = changes.to_dict("records")
    assert {"site_id": "testort-potsdam", "Änderung": "neu"}.items() <= rows[0].items()
    renamed = next(row for row in rows if row["Änderung"] == "geändert")
    assert renamed["Feld"] == "name"
    # data is escaped for the table's HTML: the browser shows the literal text, no image, no bold
    assert renamed["neu"] == "<img src=x onerror=alert(1)> **fett**"
    page_html = "".join(element.proto.body for element in app.get("html"))
    assert "<img src=x" not in page_html and "&lt;img src=x onerror=alert(1)&gt; **fett**" in page_html
    assert app.button(key="steward_apply").disabled is False
    assert digest(data_copy) == digest(SITES_GPKG), "nothing may be written before apply"

    app = app.button(key="steward_apply").click().run()
    assert not app.exception, app.exception
    assert texts(app.success)[0] == (
        "Übernommen: 1 neu, 1 geändert, 0 entfernt. "
        f"Die App zeigt ab sofort die neuen Daten ({len(before) + 1} Standorte)."
    )
    after = store.read_sites(data_copy)
    assert len(after) == len(before) + 1
    assert HOSTILE_NAME in set(after["name"]) and NEW_SITE["site_id"] in set(after["site_id"])
    assert app.file_uploader[0].value is None, "a fresh uploader after apply"

    # the running app's cached sites follow the file version: the new site shows without a restart
    import views.data as data_access

    monkeypatch.setattr(data_access, "SITES_GPKG", data_copy)
    assert NEW_SITE["site_id"] in set(data_access.sites()["site_id"])

    versions = app_table(app, "Gesichert am")
    assert len(versions) == 1 and "letzten Änderung" in versions.iloc[0]["Art"]
    app = app.button(key="steward_undo").click().run()
    assert not app.exception, app.exception
    assert texts(app.success)[0].startswith("Rückgängig gemacht: wieder der Stand vor der Änderung vom ")
    assert digest(data_copy) == digest(SITES_GPKG)
    assert NEW_SITE["site_id"] not in set(data_access.sites()["site_id"])

    # the undone state can come back
    restore_choice = next(box for box in app.selectbox if box.label == "Version wiederherstellen")
    assert "rückgängig gemachter Stand" in restore_choice.format_func(restore_choice.value)
    app = app.button(key="steward_restore").click().run()
    assert not app.exception, app.exception
    assert texts(app.success)[0].startswith("Wiederhergestellt: der Stand vom ")
    assert NEW_SITE["site_id"] in set(store.read_sites(data_copy)["site_id"])


def test_undo_right_after_apply_from_the_notice(password, data_copy):
    app = upload(log_in(open_page("en")), "sites.geojson", site_file(edited_sites(data_copy)))
    app = app.button(key="steward_apply").click().run()
    assert texts(app.success)[0].startswith("Applied: 1 new, 0 changed, 0 removed.")
    app = app.button(key="steward_undo_import").click().run()
    assert texts(app.success)[0].startswith("Undone: back to the state before the change of ")
    assert digest(data_copy) == digest(SITES_GPKG)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_errors_are_listed_by_row_and_field_and_block_apply(password, data_copy, lang):
    csv_text = (
        "name;program;lat;lon;website\n"
        "Guter Ort;zukunftsort;52,39;13,06;https://example.org\n"
        "Ohne Programm;;51,05;13,73;\n"
        "In Bayern;kreativort;48,1;11,5;example.org\n"
    )
    app = upload(log_in(open_page(lang)), "orte.csv", csv_text.encode("utf-8"))
    assert not app.exception, app.exception
    summary = {
        "de": "3 Fehler, 0 Warnungen – so kann die Datei nicht übernommen werden.",
        "en": "3 error(s), 0 warning(s) – the file cannot be applied like this.",
    }[lang]
    assert texts(app.error)[0].startswith(summary)
    columns = {"de": ["Art", "Zeile", "Feld", "Meldung"], "en": ["Kind", "Row", "Field", "Message"]}[lang]
    problems = app_table(app, columns[3])
    assert list(problems.columns) == columns
    assert [(row[columns[1]], row[columns[2]]) for row in problems.to_dict("records")] == [
        ("3", "program"),
        ("4", "website"),
        ("4", "geometry"),
    ]
    missing_program = {"de": "Das Programm fehlt.", "en": "The program is missing."}[lang]
    assert problems.iloc[0][columns[3]] == missing_program
    assert app.button(key="steward_apply").disabled is True
    assert not app.metric
    assert digest(data_copy) == digest(SITES_GPKG)


def test_replace_warns_and_removes_sites_missing_from_the_file(password, data_copy):
    sites = store.read_sites(data_copy)
    app = upload(log_in(open_page()), "teil.geojson", site_file(sites.iloc[:-2]))
    assert {metric.label: metric.value for metric in app.metric}["Entfernt"] == "0"
    assert any("2 bestehende Standorte" in caption for caption in texts(app.caption))
    assert app.button(key="steward_apply").disabled is True, "nothing to change without replace"
    replace = next(box for box in app.checkbox if box.label.startswith("Ersetzen"))
    app = replace.check().run()
    assert {metric.label: metric.value for metric in app.metric}["Entfernt"] == "2"
    assert texts(app.warning) == [
        "Achtung: Beim Übernehmen werden 2 Standorte entfernt, weil sie nicht in der Datei stehen. "
        "Das lässt sich unter „Versionen und Rückgängig“ rückgängig machen."
    ]
    app = app.button(key="steward_apply").click().run()
    assert len(store.read_sites(data_copy)) == len(sites) - 2


def test_a_change_by_someone_else_after_the_review_is_refused(password, data_copy):
    app = upload(log_in(open_page("en")), "sites.geojson", site_file(edited_sites(data_copy)))
    assert app.button(key="steward_apply").disabled is False
    # meanwhile, the command line (or another session) writes
    other = store.read_sites(data_copy).iloc[:-1]
    store.write_sites(other, data_copy)
    written_by_other = digest(data_copy)
    app = app.button(key="steward_apply").click().run()
    assert not app.exception, app.exception
    assert texts(app.warning)[0].startswith("The site data was changed in the meantime")
    assert digest(data_copy) == written_by_other, "the stale import must not be written"
    # the comparison is renewed against what is there now: the site the other write removed is in the
    # file, so applying now would bring it back - shown before anything is written
    assert {metric.label: metric.value for metric in app.metric}["New"] == "2"


def test_a_geopackage_with_several_layers_offers_the_choice(password, data_copy, tmp_path):
    package = tmp_path / "export.gpkg"
    sites = store.read_sites(data_copy)
    sites.iloc[:3].to_file(package, layer="alt", driver="GPKG")
    edited_sites(data_copy).to_file(package, layer="neu", driver="GPKG")
    app = upload(log_in(open_page()), "export.gpkg", package.read_bytes())
    assert not app.exception, app.exception
    layer = next(box for box in app.selectbox if box.label == "Layer der GeoPackage-Datei")
    assert layer.options == ["alt", "neu"] and layer.value == "alt"
    app = layer.select("neu").run()
    assert {metric.label: metric.value for metric in app.metric}["Neu"] == "1"


def test_x_y_columns_need_a_crs_chosen_on_the_page(password, data_copy):
    from pyproj import Transformer

    x, y = Transformer.from_crs(4326, 25833, always_xy=True).transform(13.0645, 52.3906)
    csv_text = f"site_id,name,program,x,y\ntestort-utm,UTM-Ort,zukunftsort,{x:.1f},{y:.1f}\n"
    app = upload(log_in(open_page("en")), "utm.csv", csv_text.encode())
    messages = texts(app.error) + [str(value) for value in app_table(app, "Message")["Message"]]
    assert any("coordinate reference system" in message for message in messages)
    # the page names its own field, never the command-line option
    assert any("field 'Coordinate reference system'" in message.replace("\\", "") for message in messages)
    assert not any("--crs" in message.replace("\\", "") for message in messages)
    crs = next(box for box in app.selectbox if box.label.startswith("Coordinate reference system"))
    app = crs.select("25833").run()
    assert not app.exception, app.exception
    assert texts(app.success) == ["The file is valid: 1 sites, 0 warning(s)."]
    # typing a code of one's own is driven in the browser test: AppTest cannot type into a selectbox


@pytest.mark.parametrize(
    "failure, message",
    [
        (store.StoreBusy("locked"), "Someone else is writing the site data right now."),
        (OSError("disk full"), "The site data could not be written; it is unchanged."),
        (store.StoreReadOnly("read-only"), "The site data is unchanged: the folder "),
    ],
)
def test_a_failed_write_is_a_message_not_a_traceback(password, data_copy, monkeypatch, failure, message):
    def fail(*args, **kwargs):
        raise failure

    app = upload(log_in(open_page("en")), "sites.geojson", site_file(edited_sites(data_copy)))
    monkeypatch.setattr(store, "write_sites", fail)  # the write every apply makes
    app = app.button(key="steward_apply").click().run()
    assert not app.exception, app.exception
    assert any(text.startswith(message) for text in texts(app.error))
    assert digest(data_copy) == digest(SITES_GPKG)


def test_an_unforeseen_failure_while_checking_is_a_message(password, data_copy, monkeypatch):
    """The checking process failed (a bug; a limit it reached is a refused result instead)."""
    from geo.imports import worker as import_worker

    def fail(*args, **kwargs):
        raise import_worker.CheckFailed("the checking process ended without a result (exit code -9)")

    monkeypatch.setattr(import_worker, "check_upload", fail)
    app = upload(log_in(open_page("en")), "sites.geojson", b"{}")
    assert not app.exception, app.exception
    assert texts(app.error)[0].startswith("The file could not be checked.")


def test_a_long_file_is_checked_beside_the_page_with_progress(password, data_copy):
    """The page hands the check to a process of its own (other visitors keep their share of the server)
    and draws a progress bar; the report is the same."""
    header = "site_id,name,program,lat,lon\n"
    rows = "".join(
        f"testort-{number:05d},Testort {number:05d},zukunftsort,52.39{number % 10},13.06{number % 7}\n"
        for number in range(4000)
    )
    data = (header + rows).encode()
    app = upload(log_in(open_page("en")), "lang.csv", data)
    assert not app.exception, app.exception
    assert texts(app.success)[0].startswith("The file is valid: 4,000 sites") or texts(app.success)[0].startswith(
        "The file is valid: 4000 sites"
    ), texts(app.success)
    assert {metric.label: metric.value for metric in app.metric}["New"] in ("4,000", "4000")


def test_distances_that_cannot_be_computed_are_a_warning_on_the_page(password, data_copy, monkeypatch):
    import geo.sites.surroundings

    def broken(sites):
        raise RuntimeError("stations layer unreadable")

    monkeypatch.setattr(geo.sites.surroundings, "add_surroundings", broken)
    app = upload(log_in(open_page("en")), "sites.geojson", site_file(edited_sites(data_copy)))
    assert not app.exception, app.exception
    assert any(
        warning.startswith("The nearest airport, station and city could not be computed for 1 site")
        and "stations layer unreadable" in warning
        for warning in texts(app.warning)
    ), texts(app.warning)
