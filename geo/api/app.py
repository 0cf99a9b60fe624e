"""The open data API as an ASGI application: serve.py mounts it at /api of the atlas's own server.

Each request goes the same way:
1. the rate limit (`geo.api.rate_limit`) and CORS (any origin may read);
2. the checks (`geo.api.checks`): every parameter known to the path, well-formed, filters with known values
   — else a 400 naming the parameter, in German or English;
3. `ETag` and `Last-Modified` from the data versions: a client that has the current answer gets a 304
   without any work;
4. pygeoapi answers (`geo.api.service`), in a worker thread, from the atlas's providers (`geo.api.providers`);
5. an HTML page is rendered from pygeoapi's JSON with the atlas's templates and texts (`geo.api.html`).
Only GET and HEAD exist: anything else is a 405, and no route writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from geo import store
from geo.api import checks, data, html
from geo.api.collections import check_filters, property_names_of
from geo.api.config import API_PATH
from geo.api.problems import ApiProblem
from geo.api.queryables import allowed_filters, queryables
from geo.api.rate_limit import RateLimitMiddleware
from geo.api.responses import base_url, problem_response, wants_html
from geo.texts import t

LOG = logging.getLogger(__name__)
# Part of every ETag: raise it when the form of the answers changes, so clients do not keep old ones.
RESPONSE_FORM = "1"
STYLESHEET = html.STATIC_DIR / "api.css"
READ_METHODS = ["GET", "HEAD"]
GEOJSON = "application/geo+json"
CACHED_HEADERS = ("ETag", "Last-Modified", "Content-Crs", "Content-Language", "Link")


def validators() -> tuple[str, str]:
    """(data token, Last-Modified) of what every answer is made from: the sites' and the reference data's
    versions and when they were written."""
    sites, reference = data.sites(), data.districts()
    token = f"{RESPONSE_FORM}|{sites.version}|{reference.version}"
    return token, format_datetime(max(sites.modified, reference.modified), usegmt=True)


def not_modified(request: Request, etag: str, last_modified: str) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        return any(tag.strip() in (etag, etag.removeprefix("W/"), "*") for tag in match.split(","))
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _allowed(kind: str, collection_id: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(parameters, repeatable parameters) of a kind of request."""
    if kind == "items":
        filters = allowed_filters(collection_id or "")
        return checks.ITEMS_PARAMS[:-1] + filters, filters  # `q` only where the collection searches text
    if kind == "item":
        return checks.ITEM_PARAMS, ()
    return checks.COMMON_PARAMS, ()


def _checked(request: Request, kind: str, collection_id: str | None) -> dict[str, str]:
    if collection_id is not None:
        checks.check_collection(collection_id)
    allowed, repeatable = _allowed(kind, collection_id)
    params = checks.check_query(request.query_params.multi_items(), request.url.query, allowed, repeatable)
    if kind == "items" and collection_id is not None:
        checks.check_items_params(params, property_names_of(collection_id))
        check_filters(collection_id, params)
    return params


def _pygeoapi_request(request: Request, params: dict[str, str], fmt: str | None):
    """pygeoapi's view of the request: the checked parameters (with `f` replaced when given) and headers
    without `q=0` choices."""
    from pygeoapi.api import APIRequest

    query = checks.CheckedQuery(params, "").query_string(**({"f": fmt} if fmt else {}))
    headers = [
        (name, checks.without_refused_choices(value.decode("latin-1")).encode("latin-1"))
        if name in (b"accept", b"accept-language")
        else (name, value)
        for name, value in request.scope["headers"]
    ]
    scope = dict(request.scope, query_string=query.encode("ascii"), headers=headers)
    return APIRequest(Request(scope), ["de", "en"])


def _call(kind: str, api, api_request, collection_id: str | None, item_id: str | None):
    import pygeoapi.api as core
    import pygeoapi.api.itemtypes as itemtypes

    if kind == "landing":
        return core.landing_page(api, api_request)
    if kind == "openapi":
        return core.openapi_(api, api_request)
    if kind in ("collections", "collection"):
        return core.describe_collections(api, api_request, collection_id)
    if kind == "schema":
        return core.get_collection_schema(api, api_request, collection_id)
    if kind == "items":
        return itemtypes.get_collection_items(api, api_request, collection_id)
    return itemtypes.get_collection_item(api, api_request, collection_id, item_id)


def _own_answer(kind: str, api, lang: str, collection_id: str | None) -> tuple[dict, int, object]:
    """The answers the API gives itself: the conformance declaration (pygeoapi would declare Part 4,
    writing, which this API does not do) and the queryables (the atlas's filters)."""
    from geo.api.service import CONFORMANCE_CLASSES

    if kind == "conformance":
        return (
            {"Content-Type": "application/json", "Content-Language": lang},
            HTTPStatus.OK,
            {"conformsTo": list(CONFORMANCE_CLASSES)},
        )
    title = t(f"api_{collection_id}_title", lang)
    document = queryables(collection_id or "", f"{api.base_url}/collections/{collection_id}/queryables", title, lang)
    return {"Content-Type": "application/schema+json", "Content-Language": lang}, HTTPStatus.OK, document


async def answer(request: Request, kind: str) -> Response:
    collection_id = request.path_params.get("collection_id")
    item_id = request.path_params.get("item_id")
    lang = checks.request_language(
        {"lang": request.query_params.getlist("lang")}, request.headers.get("accept-language", "")
    )
    root = base_url(request)
    try:
        params = _checked(request, kind, collection_id)
        token, last_modified = await run_in_threadpool(validators)
        from geo.api.service import api_for

        api = await run_in_threadpool(api_for, root)
        api_request = _pygeoapi_request(request, params, None)
        fmt = api_request.format or "json"
        lang = api_request.locale.language
        etag = 'W/"' + hashlib.sha256(f"{token}|{lang}|{fmt}".encode()).hexdigest()[:32] + '"'
        cache_headers = {
            "ETag": etag,
            "Last-Modified": last_modified,
            "Cache-Control": "no-cache",
            "Vary": "Accept, Accept-Language",
        }
        if not_modified(request, etag, last_modified):
            return Response(status_code=HTTPStatus.NOT_MODIFIED, headers=cache_headers)
        if fmt == "html":
            api_request = _pygeoapi_request(request, params, "json")
        if kind in ("conformance", "queryables"):
            headers, status, content = _own_answer(kind, api, lang, collection_id)
        else:
            headers, status, content = await run_in_threadpool(_call, kind, api, api_request, collection_id, item_id)
    except ApiProblem as problem:
        return problem_response(problem, lang, wants_html(request), root)
    except store.StoreError:
        LOG.exception("the API could not read the sites")
        return problem_response(
            ApiProblem(
                HTTPStatus.SERVICE_UNAVAILABLE, "unavailable", code="ServiceUnavailable", headers={"Retry-After": "5"}
            ),
            lang,
            wants_html(request),
            root,
        )
    headers = {
        name: value for name, value in headers.items() if name.lower() not in ("x-powered-by", "content-encoding")
    }
    if kind in ("items", "item") and fmt == "json":
        headers["Content-Type"] = GEOJSON  # pygeoapi says application/json; the standard says GeoJSON's own type
    if kind == "landing" and status == HTTPStatus.OK and isinstance(content, (str, bytes)):
        from geo.api.service import without_unserved_links

        content = without_unserved_links(json.loads(content), api.base_url)
    body = content if isinstance(content, (str, bytes)) else json.dumps(content, ensure_ascii=False)
    if status >= 400:
        return _pygeoapi_problem(body, status, lang, fmt == "html", root)
    if fmt == "html":
        document = json.loads(body)
        page = html.page(kind, document, html.PageContext.of(request, root, lang, params, collection_id))
        return HTMLResponse(page, headers=cache_headers | {"Content-Language": lang})
    return Response(
        body,
        status_code=status,
        headers=headers | cache_headers,
        media_type=headers.get("Content-Type", "application/json"),
    )


def _pygeoapi_problem(body: str | bytes, status: int, lang: str, as_html: bool, root: str) -> Response:
    """An error pygeoapi answered itself (e.g. an unknown item): its message, as JSON or as a page."""
    if status >= 500:
        LOG.error(
            "pygeoapi answered %s: %s",
            status,
            body[:500] if isinstance(body, str) else body[:500].decode(errors="replace"),
        )
    try:
        description = str(json.loads(body).get("description", ""))
    except (ValueError, AttributeError):
        description = ""
    if as_html:
        return HTMLResponse(
            html.error_page(description, status, lang, root), status_code=status, headers={"Content-Language": lang}
        )
    return Response(body, status_code=status, media_type="application/json", headers={"Content-Language": lang})


def _route(kind: str):
    async def endpoint(request: Request) -> Response:
        return await answer(request, kind)

    endpoint.__name__ = f"api_{kind}"
    return endpoint


async def stylesheet(request: Request) -> Response:
    return FileResponse(STYLESHEET, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


async def http_error(request: Request, error: Exception) -> Response:
    """A path or method the API does not have: a 404 or 405 that says so, never Starlette's plain text."""
    status = getattr(error, "status_code", HTTPStatus.INTERNAL_SERVER_ERROR)
    lang = checks.request_language(
        {"lang": request.query_params.getlist("lang")}, request.headers.get("accept-language", "")
    )
    key, code = {404: ("not_found", "NotFound"), 405: ("method", "InvalidRequest")}.get(
        status, ("internal", "ServerError")
    )
    headers = {"Allow": ", ".join(READ_METHODS)} if status == 405 else {}
    return problem_response(
        ApiProblem(status, key, code=code, headers=headers), lang, wants_html(request), base_url(request)
    )


async def internal_error(request: Request, error: Exception) -> Response:
    LOG.exception("the API failed on %s", request.url.path)
    lang = checks.request_language(
        {"lang": request.query_params.getlist("lang")}, request.headers.get("accept-language", "")
    )
    return problem_response(
        ApiProblem(HTTPStatus.INTERNAL_SERVER_ERROR, "internal", code="ServerError"),
        lang,
        wants_html(request),
        base_url(request),
    )


ROUTES = [
    Route("/", _route("landing"), methods=READ_METHODS),
    Route("/openapi", _route("openapi"), methods=READ_METHODS),
    Route("/conformance", _route("conformance"), methods=READ_METHODS),
    Route("/collections", _route("collections"), methods=READ_METHODS),
    Route("/collections/{collection_id}", _route("collection"), methods=READ_METHODS),
    Route("/collections/{collection_id}/queryables", _route("queryables"), methods=READ_METHODS),
    Route("/collections/{collection_id}/schema", _route("schema"), methods=READ_METHODS),
    Route("/collections/{collection_id}/items", _route("items"), methods=READ_METHODS),
    Route("/collections/{collection_id}/items/{item_id}", _route("item"), methods=READ_METHODS),
    Route("/static/api.css", stylesheet, methods=READ_METHODS),
]


def create_app() -> Starlette:
    return Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(RateLimitMiddleware),
            Middleware(
                CORSMiddleware, allow_origins=["*"], allow_methods=READ_METHODS, expose_headers=list(CACHED_HEADERS)
            ),
        ],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
    )


async def redirect_to_landing(request: Request) -> Response:
    return RedirectResponse(
        str(request.url.replace(path=request.url.path + "/")), status_code=HTTPStatus.MOVED_PERMANENTLY
    )


def mounted_routes() -> list:
    """What serve.py adds to the atlas's routes: the API at /api/, and /api itself sent there."""
    return [Route(API_PATH, redirect_to_landing, methods=READ_METHODS), Mount(API_PATH, app=create_app())]


def standalone() -> Starlette:
    """The API alone, at /api (`uvicorn --factory geo.api.app:standalone`): what the tests' clients talk to,
    without a Streamlit server beside it."""
    return Starlette(routes=mounted_routes())
