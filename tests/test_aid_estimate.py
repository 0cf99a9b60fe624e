"""The aid estimator against hand-computed cases (data/sources/aid_rules.md)."""

from __future__ import annotations

import pytest

from geo.expose.aid_estimate import (
    REASON_NO_CEILING,
    REASON_NOT_VERIFIED,
    AidInputError,
    adjusted_base,
    estimate_aid,
)

MANSFELD_SUEDHARZ = {
    "ags": "15087",
    "name": "Mansfeld-Südharz",
    "aid_area": "C",
    "aid_max_large_pct": 20.0,
    "aid_max_medium_pct": 30.0,
    "aid_max_small_pct": 40.0,
    "aid_source_url": "https://example.org/aid",
}
CHEMNITZ = {
    "ags": "14511",
    "name": "Chemnitz",
    "aid_area": "not verified",
    "aid_max_large_pct": float("nan"),
    "aid_max_medium_pct": float("nan"),
    "aid_max_small_pct": float("nan"),
    "aid_source_url": "",
}
POTSDAM = {
    "ags": "12054",
    "name": "Potsdam",
    "aid_area": "D",
    "aid_max_large_pct": None,
    "aid_max_medium_pct": None,
    "aid_max_small_pct": None,
    "aid_source_url": "https://example.org/d",
}


@pytest.mark.parametrize(
    "size, expected_amount, expected_pct",
    [
        ("small", 4_000_000.0, 40.0),  # 10,000,000 × 40 %
        ("medium", 3_000_000.0, 30.0),  # 10,000,000 × 30 %
        ("large", 2_000_000.0, 20.0),  # 10,000,000 × 20 %
    ],
)
def test_each_firm_size_in_mansfeld_suedharz(size, expected_amount, expected_pct):
    result = estimate_aid(MANSFELD_SUEDHARZ, 10_000_000, size)
    assert result.amount == expected_amount
    assert result.ceiling_pct == expected_pct and result.effective_pct == pytest.approx(expected_pct)
    assert not result.large_project and result.reason == ""


def test_large_project_scaling_by_hand():
    # 150 M€, R = 20 %: 0.20 × (50 + 0.5 × 50 + 0 × 50) M€ = 15 M€, i.e. 10 % of the costs
    result = estimate_aid(MANSFELD_SUEDHARZ, 150_000_000, "large")
    assert result.large_project and result.amount == 15_000_000.0
    assert result.effective_pct == pytest.approx(10.0)


def test_large_project_of_a_small_firm_uses_the_large_firm_ceiling():
    # 80 M€: R = 20 % (no SME bonus), 0.20 × (50 + 0.5 × 30) M€ = 13 M€
    result = estimate_aid(MANSFELD_SUEDHARZ, 80_000_000, "small")
    assert result.ceiling_pct == 20.0 and result.amount == 13_000_000.0


def test_exactly_fifty_million_is_not_yet_large():
    assert estimate_aid(MANSFELD_SUEDHARZ, 50_000_000, "small").amount == 20_000_000.0


def test_tranches():
    assert adjusted_base(40e6) == 40e6
    assert adjusted_base(100e6) == 75e6
    assert adjusted_base(250e6) == 75e6


def test_not_verified_district_says_so_and_gives_no_number():
    result = estimate_aid(CHEMNITZ, 10_000_000, "small")
    assert result.amount is None and result.ceiling_pct is None and result.reason == REASON_NOT_VERIFIED


def test_district_without_a_sourced_ceiling_gives_no_number():
    result = estimate_aid(POTSDAM, 1_000_000, "small")
    assert result.amount is None and result.reason == REASON_NO_CEILING
    assert result.source_url == "https://example.org/d"


@pytest.mark.parametrize(
    "amount, size",
    [(0, "small"), (-5, "small"), ("viel", "small"), (float("nan"), "large"), (1e13, "large"), (1000, "huge")],
)
def test_bad_inputs_are_refused(amount, size):
    with pytest.raises(AidInputError):
        estimate_aid(MANSFELD_SUEDHARZ, amount, size)
