"""Every site's link opens that site: on the map page and in the embed, in German and English, for every
bundled site and a reproducible sample of 10,000 synthetic ones.

A link is the address `geo.expose.profile.site_permalink` gives (the profile's "Link zu diesem Standort" and
the exposé's QR code are made by it too). Each link is opened as a visitor opens it, a fresh page load of
the app as `make run` serves it (serve.py), and must show:

- every site of the view: the render signal counts all sites, the cluster group holds them all, and every
  site inside the visible map is drawn (as a marker or inside a drawn cluster);
- the chosen site itself as a marker in view (opened from its cluster if one hid it) and its ring, drawn
  at the site's coordinates;
- its profile beside the map (/karte) or its name under the map (/einbetten);
- no uncaught error and no console error.

A linked site used to leave an empty map when a cluster hid it at the first view: the map opened the
cluster before markercluster had finished adding the markers (see static/atlas_map/atlas_sites.js,
fillGroup). Over 400 page loads run here, two pages at a time in one browser, each waiting on the map's
own signals, never on a fixed sleep; after a few failures the rest is skipped, so a broken map fails fast.
"""

from __future__ import annotations

import contextlib
import random
import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo.core.paths import SITES_GPKG
from geo.expose.profile import site_permalink
from geo.store import read_sites_for_app
from geo.texts import t
from tests.browser.support import ARTIFACTS, MAP, map_document, start_streamlit, stop

LANGUAGES = ("de", "en")
ROUTES = ("karte", "einbetten")
VIEWPORTS = {"karte": {"width": 1400, "height": 900}, "einbetten": {"width": 700, "height": 500}}
SYNTHETIC_SITES = 10_000
SYNTHETIC_SAMPLE = 30
SAMPLE_SEED = 20_261_207  # the same synthetic sites on every run
PAGES_AT_ONCE = 2
LOAD_TIMEOUT_MS = 60_000  # generous for a busy machine: an uncaught error in the page ends a wait at once
MAX_FAILURES = 3
PROFILE = "section.sa-profile"
PROFILE_HEADING = f"{PROFILE} h2"
POLL_MS = 50  # how often a wait looks at the map (between frames: the map draws undisturbed)
WAIT_STEP_MS = 1_000  # a wait for the map looks at the page's errors this often
EMBED_SITE_NAME = ".sa-bar-site strong"
# The map's coordinates are integers of 1e-5 degrees (geo.maps.payload.COORDINATE_FACTOR).
COORDINATE_TOLERANCE = 0.6e-5

# In the page: null while the map is still drawing or opening the site, then what it shows.
SITE_SHOWN = """site => {
  const map = window.atlasMap, render = document.body.dataset.atlasRender;
  if (!render || !map || map._animatingZoom) { return null; }
  let group = null;
  map.eachLayer(layer => { if (layer instanceof L.MarkerClusterGroup) { group = layer; } });
  if (!group || group._inZoomAnimation) { return null; }
  const view = map.getBounds(), markers = group.getLayers();
  const atSite = latlng => Math.abs(latlng.lat - site.lat) <= site.tolerance
                           && Math.abs(latlng.lng - site.lon) <= site.tolerance;
  const label = marker => (marker._icon.querySelector('.sa-sr') || {}).textContent || '';
  const own = markers.find(marker => marker._icon && view.contains(marker.getLatLng())
                                     && atSite(marker._preSpiderfyLatlng || marker.getLatLng())
                                     && label(marker).startsWith(site.name + ' ('));
  if (!own) { return null; }
  const rings = [];
  map.eachLayer(layer => {
    if (layer instanceof L.CircleMarker && layer.options.className === 'sa-selected') {
      const at = layer.getLatLng();
      rings.push({at_site: atSite(at), in_view: view.contains(at), drawn: !!(layer._path && layer._path.isConnected)});
    }
  });
  const undrawn = markers.filter(marker => view.contains(marker.getLatLng()) && !group.getVisibleParent(marker));
  return {shown: parseInt(render.split(':')[1], 10), in_group: markers.length, undrawn_in_view: undrawn.length,
          rings: rings};
}"""


@dataclass(frozen=True)
class LinkedSite:
    site_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class SiteLink:
    """One link to open: `route` is the page (karte, einbetten), `total` the sites the view must show."""

    site: LinkedSite
    route: str
    lang: str
    base_url: str
    total: int

    @property
    def url(self) -> str:
        return f"{self.base_url}/{site_permalink(self.site.site_id, self.lang, self.route)}"


def linked_sites(path: Path) -> list[LinkedSite]:
    sites = read_sites_for_app(path)
    return [
        LinkedSite(str(row.site_id), str(row.name), float(row.geometry.y), float(row.geometry.x))
        for row in sites.itertuples()
    ]


@pytest.fixture(scope="module")
def bundled_sites() -> list[LinkedSite]:
    return linked_sites(SITES_GPKG)


@pytest.fixture(scope="module")
def served_url(browser) -> Iterator[str]:
    """The app on the bundled data as `make run` serves it (serve.py: no 404 probing for a deep link)."""
    process, base_url, _log = start_streamlit("serve.py", extra_args=["--server.fileWatcherType", "none"])
    try:
        warm_up(browser, base_url)
        yield base_url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def synthetic(browser, tmp_path_factory) -> Iterator[tuple[str, list[LinkedSite]]]:
    """The app on 10,000 synthetic sites (bench/synthetic_sites.py), served the same way."""
    from bench.synthetic_sites import write_synthetic_data_dir

    folder = write_synthetic_data_dir(SYNTHETIC_SITES, tmp_path_factory.mktemp("synthetic") / "data")
    process, base_url, _log = start_streamlit(
        "serve.py", extra_env={"STANDORTATLAS_DATA_DIR": str(folder)}, extra_args=["--server.fileWatcherType", "none"]
    )
    try:
        warm_up(browser, base_url)
        yield base_url, linked_sites(folder / "sites.gpkg")
    finally:
        stop(process)


def warm_up(browser, base_url: str) -> None:
    """One unchecked visit, so the server's caches and data files exist before the timed loads."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base_url}/einbetten")
        map_document(page, timeout=120_000)
    finally:
        context.close()


def check_link(page, link: SiteLink, errors: list[str]) -> str | None:
    """What is wrong with the opened link (None: nothing)."""
    try:
        return problems_shown(page, link.site, link.route, link.lang, link.total, link.url, errors)
    except PlaywrightError as error:  # a timeout: name what the page showed instead
        return f"{link.url}: not shown ({type(error).__name__}: {str(error).splitlines()[0]}); errors: {errors}"


def problems_shown(
    page, site: LinkedSite, route: str, lang: str, total: int, url: str, errors: list[str]
) -> str | None:
    """Wait until the page at `url` shows `site` (see the module's docstring); what is wrong, or None."""
    page.wait_for_selector(MAP, timeout=LOAD_TIMEOUT_MS)
    frame = page.main_frame  # the map is mounted in the page (components v2), not in a frame
    shown = wait_for_site(frame, site, errors)
    problems = []
    if route == "karte":
        heading = page.locator(PROFILE_HEADING).first
        heading.wait_for(timeout=LOAD_TIMEOUT_MS)
        named = heading.inner_text().strip()
        permalink = page.locator(PROFILE).get_by_role("link", name=t("site_profile_permalink", lang), exact=True)
        if permalink.evaluate("link => link.href") != url:
            problems.append(f"the profile links to {permalink.evaluate('link => link.href')}")
    else:
        named = page.locator(EMBED_SITE_NAME).inner_text().strip()
    if shown["shown"] != total or shown["in_group"] != total:
        problems.append(f"{shown['shown']} sites signalled, {shown['in_group']} in the map, {total} expected")
    if shown["undrawn_in_view"]:
        problems.append(f"{shown['undrawn_in_view']} sites in view not drawn")
    if len(shown["rings"]) != 2 or not all(
        ring["at_site"] and ring["in_view"] and ring["drawn"] for ring in shown["rings"]
    ):
        problems.append(f"ring {shown['rings']}")
    if named != site.name:
        problems.append(f"named {named!r}")
    if errors:
        problems.append(f"errors {errors}")
    return f"{url}: {'; '.join(problems)}" if problems else None


def wait_for_site(frame, site: LinkedSite, errors: list[str] | None = None) -> dict:
    """What the map shows once it has drawn and shows `site` as a marker in view (SITE_SHOWN); waits in
    steps, so an uncaught error in the page ends the wait at once."""
    arg = {"lat": site.lat, "lon": site.lon, "name": site.name, "tolerance": COORDINATE_TOLERANCE}
    deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000
    while True:
        try:
            return frame.wait_for_function(SITE_SHOWN, arg=arg, polling=POLL_MS, timeout=WAIT_STEP_MS).json_value()
        except PlaywrightTimeoutError:
            if time.monotonic() > deadline or any(error.startswith("uncaught") for error in errors or ()):
                raise


def save_screenshot(page, name: str) -> None:
    """A screenshot for a person to look at; a page too busy to be photographed does not hide the failure."""
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(PlaywrightError):
        page.screenshot(path=str(ARTIFACTS / name), timeout=LOAD_TIMEOUT_MS)


def open_links(
    browser,
    links: list[SiteLink],
    viewport: dict,
    check: Callable[[object, SiteLink, list[str]], str | None] = check_link,
) -> list[str]:
    """Open every link as a new page load, PAGES_AT_ONCE pages at a time in one browser context (while
    one page is checked the other loads); returns the problems found (stops after MAX_FAILURES)."""
    # Reduced motion, as some visitors set it: Streamlit's own transitions and spinners stop, so the
    # browser paints far fewer frames per load; the map's zoom to a site is animated all the same.
    context = browser.new_context(viewport=viewport, reduced_motion="reduce")
    pending: Iterator[SiteLink] = iter(links)
    running: deque = deque()
    failures: list[str] = []

    def start(page, errors: list[str]) -> None:
        link = next(pending, None)
        if link is None:
            return
        errors.clear()
        page.goto(link.url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        running.append((page, errors, link))

    try:
        for _ in range(PAGES_AT_ONCE):
            page, errors = context.new_page(), []
            page.on("pageerror", lambda error, errors=errors: errors.append(f"uncaught: {error}"))
            page.on(
                "console",
                lambda message, errors=errors: (
                    errors.append(f"console: {message.text}") if message.type == "error" else None
                ),
            )
            start(page, errors)
        while running:
            page, errors, link = running.popleft()
            problem = check(page, link, errors)
            if problem:
                failures.append(problem)
                if len(failures) == 1:
                    save_screenshot(page, f"site-link-{link.route}-{link.lang}-{link.site.site_id}.png")
                if len(failures) >= MAX_FAILURES:
                    failures.append("… stopped after the first failures")
                    break
            start(page, errors)
    finally:
        context.close()
    return failures


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("route", ROUTES)
def test_every_bundled_site_link_opens_that_site(browser, served_url, bundled_sites, route, lang):
    links = [SiteLink(site, route, lang, served_url, len(bundled_sites)) for site in bundled_sites]
    started = time.perf_counter()
    failures = open_links(browser, links, VIEWPORTS[route])
    seconds = time.perf_counter() - started
    print(f"{len(links)} links to /{route} ({lang}) in {seconds:.1f} s")
    assert failures == []


def test_a_sample_of_ten_thousand_synthetic_site_links_opens_each_site(browser, synthetic):
    """Each sampled site is opened once; pages and languages take turns over the sample."""
    base_url, sites = synthetic
    sample = random.Random(SAMPLE_SEED).sample(sites, SYNTHETIC_SAMPLE)
    links = [
        SiteLink(site, ROUTES[number % 2], LANGUAGES[number // 2 % 2], base_url, len(sites))
        for number, site in enumerate(sample)
    ]
    started = time.perf_counter()
    failures = [
        failure
        for route in ROUTES
        for failure in open_links(browser, [link for link in links if link.route == route], VIEWPORTS[route])
    ]
    print(f"{len(links)} links of {len(sites):,} synthetic sites in {time.perf_counter() - started:.1f} s")
    assert failures == []


# --- the other ways a site gets chosen, for a site that a cluster hides at the first view ---------------

HIDDEN_SITE = "chemiestandort-leuna"  # in a cluster at the first view of every site
OTHER_SITE = "strategischer-industriestandort-koethen"
SEARCH_HIT = ("Gatersleben", "green-gate-gatersleben")  # a search with a single hit, also clustered at first
# In the page: tags the site's marker, or the drawn cluster that holds it, for a real click.
TAG_SITE = """site => {
  const map = window.atlasMap;
  let group = null;
  map.eachLayer(layer => { if (layer instanceof L.MarkerClusterGroup) { group = layer; } });
  document.querySelectorAll('[data-test-target]').forEach(node => node.removeAttribute('data-test-target'));
  const label = marker => {  // the marker's text for screen readers ("Name (program)"), drawn or not
    const probe = document.createElement('div');
    probe.innerHTML = marker.options.icon.options.html;
    return probe.querySelector('.sa-sr').textContent;
  };
  const marker = group.getLayers().find(marker => Math.abs(marker.getLatLng().lat - site.lat) <= site.tolerance
      && Math.abs(marker.getLatLng().lng - site.lon) <= site.tolerance && label(marker).startsWith(site.name + ' ('));
  const shown = group.getVisibleParent(marker);
  if (!shown) { return null; }
  shown._icon.setAttribute('data-test-target', '1');
  return shown === marker ? 'site' : 'cluster';
}"""
# In the page: true once the tagged cluster is gone and every animation has ended.
CLUSTER_OPENED = """() => {
  const map = window.atlasMap;
  let group = null;
  map.eachLayer(layer => { if (layer instanceof L.MarkerClusterGroup) { group = layer; } });
  return !document.querySelector('[data-test-target]') && !map._animatingZoom && !group._inZoomAnimation;
}"""


def site_by_id(sites: list[LinkedSite], site_id: str) -> LinkedSite:
    return next(site for site in sites if site.site_id == site_id)


def tag_site(frame, site: LinkedSite) -> str | None:
    """'site' or 'cluster': which element shows the site now (tagged for a click); None if none does."""
    return frame.evaluate(
        TAG_SITE, {"lat": site.lat, "lon": site.lon, "name": site.name, "tolerance": COORDINATE_TOLERANCE}
    )


def click_through_clusters(page, frame, site: LinkedSite) -> int:
    """Click the cluster that holds the site until the site's own marker shows, then click the marker;
    returns the number of clusters opened on the way."""
    page.locator(MAP).scroll_into_view_if_needed()
    target = page.locator("[data-test-target]")
    for opened in range(8):
        shown = tag_site(frame, site)
        assert shown is not None, f"{site.site_id} is not drawn"
        target.click()
        if shown == "site":
            return opened
        frame.wait_for_function(CLUSTER_OPENED, polling=POLL_MS, timeout=LOAD_TIMEOUT_MS)
    raise AssertionError(f"{site.site_id}: still in a cluster after 8 clicks")


def collect_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("console", lambda message: errors.append(f"console: {message.text}") if message.type == "error" else None)
    return errors


def assert_shows(
    page, base_url: str, site: LinkedSite, route: str, total: int, errors: list[str], lang: str = "de"
) -> None:
    """The page shows `site` (see problems_shown), its address names it, and its profile links to its link."""
    page.wait_for_url(re.compile(rf"/{route}\?(.*&)?site={re.escape(site.site_id)}(&|$)"), timeout=LOAD_TIMEOUT_MS)
    link = SiteLink(site, route, lang, base_url, total)
    assert problems_shown(page, site, route, lang, total, link.url, errors) is None


def map_document_of(page):
    return map_document(page, timeout=LOAD_TIMEOUT_MS)


def test_a_site_chosen_inside_a_cluster_stays_chosen_after_a_reload_and_comes_back_with_the_history(
    browser, served_url, bundled_sites
):
    """Click through the clusters to the site; reload; choose another site and zoom out until the first one
    is in a cluster again; the browser's back button brings its `?site=` back to the mounted map."""
    hidden, other = site_by_id(bundled_sites, HIDDEN_SITE), site_by_id(bundled_sites, OTHER_SITE)
    context = browser.new_context(viewport=VIEWPORTS["karte"])
    page = context.new_page()
    errors = collect_errors(page)
    try:
        page.goto(f"{served_url}/karte")
        frame = map_document_of(page)
        assert tag_site(frame, hidden) == "cluster"  # the case this guards
        assert click_through_clusters(page, frame, hidden) >= 1
        assert_shows(page, served_url, hidden, "karte", len(bundled_sites), errors)

        page.reload()
        assert_shows(page, served_url, hidden, "karte", len(bundled_sites), errors)

        frame = map_document_of(page)
        instance = frame.evaluate("window.atlasMap._atlasInstance")
        click_through_clusters(page, frame, other)
        assert_shows(page, served_url, other, "karte", len(bundled_sites), errors)
        for _ in range(6):  # zoom out with the map's own button until a cluster hides the first site again
            if tag_site(frame, hidden) == "cluster":
                break
            page.locator(f"{MAP} .leaflet-control-zoom-out").click()
            frame.wait_for_function("() => !window.atlasMap._animatingZoom", polling=POLL_MS)
            frame.wait_for_function(
                CLUSTER_OPENED.replace("!document.querySelector('[data-test-target]') && ", ""), polling=POLL_MS
            )
        assert tag_site(frame, hidden) == "cluster"
        page.go_back()
        assert_shows(page, served_url, hidden, "karte", len(bundled_sites), errors)
        assert frame.evaluate("window.atlasMap._atlasInstance") == instance  # the same map, not a new load
    finally:
        context.close()


def test_a_single_search_hit_inside_a_cluster_opens_that_site(browser, served_url, bundled_sites):
    query, site_id = SEARCH_HIT
    site = site_by_id(bundled_sites, site_id)
    context = browser.new_context(viewport=VIEWPORTS["karte"])
    page = context.new_page()
    errors = collect_errors(page)
    try:
        page.goto(f"{served_url}/karte")
        frame = map_document_of(page)
        assert tag_site(frame, site) == "cluster"
        search = page.locator(MAP).get_by_role("searchbox")
        search.fill(query)
        search.press("Enter")
        assert_shows(page, served_url, site, "karte", 1, errors)
    finally:
        context.close()


def test_a_click_inside_a_cluster_in_the_embed_names_the_site_under_the_map(browser, served_url, bundled_sites):
    site = site_by_id(bundled_sites, HIDDEN_SITE)
    context = browser.new_context(viewport=VIEWPORTS["einbetten"])
    page = context.new_page()
    errors = collect_errors(page)
    try:
        page.goto(f"{served_url}/einbetten?lang=en")
        frame = map_document_of(page)
        assert page.locator(".sa-bar-site").is_hidden()
        click_through_clusters(page, frame, site)
        popup = page.locator(".sa-popup")
        assert popup.locator("strong").inner_text() == site.name
        assert problems_shown(page, site, "einbetten", "en", len(bundled_sites), page.url, errors) is None
    finally:
        context.close()


def test_every_site_slide_of_the_presentation_opens_its_site(browser, served_url, bundled_sites):
    from geo.indicators.slides import read_slide_file

    slides = [(number, raw["key"]) for number, raw in enumerate(read_slide_file(), start=1) if raw["kind"] == "site"]
    assert slides
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors = collect_errors(page)
    try:
        for number, site_id in slides:
            errors.clear()
            page.goto(f"{served_url}/praesentation?slide={number}")
            frame = map_document_of(page)
            shown = wait_for_site(frame, site_by_id(bundled_sites, site_id), errors)
            assert shown["shown"] == len(bundled_sites) and shown["undrawn_in_view"] == 0, (number, shown)
            assert len(shown["rings"]) == 2 and all(ring["at_site"] and ring["drawn"] for ring in shown["rings"])
            assert errors == [], number
    finally:
        context.close()
