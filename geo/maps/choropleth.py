"""Choropleth of the districts by one indicator, and the map of a structural-change zone (folium).

Classes follow the indicator (`IndicatorDefinition.classes`): quantiles with rounded breaks for
population, area and densities; a class per value for the few discrete aid ceilings; 0 / 1 / 2 / 3–4 /
5+ for site counts; one class per category otherwise. Colours are colour-blind-safe: a viridis ramp
(light = low, dark = high) for numbers and Okabe–Ito colours for categories. A district whose regional
aid nobody verified (on a ceiling map also a C area whose ceiling no source states) is drawn hatched grey, a
class of its own with its own legend entry, never as zero.

Every text from data is escaped here before it reaches the tooltip's innerHTML or the legend, and every
map passes through `geo.core.web_assets.localize`, so no resource comes from a CDN.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from geo.core.formatting import format_number
from geo.core.palette import OKABE_ITO, ZONE_TYPE_COLORS
from geo.core.schema import AID_AREA_PARTLY_C, AID_AREAS_WITH_CEILINGS
from geo.core.web_assets import localize
from geo.indicators import (
    AID_CEILING_KEYS,
    NO_ZONE,
    NOT_VERIFIED,
    IndicatorDefinition,
    district_labels,
    format_value,
    zone_name,
)
from geo.maps.builders import base_map
from geo.maps.codec import encode_polygons
from geo.maps.elements import EncodedPolygonLayer
from geo.maps.symbols import STATE_STYLE
from geo.texts import t

# viridis sampled at nine steps, light to dark (colour-blind-safe, readable in greyscale)
VIRIDIS = ("#fde725", "#addc30", "#5ec962", "#28ae80", "#21918c", "#2c728e", "#3b528b", "#472d7b", "#440154")
ZERO_COLOR = "#f4f4f4"
MISSING_COLOR = "#bdbdbd"
HATCH_ID = "standortatlas-hatch"
HATCH_FILL = f"url(#{HATCH_ID})"
HATCH_CSS = "repeating-linear-gradient(45deg,#f0f0f0 0 3px,#8c8c8c 3px 5px)"
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

    @property
    def fill(self) -> str:
        return HATCH_FILL if self.hatched else self.color


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


# --- legend and hatch pattern -----------------------------------------------------------------------


class MapLegend(MacroElement):
    """A Leaflet control holding the legend (already-escaped HTML) and the SVG hatch pattern."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function () {
            if (!document.getElementById({{ this.hatch_id|tojson }})) {
                document.body.insertAdjacentHTML("beforeend", {{ this.pattern_svg|tojson }});
            }
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "standortatlas-legend");
                div.innerHTML = {{ this.legend_html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, legend_html: str):
        super().__init__()
        self._name = "MapLegend"
        self.legend_html = legend_html
        self.hatch_id = HATCH_ID
        self.pattern_svg = (
            f'<svg aria-hidden="true" width="0" height="0" style="position:absolute"><defs>'
            f'<pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f0f0f0"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2.5"/></pattern></defs></svg>'
        )


def legend_html(title: str, unit: str, classes: tuple[MapClass, ...], note: str = "") -> str:
    """The legend's HTML; every text is escaped here."""
    rows = "".join(
        '<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
        f'<span style="display:inline-block;width:18px;height:12px;border:1px solid {BORDER_COLOR};'
        f'background:{HATCH_CSS if entry.hatched else entry.color}"></span>'
        f"<span>{html.escape(entry.label)}</span></div>"
        for entry in classes
    )
    unit_line = f'<div style="color:#444;margin-bottom:3px">{html.escape(unit)}</div>' if unit else ""
    note_line = f'<div style="color:#444;margin-top:3px;max-width:220px">{html.escape(note)}</div>' if note else ""
    return (
        '<div role="group" style="background:rgba(255,255,255,.94);padding:6px 8px;border-radius:4px;'
        'box-shadow:0 1px 4px rgba(0,0,0,.3);font:12px/1.35 sans-serif;color:#1b2733;max-width:240px">'
        f'<div style="font-weight:600">{html.escape(title)}</div>{unit_line}{rows}{note_line}</div>'
    )


# --- maps -------------------------------------------------------------------------------------------


def _states_outline(states_web: gpd.GeoDataFrame | None, folium_map: folium.Map, lang: str) -> None:
    """State borders for orientation, as the atlas map ships them (encoded, not interactive)."""
    if states_web is None:
        return
    items = [{"p": encode_polygons(geometry)} for geometry in states_web.geometry]
    EncodedPolygonLayer(items, STATE_STYLE, name=t("states_layer", lang)).add_to(folium_map)


def district_choropleth(
    districts_web: gpd.GeoDataFrame,
    table: pd.DataFrame,
    definition: IndicatorDefinition,
    lang: str,
    states_web: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The districts coloured by `definition`'s classes, one GeoJSON feature per district.

    Each feature carries `ags` (so a click can select the district), the escaped name and the formatted
    value for the hover tooltip.
    """
    columns = list(dict.fromkeys(["ags", definition.key, "aid_area"]))
    data = districts_web[["ags", "geometry"]].merge(table[columns], on="ags", how="left", validate="one_to_one")
    classification = classify(definition, data[definition.key], lang, data["aid_area"])
    labels = district_labels(table, lang)
    fills = [classification.classes[index].fill if index >= 0 else MISSING_COLOR for index in classification.class_of]
    features = gpd.GeoDataFrame(
        {
            "ags": data["ags"],
            "name": data["ags"].map(labels).map(html.escape),
            "value_text": [
                html.escape(format_value(definition, value, lang, with_unit=True, aid_area=aid))
                for value, aid in zip(data[definition.key], data["aid_area"], strict=True)
            ],
            "fill": fills,
        },
        geometry=data.geometry,
        crs=districts_web.crs,
    )
    folium_map = base_map(lang, t("choropleth_accessible_name", lang, indicator=definition.name(lang)))
    folium.GeoJson(
        features,
        name=html.escape(definition.name(lang)),
        style_function=lambda feature: {
            "fillColor": feature["properties"]["fill"],
            "fillOpacity": 0.85,
            "color": BORDER_COLOR,
            "weight": 0.7,
        },
        highlight_function=lambda _feature: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "value_text"],
            aliases=[html.escape(t("column_district", lang)), html.escape(definition.label(lang))],
            sticky=True,
        ),
    ).add_to(folium_map)
    _states_outline(states_web, folium_map, lang)
    title = f"{definition.name(lang)} ({definition.year_text(lang)})"
    note = t("legend_hatch_note", lang) if any(entry.hatched for entry in classification.classes) else ""
    folium_map.add_child(MapLegend(legend_html(title, definition.unit(lang), classification.classes, note)))
    return localize(folium_map)


def selection_layer(districts_web: gpd.GeoDataFrame, ags: str | None) -> folium.FeatureGroup:
    """A thick outline around the selected district, for st_folium's `feature_group_to_add`, so
    selecting a district does not rebuild or remount the cached choropleth. Not interactive: the
    choropleth keeps exactly one clickable shape per district."""
    group = folium.FeatureGroup(name="selection")
    selected = districts_web.loc[districts_web["ags"] == ags, ["ags", "geometry"]]
    if len(selected):
        folium.GeoJson(
            selected,
            interactive=False,
            style_function=lambda _feature: {"fill": False, "color": "#000000", "weight": 4},
        ).add_to(group)
    return group


def zone_map(
    districts_web: gpd.GeoDataFrame,
    table: pd.DataFrame,
    zone: pd.Series | dict,
    members: list[str],
    sites: gpd.GeoDataFrame,
    lang: str,
    states_web: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """All districts in light grey, the zone's districts in the colour of its type, its sites as dots."""
    color = ZONE_TYPE_COLORS.get(zone["zone_type"], OKABE_ITO["blue"])
    labels = district_labels(table, lang)
    data = districts_web[["ags", "geometry"]].merge(table[["ags", "population"]], on="ags", how="left")
    features = gpd.GeoDataFrame(
        {
            "ags": data["ags"],
            "name": data["ags"].map(labels).map(html.escape),
            "population": [html.escape(format_number(value, lang)) for value in data["population"]],
            "member": data["ags"].isin(members),
        },
        geometry=data.geometry,
        crs=districts_web.crs,
    )
    folium_map = base_map(lang, t("zone_map_accessible_name", lang, zone=zone_name(zone, lang)))
    folium.GeoJson(
        features,
        name=html.escape(t("districts_layer", lang)),
        style_function=lambda feature: (
            {"fillColor": color, "fillOpacity": 0.55, "color": BORDER_COLOR, "weight": 1.2}
            if feature["properties"]["member"]
            else {"fillColor": ZERO_COLOR, "fillOpacity": 0.6, "color": "#9e9e9e", "weight": 0.5}
        ),
        highlight_function=lambda _feature: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "population"],
            aliases=[html.escape(t("column_district", lang)), html.escape(t("population_with_year", lang))],
            sticky=True,
        ),
    ).add_to(folium_map)
    _states_outline(states_web, folium_map, lang)
    if len(sites):
        dots = folium.FeatureGroup(name=html.escape(t("sites_inside", lang)))
        for _, site in sites.iterrows():
            folium.CircleMarker(
                location=[site.geometry.y, site.geometry.x],
                radius=5,
                weight=1.5,
                color="#ffffff",
                fill=True,
                fill_color="#1b2733",
                fill_opacity=0.95,
                tooltip=html.escape(site["name"]),
            ).add_to(dots)
        dots.add_to(folium_map)
    member_shapes = districts_web.loc[districts_web["ags"].isin(members)]
    if len(member_shapes):
        west, south, east, north = member_shapes.total_bounds
        folium_map.fit_bounds([[south, west], [north, east]], padding=(20, 20))
    swatches = (MapClass(zone_name(zone, lang), color), MapClass(t("outside_zone", lang), ZERO_COLOR))
    folium_map.add_child(MapLegend(legend_html(t("zone_map_legend", lang), "", swatches)))
    return localize(folium_map)
