"""Program completeness: the count a program publishes (data/sources/program_completeness.csv, checked)
against the count of sites the atlas has, which is counted from the data, never typed."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.core.schema import programs
from geo.indicators import completeness
from geo.indicators.completeness import ProgramClaimsError


def claim(count: str = "", qualifier: str = "exact", scope: str = "atlas", listed: str = "yes") -> dict[str, str]:
    return {"claimed_count": count, "count_qualifier": qualifier, "claim_scope": scope, "list_public": listed}


@pytest.mark.parametrize(
    ("shown", "given", "lang", "expected"),
    [
        (12, claim("12"), "de", "12 von 12 Orten, die die Quelle zählt (alle)"),
        (6, claim("12"), "en", "6 of 12 places that the source counts (about half)"),
        (9, claim("28", "at_least"), "de", "9 von mindestens 28 Orten, die die Quelle zählt (ein Teil)"),
        (3, claim("20", "more_than"), "en", "3 of more than 20 places that the source counts (a few)"),
        (
            1200,
            claim("4700", scope="germany"),
            "de",
            "1200 Orte in den vier Ländern; die Quelle zählt 4.700 in ganz Deutschland",
        ),
        (17, claim("15"), "de", "17 Orte – mehr als die 15, die die Quelle zählt (siehe Angabe der Quelle)"),
        (28, claim("28", "at_least"), "en", "28 places; the source counts at least 28"),
        (9, claim(""), "de", "9 Orte; die Quelle nennt keine Gesamtzahl"),
        (9, {}, "en", "9 places; the source gives no total"),
    ],
)
def test_completeness_in_plain_words(shown, given, lang, expected):
    assert completeness.completeness_sentence(shown, given, lang) == expected


def test_list_status_in_words():
    assert completeness.list_status_text(claim("40", listed="no"), "de") == "nicht erreichbar"
    assert (
        completeness.list_status_text(claim("28", listed="partial"), "en") == "only some of the places named publicly"
    )
    assert completeness.list_status_text({}, "de") == "–"


def test_the_committed_claims_are_checked_and_cover_every_program():
    table = completeness.read_program_claims()
    assert set(table["program"]) == set(programs())
    counted = table.loc[table["claimed_count"] != ""]
    assert counted["source_url"].str.startswith("https://").all()
    # where a program's list could not be read, the data page says so beside the program's own count
    unreachable = counted.loc[counted["list_public"] != "yes", "program"]
    assert {"kreativort_sachsen", "kreativort_mitteldeutschland", "industriestandort"} <= set(unreachable)


def test_a_bad_claims_file_is_refused_naming_row_column_and_value(tmp_path):
    table = completeness.read_program_claims()
    table.loc[0, "count_qualifier"] = "roughly"
    table.loc[1, "claimed_count"] = "about 50"
    table.loc[2, "as_of"] = "May 2025"
    table.loc[3, "source_url"] = ""
    path = tmp_path / "program_completeness.csv"
    table.to_csv(path, index=False)
    with pytest.raises(ProgramClaimsError) as refused:
        completeness.read_program_claims(path)
    message = str(refused.value)
    assert "row 2, count_qualifier = 'roughly'" in message
    assert "row 3, claimed_count = 'about 50'" in message
    assert "row 4, as_of = 'May 2025'" in message
    assert "row 5, source_url = ''" in message


def test_the_atlas_count_is_counted_from_the_sites_not_typed(sites):
    claims = completeness.read_program_claims()
    frame = completeness.program_completeness(sites, claims, "de").set_index("program")
    assert frame["shown"].sum() == len(sites)
    fewer = sites.loc[sites["program"] != "kreativort_sachsen"]
    smaller = completeness.program_completeness(fewer, claims, "en").set_index("program")
    assert smaller.loc["kreativort_sachsen", "shown"] == 0
    assert smaller.loc["kreativort_sachsen", "completeness"].startswith("0 of 40 places")
    assert smaller.loc["kreativort_sachsen", "list_public"] == "could not be reached"
    assert smaller.loc["kreativort_sachsen", "as_of"] == "20 May 2025"


def test_the_counts_are_formatted_by_language():
    assert completeness.claimed_count_text(claim("1200", "more_than"), "de") == "über 1.200"
    assert completeness.claimed_count_text(claim("1200", "at_least"), "en") == "at least 1,200"
    assert completeness.claimed_count_text(claim(""), "en") == ""
    table = pd.DataFrame(
        [
            {
                "program": "zukunftsort",
                **claim("12"),
                "as_of": "2024",
                "claim_de": "x",
                "claim_en": "y",
                "source_url": "https://example.org/",
            }
        ]
    )
    assert completeness.claim_problems(table) == []
