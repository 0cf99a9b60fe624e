"""Plot-fact filters on the map in headless Chromium: a deep link with area_min, price_max, zoning and
rail draws exactly the sites the server's filter keeps (the browser applies the same rules: a site
without the figure drops out of a range filter), and the panel says how many sites lacked the figure."""

from __future__ import annotations

from geo.sites.filters import SiteFilter, filter_sites, range_filter_drops
from geo.store import read_sites_for_app
from geo.store.reference import read_table
from tests.browser.support import map_document, render_count


def expected(site_filter: SiteFilter) -> tuple[int, dict[str, int]]:
    sites = read_sites_for_app()
    zone_districts = read_table("zone_districts")
    return len(filter_sites(sites, site_filter, zone_districts)), range_filter_drops(sites, site_filter, zone_districts)


def test_fact_filters_from_a_link_draw_the_servers_selection(page, app_url):
    site_filter = SiteFilter(area_min=10.0)
    count, drops = expected(site_filter)
    assert 0 < count < len(read_sites_for_app()) and drops["area_min"] > 0
    page.goto(f"{app_url}/karte?area_min=10")
    frame = map_document(page, timeout=60_000)
    frame.wait_for_function(f"(document.body.dataset.atlasRender || '').endsWith(':{count}')", timeout=30_000)
    assert render_count(frame)[1] == count
    page.get_by_text(f"{drops['area_min']} Standorte ohne Angabe zur verfügbaren Fläche sind ausgeblendet.").wait_for(
        timeout=20_000
    )


def test_zoning_and_rail_from_a_link(page, app_url):
    for query, site_filter in (
        ("zoning=GI", SiteFilter(zoning=("GI",))),
        ("rail=yes", SiteFilter(rail=("yes",))),
        ("price_max=20&lang=en", SiteFilter(price_max=20.0)),
    ):
        count, _ = expected(site_filter)
        page.goto(f"{app_url}/karte?{query}")
        frame = map_document(page, timeout=60_000)
        frame.wait_for_function(f"(document.body.dataset.atlasRender || '').endsWith(':{count}')", timeout=30_000)
        assert render_count(frame)[1] == count
