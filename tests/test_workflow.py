"""The stewardship workflow on both stores (the GeoPackage file with its ledger beside it, and PostgreSQL):
named accounts with hashed passwords, a partner's proposal refused whole outside its scope, invisible to
visitors until a second account approves it, the change log naming both, undo logged too; the checks hold
when the write path is called directly, not only on the page."""

from __future__ import annotations

import sqlite3
from datetime import date
from types import SimpleNamespace

import pandas as pd
import psycopg
import pytest
import shapely

from geo import store
from geo.imports import importer, site_form, workflow
from geo.imports.results import ImportRefused
from geo.store import accounts, changes
from geo.store.ledger import LEDGER_FILE
from tests import fixtures_import as fx

TODAY = date(2026, 5, 4)
BACKENDS = ["geopackage", "postgis"]
POTSDAM_SITE = "kreativhof-groessenwahn-potsdam"  # district 12054
DRESDEN_SITE = "zukunftsort-dresdner-suedhoehe"  # district 14612
PASSWORD = "Lausitz-Wandel 2038!"


@pytest.fixture(autouse=True)
def fixture_vocabularies(monkeypatch):
    fx.use_fixture_programs(monkeypatch)


@pytest.fixture(params=BACKENDS)
def location(request, tmp_path, monkeypatch):
    """The three fixture sites in a GeoPackage (ledger beside it) or a fresh PostgreSQL database."""
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    gpkg = fx.build_sites(data_dir / "sites.gpkg")
    reference = fx.build_reference(tmp_path / "reference.gpkg")
    if request.param == "geopackage":
        yield SimpleNamespace(backend="geopackage", sites=gpkg, reference=reference)
        return
    from geo.store import postgis as store_postgis

    cluster = request.getfixturevalue("postgis_cluster")
    url = cluster.new_database()
    store_postgis.load_initial(url, store.read_sites(gpkg))
    yield SimpleNamespace(backend="postgis", sites=url, reference=reference, cluster=cluster)
    cluster.drop_database(url)


@pytest.fixture
def people(location):
    """An editor, a second editor and a partner for Potsdam (district 12054)."""
    return SimpleNamespace(
        anna=accounts.add(location.sites, "anna", "editor", PASSWORD + "a"),
        ben=accounts.add(location.sites, "ben", "editor", PASSWORD + "b"),
        potsdam=accounts.add(location.sites, "stadt-potsdam", "partner", PASSWORD + "p", districts=["12054"]),
    )


def file_result(location, rows: list[dict]) -> importer.ImportResult:
    path = fx.write_csv(location.reference.parent / "vorschlag.csv", rows)
    return importer.read_user_file(path, reference_path=location.reference, sites_path=location.sites)


def renamed_rows(**names: str) -> list[dict]:
    rows = fx.site_rows()
    for row in rows:
        row["site_id"] = importer.slugify(row["name"])
    chosen = [row for row in rows if row["site_id"] in names]
    for row in chosen:
        row["name"] = names[row["site_id"]]
    return chosen


def visitor_names(location) -> dict[str, str]:
    sites = store.read_sites_for_app(location.sites)
    return dict(zip(sites["site_id"], sites["name"], strict=True))


# --- accounts ------------------------------------------------------------------------------------------


def stored_hashes(location) -> list[tuple[str, str]]:
    if location.backend == "geopackage":
        with sqlite3.connect(location.sites.with_name(LEDGER_FILE)) as conn:
            return conn.execute("SELECT name, password_hash FROM accounts ORDER BY name").fetchall()
    superuser = location.sites.replace("atlas_app@", "postgres@")
    with psycopg.connect(superuser) as conn:
        return conn.execute("SELECT name, password_hash FROM atlas.accounts ORDER BY name").fetchall()


def test_a_password_is_stored_only_as_an_argon2id_hash(location, people):
    hashes = dict(stored_hashes(location))
    assert set(hashes) == {"anna", "ben", "stadt-potsdam"}
    for stored in hashes.values():
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert "Lausitz" not in stored and PASSWORD not in stored
    assert hashes["anna"] != hashes["ben"]  # salted
    assert accounts.verify(location.sites, "Anna", PASSWORD + "a") == people.anna
    assert accounts.verify(location.sites, "anna", PASSWORD + "b") is None
    assert accounts.verify(location.sites, "nobody", PASSWORD) is None


def test_accounts_are_checked_when_added(location, people):
    for arguments, key in [
        (("x", "editor", PASSWORD), "account_bad_name"),
        (("carla", "chef", PASSWORD), "account_bad_role"),
        (("carla", "editor", "kurz"), "account_password_short"),
        (("carla", "editor", "carla-ist-mein-passwort"), "account_password_has_name"),
        (("carla", "partner", PASSWORD), "account_partner_needs_scope"),
        (("anna", "editor", PASSWORD), "account_exists"),
    ]:
        with pytest.raises(accounts.AccountError) as refused:
            accounts.add(location.sites, *arguments)
        assert refused.value.key == key
    with pytest.raises(accounts.AccountError) as refused:
        accounts.add(location.sites, "carla", "partner", PASSWORD, districts=["1505"])
    assert refused.value.key == "account_bad_districts"


def test_disabling_or_a_new_password_ends_sessions(location, people):
    started = people.potsdam.sessions_valid_after
    assert people.potsdam.session_valid(started)
    accounts.set_password(location.sites, "stadt-potsdam", "ein ganz neues Passwort")
    assert not accounts.get(location.sites, "stadt-potsdam").session_valid(started)
    assert accounts.verify(location.sites, "stadt-potsdam", "ein ganz neues Passwort") is not None
    disabled = accounts.disable(location.sites, "stadt-potsdam")
    assert not disabled.active and not disabled.session_valid(disabled.sessions_valid_after)
    assert accounts.verify(location.sites, "stadt-potsdam", "ein ganz neues Passwort") is None


# --- proposals and four eyes ---------------------------------------------------------------------------


def test_an_out_of_scope_proposal_is_refused_whole_and_stores_nothing(location, people):
    before = visitor_names(location)
    result = file_result(location, renamed_rows(**{POTSDAM_SITE: "Neu Potsdam", DRESDEN_SITE: "Neu Dresden"}))
    assert result.ok, result.errors
    with pytest.raises(workflow.OutOfScope) as refused:
        workflow.propose(result, location.sites, people.potsdam, today=TODAY)
    assert refused.value.sites == [DRESDEN_SITE]
    assert changes.proposals(location.sites) == []
    assert visitor_names(location) == before


def test_a_new_site_only_inside_the_partners_districts(location, people):
    dresden = {"site_id": "neuer-ort-dresden", "name": "Neuer Ort", "program": "zukunftsort", "place": "dresden"}
    with pytest.raises(workflow.OutOfScope) as refused:
        workflow.propose(file_result(location, [dresden]), location.sites, people.potsdam, today=TODAY)
    assert refused.value.sites == ["neuer-ort-dresden"]
    potsdam = dict(dresden, site_id="neuer-ort-potsdam", place="potsdam")
    proposal = workflow.propose(file_result(location, [potsdam]), location.sites, people.potsdam, today=TODAY)
    assert proposal.site_ids == ("neuer-ort-potsdam",) and proposal.status == changes.PENDING


def test_a_proposal_is_invisible_until_a_second_account_approves_it(location, people):
    result = file_result(location, renamed_rows(**{POTSDAM_SITE: "Kreativhof Potsdam (neu)"}))
    proposal = workflow.propose(result, location.sites, people.potsdam, label="potsdam.csv", today=TODAY)
    assert visitor_names(location)[POTSDAM_SITE] == "Kreativhof Größenwahn Potsdam"
    assert [found.proposal_id for found in changes.proposals(location.sites, status="pending")] == [
        proposal.proposal_id
    ]

    # the partner cannot approve, nor can anyone approve their own proposal
    with pytest.raises(workflow.NotPermitted) as refused:
        workflow.approve(proposal.proposal_id, location.sites, people.potsdam, today=TODAY)
    assert refused.value.key == "workflow_may_not_review"
    own = workflow.propose(
        file_result(location, renamed_rows(**{DRESDEN_SITE: "Dresden neu"})), location.sites, people.anna, today=TODAY
    )
    with pytest.raises(workflow.NotPermitted) as refused:
        workflow.approve(own.proposal_id, location.sites, people.anna, today=TODAY)
    assert refused.value.key == "workflow_four_eyes"
    assert visitor_names(location)[POTSDAM_SITE] == "Kreativhof Größenwahn Potsdam"

    reviewed, diff, version = workflow.review(proposal.proposal_id, location.sites, today=TODAY)
    assert [change.field for change in diff.changed[POTSDAM_SITE]] == ["name"]
    outcome = workflow.approve(proposal.proposal_id, location.sites, people.anna, expected_version=version, today=TODAY)
    assert visitor_names(location)[POTSDAM_SITE] == "Kreativhof Potsdam (neu)"

    history = changes.site_history(location.sites, POTSDAM_SITE)
    assert len(history) == 1
    entry = history[0]
    assert (entry.kind, entry.proposed_by, entry.approved_by, entry.proposal_id) == (
        "proposal",
        "stadt-potsdam",
        "anna",
        proposal.proposal_id,
    )
    assert entry.change_id == outcome.change_id
    assert ("name", "Kreativhof Größenwahn Potsdam", "Kreativhof Potsdam (neu)") in {
        (record.field, record.before, record.after) for record in entry.fields
    }
    closed = changes.proposals(location.sites, author="stadt-potsdam")[0]
    assert (closed.status, closed.decided_by, closed.change_id) == ("approved", "anna", outcome.change_id)
    with pytest.raises(workflow.ProposalClosed):  # approved once only
        workflow.approve(proposal.proposal_id, location.sites, people.ben, today=TODAY)


def test_a_rejected_proposal_keeps_its_reason_and_changes_nothing(location, people):
    before = store.data_version(location.sites)
    proposal = workflow.propose(
        file_result(location, renamed_rows(**{POTSDAM_SITE: "Falscher Name"})), location.sites, people.potsdam
    )
    with pytest.raises(workflow.NotPermitted):
        workflow.reject(proposal.proposal_id, location.sites, people.ben, "  ")
    workflow.reject(proposal.proposal_id, location.sites, people.ben, "Der Name steht so nicht im Bebauungsplan.")
    mine = changes.proposals(location.sites, author="stadt-potsdam")[0]
    assert (mine.status, mine.decided_by, mine.reason) == (
        "rejected",
        "ben",
        "Der Name steht so nicht im Bebauungsplan.",
    )
    assert store.data_version(location.sites) == before
    with pytest.raises(workflow.ProposalClosed):
        workflow.approve(proposal.proposal_id, location.sites, people.anna)


def test_the_write_path_refuses_a_partner_whatever_calls_it(location, people):
    """No page involved: the functions that write check the identity they are given."""
    before = store.data_version(location.sites)
    inside = file_result(location, renamed_rows(**{POTSDAM_SITE: "Direkt geschrieben"}))
    for write in (
        lambda: workflow.apply(inside, location.sites, people.potsdam),
        lambda: workflow.undo(location.sites, people.potsdam),
        lambda: workflow.restore("v1-previous", location.sites, people.potsdam),
    ):
        with pytest.raises(workflow.NotPermitted):
            write()
    # a disabled editor and the shared password (once accounts exist) are refused too
    accounts.disable(location.sites, "ben")
    with pytest.raises(workflow.NotPermitted) as refused:
        workflow.apply(inside, location.sites, people.ben)
    assert refused.value.key == "workflow_account_disabled"
    with pytest.raises(workflow.NotPermitted) as refused:
        workflow.apply(inside, location.sites, accounts.SHARED_STEWARD)
    assert refused.value.key == "workflow_shared_password_retired"
    assert store.data_version(location.sites) == before


def test_the_authors_scope_is_checked_again_at_approval(location, people):
    proposal = workflow.propose(
        file_result(location, renamed_rows(**{POTSDAM_SITE: "Noch im Bereich"})), location.sites, people.potsdam
    )
    accounts.disable(location.sites, "stadt-potsdam")
    with pytest.raises(workflow.NotPermitted) as refused:
        workflow.approve(proposal.proposal_id, location.sites, people.anna)
    assert refused.value.key == "workflow_author_disabled"
    assert changes.proposals(location.sites)[0].status == "pending"


def test_a_stale_review_is_refused_and_nothing_is_logged(location, people):
    proposal = workflow.propose(
        file_result(location, renamed_rows(**{POTSDAM_SITE: "Potsdam später"})), location.sites, people.potsdam
    )
    _, _, version = workflow.review(proposal.proposal_id, location.sites)
    workflow.apply(file_result(location, renamed_rows(**{DRESDEN_SITE: "Dazwischen"})), location.sites, people.ben)
    with pytest.raises(store.StaleData):
        workflow.approve(proposal.proposal_id, location.sites, people.anna, expected_version=version)
    assert changes.proposals(location.sites)[0].status == "pending"
    assert changes.site_history(location.sites, POTSDAM_SITE) == []


# --- the form: figures with their own sources, confirmation date ---------------------------------------


def test_the_form_proposes_figures_with_their_own_sources_and_approval_confirms_them(location, people):
    live = store.read_sites(location.sites)
    facts = store.live_facts(location.sites)
    figures = {
        "area_total_ha": site_form.FigureInput("12,5", "", "2026-04", "https://potsdam.example/flaeche"),
        "contact_email": site_form.FigureInput("wirtschaft@potsdam.example", "", "2026", "https://potsdam.example/k"),
    }
    descriptions = {"description_de": "Gärtnerei mit Ateliers.", "description_en": "Market garden with studios."}
    result = site_form.form_result(live, facts, POTSDAM_SITE, descriptions, figures)
    assert result.ok, result.errors
    proposal = workflow.propose(result, location.sites, people.potsdam, kind=workflow.FORM, today=TODAY)
    assert store.live_facts(location.sites).empty
    workflow.approve(proposal.proposal_id, location.sites, people.ben, today=TODAY)
    stored = store.live_facts(location.sites).set_index("field")
    assert stored.loc["area_total_ha", "value"] == "12.5"
    assert stored.loc["area_total_ha", "source_url"] == "https://potsdam.example/flaeche"
    assert stored.loc["contact_email", "as_of"] == "2026"
    assert stored.loc["last_verified", "value"] == TODAY.isoformat()  # the approval date visitors see
    fields = {record.field for record in changes.site_history(location.sites, POTSDAM_SITE)[0].fields}
    assert {"description_de", "area_total_ha", "area_total_ha.source_url", "last_verified"} <= fields


def test_the_form_refuses_a_figure_without_its_source(location, people):
    live = store.read_sites(location.sites)
    result = site_form.form_result(
        live,
        store.live_facts(location.sites),
        POTSDAM_SITE,
        {"description_de": "Text", "description_en": ""},
        {"area_total_ha": site_form.FigureInput("abc", "", "2026", "")},
    )
    assert {problem.field for problem in result.errors} == {"area_total_ha"}
    with pytest.raises(ImportRefused):
        workflow.propose(result, location.sites, people.potsdam, kind=workflow.FORM)


# --- undo is logged ------------------------------------------------------------------------------------


def test_undo_and_restore_keep_working_and_are_logged(location, people):
    new_point = {
        "site_id": "neuer-ort-potsdam",
        "name": "Neuer Ort",
        "program": "zukunftsort",
        "place": "potsdam",
    }
    applied = workflow.apply(file_result(location, [new_point]), location.sites, people.anna, today=TODAY)
    assert applied.written and "neuer-ort-potsdam" in visitor_names(location)
    new_fields = {record.field for record in applied.records if record.site_id == "neuer-ort-potsdam"}
    assert {"name", "program", "geometry", "district_ags"} <= new_fields
    workflow.undo(location.sites, people.ben)
    assert "neuer-ort-potsdam" not in visitor_names(location)
    history = changes.site_history(location.sites, "neuer-ort-potsdam")
    assert [(entry.kind, entry.approved_by) for entry in history] == [("undo", "ben"), ("import", "anna")]
    assert all(record.after is None for record in history[0].fields)
    undone = next(kept for kept in store.history(location.sites) if kept.kind == store.KIND_UNDONE)
    workflow.restore(undone.version_id, location.sites, people.anna)
    assert "neuer-ort-potsdam" in visitor_names(location)


def test_district_figures_are_an_editors_change_and_logged(location, people, tmp_path):
    from geo.imports.figures import review_figures
    from geo.indicators import figure_indicators
    from tests.test_figures_import import edited_export

    flat = edited_export(tmp_path).read_bytes()
    review = review_figures(flat, targets=figure_indicators(), sites_path=location.sites)
    before = store.data_version(location.sites)
    with pytest.raises(workflow.NotPermitted):
        workflow.apply_figures(review, people.potsdam)
    assert store.data_version(location.sites) == before and changes.recent_changes(location.sites) == []
    applied = workflow.apply_figures(review, people.anna)
    assert applied.written and applied.data_version != before
    logged = {(record.site_id, record.field): record.after for record in applied.records}
    assert logged[("15087", "employees_workplace")] == "40999 (2023-06-30)"
    (entry,) = changes.recent_changes(location.sites)
    assert (entry.kind, entry.proposed_by, entry.approved_by) == ("figures", "anna", "anna")


def test_a_failed_write_logs_nothing(location, people, monkeypatch):
    def broken(*args, **kwargs):
        raise store.StoreError("disk full")

    monkeypatch.setattr(store, "write_sites", broken)
    with pytest.raises(store.StoreError):
        workflow.apply(file_result(location, renamed_rows(**{POTSDAM_SITE: "X"})), location.sites, people.anna)
    assert changes.recent_changes(location.sites) == []


def test_the_ledger_survives_an_undo_of_the_sites(location, people):
    """Accounts and proposals are not part of a kept version: undoing the sites keeps them."""
    workflow.apply(file_result(location, renamed_rows(**{POTSDAM_SITE: "Eins"})), location.sites, people.anna)
    proposal = workflow.propose(
        file_result(location, renamed_rows(**{POTSDAM_SITE: "Zwei"})), location.sites, people.potsdam
    )
    workflow.undo(location.sites, people.anna)
    assert accounts.get(location.sites, "stadt-potsdam") is not None
    assert changes.proposals(location.sites)[0].proposal_id == proposal.proposal_id


def test_pending_payload_round_trip_keeps_points_and_figures(location, people):
    from geo.imports import proposal_payload

    row = {"site_id": "neuer-ort-potsdam", "name": "Neuer Ort", "program": "zukunftsort", "place": "potsdam"}
    result = file_result(location, [row])
    again = proposal_payload.loads(proposal_payload.dumps(result))
    assert list(again.sites["site_id"]) == ["neuer-ort-potsdam"]
    assert again.sites.geometry.iloc[0].equals_exact(result.sites.geometry.iloc[0], 1e-9)
    assert isinstance(again.sites.geometry.iloc[0], shapely.Point)
    assert again.provided_columns == result.provided_columns
    pd.testing.assert_frame_equal(
        again.sites.drop(columns="geometry").astype(str), result.sites.drop(columns="geometry").astype(str)
    )


# --- nothing bypasses the workflow --------------------------------------------------------------------


def test_pages_and_commands_write_the_sites_only_through_the_workflow():
    """The page and the command line never call the store's or the importer's writes themselves: every
    write by a person goes through geo.imports.workflow, where the account is checked."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    writes = {"apply_import", "apply_figures", "write_sites", "undo", "restore"}
    offenders = []
    for path in [*sorted((root / "views").glob("*.py")), *sorted((root / "geo" / "cli").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in writes:
                offenders.append(f"{path.relative_to(root)}:{node.lineno} {node.func.id}")  # an imported write
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in writes
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in {"store", "importer", "geopackage", "postgis", "store_postgis", "figures"}
            ):
                offenders.append(f"{path.relative_to(root)}:{node.lineno} {node.func.value.id}.{node.func.attr}")
    assert offenders == []
