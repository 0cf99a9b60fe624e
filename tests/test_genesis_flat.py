"""The GENESIS flat-CSV reader on real rows of both layouts (tests/fixtures/genesis/)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from geo.core.genesis_flat import FlatFileError, normalised_label, parse_value, read_flat_file

FIXTURES = Path(__file__).parent / "fixtures" / "genesis"
CURRENT_POPULATION = FIXTURES / "12411-01-01-4_de_flat.csv"
CURRENT_EMPLOYEES = FIXTURES / "13111-01-03-4_de_flat.csv"
CLASSIC_EMPLOYEES = FIXTURES / "13111-01-03-4_classic_flat.csv"


def values_by_ags(flat):
    return {value.ags: value for value in flat.values}


def test_current_layout_reads_the_district_totals_only():
    flat = read_flat_file(CURRENT_POPULATION.read_bytes())
    assert flat.layout == "current" and flat.statistic_code == "12411"
    values = values_by_ags(flat)
    # Mansfeld-Südharz: the total row (sex "Insgesamt", empty attribute code), not male or female
    assert values["15087"].value == 129029 and values["15087"].as_of == "2024-12-31"
    assert values["15087"].value_code == "BEVSTD" and values["15087"].unit == "Anzahl"
    assert values["12054"].value == 184754
    assert flat.rows_breakdown == 12  # the male/female rows of the six districts in the fixture
    assert len(flat.values) == 6


def test_dash_means_no_value_never_zero():
    values = values_by_ags(read_flat_file(CURRENT_POPULATION.read_bytes()))
    chemnitz_1990s = values["14161"]  # a district that no longer exists: "-"
    assert chemnitz_1990s.value is None and chemnitz_1990s.marker == "-"


def test_other_regional_levels_and_berlin_boroughs_are_counted_not_read():
    flat = read_flat_file(CURRENT_EMPLOYEES.read_bytes())
    # Germany (DINSG), Sachsen-Anhalt (DLAND), a statistical region (REGBEZ) and Berlin-Mitte (8-digit
    # key with ".") are not district values
    assert flat.rows_other_levels == 16
    assert set(values_by_ags(flat)) == {"15087", "14161"}
    assert all(value.value is None and value.marker == "-" for value in flat.values)
    assert flat.value_variables() == {"ERW032": "Sozialversicherungspfl. Beschäftigte (Arbeitsort)"}


def test_classic_layout_with_german_dates_and_value_columns():
    flat = read_flat_file(CLASSIC_EMPLOYEES.read_bytes())
    assert flat.layout == "classic"
    values = values_by_ags(flat)
    assert values["15087"].value == 40328 and values["15087"].as_of == "2023-06-30"
    assert values["15088"].value == 70695
    assert values["16056"].value is None and values["16056"].marker == "-"  # Eisenach, merged in 2021
    assert normalised_label(values["15087"].value_label) == normalised_label(
        "Sozialversicherungspfl. Beschäftigte (Arbeitsort)"
    )


def test_classic_layout_in_latin_1():
    text = CLASSIC_EMPLOYEES.read_text(encoding="utf-8")
    flat = read_flat_file(text.encode("latin-1"))
    assert values_by_ags(flat)["15087"].region_label == "Mansfeld-Südharz, Landkreis"


def test_zip_as_delivered_by_genesis():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("12411-01-01-4_1773175772751_de_flat.csv", CURRENT_POPULATION.read_bytes())
    assert values_by_ags(read_flat_file(buffer.getvalue()))["15087"].value == 129029


@pytest.mark.parametrize("marker", ["-", ".", "x", "...", "/"])
def test_every_marker_of_the_statistics_is_no_value(marker):
    # a real total row of the fixture with its value replaced by the marker
    lines = CURRENT_POPULATION.read_text(encoding="utf-8-sig").splitlines()
    row = next(line for line in lines if ";15087;" in line and ";;Insgesamt;" in line)
    cells = row.split(";")
    cells[13] = marker
    flat = read_flat_file(("\n".join([lines[0], ";".join(cells)]) + "\n").encode("utf-8"))
    assert flat.values[0].value is None and flat.values[0].marker == marker


def test_decimal_comma_and_point():
    assert parse_value("152,5") == (152.5, "")
    assert parse_value("152.5") == (152.5, "")
    assert parse_value("x") == (None, "x")


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "leer"),
        (b"ags;value\n15087;1\n", "Keine GENESIS-Flat-CSV"),
        (b"PK\x03\x04not really a zip", "ZIP"),
    ],
)
def test_bad_files_get_a_clear_message(content, words):
    with pytest.raises(FlatFileError) as caught:
        read_flat_file(content)
    assert words in caught.value.de and caught.value.en


def test_a_word_in_a_value_cell_names_the_row():
    lines = CURRENT_POPULATION.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    cells[13] = "viele"
    with pytest.raises(FlatFileError) as caught:
        read_flat_file(("\n".join([lines[0], ";".join(cells)])).encode())
    assert "Zeile 2" in caught.value.de and "row 2" in caught.value.en


def test_a_short_row_is_refused():
    lines = CURRENT_POPULATION.read_text(encoding="utf-8-sig").splitlines()
    with pytest.raises(FlatFileError, match="Zeile 2"):
        read_flat_file(("\n".join([lines[0], lines[1].rsplit(";", 3)[0]])).encode())
