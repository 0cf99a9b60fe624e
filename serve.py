"""Serve the atlas: `streamlit run serve.py` (what `make run` does) runs app.py as an ASGI app (st.App).

Why not `streamlit run app.py` directly: Streamlit's frontend guesses the app's root from the address it
was opened at. Opened at a page such as `/karte`, it first asks `/karte/_stcore/health` and
`/karte/_stcore/host-config`, gets two 404s, and only then tries `/`. Here every page address answers with
Streamlit's own index.html plus one line that declares the root (`window.__streamlit`, read by the
frontend before it connects), so a deep link goes straight to `/_stcore/...`. The root is derived in the
browser from the page's own address (one level up), so it stays right behind a reverse proxy that serves
the atlas under a path prefix.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import streamlit as st
from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

APP_SCRIPT = Path(__file__).with_name("app.py")
STREAMLIT_INDEX = Path(st.__file__).parent / "static" / "index.html"
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


@lru_cache(maxsize=1)
def page_document() -> str:
    """Streamlit's index.html with the root declared before its scripts load."""
    index = STREAMLIT_INDEX.read_text(encoding="utf-8")
    head = re.search(r"<head[^>]*>", index)
    if head is None:
        raise RuntimeError(f"no <head> in {STREAMLIT_INDEX}: Streamlit's index.html changed")
    return index[:head.end()] + ROOT_DECLARATION + index[head.end():]


async def page(request: Request) -> HTMLResponse:
    # never cached, like Streamlit's own index.html: a new Streamlit release changes its script names
    return HTMLResponse(page_document(), headers={"Cache-Control": "no-cache"})


ROUTES = [Route("/{name:page}", page, methods=["GET", "HEAD"])]
app = st.App(str(APP_SCRIPT), routes=ROUTES)
