"""The indicator definitions file (geo/indicators/indicators.toml): every block complete in both languages, the file and
the code agree (placeholders, sources, key lists, category codes), and a broken block stops the import with
a message that names it."""

from __future__ import annotations

import dataclasses
import re
import tomllib

import pytest

from geo import indicators
from geo.core.schema import AID_AREAS, programs
from geo.indicators import DEFINITIONS, DEFINITIONS_FILE, INDICATORS, IndicatorFileError, read_definitions
from geo.sites.labour_pool import POOL_RADII_KM
from geo.texts import both

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# the placeholders a for_each block fills per entry (programs, pool radii)
PROGRAM_PLACEHOLDERS = {"program", "program_label_de", "program_label_en", "radius"}


@pytest.fixture(scope="module")
def document():
    return tomllib.loads(DEFINITIONS_FILE.read_text(encoding="utf-8"))


def test_every_block_names_both_languages_unit_source_and_year(document):
    for block in document["indicator"]:
        for field in (
            "key",
            "name_de",
            "name_en",
            "unit_de",
            "unit_en",
            "year",
            "description_de",
            "description_en",
            "kind",
        ):
            assert str(block.get(field, "")).strip(), f"{block.get('key')}: {field} missing"
        assert block["sources"], block["key"]
        for category in block.get("categories", []):
            assert category["de"].strip() and category["en"].strip(), (block["key"], category)
    for name, source in document["source"].items():
        assert source["de"].strip() and source["en"].strip(), name
        assert source["url"] == "" or source["url"].startswith(("https://", "{")), name


def test_every_source_is_named_by_an_indicator_and_every_named_source_exists(document):
    named = {name for block in document["indicator"] for name in block["sources"]}
    assert named == set(document["source"])


def test_the_placeholders_of_the_file_are_exactly_those_the_code_fills_in():
    used = set(PLACEHOLDER.findall(DEFINITIONS_FILE.read_text(encoding="utf-8")))
    assert used - PROGRAM_PLACEHOLDERS == set(indicators.PLACEHOLDERS)
    for definition in INDICATORS:
        for field in dataclasses.fields(definition):
            value = getattr(definition, field.name)
            assert not isinstance(value, str) or "{" not in value, (definition.key, field.name, value)


def test_a_for_each_block_gives_one_indicator_per_program(document):
    repeated = [block for block in document["indicator"] if block.get("for_each") == "program"]
    per_radius = [block for block in document["indicator"] if block.get("for_each") == "pool_radius"]
    single = [block for block in document["indicator"] if "for_each" not in block]
    assert len(INDICATORS) == len(single) + len(repeated) * len(programs()) + len(per_radius) * len(POOL_RADII_KM)
    program = next(iter(programs()))
    assert DEFINITIONS[f"sites_{program}"].name_en == f"Sites: {programs()[program]['label_en']}"


def test_the_key_lists_of_the_code_name_indicators_of_the_file():
    for keys in (indicators.PROFILE_KEYS, indicators.COMPARISON_KEYS, indicators.AID_CEILING_KEYS):
        assert set(keys) <= set(DEFINITIONS)
    assert set(indicators.AID_CEILING_KEYS) == {d.key for d in INDICATORS if d.comparison == "known_mean"}
    for definition in INDICATORS:
        if definition.comparison == "ratio":
            assert {definition.numerator, definition.denominator} <= set(DEFINITIONS), definition.key


def test_category_codes_and_units_are_the_ones_the_code_compares_with():
    assert tuple(c.code for c in indicators.indicator("aid_area").categories) == AID_AREAS
    assert {c.code for c in indicators.indicator("jtf_area").categories} == {"in", indicators.NO_ZONE}
    assert indicators.NO_ZONE in {c.code for c in indicators.indicator("coal_region").categories}
    assert indicators.indicator("sites_per_100k").factor == indicators.PER_INHABITANTS
    for definition in INDICATORS:
        if definition.classes == "counts":  # site counts: the unit is not repeated after every number
            assert (definition.unit_de, definition.unit_en) == both("unit_count"), definition.key


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('name_en = "Area"', 'name_fr = "Surface"'), r"\(area_km2\): unknown field\(s\) name_fr"),
        (('name_en = "Area"\n', ""), r"\(area_km2\): name_en is missing"),
        (
            ('sources = ["invkg"]', 'sources = ["invkg", "wikipedia"]'),
            r"\(coal_region\): unknown source\(s\) wikipedia",
        ),
        (('year = "2020"', 'year = "{coal_year}"'), r"\(coal_region\): unknown placeholder \{coal_year\}"),
        (('kind = "measure"\ndecimals = 1', 'kind = "mass"\ndecimals = 1'), r"kind = 'mass' is none of"),
        (('sources = ["jtf"]', 'sources = ["invkg"]'), r"source\(s\) no indicator names: jtf"),
        (('key = "city_km"', 'key = "airport_km"'), r"key\(s\) defined twice: airport_km"),
        (('\nfor_each = "program"', '\nfor_each = "theme"'), r"for_each = 'theme' is none of program"),
    ],
)
def test_a_broken_block_stops_the_import_naming_it(tmp_path, change, message):
    text = DEFINITIONS_FILE.read_text(encoding="utf-8")
    old, new = change
    assert old in text
    broken = tmp_path / "indicators.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(IndicatorFileError, match=message):
        read_definitions(broken)


def test_the_file_as_shipped_reads_to_the_definitions_the_app_uses():
    assert read_definitions() == INDICATORS
