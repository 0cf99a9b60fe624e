"""Numbers an operator sets through environment variables (limits, ages, pool sizes): one reading rule.

Why one rule: a limit that a typo turns into an exception at start-up, or into zero, infinity or NaN, would
either stop the atlas or switch a protection off. So every such number is read here: unset, empty, not a
number or not finite → the default (with a warning naming the variable); below the smallest sensible value
→ that value.
"""

from __future__ import annotations

import logging
import math
import os

log = logging.getLogger(__name__)


def number_setting(name: str, default: float, *, minimum: float) -> float:
    """The number in environment variable `name`, at least `minimum`; `default` when it is unset or unusable."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        log.warning("%s=%r is not a finite number: using %s", name, text, default)
        return default
    return max(minimum, value)


def whole_number_setting(name: str, default: int, *, minimum: int) -> int:
    """Like number_setting, for counts (rows, versions, connections): a fraction is cut to a whole number."""
    return int(number_setting(name, default, minimum=minimum))
