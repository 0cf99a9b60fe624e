"""The labour-pool estimate, hand-computed on a tiny fixture of square districts (EPSG:3035, metres)."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geo.sites.labour_pool import (
    add_pool_columns,
    decode_shares,
    encode_shares,
    pool_shares,
    pool_sizes,
    round_people,
)

METRIC = "EPSG:3035"
X0, Y0 = 4_500_000.0, 3_200_000.0  # somewhere in eastern Germany


def squares():
    """A: 10 × 10 km around the origin, 10,000 people; B: 100 × 100 km far east, 1,000,000 people."""
    return gpd.GeoDataFrame(
        {"ags": ["00001", "00002"], "population": [10_000, 1_000_000]},
        geometry=[
            box(X0 - 5_000, Y0 - 5_000, X0 + 5_000, Y0 + 5_000),
            box(X0 + 40_000, Y0 - 50_000, X0 + 140_000, Y0 + 50_000),
        ],
        crs=METRIC,
    )


def site(x, y):
    return gpd.GeoSeries([Point(x, y)], crs=METRIC)


def test_a_district_wholly_inside_counts_fully_and_a_far_one_not_at_all():
    shares = pool_shares(site(X0, Y0), squares(), radii_km=(30,))
    # A lies within 30 km (its corners are 7.1 km away); B starts 40 km east
    assert shares == [{30: {"00001": 1.0}}]
    assert pool_sizes(shares, {"00001": 10_000, "00002": 1_000_000}, radii_km=(30,)) == [{30: 10_000.0}]


def test_a_half_covered_district_counts_by_area():
    # a site on B's western edge: the 45 km circle covers a half disc inside B... except what lies beyond
    # B's north and south edges (B is 100 km tall, so ±45 km stays inside): half the disc, π·45²/2 km²
    shares = pool_shares(site(X0 + 40_000, Y0), squares(), radii_km=(45,))
    expected_share = (math.pi * 45**2 / 2) / (100 * 100)
    assert shares[0][45]["00002"] == pytest.approx(expected_share, rel=1e-4)
    # A (x from -5 to +5 km) is 35–45 km west of the site: its corners lie 45.3 km away, so almost all of it
    assert 0.99 < shares[0][45]["00001"] < 1.0
    size = pool_sizes(shares, {"00001": 10_000, "00002": 1_000_000}, radii_km=(45,))[0][45]
    # by hand: 1,000,000 × 0.31809 + 10,000 × (just under 1) ≈ 328,000 people
    assert size == pytest.approx(1_000_000 * expected_share + 10_000, rel=1e-3)


def test_a_touched_district_without_a_figure_gives_no_sum():
    shares = pool_shares(site(X0 + 40_000, Y0), squares(), radii_km=(45,))
    assert pool_sizes(shares, {"00002": 1_000_000}, radii_km=(45,)) == [{45: None}]


def test_columns_shares_text_and_rounding():
    sites = gpd.GeoDataFrame({"site_id": ["a"]}, geometry=[Point(X0, Y0)], crs=METRIC).to_crs("EPSG:4326")
    result = add_pool_columns(sites, squares().to_crs("EPSG:4326"))
    assert result.loc[0, "pool_30_km"] == 10_000
    assert decode_shares(result.loc[0, "pool_shares"])[30] == {"00001": 1.0}
    assert round_people(123_456.0) == 123_500 and math.isnan(round_people(None))
    assert decode_shares(encode_shares({30: {"1": 0.25}, 45: {}})) == {30: {"1": 0.25}, 45: {}}
    assert decode_shares("") == {}


def test_sites_at_one_point_are_computed_once_and_get_the_same_shares():
    points = gpd.GeoSeries([Point(X0, Y0), Point(X0 + 40_000, Y0), Point(X0, Y0), Point()], crs=METRIC)
    shares = pool_shares(points, squares(), radii_km=(45,))
    assert shares[0] == shares[2] == pool_shares(site(X0, Y0), squares(), radii_km=(45,))[0]
    assert shares[1] == pool_shares(site(X0 + 40_000, Y0), squares(), radii_km=(45,))[0]
    assert shares[3] == {45: {}}  # no geometry, no shares
    twins = gpd.GeoSeries([Point(X0, Y0), Point(X0, Y0)], crs=METRIC)
    assert pool_shares(twins, squares(), radii_km=(45,)) == [shares[0], shares[0]]
