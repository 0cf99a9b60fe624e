"""The value rules every outside value passes (geo.core.values): numbers, web addresses, formula text."""

from __future__ import annotations

import pytest

from geo.core.csv_download import neutralise_formula
from geo.core.values import FORMULA_STARTS, cut_text, escape_text, is_web_url, looks_like_formula, parse_number
from geo.sites.filters import parse_param_number


@pytest.mark.parametrize(
    "text, number",
    [
        ("52,123", 52.123),
        ("52.123", 52.123),
        ("412.345,67", 412345.67),
        ("412,345.67", 412345.67),
        (" -1,5 ", -1.5),
        ("+3", 3.0),
        ("5 800 000", 5800000.0),
        ("1.234.567", 1234567.0),
        ("12\u00a0345,5", 12345.5),
        ("abc", None),
        ("nan", None),
        ("inf", None),
        ("1e5", None),
        ("1_000", None),
        ("", None),
        ("-", None),
        ("+-3", None),
    ],
)
def test_one_number_rule(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "raw, bound, unusable",
    [
        ("5", 5.0, None),
        ("2,5", 2.5, None),
        ("0", 0.0, None),
        ("1e3", None, "1e3"),
        ("-1", None, "-1"),
        ("", None, None),
    ],
)
def test_a_url_bound_is_read_by_the_same_rule(raw, bound, unusable):
    assert parse_param_number(raw) == (bound, unusable)


def test_one_list_of_formula_characters():
    for start in FORMULA_STARTS:
        assert looks_like_formula(f"{start}SUM(A1)")
        assert neutralise_formula(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert not looks_like_formula("-2,5")


def test_web_addresses_without_user_names():
    assert is_web_url("https://www.bund.de/x")
    assert not is_web_url("https://www.bund.de@evil.example/")
    assert not is_web_url("javascript:alert(1)")


def test_one_table_of_import_formats_for_reader_uploader_and_message(tmp_path):
    """Every ending the reader accepts is offered by the uploader and named in the refusal, .txt included."""
    from geo.imports.formats import SUFFIX_FORMATS, suffixes_text, upload_types
    from geo.imports.importer import read_user_file

    assert {f".{suffix}" for suffix in upload_types()} == set(SUFFIX_FORMATS) >= {".txt", ".csv", ".gpkg"}
    path = tmp_path / "orte.xlsx"
    path.write_text("name;program\n", encoding="utf-8")
    result = read_user_file(path)
    messages = " ".join(problem.message("en") + problem.message("de") for problem in result.problems)
    for suffix in SUFFIX_FORMATS:
        assert suffix in messages
    assert suffixes_text("de").endswith("oder .txt") and suffixes_text("en").endswith("or .txt")
    text_file = tmp_path / "orte.txt"
    text_file.write_text("name;program;lat;lon\nNeuer Ort;zukunftsort;51,48;11,97\n", encoding="utf-8")
    assert read_user_file(text_file).source["format"] == "CSV"


def test_escape_text_neutralises_html_in_content_and_attributes():
    assert escape_text("<a href='x' title=\"y\">&") == "&lt;a href=&#x27;x&#x27; title=&quot;y&quot;&gt;&amp;"
    assert escape_text(None) == ""


def test_cut_text_keeps_one_line_and_cuts_with_an_ellipsis():
    assert cut_text("  zwei\nZeilen\t und  mehr ", None) == "zwei Zeilen und mehr"
    assert cut_text("abcdef", 4) == "abc…" and len(cut_text("x" * 100, 60)) == 60
    assert cut_text("abcd", 4) == "abcd"
