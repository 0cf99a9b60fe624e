"""serve.py: page addresses answer with Streamlit's index.html that declares the app's root first."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.requests import Request
from starlette.routing import Match

import serve
from geo.core import web_assets
from geo.core.web_assets import map_asset_urls, map_loader_url


def test_the_root_is_declared_before_any_script_of_streamlit_loads():
    document = serve.page_document()
    declaration = document.index(serve.ROOT_DECLARATION)
    first_script = document.index("<script", declaration + len(serve.ROOT_DECLARATION))
    assert declaration < first_script < document.index("static/js/index.")
    assert "BACKEND_BASE_URL" in serve.ROOT_DECLARATION and "MAIN_PAGE_BASE_URL" in serve.ROOT_DECLARATION


def _first_match(path: str):
    """The route of serve.ROUTES that answers `path` (the first that matches fully, as Starlette picks)."""
    for route in serve.ROUTES:
        match, _scope = route.matches({"type": "http", "path": path, "method": "GET", "root_path": ""})
        if match == Match.FULL:
            return route
    return None


def _matches(path: str) -> bool:
    route = _first_match(path)
    return route is not None and getattr(route, "path", None) == "/{name:page}"


def test_the_open_data_api_is_answered_by_its_own_routes():
    assert not _matches("/api") and not _matches("/api/")
    assert _first_match("/api/collections/sites/items").path == "/api"  # the API's mount
    assert _first_match("/api").path == "/api"  # sent on to /api/


def test_only_page_addresses_get_the_declaring_document():
    for page in ("/karte", "/standorte", "/praesentation", "/pflege", "/strukturwandel"):
        assert _matches(page)
    for other in (
        "/",
        "/favicon.png",
        "/manifest.json",
        "/_stcore/health",
        "/karte/_stcore/health",
        "/app/static/vendor/leaflet/leaflet.js",
        "/karte/",
    ):
        assert not _matches(other)  # left to Streamlit's own routes
    # a thread of its own: the browser tier's Playwright keeps an event loop running in the test thread
    with ThreadPoolExecutor(max_workers=1) as pool:
        request = Request({"type": "http", "method": "GET", "path": "/karte", "path_params": {"name": "karte"}})
        response = pool.submit(asyncio.run, serve.page(request)).result()
    assert serve.ROOT_DECLARATION in response.body.decode("utf-8")
    assert response.headers["cache-control"] == "no-cache"


def test_the_map_code_is_hinted_after_streamlit_has_loaded_its_own():
    index = serve.STREAMLIT_INDEX.read_text(encoding="utf-8")
    chunks = serve.component_chunks(index, serve.MAP_CHUNK_GLOBS)
    assert chunks and chunks[0].startswith("BidiComponent.")  # Streamlit's lazily loaded component code
    for name in chunks:
        assert (serve.STREAMLIT_SCRIPTS / name).is_file() and f"static/js/{name}" not in index
    document = serve.page_document("karte")
    hints = serve.load_hints(index, with_map=True)
    hinted_at = document.index("window.addEventListener('load'")
    assert document.index("static/js/index.") < hinted_at < document.index("</head>")
    assert hints.startswith("<script>window.addEventListener('load',")  # not competing with Streamlit's own scripts
    for name in chunks:
        assert json.dumps(f"./static/js/{name}") in hints


def test_a_page_alone_is_hinted_for_its_fields_and_grids():
    index = serve.STREAMLIT_INDEX.read_text(encoding="utf-8")
    grid = serve.component_chunks(index, ("DataFrame.*.js",))[0]
    component = serve.component_chunks(index, serve.MAP_CHUNK_GLOBS)[0]
    assert grid.startswith("DataFrame.")
    # the sites table is a component of the app's own: its code is hinted there, Streamlit's grid nowhere
    sites_page = serve.page_document("standorte")
    assert json.dumps(f"./static/js/{component}") in sites_page
    assert "DataFrame." not in sites_page and "arrowFormatUtils" not in sites_page
    assert "Selectbox." in serve.page_document("strukturwandel")
    for other in ("karte", "einbetten", "", "no-such-page"):  # the map pages: only what the map needs
        document = serve.page_document(other)
        assert json.dumps(f"./static/js/{grid}") not in document and "TextInput." not in document


def test_no_page_loads_the_code_of_streamlits_table():
    """The static tables are HTML (views/tables.py): st.table's code and its Arrow formatting (about 1 MB)
    are hinted on no page."""
    index = serve.STREAMLIT_INDEX.read_text(encoding="utf-8")
    table = serve.component_chunks(index, ("Table.*.js",))[0]
    assert table.startswith("Table.")
    assert not [globs for globs in serve.PAGE_CHUNK_GLOBS.values() if "Table.*.js" in globs]
    for page in (*serve.PAGE_CHUNK_GLOBS, "karte", ""):
        assert table not in serve.page_document(page)


def test_only_the_pages_with_a_map_load_the_map_before_it_arrives():
    index = serve.STREAMLIT_INDEX.read_text(encoding="utf-8")
    component = serve.component_chunks(index, serve.MAP_CHUNK_GLOBS)[0]
    loader = f"import('.{map_loader_url()}')"
    assert map_loader_url().startswith("/app/static/atlas_map/atlas_loader.js?v=")
    for page in serve.MAP_PAGE_DATA:
        document = serve.page_document(page)
        assert loader in document and json.dumps(f"./static/js/{component}") in document
        for kind, urls in map_asset_urls().items():  # the files the map itself loads (atlas_loader.js)
            assert json.dumps({kind: [f".{url}" for url in urls]})[1:-1] in document
    for page in ("standorte", "daten", "pflege", "no-such-page"):  # nothing of the map where there is none
        document = serve.page_document(page)
        assert loader not in document and "leaflet" not in document
        assert (component in document) is (page == "standorte")  # the sites table is a component, too


def test_a_page_with_a_map_names_the_data_files_the_maps_were_last_given(monkeypatch):
    monkeypatch.setattr(web_assets, "_served_data_urls", {})
    assert "prepare(" in serve.page_document("karte") and "/app/static/data/" not in serve.page_document("karte")
    base, sites = "/app/static/data/0a1b/base.json.gz", "/app/static/data/2c3d/sites.json.gz"
    web_assets.note_map_data_urls(base, sites)
    assert f"{json.dumps([base, sites])});" in serve.page_document("karte")
    assert f"{json.dumps([base])});" in serve.page_document("regionen")  # a district map draws no sites
    assert base not in serve.page_document("standorte")
    web_assets.note_map_data_urls("/x</script><script>alert(1)</script>", sites)  # never from the app; escaped
    document = serve.page_document("einbetten")
    assert "alert(1)</script>" not in document and "\\u003c/script>" in document


def test_the_page_has_its_first_paint_layout_before_streamlit_draws():
    document, css = serve.page_document(), serve.FIRST_PAINT_CSS.read_text(encoding="utf-8")
    assert f"<style>{css}{serve.HOLD_CSS}</style>" in document and "[data-testid='stSkeleton']" in css
    hold = serve.FIRST_PAINT_JS.read_text(encoding="utf-8")
    assert document.index(css) < document.index(hold) < document.index("static/js/index.")


def _nodelay(sock) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_nagle_is_switched_off_on_the_listening_socket_and_the_connections_it_accepts(tmp_path):
    # bound as Streamlit binds its server socket: protocol number 0, which asyncio does not recognise as TCP
    listener = socket.socket(socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    unrelated_file = (tmp_path / "kept-open.txt").open("w")
    before = socket.create_connection(listener.getsockname())
    try:
        assert listener.proto == 0 and _nodelay(listener) == 0

        async def start_and_stop():
            async with serve.lifespan(None):  # what the server runs once its socket listens
                pass

        with ThreadPoolExecutor(max_workers=1) as pool:  # see test_only_page_addresses_get_the_declaring_document
            pool.submit(asyncio.run, start_and_stop()).result()
        assert _nodelay(listener) == 1
        with socket.create_connection(listener.getsockname()) as client:
            accepted_before, _ = listener.accept()
            accepted, _ = listener.accept()
            with accepted_before, accepted:
                assert _nodelay(accepted) == 1  # a connection accepted later inherits it
                assert _nodelay(client) == 0 and _nodelay(before) == 0  # connected sockets are left as they are
        unrelated_file.write("still open")  # the scan closed no descriptor it looked at
    finally:
        unrelated_file.close()
        before.close()
        listener.close()


# --- VisitorGuard: what visitors may not do ---------------------------------------------------------------


def _back_message(**fields) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    for name, value in fields.items():
        if name == "rerun_script":
            message.rerun_script.page_name = value
        else:
            setattr(message, name, value)
    return message.SerializeToString()


def _through_guard(scope: dict, incoming: list[dict]) -> tuple[list[dict], list[dict]]:
    """(what the app behind the guard received, what went back) for one ASGI connection."""
    received, sent = [], []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            received.append(message)
            if message["type"] in ("websocket.disconnect", "http.request"):
                break
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"metrics of the app"})

    queue = list(incoming)

    async def receive():
        return queue.pop(0)

    async def send(message):
        sent.append(message)

    with ThreadPoolExecutor(max_workers=1) as pool:  # see test_only_page_addresses_get_the_declaring_document
        pool.submit(asyncio.run, serve.VisitorGuard(app)({**scope, "headers": []}, receive, send)).result()
    return received, sent


def test_the_guard_drops_clear_cache_and_passes_every_other_message():
    rerun, clear = _back_message(rerun_script="karte"), _back_message(clear_cache=True)
    stop = _back_message(stop_script=True)
    # an attacker may pad the message: the last field of Streamlit's `type` wins when it is read
    padded = rerun + clear
    assert serve.refused_back_message(clear) == "clear_cache" and serve.refused_back_message(padded) == "clear_cache"
    assert serve.refused_back_message(rerun) is None and serve.refused_back_message(b"\xff\xffnot protobuf") is None
    incoming = [{"type": "websocket.connect"}] + [
        {"type": "websocket.receive", "bytes": data} for data in (rerun, clear, padded, stop)
    ]
    received, _ = _through_guard(
        {"type": "websocket", "path": "/_stcore/stream"}, incoming + [{"type": "websocket.disconnect", "code": 1000}]
    )
    assert [message.get("bytes") for message in received] == [None, rerun, stop, None]
    # elsewhere (no websocket of Streamlit's) the guard reads nothing
    received, _ = _through_guard(
        {"type": "websocket", "path": "/other"}, incoming + [{"type": "websocket.disconnect", "code": 1000}]
    )
    assert len(received) == len(incoming) + 1


def test_metrics_are_refused_unless_the_operator_asks_for_them(monkeypatch):
    request = [{"type": "http.request", "body": b"", "more_body": False}]
    for path in ("/_stcore/metrics", "/_stcore/metrics/", "/atlas/_stcore/metrics"):
        monkeypatch.delenv(serve.METRICS_ENV, raising=False)
        received, sent = _through_guard({"type": "http", "method": "GET", "path": path}, request)
        assert received == [] and sent[0]["status"] == 404
        monkeypatch.setenv(serve.METRICS_ENV, "true")
        received, sent = _through_guard({"type": "http", "method": "GET", "path": path}, request)
        assert sent[0]["status"] == 200 and sent[1]["body"] == b"metrics of the app"
    monkeypatch.delenv(serve.METRICS_ENV)
    assert _through_guard({"type": "http", "method": "GET", "path": "/_stcore/health"}, request)[1][0]["status"] == 200


def test_the_fields_that_keep_their_height_are_the_pages_fields():
    from views.filters import WIDGET_KEYS
    from views.frame import url_widget_key

    css = serve.FIRST_PAINT_CSS.read_text(encoding="utf-8")
    rule = css[css.index(":is(.st-key-atlas_filter_q") :]
    kept = set(re.findall(r"\.st-key-([\w-]+)", rule[: rule.index("{")]))
    pages = {
        Path("views/strukturwandel.py"): ("zone",),
        Path("views/regionen.py"): ("district", "indicator", "compare"),
    }
    expected = {WIDGET_KEYS["q"]}
    for page, params in pages.items():
        source = (serve.APP_SCRIPT.parent / page).read_text(encoding="utf-8")
        for param in params:
            assert f"url_widget_key({param.upper()}_PARAM, lang)" in source  # still the page's field
            expected |= {url_widget_key(param, lang) for lang in ("de", "en")}
    # the comparison's search field and list of sites (module constants of the page; importing a page runs it)
    comparison = (serve.APP_SCRIPT.parent / "views" / "vergleich.py").read_text(encoding="utf-8")
    expected |= set(re.findall(r'^(?:CHOICE|FIND)_KEY = "(\w+)"$', comparison, flags=re.M))
    assert kept == expected and {"comparison_find", "comparison_choice"} <= kept
