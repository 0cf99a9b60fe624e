"""What every answer of the API shares: its public address, whether the client wants a page, and how a
refused request is answered (JSON for programs, a page for browsers)."""

from __future__ import annotations

import os
import re

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from geo.api import html
from geo.api.config import API_PATH, PUBLIC_URL_ENV
from geo.api.problems import ApiProblem

_HOST = re.compile(r"^[A-Za-z0-9.-]{1,253}(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](?::\d{1,5})?$")


def base_url(request: Request) -> str:
    """The API's public address (…/api): STANDORTATLAS_PUBLIC_URL, else the request's scheme and host."""
    configured = os.environ.get(PUBLIC_URL_ENV, "").strip().rstrip("/")
    if configured:
        return configured + API_PATH
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    scheme = forwarded if forwarded in ("http", "https") else request.url.scheme
    host = request.headers.get("host", "")
    if not _HOST.match(host):
        host = request.url.netloc if _HOST.match(request.url.netloc) else "localhost"
    return f"{scheme}://{host}{request.scope.get('root_path', '').rstrip('/')}"


def wants_html(request: Request) -> bool:
    """Whether an error should be a page: `f=html`, or a browser's Accept without `f`."""
    f = request.query_params.get("f")
    if f is not None:
        return f == "html"
    accept = request.headers.get("accept", "")
    return "text/html" in accept and accept.find("text/html") < max(accept.find("json"), len(accept))


def problem_response(problem: ApiProblem, lang: str, as_html: bool, root: str) -> Response:
    headers = dict(problem.headers) | {"Content-Language": lang, "Cache-Control": "no-store"}
    if as_html:
        return HTMLResponse(
            html.error_page(problem.message(lang), problem.status, lang, root),
            status_code=problem.status,
            headers=headers,
        )
    return JSONResponse(problem.body(lang), status_code=problem.status, headers=headers)
