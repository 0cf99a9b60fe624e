"""folium map builders. Every text from data is escaped here before it reaches HTML."""

from __future__ import annotations

import html

import folium
import geopandas as gpd

from geo.texts import t
from geo.web_assets import localize

STATE_STYLE = {"color": "#1b2733", "weight": 2.2, "fill": False}
DISTRICT_STYLE = {"color": "#5f6f7f", "weight": 0.8, "fillColor": "#dfe7ee", "fillOpacity": 0.35}
FOUR_STATES_BOUNDS = [[50.17, 9.87], [53.56, 15.05]]


def base_map(height: str = "100%") -> folium.Map:
    """An empty map with no tile layer: the atlas's own boundaries orient it (DESIGN §4)."""
    folium_map = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, height=height,
                            zoom_snap=0.25)
    folium_map.fit_bounds(FOUR_STATES_BOUNDS)
    return folium_map


def district_overview_map(states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, lang: str) -> folium.Map:
    folium_map = base_map()
    folium.GeoJson(
        districts[["ags", "name", "geometry"]].assign(name=districts["name"].map(html.escape)),
        name=t("districts_layer", lang),
        style_function=lambda _feature: DISTRICT_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(folium_map)
    folium.GeoJson(
        states[["state_code", "geometry"]],
        name=t("states_layer", lang),
        style_function=lambda _feature: STATE_STYLE,
        interactive=False,
    ).add_to(folium_map)
    return localize(folium_map)
