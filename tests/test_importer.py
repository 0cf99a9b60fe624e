"""Reading, validating, comparing and applying a steward's file (geo.imports.importer, the CLI).

Every accepted and every refused input is built here, small, on the fly. For
each refused input the test copy of sites.gpkg keeps its hash, and the CLI answers with a message and
exit code 1, never a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pyogrio
import pytest
import shapely

from geo import store
from geo.cli.main import main
from geo.core.fields import SITE_COLUMNS
from geo.imports import importer
from geo.imports import offline as import_offline
from geo.imports import worker as import_worker
from geo.imports.importer import diff_sites, read_user_file, slugify
from tests import fixtures_import as fx
from tests.fixtures_import import HOSTILE_NAME, PLACES

PROJECT_ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2025, 3, 14)


@pytest.fixture(autouse=True)
def fixed_programs(monkeypatch):
    fx.use_fixture_programs(monkeypatch)


@pytest.fixture
def work(tmp_path) -> SimpleNamespace:
    """A reference and a sites file of their own: tests never touch data/."""
    return SimpleNamespace(
        dir=tmp_path,
        reference=fx.build_reference(tmp_path / "reference.gpkg"),
        sites=fx.build_sites(tmp_path / "sites.gpkg"),
    )


def read(work, path: Path, **options) -> importer.ImportResult:
    return read_user_file(path, reference_path=work.reference, **options)


# --- inputs that must work --------------------------------------------------------------------------

ACCEPTED = {
    "csv-comma-utf8": lambda d, rows: (fx.write_csv(d / "sites.csv", rows), {}),
    "csv-semicolon-cp1252-decimal-comma": lambda d, rows: (
        fx.write_csv(d / "excel.csv", rows, delimiter=";", encoding="cp1252", decimal=","),
        {},
    ),
    "csv-tab-utf8-bom": lambda d, rows: (fx.write_csv(d / "bom.csv", rows, delimiter="\t", encoding="utf-8-sig"), {}),
    "csv-xy-25833": lambda d, rows: (
        fx.write_csv(d / "utm33.csv", rows, coordinates="xy:25833", delimiter=";", decimal=","),
        {"crs": "25833"},
    ),
    "csv-xy-25832": lambda d, rows: (
        fx.write_csv(d / "utm32.csv", rows, coordinates="xy:25832"),
        {"crs": "EPSG:25832"},
    ),
    "csv-xy-31468": lambda d, rows: (fx.write_csv(d / "gk4.csv", rows, coordinates="xy:31468"), {"crs": 31468}),
    "csv-xy-3035": lambda d, rows: (fx.write_csv(d / "laea.csv", rows, coordinates="xy:3035"), {"crs": "3035"}),
    "gpkg-4326": lambda d, rows: (fx.write_gpkg(d / "sites.gpkg.in.gpkg", rows), {}),
    "gpkg-25833": lambda d, rows: (fx.write_gpkg(d / "utm.gpkg", rows, epsg=25833), {}),
    "gpkg-date-columns": lambda d, rows: (fx.write_gpkg_with_dates(d / "dates.gpkg", rows), {}),
    "gpkg-no-crs-with-option": lambda d, rows: (
        fx.write_gpkg(
            d / "nocrs.gpkg", rows, epsg=None, geometries=[shapely.Point(fx.projected(r, 25833)) for r in rows]
        ),
        {"crs": "25833"},
    ),
    "geojson-4326": lambda d, rows: (fx.write_geojson(d / "sites.geojson", rows), {}),
    "geojson-declared-25832": lambda d, rows: (
        fx.write_geojson(d / "utm.geojson", rows, epsg=25832, declare_crs=True),
        {},
    ),
    "geojson-undeclared-utm-with-option": lambda d, rows: (
        fx.write_geojson(d / "plain.json", rows, epsg=25833),
        {"crs": "25833"},
    ),
}


@pytest.mark.parametrize("case", ACCEPTED)
def test_accepted_input_gives_the_sites(work, case):
    rows = fx.site_rows()
    path, options = ACCEPTED[case](work.dir, rows)
    result = read(work, path, **options)

    assert result.errors == []
    sites = result.sites
    assert list(sites["name"]) == [row["name"] for row in rows]  # umlauts, ß and the hostile name intact
    assert list(sites["description_de"]) == [row["description_de"] for row in rows]
    assert list(sites["site_id"]) == [slugify(row["name"]) for row in rows]
    assert list(sites["state_code"]) == ["BB", "SN", "TH"]
    assert list(sites["municipality_ags"]) == ["12054000", "14612000", "16051000"]
    assert list(sites["precision"]) == ["address"] * 3
    assert sites["year"].tolist()[:2] == [2021, 2020] and pd.isna(sites["year"].iloc[2])
    for point, row in zip(sites.geometry, rows, strict=True):
        lon, lat = PLACES[row["place"]]
        assert point.x == pytest.approx(lon, abs=2e-5) and point.y == pytest.approx(lat, abs=2e-5)
    # the same sites as data/sites.gpkg holds: nothing to change, whatever the file's format and CRS
    assert not diff_sites(store.read_sites(work.sites), result, today=TODAY).has_changes


def test_uploaded_bytes_read_like_a_file(work):
    path = fx.write_csv(work.dir / "upload.csv", fx.site_rows(), delimiter=";", encoding="cp1252", decimal=",")
    result = read_user_file(path.read_bytes(), "Standorte März.csv", reference_path=work.reference)
    assert result.ok and result.source["encoding"] == "Windows-1252" and len(result.sites) == 3


def test_hostile_text_is_kept_verbatim_for_the_app_to_escape(work):
    result = read(work, fx.write_geojson(work.dir / "x.geojson", fx.site_rows()))
    assert HOSTILE_NAME in set(result.sites["name"])


def test_polygons_give_a_point_inside_with_a_warning(work):
    rows = fx.site_rows()
    bowtie = shapely.Polygon([(13.6, 50.95), (13.9, 51.15), (13.9, 50.95), (13.6, 51.15)])  # self-intersecting
    geometries = [
        fx.box((13.0, 52.35, 13.1, 52.45)),
        bowtie,
        shapely.MultiPolygon([fx.box((10.95, 50.95, 11.0, 50.99)), fx.box((10.91, 50.91, 10.92, 50.92))]),
    ]
    result = read(work, fx.write_geojson(work.dir / "areas.geojson", rows, geometries=geometries))

    assert result.ok
    assert list(result.sites["municipality_ags"]) == ["12054000", "14612000", "16051000"]
    assert [problem.row for problem in result.warnings if problem.field == "geometry"] == [1, 2, 3]


def test_several_layers_take_sites_by_default_or_the_one_chosen(work):
    rows = fx.site_rows()
    path = fx.write_gpkg(work.dir / "layers.gpkg", rows[:1], layer="anderes")
    fx.write_gpkg(path, rows, layer="sites")

    default = read(work, path)
    assert default.ok and len(default.sites) == 3 and default.source["layer"] == "sites"
    assert any("--layer" in problem.message_en for problem in default.warnings)
    chosen = read(work, path, layer="anderes")
    assert chosen.ok and len(chosen.sites) == 1


def test_site_id_given_is_kept_and_missing_one_is_derived(work):
    rows = fx.site_rows()
    path = fx.write_csv(work.dir / "ids.csv", rows, extra={"site_id": ["eigener-schluessel", "", ""]})
    result = read(work, path)
    assert list(result.sites["site_id"]) == ["eigener-schluessel", slugify(rows[1]["name"]), slugify(rows[2]["name"])]


def test_only_name_program_and_location_are_required(work):
    path = work.dir / "minimal.csv"
    path.write_text("Name;Program;Breite;Länge\nAtelierhaus Jüterbog;kreativort;52,3906;13,0645\n", encoding="utf-8")
    result = read(work, path)
    assert result.ok
    site = result.sites.iloc[0]
    assert site["site_id"] == "atelierhaus-jueterbog" and site["municipality"] == "Potsdam"
    assert site["precision"] == "address"


def test_a_status_the_inclusion_rule_leaves_out_is_refused_naming_the_row(work, capsys):
    rows = fx.site_rows()
    path = fx.write_csv(
        work.dir / "status.csv",
        rows,
        extra={"status": ["active", "ended", ""], "status_source_url": ["", "https://example.org/ende", ""]},
    )
    before = fx.digest(work.sites)
    result = read(work, path)
    assert [(problem.row, problem.field) for problem in result.errors] == [(3, "status")]
    [problem] = result.errors
    assert problem.location("de") == "Zeile 3, Feld status" and problem.location("en") == "row 3, field status"
    assert f"„{rows[1]['name']}“" in problem.message_de and "Aufnahmeregel" in problem.message_de
    assert f"'{rows[1]['name']}'" in problem.message_en and "inclusion rule" in problem.message_en
    assert "sites_left_out.csv" in problem.message_en
    with pytest.raises(importer.ImportRefused):
        importer.apply_import(result, work.sites)
    argv = ["import", str(path), "--apply", "--sites", str(work.sites), "--reference", str(work.reference)]
    assert main(argv) == 1
    assert rows[1]["name"] in capsys.readouterr().out
    assert fx.digest(work.sites) == before
    unknown = read(work, fx.write_csv(work.dir / "odd.csv", rows, extra={"status": ["aktiv", "", ""]}))
    assert [(problem.row, problem.field) for problem in unknown.errors] == [(2, "status")]
    assert "active, ended, planned, vacant" in unknown.errors[0].message_en


def test_an_import_without_a_status_column_or_with_active_rows_keeps_working(work):
    rows = fx.site_rows()
    plain = read(work, fx.write_csv(work.dir / "plain.csv", rows))
    assert plain.ok and len(plain.sites) == 3
    active = read(work, fx.write_csv(work.dir / "active.csv", rows, extra={"status": ["active", "", "active"]}))
    assert active.ok, [problem.message_en for problem in active.errors]
    assert "status" not in active.sites.columns and "status" not in active.provided_columns  # checked, not stored
    assert not [problem for problem in active.warnings if problem.field == "status"]  # no "unknown column" note


def test_a_municipality_places_a_site_without_coordinates(work):
    path = work.dir / "orte.csv"
    path.write_text(
        "name,program,municipality,state_code\n"
        "Gutshof Großräschen,zukunftsort_netzwerk,Großräschen,\n"
        "Bahnhof Neustadt,kreativort_sachsen,Neustadt,SN\n"
        "Schule Neustadt,weitere_orte,Neustadt,\n",
        encoding="utf-8",
    )
    result = read(work, path)
    placed = result.sites.set_index("site_id")
    assert placed.loc["gutshof-grossraeschen", "municipality_ags"] == "12066112"
    assert placed.loc["gutshof-grossraeschen", "precision"] == "municipality"
    assert placed.loc["bahnhof-neustadt", "municipality_ags"] == "14628260"  # the state decides
    assert [(problem.row, problem.field) for problem in result.errors] == [(4, "municipality")]
    assert "14628260" in result.errors[0].message_en and "16075073" in result.errors[0].message_en


@pytest.mark.parametrize(
    "name, slug",
    [
        ("Kreativhof Größenwahn", "kreativhof-groessenwahn"),
        ("ÄÖÜ äöü ß ẞ", "aeoeue-aeoeue-ss-ss"),
        ("  Café — Zürich / Løkken!! ", "cafe-zuerich-lkken"),
        ("Hof Prädikow (Prötzel)", "hof-praedikow-proetzel"),
        ("a\u0308rger", "aerger"),  # decomposed umlaut
        ("<script>", "script"),
        ("---", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_problem_rows_are_spreadsheet_lines_even_after_empty_lines(work):
    path = work.dir / "gaps.csv"
    path.write_text(
        "name,program,lat,lon\nA,kreativort,52.39,13.06\n\n,,,\nB,unbekannt,52.39,13.07\n", encoding="utf-8"
    )
    result = read(work, path)
    assert [(problem.row, problem.field) for problem in result.errors] == [(5, "program")]


# --- inputs that are refused, with a clear message and no change ---------------------------


def random_bytes(name: str):
    def build(d: Path, rows):
        path = d / name
        path.write_bytes(bytes(range(256)) * 8 + os.urandom(512))
        return path, {}

    return build


def text_file(name: str, text: str, **options):
    def build(d: Path, rows):
        path = d / name
        path.write_text(text, encoding="utf-8")
        return path, options

    return build


def with_rows(writer, name: str, change, **options):
    """A valid file of the fixture rows after ``change(rows)`` edited them."""

    def build(d: Path, rows):
        change(rows)
        return writer(d / name, rows), options

    return build


def set_field(index: int, **values):
    return lambda rows: rows[index].update(values)


def sqlite_named(name: str):
    def build(d: Path, rows):
        path = d / name
        path.write_bytes(fx.write_gpkg(d / "real.gpkg", rows).read_bytes())
        return path, {}

    return build


def zipped(name: str):
    def build(d: Path, rows):
        return fx.write_zip(d / name, fx.write_csv(d / "inner.csv", rows)), {}

    return build


REFUSED = {  # case: (builder, a fragment of the English message, the row(s) it names)
    "random-bytes-gpkg": (random_bytes("x.gpkg"), "not a GeoPackage", [None]),
    "random-bytes-geojson": (random_bytes("x.geojson"), "is not GeoJSON", [None]),
    "random-bytes-csv": (random_bytes("x.csv"), "not a text file", [None]),
    "empty-file": (text_file("leer.csv", ""), "empty", [None]),
    "empty-gpkg": (text_file("leer.gpkg", ""), "empty", [None]),
    "zip-named-gpkg": (zipped("sites.gpkg"), "ZIP archive", [None]),
    "zip-archive": (zipped("sites.zip"), "ZIP archive", [None]),
    "excel-workbook": (zipped("sites.xlsx"), "Excel", [None]),
    "unsupported-type": (text_file("sites.shp", "x"), "not supported", [None]),
    "sqlite-named-csv": (sqlite_named("x.csv"), "SQLite/GeoPackage", [None]),
    "sqlite-named-geojson": (sqlite_named("x.geojson"), "SQLite/GeoPackage", [None]),
    "json-not-geojson": (text_file("x.json", '{"name": "Größe"}'), "is not GeoJSON", [None]),
    "gpkg-without-crs": (lambda d, rows: (fx.write_gpkg(d / "nocrs.gpkg", rows, epsg=None), {}), "--crs", [None]),
    "csv-xy-without-crs": (
        lambda d, rows: (fx.write_csv(d / "xy.csv", rows, coordinates="xy:25833"), {}),
        "--crs",
        [None],
    ),
    "crs-contradicts-file": (
        lambda d, rows: (fx.write_geojson(d / "u.geojson", rows, epsg=25832, declare_crs=True), {"crs": "25833"}),
        "declares EPSG:25832",
        [None],
    ),
    "unknown-layer": (
        lambda d, rows: (fx.write_gpkg(d / "l.gpkg", rows), {"layer": "gibtsnicht"}),
        "does not exist",
        [None],
    ),
    "missing-program-column": (
        text_file("p.csv", "name,lat,lon\nA,52.39,13.06\n"),
        "Required column 'program'",
        [None],
    ),
    "header-only": (text_file("h.csv", "name,program,lat,lon\n"), "no sites", [None]),
    "repeated-column": (
        text_file("r.csv", "name,name,program,lat,lon\nA,B,kreativort,52.39,13.06\n"),
        "Repeated",
        [None],
    ),
    "points-outside-the-states": (
        with_rows(
            fx.write_csv, "out.csv", lambda rows: (rows[0].update(place="muenchen"), rows[2].update(place="muenchen"))
        ),
        "outside Brandenburg",
        [2, 4],
    ),
    "latitude-and-longitude-swapped": (
        text_file("swap.csv", "name,program,lat,lon\nA,kreativort,13.06,52.39\n"),
        "swapped",
        [2],
    ),
    "unknown-program": (
        with_rows(fx.write_geojson, "p.geojson", set_field(1, program="kreativquartier")),
        "Unknown program 'kreativquartier'",
        [2],
    ),
    "duplicate-names": (
        with_rows(fx.write_csv, "d.csv", set_field(2, name=fx.site_rows()[0]["name"])),
        "occurs more than once",
        [2, 4],
    ),
    "duplicate-ids": (
        lambda d, rows: (fx.write_csv(d / "i.csv", rows, extra={"site_id": ["a", "b", "a"]}), {}),
        "occurs more than once",
        [2, 4],
    ),
    "invalid-id": (
        lambda d, rows: (fx.write_csv(d / "i.csv", rows, extra={"site_id": ["Groß Ort", "b", "c"]}), {}),
        "suggestion: 'gross-ort'",
        [2],
    ),
    "line-geometry": (
        lambda d, rows: (
            fx.write_gpkg(
                d / "line.gpkg",
                rows,
                geometries=[
                    shapely.LineString([(13.0, 52.4), (13.1, 52.4)]),
                    shapely.Point(13.7, 51.05),
                    shapely.Point(11.03, 50.98),
                ],
            ),
            {},
        ),
        "LineString is not supported",
        [1],
    ),
    "multipoint-with-two-points": (
        lambda d, rows: (
            fx.write_geojson(
                d / "mp.geojson",
                rows,
                geometries=[
                    shapely.MultiPoint([(13.0, 52.4), (13.1, 52.4)]),
                    shapely.Point(13.7, 51.05),
                    shapely.Point(11.03, 50.98),
                ],
            ),
            {},
        ),
        "MultiPoint is not supported",
        [1],
    ),
    "no-location": (text_file("n.csv", "name,program,lat,lon\nA,kreativort,,\n"), "no location", [2]),
    "coordinate-not-a-number": (
        text_file("n.csv", "name,program,lat,lon\nA,kreativort,52°23',13.06\n"),
        "is not a number",
        [2],
    ),
    "javascript-url": (
        with_rows(fx.write_csv, "u.csv", set_field(0, website="javascript:alert(1)")),
        "not a valid web address",
        [2],
    ),
    "ftp-url": (
        with_rows(fx.write_csv, "u.csv", set_field(1, source_url="ftp://example.org/x")),
        "not a valid web address",
        [3],
    ),
    "url-without-scheme": (
        with_rows(fx.write_csv, "u.csv", set_field(2, website="www.example.de")),
        "Did you mean 'https://www.example.de'",
        [4],
    ),
    "name-too-long": (with_rows(fx.write_csv, "l.csv", set_field(0, name="Ä" * 201)), "too long (201", [2]),
    "description-too-long": (
        with_rows(fx.write_csv, "l.csv", set_field(1, description_de="ß" * 2001)),
        "too long (2001",
        [3],
    ),
    "line-break-in-name": (
        with_rows(fx.write_csv, "c.csv", set_field(0, name="Zwei\nZeilen")),
        "control characters",
        [2],
    ),
    "control-character": (
        with_rows(fx.write_geojson, "c.geojson", set_field(2, description_en="bell \x07")),
        "control characters",
        [3],
    ),
    "not-a-year": (with_rows(fx.write_csv, "y.csv", set_field(0, year="20x1")), "is not a year", [2]),
    "unknown-precision": (with_rows(fx.write_csv, "p.csv", set_field(0, precision="exakt")), "Unknown precision", [2]),
    "ragged-row": (text_file("r.csv", "name;program;lat;lon\nA;kreativort;52,39;13,06;extra\n"), "header only", [2]),
    # GDAL would cut the text at the NUL without a word: refused instead
    "nul-in-geojson-name": (
        with_rows(fx.write_geojson, "nul.geojson", set_field(1, name="Vorne\x00Hinten")),
        "NUL",
        [2],
    ),
    "user-name-in-web-address": (
        with_rows(fx.write_csv, "userinfo.csv", set_field(0, website="https://www.bund.de@evil.example/")),
        "no user name",
        [2],
    ),
}
# the field a refusal names, for the cases where it matters
REFUSED_FIELDS = {"nul-in-geojson-name": "name", "user-name-in-web-address": "website"}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_input_says_why_and_changes_nothing(work, case, capsys):
    builder, fragment, rows_named = REFUSED[case]
    path, options = builder(work.dir, fx.site_rows())
    before = fx.digest(work.sites)

    result = read(work, path, **options)
    assert not result.ok
    matching = [problem for problem in result.errors if fragment in problem.message_en]
    assert matching, [problem.message_en for problem in result.errors]
    assert sorted((problem.row for problem in matching), key=lambda row: row or 0) == rows_named
    if case in REFUSED_FIELDS:
        assert [(problem.row, problem.field) for problem in result.errors] == [
            (row, REFUSED_FIELDS[case]) for row in rows_named
        ]
    assert all(problem.message_de and problem.message_de != problem.message_en for problem in result.errors)
    with pytest.raises(importer.ImportRefused):
        importer.apply_import(result, work.sites)

    argv = ["import", str(path), "--apply", "--sites", str(work.sites), "--reference", str(work.reference)]
    argv += [f"--{option}={value}" for option, value in options.items()]
    assert main(argv) == 1
    output = capsys.readouterr()
    assert "Traceback" not in output.out + output.err
    assert fragment in output.out
    assert fx.digest(work.sites) == before
    assert store.history(work.sites) == []


def test_file_over_the_size_limit_is_refused(work, monkeypatch, capsys):
    path = fx.write_csv(work.dir / "gross.csv", fx.site_rows())
    monkeypatch.setenv(importer.MAX_UPLOAD_ENV, "0.0001")  # about 100 bytes
    before = fx.digest(work.sites)

    result = read(work, path)
    assert len(result.errors) == 1 and "too large" in result.errors[0].message_en
    assert main(["import", str(path), "--apply", "--sites", str(work.sites), "--reference", str(work.reference)]) == 1
    assert fx.digest(work.sites) == before
    monkeypatch.delenv(importer.MAX_UPLOAD_ENV)
    assert importer.max_upload_bytes() == 50 * 1024 * 1024


def test_every_point_outside_is_listed(work):
    rows = fx.site_rows()
    for index, row in enumerate(rows):
        row["place"] = "muenchen"
        row["name"] = f"Ort {index}"
    result = read(work, fx.write_csv(work.dir / "bayern.csv", rows))
    assert [problem.row for problem in result.errors] == [2, 3, 4]
    assert "11.58200" in result.errors[0].message_en


def test_a_municipality_name_that_contradicts_the_point_is_a_warning(work):
    rows = fx.site_rows()
    rows[0]["municipality"] = "Dresden"
    result = read(work, fx.write_csv(work.dir / "m.csv", rows))
    assert result.ok
    assert [(problem.row, problem.field) for problem in result.warnings] == [(2, "municipality")]
    assert "Potsdam" in result.warnings[0].message_en


def test_missing_reference_is_a_clear_error(work):
    result = read_user_file(fx.write_csv(work.dir / "a.csv", fx.site_rows()), reference_path=work.dir / "nope.gpkg")
    assert not result.ok and "python -m geo build" in result.errors[0].message_en


# --- the difference against data/sites.gpkg -------------------------------------------------------


def test_diff_lists_new_changed_and_unchanged_sites(work):
    rows = fx.site_rows()
    rows[0]["website"] = "https://neu.example/größe"
    rows[1].update(place="halle", municipality="")  # moved to another state; municipality derived
    rows.append({**rows[2], "name": "Neuer Ort Jena", "place": "erfurt", "year": "2024"})
    result = read(work, fx.write_csv(work.dir / "neu.csv", rows))
    diff = diff_sites(store.read_sites(work.sites), result, today=TODAY)

    assert diff.new == ["neuer-ort-jena"] and diff.removed == [] and diff.unchanged == 1
    potsdam, dresden = slugify(rows[0]["name"]), slugify(rows[1]["name"])
    assert diff.changed[potsdam] == [
        importer.FieldChange("website", "https://größenwahn.example/ateliers", "https://neu.example/größe")
    ]
    changed_fields = {change.field: change for change in diff.changed[dresden]}
    assert set(changed_fields) == {"state_code", "district_ags", "municipality_ags", "municipality", "geometry"}
    assert changed_fields["state_code"].old == "SN" and changed_fields["state_code"].new == "ST"
    assert changed_fields["municipality"].new == "Halle (Saale)"

    result_sites = diff.result.set_index("site_id")
    assert result_sites.loc[potsdam, "updated"] == "2025-03-14"
    assert result_sites.loc["neuer-ort-jena", "updated"] == "2025-03-14"
    assert result_sites.loc[slugify(HOSTILE_NAME), "updated"] == "2024-01-15"
    # distances belong to the old point: measured anew for the moved and the new site, kept for the others
    assert result_sites["airport_km"].notna().all()
    assert result_sites.loc[potsdam, "airport_km"] == 25.5  # the fixture's stored value, untouched
    assert result_sites.loc[dresden, "airport_km"] != 25.5
    halle = result_sites.loc[dresden]
    assert "Leipzig" in halle["airport_name"] and 5 < halle["airport_km"] < 30  # Halle (Saale) to LEJ
    table = diff.to_table()
    assert list(table.columns) == ["site_id", "name", "change", "field", "old", "new"]
    assert table["change"].value_counts().to_dict() == {"changed": 6, "new": 1}


def test_sites_missing_from_the_file_are_removed_only_with_replace(work):
    result = read(work, fx.write_csv(work.dir / "eins.csv", fx.site_rows()[:1]))
    current = store.read_sites(work.sites)

    kept = diff_sites(current, result, today=TODAY)
    assert kept.removed == [] and kept.kept_absent == 2 and not kept.has_changes and len(kept.result) == 3
    replaced = diff_sites(current, result, replace=True, today=TODAY)
    assert sorted(replaced.removed) == sorted(slugify(row["name"]) for row in fx.site_rows()[1:])
    assert list(replaced.result["site_id"]) == [slugify(fx.site_rows()[0]["name"])]


def test_columns_absent_from_the_file_keep_their_values_and_empty_cells_clear(work):
    path = work.dir / "teil.csv"
    name = fx.site_rows()[0]["name"]
    path.write_text(f"name,program,lat,lon,website\n{name},kreativort,52.3906,13.0645,\n", encoding="utf-8")
    diff = diff_sites(store.read_sites(work.sites), read(work, path), today=TODAY)

    assert diff.changed == {
        slugify(name): [importer.FieldChange("website", "https://größenwahn.example/ateliers", None)]
    }
    site = diff.result.set_index("site_id").loc[slugify(name)]
    assert site["description_de"] == fx.site_rows()[0]["description_de"] and site["year"] == 2021


def test_apply_writes_the_diff_and_undo_brings_back_the_old_file(work):
    before = fx.digest(work.sites)
    rows = fx.site_rows()
    rows[2]["description_en"] = "Thuringian delicacies."
    result = read(work, fx.write_gpkg(work.dir / "neu.gpkg", rows, epsg=25833))
    version = store.data_version(work.sites)

    applied = importer.apply_import(result, work.sites, expected_version=version, today=TODAY)
    assert applied.written and applied.data_version == store.data_version(work.sites) != version
    written = store.read_sites(work.sites)
    assert list(written.columns[: len(SITE_COLUMNS)]) == SITE_COLUMNS
    hostile = written.set_index("site_id").loc[slugify(HOSTILE_NAME)]
    assert hostile["description_en"] == "Thuringian delicacies." and hostile["name"] == HOSTILE_NAME

    again = importer.apply_import(result, work.sites, today=TODAY)  # the same file twice: nothing to do
    assert not again.written and len(store.history(work.sites)) == 1
    store.undo(work.sites)
    assert fx.digest(work.sites) == before


def test_apply_refuses_when_someone_else_wrote_since_the_review(work):
    rows = fx.site_rows()
    rows[0]["year"] = "2022"
    result = read(work, fx.write_csv(work.dir / "a.csv", rows))
    reviewed = store.data_version(work.sites)
    store.write_sites(store.read_sites(work.sites).iloc[:2], work.sites)  # another steward's import
    after_other = fx.digest(work.sites)

    with pytest.raises(store.StaleData):
        importer.apply_import(result, work.sites, expected_version=reviewed)
    assert fx.digest(work.sites) == after_other


def test_first_import_creates_the_sites_file(work):
    target = work.dir / "neu" / "sites.gpkg"
    target.parent.mkdir()
    applied = importer.apply_import(read(work, fx.write_csv(work.dir / "a.csv", fx.site_rows())), target, today=TODAY)
    assert applied.written and len(applied.diff.new) == 3 and store.history(target) == []
    assert len(store.read_sites(target)) == 3


# --- the command line ------------------------------------------------------------------------------


def test_validate_exit_codes(work, capsys):
    valid = fx.write_csv(work.dir / "ok.csv", fx.site_rows())
    invalid = fx.write_csv(work.dir / "bad.csv", [{**fx.site_rows()[0], "program": "x"}])

    reference = ["--reference", str(work.reference)]
    assert main(["validate", str(valid), *reference]) == 0
    assert "Gültig: 3 Standorte. / valid: 3 sites." in capsys.readouterr().out
    assert main(["validate", str(invalid), "--lang", "en", *reference]) == 1
    output = capsys.readouterr().out
    assert "row 2, field program: Unknown program 'x'" in output and "Zeile" not in output
    assert main(["validate", str(work.dir / "fehlt.csv"), *reference]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["validate", str(valid), "--crs", "999999"])
    assert usage.value.code == 2
    assert "Traceback" not in "".join(capsys.readouterr())


def test_import_previews_then_applies_then_undoes(work, capsys):
    rows = fx.site_rows()
    rows[1]["locality"] = "Plauen"
    path = fx.write_csv(work.dir / "neu.csv", rows, delimiter=";", encoding="cp1252", decimal=",")
    before = fx.digest(work.sites)
    common = ["--sites", str(work.sites), "--reference", str(work.reference), "--lang", "de"]

    assert main(["import", str(path), *common]) == 0
    preview = capsys.readouterr().out
    assert "~ zukunftsort-dresdner-suedhoehe" in preview and "locality: Südvorstadt → Plauen" in preview
    assert "--apply" in preview and fx.digest(work.sites) == before

    assert main(["import", str(path), "--apply", *common]) == 0
    assert (
        store.read_sites(work.sites).set_index("site_id").loc["zukunftsort-dresdner-suedhoehe", "locality"] == "Plauen"
    )
    assert main(["history", "--sites", str(work.sites)]) == 0
    assert "undo" in capsys.readouterr().out
    assert main(["undo", "--sites", str(work.sites)]) == 0
    assert fx.digest(work.sites) == before
    assert main(["undo", "--sites", str(work.sites)]) == 1  # nothing earlier than the original


def test_cli_in_a_real_process_prints_no_traceback(work):
    path = work.dir / "kaputt.gpkg"
    path.write_bytes(os.urandom(2048))
    completed = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(path), "--reference", str(work.reference)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert "Traceback" not in completed.stdout + completed.stderr
    assert "GeoPackage" in completed.stdout


# --- hostile files: no network, row limits, encodings, quotes, NUL, addresses, GDAL's remarks ----------


class Listener:
    """A local HTTP listener that records every connection (and answers with a CRS, as a server would)."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.requests: list[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            with connection:
                self.requests.append(connection.recv(4096))
                connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nEPSG:25833")

    def close(self):
        self.running = False
        self.thread.join(timeout=5)
        self.server.close()


@pytest.fixture
def listener(monkeypatch):
    for name in ("no_proxy", "NO_PROXY", "http_proxy", "HTTP_PROXY"):
        monkeypatch.delenv(name, raising=False)
    server = Listener()
    yield server
    server.close()


def geojson_with_crs(path: Path, crs_member: dict, name: str = "Ort am Netz") -> Path:
    document = {
        "type": "FeatureCollection",
        "crs": crs_member,
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "program": "kreativort"},
                "geometry": {"type": "Point", "coordinates": list(PLACES["potsdam"])},
            }
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_crs_link_is_refused_and_nothing_is_fetched(work, listener):
    url = f"http://127.0.0.1:{listener.port}/crs"
    path = geojson_with_crs(work.dir / "link.geojson", {"type": "link", "properties": {"href": url, "type": "proj4"}})
    started = time.monotonic()
    result = read(work, path)
    assert time.monotonic() - started < 5
    assert not result.ok and "links are not fetched" in result.errors[0].message_en
    assert url in result.errors[0].message_en
    # the same file handed to GDAL directly, as the importer reads: still no request leaves the machine
    with import_offline.gdal_offline():
        frame = pyogrio.read_dataframe(path)
    assert frame.crs is None or frame.crs.to_epsg() != 25833
    time.sleep(0.3)  # the listener thread records a connection within its accept timeout
    assert listener.requests == []


def test_gdal_would_fetch_the_link_without_the_offline_switch(work, listener):
    """The listener does see GDAL's request when the switch is off, so the test above can fail."""
    path = geojson_with_crs(
        work.dir / "link.geojson",
        {"type": "link", "properties": {"href": f"http://127.0.0.1:{listener.port}/crs", "type": "proj4"}},
    )
    pyogrio.read_dataframe(path)
    assert listener.requests and listener.requests[0].startswith(b"GET /crs")


@pytest.mark.parametrize(
    "member",
    [
        {"type": "name", "properties": {"name": "EPSG:999999"}},
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::999999"}},
        {"type": "name", "properties": {"name": ""}},
        {"type": "EPSG", "properties": {"code": 999999}},
        {"type": "Sternkarte"},
    ],
)
def test_unknown_crs_codes_are_refused_not_read_as_wgs84(work, member):
    result = read(work, geojson_with_crs(work.dir / "unknown.geojson", member))
    assert not result.ok and "Unknown coordinate reference system" in result.errors[0].message_en


def test_a_named_epsg_crs_is_still_read(work):
    x, y = fx.projected({"place": "potsdam"}, 25833)
    path = geojson_with_crs(
        work.dir / "utm.geojson", {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}}
    )
    document = json.loads(path.read_text())
    document["features"][0]["geometry"]["coordinates"] = [x, y]
    path.write_text(json.dumps(document))
    result = read(work, path)
    assert result.ok, [problem.message_en for problem in result.errors]
    assert result.sites.iloc[0]["municipality_ags"] == "12054000"


def test_a_million_row_csv_is_refused_at_once(work):
    path = work.dir / "million.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("name,program,lat,lon\n")
        handle.writelines(f"Ort {number},kreativort,52.39,13.06\n" for number in range(1_000_000))
    assert path.stat().st_size < importer.max_upload_bytes()
    started = time.monotonic()
    result = read(work, path)
    assert time.monotonic() - started < 10
    assert [problem.message_en for problem in result.errors] == [
        "The file has more than 20,000 rows; at most 20,000 are allowed per import. Please split it into smaller files."
    ]


@pytest.mark.parametrize(
    "writer, name",
    [
        (fx.write_csv, "limit.csv"),
        (fx.write_geojson, "limit.geojson"),
        (fx.write_gpkg, "limit.gpkg"),
    ],
)
def test_the_row_limit_is_configurable(work, monkeypatch, writer, name):
    monkeypatch.setenv(importer.MAX_ROWS_ENV, "2")
    result = read(work, writer(work.dir / name, fx.site_rows()))
    assert len(result.errors) == 1 and "at most 2 are allowed" in result.errors[0].message_en
    monkeypatch.setenv(importer.MAX_ROWS_ENV, "3")
    assert read(work, writer(work.dir / f"three-{name}", fx.site_rows())).ok


def forge_feature_count(path: Path, layer: str, count: int) -> Path:
    """Write `count` into the GeoPackage's header table, whatever the table holds (the attack)."""
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE table_name = ?", (count, layer))
    assert pyogrio.read_info(path, layer=layer)["features"] == count  # GDAL believes it
    return path


def test_a_geopackage_s_rows_are_counted_in_its_table_not_taken_from_its_header(work, monkeypatch):
    rows = fx.site_rows()
    forged = forge_feature_count(fx.write_gpkg(work.dir / "forged.gpkg", rows), "sites", 1)
    result = read(work, forged)
    assert result.ok and list(result.sites["name"]) == [row["name"] for row in rows]  # every row, not 1
    monkeypatch.setenv(importer.MAX_ROWS_ENV, str(len(rows) - 1))
    result = read(work, forged)
    assert [problem.message_en for problem in result.errors] == [
        f"The file has more than {len(rows) - 1} rows; at most {len(rows) - 1} are allowed per import. "
        "Please split it into smaller files."
    ]


def test_a_geopackage_of_100000_rows_whose_header_says_5_is_refused_at_once(work):
    rows = fx.site_rows()
    many = pd.concat([fx.geo_frame(rows)] * (100_000 // len(rows) + 1), ignore_index=True).iloc[:100_000]
    path = work.dir / "forged.gpkg"
    pyogrio.write_dataframe(many, path, layer="orte", driver="GPKG")
    forge_feature_count(path, "orte", 5)
    started = time.monotonic()
    result = read(work, path)
    assert time.monotonic() - started < 10
    assert [problem.message_en for problem in result.errors] == [
        "The file has more than 20,000 rows; at most 20,000 are allowed per import. Please split it into smaller files."
    ]


def test_a_geopackage_layer_that_cannot_be_counted_as_a_table_is_refused(work, monkeypatch):
    path = fx.write_gpkg(work.dir / "sites.gpkg", fx.site_rows())
    monkeypatch.setattr(importer.FileReader, "_choose_layer", lambda self: "not a table")  # GDAL names a layer ...
    result = read(work, path)  # ... that SQLite does not have
    assert len(result.errors) == 1 and "cannot be read as a table" in result.errors[0].message_en


def test_a_utf16_csv_is_read(work):
    path = fx.write_csv(work.dir / "unicode.csv", fx.site_rows(), delimiter="\t", encoding="utf-16")
    result = read(work, path)
    assert result.ok, [problem.message_en for problem in result.errors]
    assert result.source["encoding"] == "UTF-16"
    assert list(result.sites["name"]) == [row["name"] for row in fx.site_rows()]


def test_a_csv_mixing_utf8_and_windows_1252_is_read_line_by_line_with_a_warning(work):
    lines = ["name,program,lat,lon", "Größenwahn,kreativort,52.39,13.06", "Dresdner Südhöhe,zukunftsort,51.05,13.74"]
    raw = (lines[0] + "\n" + lines[1] + "\n").encode("utf-8") + (lines[2] + "\n").encode("cp1252")
    path = work.dir / "mixed.csv"
    path.write_bytes(raw)
    result = read(work, path)
    assert list(result.sites["name"]) == ["Größenwahn", "Dresdner Südhöhe"]  # no mojibake either way
    [warning] = [problem for problem in result.warnings if "mixes encodings" in problem.message_en]
    assert "lines 3 were read as Windows-1252" in warning.message_en


def test_an_unclosed_quote_is_named_with_its_line(work):
    path = work.dir / "quote.csv"
    path.write_text(
        'name,program,lat,lon\nA,kreativort,52.39,13.06\n"B,kreativort,51.05,13.74\nC,kreativort,50.98,11.03\n',
        encoding="utf-8",
    )
    result = read(work, path)
    assert [(problem.row, problem.message_en.split(";")[0]) for problem in result.errors] == [
        (3, 'A quotation mark (") opened on line 3 is never closed')
    ]


def test_formula_like_text_is_kept_with_a_warning(work):
    rows = fx.site_rows()
    rows[0]["name"] = '=HYPERLINK("http://evil.example/x","Klick")'
    rows[1]["description_de"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    result = read(work, fx.write_csv(work.dir / "formula.csv", rows))
    assert result.ok
    [warning] = [problem for problem in result.warnings if "spreadsheet formula" in problem.message_en]
    assert "rows 2, 3" in warning.message_en and warning.field == "description_de, name"
    assert result.sites.iloc[0]["name"] == rows[0]["name"]  # stored as given; CSV downloads neutralise it


def test_gdal_remarks_become_warnings_and_never_reach_stderr(work):
    path = fx.write_geojson(work.dir / "ids.geojson", fx.site_rows())
    document = json.loads(path.read_text(encoding="utf-8"))
    for feature in document["features"]:
        feature["id"] = 1  # GDAL remarks on repeated feature ids (and renumbers them)
    document["features"][1]["properties"]["program"] = "zukunftsort"
    path.write_text(json.dumps(document), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "geo", "validate", str(path), "--reference", str(work.reference), "--lang", "en"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Warning" not in completed.stderr and "warn(" not in completed.stderr, completed.stderr
    assert "Note while reading the file: Several features with id = 1" in completed.stdout


def test_command_line_messages_name_the_option_and_the_page_names_its_field(work):
    x, y = fx.projected({"place": "potsdam"}, 25833)
    path = work.dir / "xy.csv"
    path.write_text(f"name,program,x,y\nUTM-Ort,kreativort,{x},{y}\n", encoding="utf-8")
    on_the_command_line = read(work, path).errors[0].message_en
    on_the_page = read(work, path, surface="page").errors[0].message_en
    assert "--crs" in on_the_command_line
    assert "--crs" not in on_the_page and "'Coordinate reference system'" in on_the_page


# --- the command line: exit codes, --debug, a closed pipe -----------------------------------------------


def test_an_internal_error_exits_3_and_shows_the_traceback_only_with_debug(work, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(import_worker, "check_upload", broken)  # the command line checks a file there
    path = fx.write_csv(work.dir / "ok.csv", fx.site_rows())
    assert main(["validate", str(path)]) == 3
    error = capsys.readouterr().err
    assert "ZeroDivisionError: a bug" in error and "--debug" in error and "Traceback" not in error
    assert main(["--debug", "validate", str(path)]) == 3
    assert "Traceback" in capsys.readouterr().err
    assert main(["validate", str(path), "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["validate"])
    assert exited.value.code == 2


def test_history_into_a_closed_pipe_ends_quietly(work):
    for number in range(3):
        sites = store.read_sites(work.sites)
        sites.loc[0, "name"] = f"Fassung {number}"
        store.write_sites(sites, work.sites)
    completed = subprocess.run(
        f"{sys.executable} -m geo history --sites {work.sites} | head -1",
        shell=True,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.stdout.startswith("Aktuell")
    assert completed.stderr == "", completed.stderr


def test_a_read_only_data_folder_is_one_clear_message(work, capsys):
    """The folder is made unwritable: by its mode, and for root (whom modes do not bind) immutable."""
    folder = work.dir / "nur-lesen"
    folder.mkdir()
    sites = folder / "sites.gpkg"
    shutil.copyfile(work.sites, sites)
    incoming = fx.write_csv(work.dir / "neu.csv", [dict(fx.site_rows()[0], name="Neuer Ort")])
    before = fx.digest(sites)
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        folder.chmod(0o755)
        pytest.skip("running as root without chattr: no way to make a folder read-only here")
    try:
        code = main(
            [
                "import",
                str(incoming),
                "--apply",
                "--sites",
                str(sites),
                "--reference",
                str(work.reference),
                "--lang",
                "en",
            ]
        )
        undo_code = main(["undo", "--sites", str(sites), "--lang", "en"])
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)
    error = capsys.readouterr().err
    assert code == 1 and undo_code == 1
    assert error.count("the folder is read-only for this process") == 2 and str(folder) in error
    assert "Traceback" not in error and "Errno" not in error
    assert fx.digest(sites) == before


def test_an_upload_is_checked_in_a_process_of_its_own_with_progress(work):
    rows = [dict(fx.site_rows()[0], name=f"Ort Nummer {number:05d}") for number in range(1500)]
    data = fx.write_csv(work.dir / "gross.csv", rows).read_bytes()
    reported = []
    # the separate process reads the real vocabularies: ids they contain
    result = import_worker.check_upload(
        data,
        "gross.csv",
        reference_path=work.reference,
        programs=["kreativort"],
        themes=["kultur", "digitalwirtschaft"],
        progress=lambda done, total: reported.append((done, total)),
    )
    assert result.ok and len(result.sites) == 1500
    assert reported[0] == (0, 1500) and reported[-1] == (1500, 1500) and len(reported) > 2
    assert [done for done, _ in reported] == sorted(done for done, _ in reported)


def test_a_failing_check_process_is_reported(work):
    data = b"name,program,lat,lon\n" + b"A,kreativort,52.39,13.06\n" * 20_000
    with pytest.raises(import_worker.CheckFailed, match="TypeError"):
        import_worker.check_upload(data, "x.csv", reference_path=work.reference, no_such_option=True)


def test_a_failing_surroundings_step_is_a_warning_with_a_logged_traceback(work, monkeypatch, caplog, capsys):
    import geo.sites.surroundings

    def broken(sites):
        raise RuntimeError("airports layer unreadable")

    monkeypatch.setattr(geo.sites.surroundings, "add_surroundings", broken)
    rows = fx.site_rows()
    rows[0]["name"] = "Ganz neuer Ort"
    result = read(work, fx.write_csv(work.dir / "neu.csv", rows))
    diff = diff_sites(store.read_sites(work.sites), result, today=TODAY)
    [note] = diff.notes
    assert note.severity == importer.WARNING and "airports layer unreadable" in note.message_en
    assert "could not be computed for 1 site(s)" in note.message_en
    assert any(record.exc_info and "airports layer unreadable" in str(record.exc_info[1]) for record in caplog.records)
    assert (
        main(
            [
                "import",
                str(work.dir / "neu.csv"),
                "--sites",
                str(work.sites),
                "--reference",
                str(work.reference),
                "--lang",
                "en",
            ]
        )
        == 0
    )
    assert "The nearest airport, station and city could not be computed" in capsys.readouterr().out
