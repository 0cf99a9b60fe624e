"""The pygeoapi configuration of the open data API, built in Python from the project's own texts and rules
(no YAML file to keep in step): server settings, metadata in German and English, and the three collections
with their providers, coordinate systems and limits.

pygeoapi writes absolute links (`next`, `self`, `collection` …), so the configuration names the API's public
address. `STANDORTATLAS_PUBLIC_URL` (e.g. `https://atlas.example.de`) fixes it; without it the address is
taken from the request (Host, X-Forwarded-Proto), so `make run`, `make cluster` and a proxy all link right.
"""

from __future__ import annotations

from geo.core.schema import FOUR_STATES_BOUNDS
from geo.texts import LANGUAGES, both, t

API_PATH = "/api"
PUBLIC_URL_ENV = "STANDORTATLAS_PUBLIC_URL"
DEFAULT_ITEMS = 100
MAX_ITEMS = 1000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS_URIS = (
    CRS84,
    "http://www.opengis.net/def/crs/EPSG/0/4326",
    "http://www.opengis.net/def/crs/EPSG/0/25832",
    "http://www.opengis.net/def/crs/EPSG/0/25833",
)
COLLECTIONS = {  # id -> (provider class, id field, title field)
    "sites": ("geo.api.providers.SitesProvider", "site_id", "name"),
    "districts": ("geo.api.providers.DistrictsProvider", "ags", "name"),
    "zones": ("geo.api.providers.ZonesProvider", "zone_id", "name"),
}
(SOUTH, WEST), (NORTH, EAST) = FOUR_STATES_BOUNDS
EXTENT = [WEST, SOUTH, EAST, NORTH]


def translations(key: str) -> dict[str, str]:
    """A text in both languages as pygeoapi translates config values (`{"de": …, "en": …}`)."""
    return dict(zip(LANGUAGES, both(key), strict=True))


def _collection(collection_id: str) -> dict:
    provider, id_field, title_field = COLLECTIONS[collection_id]
    return {
        "type": "collection",
        "title": translations(f"api_{collection_id}_title"),
        "description": translations(f"api_{collection_id}_description"),
        "keywords": {lang: [word.strip() for word in t("api_keywords", lang).split(",")] for lang in LANGUAGES},
        "links": [],
        "extents": {"spatial": {"bbox": EXTENT, "crs": CRS84}},
        "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS, "on_exceed": "error"},
        "providers": [
            {
                "type": "feature",
                "name": provider,
                "data": "geo.store",
                "id_field": id_field,
                "title_field": title_field,
                "crs": list(CRS_URIS),
                "storage_crs": CRS84,
                "include_extra_query_parameters": True,
                "languages": list(LANGUAGES),
            }
        ],
    }


def pygeoapi_config(base_url: str) -> dict:
    """The configuration for an API whose landing page is `base_url` (…/api)."""
    site_root = base_url[: -len(API_PATH)] if base_url.endswith(API_PATH) else base_url
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},  # not used: the atlas's server serves the API
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": list(LANGUAGES),
            "pretty_print": False,
            "gzip": False,
            "limits": {"default_items": DEFAULT_ITEMS, "max_items": MAX_ITEMS, "on_exceed": "error"},
            "map": {"url": "", "attribution": ""},  # the API's pages draw no map: the atlas is the map
            "admin": False,
            "cors": False,
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": translations("api_title"),
                "description": translations("api_description"),
                "keywords": {lang: [word.strip() for word in t("api_keywords", lang).split(",")] for lang in LANGUAGES},
                "keywords_type": "theme",
                "terms_of_service": f"{site_root}/daten",
                "url": f"{site_root}/karte",
            },
            "license": {"name": translations("api_licence"), "url": f"{site_root}/daten"},
            "provider": {"name": translations("api_title"), "url": f"{site_root}/karte"},
            "contact": {"name": translations("api_title"), "url": f"{site_root}/daten", "role": "pointOfContact"},
        },
        "resources": {collection_id: _collection(collection_id) for collection_id in COLLECTIONS},
    }
