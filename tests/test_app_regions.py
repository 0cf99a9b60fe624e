"""AppTest of the pages `regionen`, `strukturwandel` and `daten`: a district or zone pre-selected through
the URL, both languages, widgets writing the choice back into the URL, unknown URL values reported."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.core.formatting import format_number
from geo.store.reference import read_layer
from tests.html_tables import app_tables, table_links

APP = str(Path(__file__).resolve().parents[1] / "app.py")
HALLE = "15002"
ALTMARKKREIS_SALZWEDEL = "15081"


def run_page(url_path: str, **query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(f"views/{url_path}.py")
    app.run()
    assert not app.exception, app.exception
    return app


def tables_html(app: AppTest) -> str:
    return "".join(element.proto.body for element in app.get("html"))


def url_param(app: AppTest, name: str) -> str | None:
    """A query parameter of the app's URL (AppTest gives a list or a string, depending on who set it)."""
    value = app.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def headers(app: AppTest) -> list[str]:
    """The headers as the visitor reads them (text from data is Markdown-escaped: "Halle \\(Saale\\)")."""
    return [element.value.replace("\\", "") for element in app.header]


def metrics(app: AppTest) -> dict[str, str]:
    return {element.label: element.value for element in app.metric}


@pytest.mark.parametrize("url_path", ["regionen", "strukturwandel", "daten"])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_page_renders_in_both_languages(url_path, lang):
    app = run_page(url_path, lang=lang)
    expected = {
        "regionen": ("Regionen", "Regions"),
        "strukturwandel": ("Strukturwandel", "Structural change"),
        "daten": ("Daten & Quellen", "Data & sources"),
    }[url_path]
    assert app.title[0].value == expected[lang == "en"]


def test_regions_opens_the_district_profile_from_the_url():
    app = run_page("regionen", district=HALLE, indicator="aid_area")
    assert "Profil: Halle (Saale)" in headers(app)
    assert app.selectbox(key="district_de").value == HALLE
    assert app.selectbox(key="indicator_de").value == "aid_area"
    population = int(read_layer("districts").set_index("ags").loc[HALLE, "population"])
    assert metrics(app)["Einwohner 2018"] == format_number(population, "de")
    assert "C-Fördergebiet" in " ".join(element.value for element in app.markdown).replace("\\", "")
    assert url_param(app, "district") == HALLE


def map_args(app: AppTest) -> dict:
    """The arguments the page sent to its map (the atlas map, components v2) on this run."""
    [component] = app.get("bidi_component")
    return json.loads(component.proto.json)


def test_the_district_map_is_the_atlas_map_with_the_districts_coloured():
    app = run_page("regionen", indicator="density", lang="en")
    args = map_args(app)
    assert args["sites"] is None and args["mode"] == "districts"
    assert len(args["districts"]["colours"]) == 67 and args["districts"]["clickable"] is True
    assert args["districts"]["selected"] is None
    assert "Population density (2018)" in args["legend_html"]
    assert args["texts"]["map_label"] == "Map of the districts: Population density"


def test_a_district_clicked_on_the_map_opens_its_profile_and_goes_into_the_url():
    app = run_page("regionen")
    app.session_state["regions_map"] = {"value": {"event": "district", "district": HALLE, "n": 1, "instance": "m"}}
    app.run()
    assert not app.exception, app.exception
    assert "Profil: Halle (Saale)" in headers(app)
    assert url_param(app, "district") == HALLE and map_args(app)["districts"]["selected"] == HALLE
    # the same report again (a rerun for another reason) does not undo a later choice in the select box
    app.selectbox(key="district_de").select(ALTMARKKREIS_SALZWEDEL).run()
    assert url_param(app, "district") == ALTMARKKREIS_SALZWEDEL


def test_the_zone_map_shows_the_zones_sites_on_its_districts():
    app = run_page("strukturwandel", zone="mitteldeutsch")
    args = map_args(app)
    assert args["sites"]["filter"]["any_of"] == {"zones": ["mitteldeutsch"]}
    assert len(args["fit_districts"]) == 8 and sorted(args["districts"]["colours"]) == sorted(args["fit_districts"])


def test_regions_profile_in_english_with_number_format_and_sites():
    app = run_page("regionen", district=ALTMARKKREIS_SALZWEDEL, lang="en")
    assert "Profile: Altmarkkreis Salzwedel" in headers(app)
    population = int(read_layer("districts").set_index("ags").loc[ALTMARKKREIS_SALZWEDEL, "population"])
    assert metrics(app)["Population 2018"] == f"{population:,}"
    assert any(subheader.value.startswith("Sites in the district (") for subheader in app.subheader)
    assert "Ranking" in headers(app)


def test_regions_choice_is_written_into_the_url():
    app = run_page("regionen")
    assert "district" not in app.query_params
    app.selectbox(key="district_de").set_value(ALTMARKKREIS_SALZWEDEL).run()
    assert url_param(app, "district") == ALTMARKKREIS_SALZWEDEL
    app.selectbox(key="indicator_de").set_value("sites_per_100k").run()
    assert url_param(app, "indicator") == "sites_per_100k"
    assert "Profil: Altmarkkreis Salzwedel" in headers(app)


def test_regions_compares_up_to_four_districts_and_keeps_them_in_the_url():
    app = run_page("regionen", district=HALLE)
    chooser = app.multiselect(key="compare_de")
    assert chooser.value == [HALLE]
    assert not chooser.max_selections  # the limit is the page's own message, in the page's language
    chooser.set_value([HALLE, "14713", "14729", ALTMARKKREIS_SALZWEDEL]).run()
    assert not app.exception
    assert url_param(app, "compare") == f"{HALLE},14713,14729,{ALTMARKKREIS_SALZWEDEL}"
    comparison = app_tables(app)[-1].set_index("Kennzahl")  # the indicators are a column with a heading
    assert list(comparison.columns) == [
        "Halle (Saale)",
        "Leipzig (Kreisfreie Stadt)",
        "Leipzig (Landkreis)",
        "Altmarkkreis Salzwedel",
    ]
    assert "Beleg" in comparison.index and not any("Verlässlichkeit" in label for label in comparison.index)
    app.multiselect(key="compare_de").set_value([HALLE, "14713", "14729", ALTMARKKREIS_SALZWEDEL, "15082"]).run()
    assert app.multiselect(key="compare_de").value == [HALLE, "14713", "14729", ALTMARKKREIS_SALZWEDEL]
    assert any("höchstens 4 Kreise" in element.value for element in app.info)


def test_regions_comparison_opens_from_a_shared_link():
    app = run_page("regionen", compare=f"14713,<b>x</b>,{HALLE}", lang="en")
    assert app.multiselect(key="compare_en").value == ["14713", HALLE]
    warnings = " ".join(element.value for element in app.warning)
    assert "compare" in warnings and "<b>" not in warnings
    assert list(app_tables(app)[-1].columns) == ["Indicator", "Leipzig (city)", "Halle (Saale)"]
    too_many = run_page("regionen", compare=",".join(["14713", "14729", HALLE, ALTMARKKREIS_SALZWEDEL, "15082"]))
    assert len(too_many.multiselect(key="compare_de").value) == 4
    assert too_many.info


def test_regions_profile_says_plainly_what_the_aid_figures_rest_on():
    app = run_page("regionen", district=HALLE, lang="en")
    text = " ".join(element.value for element in app.markdown).replace("\\", "")
    assert "Evidence: " in text and "Confidence" not in text


def test_regions_reports_unknown_url_values():
    app = run_page("regionen", district="<b>99999</b>", indicator="nope")
    warnings = " ".join(element.value for element in app.warning)
    assert "nope" in warnings and "99999" in warnings
    assert "<b>" not in warnings
    assert app.selectbox(key="district_de").value is None


def test_structural_change_shows_the_zone_from_the_url():
    app = run_page("strukturwandel", zone="mitteldeutsch")
    assert headers(app)[0] == "Mitteldeutsches Revier"
    assert metrics(app)["Kreise"] == "8"
    assert url_param(app, "zone") == "mitteldeutsch"
    facts, links = app_tables(app)[0], table_links(tables_html(app))[0]
    assert len(links) == len(facts) and all(
        len(row) == 1 and row[0].startswith(("https://", "http://")) for row in links
    )  # every fact with its source link
    assert (facts.iloc[:, -1] != "").all()


def test_structural_change_in_english():
    app = run_page("strukturwandel", zone="lausitz", lang="en")
    assert headers(app)[0] == "Lusatian coal region"
    assert "The areas compared" in headers(app)
    share = metrics(app)["Population share"]
    assert share.endswith("\u00a0%") and "." in share
    text = " ".join(element.value for element in app.markdown).replace("\\", "")
    assert "Legal basis: Investment Act for Coal Regions (InvKG), section 2 no. 1" in text.replace("**", "")
    charts = [block.proto.body for block in app.get("html") if "sa-bar-chart" in block.proto.body]
    assert len(charts) == 1  # the areas compared: five tables with bars, no plotly chart to load
    assert charts[0].count("<table class='sa-bar-chart'>") == 5
    assert "<th scope='row'>Lusatian coal region</th>" in charts[0]
    assert "sa-bar-chosen'><th scope='row'>Lusatian coal region" in charts[0]
    assert not app.get("plotly_chart")


def test_structural_change_in_english_has_english_periods_and_legal_bases():
    app = run_page("strukturwandel", zone="mitteldeutsch", lang="en")
    shown = " ".join(" ".join(map(str, table.to_numpy().ravel())) for table in app_tables(app))
    assert "regional agreement of 2023" in shown and "Reviervereinbarung 2023" not in shown.replace(
        "(Reviervereinbarung)", ""
    )
    assert "bis 2038" not in shown
    brandenburg = run_page("strukturwandel", zone="jtf_bb_lausitz", lang="en")
    text = " ".join(element.value for element in brandenburg.markdown).replace("\\", "")
    assert "Regulation (EU) 2021/1056" in text and "Prioritätsachse" not in text and "EU-Verordnung" not in text
    facts = app_tables(brandenburg)[0]
    assert "238 million EUR" in set(facts["Value"])
    # a figure: right-aligned, on one line (never cut after "238")
    assert '<td class="sa-number">238 million EUR</td>' in tables_html(brandenburg)


def test_structural_change_zone_choice_goes_into_the_url_and_bad_zones_are_reported():
    app = run_page("strukturwandel", zone="atlantis")
    assert "atlantis" in " ".join(element.value for element in app.warning)
    assert headers(app)[0] == "Lausitzer Revier"
    app.selectbox(key="zone_de").set_value("jtf_bb_uckermark").run()
    assert url_param(app, "zone") == "jtf_bb_uckermark"


def test_data_page_lists_definitions_and_programs():
    app = run_page("daten")
    titles = headers(app)
    for heading in (
        "Quellen, Lizenzen und Stand",
        "Kennzahlen: Definitionen",
        "Programme und Vollständigkeit",
        "Bekannte Einschränkungen des Datenstands",
        "Datenschutz",
        "Namensnennung",
    ):
        assert heading in titles
    tables = app_tables(app)
    definitions = next(frame for frame in tables if "Schlüssel" in frame.columns)
    assert {"density", "sites_per_100k", "aid_area"} <= set(definitions["Schlüssel"])
    programs = next(frame for frame in tables if "Vollständigkeit" in frame.columns).set_index("Bezeichnung")
    assert programs["Vollständigkeit"].str.contains("von 12 Orten").any()
    # a list that could not be reached says so beside the count the program publishes, with its date
    saxony = programs.loc["Kreativort Sachsen"]
    assert (saxony["Zahl laut Programm"], saxony["Liste der Orte"], saxony["Stand der Zahl"]) == (
        "40",
        "nicht erreichbar",
        "20.05.2025",
    )
    assert programs.loc["Industriestandort (IMG)", "Zahl laut Programm"] == "mindestens 28"
    vintage = " ".join(element.value for element in app.markdown).replace("\\", "")
    assert "Eisenach" in vintage and "2017" in vintage and "31.12.2018" in vintage


def test_aid_evidence_names_what_is_not_verified():
    from geo.expose.profile import aid_evidence

    assert "authority" in aid_evidence("high", "en") and "Confirm" not in aid_evidence("high", "en")
    assert "newspaper" in aid_evidence("medium-high", "en") and "Confirm" in aid_evidence("medium-high", "en")
    assert "state-wide rule" in aid_evidence("medium", "en")
    assert "Förderbank" in aid_evidence("medium", "de")


def test_data_page_in_english_names_the_programs_operators_in_english():
    app = run_page("daten", lang="en")
    tables = app_tables(app)
    programs = next(frame for frame in tables if "Run by" in frame.columns)
    assert "various operators" in set(programs["Run by"])
    network = programs.set_index("Label").loc["Netzwerk Zukunftsorte (Future Places Network)"]
    assert network["Completeness"].endswith("the source counts 47 across Germany")
    assert network["List of places"] == "could not be reached"
    assert not programs["Run by"].str.contains("verschiedene|hervorgegangen| mit dem ").any()


def test_data_page_names_its_sources_in_german_on_the_german_page():
    from geo.texts.sources import USED_FOR_DE

    app = run_page("daten")
    sources = next(table for table in app_tables(app) if {"Verwendet für", "Wofür"} & set(table.columns))
    english = sources.map(
        lambda cell: bool(re.search(r"\b(the|and|of|each|every|compiled|package release)\b", str(cell)))
    )
    assert not english.to_numpy().any(), sources[english.any(axis=1)]
    assert set(USED_FOR_DE) >= set(sources.iloc[:, 0])
