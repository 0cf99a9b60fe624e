"""The investor figures on the map in headless Chromium: a deep link with pool_min draws exactly the
sites the server's filter keeps, and the research layer is off until switched on in the layer control."""

from __future__ import annotations

from geo.sites.filters import SiteFilter, filter_sites
from geo.store import read_sites_for_app
from geo.store.reference import read_layer, read_table
from tests.browser.support import map_document, render_count


def test_pool_min_from_a_link_draws_the_servers_selection(page, app_url):
    sites = read_sites_for_app()
    count = len(filter_sites(sites, SiteFilter(pool_min=2_000_000.0), read_table("zone_districts")))
    assert 0 < count < len(sites)
    page.goto(f"{app_url}/karte?pool_min=2000000")
    frame = map_document(page, timeout=60_000)
    frame.wait_for_function(f"(document.body.dataset.atlasRender || '').endsWith(':{count}')", timeout=30_000)
    assert render_count(frame)[1] == count


def test_research_layer_is_switched_on_in_the_layer_control(page, app_url):
    page.goto(f"{app_url}/karte?lang=en")
    frame = map_document(page, timeout=60_000)
    assert frame.evaluate("document.querySelectorAll('.sa-research').length") == 0
    frame.evaluate(
        "[...document.querySelectorAll('.leaflet-control-layers-overlays label')]"
        ".find(label => label.textContent.includes('Universities and research')).querySelector('input').click()"
    )
    places = {(round(p.y, 4), round(p.x, 4)) for p in read_layer("research_institutions").geometry}
    frame.wait_for_function(f"document.querySelectorAll('.sa-research').length === {len(places)}", timeout=10_000)
