"""The embed page inside an iframe on another origin: the website team's example host page, served from a
second local port with a realistic Content-Security-Policy, frames the atlas."""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.support import (
    ARTIFACTS,
    MAP,
    PROJECT_ROOT,
    foreign_origins,
    free_port,
    map_frame,
    start_streamlit,
    stop,
)

EXAMPLE = PROJECT_ROOT / "assets" / "embed-example.html"
EXAMPLE_ORIGIN = "http://localhost:8501"
# Three sites far enough apart not to cluster: each is a marker one can click.
EMBED_QUERY = "embed=true&program=kreativort_mitteldeutschland&lang=de"


class CspHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the host page with the CSP header a public-sector site would send (on top of the meta tag)."""

    csp = ""

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.csp)
        super().end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


@pytest.fixture
def host_url(app_url, tmp_path) -> Iterator[str]:
    """The example host page, pointed at the test's app, on a second origin (localhost vs 127.0.0.1, other port)."""
    page = EXAMPLE.read_text(encoding="utf-8").replace(EXAMPLE_ORIGIN, app_url)
    page = page.replace("program=zukunftsort&amp;program=kreativort&amp;lang=de", EMBED_QUERY.replace("&", "&amp;"), 1)
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    handler = functools.partial(
        type(
            "Handler",
            (CspHandler,),
            {"csp": f"default-src 'self'; frame-src {app_url}; style-src 'self' 'unsafe-inline'; img-src 'self' data:"},
        ),
        directory=str(tmp_path),
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def warm_up(page, app_url):
    """Open the app's start page once, so the map's caches are warm before a timed check."""
    page.goto(app_url)
    map_frame(page, timeout=40_000)  # drawn by the map page, so app.py has run st.navigation


def embed_frame(page):
    page.wait_for_selector("iframe#standortatlas", timeout=30_000)
    return page.frame_locator("iframe#standortatlas")


def test_embedded_map_draws_markers_and_a_click_shows_the_site(page, app_url, host_url):
    page.set_viewport_size({"width": 900, "height": 900})
    warm_up(page, app_url)
    page.goto(f"{host_url}/index.html")
    atlas = embed_frame(page)
    leaflet = atlas  # the map is in the embed page itself
    leaflet.locator(f"{MAP}[data-atlas-render]").wait_for(state="attached", timeout=40_000)
    markers = leaflet.locator(".sa-site-marker")
    markers.first.wait_for(timeout=20_000)
    assert markers.count() == 3
    assert leaflet.locator("path.leaflet-interactive").count() > 50  # district shapes

    name = markers.first.locator(".sa-sr").inner_text().rsplit(" (", 1)[0]
    markers.first.click()
    popup = leaflet.locator(".sa-popup")
    popup.wait_for(timeout=20_000)
    # more than the name: program, place, and a link to the site's profile in the full atlas
    assert name in popup.inner_text() and "Kreativort Mitteldeutschland" in popup.inner_text()
    assert len(popup.locator("div").all()) >= 2
    profile_link = popup.get_by_role("link", name="Profil im Atlas öffnen")
    assert profile_link.get_attribute("target") == "_blank" and "site=" in profile_link.get_attribute("href")
    link = leaflet.get_by_role("link", name="Vollständigen Atlas öffnen")
    assert link.get_attribute("target") == "_blank"
    href = link.get_attribute("href")
    assert "/karte?" in href and "program=kreativort_mitteldeutschland" in href and "site=" in href

    # the page inside the frame has no Streamlit chrome (embed=true), no sidebar, no upload, no staff link
    assert atlas.locator("[data-testid='stSidebar']").count() == 0
    assert atlas.locator("input[type=file]").count() == 0
    assert atlas.locator("a[href*='pflege']").count() == 0

    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("iframe#standortatlas").screenshot(path=str(ARTIFACTS / "embed-in-iframe.png"))
    assert foreign_origins(page.requested_origins, app_url, host_url) == set()


@pytest.mark.parametrize("width, height", [(800, 600), (360, 520)])
def test_embed_fills_the_frame_it_is_given(page, app_url, width, height):
    page.set_content(
        f'<iframe id="standortatlas" title="atlas" src="{app_url}/einbetten?embed=true&lang=de" '
        f'width="{width}" height="{height}" style="border:0"></iframe>'
    )
    atlas = embed_frame(page)
    leaflet = atlas  # the map is in the embed page itself
    leaflet.locator(f"{MAP}[data-atlas-render]").wait_for(state="attached", timeout=40_000)
    frame_box = page.locator("iframe#standortatlas").bounding_box()
    map_box = atlas.locator(MAP).bounding_box()
    # the map reaches the frame's bottom (no empty band, no scrolling inside the frame)
    assert frame_box["y"] + frame_box["height"] - (map_box["y"] + map_box["height"]) < 24
    assert map_box["height"] > height * 0.6
    document = page.query_selector("iframe#standortatlas").content_frame()
    assert document.evaluate("document.scrollingElement.scrollHeight <= window.innerHeight + 2")
    # the four states fill the map's width more than a fixed view would (at least 60 %)
    states_width = leaflet.locator(".leaflet-saStates-pane").evaluate(
        "pane => { const r = [...pane.querySelectorAll('path')].map(p => p.getBoundingClientRect());"
        " return Math.max(...r.map(b => b.right)) - Math.min(...r.map(b => b.left)); }"
    )
    assert states_width >= map_box["width"] * 0.6


def test_the_atlas_sends_no_header_that_blocks_framing(app_url):
    with urllib.request.urlopen(f"{app_url}/einbetten?{EMBED_QUERY}", timeout=10) as response:
        headers = {name.lower(): value for name, value in response.headers.items()}
    assert "x-frame-options" not in headers
    assert "frame-ancestors" not in headers.get("content-security-policy", "")


def test_the_host_csp_allows_only_the_atlas_frame(page, app_url, host_url, tmp_path):
    """Sanity check of the test set-up: a frame from an origin the host's CSP does not list is blocked,
    so the passing test above really ran under that policy."""
    (tmp_path / "other.html").write_text(
        (tmp_path / "index.html").read_text(encoding="utf-8").replace(app_url, "http://127.0.0.2:9"), encoding="utf-8"
    )
    with page.expect_console_message(
        lambda message: "Content Security Policy" in message.text, timeout=10_000
    ) as blocked:
        page.goto(f"{host_url}/other.html")
    assert "frame-src" in blocked.value.text


def test_embed_as_the_first_request_after_a_restart_shows_no_navigation(browser):
    """Regression: with a folder named pages/ beside app.py, Streamlit ran a fresh server's first deep
    link (an iframe!) as a bare page script with a sidebar listing every file; the pages live in views/."""
    process, base_url, _log = start_streamlit()
    try:
        context = browser.new_context(viewport={"width": 700, "height": 500})
        page = context.new_page()
        page.goto(f"{base_url}/einbetten?{EMBED_QUERY}")
        map_frame(page, timeout=40_000)
        assert page.locator("[data-testid='stSidebarNav'], [data-testid='stSidebar']").count() == 0
        context.close()
    finally:
        stop(process)
