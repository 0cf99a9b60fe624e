"""Import of district figures from a real flat-CSV layout: review, apply as a version, undo; and the
command-line tools aid-estimate and import-figures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from geo import store
from geo.__main__ import main
from geo.core.district_figures import CHANGE_CHANGED, figure_detail
from geo.core.paths import SITES_GPKG
from geo.imports.figures import FiguresImportError, apply_figures, review_figures
from geo.indicators import figure_indicators
from geo.store import live_figures

FIXTURES = Path(__file__).parent / "fixtures" / "genesis"
CLASSIC = FIXTURES / "13111-01-03-4_classic_flat.csv"


@pytest.fixture
def sites_copy(tmp_path):
    path = tmp_path / "sites.gpkg"
    shutil.copyfile(SITES_GPKG, path)
    return path


def edited_export(tmp_path, old="40328", new="40999"):
    """The real classic-layout rows with Mansfeld-Südharz's total changed (a newer figure, as it were)."""
    text = CLASSIC.read_text(encoding="utf-8").replace(f";{old}\n", f";{new}\n", 1)
    path = tmp_path / "13111-01-03-4_flat.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_review_apply_and_undo(sites_copy, tmp_path):
    before = figure_detail(live_figures(sites_copy), "15087", "employees_workplace")
    review = review_figures(edited_export(tmp_path).read_bytes(), targets=figure_indicators(), sites_path=sites_copy)
    changed = review.changes.set_index("ags")
    assert changed.loc["15087", "change"] == CHANGE_CHANGED and changed.loc["15087", "new_value"] == 40999
    assert review.changed_count == 1 and review.found.periods == {"employees_workplace": "2023-06-30"}
    row = review.incoming.set_index("ags").loc["15087"]
    assert row["source_url"].endswith("code=13111-01-03-4") and row["table_code"] == "13111-01-03-4"
    assert figure_detail(live_figures(sites_copy), "15087", "employees_workplace")["value"] == before["value"]

    apply_figures(review)
    after = live_figures(sites_copy)
    assert figure_detail(after, "15087", "employees_workplace")["value"] == 40999
    assert figure_detail(after, "15090", "unemployment_rate") is not None  # other figures kept
    assert len(store.read_sites(sites_copy)) == len(store.read_sites(SITES_GPKG))  # sites unchanged

    store.undo(sites_copy)
    assert figure_detail(live_figures(sites_copy), "15087", "employees_workplace")["value"] == before["value"]


def test_a_stale_review_is_refused(sites_copy, tmp_path):
    review = review_figures(edited_export(tmp_path).read_bytes(), targets=figure_indicators(), sites_path=sites_copy)
    store.write_sites(store.read_sites(sites_copy), sites_copy)  # someone else writes in between
    with pytest.raises(store.StaleData):
        apply_figures(review)


def test_a_fixed_indicator_needs_one_value_variable_and_a_known_key(sites_copy):
    data = CLASSIC.read_bytes()
    with pytest.raises(FiguresImportError, match="Unbekannte Kennzahl"):
        review_figures(data, targets=figure_indicators(), sites_path=sites_copy, indicator_key="jobs")
    review = review_figures(
        data,
        targets=figure_indicators(),
        sites_path=sites_copy,
        indicator_key="employees_residence",
        table_code="13111-02-02-4",
    )
    assert set(review.incoming["indicator"]) == {"employees_residence"}


def test_cli_aid_estimate(capsys):
    assert main(["aid-estimate", "--district", "15087", "--investment", "10000000", "--size", "small"]) == 0
    out = capsys.readouterr().out.replace("\xa0", " ")
    assert "EUR 4,000,000" in out and "(40 % of the costs)" in out and "Investment Bank of Saxony-Anhalt" in out
    assert (
        main(["aid-estimate", "--district", "14511", "--investment", "10000000", "--size", "small", "--lang", "de"])
        == 1
    )
    assert "nicht geprüft" in capsys.readouterr().out
    assert main(["aid-estimate", "--district", "99999", "--investment", "1", "--size", "small"]) == 2


def test_cli_import_figures_shows_then_applies(sites_copy, tmp_path, capsys):
    export = edited_export(tmp_path)
    assert main(["import-figures", str(export), "--sites", str(sites_copy)]) == 0
    assert (
        "40,328 (30 Jun 2023 ⚠ older than 12 months) → 40,999 (30 Jun 2023 ⚠ older than 12 months) [changed]"
        in capsys.readouterr().out
    )
    assert figure_detail(live_figures(sites_copy), "15087", "employees_workplace")["value"] == 40328
    assert main(["import-figures", str(export), "--sites", str(sites_copy), "--apply"]) == 0
    assert figure_detail(live_figures(sites_copy), "15087", "employees_workplace")["value"] == 40999


def test_cli_import_refuses_a_file_that_is_no_flat_csv(sites_copy, tmp_path, capsys):
    bad = tmp_path / "x.csv"
    bad.write_text("ags;value\n15087;1\n", encoding="utf-8")
    assert main(["import-figures", str(bad), "--sites", str(sites_copy), "--lang", "de"]) == 1
    assert "Keine GENESIS-Flat-CSV" in capsys.readouterr().err
