"""Downloads of the filtered sites: a labelled CSV for spreadsheets and a GeoJSON with the contract's fields;
the app's one CSV writer and its formula neutralisation."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.core import csv_download
from geo.core.schema import programs
from geo.expose.downloads import sites_csv, sites_geojson, sites_table


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {
            "site_id": ["kuehlhaus-goerlitz", "leuna"],
            "name": ['Kühlhaus Görlitz; "Süd"', "Chemiestandort Leuna"],
            "program": ["weitere_orte", "zukunftsort"],
            "state_code": ["SN", "ST"],
            "district_ags": ["14626", "15088"],
            "municipality": ["Görlitz", "Leuna"],
            "themes": ["coworking;culture", "chemistry"],
            "description_de": ["Ein Kühlhaus.", "Ein Chemiepark."],
            "description_en": ["A cold store.", None],
            "year": [2019.0, float("nan")],
            "airport_name": ["Flughafen Dresden", None],
            "airport_km": [93.4, float("nan")],
            "precision": ["address", "municipality"],
        }
    )
    return gpd.GeoDataFrame(frame, geometry=[Point(14.987654321, 51.151234), Point(12.01, 51.32)], crs=4326)


DISTRICTS = {"14626": "Görlitz", "15088": "Saalekreis"}


def read_back(data: bytes, decimal: str) -> pd.DataFrame:
    separator = ";" if decimal == "," else ","  # German spreadsheets split at `;`, English ones at `,`
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=separator, decimal=decimal, dtype=str)


def test_german_csv_has_german_headings_labels_and_decimal_commas(sites):
    data = sites_csv(sites, "de", DISTRICTS)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "51,151234" in text and "14,987654" in text and ";93,4;" in text
    assert "51.151234" not in text and "93.4" not in text
    back = read_back(data, ",")
    assert list(back.columns[:4]) == ["Standort-ID", "Name", "Programm", "Land"]
    assert list(back["Standort-ID"]) == ["kuehlhaus-goerlitz", "leuna"]  # ids kept in their own column
    assert list(back["Name"]) == list(sites["name"])  # umlauts, quotes and the separator survive
    assert list(back["Programm"]) == [programs()["weitere_orte"]["label_de"], programs()["zukunftsort"]["label_de"]]
    assert list(back["Land"]) == ["Sachsen", "Sachsen-Anhalt"]
    assert list(back["Kreis"]) == ["Görlitz", "Saalekreis"]
    assert list(back["Kreisschlüssel"]) == ["14626", "15088"]  # keys keep their leading digits as text
    assert back.loc[0, "Themen"] == "Coworking, Kunst und Kultur"  # labels, not theme ids
    assert back.loc[0, "Im Programm seit"] == "2019" and pd.isna(back.loc[1, "Im Programm seit"])
    assert back.loc[0, "Lage"] == "Adresse"
    assert back.loc[0, "Beschreibung"] == "Ein Kühlhaus."
    assert back.loc[0, "Flughafen: km Luftlinie"] == "93,4"
    assert "zukunftsort" not in text.split("\n", 1)[1].split(";")  # no bare program id as a cell


def test_english_csv_has_english_headings_labels_and_the_decimal_point(sites):
    data = sites_csv(sites, "en", DISTRICTS)
    back = read_back(data, ".")
    assert list(back.columns[:4]) == ["Site ID", "Name", "Program", "State"]
    assert list(back["State"]) == ["Saxony", "Saxony-Anhalt"]
    assert list(back["Program"]) == [programs()["weitere_orte"]["label_en"], programs()["zukunftsort"]["label_en"]]
    assert back.loc[0, "Description"] == "A cold store."
    assert back.loc[1, "Description"] == "Ein Chemiepark."  # the German text rather than none
    assert back.loc[0, "Latitude (WGS 84)"] == "51.151234"


def test_csv_columns_reproject_and_leave_out_what_the_sites_lack(sites):
    table = sites_table(sites.to_crs(25833), "de")
    assert "Kreis" not in table.columns  # no district names given: not invented
    assert "Großstadt" not in table.columns  # the fixture has no city distance
    assert table.loc[0, "Breite (WGS 84)"] == pytest.approx(51.151234, abs=1e-6)


def test_formula_like_cells_are_neutralised_and_numbers_are_not(sites):
    hostile = sites.copy()
    hostile["name"] = ['=HYPERLINK("http://evil.example/x","Klick")', "@SUM(1+1)*cmd|' /C calc'!A0"]
    hostile["municipality"] = ["+cmd|' /C calc'!A0", "-2+3"]
    hostile["locality"] = ["\tTab", "\rReturn"]
    back = read_back(sites_csv(hostile, "de", DISTRICTS), ",")
    assert list(back["Name"]) == ["'" + name for name in hostile["name"]]
    assert list(back["Gemeinde"]) == ["'+cmd|' /C calc'!A0", "'-2+3"]
    assert list(back["Ortsteil"]) == ["'\tTab", "'\rReturn"]
    negative = pd.DataFrame({"change": [-0.5, 2.25], "mixed": [-1.5, "nicht geprüft"], "text": ["-", "a-b"]})
    lines = csv_download.csv_bytes(negative, "de").decode("utf-8-sig").splitlines()
    assert lines[1:] == ["-0,5;-1,5;'-", "2,25;nicht geprüft;a-b"]


def test_headers_are_neutralised_too():
    text = csv_download.csv_bytes(pd.DataFrame({"=1+1": [1]}), "en").decode("utf-8-sig")
    assert text.splitlines()[0] == "'=1+1"


def test_geojson_keeps_the_contract_field_names(sites):
    collection = json.loads(sites_geojson(sites))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    first = collection["features"][0]
    assert first["id"] == "kuehlhaus-goerlitz"
    assert first["geometry"] == {"type": "Point", "coordinates": [14.987654, 51.151234]}
    assert first["properties"]["name"] == 'Kühlhaus Görlitz; "Süd"' and first["properties"]["year"] == 2019
    assert first["properties"]["program"] == "weitere_orte"
    second = collection["features"][1]["properties"]
    assert second["year"] is None and second["airport_km"] is None  # no NaN in JSON
    assert "lat" not in first["properties"]


def test_empty_selection_exports_cleanly(sites):
    assert json.loads(sites_geojson(sites.head(0)))["features"] == []
    assert sites_csv(sites.head(0), "de").decode("utf-8-sig").startswith("Standort-ID;Name")


def test_english_program_labels_gloss_the_german_proper_names():
    for code, row in programs().items():
        assert row["label_en"] != row["label_de"] or row["label_de"].isascii(), code
        assert "Saxony-Anhalt" not in row["label_en"].split("(")[0], code  # a proper name stays as it is


def test_every_csv_download_goes_through_the_one_writer():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = [path for folder in ("geo", "views") for path in (root / folder).rglob("*.py")]
    writers = [path.relative_to(root).as_posix() for path in files if ".to_csv(" in path.read_text(encoding="utf-8")]
    assert writers == ["geo/core/csv_download.py"]
