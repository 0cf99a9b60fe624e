"""Every conformance class the API declares at /conformance, checked against the requirements of its
standard (OGC API – Common Part 1 and 2, Features Parts 1, 2, 3 and 5): one check per class, and a declared
class without a check fails. Requirement names are those of the standards' abstract test suites."""

from __future__ import annotations

import json

import pytest
import requests

from geo.core.paths import SITES_GPKG
from geo.store import read_sites_for_app
from tests.api_server import running_api

COMMON = "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/"
FEATURES = "http://www.opengis.net/spec/ogcapi-features-"
COLLECTIONS = ("sites", "districts", "zones")
BUNDLED_SITES = len(read_sites_for_app(SITES_GPKG))


@pytest.fixture(scope="module")
def api() -> str:
    with running_api() as url:
        yield url


def get(url: str, accept: str = "application/json", **params) -> requests.Response:
    response = requests.get(url, params=params, headers={"Accept": accept}, timeout=60)
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    return response


def rels(document: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for link in document["links"]:
        found.setdefault(link["rel"], []).append(link)
    return found


def check_common_core(api):
    # /req/core/root-op, /req/core/root-success: links to the API definition, conformance and data
    landing = get(f"{api}/").json()
    links = rels(landing)
    assert {"self", "service-desc", "conformance", "data"} <= set(links)
    for link in landing["links"]:  # every link it offers answers
        if link["href"].startswith(api):
            assert requests.get(link["href"], timeout=60).status_code == 200, link
    # /req/core/conformance-success
    assert isinstance(get(f"{api}/conformance").json()["conformsTo"], list)
    # /req/core/query-param-invalid, /req/core/query-param-unknown
    assert requests.get(f"{api}/collections", params={"unknown": "1"}, timeout=60).status_code == 400


def check_landing_page(api):
    landing = get(f"{api}/").json()
    assert landing["title"] and landing["description"]
    assert any(link["type"] == "application/vnd.oai.openapi+json;version=3.0" for link in rels(landing)["service-desc"])


def check_json(api):
    for path in ("/", "/conformance", "/collections"):
        response = get(f"{api}{path}", f="json")
        assert response.headers["Content-Type"].startswith("application/json")
        json.loads(response.text)


def check_html(api):
    for path in (
        "/",
        "/conformance",
        "/collections",
        "/collections/sites",
        "/collections/sites/items",
        "/collections/sites/items/biopharmapark-dessau",
        "/collections/sites/queryables",
        "/collections/sites/schema",
        "/openapi",
    ):
        for response in (get(f"{api}{path}", f="html"), get(f"{api}{path}", accept="text/html")):
            assert response.headers["Content-Type"].startswith("text/html")
            assert response.text.lstrip().lower().startswith("<!doctype html>")


def check_oas30(api):
    response = get(f"{api}/openapi", f="json")
    assert response.headers["Content-Type"].startswith("application/vnd.oai.openapi+json")
    document = response.json()
    assert document["openapi"].startswith("3.0")
    paths = document["paths"]
    for collection in COLLECTIONS:
        assert {
            f"/collections/{collection}",
            f"/collections/{collection}/items",
            f"/collections/{collection}/items/{{featureId}}",
            f"/collections/{collection}/queryables",
        } <= set(paths)
    assert not any(path.startswith(("/jobs", "/processes")) for path in paths)
    names = {parameter.get("name") for parameter in paths["/collections/sites/items"]["get"]["parameters"]}
    assert {"program", "state", "zone", "theme", "area_min", "price_max", "zoning", "rail", "q", "limit"} <= names
    assert "options" not in paths["/collections/sites/items"]


def check_collections(api):
    collections = get(f"{api}/collections").json()
    assert [collection["id"] for collection in collections["collections"]] == list(COLLECTIONS)
    for collection in collections["collections"]:
        assert collection["extent"]["spatial"]["bbox"]
        single = get(f"{api}/collections/{collection['id']}").json()
        assert single["id"] == collection["id"] and "items" in rels(single)
    assert requests.get(f"{api}/collections/nothing", timeout=60).status_code == 404


def check_features_core(api):
    for collection in COLLECTIONS:
        items = get(f"{api}/collections/{collection}/items", limit=2).json()
        assert items["type"] == "FeatureCollection" and items["numberReturned"] == len(items["features"]) <= 2
        assert "self" in rels(items) and items["numberMatched"] >= items["numberReturned"]
        feature = items["features"][0]
        single = get(f"{api}/collections/{collection}/items/{feature['id']}").json()
        assert single["id"] == feature["id"] and single["properties"] == feature["properties"]
    # /req/core/fc-limit-response, fc-bbox-response, fc-time-definition (accepted; no temporal geometry)
    assert get(f"{api}/collections/sites/items", limit=3).json()["numberReturned"] == 3
    assert get(f"{api}/collections/sites/items", bbox="9,50,16,54").json()["numberMatched"] == BUNDLED_SITES
    assert (
        get(f"{api}/collections/sites/items", datetime="2024-01-01T00:00:00Z").json()["numberMatched"] == BUNDLED_SITES
    )
    assert requests.get(f"{api}/collections/sites/items/nothing-here", timeout=60).status_code == 404


def check_geojson(api):
    response = get(f"{api}/collections/sites/items", accept="application/geo+json")
    assert response.headers["Content-Type"].startswith("application/geo+json")
    for feature in response.json()["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 9 < lon < 16 and 50 < lat < 54  # RFC 7946: longitude first


def check_crs(api):
    collection = get(f"{api}/collections/sites").json()
    assert "http://www.opengis.net/def/crs/EPSG/0/25833" in collection["crs"]
    assert collection["storageCrs"] == "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    response = get(f"{api}/collections/sites/items", crs="http://www.opengis.net/def/crs/EPSG/0/4326", limit=1)
    assert response.headers["Content-Crs"] == "<http://www.opengis.net/def/crs/EPSG/0/4326>"
    lat, lon = response.json()["features"][0]["geometry"]["coordinates"]  # EPSG:4326 is latitude first
    assert 50 < lat < 54 and 9 < lon < 16
    unsupported = requests.get(
        f"{api}/collections/sites/items", timeout=60, params={"crs": "http://www.opengis.net/def/crs/EPSG/0/3857"}
    )
    assert unsupported.status_code == 400


def check_queryables(api):
    for collection in COLLECTIONS:
        collection_links = rels(get(f"{api}/collections/{collection}").json())
        assert "http://www.opengis.net/def/rel/ogc/1.0/queryables" in collection_links
        response = get(f"{api}/collections/{collection}/queryables")
        assert response.headers["Content-Type"].startswith("application/schema+json")
        document = response.json()
        assert document["type"] == "object" and document["$schema"].startswith("https://json-schema.org/")
        assert document["$id"].endswith(f"/collections/{collection}/queryables")
        assert all("type" in schema or "format" in schema for schema in document["properties"].values())


def check_queryables_query_parameters(api):
    queryables = get(f"{api}/collections/sites/queryables").json()["properties"]
    for name, schema in queryables.items():
        if "enum" in schema:  # every queryable's value narrows the sites to those that have it
            value = schema["enum"][0]
            answer = get(f"{api}/collections/sites/items", limit=1000, **{name: value}).json()
            assert answer["numberMatched"] <= BUNDLED_SITES
    program = get(f"{api}/collections/sites/items", program="kreativort", limit=1000).json()
    assert program["features"] and all(f["properties"]["program"] == "kreativort" for f in program["features"])


def check_schemas(api):
    for collection in COLLECTIONS:
        assert "http://www.opengis.net/def/rel/ogc/1.0/schema" in rels(get(f"{api}/collections/{collection}").json())
        schema = get(f"{api}/collections/{collection}/schema").json()
        features = get(f"{api}/collections/{collection}/items", limit=1).json()["features"]
        assert set(features[0]["properties"]) <= set(schema["properties"])


def check_core_roles_features(api):
    roles = {"sites": "site_id", "districts": "ags", "zones": "zone_id"}
    for collection, id_property in roles.items():
        properties = get(f"{api}/collections/{collection}/schema").json()["properties"]
        assert properties[id_property]["x-ogc-role"] == "id"
        assert properties["geometry"]["x-ogc-role"] == "primary-geometry"


CHECKS = {
    COMMON + "core": check_common_core,
    COMMON + "landing-page": check_landing_page,
    COMMON + "json": check_json,
    COMMON + "html": check_html,
    COMMON + "oas30": check_oas30,
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections": check_collections,
    FEATURES + "1/1.0/conf/core": check_features_core,
    FEATURES + "1/1.0/conf/oas30": check_oas30,
    FEATURES + "1/1.0/conf/html": check_html,
    FEATURES + "1/1.0/conf/geojson": check_geojson,
    FEATURES + "2/1.0/conf/crs": check_crs,
    FEATURES + "3/1.0/conf/queryables": check_queryables,
    FEATURES + "3/1.0/conf/queryables-query-parameters": check_queryables_query_parameters,
    FEATURES + "5/1.0/conf/schemas": check_schemas,
    FEATURES + "5/1.0/conf/core-roles-features": check_core_roles_features,
}


def test_every_declared_class_has_a_check_and_nothing_more_is_declared(api):
    declared = get(f"{api}/conformance").json()["conformsTo"]
    assert sorted(declared) == sorted(CHECKS)
    assert not any("features-4" in uri for uri in declared)  # read-only: no create/replace/delete


@pytest.mark.parametrize("conformance_class", sorted(CHECKS))
def test_declared_class(api, conformance_class):
    CHECKS[conformance_class](api)
