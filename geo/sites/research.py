"""Universities and research institutes: the reference layer and "within 30 km" of a site.

The build reads data/sources/research_institutions.csv (one row per institution, each with its source
page; method and coverage in research_institutions.md) and writes the layer `research_institutions`
of data/reference.gpkg. No coordinate is typed: a row with sourced `lat`/`lon` (and `coord_source_url`)
is placed there (`precision = address`); every other row at its municipality's representative point
(`precision = municipality`), Berlin at the state's. Distances are straight lines in EPSG:3035.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import shapely

from geo.core.schema import METRIC_CRS, STORAGE_CRS
from geo.core.values import is_web_url

NEARBY_KM = 30
LAYER = "research_institutions"
KINDS = ("university", "applied_sciences", "fraunhofer", "max_planck", "leibniz", "helmholtz")
STATES = ("BB", "SN", "ST", "TH", "BE")
PRECISIONS = ("address", "municipality")
COLUMNS = (
    "institution_id",
    "name",
    "short_name",
    "kind",
    "fields_de",
    "fields_en",
    "municipality",
    "state",
    "precision",
    "source_url",
    "coord_source_url",
)


class InstitutionsError(ValueError):
    """The institutions file has rows that cannot be placed (the message lists them)."""


def _problems(rows: pd.DataFrame) -> list[str]:
    problems = []
    for number, row in rows.iterrows():
        label = f"research_institutions.csv row {number + 2} ({row.get('name', '')})"
        if row["kind"] not in KINDS:
            problems.append(f"{label}: kind {row['kind']!r} is none of {', '.join(KINDS)}")
        if row["state"] not in STATES:
            problems.append(f"{label}: state {row['state']!r} is none of {', '.join(STATES)}")
        if row["precision"] not in PRECISIONS:
            problems.append(f"{label}: precision {row['precision']!r} is none of {', '.join(PRECISIONS)}")
        if not is_web_url(row["source_url"]):
            problems.append(f"{label}: source_url is not a web address")
        has_point = bool(row["lat"].strip() and row["lon"].strip())
        if (row["precision"] == "address") != has_point or (has_point and not is_web_url(row["coord_source_url"])):
            problems.append(f"{label}: precision address needs lat, lon and coord_source_url; municipality none")
    duplicated = rows.loc[rows["institution_id"].duplicated(), "institution_id"].tolist()
    if duplicated:
        problems.append(f"research_institutions.csv: institution_id not unique: {', '.join(duplicated)}")
    return problems


def place_institutions(
    rows: pd.DataFrame, municipalities: gpd.GeoDataFrame, states: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The institutions as points (EPSG:4326). `municipalities`: name, state_code, geometry of the four
    states; `states`: state_code, geometry (Berlin as "BE"). Raises InstitutionsError naming every
    row that cannot be placed."""
    problems = _problems(rows)
    points = []
    for number, row in rows.iterrows():
        if row["precision"] == "address":
            try:
                points.append(shapely.Point(float(row["lon"]), float(row["lat"])))
            except ValueError:
                points.append(None)  # named by _problems
            continue
        if row["state"] == "BE":
            shape = states.loc[states["state_code"] == "BE", "geometry"]
        else:
            shape = municipalities.loc[
                (municipalities["name"] == row["municipality"]) & (municipalities["state_code"] == row["state"]),
                "geometry",
            ]
        if len(shape) != 1:
            problems.append(
                f"research_institutions.csv row {number + 2} ({row['name']}): municipality "
                f"{row['municipality']!r} in {row['state']} matches {len(shape)} municipalities"
            )
            points.append(None)
            continue
        points.append(shape.iloc[0].representative_point())
    if problems:
        raise InstitutionsError("; ".join(problems))
    layer = gpd.GeoDataFrame(rows[list(COLUMNS)].reset_index(drop=True), geometry=points, crs=STORAGE_CRS)
    return layer.sort_values("institution_id", kind="stable").reset_index(drop=True)


def institutions_near(
    point: shapely.Point | None, institutions: gpd.GeoDataFrame, radius_km: float = NEARBY_KM
) -> pd.DataFrame:
    """The institutions within `radius_km` (straight line) of `point` (EPSG:4326), nearest first, with
    `distance_km` (0.1 km). An empty point gives an empty table."""
    columns = [*COLUMNS, "distance_km"]
    if point is None or point.is_empty or institutions.empty:
        return pd.DataFrame(columns=columns)
    site = gpd.GeoSeries([point], crs=STORAGE_CRS).to_crs(METRIC_CRS).iloc[0]
    metric = institutions.geometry.to_crs(METRIC_CRS)
    distances = metric.distance(site) / 1000.0
    near = institutions.assign(distance_km=distances.round(1))
    near = near.loc[distances <= radius_km + 1e-9]
    return pd.DataFrame(near.sort_values(["distance_km", "name"], kind="stable")[columns]).reset_index(drop=True)


def count_near(points: gpd.GeoSeries, institutions: gpd.GeoDataFrame, radius_km: float = NEARBY_KM) -> list[int]:
    """How many institutions lie within `radius_km` of each point (for tables and downloads)."""
    if institutions.empty:
        return [0] * len(points)
    metric_points = points.to_crs(METRIC_CRS)
    tree = shapely.STRtree(institutions.geometry.to_crs(METRIC_CRS).to_numpy())
    counts = []
    for point in metric_points:
        if point is None or point.is_empty or (isinstance(point, float) and math.isnan(point)):
            counts.append(0)
            continue
        counts.append(len(tree.query(point, predicate="dwithin", distance=radius_km * 1000.0)))
    return counts
