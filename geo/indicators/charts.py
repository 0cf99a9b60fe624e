"""plotly figures of the regions page (the zones compared are a table with bars: geo.indicators.bar_chart).

Numbers follow the page's language on the axes and in hover texts (`layout.separators`: "1.234,5" in
German, "1,234.5" in English); names, units and years come from the indicator definitions. Colours are
the Okabe–Ito colours of the choropleth (geo.maps.choropleth), so a zone type or a category looks the same on
the map and in a chart. No figure references anything outside plotly's own bundle (no map tiles, no
web fonts), and Streamlit ships plotly.js itself, so a chart makes no third-party request.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from geo.core.formatting import decimal_mark, format_number, group_mark
from geo.core.palette import OKABE_ITO
from geo.indicators import indicator
from geo.texts import t

MEAN_WITH_DECIMAL = 100  # a mean per district below this keeps a decimal in a bar's label
FONT = {"family": "sans-serif", "size": 13, "color": "#1b2733"}
PROFILE_COLORS = {"district": OKABE_ITO["blue"], "state": OKABE_ITO["orange"], "four_states": OKABE_ITO["grey"]}
SERIES_COLORS = (OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"])
BAR_HEIGHT = 24
ROW_GAP = 64
# plotly's toolbar without the plotly logo; image export and everything else stay local
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def label_decimals(values: list[float], decimals: int, most: int = 2) -> int:
    """Decimals for bar labels: the indicator's own, more (up to `most`) while two bars of different
    length would carry the same label, e.g. a district's 3 sites against means of 2.6 and 2.4 per district."""
    finite = sorted({float(value) for value in values if value == value})
    while decimals < most and len({round(value, decimals) for value in finite}) < len(finite):
        decimals += 1
    return decimals


def apply_language(figure: go.Figure, lang: str) -> go.Figure:
    """Separators, font and a quiet layout for every figure of the app."""
    figure.update_layout(
        separators=decimal_mark(lang) + group_mark(lang),
        font=FONT,
        template="plotly_white",
        margin={"l": 10, "r": 30, "t": 40, "b": 10},
        showlegend=False,
        hoverlabel={"font": FONT},
    )
    figure.update_xaxes(tickformat=",~r", automargin=True)
    figure.update_yaxes(automargin=True)
    return figure


def _indicator_rows(keys: list[str], lang: str, bars_per_row: int) -> go.Figure:
    """One subplot row per indicator, titled with its name, unit and year; the height follows the number
    of bars, and the gap between rows stays the same in pixels whatever the figure's height."""
    row_height = BAR_HEIGHT * bars_per_row + 20
    height = (row_height + ROW_GAP) * len(keys) + 40
    titles = [html.escape(indicator(key).label(lang)) for key in keys]
    figure = make_subplots(
        rows=len(keys), cols=1, subplot_titles=titles, vertical_spacing=ROW_GAP / height if len(keys) > 1 else 0
    )
    figure.update_layout(height=height)
    return figure


def _add_bar_row(
    figure: go.Figure,
    row: int,
    names: list[str],
    values: list[float],
    colors: list[str],
    key: str,
    lang: str,
    line_widths: list[float] | None = None,
    opacities: list[float] | None = None,
    means: list[bool] | None = None,
) -> None:
    """One indicator's horizontal bars in subplot `row`, the value written beside each bar (in the
    language's number format) and room on the axis for it. A bar marked in `means` is an average per
    district: below MEAN_WITH_DECIMAL it keeps a decimal, so 1.4 sites per district do not read as "1"."""
    definition = indicator(key)
    decimals = label_decimals(values, definition.decimals)
    places = [
        max(decimals, 1) if mean and value == value and abs(value) < MEAN_WITH_DECIMAL else decimals
        for value, mean in zip(values, means or [False] * len(values), strict=True)
    ]
    labels = [format_number(value, lang, place) for value, place in zip(values, places, strict=True)]
    unit = html.escape(definition.unit(lang))
    figure.add_trace(
        go.Bar(
            y=[html.escape(name) for name in names],
            x=values,
            orientation="h",
            marker={
                "color": colors,
                "line": {"color": "#1b2733", "width": line_widths or 0},
                "opacity": opacities or 1,
            },
            text=labels,
            texttemplate="%{text}",
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{text}} {unit}<extra></extra>",
        ),
        row=row,
        col=1,
    )
    finite = [value for value in values if value == value]
    figure.update_xaxes(range=[0, (max(finite) if finite else 1) * 1.2 or 1], row=row, col=1)
    figure.update_yaxes(autorange="reversed", row=row, col=1)


def profile_chart(comparison: pd.DataFrame, district_name: str, state_code_name: str, lang: str) -> go.Figure:
    """A district's figures against its state and the four states: one row of three bars per indicator.

    `comparison` is `geo.indicators.profile_comparison`; the bar names say how a state is summarised
    (mean per district for counts and areas, overall for densities and rates).
    """
    keys = list(comparison["key"])
    figure = _indicator_rows(keys, lang, bars_per_row=3)
    for row_number, (_, row) in enumerate(comparison.iterrows(), start=1):
        basis = t("basis_overall" if row["comparison"] == "ratio" else "basis_mean_per_district", lang)
        names = [district_name, f"{state_code_name} ({basis})", f"{t('four_states', lang)} ({basis})"]
        values = [row["district"], row["state"], row["four_states"]]
        colors = [PROFILE_COLORS["district"], PROFILE_COLORS["state"], PROFILE_COLORS["four_states"]]
        mean = row["comparison"] != "ratio"
        _add_bar_row(figure, row_number, names, values, colors, row["key"], lang, means=[False, mean, mean])
    return apply_language(figure, lang)


def districts_chart(
    table: pd.DataFrame, ags_list: list[str], labels: dict[str, str], keys: list[str], lang: str
) -> go.Figure:
    """Up to four districts side by side: one row per indicator, one bar per district."""
    rows = table.set_index("ags").loc[list(ags_list)]
    figure = _indicator_rows(keys, lang, bars_per_row=len(rows))
    colors = [SERIES_COLORS[position % len(SERIES_COLORS)] for position in range(len(rows))]
    for row_number, key in enumerate(keys, start=1):
        names = [labels[ags] for ags in rows.index]
        _add_bar_row(figure, row_number, names, [float(value) for value in rows[key]], colors, key, lang)
    return apply_language(figure, lang)
