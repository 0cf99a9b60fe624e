"""District figures: checks, and the flat-CSV import from a real export's rows to a merged table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.core.district_figures import (
    CHANGE_CHANGED,
    CHANGE_NEW,
    CHANGE_SAME,
    FlatMapping,
    check_figures,
    compare_figures,
    figures_from_flat,
    figures_wide,
    merge_figures,
    normalised,
)
from geo.core.genesis_flat import read_flat_file

FIXTURES = Path(__file__).parent / "fixtures" / "genesis"
DISTRICTS = ["12054", "15001", "15087", "15088", "16063", "16077"]
KEYS = ["employees_workplace", "population_2024"]
MAPPINGS = [FlatMapping("employees_workplace", ("ERW032",)), FlatMapping("population_2024", ("Bevölkerungsstand",))]
SOURCE = "https://www.regionalstatistik.de/genesis/online?operation=table&code=13111-01-03-4"


def figure(ags, key, value, as_of="2023-06-30", url=SOURCE):
    return {
        "ags": ags,
        "indicator": key,
        "value": value,
        "as_of": as_of,
        "table_code": "13111-01-03-4",
        "source_url": url,
        "retrieved": "2026-12-07",
        "note": "",
    }


def test_a_sound_table_has_no_problems():
    table = normalised(pd.DataFrame([figure("15087", "employees_workplace", 40328)]))
    assert check_figures(table, DISTRICTS, KEYS) == []


def test_every_problem_names_its_row():
    table = pd.DataFrame(
        [
            figure("14161", "employees_workplace", 1),
            figure("15087", "jobs", "viele"),
            figure("15088", "employees_workplace", 5, as_of="30.06.2023", url="ftp://x"),
            figure("15088", "employees_workplace", 6),
        ]
    )
    problems = "\n".join(check_figures(table, DISTRICTS, KEYS))
    assert "row 2 (14161, employees_workplace): the AGS is not one of the 67 districts" in problems
    assert "row 3 (15087, jobs): the indicator is not declared" in problems
    assert "row 3 (15087, jobs): the value is not a number" in problems
    assert "row 4" in problems and "as_of" in problems and "source_url" in problems
    assert "more than one row for: 15088/employees_workplace" in problems


def test_classic_export_becomes_rows_of_the_atlas_districts_only():
    flat = read_flat_file((FIXTURES / "13111-01-03-4_classic_flat.csv").read_bytes())
    result = figures_from_flat(
        flat, MAPPINGS, DISTRICTS, source_url=SOURCE, table_code="13111-01-03-4", retrieved="2026-12-07"
    )
    rows = result.rows.set_index("ags")
    assert rows.loc["15087", "value"] == 40328 and rows.loc["15088", "value"] == 70695
    assert set(rows.index) == {"15087", "15088"}  # Eisenach (16056, "-") is no district of the atlas
    assert result.outside_ags == 1 and result.periods == {"employees_workplace": "2023-06-30"}
    assert rows.loc["15087", "source_url"] == SOURCE


def test_a_file_of_markers_only_gives_no_rows_and_lists_the_districts():
    flat = read_flat_file((FIXTURES / "13111-01-03-4_de_flat.csv").read_bytes())
    result = figures_from_flat(
        flat, MAPPINGS, DISTRICTS, source_url=SOURCE, table_code="13111-01-03-4", retrieved="2026-12-07"
    )
    assert result.rows.empty
    assert result.markers == {"employees_workplace": ["15087 (-)"]}


def test_unknown_value_variables_are_reported():
    flat = read_flat_file((FIXTURES / "12411-01-01-4_de_flat.csv").read_bytes())
    result = figures_from_flat(
        flat, MAPPINGS[:1], DISTRICTS, source_url=SOURCE, table_code="12411-01-01-4", retrieved="2026-12-07"
    )
    assert result.rows.empty and result.unmatched_variables == {"BEVSTD": "Bevölkerungsstand"}


def test_compare_and_merge_keep_what_the_file_does_not_touch():
    current = normalised(
        pd.DataFrame(
            [
                figure("15087", "employees_workplace", 40000),
                figure("15088", "employees_workplace", 70695),
                figure("16077", "employees_workplace", 27816),
            ]
        )
    )
    incoming = normalised(
        pd.DataFrame(
            [
                figure("15087", "employees_workplace", 40328),
                figure("15088", "employees_workplace", 70695),
                figure("12054", "employees_workplace", 87295),
            ]
        )
    )
    changes = compare_figures(current, incoming, {"15087": "Mansfeld-Südharz"}).set_index("ags")
    assert changes.loc["15087", "change"] == CHANGE_CHANGED and changes.loc["15087", "old_value"] == 40000
    assert changes.loc["15087", "district"] == "Mansfeld-Südharz"
    assert changes.loc["15088", "change"] == CHANGE_SAME and changes.loc["12054", "change"] == CHANGE_NEW
    merged = merge_figures(current, incoming).set_index("ags")
    assert merged.loc["15087", "value"] == 40328 and merged.loc["16077", "value"] == 27816
    assert len(merged) == 4
    wide = figures_wide(merged.reset_index(), KEYS)
    assert wide.loc["12054", "employees_workplace"] == 87295 and wide["population_2024"].isna().all()


def test_the_bundled_figures_name_declared_indicators_and_the_67_districts():
    """The build checks the bundled rows without the indicator definitions (it sits below them); this
    test holds the rest: every row names an imported-figure indicator and one of the 67 districts."""
    import pyogrio

    from geo.core.district_figures import read_bundled_figures
    from geo.core.paths import REFERENCE_GPKG
    from geo.indicators import figure_indicators

    districts = pyogrio.read_dataframe(REFERENCE_GPKG, layer="districts", columns=["ags"], read_geometry=False)
    rows = read_bundled_figures()
    keys = [definition.key for definition in figure_indicators()]
    assert len(districts) == 67 and len(rows) > 0
    assert check_figures(rows, districts["ags"].astype(str), keys) == []
