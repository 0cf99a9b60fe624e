"""pygeoapi's API objects for the atlas: one per public address, each with its OpenAPI document.

pygeoapi is imported here and nowhere else on the app's side, and only when the first API request arrives:
the atlas's pages never need it, and a replica that serves no API request does not pay its import (about
2 s and 60 MB).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from copy import deepcopy
from typing import TYPE_CHECKING

from geo.api.config import COLLECTIONS, CRS_URIS, pygeoapi_config
from geo.api.queryables import query_parameters
from geo.texts import t

if TYPE_CHECKING:
    from pygeoapi.api import API

MAX_ADDRESSES = 8  # API objects kept (one per public address the API was asked under)
SERVED_PATHS = ("/", "/openapi", "/conformance", "/collections")

CONFORMANCE_CLASSES = (  # what the API declares at /conformance; tests/test_api_conformance.py checks each
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/core-roles-features",
)

_apis: OrderedDict[str, API] = OrderedDict()
_lock = threading.Lock()


def _served(path: str) -> bool:
    return path in SERVED_PATHS or any(
        path == f"/collections/{collection_id}" or path.startswith(f"/collections/{collection_id}/")
        for collection_id in COLLECTIONS
    )


def without_unserved_links(document: dict, base_url: str) -> dict:
    """`document` without links to what pygeoapi offers and this API does not serve (processes, jobs,
    tiling schemes): a client that follows every link of the landing page meets no 404."""

    def served(link: dict) -> bool:
        href = str(link.get("href", ""))
        if not href.startswith(base_url):
            return True
        return _served(href[len(base_url) :].split("?")[0] or "/")

    if "links" in document:
        document["links"] = [link for link in document["links"] if served(link)]
    return document


def openapi_document(config: dict) -> dict:
    """pygeoapi's OpenAPI document, made to say what this API does: only the paths it serves (no jobs, no
    OPTIONS operations), the collections' own filter parameters on /items instead of one equality parameter
    per property (which the API does not offer), and queryables without pygeoapi's `profile`."""
    from pygeoapi.openapi import get_oas

    document = get_oas(config, fail_on_invalid_collection=True)
    document["paths"] = {path: operations for path, operations in document["paths"].items() if _served(path)}
    for path, operations in document["paths"].items():
        operations.pop("options", None)
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[2] == "items":
            get = operations["get"]
            get["parameters"] = [
                parameter
                for parameter in get["parameters"]
                if "$ref" in parameter
                and "vendorSpecificParameters" not in parameter["$ref"]
                or parameter.get("name") in ("limit", "properties")
            ]
            get["parameters"] += query_parameters(parts[1])
        if len(parts) == 3 and parts[2] == "queryables":
            operations["get"]["parameters"] = [
                parameter for parameter in operations["get"]["parameters"] if "$ref" in parameter
            ]
    document["components"].setdefault("parameters", {})["crs"] = {
        "name": "crs",
        "in": "query",
        "required": False,
        "style": "form",
        "explode": False,
        "description": t("api_html_crs", "en"),
        "schema": {"type": "string", "format": "uri", "enum": list(CRS_URIS)},
    }
    return document


def api_for(base_url: str) -> API:
    """The pygeoapi API object whose links start with `base_url` (…/api), made on first use."""
    with _lock:
        if base_url in _apis:
            _apis.move_to_end(base_url)
            return _apis[base_url]
    from pygeoapi.api import API

    config = pygeoapi_config(base_url)
    # pygeoapi logs every refused request (an unknown item, a bad value) with its traceback; those are
    # answers here, not faults. Faults of its own reach the API as a 5xx, which geo.api.app logs.
    logging.getLogger("pygeoapi").setLevel(logging.CRITICAL)
    api = API(deepcopy(config), openapi_document(config))
    with _lock:
        _apis[base_url] = api
        while len(_apis) > MAX_ADDRESSES:
            _apis.popitem(last=False)
    return api
