"""Choropleth of the districts by one indicator, and the map of a structural-change zone, as arguments of the
atlas map (views/atlas_map.py: `districts`, drawn by static/atlas_map/atlas_layers.js on the districts of
the base data file) with their legend.

Classes follow the indicator (`IndicatorDefinition.classes`): quantiles with rounded breaks for
population, area and densities; a class per value for the few discrete aid ceilings; 0 / 1 / 2 / 3–4 /
5+ for site counts; one class per category otherwise. Colours are colour-blind-safe: a viridis ramp
(light = low, dark = high) for numbers and Okabe–Ito colours for categories. A district whose regional
aid nobody verified (on a ceiling map also a C area whose ceiling no source states) is drawn hatched grey, a
class of its own with its own legend entry, never as zero.

Every text from data is escaped here before it reaches the legend; names and values reach the map's
tooltips as text (the map sets them with textContent).
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from geo.core.formatting import format_number
from geo.core.palette import OKABE_ITO, ZONE_TYPE_COLORS
from geo.core.schema import AID_AREA_PARTLY_C, AID_AREAS_WITH_CEILINGS
from geo.indicators import (
    AID_CEILING_KEYS,
    NO_ZONE,
    NOT_VERIFIED,
    IndicatorDefinition,
    district_labels,
    format_value,
    zone_name,
)
from geo.maps.symbols import unverified_swatch_image
from geo.texts import t

# viridis sampled at nine steps, light to dark (colour-blind-safe, readable in greyscale)
VIRIDIS = ("#fde725", "#addc30", "#5ec962", "#28ae80", "#21918c", "#2c728e", "#3b528b", "#472d7b", "#440154")
ZERO_COLOR = "#f4f4f4"
MISSING_COLOR = "#bdbdbd"
CATEGORY_COLORS = {
    # D areas: the same reddish purple on every aid map, far from the viridis ramp of the C ceilings
    "aid_area": {"C": OKABE_ITO["blue"], AID_AREA_PARTLY_C: OKABE_ITO["sky"], "D": OKABE_ITO["purple"]},
    "coal_region": {
        "lausitz": OKABE_ITO["vermillion"],
        "mitteldeutsch": OKABE_ITO["blue"],
        "altenburg": OKABE_ITO["green"],
        NO_ZONE: ZERO_COLOR,
    },
    "jtf_area": {"in": OKABE_ITO["green"], NO_ZONE: ZERO_COLOR},
    "aid_confidence": {"high": VIRIDIS[7], "medium-high": VIRIDIS[4], "medium": VIRIDIS[1]},
}
COUNT_BREAKS = (1, 2, 3, 5, 10, 20)
QUANTILE_CLASSES = 5
BORDER_COLOR = "#4d4d4d"


@dataclass(frozen=True)
class MapClass:
    """One legend entry: its label and how districts of the class are filled."""

    label: str
    color: str
    hatched: bool = False


@dataclass(frozen=True)
class Classification:
    classes: tuple[MapClass, ...]
    class_of: tuple[int, ...]  # index into `classes`, one per input value, in input order


def ramp(count: int) -> list[str]:
    """`count` colours of the viridis ramp, light to dark, as far apart as possible."""
    if count <= 0:
        return []
    if count == 1:
        return [VIRIDIS[4]]
    return [VIRIDIS[round(step)] for step in np.linspace(0, len(VIRIDIS) - 1, count)]


def nice_round(value: float, significant: int = 2) -> float:
    """`value` rounded to `significant` significant digits (92,135 -> 92,000; 0.437 -> 0.44)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = significant - 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)


def _decimals_of(breaks: Sequence[float], minimum: int) -> int:
    decimals = minimum
    for value in breaks:
        while decimals < 3 and abs(round(value, decimals) - value) > 1e-9:
            decimals += 1
    return decimals


def _range_classes(breaks: Sequence[float], colors: list[str], lang: str, decimals: int) -> list[MapClass]:
    """Classes "under b1", "b1 to under b2", …, "b_n and more"."""
    shown = [format_number(value, lang, decimals) for value in breaks]
    labels = [t("class_below", lang, upper=shown[0])]
    labels += [t("class_between", lang, lower=low, upper=high) for low, high in itertools.pairwise(shown)]
    labels.append(t("class_at_least", lang, lower=shown[-1]))
    return [MapClass(label, color) for label, color in zip(labels, colors, strict=True)]


def _quantile_breaks(values: np.ndarray, count: int) -> list[float]:
    raw = np.quantile(values, np.linspace(0, 1, count + 1)[1:-1])
    breaks = sorted({nice_round(float(value)) for value in raw})
    return [value for value in breaks if values.min() < value <= values.max()]


def _count_classes(maximum: int, lang: str) -> tuple[list[int], list[MapClass]]:
    """Classes 1, 2, 3–4, 5–9, … up to `maximum` (the fixed breaks of COUNT_BREAKS), so the same number
    of sites gets the same class on every program's map; the top class ends at `maximum`."""
    breaks = [value for value in COUNT_BREAKS[1:] if value <= maximum]
    labels = []
    for low, high in zip([COUNT_BREAKS[0], *breaks], [*breaks, maximum + 1], strict=True):
        upper = high - 1
        labels.append(
            format_number(low, lang)
            if upper == low
            else t("class_range", lang, lower=format_number(low, lang), upper=format_number(upper, lang))
        )
    return breaks, [MapClass(label, color) for label, color in zip(labels, ramp(len(labels)), strict=True)]


def _missing_class(group: str, definition: IndicatorDefinition, lang: str) -> MapClass:
    """The class of districts without a number: an aid ceiling not verified (hatched) or of a D area, a
    district figure no source gives (hatched, "no source": never a guess), or no value."""
    if group == NOT_VERIFIED:
        return MapClass(t("aid_not_verified", lang), MISSING_COLOR, hatched=True)
    if group == "D":
        return MapClass(t("aid_no_ceiling_d", lang), CATEGORY_COLORS["aid_area"]["D"])
    key = "no_source" if definition.from_figures else "no_value"
    return MapClass(t(key, lang), MISSING_COLOR, hatched=definition.from_figures)


def classify(
    definition: IndicatorDefinition, values: pd.Series, lang: str, aid_area: pd.Series | None = None
) -> Classification:
    """The classes of a choropleth of `values` and the class of each value (see the module docstring)."""
    values = values.reset_index(drop=True)
    aid = aid_area.reset_index(drop=True) if aid_area is not None else pd.Series([""] * len(values))
    classes: list[MapClass] = []
    class_of = [-1] * len(values)

    def add(entry: MapClass) -> int:
        classes.append(entry)
        return len(classes) - 1

    if definition.categorical:
        present = set(values.fillna("").astype(str))
        for category in definition.categories:
            if category.code not in present:
                continue
            hatched = category.code in (NOT_VERIFIED, "") and definition.key in ("aid_area", "aid_confidence")
            color = CATEGORY_COLORS.get(definition.key, {}).get(category.code, MISSING_COLOR)
            index = add(MapClass(category.label(lang), color, hatched))
            for position, value in enumerate(values.fillna("").astype(str)):
                if value == category.code:
                    class_of[position] = index
        return Classification(tuple(classes), tuple(class_of))

    numeric = pd.to_numeric(values, errors="coerce")
    known = numeric.dropna().to_numpy(dtype=float)
    if definition.classes == "values":
        distinct = sorted(set(known.tolist()))
        for value, color in zip(distinct, ramp(len(distinct)), strict=True):
            index = add(MapClass(format_value(definition, value, lang, with_unit=True), color))
            for position, number in enumerate(numeric):
                if number == value:
                    class_of[position] = index
    else:
        zero_class = definition.classes == "counts" or (len(known) and (known == 0).mean() >= 0.2)
        positive = known[known > 0] if zero_class else known
        if zero_class and (known == 0).any():
            index = add(MapClass(format_number(0, lang), ZERO_COLOR))
            for position, number in enumerate(numeric):
                if number == 0:
                    class_of[position] = index
        if len(positive):
            breaks: Sequence[float]
            if definition.classes == "counts":
                breaks, ranged = _count_classes(int(positive.max()), lang)
            else:
                breaks = _quantile_breaks(positive, QUANTILE_CLASSES)
                ranged = (
                    _range_classes(breaks, ramp(len(breaks) + 1), lang, _decimals_of(breaks, 0))
                    if breaks
                    else [MapClass(format_number(float(positive.min()), lang, definition.decimals), VIRIDIS[4])]
                )
            first = len(classes)
            classes.extend(ranged)
            for position, number in enumerate(numeric):
                if pd.notna(number) and (number > 0 or not zero_class):
                    class_of[position] = first + int(np.searchsorted(breaks, number, side="right"))
    # the districts without a number: an aid ceiling of a D area or of a district nobody verified
    missing = [position for position, number in enumerate(numeric) if pd.isna(number)]
    if missing:
        groups: dict[str, list[int]] = {}
        for position in missing:
            group = str(aid.iloc[position]) if definition.key in AID_CEILING_KEYS else ""
            if group in AID_AREAS_WITH_CEILINGS:  # a C area whose ceiling no source states
                group = NOT_VERIFIED
            groups.setdefault(group, []).append(position)
        for group, positions in sorted(groups.items(), key=lambda item: item[0] == NOT_VERIFIED):
            index = add(_missing_class(group, definition, lang))
            for position in positions:
                class_of[position] = index
    return Classification(tuple(classes), tuple(class_of))


# --- legend ------------------------------------------------------------------------------------------


def _swatch(entry: MapClass) -> str:
    if entry.hatched:
        return unverified_swatch_image()
    return f'<span class="sa-swatch" style="background:{entry.color}"></span>'


def legend_html(title: str, unit: str, classes: tuple[MapClass, ...], note: str = "") -> str:
    """The legend's HTML (styled by static/atlas_map/atlas_map.css); every text is escaped here."""
    rows = "".join(f"<li>{_swatch(entry)}<span>{html.escape(entry.label)}</span></li>" for entry in classes)
    unit_line = f'<div class="sa-classes-unit">{html.escape(unit)}</div>' if unit else ""
    note_line = f'<div class="sa-classes-note">{html.escape(note)}</div>' if note else ""
    return (
        f'<div role="group" class="sa-classes-box"><div class="sa-classes-title">{html.escape(title)}</div>'
        f'{unit_line}<ul class="sa-classes">{rows}</ul>{note_line}</div>'
    )


# --- maps: what the atlas map draws (views/atlas_map.py, argument `districts`) ----------------------


def district_choropleth(table: pd.DataFrame, definition: IndicatorDefinition, lang: str) -> tuple[dict, str]:
    """The districts coloured by `definition`'s classes: the map's `districts` argument (colour, name and
    formatted value per district, the unverified ones hatched, a click selects a district) and the legend."""
    columns = list(dict.fromkeys(["ags", definition.key, "aid_area"]))
    data = table[columns].reset_index(drop=True)
    classification = classify(definition, data[definition.key], lang, data["aid_area"])
    classes = [classification.classes[index] if index >= 0 else None for index in classification.class_of]
    spec = {
        "colours": {
            ags: entry.color if entry else MISSING_COLOR for ags, entry in zip(data["ags"], classes, strict=True)
        },
        "hatched": [ags for ags, entry in zip(data["ags"], classes, strict=True) if entry and entry.hatched],
        "names": district_labels(table, lang),
        "values": {
            ags: format_value(definition, value, lang, with_unit=True, aid_area=aid)
            for ags, value, aid in zip(data["ags"], data[definition.key], data["aid_area"], strict=True)
        },
        "value_label": definition.label(lang),
        "clickable": True,
        "zones": False,
        "border": BORDER_COLOR,
        "weight": 0.7,
        "opacity": 0.85,
        "missing": MISSING_COLOR,
    }
    title = f"{definition.name(lang)} ({definition.year_text(lang)})"
    note = t("legend_hatch_note", lang) if any(entry.hatched for entry in classification.classes) else ""
    return spec, legend_html(title, definition.unit(lang), classification.classes, note)


def zone_map(table: pd.DataFrame, zone: pd.Series | dict, members: list[str], lang: str) -> tuple[dict, str]:
    """A zone's districts in the colour of its type, the others light grey (the map's `districts`
    argument: name and population per district), and the legend. The zone's sites are the map's sites
    filtered by the zone (a site belongs to the zones of its district, as in geo.indicators)."""
    color = ZONE_TYPE_COLORS.get(zone["zone_type"], OKABE_ITO["blue"])
    spec = {
        "colours": dict.fromkeys(members, color),
        "others": {"fillColor": ZERO_COLOR, "fillOpacity": 0.6, "color": "#9e9e9e", "weight": 0.5},
        "names": district_labels(table, lang),
        "values": {
            ags: format_number(value, lang) for ags, value in zip(table["ags"], table["population"], strict=True)
        },
        "value_label": t("population_with_year", lang),
        "clickable": False,
        "zones": False,
        "border": BORDER_COLOR,
        "weight": 1.2,
        "opacity": 0.55,
    }
    swatches = (MapClass(zone_name(zone, lang), color), MapClass(t("outside_zone", lang), ZERO_COLOR))
    return spec, legend_html(t("zone_map_legend", lang), "", swatches)
