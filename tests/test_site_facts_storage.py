"""Site facts in the store and through an import, on both backends (GeoPackage file and PostGIS).

Every store write carries the `site_facts` table along (same file or same transaction), so an undo
brings back the facts that belonged to the earlier state. An import stores the plot figures it read:
a figure equal to the stored one keeps its stored source, a new or changed figure needs its own
(`facts_source_url`, `facts_as_of`), a removed site loses its figures, and the steward's list of
changes shows the changed figures.
"""

from __future__ import annotations

import pandas as pd
import pytest

from geo import store
from geo.imports import importer
from geo.sites import fact_checks, fact_imports
from geo.sites import facts as site_facts
from tests import fixtures_import as fx
from tests.test_store_contract import TODAY, fixture_vocabularies, sites  # noqa: F401  (fixtures)

POTSDAM = importer.slugify(fx.site_rows()[0]["name"])
DRESDEN = importer.slugify(fx.site_rows()[1]["name"])
STORED_SOURCE = "https://example.org/flaechen-2024"
NEW_SOURCE = "https://example.org/flaechen-2025"


def fact(
    site_id: str, field: str, value: str, unit: str = "", source: str = STORED_SOURCE, as_of: str = "2024-06"
) -> dict:
    return {
        "site_id": site_id,
        "field": field,
        "value": value,
        "value_en": "",
        "unit": unit,
        "source_url": source,
        "as_of": as_of,
        "note": "",
    }


def seeded(location) -> pd.DataFrame:
    """Two figures for Potsdam, one for Dresden, written with the sites."""
    facts = pd.DataFrame(
        [
            fact(POTSDAM, "area_total_ha", "12.5", "ha"),
            fact(POTSDAM, "zoning", "GE;GI"),
            fact(DRESDEN, "area_total_ha", "40", "ha"),
        ]
    )
    store.write_sites(site_facts.with_fact_columns(store.read_sites(location), facts), location, facts=facts)
    return facts


def stored_facts(location) -> dict[tuple[str, str], tuple[str, str, str]]:
    table = store.read_facts_layer(location)
    return {
        (row["site_id"], row["field"]): (row["value"], row["source_url"], row["as_of"])
        for row in table.to_dict("records")
    }


def exported_rows(location, **changes_by_site: dict) -> list[dict]:
    """The fixture rows with the fact columns as the stored sites layer carries them, plus changes."""
    live = store.read_sites(location).set_index("site_id")
    rows = fx.site_rows()
    for row in rows:
        site_id = importer.slugify(row["name"])
        row["site_id"] = site_id
        for column in site_facts.DERIVED_COLUMNS:
            value = live.at[site_id, column]
            row[column] = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        row.update(changes_by_site.get(site_id, {}))
    return rows


def test_a_write_without_facts_keeps_them_and_undo_brings_back_the_earlier_ones(sites):
    seeded(sites.location)
    renamed = store.read_sites(sites.location)
    renamed.loc[renamed.index[0], "name"] = "Neuer Name"
    store.write_sites(renamed, sites.location)
    assert stored_facts(sites.location)[(POTSDAM, "area_total_ha")] == ("12.5", STORED_SOURCE, "2024-06")

    store.write_sites(
        store.read_sites(sites.location),
        sites.location,
        facts=pd.DataFrame([fact(POTSDAM, "area_total_ha", "99", "ha")]),
    )
    assert list(stored_facts(sites.location)) == [(POTSDAM, "area_total_ha")]
    store.undo(sites.location)
    assert len(stored_facts(sites.location)) == 3


def test_a_write_without_a_site_drops_its_facts(sites):
    seeded(sites.location)
    current = store.read_sites(sites.location)
    store.write_sites(current[current["site_id"] != DRESDEN], sites.location)
    assert {site_id for site_id, _ in stored_facts(sites.location)} == {POTSDAM}


def test_an_exported_file_imports_without_sources_and_changes_nothing(sites, fixture_vocabularies):
    seeded(sites.location)
    path = fx.write_gpkg(sites.dir / "export.gpkg", exported_rows(sites.location))
    result = importer.read_user_file(path, reference_path=sites.reference, sites_path=sites.location)
    assert result.ok, [problem.message_en for problem in result.errors]
    ignored = [problem for problem in result.warnings if problem.field == site_facts.FACT_SOURCES_COLUMN]
    assert ignored and "derived" in ignored[0].message_en
    diff = importer.diff_sites(
        store.read_sites(sites.location), result, today=TODAY, current_facts=store.live_facts(sites.location)
    )
    assert not any(change.field in site_facts.FACT_COLUMNS for changes in diff.changed.values() for change in changes)


def test_a_changed_figure_needs_its_source(sites, fixture_vocabularies):
    seeded(sites.location)
    rows = exported_rows(sites.location, **{POTSDAM: {"area_total_ha": "14"}})
    refused = importer.read_user_file(
        fx.write_gpkg(sites.dir / "a.gpkg", rows), reference_path=sites.reference, sites_path=sites.location
    )
    assert not refused.ok
    assert any(problem.field == "area_total_ha" and "source_url" in problem.message_en for problem in refused.errors)
    # the build refuses the same row for the same reason: one rule
    assert any(
        "source_url" in problem
        for problem in fact_checks.check_row(fact(POTSDAM, "area_total_ha", "14", "ha", source=""))
    )


def test_an_import_stores_new_and_changed_figures_with_their_source(sites, fixture_vocabularies):
    seeded(sites.location)
    rows = exported_rows(
        sites.location,
        **{
            POTSDAM: {
                "area_total_ha": "14,0",
                "area_available_ha": "3.5",
                fact_imports.IMPORT_SOURCE_COLUMN: NEW_SOURCE,
                fact_imports.IMPORT_AS_OF_COLUMN: "2025-02-01",
            },
        },
    )
    result = importer.read_user_file(
        fx.write_gpkg(sites.dir / "b.gpkg", rows), reference_path=sites.reference, sites_path=sites.location
    )
    assert result.ok, [problem.message_en for problem in result.errors]
    version = store.data_version(sites.location)
    applied = importer.apply_import(result, sites.location, expected_version=version, today=TODAY)

    assert applied.written
    changes = {change.field: (change.old, change.new) for change in applied.diff.changed[POTSDAM]}
    assert changes == {"area_total_ha": ("12.5", "14"), "area_available_ha": (None, "3.5")}
    table = applied.diff.to_table()
    assert {"area_total_ha", "area_available_ha"} <= set(table["field"])
    facts = stored_facts(sites.location)
    assert facts[(POTSDAM, "area_total_ha")] == ("14", NEW_SOURCE, "2025-02-01")
    assert facts[(POTSDAM, "area_available_ha")] == ("3.5", NEW_SOURCE, "2025-02-01")
    # the unchanged zoning keeps its own source and date, Dresden's figure stays as it was
    assert facts[(POTSDAM, "zoning")] == ("GE;GI", STORED_SOURCE, "2024-06")
    assert facts[(DRESDEN, "area_total_ha")] == ("40", STORED_SOURCE, "2024-06")
    live = store.read_sites(sites.location).set_index("site_id")
    assert live.at[POTSDAM, "area_total_ha"] == 14.0 and live.at[POTSDAM, "updated"] == TODAY.isoformat()
    assert set(live.at[POTSDAM, site_facts.FACT_SOURCES_COLUMN].split()) == {STORED_SOURCE, NEW_SOURCE}

    store.undo(sites.location)  # sites and facts go back together
    assert stored_facts(sites.location)[(POTSDAM, "area_total_ha")] == ("12.5", STORED_SOURCE, "2024-06")


def test_an_empty_cell_removes_a_figure_and_a_removed_site_loses_its_facts(sites, fixture_vocabularies):
    seeded(sites.location)
    rows = [row for row in exported_rows(sites.location, **{POTSDAM: {"zoning": ""}}) if row["site_id"] != DRESDEN]
    result = importer.read_user_file(
        fx.write_gpkg(sites.dir / "c.gpkg", rows), reference_path=sites.reference, sites_path=sites.location
    )
    assert result.ok, [problem.message_en for problem in result.errors]
    applied = importer.apply_import(result, sites.location, replace=True, today=TODAY)
    assert applied.diff.removed == [DRESDEN]
    assert [(change.field, change.old, change.new) for change in applied.diff.changed[POTSDAM]] == [
        ("zoning", "GE;GI", None)
    ]
    assert list(stored_facts(sites.location)) == [(POTSDAM, "area_total_ha")]


def test_when_an_import_removed_every_figure_none_comes_back_from_the_curated_list(sites, fixture_vocabularies):
    seeded(sites.location)
    emptied = {site_id: {"area_total_ha": "", "zoning": ""} for site_id in (POTSDAM, DRESDEN)}
    result = importer.read_user_file(
        fx.write_gpkg(sites.dir / "d.gpkg", exported_rows(sites.location, **emptied)),
        reference_path=sites.reference,
        sites_path=sites.location,
    )
    assert result.ok, [problem.message_en for problem in result.errors]
    importer.apply_import(result, sites.location, today=TODAY)
    assert store.read_facts(sites.location, [POTSDAM, DRESDEN, "chemiestandort-leuna"]).empty


def test_a_figure_equal_to_the_stored_one_needs_no_source():
    stored = {"area_total_ha": fact(POTSDAM, "area_total_ha", "12.5", "ha")}
    assert fact_imports.check_record_facts({"area_total_ha": "12,50"}, stored) == []
    assert fact_imports.check_record_facts({"area_total_ha": 12.5}, stored) == []
    changed = fact_imports.check_record_facts({"area_total_ha": "13"}, stored)
    assert [problem.field for problem in changed] == ["area_total_ha"]
    rows = fact_imports.facts_from_record({"area_total_ha": "12.5", "zoning": "GI"}, POTSDAM, stored)
    assert rows.set_index("field").loc["area_total_ha", "source_url"] == STORED_SOURCE
    assert rows.set_index("field").loc["zoning", "source_url"] == ""


# --- a link to a site that an import removed ------------------------------------------------------------

REMOVED = "chemiestandort-leuna"


@pytest.fixture
def data_without_a_site(tmp_path, monkeypatch):
    """The bundled sites minus one, in a data folder of its own, as the app sees it after an import."""
    import views.data
    from geo.core.paths import REFERENCE_GPKG, SITES_GPKG

    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "reference.gpkg").symlink_to(REFERENCE_GPKG)
    bundled = store.read_sites(SITES_GPKG)
    assert REMOVED in set(bundled["site_id"])
    store.write_sites(bundled[bundled["site_id"] != REMOVED], folder / "sites.gpkg")
    monkeypatch.setenv("STANDORTATLAS_DATA_DIR", str(folder))
    # the visitor pages resolve the data folder when views.data is first imported (once per process)
    monkeypatch.setattr(views.data, "SITES_GPKG", folder / "sites.gpkg")
    return folder


@pytest.mark.parametrize(
    ("page", "param", "lang", "message"),
    [
        ("views/karte.py", "site", "de", "Den Standort „chemiestandort\\-leuna“ gibt es im Atlas nicht (mehr)"),
        ("views/standorte.py", "site", "en", "The atlas has no site “chemiestandort\\-leuna” (any more)"),
        (
            "views/einbetten.py",
            "site",
            "de",
            "Der Link enthält einen unbekannten Wert für „site“ (chemiestandort\\-leuna)",
        ),
        (
            "views/vergleich.py",
            "sites",
            "en",
            "The link names sites the atlas does not know (any more): chemiestandort\\-leuna.",
        ),
    ],
)
def test_a_link_to_a_removed_site_gives_a_clear_message(data_without_a_site, page, param, lang, message):
    from streamlit.testing.v1 import AppTest

    from geo.core.paths import PROJECT_ROOT

    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    app.query_params["lang"] = lang
    app.query_params[param] = REMOVED if param == "site" else f"{REMOVED},biopharmapark-dessau"
    app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    assert any(str(warning.value).startswith(message) for warning in app.warning), [w.value for w in app.warning]


def test_a_slide_of_a_removed_site_names_the_slide(data_without_a_site, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from geo.core.paths import PROJECT_ROOT
    from geo.indicators import slides

    deck = tmp_path / "slides.toml"
    deck.write_text(
        f'[[slide]]\nkind = "overview"\nfigures = ["sites"]\n\n'
        f'[[slide]]\nkind = "site"\nkey = "{REMOVED}"\nfigures = ["year"]\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(slides, "SLIDES_FILE", deck)
    app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    app.query_params["lang"] = "en"
    app.query_params["slide"] = "2"
    app.switch_page("views/praesentation.py")
    app.run()
    assert not app.exception, app.exception
    assert len(app.error) == 1 and "has errors" in app.error[0].value
    listed = "\n".join(element.proto.body for element in app.get("html"))
    assert f"Slide 2: key = “{REMOVED}” is unknown for kind “site”" in listed


def stored_qualifiers(location) -> dict[tuple[str, str], str]:
    table = store.read_facts_layer(location)
    return {(row["site_id"], row["field"]): row["qualifier"] for row in table.to_dict("records")}


def test_a_figure_s_qualifier_is_imported_stored_and_undone_with_it(sites, fixture_vocabularies):
    seeded(sites.location)
    qualified = {
        "area_total_ha": "12.5",  # the same figure, now stated as "about": a changed figure, with its source
        fact_imports.qualifier_column("area_total_ha"): "about",
        "area_available_ha": "3.5",
        fact_imports.qualifier_column("area_available_ha"): "at_least",
        fact_imports.IMPORT_SOURCE_COLUMN: NEW_SOURCE,
        fact_imports.IMPORT_AS_OF_COLUMN: "2025-02-01",
    }
    result = importer.read_user_file(
        fx.write_gpkg(sites.dir / "q.gpkg", exported_rows(sites.location, **{POTSDAM: qualified})),
        reference_path=sites.reference,
        sites_path=sites.location,
    )
    assert result.ok, [problem.message_en for problem in result.errors]
    applied = importer.apply_import(result, sites.location, today=TODAY)
    changes = {change.field: (change.old, change.new) for change in applied.diff.changed[POTSDAM]}
    assert changes == {"area_total_ha": ("12.5", "≈\u00a012.5"), "area_available_ha": (None, "≥\u00a03.5")}
    assert stored_qualifiers(sites.location)[(POTSDAM, "area_total_ha")] == "about"
    assert stored_qualifiers(sites.location)[(POTSDAM, "area_available_ha")] == "at_least"
    assert stored_facts(sites.location)[(POTSDAM, "area_total_ha")] == ("12.5", NEW_SOURCE, "2025-02-01")

    # a file without the qualifier column leaves the stored qualifier (and source) as they are
    again = importer.read_user_file(
        fx.write_gpkg(sites.dir / "r.gpkg", exported_rows(sites.location)),
        reference_path=sites.reference,
        sites_path=sites.location,
    )
    assert again.ok, [problem.message_en for problem in again.errors]
    diff = importer.diff_sites(
        store.read_sites(sites.location), again, today=TODAY, current_facts=store.live_facts(sites.location)
    )
    assert not any(change.field in site_facts.FACT_COLUMNS for changes in diff.changed.values() for change in changes)

    store.undo(sites.location)  # the figure goes back with the qualifier it had
    assert stored_qualifiers(sites.location)[(POTSDAM, "area_total_ha")] == ""
    assert (POTSDAM, "area_available_ha") not in stored_qualifiers(sites.location)


def test_an_unknown_qualifier_is_refused_naming_its_column(sites, fixture_vocabularies):
    seeded(sites.location)
    rows = exported_rows(
        sites.location,
        **{
            POTSDAM: {
                "area_total_ha": "14",
                fact_imports.qualifier_column("area_total_ha"): "über",
                fact_imports.IMPORT_SOURCE_COLUMN: NEW_SOURCE,
                fact_imports.IMPORT_AS_OF_COLUMN: "2025-02-01",
            }
        },
    )
    refused = importer.read_user_file(
        fx.write_gpkg(sites.dir / "u.gpkg", rows), reference_path=sites.reference, sites_path=sites.location
    )
    assert not refused.ok
    [problem] = [problem for problem in refused.errors if "über" in problem.message_en]
    assert "area_total_ha_qualifier 'über' is not one of about, at_least, at_most" in problem.message_en
    assert "area_total_ha_qualifier „über“" in problem.message_de
