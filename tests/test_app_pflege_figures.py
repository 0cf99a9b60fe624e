"""AppTest of the staff page's tab "district figures": a real flat-CSV layout uploaded, reviewed, applied
as a version and undone (on a copy of the data, as in test_app_pflege)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.core.district_figures import figure_detail
from geo.store import live_figures
from tests.test_app_pflege import clean_environment, data_copy, log_in, open_page, password  # noqa: F401

CLASSIC = Path(__file__).parent / "fixtures" / "genesis" / "13111-01-03-4_classic_flat.csv"


def figures_upload(app, data: bytes, name: str = "13111-01-03-4_flat.csv"):
    uploader = next(
        widget
        for widget in app.file_uploader
        if widget.label == "Flat-File CSV oder ZIP" or widget.label == "Flat-file CSV or ZIP"
    )
    uploader.set_value((name, data, "text/csv"))
    return app.run()


def test_upload_review_apply_and_undo(password, data_copy):
    app = log_in(open_page())
    edited = CLASSIC.read_text(encoding="utf-8").replace(";40328\n", ";40999\n", 1).encode("utf-8")
    app = figures_upload(app, edited)
    assert not app.exception, app.exception
    summary = " ".join(markdown.value for markdown in app.markdown)
    assert "2 Kreiswerte für employees_workplace" in summary and "Stichtag 30.06.2023 ⚠ älter als 12 Monate" in summary
    table = next(frame.value for frame in app.dataframe if "Änderung" in frame.value.columns)
    row = table.set_index("Kreisschlüssel").loc["15087"]
    assert (
        row["bisher"] == "40.328 (30.06.2023 ⚠ älter als 12 Monate)"
        and row["neu"] == "40.999 (30.06.2023 ⚠ älter als 12 Monate)"
        and row["Änderung"] == "geändert"
    )
    assert figure_detail(live_figures(data_copy), "15087", "employees_workplace")["value"] == 40328

    app = app.button(key="steward_figures_apply").click().run()
    assert not app.exception, app.exception
    assert app.success[0].value.startswith("Kreiszahlen übernommen: 1 geändert oder neu")
    assert figure_detail(live_figures(data_copy), "15087", "employees_workplace")["value"] == 40999

    app = app.button(key="steward_undo_import").click().run()
    assert not app.exception, app.exception
    assert figure_detail(live_figures(data_copy), "15087", "employees_workplace")["value"] == 40328


@pytest.mark.parametrize("lang, words", [("de", "Keine GENESIS-Flat-CSV"), ("en", "not a GENESIS flat CSV")])
def test_a_file_that_is_no_flat_csv_is_a_message(password, data_copy, lang, words):
    app = figures_upload(log_in(open_page(lang)), b"ags;value\n15087;1\n", "x.csv")
    assert not app.exception, app.exception
    assert any(words in error.value for error in app.error)
