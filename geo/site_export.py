"""Downloads of a set of sites: CSV for spreadsheets, GeoJSON for GIS software.

Column names are the stable field names of the data contract (DESIGN §3: `site_id`, `name`, …), the
same in both languages, so a script can read either file; `lat`/`lon` (WGS 84) are added to the CSV.
The CSV is written for German Excel (UTF-8 with BOM, `;` between fields) by `geo.indicators.csv_bytes`,
the app's one CSV writer, with the language's decimal mark. The GeoJSON follows RFC 7946
(WGS 84, lon/lat, coordinates rounded to 6 decimals ≈ 0.1 m).
"""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pandas as pd

from geo.indicators import csv_bytes
from geo.schema import SITE_COLUMNS, SITE_SURROUNDING_COLUMNS

COORDINATE_DECIMALS = 6
CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"


def export_columns(sites: pd.DataFrame) -> list[str]:
    """The contract's columns that `sites` has, in contract order."""
    return [column for column in SITE_COLUMNS + SITE_SURROUNDING_COLUMNS if column in sites.columns]


def _wgs84(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if sites.crs is not None and sites.crs.to_epsg() != 4326:
        return sites.to_crs(4326)
    return sites


def _plain(value: object) -> object:
    """A JSON-ready value: no NaN (→ null), no numpy scalars, whole-number floats such as years as int."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return value


def sites_table(sites: gpd.GeoDataFrame) -> pd.DataFrame:
    """The export's rows: contract columns plus lat/lon, years as whole numbers."""
    located = _wgs84(sites)
    table = pd.DataFrame(located[export_columns(located)]).copy()
    if "year" in table.columns:
        table["year"] = pd.to_numeric(table["year"], errors="coerce").astype("Int64")
    table["lat"] = located.geometry.y.round(COORDINATE_DECIMALS).to_numpy()
    table["lon"] = located.geometry.x.round(COORDINATE_DECIMALS).to_numpy()
    return table.reset_index(drop=True)


def sites_csv(sites: gpd.GeoDataFrame, lang: str) -> bytes:
    """CSV bytes: UTF-8 with BOM, `;`-separated, decimal comma in German and point in English."""
    return csv_bytes(sites_table(sites), lang)


def sites_geojson(sites: gpd.GeoDataFrame) -> bytes:
    """A GeoJSON FeatureCollection of Points (RFC 7946), one Feature per site, `id` = site_id."""
    located = _wgs84(sites)
    columns = export_columns(located)
    features = []
    for _, site in located.iterrows():
        geometry = site.geometry
        features.append({
            "type": "Feature",
            "id": str(site["site_id"]) if "site_id" in site else None,
            "geometry": {"type": "Point", "coordinates": [round(geometry.x, COORDINATE_DECIMALS),
                                                          round(geometry.y, COORDINATE_DECIMALS)]},
            "properties": {column: _plain(site[column]) for column in columns},
        })
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
