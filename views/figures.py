"""Dated figures on a reading page: metrics whose stale mark (geo.sites.provenance) stands under the value in
grey words with the sign (never in colour alone), and the date of the row said once below it."""

from __future__ import annotations

from streamlit.delta_generator import DeltaGenerator

from geo.sites.provenance import FigureAge


def dated_metric(container: DeltaGenerator, label: str, value: str, age: FigureAge | None, lang: str) -> None:
    """`st.metric` with the figure's stale mark ("⚠ älter als 12 Monate") as its delta line and its date
    ("Stand 31.12.2018 …") in the tooltip; the page states the date below the row (`age_caption`)."""
    container.metric(
        label,
        value,
        delta=(age.stale_text(lang) or None) if age is not None else None,
        delta_color="off",
        delta_arrow="off",
        help=age.marked_note(lang) if age is not None else None,
    )
