"""Synthetic sites for measuring the atlas at scale (`python -m geo bench --sites N`, browser tests).

`write_synthetic_data_dir(n, folder)` makes a folder that the app can run on with
``STANDORTATLAS_DATA_DIR=<folder>``: a `sites.gpkg` with n synthetic sites and a `reference.gpkg` that
links to the bundled one. It never writes to data/.

How a synthetic site is made, so that the data looks like the real list to every page and filter:

* It is modelled on a real site drawn at random from data/sites.gpkg (a "template"): program, themes,
  year, state and every other column the file has are the template's, so the mix of programs, themes and
  states follows the bundled list, and a column another part of the project adds later comes along too.
* Its point is drawn uniformly inside a municipality chosen at random in the template's state (the
  `municipalities` layer of data/reference.gpkg), and it must also lie inside that state's polygon
  (`states` layer). `state_code`, `district_ags`, `municipality_ags` and `municipality` are that
  municipality's, `precision` is "municipality" (no address stands behind the point).
* Name "Synthetischer Standort 00042", id "synthetischer-standort-00042", descriptions saying that it is
  synthetic, no website; `source_url` is the program's own page (data/sources/programs.csv), the one true
  statement about the site.
* The surroundings (airport, station, city and their distances) are computed for the new point by
  `geo.sites.surroundings`, as the build does for real sites.
* Every other table of data/sites.gpkg keyed by `site_id` (for example site facts) gets the template's
  rows under the synthetic id; tables without `site_id` are copied as they are.

The same `n` and `seed` give the same sites.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.core.paths import PROJECT_ROOT
from geo.core.schema import programs
from geo.sites.surroundings import add_surroundings

BUNDLED_DATA_DIR = PROJECT_ROOT / "data"
BUNDLED_SITES = BUNDLED_DATA_DIR / "sites.gpkg"
BUNDLED_REFERENCE = BUNDLED_DATA_DIR / "reference.gpkg"
SITES_LAYER = "sites"
NAME_PREFIX = "Synthetischer Standort"
ID_PREFIX = "synthetischer-standort"
DESCRIPTION_DE = (
    "Synthetischer Standort für Last- und Geschwindigkeitsmessungen des Atlas, kein realer Ort: "
    "zufällig in {municipality} platziert, Programm und Themen nach dem Vorbild von „{template}“."
)
DESCRIPTION_EN = (
    "Synthetic site for load and speed measurements of the atlas, not a real place: placed at "
    "random in {municipality}, program and themes modelled on “{template}”."
)
# Candidate points drawn per missing point and round; a municipality fills most of its bounding box,
# so a few rounds place every point.
CANDIDATES_PER_ROUND = 8
MAX_ROUNDS = 200


def synthetic_name(number: int) -> str:
    return f"{NAME_PREFIX} {number:05d}"


def synthetic_id(number: int) -> str:
    return f"{ID_PREFIX}-{number:05d}"


def _bundled_sites() -> gpd.GeoDataFrame:
    if not BUNDLED_SITES.exists():
        raise FileNotFoundError(f"{BUNDLED_SITES} is missing; run `python -m geo build`")
    return (
        pyogrio.read_dataframe(BUNDLED_SITES, layer=SITES_LAYER)
        .sort_values("site_id", kind="stable")
        .reset_index(drop=True)
    )


def _points_inside(polygons: np.ndarray, states: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One uniformly drawn point inside polygons[i] and states[i] for every i (rejection sampling)."""
    shapely.prepare(polygons)
    shapely.prepare(states)
    bounds = shapely.bounds(polygons)
    x = np.full(len(polygons), np.nan)
    y = np.full(len(polygons), np.nan)
    for _round in range(MAX_ROUNDS):
        missing = np.flatnonzero(np.isnan(x))
        if missing.size == 0:
            break
        # several candidates per missing point, tried in order: the first that lies inside wins
        rows = np.repeat(missing, CANDIDATES_PER_ROUND)
        box = bounds[rows]
        cx = rng.uniform(box[:, 0], box[:, 2])
        cy = rng.uniform(box[:, 1], box[:, 3])
        inside = shapely.contains_xy(polygons[rows], cx, cy) & shapely.contains_xy(states[rows], cx, cy)
        for row, px, py in zip(rows[inside], cx[inside], cy[inside], strict=True):
            if np.isnan(x[row]):
                x[row], y[row] = px, py
    if np.isnan(x).any():
        raise RuntimeError(f"{int(np.isnan(x).sum())} synthetic points could not be placed inside their municipality")
    return shapely.points(np.round(x, 6), np.round(y, 6))


def synthetic_sites(n_sites: int, seed: int = 1) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """`n_sites` synthetic sites with the columns and dtypes of data/sites.gpkg's `sites` layer, and for
    each the site_id of the real site it was modelled on."""
    if n_sites < 1:
        raise ValueError("n_sites must be at least 1")
    rng = np.random.default_rng(seed)
    template = _bundled_sites()
    municipalities = pyogrio.read_dataframe(BUNDLED_REFERENCE, layer="municipalities")
    states = pyogrio.read_dataframe(BUNDLED_REFERENCE, layer="states").set_index("state_code").geometry

    picked = rng.integers(0, len(template), n_sites)
    sites = template.iloc[picked].reset_index(drop=True)
    # a municipality of the template's state, each equally likely
    municipality_rows = np.empty(n_sites, dtype=np.int64)
    for state_code, positions in sites.groupby("state_code").indices.items():
        candidates = np.flatnonzero(municipalities["state_code"].to_numpy() == state_code)
        municipality_rows[positions] = rng.choice(candidates, size=len(positions))
    chosen = municipalities.iloc[municipality_rows].reset_index(drop=True)
    points = _points_inside(chosen.geometry.to_numpy(), states.loc[chosen["state_code"]].to_numpy(), rng)

    numbers = np.arange(1, n_sites + 1)
    program_urls = {program: row.get("source_url", "") for program, row in programs().items()}
    template_names = sites["name"].tolist()
    sites["site_id"] = [synthetic_id(int(number)) for number in numbers]
    sites["name"] = [synthetic_name(int(number)) for number in numbers]
    sites["state_code"] = chosen["state_code"].to_numpy()
    sites["district_ags"] = chosen["district_ags"].to_numpy()
    sites["municipality_ags"] = chosen["ags"].to_numpy()
    sites["municipality"] = chosen["name"].to_numpy()
    sites["locality"] = ""
    sites["description_de"] = [
        DESCRIPTION_DE.format(municipality=municipality, template=name)
        for municipality, name in zip(chosen["name"], template_names, strict=True)
    ]
    sites["description_en"] = [
        DESCRIPTION_EN.format(municipality=municipality, template=name)
        for municipality, name in zip(chosen["name"], template_names, strict=True)
    ]
    sites["website"] = ""
    sites["precision"] = "municipality"
    sites["source_url"] = sites["program"].map(program_urls).fillna("")
    sites["coord_source_url"] = ""
    sites = sites.set_geometry(gpd.GeoSeries(points, crs=template.crs))
    with_surroundings = add_surroundings(sites)
    template_ids = template["site_id"].to_numpy()[picked]
    return with_surroundings[list(template.columns)], template_ids


def write_synthetic_data_dir(n_sites: int, folder: Path, seed: int = 1) -> Path:
    """A data folder for ``STANDORTATLAS_DATA_DIR``: `sites.gpkg` with `n_sites` synthetic sites and
    `reference.gpkg` linked to (or, where links fail, copied from) the bundled one. Returns the folder."""
    folder = Path(folder).resolve()
    if folder == BUNDLED_DATA_DIR.resolve():
        raise ValueError("synthetic sites are never written to data/")
    folder.mkdir(parents=True, exist_ok=True)
    sites, template_ids = synthetic_sites(n_sites, seed)
    target = folder / "sites.gpkg"
    temporary = folder / "sites.writing.gpkg"
    temporary.unlink(missing_ok=True)
    pyogrio.write_dataframe(sites, temporary, layer=SITES_LAYER, driver="GPKG")
    for layer, _geometry_type in pyogrio.list_layers(BUNDLED_SITES):
        if layer == SITES_LAYER:
            continue
        table = pyogrio.read_dataframe(BUNDLED_SITES, layer=layer, read_geometry=False)
        if "site_id" in table.columns:
            table = _rows_for_synthetic_sites(table, template_ids, sites["site_id"].to_numpy())
        pyogrio.write_dataframe(table, temporary, layer=layer, driver="GPKG")
    os.replace(temporary, target)

    reference = folder / "reference.gpkg"
    if reference.is_symlink() or reference.exists():
        reference.unlink()
    try:
        reference.symlink_to(BUNDLED_REFERENCE.resolve())
    except OSError:
        shutil.copyfile(BUNDLED_REFERENCE, reference)
    return folder


def _rows_for_synthetic_sites(table: pd.DataFrame, template_ids: np.ndarray, new_ids: np.ndarray) -> pd.DataFrame:
    """The template's rows of a table keyed by site_id, once per synthetic site that copies it."""
    pairs = pd.DataFrame({"site_id": template_ids, "_synthetic_id": new_ids})
    merged = pairs.merge(table, on="site_id", how="inner", sort=False)
    merged["site_id"] = merged.pop("_synthetic_id")
    return merged[list(table.columns)].reset_index(drop=True)


# --- the same sites as an import file -----------------------------------------------------------------

IMPORT_CSV_COLUMNS_SOURCE = BUNDLED_DATA_DIR / "sources" / "sites.csv"


def write_synthetic_import_csv(n_sites: int, path: Path, seed: int = 1) -> Path:
    """The synthetic sites as a CSV in the layout of data/sources/sites.csv (the importer's input), with
    their coordinates; for timing the import validation."""
    with open(IMPORT_CSV_COLUMNS_SOURCE, encoding="utf-8", newline="") as handle:
        # the importer takes the district from the point, so the file leaves that column out
        columns = [column for column in next(csv.reader(handle)) if column != "district"]
    sites, _template_ids = synthetic_sites(n_sites, seed)
    rows = pd.DataFrame(
        {
            **{column: sites[column] for column in columns if column in sites.columns},
            "lat": sites.geometry.y.round(6),
            "lon": sites.geometry.x.round(6),
            "year": sites["year"].astype("Int64"),
        }
    )
    for column in columns:
        if column not in rows.columns:
            rows[column] = ""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows[columns].to_csv(path, index=False, encoding="utf-8")
    return path
