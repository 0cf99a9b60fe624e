"""AppTest of the staff page with named accounts: a partner proposes (file and form), out of scope is
refused whole, an editor approves (never their own) or rejects with a reason the partner sees, the history
names both, the freshness tab counts and exports; sessions end when the account is disabled on another
replica (PostgreSQL) or after the idle time. Works on a copy of the data (GeoPackage) or a throwaway
database; the bundled file stays untouched."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest

from geo import store
from geo.core import fields
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.imports import auth
from geo.store import accounts, changes
from geo.store import postgis as store_postgis
from tests.fixtures_import import digest
from tests.html_tables import app_table, app_tables

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HALLE = "15002"
HALLE_SITE = "technologiepark-weinberg-campus"
OTHER_SITE = "agro-chemie-park-piesteritz"
SECRET = "Saale-Ufer 2038 Wandel"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)
    monkeypatch.delenv("STANDORTATLAS_DATA_DIR", raising=False)
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    auth.LOGIN_THROTTLE.reset()
    yield
    auth.LOGIN_THROTTLE.reset()


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    bundled = digest(SITES_GPKG)
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(SITES_GPKG, folder / "sites.gpkg")
    (folder / "reference.gpkg").symlink_to(REFERENCE_GPKG)
    monkeypatch.setenv("STANDORTATLAS_DATA_DIR", str(folder))
    yield folder / "sites.gpkg"
    assert digest(SITES_GPKG) == bundled, "the bundled data/sites.gpkg was written"


@pytest.fixture
def people(data_copy):
    return add_people(data_copy)


def add_people(location) -> dict[str, str]:
    passwords = {"anna": SECRET + " eins", "ben": SECRET + " zwei", "stadt-halle": SECRET + " drei"}
    accounts.add(location, "anna", "editor", passwords["anna"])
    accounts.add(location, "ben", "admin", passwords["ben"])
    accounts.add(location, "stadt-halle", "partner", passwords["stadt-halle"], districts=[HALLE])
    return passwords


def open_page(lang: str = "de") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["lang"] = lang
    app.secrets = {"unrelated": "x"}
    app.switch_page("views/pflege.py")
    return app.run()


def log_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="steward_login_name").input(name)
    next(field for field in app.text_input if field.key != "steward_login_name").input(password)
    app = app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def texts(elements) -> list[str]:
    return [element.value for element in elements]


def tab_labels(app: AppTest) -> list[str]:
    return [tab.label for tab in app.tabs]


def upload_sites(app: AppTest, sites: gpd.GeoDataFrame) -> AppTest:
    columns = [column for column in fields.SITE_COLUMNS if column in sites.columns]
    data = gpd.GeoDataFrame(sites[columns], geometry=sites.geometry, crs=sites.crs).to_json().encode("utf-8")
    app.file_uploader[0].set_value(("vorschlag.geojson", data, "application/geo+json"))
    app = app.run()
    assert not app.exception, app.exception
    return app


def renamed(location, site_id: str, name: str) -> gpd.GeoDataFrame:
    sites = store.read_sites(location)
    chosen = sites[sites["site_id"] == site_id].copy()
    chosen["name"] = name
    return chosen


def visitor_name(location, site_id: str) -> str:
    sites = store.read_sites_for_app(location)
    return str(sites.loc[sites["site_id"] == site_id, "name"].iloc[0])


# --- partners and editors --------------------------------------------------------------------------------


def test_with_accounts_the_login_asks_for_a_name_and_tabs_follow_the_role(people):
    app = open_page("en")
    assert [field.label for field in app.text_input] == ["Account name", "Password"]
    partner = log_in(app, "stadt-halle", people["stadt-halle"])
    assert tab_labels(partner) == ["Import a file", "Edit a site", "My proposals", "History", "Freshness"]
    assert "Logged in as stadt-halle (partner)" in texts(partner.caption)
    admin = log_in(open_page("en"), "ben", people["ben"])
    assert tab_labels(admin)[-1] == "Accounts" and "Review proposals" in tab_labels(admin)
    assert "District figures" in tab_labels(admin)  # the agency's statistics: editors only


def test_the_shared_password_no_longer_opens_the_page_once_accounts_exist(people, monkeypatch):
    monkeypatch.setenv(auth.PASSWORD_ENV, "gemeinsames-geheimnis")
    app = log_in(open_page(), "", "gemeinsames-geheimnis")
    assert not app.file_uploader
    assert texts(app.error) == ["Kontoname oder Passwort ist falsch."]


def test_an_out_of_scope_file_is_refused_whole_naming_the_sites(people, data_copy):
    app = log_in(open_page(), "stadt-halle", people["stadt-halle"])
    both = store.read_sites(data_copy)
    both = both[both["site_id"].isin([HALLE_SITE, OTHER_SITE])].copy()
    both["name"] = both["name"] + " (neu)"
    app = upload_sites(app, both)
    assert app.button(key="steward_propose").disabled is False
    assert [button for button in app.button if button.key == "steward_apply"] == []  # partners never apply
    app = app.button(key="steward_propose").click().run()
    assert any(OTHER_SITE.replace("-", "\\-") in error for error in texts(app.error)), texts(app.error)
    assert changes.proposals(data_copy) == []


def test_partner_proposal_editor_approval_history_and_the_partners_view(people, data_copy):
    partner = log_in(open_page(), "stadt-halle", people["stadt-halle"])
    partner = upload_sites(partner, renamed(data_copy, HALLE_SITE, "Weinberg Campus (Vorschlag)"))
    partner = partner.button(key="steward_propose").click().run()
    assert texts(partner.success)[0].startswith("Vorschlag #1 gespeichert.")
    assert visitor_name(data_copy, HALLE_SITE) == "Technologiepark Weinberg Campus"

    editor = log_in(open_page(), "anna", people["anna"])
    assert editor.selectbox(key="steward_proposal_choice").value == 1
    assert editor.button(key="steward_approve").disabled is False
    editor = editor.button(key="steward_approve").click().run()
    assert not editor.exception, editor.exception
    assert texts(editor.success)[0].startswith("Vorschlag #1 freigegeben und übernommen")
    assert visitor_name(data_copy, HALLE_SITE) == "Weinberg Campus (Vorschlag)"

    editor.selectbox(key="steward_history_site").select(HALLE_SITE)
    editor = editor.run()
    history = app_table(editor, "freigegeben von")
    first = history.iloc[0]
    assert (first["vorgeschlagen von"], first["freigegeben von"]) == ("stadt-halle", "anna")

    partner = partner.run()
    mine = app_table(partner, "Stand")
    assert mine.iloc[0]["Stand"] == "freigegeben"


def test_an_editor_cannot_approve_their_own_proposal(people, data_copy):
    editor = log_in(open_page("en"), "anna", people["anna"])
    from geo.imports import importer, workflow

    result = importer.read_user_file(
        gpd_file(data_copy, renamed(data_copy, OTHER_SITE, "Eigener Vorschlag")),
        reference_path=REFERENCE_GPKG,
        sites_path=data_copy,
    )
    workflow.propose(result, data_copy, accounts.get(data_copy, "anna"))
    editor = editor.run()
    assert editor.button(key="steward_approve").disabled is True
    assert any("four-eyes" in info for info in texts(editor.info))


def gpd_file(location: Path, sites: gpd.GeoDataFrame) -> Path:
    path = location.parent / "eigen.geojson"
    columns = [column for column in fields.SITE_COLUMNS if column in sites.columns]
    gpd.GeoDataFrame(sites[columns], geometry=sites.geometry, crs=sites.crs).to_file(path, driver="GeoJSON")
    return path


def test_a_rejection_reason_reaches_the_partner(people, data_copy):
    partner = log_in(open_page("en"), "stadt-halle", people["stadt-halle"])
    partner = upload_sites(partner, renamed(data_copy, HALLE_SITE, "Falscher Name"))
    partner = partner.button(key="steward_propose").click().run()
    editor = log_in(open_page("en"), "anna", people["anna"])
    editor.text_area(key="steward_reject_reason_1").input("Name <b>laut</b> Satzung anders.")
    editor = editor.button(key="steward_reject").click().run()
    assert texts(editor.success)[0].startswith("Proposal #1 rejected")
    partner = partner.run()
    mine = app_table(partner, "Reason")
    assert mine.iloc[0]["State"] == "rejected"
    assert mine.iloc[0]["Reason"] == "Name <b>laut</b> Satzung anders."  # escaped: shown as text
    assert "Name &lt;b&gt;laut&lt;/b&gt; Satzung anders." in "".join(html.proto.body for html in partner.get("html"))


def test_the_form_proposes_a_figure_with_its_source(people, data_copy):
    partner = log_in(open_page("en"), "stadt-halle", people["stadt-halle"])
    partner.selectbox(key="steward_form_site").select(HALLE_SITE)
    partner = partner.run()
    version = store.data_version(data_copy)
    prefix = f"steward_form_{version}_{HALLE_SITE}"
    partner.text_input(key=f"{prefix}_area_available_ha_value").input("3,5")
    partner.text_input(key=f"{prefix}_area_available_ha_as_of").input("2026-03")
    partner.text_input(key=f"{prefix}_area_available_ha_source_url").input("https://www.halle.de/flaechen")
    partner = partner.button(key="steward_form_propose").click().run()
    assert not partner.exception, partner.exception
    assert texts(partner.success)[0].startswith("Proposal #1 stored.")
    pending = changes.proposals(data_copy, status="pending")
    assert [(p.kind, p.site_ids) for p in pending] == [("form", (HALLE_SITE,))]


def test_the_form_names_a_figure_without_its_source(people, data_copy):
    partner = log_in(open_page("en"), "stadt-halle", people["stadt-halle"])
    partner.selectbox(key="steward_form_site").select(HALLE_SITE)
    partner = partner.run()
    prefix = f"steward_form_{store.data_version(data_copy)}_{HALLE_SITE}"
    partner.text_input(key=f"{prefix}_area_available_ha_value").input("3,5")
    partner = partner.button(key="steward_form_propose").click().run()
    assert texts(partner.error)[0].startswith("Errors: 1 –")
    assert changes.proposals(data_copy) == []


def test_the_freshness_tab_counts_and_exports_stale_figures(people, data_copy):
    # the Halle site's area (stated in 2022) without its last check: stale after 12 months
    facts = store.live_facts(data_copy)
    unchecked = facts[~((facts["site_id"] == HALLE_SITE) & (facts["field"] == "last_verified"))]
    store.write_sites(store.read_sites(data_copy), data_copy, facts=unchecked)
    editor = log_in(open_page("en"), "anna", people["anna"])
    coverage = [table for table in app_tables(editor) if "Oldest confirmation" in table.columns]
    assert len(coverage) == 2  # per programme, per partner
    assert "Zukunftsort Sachsen-Anhalt (Future Place award)" in set(coverage[0]["Group"])  # labels, not codes
    halle = coverage[1].set_index("Group").loc["stadt-halle"]
    assert halle["Total area (ha)"] == "1 of 2 (1 stale)"
    assert halle["Oldest confirmation"] == "06/2022"
    stale = app_table(editor, "Last confirmed")
    assert list(stale["Partner"]) == ["stadt-halle"] and list(stale["site_id"]) == [HALLE_SITE]
    download = editor.get("download_button")
    assert [button.proto.label for button in download] == ["List as CSV (for partners)"]
    partner = log_in(open_page("en"), "stadt-halle", people["stadt-halle"])
    own = [table for table in app_tables(partner) if "Oldest confirmation" in table.columns]
    assert list(own[1]["Group"]) == ["stadt-halle"]  # a partner sees its own sites only


def test_a_new_site_is_shown_with_every_field_and_a_map(people, data_copy):
    editor = log_in(open_page("en"), "anna", people["anna"])
    sites = store.read_sites(data_copy)
    new = sites.iloc[[0]].copy()
    new["site_id"], new["name"] = "testort-potsdam", "Testort Potsdam"
    for column in ("state_code", "district_ags", "municipality_ags", "municipality", "locality"):
        new[column] = None
    new = new.set_geometry([shapely.Point(13.0645, 52.3906)], crs=sites.crs)
    editor = upload_sites(editor, new)
    changes_table = app_table(editor, "Change")
    rows = changes_table[changes_table["site_id"] == "testort-potsdam"]
    assert set(rows["Change"]) == {"new"}
    assert {"name", "program", "geometry", "district_ags"} <= set(rows["Field"])
    assert "13.064500, 52.390600" in set(rows["new"])
    assert any("Map of the new sites: 1 Testort Potsdam" in html.proto.body for html in editor.get("html"))


def test_a_lat_lon_csv_gets_no_crs_choice(people, data_copy):
    editor = log_in(open_page("en"), "anna", people["anna"])
    csv_text = "site_id,name,program,lat,lon\ntestort-csv,CSV-Ort,zukunftsort,52.39,13.06\n"
    editor.file_uploader[0].set_value(("orte.csv", csv_text.encode(), "text/csv"))
    editor = editor.run()
    assert texts(editor.success)[0].startswith("The file is valid")
    assert not [box for box in editor.selectbox if box.label.startswith("Coordinate reference system")]


# --- sessions ----------------------------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_time(people, monkeypatch):
    monkeypatch.setenv(auth.IDLE_MINUTES_ENV, "1")
    app = log_in(open_page("en"), "anna", people["anna"])
    assert app.file_uploader
    app.session_state["steward_last_seen"] = time.time() - 61
    app = app.run()
    assert not app.file_uploader
    assert texts(app.warning)[0].startswith("The session ended after a period of inactivity")


@pytest.fixture
def bundled_sites_in_a_database(postgis_cluster, monkeypatch):
    url = postgis_cluster.new_database()
    store_postgis.load_initial(url, store.read_sites(SITES_GPKG))
    monkeypatch.setenv(store.DATABASE_URL_ENV, url)
    yield url
    postgis_cluster.drop_database(url)


def test_disabling_an_account_ends_its_session_on_another_replica(bundled_sites_in_a_database):
    """Two app sessions on the same database stand for two replicas: the admin disables the partner on
    one, the partner's next action on the other ends its session."""
    people = add_people(bundled_sites_in_a_database)
    partner = log_in(open_page("en"), "stadt-halle", people["stadt-halle"])
    assert partner.file_uploader
    admin = log_in(open_page("en"), "ben", people["ben"])
    admin.selectbox(key="steward_disable_choice").select("stadt-halle")
    admin = admin.run()
    admin = admin.button(key="steward_disable").click().run()
    assert texts(admin.success) == ["Account stadt\\-halle disabled."]
    partner = partner.run()
    assert not partner.file_uploader
    assert texts(partner.warning)[0].startswith("The session was ended")
    assert accounts.verify(bundled_sites_in_a_database, "stadt-halle", people["stadt-halle"]) is None
