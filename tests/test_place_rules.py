"""The build of data/sites.gpkg and a steward's import follow one set of place rules: fed the same rows,
they accept and refuse the same ones and put the accepted ones into the same municipality. Runs both
real pipelines on the real boundaries (data/reference.gpkg) and the real vocabularies."""

from __future__ import annotations

import csv

import pyogrio
import pytest

from geo.build.reference import BuildError
from geo.build.sites import build_sites
from geo.core.paths import REFERENCE_GPKG, SOURCES_DIR
from geo.core.schema import themes
from geo.core.values import is_web_url, looks_like_formula
from geo.imports.importer import read_user_file
from geo.sites.filters import fold_text
from geo.sites.municipalities import normalize_name
from geo.sites.rules import fold, fold_for_search, round_coordinate, slugify

# name of the site, municipality, locality, district (the build's column), state,
# the 2017 municipality key both must place it in (None: both must refuse the row)
SPELLINGS = [
    ("Ort Görlitz 1", "Görlitz", "", "Görlitz", "SN", "14626110"),
    ("Ort Görlitz 2", "Goerlitz", "", "Goerlitz", "SN", "14626110"),
    ("Ort Görlitz 3", "GÖRLITZ", "", "Landkreis Görlitz", "SN", "14626110"),
    ("Ort Meissen", "Große Kreisstadt Meißen", "", "Meißen", "SN", "14627140"),
    ("Ort Meissen ss", "Grosse Kreisstadt Meissen", "", "Meissen", "SN", "14627140"),
    ("Ort Wittenberg", "Lutherstadt Wittenberg", "", "Wittenberg", "ST", "15091375"),
    ("Ort Stendal", "Hansestadt Stendal", "", "Stendal", "ST", "15090535"),
    ("Ort Halle", "Halle (Saale)", "", "Halle (Saale) (kreisfreie Stadt)", "ST", "15002000"),
    ("Ort Coswig", "Coswig (Anhalt)", "", "Wittenberg", "ST", "15091060"),
    ("Ort Leipzig", "Stadt Leipzig", "", "Leipzig (kreisfreie Stadt)", "SN", "14713000"),
    ("Ort Kannawurf", "Kindelbrück", "Kannawurf", "Sömmerda", "TH", "16068028"),
    ("Ort Herzberg", "Herzberg (Elster)", "", "Elbe-Elster", "BB", "12062224"),
    ("Ort Atlantis", "Atlantis", "", "Görlitz", "SN", None),
    ("Ort Coswig Elster", "Coswig (Elster)", "", "Wittenberg", "ST", None),
]
# values other than the place: (column, value, accepted)
VALUES = [
    ("website", "https://www.bund.de/", True),
    ("website", "https://www.bund.de@evil.example/", False),
    ("website", "javascript:alert(1)", False),
    ("year", "2019", True),
    ("year", "20x1", False),
    ("program", "ZUKUNFTSORT", True),
    ("themes", "erfundenes_thema", False),
]
FIELDS = [
    "name",
    "program",
    "state_code",
    "municipality",
    "locality",
    "district",
    "themes",
    "description_de",
    "description_en",
    "year",
    "website",
    "lat",
    "lon",
    "precision",
    "status",
    "source_url",
    "coord_source_url",
]


def row(name, municipality, locality, district, state, **values):
    record = {
        "name": name,
        "program": "zukunftsort",
        "state_code": state,
        "municipality": municipality,
        "locality": locality,
        "district": district,
        "themes": next(iter(themes())),
        "description_de": "Ein Ort.",
        "description_en": "A place.",
        "year": "",
        "website": "",
        "lat": "",
        "lon": "",
        "precision": "municipality",
        "status": "active",
        "source_url": "https://example.org/ort",
        "coord_source_url": "",
    }
    record.update(values)
    return record


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def build(tmp_path, rows, name="sites.gpkg"):
    """The municipality key per site name from the build, or the build's error."""
    output = tmp_path / name
    build_sites(
        log=lambda message: None,
        sites_csv=write(tmp_path / f"{name}.csv", rows),
        reference_path=REFERENCE_GPKG,
        output=output,
        mergers_csv=SOURCES_DIR / "municipality_mergers.csv",
        with_surroundings=False,
    )
    built = pyogrio.read_dataframe(output, layer="sites")
    return dict(zip(built["name"], built["municipality_ags"], strict=True))


def imported(tmp_path, rows):
    """The municipality key per site name from the import, and the names of the refused rows."""
    result = read_user_file(write(tmp_path / "import.csv", rows), reference_path=REFERENCE_GPKG)
    refused = {rows[problem.row - 2]["name"] for problem in result.errors if problem.row}
    return dict(zip(result.sites["name"], result.sites["municipality_ags"], strict=True)), refused


@pytest.fixture(scope="module")
def rows():
    table = [row(*spelling[:5]) for spelling in SPELLINGS]
    for number, (column, value, _) in enumerate(VALUES):
        table.append(row(f"Wert {number}", "Görlitz", "", "Görlitz", "SN", **{column: value}))
    return table


def expected_refused() -> set[str]:
    return {spelling[0] for spelling in SPELLINGS if spelling[5] is None} | {
        f"Wert {number}" for number, (_, _, accepted) in enumerate(VALUES) if not accepted
    }


def test_build_and_import_accept_and_refuse_the_same_rows(tmp_path, rows):
    placed, refused = imported(tmp_path, rows)
    assert refused == expected_refused()

    accepted_rows = [record for record in rows if record["name"] not in refused]
    built = build(tmp_path, accepted_rows)
    assert built == placed
    for name, _, _, _, _, ags in SPELLINGS:
        if ags is not None:
            assert placed[name] == ags, name

    for record in rows:
        if record["name"] in refused:
            with pytest.raises(BuildError, match="line 2"):
                build(tmp_path, [record], name="refused.gpkg")


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Görlitz", "goerlitz"),
        ("GOERLITZ", "goerlitz"),
        ("Straße  am  Meer", "strasse am meer"),
        ("Halle – Saale", "halle-saale"),
        ("Élysée", "elysee"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_the_site_search_uses_the_same_folding():
    assert fold_text("Görlitz") == fold_text("goerlitz") == fold_text("Gorlitz") == fold_for_search("GÖRLITZ")
    assert fold_text("Straße") == fold_for_search("STRASSE") == "strasse"


@pytest.mark.parametrize(
    "name, normalized",
    [
        ("Große Kreisstadt Meißen", "meissen"),
        ("Lutherstadt Wittenberg", "wittenberg"),
        ("Bernburg (Saale), Stadt", "bernburg (saale)"),
        ("Seehausen (Altmark) (Hansestadt)", "seehausen (altmark)"),
    ],
)
def test_status_words_are_not_part_of_the_name(name, normalized):
    assert normalize_name(name) == normalized


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://www.bund.de/", True),
        ("http://192.168.0.1/x", True),
        ("https://www.bund.de:8443/a?b=c", True),
        ("https://www.bund.de@evil.example/", False),
        ("https://user:pw@example.org/", False),
        ("javascript:alert(1)", False),
        ("ftp://example.org/", False),
        ("https://localhost/", False),
        ("https://exa mple.org/", False),
        ("https://example.org:port/", False),
        ("https://[::1/", False),
    ],
)
def test_web_addresses(url, ok):
    assert is_web_url(url) is ok


@pytest.mark.parametrize(
    "text, formula",
    [
        ('=HYPERLINK("http://evil.example/x","Klick")', True),
        ("@SUM(1+1)*cmd|' /C calc'!A0", True),
        ("+cmd|' /C calc'!A0", True),
        ("-2+3", True),
        ("\tTab", True),
        ("-2.5", False),
        ("+49 30 1234", False),
        ("Görlitz", False),
        ("", False),
    ],
)
def test_formula_like_text(text, formula):
    assert looks_like_formula(text) is formula


def test_ids_and_rounding():
    assert slugify("Kühlhaus Görlitz") == "kuehlhaus-goerlitz"
    assert slugify("Große Kreisstadt Meißen") == "grosse-kreisstadt-meissen"
    assert round_coordinate(13.12345678) == 13.123457
