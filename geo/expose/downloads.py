"""Downloads of a set of sites: CSV for spreadsheets, GeoJSON for GIS software.

The CSV is for people: headers in the page's language, labels instead of internal codes (program, state,
district and theme names), the site's id kept in its own column so rows can be matched to the GeoJSON and
to profile links. It is written by the app's one CSV writer (`geo.core.csv_download`): UTF-8 with BOM, the
separator and decimal mark of the page's language, formula-like text neutralised.

The GeoJSON is for software: the stable field names of the data contract (`site_id`, `program`, …), the
same in both languages, RFC 7946 (WGS 84, lon/lat, coordinates rounded to 6 decimals ≈ 0.1 m).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from geo.core.csv_download import csv_bytes
from geo.core.fields import FIELD_BY_NAME, SITE_COLUMNS, year_value
from geo.core.schema import PRECISIONS, SITE_SURROUNDING_COLUMNS, STATE_NAMES, THEME_SEPARATOR
from geo.core.schema import programs as program_vocabulary
from geo.core.schema import themes as theme_vocabulary
from geo.sites import facts as site_facts
from geo.texts import pick, t

COORDINATE_DECIMALS = 6
CSV_MEDIA_TYPE = "text/csv"
GEOJSON_MEDIA_TYPE = "application/geo+json"


def export_columns(sites: pd.DataFrame) -> list[str]:
    """The contract's columns that `sites` has, in contract order."""
    return [
        column
        for column in SITE_COLUMNS + SITE_SURROUNDING_COLUMNS + site_facts.DERIVED_COLUMNS
        if column in sites.columns
    ]


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


def _label(vocabulary: Mapping[str, Mapping[str, str]], code: object, lang: str) -> object:
    """The label of `code` in `lang`; an unknown code shows as itself, a missing one stays empty."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return None
    row = vocabulary.get(str(code))
    if row is None:
        return str(code)
    return row.get(f"label_{lang}") or row.get("label_de") or str(code)


def _theme_labels(themes_text: object, lang: str) -> str:
    if not isinstance(themes_text, str):
        return ""
    vocabulary = theme_vocabulary()
    return ", ".join(str(_label(vocabulary, code, lang)) for code in themes_text.split(THEME_SEPARATOR) if code)


def _description(site: pd.Series, lang: str) -> object:
    """The description in the page's language, else the other one (a German-only text beats none)."""
    for column in pick(lang, ("description_de", "description_en"), ("description_en", "description_de")):
        value = site.get(column)
        if isinstance(value, str) and value.strip():
            return value
    return None


def sites_table(
    sites: gpd.GeoDataFrame, lang: str = "de", district_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The CSV's rows: one per site, headers in `lang`, labels instead of codes, lat/lon in WGS 84.

    `district_names` maps a district key (AGS) to its name; without it the district column is left out.
    Columns the sites do not have (an older file without surroundings) are left out, never invented.
    """
    located = _wgs84(sites).reset_index(drop=True)
    states = {code: {"label_de": names["de"], "label_en": names["en"]} for code, names in STATE_NAMES.items()}
    programs = program_vocabulary()

    def column(name: str) -> pd.Series:
        return located[name] if name in located.columns else pd.Series([None] * len(located), dtype=object)

    def heading(name: str) -> str:
        return t(FIELD_BY_NAME[name].heading, lang)

    def years(name: str) -> pd.Series:
        return pd.array([year_value(value) for value in column(name)], dtype="Int64")

    table: dict[str, object] = {
        heading("site_id"): column("site_id"),
        heading("name"): column("name"),
        heading("program"): column("program").map(lambda code: _label(programs, code, lang)),
        heading("state_code"): column("state_code").map(lambda code: _label(states, code, lang)),
    }
    if district_names is not None:
        table[t("column_district", lang)] = column("district_ags").map(
            lambda ags: district_names.get(str(ags)) if isinstance(ags, str) else None
        )
    table[heading("district_ags")] = column("district_ags")
    table[heading("municipality")] = column("municipality")
    table[heading("municipality_ags")] = column("municipality_ags")
    table[heading("locality")] = column("locality")
    table[heading("themes")] = column("themes").map(lambda text: _theme_labels(text, lang))
    table[heading("description_de")] = (
        located.apply(lambda site: _description(site, lang), axis=1) if len(located) else pd.Series([], dtype=object)
    )
    table[heading("year")] = years("year")
    table[heading("precision")] = column("precision").map(
        lambda precision: (
            t(f"precision_{precision if precision in PRECISIONS else 'municipality'}", lang)
            if isinstance(precision, str)
            else None
        )
    )
    table[heading("website")] = column("website")
    table[heading("source_url")] = column("source_url")
    table[heading("coord_source_url")] = column("coord_source_url")
    table[heading("updated")] = column("updated")
    table |= _figure_columns(located, lang)
    table[t("csv_latitude", lang)] = located.geometry.y.round(COORDINATE_DECIMALS).to_numpy()
    table[t("csv_longitude", lang)] = located.geometry.x.round(COORDINATE_DECIMALS).to_numpy()
    return pd.DataFrame(
        {
            name: pd.Series(values).reset_index(drop=True) if isinstance(values, pd.Series) else values
            for name, values in table.items()
        }
    )


def _figure_columns(located: gpd.GeoDataFrame, lang: str) -> dict[str, object]:
    """The surroundings (name and straight-line km of the nearest airport, station, city) and the plot
    facts as the profile words them (numbers stay numbers), then the pages that state them."""
    table: dict[str, object] = {}

    def column(name: str) -> pd.Series:
        return located[name] if name in located.columns else pd.Series([None] * len(located), dtype=object)

    def kilometres(name: str) -> pd.Series:
        return pd.to_numeric(column(name), errors="coerce").round(1)

    for name_column, km_column, label_key in (
        ("airport_name", "airport_km", "site_profile_nearest_airport"),
        ("station_name", "station_km", "site_profile_nearest_station"),
        ("city_name", "city_km", "site_profile_nearest_city"),
    ):
        if name_column in located.columns:
            label = t(label_key, lang)
            table[label] = column(name_column)
            table[t("csv_straight_line_km", lang, place=label)] = kilometres(km_column)
    for field in site_facts.FIELDS:
        if field.id not in located.columns:
            continue
        if field.kind == "number":
            values = pd.to_numeric(column(field.id), errors="coerce")
        else:
            values = column(field.id).map(
                lambda value, field_id=field.id: site_facts.format_value(field_id, value, lang) or None
            )
        table[site_facts.column_header(field.id, lang)] = values
    if site_facts.FACT_SOURCES_COLUMN in located.columns:
        table[t("csv_fact_sources", lang)] = column(site_facts.FACT_SOURCES_COLUMN)
    return table


def sites_csv(sites: gpd.GeoDataFrame, lang: str, district_names: Mapping[str, str] | None = None) -> bytes:
    """CSV bytes of `sites_table` in the language's spreadsheet conventions (geo.core.csv_download)."""
    return csv_bytes(sites_table(sites, lang, district_names), lang)


def sites_geojson(sites: gpd.GeoDataFrame) -> bytes:
    """A GeoJSON FeatureCollection of Points (RFC 7946), one Feature per site, `id` = site_id."""
    located = _wgs84(sites)
    columns = export_columns(located)
    features = []
    for _, site in located.iterrows():
        geometry = site.geometry
        features.append(
            {
                "type": "Feature",
                "id": str(site["site_id"]) if "site_id" in site else None,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(geometry.x, COORDINATE_DECIMALS), round(geometry.y, COORDINATE_DECIMALS)],
                },
                "properties": {column: _plain(site[column]) for column in columns},
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8")
