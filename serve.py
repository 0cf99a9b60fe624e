"""Serve the atlas: `streamlit run serve.py` (what `make run` does) runs app.py as an ASGI app (st.App).

Why not `streamlit run app.py` directly: Streamlit's frontend guesses the app's root from the address it
was opened at. Opened at a page such as `/karte`, it first asks `/karte/_stcore/health` and
`/karte/_stcore/host-config`, gets two 404s, and only then tries `/`. Here every page address answers with
Streamlit's own index.html plus one line that declares the root (`window.__streamlit`, read by the
frontend before it connects), so a deep link goes straight to `/_stcore/...`. The root is derived in the
browser from the page's own address (one level up), so it stays right behind a reverse proxy that serves
the atlas under a path prefix.

It also keeps two of Streamlit's doors shut to visitors (VisitorGuard): the `clear_cache` message, with
which any browser session could empty every visitor's caches, and the `/_stcore/metrics` page, which shows
the server's internals (cache sizes per function, sessions) unless an operator asks for it.
"""

from __future__ import annotations

import json
import os
import re
import socket
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

import streamlit as st
from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.logger import get_logger
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.runtime.runtime_util import get_max_widget_state_size_bytes

from geo.api.app import mounted_routes
from geo.core.web_assets import json_in_script, map_asset_urls, map_loader_url, served_map_data_urls

APP_SCRIPT = Path(__file__).with_name("app.py")
STREAMLIT_INDEX = Path(st.__file__).parent / "static" / "index.html"
STREAMLIT_SCRIPTS = STREAMLIT_INDEX.parent / "static" / "js"
# the layout every page needs from its first paint (also repeated in the page by views/frame.py), and the
# hold of the main area until it stands where it will stay (assets/first_paint.js)
FIRST_PAINT_CSS = APP_SCRIPT.with_name("assets") / "first_paint.css"
FIRST_PAINT_JS = APP_SCRIPT.with_name("assets") / "first_paint.js"
# (every element of the main area too: Streamlit's text and label blocks set their own visibility)
HOLD_CSS = (
    "html:not(.sa-laid-out) :is(:has(> [data-testid='stMain']), [data-testid='stMain'] *) { visibility: hidden; }"
)
# Streamlit loads the code that shows a component (the map, mounted in the page) only when the first one
# arrives, and the map then loads Leaflet, its plugins and its own code: on a page with a map, the page
# loads that code and the map's data files while the server runs the app's script (see load_hints), so the
# map finds them ready. The same holds for the code of the other elements drawn before or beside the map
# (HTML blocks, the toggles, page links, the language switch, the slides' figures): each would
# otherwise be fetched when its element first arrives, one after the other, while the map waits behind them
# (and a late element pushes the ones below it down).
FRAME_CHUNK_GLOBS = ("Html.*.js", "Checkbox.*.js", "PageLink.*.js", "ButtonGroup.*.js")
MAP_CHUNK_GLOBS = ("BidiComponent.*.js", "ComponentInstance.*.js")
# The pages with a map, and which of the map's data files it draws (the district maps draw no sites).
MAP_PAGE_DATA = {
    "karte": ("base", "sites"),
    "einbetten": ("base", "sites"),
    "praesentation": ("base", "sites"),
    "vergleich": ("base", "sites"),
    "regionen": ("base",),
    "strukturwandel": ("base",),
}
# The fields, tables, buttons and figures of the other elements, hinted only on the page that shows them:
# a search field or a table that arrives after the elements below it moves them down, but hinted on every
# page they would cost the map page the compiling of code it never runs (a data grid's code brings about
# 800 KB with it). MAP_CHUNK_GLOBS is the code of any component mounted in the page, the sites table's too.
# The static tables of the reading pages are HTML (views/tables.py): they need only the HTML block's code,
# which every page loads.
PAGE_CHUNK_GLOBS = {
    # the sites table is a component of the app's own (views/site_table.py), not Streamlit's data grid
    "standorte": (*MAP_CHUNK_GLOBS, "TextInput.*.js", "Selectbox.*.js", "DownloadButton.*.js"),
    "vergleich": ("Multiselect.*.js", "TextInput.*.js", "DownloadButton.*.js"),
    "regionen": ("Selectbox.*.js", "Multiselect.*.js", "DownloadButton.*.js", "Metric.*.js"),
    "strukturwandel": ("Selectbox.*.js", "LinkButton.*.js", "Metric.*.js"),
    "daten": ("DownloadButton.*.js",),
    "praesentation": ("Metric.*.js",),
}
# Where page_document puts the URLs of the map's data files (they change with the data, the rest does not).
DATA_URLS_SLOT = "/*atlas-data-urls*/[]"
MODULE_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.$-]+\.js)"')
# A page address is one path segment of letters, digits, `_` and `-` (st.Page url paths); anything with a
# dot (favicon.png, manifest.json) or below `_stcore/` stays with Streamlit's own routes.
PAGE_PATH_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]*"
ROOT_DECLARATION = (
    "<script>(function(){var root=new URL('./',window.location.href).href;"
    "window.__streamlit=Object.assign({},window.__streamlit,{BACKEND_BASE_URL:root,MAIN_PAGE_BASE_URL:root});"
    "})();</script>"
)


class PagePathConvertor(Convertor):
    regex = PAGE_PATH_PATTERN

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("page", PagePathConvertor())


def component_chunks(index: str, globs: tuple[str, ...]) -> list[str]:
    """Streamlit's lazily loaded code for the elements of `globs` (file name patterns under static/js/),
    with the modules they import that index.html does not already load, in import order; empty if
    Streamlit renamed them."""
    found: list[str] = []
    pending = [path.name for glob in globs for path in sorted(STREAMLIT_SCRIPTS.glob(glob))]
    while pending:
        name = pending.pop(0)
        if name in found or f"static/js/{name}" in index or not (STREAMLIT_SCRIPTS / name).is_file():
            continue
        found.append(name)
        pending.extend(MODULE_IMPORT.findall((STREAMLIT_SCRIPTS / name).read_text(encoding="utf-8")))
    return found


def load_hints(index: str, page_globs: tuple[str, ...] = (), with_map: bool = False) -> str:
    """A script that, once the page has loaded Streamlit's own code (hinted at once, they would compete
    with it; after the page's `load` event they arrive while the server runs the app's script), adds
    `<link>` hints for Streamlit's code of the frame's elements and the page's own (`page_globs`) and, on a
    page `with_map`, for the component's code, and starts the map: its loader, as a module, fetches the data
    files named in DATA_URLS_SLOT and loads and runs Leaflet and the engine (atlas_loader.js `prepare`)."""
    chunks = component_chunks(index, FRAME_CHUNK_GLOBS + (MAP_CHUNK_GLOBS if with_map else ()) + page_globs)
    modules = [f"./static/js/{name}" for name in chunks]
    start_map = ""
    if with_map:
        assets = {kind: [f".{url}" for url in urls] for kind, urls in map_asset_urls().items()}
        start_map = (
            f"import('.{map_loader_url()}').then(function(loader){{"
            f"loader.prepare({json.dumps(assets)},{DATA_URLS_SLOT});}},function(){{}});"
        )
    return (
        "<script>window.addEventListener('load',function(){" + start_map + json.dumps(modules) + ".forEach("
        "function(href){var l=document.createElement('link');l.rel='modulepreload';l.crossOrigin='anonymous';"
        "l.href=href;document.head.appendChild(l);});});</script>"
    )


def page_document(page_name: str = "") -> str:
    """Streamlit's index.html with the root declared before its scripts load, the layout rules a page needs
    from its first paint (views/frame.py) and the load hints of page `page_name` (a URL path segment)."""
    data_kinds = MAP_PAGE_DATA.get(page_name, ())
    # keyed by the hints, not the name: any path segment gets a document, only the known pages differ
    document = _page_document(PAGE_CHUNK_GLOBS.get(page_name, ()), bool(data_kinds))
    served = served_map_data_urls()
    urls = [served[kind] for kind in data_kinds if kind in served]
    # the URLs are the app's own (a path and a digest); escaped anyway, as anything put into a script
    return document.replace(DATA_URLS_SLOT, json_in_script(urls), 1)


@lru_cache(maxsize=2 * len(PAGE_CHUNK_GLOBS) + 2)
def _page_document(page_globs: tuple[str, ...], with_map: bool) -> str:
    index = STREAMLIT_INDEX.read_text(encoding="utf-8")
    head = re.search(r"<head[^>]*>", index)
    if head is None:
        raise RuntimeError(f"no <head> in {STREAMLIT_INDEX}: Streamlit's index.html changed")
    rest = index[head.end() :].replace("</head>", load_hints(index, page_globs, with_map) + "</head>", 1)
    first_paint = (
        f"<style>{FIRST_PAINT_CSS.read_text(encoding='utf-8')}{HOLD_CSS}</style>"
        f"<script>{FIRST_PAINT_JS.read_text(encoding='utf-8')}</script>"
    )
    return index[: head.end()] + ROOT_DECLARATION + first_paint + rest


async def page(request: Request) -> HTMLResponse:
    # never cached, like Streamlit's own index.html: a new Streamlit release changes its script names
    return HTMLResponse(page_document(request.path_params["name"]), headers={"Cache-Control": "no-cache"})


def disable_nagle_on_listening_sockets() -> int:
    """Set TCP_NODELAY on this process's listening TCP sockets (connections accepted later inherit it on
    Linux); returns how many were found.

    Why: Streamlit binds its server socket itself, as `socket.socket(family)` with protocol number 0, and
    asyncio switches Nagle's algorithm off only for sockets whose protocol reads IPPROTO_TCP. With Nagle on,
    every response after the first on a kept-alive connection, and every websocket message that follows
    another, waits for the browser's delayed acknowledgement: 40-44 ms each on Linux, measured here on
    /_stcore/health (2.6 ms for the first request on a connection, 44 ms for each one after it). A page
    load makes dozens of such requests over six connections.
    """
    found = 0
    descriptors = next((path for path in ("/proc/self/fd", "/dev/fd") if os.path.isdir(path)), None)
    if descriptors is None:  # not a Unix-like system: nothing to do here
        return found
    for name in os.listdir(descriptors):
        try:
            candidate = socket.socket(fileno=int(name))
        except (OSError, ValueError):  # not a socket, or closed meanwhile
            continue
        try:
            if (
                candidate.family in (socket.AF_INET, socket.AF_INET6)
                and candidate.type == socket.SOCK_STREAM
                and candidate.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
            ):
                candidate.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                found += 1
        except OSError:
            pass
        finally:
            candidate.detach()  # the descriptor stays open: it belongs to the server
    return found


@asynccontextmanager
async def lifespan(_app):
    # the server socket is bound and listening before the application's start-up runs
    disable_nagle_on_listening_sockets()
    yield


# --- what visitors may not do -------------------------------------------------------------------------

METRICS_ENV = "STANDORTATLAS_SERVE_METRICS"  # "true": answer /_stcore/metrics (scrape the replica's own port)
METRICS_PATH = "/_stcore/metrics"
STREAM_PATH = "/_stcore/stream"
# Messages of Streamlit's browser protocol (BackMsg) that no visitor may send. `clear_cache` empties the
# process's st.cache_data and st.cache_resource for *every* session: sent every 2 s, it made the map page
# take 4.95 s instead of 0.05 s for everyone. The atlas's frontend never sends it (the menu item that
# would is hidden in toolbarMode "minimal").
REFUSED_BACK_MESSAGES = frozenset({"clear_cache"})
_LOGGER = get_logger("standortatlas.serve")


def metrics_enabled() -> bool:
    return os.environ.get(METRICS_ENV, "").strip().lower() in ("1", "true", "yes")


def refused_back_message(data: bytes | None) -> str | None:
    """The type of a browser message that VisitorGuard drops, or None to pass it on. A frame larger than
    Streamlit's own limit is passed on unread: Streamlit closes the connection on it without reading it."""
    if not data or len(data) > get_max_widget_state_size_bytes():
        return None
    message = BackMsg()
    try:
        message.ParseFromString(data)
    except DecodeError:  # not a BackMsg at all: Streamlit answers that itself (it closes the connection)
        return None
    kind = message.WhichOneof("type")
    return kind if kind in REFUSED_BACK_MESSAGES else None


class VisitorGuard:
    """ASGI middleware before Streamlit's own: refuses /_stcore/metrics unless METRICS_ENV is set, and
    drops the browser messages of REFUSED_BACK_MESSAGES on the websocket (logged, the session goes on).

    Why a middleware: Streamlit hands every message to the session without a hook to filter it, and its
    metrics route cannot be switched off; filtering the ASGI messages needs nothing of Streamlit but its
    published protocol (streamlit.proto)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "").rstrip("/")
        if scope["type"] == "http" and path.endswith(METRICS_PATH) and not metrics_enabled():
            await PlainTextResponse("Not Found", status_code=404)(scope, receive, send)
            return
        if scope["type"] == "websocket" and path.endswith(STREAM_PATH):
            receive = self._filtered(receive)
        await self.app(scope, receive, send)

    @staticmethod
    def _filtered(receive: Receive) -> Receive:
        async def receive_allowed() -> Message:
            while True:
                message = await receive()
                refused = refused_back_message(message.get("bytes")) if message["type"] == "websocket.receive" else None
                if refused is None:
                    return message
                _LOGGER.warning("Refused a %s message from a browser session", refused)

        return receive_allowed


# the open data API (docs/api.md) first: `/api` would otherwise match the page pattern
ROUTES = [*mounted_routes(), Route("/{name:page}", page, methods=["GET", "HEAD"])]
app = st.App(str(APP_SCRIPT), routes=ROUTES, lifespan=lifespan, middleware=[Middleware(VisitorGuard)])
