"""The app with the sites in PostgreSQL/PostGIS: it draws from the database, and while the database is
down it says so clearly and carries on by itself when the database is back (AppTest, no browser)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo import store
from geo.core.paths import SITES_GPKG
from geo.store import postgis as store_postgis
from geo.store import postgis_connection
from geo.texts import t

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_map_page() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    app.switch_page("views/karte.py")
    return app.run()


def texts_of(elements) -> list[str]:
    return [element.value for element in elements]


@pytest.fixture
def bundled_sites_in_a_database(postgis_cluster, monkeypatch):
    url = postgis_cluster.new_database()
    store_postgis.load_initial(url, store.read_sites(SITES_GPKG))
    monkeypatch.setenv(store.DATABASE_URL_ENV, url)
    monkeypatch.setenv(postgis_connection.VERSION_POLL_ENV, "0")
    yield url
    postgis_cluster.drop_database(url)


@pytest.mark.slow
def test_an_unreachable_database_gives_a_clear_message_not_a_traceback(monkeypatch):
    with socket.socket() as probe:  # a loopback port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(store.DATABASE_URL_ENV, f"postgresql://atlas@127.0.0.1:{port}/atlas")
    app = run_map_page()
    assert not app.exception, app.exception
    assert t("database_unavailable", "de") in texts_of(app.error)


@pytest.mark.slow
def test_the_map_page_draws_from_the_database_and_rides_out_a_restart(bundled_sites_in_a_database, postgis_cluster):
    app = run_map_page()
    assert not app.exception and not app.error, (app.exception, texts_of(app.error))
    assert store.data_version().startswith("pg-")

    postgis_cluster.stop_server()
    try:
        app.run()  # the data is cached: the page still works and says the database is away
        assert not app.exception and not app.error, (app.exception, texts_of(app.error))
        assert t("database_stale", "de") in texts_of(app.warning)
    finally:
        postgis_cluster.start_server()
    for _ in range(60):  # the pool reconnects by itself; no restart of the app
        app.run()
        if t("database_stale", "de") not in texts_of(app.warning):
            break
    assert not app.exception and t("database_stale", "de") not in texts_of(app.warning)
