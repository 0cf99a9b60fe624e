"""The map page (`karte`) and the sites page (`standorte`): the site profile they share (unit tests),
then AppTest smoke tests: languages, deep links, bad parameters, and the URL following the filters."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from streamlit.testing.v1 import AppTest

from geo.core.paths import SITES_GPKG
from geo.core.schema import programs
from geo.expose.profile import ProfileTables, profile_html, safe_url, site_permalink, site_profile
from geo.maps.symbols import program_label
from geo.store.reference import read_layer, read_table

PROJECT_ROOT = Path(__file__).resolve().parents[1]
APP = str(PROJECT_ROOT / "app.py")
SITE_ID = "kulturbahnhof-bad-dueben"
SITE_NAME = "Kulturbahnhof Bad Düben"

pytestmark = pytest.mark.skipif(not SITES_GPKG.exists(), reason="data/sites.gpkg is missing")
# how many sites the committed list holds (it grows as sourced places are added)
SITE_COUNT = pyogrio.read_info(SITES_GPKG, layer="sites")["features"] if SITES_GPKG.exists() else 0


def profile_tables() -> ProfileTables:
    return ProfileTables.from_layers(read_layer("districts"), read_layer("zones_web"), read_table("zone_districts"))


def a_site(**changes) -> pd.Series:
    site = {
        "site_id": "test-site",
        "name": "Testort",
        "program": "kreativort",
        "state_code": "SN",
        "district_ags": "14730",
        "municipality": "Bad Düben",
        "locality": "",
        "themes": "culture;coworking",
        "description_de": "Ein Ort.",
        "description_en": "",
        "year": 2012.0,
        "website": "https://example.org/ort",
        "precision": "municipality",
        "source_url": "https://example.org/quelle",
        "coord_source_url": "",
        "airport_name": "Flughafen Leipzig/Halle",
        "airport_iata": "LEJ",
        "airport_km": 27.64,
        "station_name": "Leipzig Hbf",
        "station_km": 29.2,
        "city_name": "Leipzig",
        "city_km": 30.1,
    }
    return pd.Series(site | changes)


def test_profile_tells_precision_distances_zones_and_unverified_aid_honestly():
    profile = site_profile(a_site(), profile_tables(), "de")
    assert profile.precision == "Lage ungefähr: Gemeinde"
    assert profile.district == "Nordsachsen" and "Mitteldeutsches Revier" in profile.zones
    assert [fact.value for fact in profile.surroundings][0] == (
        "Flughafen Leipzig/Halle (LEJ) – 27,6 km Luftlinie, gemessen ab einem Punkt in der Gemeinde (Lage ungefähr)"
    )
    assert [fact.value for fact in profile.aid] == ["nicht geprüft"] and "nicht geprüft" in profile.aid_note
    assert profile.key_figures[0].label == "Bevölkerung" and profile.key_figures[0].age.as_of == "2018-12-31"
    assert profile.key_figures[0].old  # Destatis 31.12.2018: more than 12 months old, marked like any figure
    english = site_profile(a_site(precision="address"), profile_tables(), "en")
    assert english.precision == "Location: address"
    assert english.description == "Ein Ort." and english.description_note == "Description available in German only."
    assert english.surroundings[1].value.endswith("in a straight line")  # an address: no approximation note
    village = site_profile(a_site(precision="locality"), profile_tables(), "en")
    assert village.precision == "Location approximate: centre of the village or district"
    assert village.surroundings[0].value.endswith("measured from the village centre")
    grounds = site_profile(a_site(precision="site"), profile_tables(), "de")
    assert grounds.precision == "Lage: Standortgelände" and grounds.surroundings[0].value.endswith("km Luftlinie")


def test_profile_html_escapes_data_and_links_only_to_web_addresses():
    hostile = a_site(
        name="<img src=x onerror=alert(1)>",
        description_de="<script>alert(2)</script>",
        website="javascript:alert(3)",
        source_url="https://example.org/?a=1&b=<2>",
    )
    html = profile_html(site_profile(hostile, profile_tables(), "de"), permalink=site_permalink("test-site", "en"))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>" not in html and "javascript:" not in html
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in html
    assert 'href="karte?site=test-site&amp;lang=en"' in html
    assert safe_url("ftp://example.org") == "" and safe_url("https://example.org") == "https://example.org"


def run_page(url_path: str, **query: str | list[str]) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(f"views/{url_path}.py")
    return app.run()


def html_blocks(app: AppTest) -> str:
    return "\n".join(element.proto.body for element in app.get("html"))


def param(app: AppTest, name: str) -> list[str]:
    """A URL parameter's values (AppTest gives one value as a string, several as a list)."""
    value = app.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def warnings(app: AppTest) -> list[str]:
    return [warning.value for warning in app.warning]


def map_args(app: AppTest) -> dict:
    """The arguments the map page sent to its map component on this run."""
    [component] = app.get("bidi_component")
    assert component.proto.component_name == "atlas_map"
    return json.loads(component.proto.json)


def table_args(app: AppTest) -> dict:
    """The arguments the sites page sent to its table component on this run (views/site_table.py)."""
    [component] = [element for element in app.get("bidi_component") if element.proto.component_name == "site_table"]
    return json.loads(component.proto.json)


def table_frame(app: AppTest, shown: bool = False) -> pd.DataFrame:
    """The sites page's table as a frame (index site_id): each cell's value to sort by, or with `shown`
    the text shown."""
    args = table_args(app)
    headings = [column["heading"] for column in args["columns"]]
    numbers = [column["kind"] == "number" for column in args["columns"]]
    rows = {
        row["site_id"]: [
            cell[0 if shown else 1] if number else cell for cell, number in zip(row["cells"], numbers, strict=True)
        ]
        for row in args["rows"]
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=headings)


@pytest.mark.parametrize(
    "lang, count_text",
    [("de", f"{SITE_COUNT} von {SITE_COUNT} Standorten"), ("en", f"{SITE_COUNT} of {SITE_COUNT} sites")],
)
def test_pages_render_in_both_languages(lang, count_text):
    app = run_page("standorte", lang=lang)
    assert not app.exception, app.exception
    assert count_text in html_blocks(app)
    assert not warnings(app)
    app = run_page("karte", lang=lang)
    assert not app.exception, app.exception
    assert not warnings(app)
    args = map_args(app)
    assert args["lang"] == lang  # the map counts in the browser, with the page's words
    assert args["texts"]["count"].replace("{shown}", str(SITE_COUNT)).replace("{total}", str(SITE_COUNT)) == count_text


def test_map_page_sends_the_filter_not_the_sites():
    app = run_page("karte", state="SN", q="Görlitz")
    args = map_args(app)
    assert args["sites"]["filter"] == {"any_of": {"state_code": ["SN"]}, "at_least": {}, "at_most": {}, "q": "gorlitz"}
    assert args["sites_url"].startswith("/app/static/data/") and args["sites_url"].endswith("/sites.json.gz")
    assert "Zukunftsort Sachsen-Anhalt" in args["legend_html"]
    # what a rerun sends does not grow with the sites: no site id, no name in it
    assert SITE_ID not in json.dumps(args) and len(json.dumps(args)) < 30_000
    static_file = PROJECT_ROOT / args["sites_url"].removeprefix("/app/")
    assert static_file.is_file()


@pytest.mark.parametrize("url_path", ["karte", "standorte"])
def test_site_deep_link_opens_the_profile(url_path):
    app = run_page(url_path, site=SITE_ID, lang="en")
    assert not app.exception, app.exception
    blocks = html_blocks(app)
    assert f">{SITE_NAME}</h2>" in blocks
    assert "Location approximate: municipality" in blocks and "in a straight line" in blocks
    if url_path == "standorte":
        assert app.selectbox[0].value == SITE_ID
    else:
        assert map_args(app)["selected"] == SITE_ID
    assert param(app, "site") == [SITE_ID]


def test_deep_link_restores_the_filters_and_keeps_them_in_the_url():
    app = run_page("karte", state=["SN", "ST"], program="kreativort", q="Hof")
    assert not app.exception, app.exception
    states, programs = app.multiselect[0], app.pills[0]
    assert states.value == ["SN", "ST"] and programs.value == ["kreativort"]
    assert map_args(app)["search"]["text"] == "Hof"  # the search field is the map's own
    assert param(app, "state") == ["SN", "ST"] and param(app, "q") == ["Hof"]


def test_changing_a_filter_updates_the_url_and_the_count():
    app = run_page("standorte")
    app.multiselect[0].select("TH").run()
    assert param(app, "state") == ["TH"]
    shown = len(table_args(app)["rows"])
    assert 0 < shown < SITE_COUNT
    assert f"{shown} von {SITE_COUNT} Standorten" in html_blocks(app)
    app.button[0].click().run()  # reset
    assert "state" not in app.query_params
    assert len(table_args(app)["rows"]) == SITE_COUNT


@pytest.mark.parametrize("url_path", ["karte", "standorte"])
def test_bad_parameters_give_a_friendly_message_not_a_traceback(url_path):
    app = run_page(
        url_path, state=["SN", "XX"], program="![x](https://evil.example/x.png)", site="no-such-site", q="x" * 300
    )
    assert not app.exception, app.exception
    messages = " ".join(warnings(app))
    assert "XX" in messages and "no-such-site" in messages.replace("\\", "")
    assert "](" not in messages.replace("\\](", "")  # the markdown image is shown inert, not loaded
    assert param(app, "state") == ["SN"]
    assert "site" not in app.query_params and "program" not in app.query_params


def test_choosing_a_site_in_the_list_puts_it_into_the_url():
    app = run_page("standorte", state="SN")
    app.selectbox[0].select(SITE_ID).run()
    assert param(app, "site") == [SITE_ID]
    assert f">{SITE_NAME}</h2>" in html_blocks(app)


def test_sites_page_lists_the_filtered_sites_and_offers_downloads():
    app = run_page("standorte", program="zukunftsort")
    table = table_frame(app)
    expected = (
        pyogrio.read_dataframe(SITES_GPKG, layer="sites", read_geometry=False)["program"] == "zukunftsort"
    ).sum()
    assert len(table) == expected > 0 and set(table["Programm"]) == {"Zukunftsort Sachsen-Anhalt"}
    labels = [button.proto.label for button in app.get("download_button")]
    assert labels[:2] == ["CSV herunterladen", "GeoJSON herunterladen"]


def test_no_match_says_so():
    app = run_page("standorte", q="zzzz-nothing")
    assert not app.exception
    assert any("Kein Standort passt" in info.value for info in app.info)


def test_filters_and_site_survive_a_switch_to_the_other_page_and_back():
    app = run_page("karte", state="ST", site=SITE_ID)
    app.pills[0].select("kreativort").run()
    for url_path in ("standorte", "karte"):
        for name in list(app.query_params):  # a plain navigation link carries no filter parameters
            del app.query_params[name]
        app.switch_page(f"views/{url_path}.py").run()
        assert not app.exception, app.exception
        assert app.multiselect[0].value == ["ST"] and app.pills[0].value == ["kreativort"]
        assert param(app, "state") == ["ST"] and param(app, "program") == ["kreativort"]
        assert param(app, "site") == [SITE_ID]


def test_map_page_never_filters_the_sites_on_the_server(monkeypatch):
    """The map filters in the browser: a filter change costs the server the same for 100 or 10,000 sites."""
    from geo.sites import filters as site_filters

    def refuse(*args, **kwargs):
        raise AssertionError("the map page filtered the sites on the server")

    monkeypatch.setattr(site_filters, "filter_mask", refuse)
    app = run_page("karte", state="TH", q="a search no cache has seen 4711")
    assert not app.exception, app.exception
    type_into_map(app, "another unseen search 0815", 1)
    assert not app.exception, app.exception
    assert map_args(app)["sites"]["filter"]["q"] == "another unseen search 0815"


def type_into_map(app: AppTest, text: str, counter: int, instance: str = "map-1") -> AppTest:
    """What the map sends when a visitor types a search into it (static/atlas_map/atlas_controls.js)."""
    app.session_state["atlas_map"] = {"value": {"instance": instance, "q": text, "qn": counter}}
    return app.run()


def test_a_search_typed_into_the_map_goes_into_the_url_and_is_acknowledged():
    app = run_page("karte", state="SN")
    assert not app.text_input  # the map page's search field is inside the map
    assert map_args(app)["search"] == {
        "label": "Suche in Name, Ort und Beschreibung",
        "placeholder": "z. B. Görlitz, Coworking, Wasserstoff",
        "max_chars": 100,
        "text": "",
        "instance": None,
        "n": 0,
        "program_buttons": {
            "scope": ".st-key-atlas_filter_program",  # the filter panel's program buttons, labelled as shown
            "labels": {program_label(code, "de"): code for code in programs()},
        },
    }
    type_into_map(app, "Görlitz", 1)
    assert param(app, "q") == ["Görlitz"] and param(app, "state") == ["SN"]
    args = map_args(app)
    assert args["sites"]["filter"]["q"] == "gorlitz"
    assert args["search"]["text"] == "Görlitz" and (args["search"]["instance"], args["search"]["n"]) == ("map-1", 1)
    # the same report again (a rerun for another reason) changes nothing; a cleared field clears the URL
    app.pills[0].select("kreativort").run()
    assert param(app, "q") == ["Görlitz"] and map_args(app)["search"]["n"] == 1
    type_into_map(app, "", 2)
    assert "q" not in app.query_params and map_args(app)["sites"]["filter"]["q"] == ""
    # the sites page keeps its own search field, filled from the URL
    for name in list(app.query_params):
        del app.query_params[name]
    type_into_map(app, "Kreativ", 3)
    app.switch_page("views/standorte.py").run()
    assert not app.exception, app.exception
    assert app.text_input[0].value == "Kreativ" and param(app, "q") == ["Kreativ"]


@pytest.mark.parametrize("lang, expected", [("de", "9.998 von 10.000 Standorten"), ("en", "9,998 of 10,000 sites")])
def test_the_sites_count_writes_large_numbers_in_the_languages_format(lang, expected):
    from views.filters import count_text

    assert count_text(9_998, 10_000, lang) == expected
