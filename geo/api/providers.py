"""pygeoapi feature providers for the atlas's collections: `sites`, `districts`, `zones`.

pygeoapi implements the standard (paging, links, CRS negotiation, formats, OpenAPI); these providers give
it the project's own data the project's own way: the sites through the store (`geo.api.data`), filtered by
the atlas's site filters (`geo.sites.filters`, the same parser and rules as the map's URLs), so an API query
and the atlas's link with the same parameters select the same sites.

pygeoapi creates a provider per request, so a provider holds nothing but the current data version's layer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.util import crs_transform
from shapely.geometry import box

from geo.api import data as api_data
from geo.api.collections import COLLECTIONS, filter_names
from geo.api.features import json_schema_type
from geo.api.problems import ApiProblem, bad_parameter, problem_text
from geo.sites import filters as site_filters
from geo.sites.renames import resolve_site_id


def _language(language: object) -> str:
    return "en" if str(getattr(language, "language", language or "")).startswith("en") else "de"


def _copy(feature: dict, select: Sequence[str], skip_geometry: bool) -> dict:
    """A feature the response may change (pygeoapi adds links) without touching the cached one."""
    properties = feature["properties"]
    if select:
        properties = {name: properties[name] for name in select if name in properties}
    return {
        "type": "Feature",
        "id": feature["id"],
        "geometry": None if skip_geometry else feature["geometry"],
        "properties": dict(properties),
    }


class AtlasProvider(BaseProvider):
    """A collection of the atlas for pygeoapi: bbox, the collection's filters, paging, sorting, property
    selection, hits; coordinates transformed by pygeoapi's `crs_transform`."""

    collection_id = ""

    def __init__(self, provider_def: dict) -> None:
        super().__init__(provider_def)
        layer_now, names, self._mask = COLLECTIONS[self.collection_id]
        self.layer = layer_now()
        dtypes = self.layer.frame.dtypes  # one lookup for all columns (a column at a time is slow)
        self._fields = {name: json_schema_type(name, dtypes.get(name, object)) for name in names(self.layer)}

    def get_fields(self) -> dict:
        return self._fields

    def filter_mask(self, params: Mapping[str, str], lang: str) -> np.ndarray:
        """Which features the collection's filters keep; a bad filter is a 400 naming the parameter."""
        unknown = [name for name in params if name not in filter_names(self.collection_id)]
        try:
            if unknown:
                raise bad_parameter(
                    "unknown_parameter", unknown[0], allowed=", ".join(filter_names(self.collection_id))
                )
            return self._mask(self.layer, params)
        except ApiProblem as problem:
            raise ProviderInvalidQueryError(user_msg=problem.message(lang)) from None

    def _bbox_mask(self, bbox: Sequence[float]) -> np.ndarray:
        values = [float(value) for value in bbox]
        minx, miny, maxx, maxy = values[:2] + values[3:5] if len(values) == 6 else values
        mask = self.layer.in_bbox([minx, miny, maxx, maxy])
        geometry = self.layer.frame.geometry
        if mask.any() and not (geometry.geom_type == "Point").all():  # polygons: their shape, not their box
            candidates = np.flatnonzero(mask)
            area = (
                box(minx, miny, maxx, maxy)
                if minx <= maxx
                else box(minx, miny, 180, maxy).union(box(-180, miny, maxx, maxy))
            )
            mask[candidates] = geometry.iloc[candidates].intersects(area).to_numpy()
        return mask

    def _sorted(self, positions: np.ndarray, sortby: Sequence[dict]) -> np.ndarray:
        features = self.layer.features
        ordered = list(positions)
        for criterion in reversed(list(sortby)):  # stable sorts, last key first
            name, descending = criterion["property"], criterion.get("order") == "-"
            present = [p for p in ordered if features[p]["properties"].get(name) is not None]
            missing = [p for p in ordered if features[p]["properties"].get(name) is None]
            present.sort(key=lambda p: features[p]["properties"][name], reverse=descending)
            ordered = present + missing  # features without the value come last either way
        return np.array(ordered, dtype=int)

    @crs_transform
    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: Sequence[float] = (),
        datetime_=None,
        properties: Sequence[tuple[str, str]] = (),
        sortby: Sequence[dict] = (),
        select_properties: Sequence[str] = (),
        skip_geometry: bool = False,
        q: str | None = None,
        language=None,
        filterq=None,
        crs_transform_spec=None,
        **kwargs,
    ) -> dict:
        """The features that pass; `datetime` is accepted and ignored (the features carry no time of their
        own: dates are properties such as `updated` and `…_as_of`)."""
        lang = _language(language)
        if filterq is not None:
            raise ProviderInvalidQueryError(user_msg=problem_text("filter_unsupported", lang))
        params = dict(properties) | ({site_filters.QUERY_PARAM: q} if q else {})
        mask = self.filter_mask(params, lang)
        if len(bbox):
            mask = mask & self._bbox_mask(bbox)  # a filter's mask may be a read-only view
        positions = np.flatnonzero(mask)
        if sortby:
            positions = self._sorted(positions, sortby)
        features = (
            []
            if resulttype == "hits"
            else [
                _copy(self.layer.features[p], select_properties, skip_geometry)
                for p in positions[offset : offset + limit]
            ]
        )
        return {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": int(len(positions)),
            "numberReturned": len(features),
        }

    def feature_id(self, identifier: str) -> str:
        """The id an item request's `identifier` means today (as it is, unless a collection knows more)."""
        return identifier

    @crs_transform
    def get(self, identifier: str, language=None, crs_transform_spec=None, **kwargs) -> dict:
        position = self.layer.positions.get(self.feature_id(str(identifier)))
        if position is not None:
            return _copy(self.layer.features[position], (), False)
        raise ProviderItemNotFoundError(
            user_msg=problem_text("item_not_found", _language(language), item=str(identifier)[:80])
        )


class SitesProvider(AtlasProvider):
    """The sites with their plot facts; the atlas's filters (program, state, zone, theme, area_min, price_max,
    zoning, rail, q) as query parameters."""

    collection_id = "sites"

    def feature_id(self, identifier: str) -> str:
        """A renamed site's old id answers with the site under its id of today, as the atlas's links do."""
        return resolve_site_id(identifier, self.layer.positions, api_data.site_renames())


class DistrictsProvider(AtlasProvider):
    """The districts (Landkreise and kreisfreie Städte) with population, area and regional aid; `state` narrows
    them as it narrows the sites."""

    collection_id = "districts"


class ZonesProvider(AtlasProvider):
    """The structural-change zones (coal regions, coal-aid areas, Just Transition Fund areas)."""

    collection_id = "zones"
