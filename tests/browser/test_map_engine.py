"""The map's shipped JavaScript, run in Chromium: the polyline decoder and the site filter give what the
Python side computes; with 10,000 synthetic sites the map draws, filters without a remount and stays small."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator

import pytest

from geo.maps.codec import decode_ring, encode_polygons, encode_ring
from geo.maps.payload import browser_filter_spec
from geo.sites.filters import SiteFilter, Vocabulary, filter_sites, fold_text, parse_filter_params
from geo.store import read_sites_for_app
from geo.store.reference import read_layer, read_table
from tests.browser.support import (
    MAP,
    map_document,
    map_search,
    render_count,
    start_streamlit,
    stop,
    wait_for_new_render,
)

FILTERS = [
    SiteFilter(),
    SiteFilter(states=("SN",)),
    SiteFilter(programs=("zukunftsort", "kreativort")),
    SiteFilter(themes=("chemistry", "media_it")),
    SiteFilter(zones=("lausitz", "jtf_st")),
    SiteFilter(query="Goerlitz"),
    SiteFilter(query="Straße"),
    SiteFilter(states=("ST",), query="chemie park"),
    SiteFilter(query="no such place at all"),
]


@pytest.fixture(scope="module", autouse=True)
def caches_warm(warm_app):
    """Every test here starts on a server whose caches are warm (see conftest.warm_app)."""


def test_the_map_fetches_its_data_and_holds_its_room_before_its_code_arrives(page, app_url):
    """The map's loader (atlas_loader.js, inline in the page) asks for both data files at once, and the page
    keeps the map's room from the start (no layout shift); atlas_map.js, held back here until then, draws
    from those same fetches."""
    held, data_requests = [], []
    page.route("**/atlas_map/atlas_map.js*", lambda route: held.append(route))
    page.on(
        "request",
        lambda request: data_requests.append(request.url) if "/app/static/data/" in request.url else None,
    )
    page.goto(f"{app_url}/karte")
    for _ in range(400):  # up to 20 s
        if held and len(data_requests) == 2:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1 and sorted(url.rsplit("/", 1)[1] for url in data_requests) == [
        "base.json.gz",
        "sites.json.gz",
    ]
    room = page.locator(".stBidiComponent").first.bounding_box()
    assert room["height"] >= 600  # views/karte.py reserves it before the map's code arrives
    held[0].continue_()
    frame = map_document(page)
    assert render_count(frame)[1] == len(read_sites_for_app())
    assert len(data_requests) == 2  # taken over, not fetched again
    assert page.locator(MAP).bounding_box()["height"] == pytest.approx(room["height"], abs=1)


def test_a_language_switch_while_the_map_loads_keeps_the_map(page, app_url):
    """Streamlit runs the cleanup of a call whose arguments changed before its promise resolved, after the
    later call already drew: switched to English while the map's code is held back, the map still stands
    with every site and English texts once the code arrives."""
    held = []
    page.route("**/atlas_map/atlas_map.js*", lambda route: held.append(route))
    page.goto(f"{app_url}/karte")
    for _ in range(400):  # up to 20 s
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Map of the sites").wait_for(timeout=30_000)
    page.wait_for_timeout(500)  # the component has its English arguments
    held[0].continue_()
    frame = map_document(page)
    frame.wait_for_function(
        "document.querySelector('.sa-atlas .leaflet-container')?.getAttribute('aria-label')?.startsWith('Map of')",
        timeout=20_000,
    )
    page.wait_for_timeout(500)  # any cleanup has run
    assert render_count(frame)[1] == len(read_sites_for_app())
    drawn = "document.querySelectorAll('.sa-atlas .leaflet-marker-pane > *').length"
    assert frame.evaluate(drawn) > 0
    assert frame.evaluate("!!window.atlasMap && !!window.atlasMap._loaded")


def test_leaving_the_page_removes_its_map(page, app_url):
    """The cleanup that no longer removes a superseded call's map still removes the map of a page left."""
    page.goto(f"{app_url}/karte")
    frame = map_document(page, timeout=60_000)
    assert frame.evaluate("!!window.atlasMap")
    page.locator("[data-testid='stSidebar'] a[href='standorte']").first.click()
    page.wait_for_url("**/standorte*", timeout=20_000)
    page.wait_for_function("!window.atlasMap && !document.querySelector('.sa-atlas')", timeout=20_000)


def test_shipped_polyline_decoder_reads_what_python_encodes(page, app_url):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    rings = [
        ring
        for geometry in read_layer("districts_web").geometry[:5]
        for polygon in encode_polygons(geometry)
        for ring in polygon
    ]
    rings.append(encode_ring([(-0.00005, 0.0), (13.12345, -52.5), (179.9999, 89.9999)]))  # signs and rounding
    decoded = frame.evaluate("rings => rings.map(ring => atlasPolyline.decode(ring))", rings)
    for ring, points in zip(rings, decoded, strict=True):
        flat = [value for point in points for value in point]
        assert flat == pytest.approx([value for point in decode_ring(ring) for value in point], abs=1e-9)


@pytest.mark.parametrize("site_filter", FILTERS, ids=lambda site_filter: repr(site_filter)[10:60])
def test_shipped_filter_picks_the_sites_the_server_picks(page, app_url, site_filter):
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    sites = read_sites_for_app()
    expected = list(filter_sites(sites, site_filter, read_table("zone_districts"))["site_id"])
    spec = json.loads(json.dumps(browser_filter_spec(site_filter)))
    assert frame.evaluate("spec => window.atlasInternals.filterSiteIds(spec)", spec) == expected


def test_shipped_search_folding_gives_what_python_folds(page, app_url):
    """The map folds a typed search itself (atlas_data.js) to filter before the server answers: on every
    character Python's Unicode data knows, and on whole queries, it must give what the server gives."""
    page.goto(f"{app_url}/karte")
    frame = map_document(page)
    characters = [
        chr(code)
        for code in range(0x9, 0x20000)
        if not 0xD800 <= code < 0xE000 and unicodedata.category(chr(code)) != "Cn"
    ]
    texts = [f"a{character}b" for character in characters] + [
        "  Görlitz -  Zittau / Bautzen ",
        "STRASSE Straße ẞ",
        "Ǆ ﬁ ſ İ ı ς ᾀ",
        "x" * 120 + " y",
        " a\x1c b\x85c\ufeffd\u3000e ",
        "Kreativ-\u2013Quartier",
        "Café Müller  Öl–Ühr",
    ]
    folded = frame.evaluate("texts => texts.map(text => atlasData.foldForSearch(text))", texts)
    mismatches = [
        (text, expected, got)
        for text, expected, got in zip(texts, map(fold_text, texts), folded, strict=True)
        if expected != got
    ]
    assert mismatches == []
    # the whole way of a typed search: white space and length as the URL parameter is read, then folded
    searches = frame.evaluate(
        "texts => texts.map(text => atlasData.foldForSearch(atlasData.normalizeQuery(text)))", texts[-7:]
    )
    expected = [
        browser_filter_spec(parse_filter_params({"q": text}, Vocabulary((), (), (), ())).site_filter)["q"]
        for text in texts[-7:]
    ]
    assert searches == expected


@pytest.fixture(scope="module")
def ten_thousand_sites(tmp_path_factory) -> Iterator[str]:
    from bench.synthetic_sites import write_synthetic_data_dir

    folder = write_synthetic_data_dir(10_000, tmp_path_factory.mktemp("synthetic") / "data")
    process, base_url, _log = start_streamlit(extra_env={"STANDORTATLAS_DATA_DIR": str(folder)})
    yield base_url, folder
    stop(process)


def test_ten_thousand_sites_draw_and_filter(browser, ten_thousand_sites):
    base_url, folder = ten_thousand_sites
    sites = read_sites_for_app(folder / "sites.gpkg")
    query = "Standort 0123"  # "Synthetischer Standort 0123x" and the few texts that contain it
    expected = len(filter_sites(sites, SiteFilter(query=query), read_table("zone_districts")))
    assert 10 <= expected < 1000
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="de-DE")
    page = context.new_page()
    map_bytes = []
    page.on(
        "response",
        lambda response: map_bytes.append(len(response.body())) if "/app/static/data/" in response.url else None,
    )
    try:
        page.goto(f"{base_url}/karte")
        frame = map_document(page, timeout=90_000)
        frame.wait_for_function("document.body.dataset.atlasRender.endsWith(':10000')", timeout=60_000)
        instance = frame.evaluate("window.atlasMap._atlasInstance")
        assert frame.locator(".sa-cluster").count() > 0
        assert 0 < sum(map_bytes) < 1_000_000  # both data files, compressed
        sequence, _ = render_count(frame)
        search = map_search(page)
        search.fill(query)
        search.press("Enter")
        assert wait_for_new_render(frame, sequence, timeout=30_000)[1] == expected
        search.fill("")
        search.press("Enter")
        frame.wait_for_function("document.body.dataset.atlasRender.endsWith(':10000')", timeout=30_000)
        assert frame.evaluate("window.atlasMap._atlasInstance") == instance
    finally:
        context.close()
