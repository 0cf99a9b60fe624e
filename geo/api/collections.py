"""The collections' rules that do not need pygeoapi: each collection's layer, its features' property names,
its filters (parsed with the atlas's own site filters) and the check of filter values. The app's request
checks use them before pygeoapi is even imported; the providers use them to answer."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping

import numpy as np

from geo.api import data
from geo.api.features import site_property_names
from geo.api.problems import bad_parameter
from geo.api.queryables import COLLECTION_FILTERS
from geo.core.schema import STATE_NAMES
from geo.sites import filters as site_filters


def parse_site_filter(params: Mapping[str, str]) -> site_filters.SiteFilter:
    """The atlas's site filter from API parameters (the atlas's own parser and vocabulary); ApiProblem for
    a value the atlas does not know (where the atlas's page would ignore it with a note)."""
    parsed = site_filters.parse_filter_params(
        {name: [value] for name, value in params.items()}, data.filter_vocabulary()
    )
    if parsed.problems:
        problem = parsed.problems[0]
        raise bad_parameter("bad_filter_value", problem.param, value=problem.value[:80])
    return parsed.site_filter


def parse_states(params: Mapping[str, str]) -> set[str]:
    """The states a `state` parameter names (codes as in the atlas's URLs, any case, comma-separated)."""
    by_folded = {code.casefold(): code for code in STATE_NAMES}
    states = set()
    for value in (part.strip() for part in params.get(site_filters.STATE_PARAM, "").split(",") if part.strip()):
        if value.casefold() not in by_folded:
            raise bad_parameter("bad_filter_value", site_filters.STATE_PARAM, value=value[:80])
        states.add(by_folded[value.casefold()])
    return states


MASKS_KEPT = 256  # filters remembered per process, as the app keeps its filtered sites (views/data.py)
_masks: OrderedDict[tuple[str, site_filters.SiteFilter], np.ndarray] = OrderedDict()
_masks_lock = threading.Lock()


def _sites_mask(layer: data.Layer, params: Mapping[str, str]) -> np.ndarray:
    """Which sites pass the atlas's filter; remembered per data version and filter, so a partner's portal
    asking the same query again (or the next page of it) does not filter again."""
    site_filter = parse_site_filter(params)
    if site_filter.is_empty:
        return np.ones(len(layer.features), dtype=bool)
    key = (layer.version, site_filter)
    with _masks_lock:
        if key in _masks:
            _masks.move_to_end(key)
            return _masks[key]
    mask = site_filters.filter_mask(layer.frame, site_filter, data.zone_districts(), layer.search_texts)
    chosen = mask.to_numpy(dtype=bool, copy=True)
    chosen.flags.writeable = False  # shared by every request that asks the same
    with _masks_lock:
        _masks[key] = chosen
        while len(_masks) > MASKS_KEPT:
            _masks.popitem(last=False)
    return chosen


def _districts_mask(layer: data.Layer, params: Mapping[str, str]) -> np.ndarray:
    states = parse_states(params)
    if not states:
        return np.ones(len(layer.features), dtype=bool)
    return layer.frame["state_code"].isin(states).to_numpy(dtype=bool)


def _everything(layer: data.Layer, params: Mapping[str, str]) -> np.ndarray:
    return np.ones(len(layer.features), dtype=bool)


def _layer_properties(layer: data.Layer) -> list[str]:
    return list(layer.features[0]["properties"]) if layer.features else []


# collection -> (its layer now, its features' property names, its filters)
COLLECTIONS: dict[
    str,
    tuple[
        Callable[[], data.Layer],
        Callable[[data.Layer], list[str]],
        Callable[[data.Layer, Mapping[str, str]], np.ndarray],
    ],
] = {
    "sites": (data.sites, lambda layer: site_property_names(layer.frame), _sites_mask),
    "districts": (data.districts, _layer_properties, _districts_mask),
    "zones": (data.zones, _layer_properties, _everything),
}


def property_names_of(collection_id: str) -> list[str]:
    """The properties of a collection's features now (what `properties=` and `sortby=` may name); the sites
    have the same keys even when there is no site."""
    layer_now, names, _ = COLLECTIONS[collection_id]
    return names(layer_now())


def check_filters(collection_id: str, params: Mapping[str, str]) -> None:
    """Raise ApiProblem for a filter value the collection does not know (before pygeoapi is asked)."""
    parse = {"sites": parse_site_filter, "districts": parse_states}.get(collection_id)
    if parse is not None:
        parse({name: value for name, value in params.items() if name in filter_names(collection_id)})


def filter_names(collection_id: str) -> tuple[str, ...]:
    return COLLECTION_FILTERS[collection_id] + ((site_filters.QUERY_PARAM,) if collection_id == "sites" else ())
