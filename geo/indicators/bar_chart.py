"""Horizontal bar charts written as HTML tables: one table per indicator, one row per bar.

Why not plotly for these: the comparisons they show are static (no zoom, no pan, nothing to hover that the
label does not say), and plotly's code (4.7 MB, loaded by the browser when a page shows its first plotly
chart) made the structural-change page take twice as long as the other pages to appear. A table with bars
arrives with the page, is read row by row by a screen reader (the name in its row heading, the figure in
its cell), wraps on a phone instead of shrinking its letters, and prints.

Every text is escaped here; numbers come through the project's formatter, in the page's language.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from geo.core.formatting import format_number
from geo.core.palette import OKABE_ITO, ZONE_TYPE_COLORS
from geo.indicators import indicator, zone_name
from geo.indicators.charts import label_decimals

HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
# Room for the figure written behind a bar: the longest bar takes the cell's width less this, so its figure
# stays on the screen at 390 px ("3,552,935" and a gap).
FIGURE_ROOM = "6.5rem"
# The look of a chart, with the elements it styles: a class per element, no style from the data except a
# bar's width and colour (numbers and palette colours, never text). Sent once per page before the charts.
BAR_CHART_CSS = (
    """<style>
.sa-bar-chart { width: 100%; border-collapse: collapse; margin: 0 0 1.25rem 0; font-size: 0.95rem; }
.sa-bar-chart caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.35rem 0; }
.sa-bar-chart th, .sa-bar-chart td { border: none; padding: 0.15rem 0.5rem 0.15rem 0; vertical-align: middle; }
.sa-bar-chart th[scope='row'] { font-weight: 400; text-align: left; width: 38%; overflow-wrap: anywhere; }
.sa-bar-chart tr.sa-bar-chosen th[scope='row'] { font-weight: 700; }
.sa-bar-chart tr.sa-bar-muted .sa-bar { opacity: 0.55; }
.sa-bar-chart td { display: flex; align-items: center; gap: 0.4rem; min-height: 1.6rem; }
.sa-bar { display: inline-block; height: 1.1rem; border-radius: 2px; flex: none;
  width: calc((100% - """
    + FIGURE_ROOM
    + """) * var(--share)); }
.sa-bar-chart tr.sa-bar-chosen .sa-bar { outline: 2.5px solid #1b2733; outline-offset: 0; }
.sa-bar-value { white-space: nowrap; font-variant-numeric: tabular-nums; }
@media (max-width: 640px) { .sa-bar-chart th[scope='row'] { width: 45%; } }
</style>"""
)


@dataclass(frozen=True)
class Bar:
    """One bar: what it stands for, its value, its colour (a palette colour) and how it is marked."""

    name: str
    value: float
    color: str
    chosen: bool = False  # outlined and bold: the page's subject
    muted: bool = False  # lighter: the others beside a chosen one (the mark does not rest on colour alone)


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def bar_chart_html(key: str, bars: Sequence[Bar], lang: str) -> str:
    """Indicator `key`'s bars as a table: its label (name, unit, year) as caption, a row per bar with the
    name as row heading (a screen reader names the row with each figure; the caption says what the figures
    are, so no header row repeats it) and the figure beside a bar whose length is the figure's share of the
    largest (`--share`, 0 to 1)."""
    definition = indicator(key)
    values = [_finite(bar.value) for bar in bars]
    known = [value for value in values if value is not None]
    decimals = label_decimals(known, definition.decimals)
    largest = max((abs(value) for value in known), default=0.0) or 1.0
    rows = []
    for bar, value in zip(bars, values, strict=True):
        share = 0.0 if value is None else round(abs(value) / largest, 4)
        color = bar.color if HEX_COLOR.fullmatch(bar.color) else OKABE_ITO["grey"]
        classes = " ".join(name for name, on in (("sa-bar-chosen", bar.chosen), ("sa-bar-muted", bar.muted)) if on)
        rows.append(
            f"<tr class='{classes}'><th scope='row'>{html.escape(bar.name)}</th>"
            f"<td><span class='sa-bar' aria-hidden='true' style='--share:{share};background:{color}'></span>"
            f"<span class='sa-bar-value'>{html.escape(format_number(value, lang, decimals))}</span></td></tr>"
        )
    return (
        f"<table class='sa-bar-chart'><caption>{html.escape(definition.label(lang))}</caption>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def bar_charts_html(charts: Sequence[tuple[str, Sequence[Bar]]], lang: str) -> str:
    """Several indicators' charts, one below the other, with their style."""
    return BAR_CHART_CSS + "".join(bar_chart_html(key, bars, lang) for key, bars in charts)


def zone_bars(zones: pd.DataFrame, key: str, lang: str, selected: str | None = None) -> list[Bar]:
    """The zones' bars of indicator `key`, coloured by zone type as on the map; the selected zone is
    outlined and the others lighter, except the union of all zones ("all"), the reference at the bottom."""
    highlight = selected is not None and selected in set(zones["zone_id"])
    return [
        Bar(
            name=zone_name(zone, lang),
            value=zone[key],
            color=ZONE_TYPE_COLORS.get(zone["zone_type"], OKABE_ITO["grey"]),
            chosen=highlight and zone["zone_id"] == selected,
            muted=highlight and zone["zone_id"] not in (selected, "all"),
        )
        for _, zone in zones.iterrows()
    ]
