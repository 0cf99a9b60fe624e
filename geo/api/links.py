"""Links from the atlas's pages to the open data API, relative to the page (every page of the atlas is one
path segment below its root, so `api/…` reaches the API behind any host or path prefix)."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from geo.sites.filters import SiteFilter

RELATIVE_ROOT = "api"


def api_url(path: str = "/", lang: str = "de", **params: str) -> str:
    """`api/<path>?…&lang=…`: a page of the API in the atlas page's language."""
    return f"{RELATIVE_ROOT}{path}?{urlencode({**params, 'lang': lang})}"


def site_url(site_id: str, lang: str, fmt: str = "html") -> str:
    """One site in the API: its page (`html`) or its GeoJSON feature (`json`)."""
    return api_url(f"/collections/sites/items/{quote(site_id, safe='')}", lang, f=fmt)


def sites_url(site_filter: SiteFilter, lang: str, fmt: str = "html") -> str:
    """The sites a filter selects, in the API: the atlas's URL parameters, several values joined by commas."""
    params = {name: ",".join(values) for name, values in site_filter.to_query_params().items()}
    return api_url("/collections/sites/items", lang, f=fmt, **params)
