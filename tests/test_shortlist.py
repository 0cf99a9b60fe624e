"""The shortlist's URL form, the comparison table (differences, escaping) and the comparison page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.expose.shortlist import (
    MAX_SHORTLIST,
    ComparisonCell,
    ComparisonRow,
    added,
    comparison_html,
    comparison_link,
    parse_shortlist,
    removed,
    shortlist_param,
)
from geo.sites.filters import matches_query, search_text
from geo.store import read_sites_for_app

APP = str(Path(__file__).resolve().parents[1] / "app.py")
KNOWN = ["a", "b", "c", "d", "e", "f", "g"]
FIRST, SECOND = "agro-chemie-park-piesteritz", "alte-hoelle"


def test_parse_keeps_order_drops_duplicates_and_reports_unknown_ids():
    parsed = parse_shortlist("c, a,,c,zz", KNOWN)
    assert parsed.site_ids == ("c", "a")
    assert parsed.unknown is not None and parsed.unknown.values == ("zz",)


def test_parse_reads_repeated_parameters_and_stops_at_six():
    parsed = parse_shortlist(["a,b,c", "d", "e,f,g"], KNOWN)
    assert parsed.site_ids == ("a", "b", "c", "d", "e", "f")
    assert parsed.over_limit is not None and parsed.over_limit.values == ("g",)
    assert len(parsed.site_ids) == MAX_SHORTLIST


def test_url_form_round_trips():
    assert parse_shortlist(shortlist_param(("b", "a")), KNOWN).site_ids == ("b", "a")
    assert shortlist_param(()) == ""
    assert parse_shortlist(None, KNOWN).site_ids == ()


def test_add_and_remove():
    assert added(("a",), "b") == ("a", "b")
    assert added(("a",), "a") == ("a",)
    assert added(tuple(KNOWN[:6]), "g") == tuple(KNOWN[:6])
    assert removed(("a", "b"), "a") == ("b",)


def test_comparison_link_keeps_language_and_commas():
    assert comparison_link(["a", "b"], "de") == "vergleich?sites=a,b"
    assert (
        comparison_link(["a", "b"], "en", "https://atlas.example.de/")
        == "https://atlas.example.de/vergleich?sites=a,b&lang=en"
    )


def test_comparison_html_marks_differences_in_words_and_escapes_data():
    rows = [
        ComparisonRow("Lage", "Kreis", (ComparisonCell("Görlitz"), ComparisonCell("Görlitz"))),
        ComparisonRow(
            "Lage",
            "Ort",
            (ComparisonCell('<script>alert("x")</script>'), ComparisonCell("A & B", "https://example.org/?a=1&b=2")),
        ),
    ]
    html = comparison_html(['<b>"Eins"</b>', "Zwei"], rows, "de")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;&quot;Eins&quot;&lt;/b&gt;" in html
    assert 'href="https://example.org/?a=1&amp;b=2"' in html
    assert html.count('class="sa-differs"') == 1
    assert "(unterschiedlich)" in html
    only = comparison_html(["Eins", "Zwei"], rows, "de", only_differences=True)
    assert "Görlitz" not in only and "A &amp; B" in only


def test_comparison_rows_of_real_sites_cover_every_group():
    from geo.expose.document import ExposeData
    from geo.expose.shortlist import comparison_rows

    data = ExposeData.from_files()
    chosen = data.site_rows([FIRST, SECOND])
    rows = comparison_rows(chosen, data.tables, data.fact_sources, "en")
    groups = list(dict.fromkeys(row.group for row in rows))
    assert groups == [
        "Location",
        "Plots and facts",
        "District",
        "Regional aid",
        "Distances (straight line)",
        "Contact and sources",
    ]
    district = next(row for row in rows if row.label == "District")
    assert [cell.text for cell in district.cells] == ["Wittenberg", "Potsdam-Mittelmark"] and district.differs
    assert all(len(row.cells) == 2 for row in rows)


def run_comparison(**query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page("views/vergleich.py")
    return app.run()


@pytest.mark.parametrize(
    "lang, heading, csv_label",
    [
        ("de", "Standorte vergleichen", "Vergleich als CSV (Excel)"),
        ("en", "Compare sites", "Comparison as CSV (Excel)"),
    ],
)
def test_comparison_page_in_both_languages(lang, heading, csv_label):
    app = run_comparison(lang=lang, sites=f"{FIRST},{SECOND},no-such-site")
    assert not app.exception, app.exception
    assert [title.value for title in app.title] == [heading]
    assert len(app.warning) == 1 and r"no\-such\-site" in app.warning[0].value
    assert app.query_params["sites"] == f"{FIRST},{SECOND}"  # the unknown id leaves the URL
    labels = [button.proto.label for button in app.get("download_button")]
    assert csv_label in labels and len(labels) == 2
    assert app.multiselect[0].value == [FIRST, SECOND]


def test_comparison_page_asks_for_a_second_site():
    app = run_comparison(sites=FIRST)
    assert not app.exception, app.exception
    assert "mindestens zwei" in app.info[0].value
    assert len(app.get("download_button")) == 0


def test_choosing_sites_on_the_comparison_page_writes_the_url():
    app = run_comparison()
    app.multiselect[0].set_value([SECOND, FIRST]).run()
    assert not app.exception, app.exception
    assert app.query_params["sites"] == f"{SECOND},{FIRST}"


def test_sites_page_adds_and_removes_the_chosen_site():
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["site"] = SECOND
    app.query_params["sites"] = FIRST
    app.switch_page("views/standorte.py")
    app.run()
    assert not app.exception, app.exception
    toggle = next(button for button in app.button if button.key == "shortlist_toggle")
    assert toggle.label == "Auf die Merkliste"
    toggle.click().run()
    assert app.query_params["sites"] == f"{FIRST},{SECOND}"
    toggle = next(button for button in app.button if button.key == "shortlist_toggle")
    assert toggle.label == "Von der Merkliste nehmen"
    toggle.click().run()
    assert app.query_params["sites"] == FIRST


def test_the_pdf_downloads_draw_on_the_cached_data_of_one_version():
    """The exposé and print view the download buttons make, through views/data.py's version-keyed caches
    (outside a Streamlit server the caches still work; Streamlit only warns about the missing context)."""
    from geo import store
    from geo.core.paths import SITES_GPKG
    from geo.sites.filters import SiteFilter
    from views import data

    # Other tests in the same process fill these caches with other data versions; start from empty ones so the
    # entries compared here were all made by this version (an evicted sites entry is rebuilt as a new object).
    for cached in (data.sites, data.site_facts_table, data.expose_data):
        cached.at_version.clear()
    version = store.data_version(SITES_GPKG)
    # earlier AppTests of this run may have cached an exposé of this version on a sites object that tests
    # with data copies (more than two versions) evicted since: start from a clean exposé cache
    data.expose_data.at_version.clear()
    shared = data.expose_data.at_version(version)
    assert data.expose_data() is shared  # one shared object per data version, not one per page
    assert shared.sites is data.sites() and shared.fact_sources is data.site_facts_table()
    assert set(shared.fact_sources["site_id"]) <= set(shared.sites["site_id"]) and len(shared.fact_sources)
    expose = data.expose_pdf.at_version(version, (FIRST, SECOND), "en", "https://atlas.example.de")
    pages = int(re.search(rb"/Count (\d+)", expose)[1])
    assert expose.startswith(b"%PDF") and pages >= 3  # an overview page, then each site's pages
    saxony = SiteFilter(states=("SN",))
    printed = data.print_pdf.at_version(version, saxony, "de", "A3", "https://atlas.example.de/karte?state=SN")
    assert printed.startswith(b"%PDF") and printed != data.print_pdf.at_version(
        version, saxony, "de", "A4", "https://atlas.example.de/karte?state=SN"
    )


def test_the_comparison_page_finds_sites_with_its_own_search_field():
    sites = read_sites_for_app()
    names = dict(zip(sites["site_id"], sites["name"], strict=True))
    matching = set(sites.loc[matches_query(search_text(sites), "Leuna").to_numpy(), "site_id"])
    assert len(matching) >= 2 and FIRST not in matching
    app = run_comparison(sites=FIRST)
    app.text_input(key="comparison_find").input("Leuna").run()
    assert not app.exception, app.exception
    expected = sorted(matching | {FIRST}, key=lambda site_id: str(names[site_id]).casefold())
    assert app.multiselect[0].options == [names[site_id] for site_id in expected]  # the shortlist stays offered
    assert app.multiselect[0].value == [FIRST]
    app.text_input(key="comparison_find").input("Zzyzx-Hafen").run()
    assert [caption.value for caption in app.caption if "Zzyzx" in caption.value] == [
        "Kein Standort passt zu „Zzyzx\\-Hafen“."
    ]  # typed text shown literally (Markdown-escaped)
    everything = sorted(names, key=lambda site_id: str(names[site_id]).casefold())
    assert app.multiselect[0].options == [names[site_id] for site_id in everything]  # nothing matched: all offered
