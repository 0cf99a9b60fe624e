"""The labour pool of a site: people living within 30, 45 and 60 km (straight line), estimated.

Method (say it wherever the figure is shown: „Schätzung, Luftlinie“ / “estimate, straight line”):
each district's population is taken as spread evenly over the district's area, so the people within
radius r of a site are

    Σ_d population_d × area(d ∩ circle(site, r)) / area(d)

over every German district the circle touches (`pool_districts`, built from the same registry packages
as the districts: BKG VG250 boundaries and Destatis population 31.12.2018; neighbouring states and
Berlin included, Poland and the Czech Republic not). Areas are measured in EPSG:3035. The same shares
give "employed within reach" from the district figures of employees at their place of residence, when
those figures exist.

`pool_shares(points, districts, radii)` returns, per site and radius, the district shares
{ags: fraction of the district inside the circle}; `pool_sizes` sums population (or any district
figure) over them. The build and the importer store the population sums as columns `pool_30_km`,
`pool_45_km`, `pool_60_km` and the shares as text (`pool_shares`) so a page can weigh other figures.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
import shapely

from geo.core.schema import METRIC_CRS

POOL_RADII_KM = (30, 45, 60)
POOL_COLUMNS = tuple(f"pool_{radius}_km" for radius in POOL_RADII_KM)
SHARES_COLUMN = "pool_shares"
# The circle is a polygon of 4 × 16 segments whose radius is enlarged so that its area equals π r²
# exactly (a 64-gon inscribed in the circle would be 0.16 % smaller); finer polygons cost time, not accuracy.
CIRCLE_QUAD_SEGMENTS = 16
_SEGMENTS = 4 * CIRCLE_QUAD_SEGMENTS
AREA_TRUE_RADIUS = math.sqrt(math.pi / (_SEGMENTS / 2 * math.sin(2 * math.pi / _SEGMENTS)))
SHARE_DECIMALS = 5


def pool_column(radius_km: int) -> str:
    return f"pool_{radius_km}_km"


def pool_shares(
    points: gpd.GeoSeries, districts: gpd.GeoDataFrame, radii_km: Iterable[int] = POOL_RADII_KM
) -> list[dict[int, dict[str, float]]]:
    """For each point: {radius: {ags: share of the district's area within the radius}}.

    `districts` needs `ags` and a polygon geometry; both inputs may be in any CRS (measured in EPSG:3035).
    A point without geometry gets empty shares.
    """
    radii = tuple(int(radius) for radius in radii_km)
    metric_points = points.to_crs(METRIC_CRS)
    # sites at one point (those placed at their municipality share its point) are computed once
    coordinates = shapely.get_coordinates(metric_points.to_numpy()).round(0) if len(points) else np.empty((0, 2))
    if len(coordinates) == len(points) and len(points) > 1:
        unique, first, back = np.unique(coordinates, axis=0, return_index=True, return_inverse=True)
        if len(unique) < len(points):
            computed = pool_shares(points.iloc[first], districts, radii)
            return [computed[index] for index in np.asarray(back).ravel()]
    metric = districts.to_crs(METRIC_CRS)
    shapes = metric.geometry.to_numpy()
    areas = shapely.area(shapes)
    keys = metric["ags"].astype(str).to_numpy()
    tree = shapely.STRtree(shapes)
    result: list[dict[int, dict[str, float]]] = [{radius: {} for radius in radii} for _ in range(len(points))]
    valid = ~(metric_points.is_empty.to_numpy() | metric_points.isna().to_numpy())
    for radius in radii:
        circles = shapely.buffer(
            metric_points.to_numpy()[valid], radius * 1000.0 * AREA_TRUE_RADIUS, quad_segs=CIRCLE_QUAD_SEGMENTS
        )
        point_index, district_index = tree.query(circles, predicate="intersects")
        # a district wholly inside its circle needs no intersection (about a fifth of the pairs)
        inside = shapely.contains(circles[point_index], shapes[district_index])
        overlap = areas[district_index].copy()
        partial = ~inside
        overlap[partial] = shapely.area(
            shapely.intersection(circles[point_index[partial]], shapes[district_index[partial]])
        )
        site_numbers = np.flatnonzero(valid)[point_index]
        for site, district, area in zip(site_numbers, district_index, overlap, strict=True):
            share = round(float(area / areas[district]), SHARE_DECIMALS) if areas[district] else 0.0
            if share > 0:
                result[site][radius][keys[district]] = share
    return result


def pool_sizes(
    shares: list[dict[int, dict[str, float]]], figure: Mapping[str, float], radii_km: Iterable[int] = POOL_RADII_KM
) -> list[dict[int, float | None]]:
    """Σ figure[ags] × share per site and radius. None when a touched district has no figure (the sum
    would silently leave people out), or the point had no shares."""
    sizes = []
    for site in shares:
        row: dict[int, float | None] = {}
        for radius in radii_km:
            parts = site.get(radius, {})
            values = [figure.get(ags) for ags in parts]
            if not parts or any(value is None or (isinstance(value, float) and math.isnan(value)) for value in values):
                row[radius] = None
            else:
                row[radius] = float(sum(float(figure[ags]) * share for ags, share in parts.items()))
        sizes.append(row)
    return sizes


def encode_shares(site: Mapping[int, Mapping[str, float]]) -> str:
    """{30: {"15087": 0.5}} -> "30:15087=0.5|45:…" (compact, sorted, stable between builds)."""
    return "|".join(
        f"{radius}:" + ",".join(f"{ags}={share:g}" for ags, share in sorted(parts.items()))
        for radius, parts in sorted(site.items())
    )


def decode_shares(text: str) -> dict[int, dict[str, float]]:
    """The inverse of `encode_shares`; an empty or missing text is no shares."""
    result: dict[int, dict[str, float]] = {}
    if not isinstance(text, str) or not text.strip():
        return result
    for block in text.split("|"):
        radius, _, parts = block.partition(":")
        result[int(radius)] = {
            ags: float(share) for ags, _, share in (part.partition("=") for part in parts.split(",") if part)
        }
    return result


def add_pool_columns(sites: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`sites` with `pool_30_km` … (people, rounded to 100) and `pool_shares` (text)."""
    shares = pool_shares(sites.geometry, districts)
    population = dict(zip(districts["ags"].astype(str), districts["population"].astype(float), strict=True))
    sizes = pool_sizes(shares, population)
    result = sites.copy()
    for radius in POOL_RADII_KM:
        result[pool_column(radius)] = [round_people(size[radius]) for size in sizes]
    result[SHARES_COLUMN] = [encode_shares(site) for site in shares]
    return result


def round_people(value: float | None) -> float:
    """An estimate shown to the hundred people: more digits would claim a precision it does not have."""
    return math.nan if value is None else float(round(value / 100.0) * 100)
