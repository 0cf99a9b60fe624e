"""AppTest of the investor figures on the pages: the aid estimator beside a profile and on the comparison,
the labour-market and pool sections, the pool_min filter, /regionen's new choropleths, the data page."""

from __future__ import annotations

import pytest

from tests.html_tables import app_tables
from tests.test_app_atlas import table_frame
from tests.test_app_regions import run_page

SANGERHAUSEN = "strategischer-industriestandort-sangerhausen"  # Mansfeld-Südharz (15087): ceilings 20/30/40 %
LEUNA = "chemiestandort-leuna"  # Saalekreis


def plain(text: str) -> str:
    """Streamlit shows Markdown: escapes and non-breaking spaces do not matter for what a reader sees."""
    return text.replace("\\", "").replace("\u00a0", " ")


def html_text(app) -> str:
    return " ".join(element.proto.body for element in app.get("html"))


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("de", "Höchstens 4.000.000\u00a0EUR Regionalbeihilfe (40\u00a0% der Kosten)"),
        ("en", "At most EUR\u00a04,000,000 of regional aid (40\u00a0% of the costs)"),
    ],
)
def test_aid_estimator_beside_the_profile(lang, expected):
    app = run_page("karte", site=SANGERHAUSEN, lang=lang)
    app.number_input(key="karte_aid_amount").set_value(10_000_000).run()
    assert not app.exception, app.exception
    assert plain(app.success[0].value).startswith(plain(expected))
    captions = plain(" ".join(caption.value for caption in app.caption))
    assert "de-minimis" in captions.lower() and "ib-sachsen-anhalt.de" in captions


def test_not_verified_district_gives_no_figure():
    from geo.core.paths import SITES_GPKG
    from geo.store import read_sites

    sites = read_sites(SITES_GPKG)
    site_id = sites.loc[sites["district_ags"] == "14511", "site_id"].iloc[0]
    app = run_page("standorte", site=site_id, lang="en")
    app.number_input(key="standorte_aid_amount").set_value(1_000_000).run()
    assert not app.exception, app.exception
    assert "not verified" in app.warning[0].value and "EUR" not in app.warning[0].value


def test_profile_shows_figures_with_source_and_date_and_the_pool_as_an_estimate():
    app = run_page("karte", site=LEUNA)
    text = html_text(app)
    assert "Arbeitsmarkt im Kreis: Saalekreis" in text and "70.695" in text and "Stand 30.06.2023" in text
    assert "www.regionalstatistik.de" in text and "keine Quelle" in text
    assert "Schätzung, Luftlinie" in text and "Umkreis 45 km" in text
    assert "Hochschulen und Forschung im Umkreis von 30 km" in text and "Martin-Luther-Universität" in text


def test_pool_min_narrows_the_sites_table_and_stays_in_the_url():
    everything = run_page("standorte")
    narrowed = run_page("standorte", pool_min="2000000")
    assert narrowed.query_params.get("pool_min") in ("2000000", ["2000000"])
    rows_all = len(table_frame(everything))
    narrowed_table = table_frame(narrowed)
    assert 0 < len(narrowed_table) < rows_all
    column = next(column for column in narrowed_table.columns if "45 km" in column)
    assert (narrowed_table[column] >= 2_000_000).all()


def test_comparison_has_the_figures_and_an_estimator_for_all_sites():
    app = run_page("vergleich", sites=f"{SANGERHAUSEN},{LEUNA}", lang="en")
    text = html_text(app)
    assert "Labour market of the district" in text and "Within 45 km" in text and "estimate, straight line" in text
    app.number_input(key="comparison_aid_amount").set_value(10_000_000).run()
    assert not app.exception, app.exception
    answers = [plain(box.value) for box in app.success]
    assert any("EUR 4,000,000" in answer for answer in answers)  # Mansfeld-Südharz, 40 %
    assert any("EUR 3,000,000" in answer for answer in answers)  # Saalekreis, 30 %


@pytest.mark.parametrize("indicator", ["unemployment_rate", "employees_workplace", "median_wage"])
def test_regions_offers_the_new_indicators_as_choropleths(indicator):
    app = run_page("regionen", indicator=indicator, district="15087")
    choice = next(box for box in app.selectbox if box.value == indicator)
    assert choice.value == indicator
    captions = " ".join(caption.value for caption in app.caption).replace("\\", "")
    assert "Regionaldatenbank" in captions or "Entgeltstatistik" in captions
    if indicator == "employees_workplace":  # the source line dates the figures by the one rule, marked as old
        assert "30.06.2023 ⚠ älter als 12 Monate" in captions
    assert "Arbeitsmarkt im Kreis" in " ".join(header.value for header in app.subheader)


def test_data_page_lists_district_figures_and_institutions_with_sources():
    app = run_page("daten", lang="en")
    # the long tables (278 figures, 108 institutions) are only rendered when asked for
    before = [table.columns for table in app_tables(app)]
    assert not [columns for columns in before if "Reference date" in columns or "Fields of work" in columns]
    app.toggle(key="data_figures_table").set_value(True)
    app.toggle(key="data_research_table").set_value(True).run()
    headings = [header.value for header in app.header]
    assert "District figures with source and date" in headings and "Universities and research" in headings
    tables = app_tables(app)
    institutions = next(table for table in tables if "Fields of work" in table.columns)
    assert len(institutions) >= 100 and set(institutions["Location"]) == {"approximate (municipality)"}
    figures = next(table for table in tables if "Reference date" in table.columns)
    assert "30 Jun 2023 ⚠ older than 12 months" in set(figures["Reference date"])  # dated and marked by the one rule
