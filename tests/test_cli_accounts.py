"""The command line with named accounts, on both stores: passwords from standard input, a partner's import
becomes a proposal (out of scope refused), another editor approves it with --as, the site's history names
both, and writes without --as are refused once accounts exist."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from geo import store
from geo.core.paths import REFERENCE_GPKG
from tests import fixtures_import as fx

PROJECT_ROOT = Path(__file__).resolve().parents[1]
POTSDAM_SITE = "kreativhof-groessenwahn-potsdam"
EDITOR_PASSWORD = "Spreewald-Gurken 2038"
PARTNER_PASSWORD = "Sanssouci-Terrassen 1747"


@pytest.fixture(params=["geopackage", "postgis"])
def location(request, tmp_path, monkeypatch):
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    gpkg = fx.build_sites(data_dir / "sites.gpkg")
    if request.param == "geopackage":
        yield SimpleNamespace(
            sites=gpkg, store=["--store", str(gpkg)], where=["--sites", str(gpkg)], env={}, dir=tmp_path
        )
        return
    from geo.store import postgis as store_postgis

    (data_dir / "reference.gpkg").symlink_to(REFERENCE_GPKG)  # the command line reads it from the data folder
    cluster = request.getfixturevalue("postgis_cluster")
    url = cluster.new_database()
    store_postgis.load_initial(url, store.read_sites(gpkg))
    env = {store.DATABASE_URL_ENV: url, "STANDORTATLAS_DATA_DIR": str(data_dir)}
    yield SimpleNamespace(sites=url, store=[], where=[], env=env, dir=tmp_path)
    cluster.drop_database(url)


def geo(location, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *arguments, "--lang", "en"],
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **location.env},
    )


def renamed_csv(location, site_place: str, name: str) -> Path:
    rows = [row for row in fx.site_rows() if row["place"] == site_place]
    for row in rows:
        row.update(program="kreativort", themes="", name=name, site_id=fx.slugify(fx.site_rows()[0]["name"]))
    if site_place != "potsdam":
        rows[0]["site_id"] = "zukunftsort-dresdner-suedhoehe"
    return fx.write_csv(location.dir / f"{site_place}.csv", rows)


@pytest.mark.slow  # two stores, a dozen processes
def test_accounts_proposals_approval_and_history_on_the_command_line(location):
    added = geo(location, "accounts", "add", "anna", "--role", "editor", *location.store, stdin=EDITOR_PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert EDITOR_PASSWORD not in added.stdout + added.stderr
    partner = geo(
        location,
        "accounts", "add", "potsdam", "--role", "partner", "--districts", "12054", *location.store,
        stdin=PARTNER_PASSWORD + "\n",
    )  # fmt: skip
    assert partner.returncode == 0, partner.stderr
    unknown = geo(
        location, "accounts", "add", "x-partner", "--role", "partner", "--districts", "99999", *location.store
    )
    assert unknown.returncode == 1 and "99999" in unknown.stderr
    listed = geo(location, "accounts", "list", *location.store)
    assert "anna" in listed.stdout and "potsdam" in listed.stdout and "12054" in listed.stdout

    outside = renamed_csv(location, "dresden", "Dresden anders")
    refused = geo(
        location, "import", str(outside), *location.where, "--apply", "--as", "potsdam", stdin=PARTNER_PASSWORD
    )
    assert refused.returncode == 1 and "zukunftsort-dresdner-suedhoehe" in refused.stderr

    inside = renamed_csv(location, "potsdam", "Kreativhof Potsdam")
    proposed = geo(
        location, "import", str(inside), *location.where, "--apply", "--as", "potsdam", stdin=PARTNER_PASSWORD
    )
    assert proposed.returncode == 0, proposed.stderr
    assert "stored as proposal #1" in proposed.stdout
    names = dict(
        zip(store.read_sites(location.sites)["site_id"], store.read_sites(location.sites)["name"], strict=True)
    )
    assert names[POTSDAM_SITE] == "Kreativhof Größenwahn Potsdam"

    own = geo(location, "proposals", "approve", "1", "--as", "potsdam", *location.where, stdin=PARTNER_PASSWORD)
    assert own.returncode == 1 and "may not approve" in own.stderr
    wrong = geo(location, "proposals", "approve", "1", "--as", "anna", *location.where, stdin="falsch\n")
    assert wrong.returncode == 1 and "wrong password" in wrong.stderr
    approved = geo(location, "proposals", "approve", "1", "--as", "anna", *location.where, stdin=EDITOR_PASSWORD)
    assert approved.returncode == 0, approved.stderr
    names = dict(
        zip(store.read_sites(location.sites)["site_id"], store.read_sites(location.sites)["name"], strict=True)
    )
    assert names[POTSDAM_SITE] == "Kreativhof Potsdam"

    history = geo(location, "history", "--site", POTSDAM_SITE, *location.where)
    assert "proposal  #1  potsdam → anna" in history.stdout
    assert "name: Kreativhof Größenwahn Potsdam → Kreativhof Potsdam" in history.stdout

    nameless = geo(location, "undo", *location.where)
    assert nameless.returncode == 1 and "--as NAME" in nameless.stderr
    undone = geo(location, "undo", "--as", "anna", *location.where, stdin=EDITOR_PASSWORD)
    assert undone.returncode == 0, undone.stderr
    assert "undo  anna" in geo(location, "history", "--site", POTSDAM_SITE, *location.where).stdout

    disabled = geo(location, "accounts", "disable", "potsdam", *location.store)
    assert disabled.returncode == 0
    again = geo(location, "import", str(inside), *location.where, "--apply", "--as", "potsdam", stdin=PARTNER_PASSWORD)
    assert again.returncode == 1
