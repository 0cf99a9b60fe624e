"""Renamed site ids: the table's check (the new id exists, the old one is never reused) and an old link that
opens the site under its id of today — map, embed, shortlist/comparison and the exposé command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.expose.shortlist import parse_shortlist
from geo.sites.filters import parse_site_param
from geo.sites.renames import RENAME_COLUMNS, check_renames, read_renames, rename_map, resolve_site_id
from geo.store import read_sites_for_app

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = str(PROJECT_ROOT / "app.py")
OLD, NEW = "summer-of-pioneers-wittenberge-elblandwerker", "elblandwerker-coworking-wittenberge"
OTHER = "agro-chemie-park-piesteritz"


def table(*rows: dict[str, str]) -> pd.DataFrame:
    base = {"renamed": "2026-12-07", "reason": "new name", "source_url": "https://example.org/new"}
    return pd.DataFrame([base | row for row in rows], columns=list(RENAME_COLUMNS))


def test_the_bundled_table_holds_the_wittenberge_rename_and_passes_the_build_s_check():
    renames = read_renames()
    assert rename_map(renames)[OLD] == NEW
    assert check_renames(renames, set(read_sites_for_app()["site_id"])) == []


def test_the_check_refuses_a_missing_new_id_a_reused_old_id_and_chains():
    live = {NEW, OTHER}
    assert check_renames(table({"old_id": OLD, "new_id": NEW}), live) == []
    [missing] = check_renames(table({"old_id": OLD, "new_id": "no-such-site"}), live)
    assert "line 2" in missing and "names no site" in missing
    [reused] = check_renames(table({"old_id": OTHER, "new_id": NEW}), live)
    assert "never reused" in reused
    chain = check_renames(table({"old_id": OLD, "new_id": NEW}, {"old_id": "older", "new_id": OLD}), live)
    assert any("itself an old id" in problem for problem in chain)
    twice = check_renames(table({"old_id": OLD, "new_id": NEW}, {"old_id": OLD, "new_id": OTHER}), live)
    assert sum("more than once" in problem for problem in twice) == 2
    undated = check_renames(table({"old_id": OLD, "new_id": NEW, "renamed": "", "source_url": "ftp://x"}), live)
    assert len(undated) == 2


def test_an_old_id_resolves_to_the_new_one_and_a_live_id_wins():
    renamed = {OLD: NEW, OTHER: NEW}  # OTHER would be a (wrongly) reused old id: the live site wins
    known = {NEW, OTHER}
    assert resolve_site_id(OLD, known, renamed) == NEW
    assert resolve_site_id(OTHER, known, renamed) == OTHER
    assert resolve_site_id("no-such-site", known, renamed) == "no-such-site"
    assert parse_site_param(OLD, known, renamed) == (NEW, None)
    assert parse_site_param("no-such-site", known, renamed)[1].value == "no-such-site"
    parsed = parse_shortlist(f"{OTHER},{OLD},{NEW}", known, renamed)
    assert parsed.site_ids == (OTHER, NEW) and parsed.unknown is None


def run_page(page: str, **query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(page)
    return app.run()


@pytest.mark.parametrize("page", ["views/karte.py", "views/standorte.py"])
def test_an_old_site_link_opens_the_site_and_the_url_gets_its_new_id(page):
    app = run_page(page, site=OLD)
    assert not app.exception, app.exception
    assert app.query_params["site"] == NEW
    assert not [warning.value for warning in app.warning if OLD in warning.value]  # no "unknown site" note
    if page == "views/standorte.py":
        profile = "".join(element.proto.body for element in app.get("html"))
        assert "elblandwerker* Coworking Wittenberge" in profile


def test_an_old_id_in_the_embed_link_is_rewritten():
    app = run_page("views/einbetten.py", site=OLD, embed="true")
    assert not app.exception, app.exception
    assert app.query_params["site"] == NEW
    assert not app.warning


def test_an_old_id_in_the_shortlist_link_opens_the_comparison():
    app = run_page("views/vergleich.py", sites=f"{OTHER},{OLD}")
    assert not app.exception, app.exception
    assert app.query_params["sites"] == f"{OTHER},{NEW}"
    assert not app.warning
    assert app.multiselect[0].value == [OTHER, NEW]


def test_the_expose_command_takes_an_old_id(tmp_path):
    output = tmp_path / "expose.pdf"
    finished = subprocess.run(
        [sys.executable, "-m", "geo", "expose", OLD, "--output", str(output)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        timeout=180,
    )
    assert finished.returncode == 0, finished.stderr
    assert f"Hinweis: {OLD} heißt jetzt {NEW}" in finished.stderr and f"note: {OLD} is now {NEW}" in finished.stderr
    assert output.read_bytes().startswith(b"%PDF")
