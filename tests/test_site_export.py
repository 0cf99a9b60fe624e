"""Downloads of the filtered sites: CSV for German Excel and GeoJSON."""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.site_export import sites_csv, sites_geojson, sites_table


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({
        "site_id": ["kuehlhaus-goerlitz", "leuna"], "name": ["Kühlhaus Görlitz; \"Süd\"", "Chemiestandort Leuna"],
        "program": ["weitere_orte", "zukunftsort"], "state_code": ["SN", "ST"], "district_ags": ["14626", "15088"],
        "themes": ["coworking;culture", "chemistry"], "year": [2019.0, float("nan")],
        "airport_km": [93.4, float("nan")], "precision": ["address", "municipality"],
    })
    return gpd.GeoDataFrame(frame, geometry=[Point(14.987654321, 51.151234), Point(12.01, 51.32)], crs=4326)


def test_csv_is_utf8_with_bom_semicolons_and_german_decimal_comma(sites):
    data = sites_csv(sites, "de")
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:3] == ["site_id", "name", "program"] and header[-2:] == ["lat", "lon"]
    assert "51,151234" in text and "14,987654" in text
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", dtype={"district_ags": str})
    assert list(back["name"]) == list(sites["name"])  # umlauts, quotes and the separator survive
    assert list(back["district_ags"]) == ["14626", "15088"]  # keys keep their leading digits as text
    assert back.loc[0, "year"] == 2019 and pd.isna(back.loc[1, "year"])


def test_english_csv_uses_the_decimal_point(sites):
    text = sites_csv(sites, "en").decode("utf-8-sig")
    assert "51.151234" in text and ";" in text


def test_geojson_is_a_feature_collection_of_points_lon_lat(sites):
    collection = json.loads(sites_geojson(sites))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    first = collection["features"][0]
    assert first["id"] == "kuehlhaus-goerlitz"
    assert first["geometry"] == {"type": "Point", "coordinates": [14.987654, 51.151234]}
    assert first["properties"]["name"] == "Kühlhaus Görlitz; \"Süd\"" and first["properties"]["year"] == 2019
    second = collection["features"][1]["properties"]
    assert second["year"] is None and second["airport_km"] is None  # no NaN in JSON
    assert "lat" not in first["properties"]


def test_export_columns_follow_the_contract_order_and_reproject(sites):
    table = sites_table(sites.to_crs(25833))
    assert list(table.columns) == ["site_id", "name", "program", "state_code", "district_ags", "themes", "year",
                                   "precision", "airport_km", "lat", "lon"]
    assert table.loc[0, "lat"] == pytest.approx(51.151234, abs=1e-6)


def test_empty_selection_exports_cleanly(sites):
    assert json.loads(sites_geojson(sites.head(0)))["features"] == []
    assert sites_csv(sites.head(0), "de").decode("utf-8-sig").startswith("site_id;name")
