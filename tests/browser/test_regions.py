"""Browser tier for `regionen` and `strukturwandel`: the choropleth (the atlas map with the districts
coloured) draws every district in both languages at 1400 and 390 px, a click on the map opens the district's
profile and puts it into the URL, the zone map colours its districts and shows its sites, the district
comparison is a shareable link, the bar labels of the charts agree with the bars, and neither the maps nor
the plotly charts contact any origin but the app's own."""

from __future__ import annotations

import re

import pytest

from geo.indicators import zone_members
from geo.sites.filters import SiteFilter, filter_sites
from geo.store import read_sites_for_app
from geo.store.reference import read_layer, read_table
from tests.browser.support import MAP, foreign_origins, origin_of

PLOTLY_CHART = "[data-testid='stPlotlyChart'] .main-svg"


def map_frame(page, timeout: float = 60_000):
    """The page's map (the atlas map, in the page) once it has drawn."""
    page.locator(f"{MAP}[data-atlas-render]").wait_for(state="attached", timeout=timeout)
    return page.locator(MAP)


def test_choropleth_draws_one_shape_per_district(page, app_url):
    page.goto(f"{app_url}/regionen")
    frame = map_frame(page)
    district_count = len(read_layer("districts_web"))
    assert district_count == 67
    # one clickable polygon per district; state borders and the selection outline are not interactive
    shapes = frame.locator("path.leaflet-interactive")
    shapes.nth(district_count - 1).wait_for(timeout=20_000)
    assert shapes.count() == district_count
    legend = frame.locator(".sa-classes-box")
    assert "Bevölkerungsdichte (2018)" in legend.inner_text()
    assert "Einwohner je km²" in legend.inner_text()
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_unverified_aid_is_drawn_hatched(page, app_url):
    page.goto(f"{app_url}/regionen?indicator=aid_area")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(66).wait_for(timeout=20_000)
    hatched = frame.locator("path.leaflet-interactive.sa-district-hatched")
    districts = read_layer("districts")
    assert hatched.count() == int((districts["aid_area"] == "not verified").sum()) > 0
    assert page.locator("#sa-hatch-unverified").count() == 1
    # the hatching is painted (the pattern is found), not an empty fill
    assert hatched.first.evaluate("path => getComputedStyle(path).fill") == 'url("#sa-hatch-unverified")'


LEGEND_TITLE = {"de": "Bevölkerungsdichte (2018)", "en": "Population density (2018)"}
ZONE_NAME = {"de": "Mitteldeutsches Revier", "en": "Central German coal region"}
GROUP = {"de": ".", "en": ","}  # the thousands separator of a figure


@pytest.fixture(params=[(1400, 900), (390, 844)], ids=["1400px", "390px"])
def sized_page(browser, request):
    context = browser.new_context(viewport={"width": request.param[0], "height": request.param[1]}, locale="de-DE")
    new_page = context.new_page()
    new_page.requested_origins = set()
    new_page.on("request", lambda req: new_page.requested_origins.add(origin_of(req.url)))
    yield new_page
    context.close()


def inside_the_window(page, locator) -> bool:
    box, width = locator.bounding_box(), page.viewport_size["width"]
    return box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] > 0


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_district_map_in_both_languages_and_widths(sized_page, app_url, lang):
    page = sized_page
    page.goto(f"{app_url}/regionen?lang={lang}&district=15002")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").nth(66).wait_for(timeout=20_000)
    assert frame.locator("path.leaflet-interactive").count() == 67
    legend = frame.locator(".sa-classes-box")
    assert LEGEND_TITLE[lang] in legend.inner_text()
    assert inside_the_window(page, page.locator(MAP)) and inside_the_window(page, legend)
    # the chosen district is outlined (not clickable: the districts stay the only clickable shapes)
    assert frame.locator(".leaflet-saSelection-pane path").count() == 1
    name = {"de": "Karte der Landkreise und kreisfreien Städte", "en": "Map of the districts"}[lang]
    assert frame.locator(".leaflet-container").get_attribute("aria-label").startswith(name)
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.locator("[data-testid='stException']").count() == 0


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_zone_map_in_both_languages_and_widths(sized_page, app_url, lang):
    page = sized_page
    page.goto(f"{app_url}/strukturwandel?zone=mitteldeutsch&lang={lang}")
    frame = map_frame(page)
    members = zone_members(read_table("zone_districts"), "mitteldeutsch")
    inside = filter_sites(read_sites_for_app(), SiteFilter(zones=("mitteldeutsch",)), read_table("zone_districts"))
    assert page.evaluate("document.body.dataset.atlasRender").endswith(f":{len(inside)}")
    coloured = frame.locator("path.leaflet-interactive[fill-opacity='0.55']")
    assert coloured.count() == len(members) == 8
    assert ZONE_NAME[lang] in frame.locator(".sa-classes-box").inner_text()
    assert inside_the_window(page, page.locator(MAP))
    charts = page.locator("table.sa-bar-chart")
    charts.first.wait_for(timeout=20_000)
    assert charts.count() == 5
    chosen = charts.first.locator("tr.sa-bar-chosen th")
    assert chosen.inner_text() == ZONE_NAME[lang]
    for position in range(charts.count()):  # every bar and its figure on the screen, labels never under a bar
        charts.nth(position).scroll_into_view_if_needed()
        assert inside_the_window(page, charts.nth(position))
        rows = charts.nth(position).evaluate("""table => [...table.tBodies[0].rows].map(row => {
            const bar = row.querySelector('.sa-bar').getBoundingClientRect();
            const label = row.querySelector('.sa-bar-value').getBoundingClientRect();
            return {bar: bar.width, barEnd: bar.right, labelStart: label.left, labelEnd: label.right,
                    text: row.querySelector('.sa-bar-value').textContent};
        })""")
        width = page.viewport_size["width"]
        assert all(row["labelStart"] >= row["barEnd"] and row["labelEnd"] <= width for row in rows), rows
        figures = [float(row["text"].replace("\u00a0", "").replace(GROUP[lang], "").replace(",", ".")) for row in rows]
        by_length = [figure for _, figure in sorted(zip([row["bar"] for row in rows], figures, strict=True))]
        assert by_length == sorted(by_length)  # a longer bar never carries a smaller figure
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_click_on_a_district_opens_its_profile(page, app_url):
    page.goto(f"{app_url}/regionen")
    frame = map_frame(page)
    shape = frame.locator("path.leaflet-interactive").nth(40)
    shape.wait_for(timeout=20_000)
    box = shape.bounding_box()
    # click inside the polygon's box near its centre; any district is fine, the profile must follow
    frame.locator(".leaflet-container").click(
        position={
            "x": box["x"] + box["width"] / 2 - frame.locator(".leaflet-container").bounding_box()["x"],
            "y": box["y"] + box["height"] / 2 - frame.locator(".leaflet-container").bounding_box()["y"],
        }
    )
    page.get_by_role("heading", name=re.compile(r"^Profil: ")).wait_for(timeout=20_000)
    assert re.search(r"[?&]district=\d{5}", page.url)
    page.locator(PLOTLY_CHART).first.wait_for(timeout=20_000)


def test_profile_and_zone_pages_contact_no_third_party(page, app_url):
    page.goto(f"{app_url}/regionen?district=15002")
    page.get_by_role("heading", name="Profil: Halle (Saale)").wait_for(timeout=30_000)
    map_frame(page)
    page.locator(PLOTLY_CHART).first.wait_for(timeout=20_000)
    page.goto(f"{app_url}/strukturwandel?zone=mitteldeutsch")
    page.get_by_role("heading", name="Mitteldeutsches Revier").wait_for(timeout=30_000)
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=20_000)
    page.locator("table.sa-bar-chart").first.wait_for(timeout=20_000)
    assert foreign_origins(page.requested_origins, app_url) == set()


def test_pages_switch_to_english(page, app_url):
    page.goto(app_url)
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).wait_for(timeout=30_000)
    page.goto(f"{app_url}/regionen?district=15002")
    page.get_by_role("heading", name="Profil: Halle (Saale)").wait_for(timeout=30_000)
    page.locator("[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Profile: Halle (Saale)").wait_for(timeout=30_000)
    assert "district=15002" in page.url  # the district stays in the URL as its key, whatever the language
    legend = map_frame(page).locator(".sa-classes-box")
    legend.get_by_text("Population density (2018)").wait_for(timeout=20_000)
    assert "inhabitants per km²" in legend.inner_text()
    page.locator("[data-testid='stSidebar']").get_by_text("Structural change", exact=True).click()
    page.get_by_role("heading", name="Lusatian coal region").wait_for(timeout=30_000)


def test_the_comparison_is_a_link_that_opens_the_same_districts(page, app_url):
    page.goto(f"{app_url}/regionen?compare=15002,14713")
    page.get_by_role("heading", name="Kreise vergleichen").wait_for(timeout=30_000)
    chooser = page.locator(".st-key-compare_de")
    chooser.get_by_text("Halle (Saale)").wait_for(timeout=20_000)
    assert "Leipzig (Kreisfreie Stadt)" in chooser.inner_text()
    table = page.locator("table.sa-table").last
    assert "Halle (Saale)" in table.inner_text() and "Leipzig (Kreisfreie Stadt)" in table.inner_text()
    # removing a district updates the link
    chooser.get_by_role("button", name=re.compile("Halle")).first.click()
    page.wait_for_url(re.compile(r"[?&]compare=14713(&|$)"), timeout=20_000)


def test_bar_labels_agree_with_the_bar_lengths(page, app_url):
    page.goto(f"{app_url}/regionen?district=15002")
    page.get_by_role("heading", name="Profil: Halle (Saale)").wait_for(timeout=30_000)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.locator(".main-svg").first.wait_for(timeout=20_000)
    chart.scroll_into_view_if_needed()
    bars = chart.evaluate("""element => [...element.querySelectorAll('g.trace.bars')].map(trace =>
        [...trace.querySelectorAll('g.point')].map(point => ({
            width: point.querySelector('path').getBBox().width,
            label: (point.querySelector('text') || {}).textContent || ''})))""")
    assert bars, "no bar traces drawn"
    for trace in bars:
        numbers = [float(bar["label"].replace(".", "").replace(",", ".")) for bar in trace]
        by_length = [number for _, number in sorted(zip([bar["width"] for bar in trace], numbers, strict=True))]
        assert by_length == sorted(by_length)  # a longer bar never carries a smaller number
        widths = [round(bar["width"], 1) for bar in trace]
        assert len(set(bar["label"] for bar in trace)) == len(set(widths))  # different bars, different labels
