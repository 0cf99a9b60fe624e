"""Site surroundings: nearest airport, long-distance station and city, straight line.

No network: airports and cities come from installed PyPI packages, stations from a small fixture."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import Geod
from shapely.geometry import Point

import geo.sites.surroundings as surroundings
from geo.core.paths import REFERENCE_GPKG
from geo.core.schema import SITE_SURROUNDING_COLUMNS
from geo.sites.surroundings import (
    Places,
    _to_metric,
    add_surroundings,
    city_table,
    load_airports,
    read_long_distance_stations,
    read_reviewed_airports,
    read_reviewed_stations,
)

LEUNA = (12.00146, 51.30366)  # Chemiestandort Leuna, sourced coordinates (lon, lat)
GOERLITZ = (14.99, 51.15)


def places(rows):
    names = tuple(name for name, _, _ in rows)
    return Places(names, names, _to_metric([lon for _, lon, _ in rows], [lat for _, _, lat in rows]))


STATIONS = places([("Leipzig Hbf", 12.3820639, 51.3454712), ("Halle (Saale) Hbf", 11.987085, 51.477509)])
CITIES = places([("Leipzig", 12.37129, 51.33962), ("Halle (Saale)", 11.97947, 51.48158)])


def sites_at(*points):
    return gpd.GeoDataFrame(
        {"site_id": [f"s{i}" for i in range(len(points))]}, geometry=[Point(p) for p in points], crs="EPSG:4326"
    )


def test_distance_to_lej_matches_the_geodesic():
    result = add_surroundings(sites_at(LEUNA), stations=STATIONS, cities=CITIES)
    assert result.loc[0, "airport_iata"] == "LEJ"
    import airportsdata

    lej = airportsdata.load("IATA")["LEJ"]
    _, _, metres = Geod(ellps="WGS84").inv(LEUNA[0], LEUNA[1], lej["lon"], lej["lat"])
    assert result.loc[0, "airport_km"] == pytest.approx(metres / 1000, rel=0.01)
    assert result.loc[0, "station_name"] == "Halle (Saale) Hbf"
    assert result.loc[0, "city_name"] == "Halle (Saale)"


def test_columns_rounding_and_crs_kept():
    frame = sites_at(LEUNA, GOERLITZ).to_crs("EPSG:25833")
    result = add_surroundings(frame, stations=STATIONS, cities=CITIES)
    assert list(result.columns[-len(SITE_SURROUNDING_COLUMNS) :]) == SITE_SURROUNDING_COLUMNS
    assert result.crs == frame.crs and result.geometry.equals(frame.geometry)
    for column in ("airport_km", "station_km", "city_km"):
        assert (result[column] == result[column].round(1)).all()
    assert result.loc[1, "airport_iata"] == "DRS"


def test_existing_surroundings_are_replaced_and_empty_input_works():
    first = add_surroundings(sites_at(LEUNA), stations=STATIONS, cities=CITIES)
    again = add_surroundings(first, stations=STATIONS, cities=CITIES)
    assert list(again.columns) == list(first.columns)
    empty = add_surroundings(sites_at(), stations=STATIONS, cities=CITIES)
    assert set(SITE_SURROUNDING_COLUMNS) <= set(empty.columns) and empty.empty


def test_reviewed_airports_are_sourced_and_known():
    import airportsdata

    reviewed = read_reviewed_airports()
    assert {"BER", "LEJ", "DRS", "ERF"} <= set(reviewed["iata"])
    assert reviewed["iata"].is_unique
    assert reviewed["source_url"].str.match(r"^https?://").all()
    assert (reviewed["name_de"].str.len() > 0).all() and (reviewed["name_en"].str.len() > 0).all()
    known = airportsdata.load("IATA")
    assert all(code in known for code in reviewed["iata"])
    # reviewed and left out (holiday or no scheduled flights), see the module docstring
    assert not {"KSF", "RLG", "CSO", "HOQ"} & set(reviewed["iata"])
    assert len(load_airports().names) == len(reviewed)


def _write_db_stations(folder, rows):
    (folder / "full.ndjson").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )


DB_STATIONS = [
    {"id": "1", "name": "Großknoten Hbf", "category": 1, "location": {"latitude": 51.0, "longitude": 12.0}},
    {"id": "2", "name": "ICE-Halt", "category": 3, "location": {"latitude": 51.2, "longitude": 12.2}},
    {"id": "3", "name": "Dorf", "category": 6, "location": {"latitude": 51.3, "longitude": 12.3}},
]
REVIEWED_HEADER = "station_id,name,services,as_of,note,source_url\n"


def test_the_reviewed_list_decides_not_the_category(tmp_path):
    """A category-1 station without ICE/IC/EC service is not a long-distance station; a category-3 ICE stop is."""
    _write_db_stations(tmp_path, DB_STATIONS)
    reviewed = tmp_path / "stations.csv"
    reviewed.write_text(REVIEWED_HEADER + "2,ICE-Halt,ICE;IC,2024,,https://example.org/ice-halt\n", encoding="utf-8")
    stations = read_long_distance_stations(tmp_path, reviewed)
    assert list(stations["name"]) == ["ICE-Halt"] and list(stations["category"]) == [3]
    assert stations.loc[0, "source_url"] == "https://example.org/ice-halt"
    site = sites_at((12.01, 51.01))  # about 1 km from the category-1 station, 25 km from the ICE stop
    located = places(
        [(name, lon, lat) for name, lon, lat in zip(stations["name"], stations["lon"], stations["lat"], strict=True)]
    )
    result = add_surroundings(site, stations=located, cities=CITIES)
    assert result.loc[0, "station_name"] == "ICE-Halt" and result.loc[0, "station_km"] > 20


@pytest.mark.parametrize(
    "line, message",
    [
        ("9,Nirgendwo,ICE,2024,,https://example.org\n", "not in db-stations"),
        ("2,Falscher Name,ICE,2024,,https://example.org\n", "not 'Falscher Name'"),
        ("2,ICE-Halt,RE,2024,,https://example.org\n", "services 'RE'"),
        ("2,ICE-Halt,ICE,2024,,\n", "no source URL"),
    ],
)
def test_reviewed_stations_are_checked(tmp_path, line, message):
    _write_db_stations(tmp_path, DB_STATIONS)
    reviewed = tmp_path / "stations.csv"
    reviewed.write_text(REVIEWED_HEADER + line, encoding="utf-8")
    with pytest.raises(surroundings.SurroundingsError, match=message):
        read_long_distance_stations(tmp_path, reviewed)


def test_bundled_station_list_is_sourced():
    reviewed = read_reviewed_stations()
    assert reviewed["station_id"].is_unique and reviewed["source_url"].str.match(r"^https?://").all()
    names = set(reviewed["name"])
    assert {
        "Lutherstadt Wittenberg Hauptbahnhof",
        "Bitterfeld",
        "Wittenberge",
        "Stendal Hbf",
        "Angermünde",
        "Eberswalde Hbf",
        "Riesa",
        "Köthen",
    } <= names


@pytest.mark.skipif(not REFERENCE_GPKG.exists(), reason="needs data/reference.gpkg")
@pytest.mark.parametrize(
    "site, station",
    [
        # Agro-Chemie Park Piesteritz and Chemiepark Bitterfeld-Wolfen, at the coordinates data/sources/sites.csv gives
        ("agro-chemie-park-piesteritz", "Lutherstadt Wittenberg Hauptbahnhof"),
        ("chemiepark-bitterfeld-wolfen", "Bitterfeld"),
    ],
)
def test_bundled_sites_get_their_nearby_ice_stop(site, station):
    from geo.core.paths import SITES_GPKG

    sites = gpd.read_file(SITES_GPKG, layer="sites")
    row = sites[sites["site_id"] == site].iloc[0]
    assert row["station_name"] == station and row["station_km"] <= 10


@pytest.mark.skipif(not REFERENCE_GPKG.exists(), reason="needs data/reference.gpkg")
def test_cities_of_100000_with_neighbours_and_without_boroughs():
    cities = city_table()
    names = set(cities["name"])
    assert {
        "Berlin",
        "Leipzig",
        "Dresden",
        "Halle (Saale)",
        "Magdeburg",
        "Erfurt",
        "Potsdam",
        "Chemnitz",
        "Jena",
        "Szczecin",
        "Liberec",
        "Praha",
    } <= names
    assert "Cottbus" in names  # Destatis 31.12.2018: 100,219
    assert "Gera" not in names  # Destatis 31.12.2018: 94,152 (GeoNames still lists 104,659)
    assert not {"Kreuzberg", "Neukölln", "Marzahn", "Wandsbek", "Neue Neustadt"} & names
    assert (cities["population"] >= 100_000).all()
    assert cities["name"].is_unique


def test_goerlitz_nearest_big_city_is_across_the_border():
    if not REFERENCE_GPKG.exists():
        pytest.skip("needs data/reference.gpkg")
    result = add_surroundings(sites_at(GOERLITZ), stations=STATIONS)
    assert result.loc[0, "city_name"] == "Liberec"


def test_docstring_claims_no_travel_times():
    text = surroundings.__doc__
    assert "Luftlinie" in text and "No travel times are" in text.replace("**", "").replace("\n", " ")
    assert "category" in text


def test_nearest_breaks_ties_deterministically():
    two = places([("A", 12.0, 51.0), ("B", 12.0, 51.0)])
    index, km = two.nearest(np.array([two.xy[0, 0]]), np.array([two.xy[0, 1]]))
    assert index.tolist() == [0] and km.tolist() == [0.0]
    assert isinstance(pd.Series(km).round(1).iloc[0], float)
