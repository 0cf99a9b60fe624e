"""The maximum regional investment aid for an investment in a district: a pure calculation.

`estimate_aid(district, eligible_costs, size)` multiplies the district's EU ceiling for the firm size
(regional aid map 2022–2027, data/sources/regional_aid_reference.csv) by the eligible costs. Above
50 million euro of eligible costs the project is a *large investment project*, and the ceiling applies
to the adjusted aid amount of the Regional Aid Guidelines 2022 / GBER Art. 2(20):

    R × (A + 0.50 × B + 0 × C)

R = the area's ceiling for large firms (the SME bonus does not apply), A = the first 50 million euro,
B = the part between 50 and 100 million, C = the part above 100 million. A district that is "not
verified", or that has no sourced ceiling for the firm size (D areas, partly-C districts, C areas whose
rate no source states), gets no amount: `AidEstimate.amount` is None and `reason` says why.
The rules and their sources: data/sources/aid_rules.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.core.schema import AID_AREA_NOT_VERIFIED

FIRM_SIZES = ("small", "medium", "large")
LARGE_PROJECT_EUR = 50_000_000.0
SECOND_TRANCHE_EUR = 100_000_000.0
# the Guidelines' weights of the tranches A, B, C of a large investment project
TRANCHE_WEIGHTS = (1.0, 0.5, 0.0)
MAX_ELIGIBLE_EUR = 1e12  # anything larger is a typing error, not a project

REASON_NOT_VERIFIED = "not_verified"
REASON_NO_CEILING = "no_ceiling"
REASON_ZERO_CEILING = "zero_ceiling"


class AidInputError(ValueError):
    """The investment amount or the firm size cannot be used (message names which)."""


@dataclass(frozen=True)
class AidEstimate:
    """The result for one district, amount and firm size.

    amount: maximum aid in euro, or None when no sourced ceiling exists (see `reason`).
    ceiling_pct: the ceiling used (for a large project: the large-firm ceiling R).
    effective_pct: amount / eligible costs × 100 (below the ceiling for a large project).
    large_project: eligible costs above 50 million euro, so the scaling applied.
    """

    ags: str
    district: str
    size: str
    eligible_costs: float
    amount: float | None
    ceiling_pct: float | None
    effective_pct: float | None
    large_project: bool
    aid_area: str
    reason: str = ""
    source_url: str = ""


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def adjusted_base(eligible_costs: float) -> float:
    """A + 0.50 × B + 0 × C of the Regional Aid Guidelines 2022 (in euro)."""
    tranche_a = min(eligible_costs, LARGE_PROJECT_EUR)
    tranche_b = min(max(eligible_costs - LARGE_PROJECT_EUR, 0.0), SECOND_TRANCHE_EUR - LARGE_PROJECT_EUR)
    tranche_c = max(eligible_costs - SECOND_TRANCHE_EUR, 0.0)
    weight_a, weight_b, weight_c = TRANCHE_WEIGHTS
    return weight_a * tranche_a + weight_b * tranche_b + weight_c * tranche_c


def check_inputs(eligible_costs: object, size: str) -> float:
    """The eligible costs as a positive number; raises AidInputError for a bad amount or size."""
    if size not in FIRM_SIZES:
        raise AidInputError(f"size must be one of {', '.join(FIRM_SIZES)}, not {size!r}")
    amount = _number(eligible_costs)
    if amount is None or not math.isfinite(amount) or amount <= 0 or amount > MAX_ELIGIBLE_EUR:
        raise AidInputError(f"the eligible costs must be a positive amount in euro up to {MAX_ELIGIBLE_EUR:.0e}")
    return amount


def estimate_aid(district: dict, eligible_costs: object, size: str) -> AidEstimate:
    """Maximum regional aid for `eligible_costs` euro by a firm of `size` in `district`.

    `district` is a row of the districts layer (a dict or pandas Series) with ags, name, aid_area,
    aid_max_small_pct / aid_max_medium_pct / aid_max_large_pct and aid_source_url.
    """
    costs = check_inputs(eligible_costs, size)
    aid_area = str(district.get("aid_area") or AID_AREA_NOT_VERIFIED)
    large_project = costs > LARGE_PROJECT_EUR
    ceiling_key = "aid_max_large_pct" if large_project else f"aid_max_{size}_pct"
    ceiling = _number(district.get(ceiling_key))

    def result(amount: float | None, ceiling_pct: float | None, reason: str) -> AidEstimate:
        return AidEstimate(
            ags=str(district.get("ags", "")),
            district=str(district.get("name", "")),
            size=size,
            eligible_costs=costs,
            amount=amount,
            ceiling_pct=ceiling_pct,
            effective_pct=None if amount is None else amount / costs * 100.0,
            large_project=large_project,
            aid_area=aid_area,
            source_url=str(district.get("aid_source_url") or ""),
            reason=reason,
        )

    if aid_area == AID_AREA_NOT_VERIFIED:
        return result(None, None, REASON_NOT_VERIFIED)
    if ceiling is None:
        return result(None, None, REASON_NO_CEILING)
    base = adjusted_base(costs) if large_project else costs
    return result(round(ceiling / 100.0 * base, 2), ceiling, REASON_ZERO_CEILING if ceiling == 0 else "")
