"""Colours shared by the maps and the charts, so a category looks the same on a map and in a figure."""

from __future__ import annotations

# Okabe–Ito (2008): colour-blind-safe colours for categories.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
# The types of structural-change zone, on the zone maps and in the charts.
ZONE_TYPE_COLORS = {
    "coal_region": OKABE_ITO["vermillion"],
    "coal_aid_area": OKABE_ITO["orange"],
    "jtf": OKABE_ITO["blue"],
}
