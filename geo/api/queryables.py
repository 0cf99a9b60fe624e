"""The collections' queryables (OGC API – Features, Part 3): the atlas's own filters, with the values each
may take, as JSON Schema; and the same filters as OpenAPI query parameters.

The queryables are the filters of the atlas's URLs, not the features' properties: `state=SN` narrows the
sites as `?state=SN` does on the map (the property is `state_code`), `area_min=5` keeps sites with at least
5 ha available. Values come from the vocabularies the atlas's filter widgets offer.
"""

from __future__ import annotations

from geo.api import data
from geo.sites import filters as site_filters
from geo.texts import t

QUERYABLE_TYPES = {"sites": "geometry-point", "districts": "geometry-multipolygon", "zones": "geometry-multipolygon"}
# filter -> where its values come from
_ENUMS = {
    site_filters.PROGRAM_PARAM: "programs",
    site_filters.STATE_PARAM: "states",
    site_filters.THEME_PARAM: "themes",
    site_filters.ZONE_PARAM: "zones",
    site_filters.ZONING_PARAM: "zoning",
    site_filters.RAIL_PARAM: "rail",
}
_NUMBERS = (site_filters.AREA_MIN_PARAM, site_filters.PRICE_MAX_PARAM)
COLLECTION_FILTERS = {
    "sites": (
        site_filters.PROGRAM_PARAM,
        site_filters.STATE_PARAM,
        site_filters.THEME_PARAM,
        site_filters.ZONE_PARAM,
        site_filters.AREA_MIN_PARAM,
        site_filters.PRICE_MAX_PARAM,
        site_filters.ZONING_PARAM,
        site_filters.RAIL_PARAM,
    ),
    "districts": (site_filters.STATE_PARAM,),
    "zones": (),
}
FREE_TEXT = {"sites": site_filters.QUERY_PARAM}  # the collections with a free-text search (`q`)


def filter_schema(name: str, lang: str) -> dict:
    """The JSON Schema of one filter: its values (or a number range) and what it does."""
    schema: dict = {"title": name, "description": t(f"api_query_{name}", lang)}
    if name in _NUMBERS:
        schema.update(type="number", minimum=0, maximum=site_filters.MAX_RANGE_VALUE)
    else:
        schema.update(type="string", enum=list(getattr(data.filter_vocabulary(), _ENUMS[name])))
    return schema


def queryables(collection_id: str, url: str, title: str, lang: str) -> dict:
    """The queryables document of a collection."""
    properties = {"geometry": {"format": QUERYABLE_TYPES[collection_id], "x-ogc-role": "primary-geometry"}}
    properties.update({name: filter_schema(name, lang) for name in COLLECTION_FILTERS[collection_id]})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": url,
        "type": "object",
        "title": title,
        "properties": properties,
        "additionalProperties": True,
    }


def allowed_filters(collection_id: str) -> tuple[str, ...]:
    """The query parameters that filter a collection: its queryables and its free-text search."""
    return COLLECTION_FILTERS[collection_id] + ((FREE_TEXT[collection_id],) if collection_id in FREE_TEXT else ())


def query_parameters(collection_id: str) -> list[dict]:
    """The filters as OpenAPI parameters of /items (comma-separated values: any of them)."""
    parameters = []
    for name in allowed_filters(collection_id):
        schema = (
            {"type": "string", "maxLength": site_filters.MAX_QUERY_LENGTH}
            if name == site_filters.QUERY_PARAM
            else {
                key: value for key, value in filter_schema(name, "en").items() if key in ("type", "minimum", "maximum")
            }
        )
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "style": "form",
                "explode": False,
                "description": t(f"api_query_{name}", "en"),
                "schema": schema,
            }
        )
    return parameters
