"""A dated figure on a reading page: a metric whose date and stale mark (geo.core.provenance) stand under
the value, in grey words with the sign, never in colour alone."""

from __future__ import annotations

from streamlit.delta_generator import DeltaGenerator

from geo.core.provenance import FigureAge


def dated_metric(
    container: DeltaGenerator, label: str, value: str, age: FigureAge | None, lang: str, help: str | None = None
) -> None:
    """`st.metric` with the figure's date ("Stand 31.12.2018 ⚠ älter als 12 Monate") as its delta line."""
    container.metric(
        label,
        value,
        delta=age.marked_note(lang) if age is not None else None,
        delta_color="off",
        delta_arrow="off",
        help=help,
    )
