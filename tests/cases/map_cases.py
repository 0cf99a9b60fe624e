"""Shared cases of the map's browser code and the Python rules (tests/cases/map_cases.json).

The file holds small synthetic sites, filters as URL parameters with the site ids each must select
(written by hand: the truth both sides are held to), texts with their search folding, and polylines with
their points. `python -m tests.cases.map_cases` fills in what the browser reads and Python writes (the
sites payload, each filter's browser spec, the encoded lines), so the Node tests (tests/js/) get exactly
what the app sends; tests/test_map_cases.py checks that those parts are current and that Python selects
the same sites.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

CASES_FILE = Path(__file__).with_name("map_cases.json")


def load() -> dict:
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))


def sites_frame(cases: dict) -> gpd.GeoDataFrame:
    rows = pd.DataFrame(cases["sites"])
    for column in ("area_available_ha", "price_eur_m2_max"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce").astype("float64")
    return gpd.GeoDataFrame(
        rows.drop(columns=["lat", "lon"]), geometry=gpd.points_from_xy(rows["lon"], rows["lat"]), crs="EPSG:4326"
    )


def zone_districts(cases: dict) -> pd.DataFrame:
    return pd.DataFrame(cases["zone_districts"], columns=["zone_id", "ags"])


def vocabulary(cases: dict):
    from geo.sites.filters import Vocabulary

    return Vocabulary(**{name: tuple(values) for name, values in cases["vocabulary"].items()})


def site_filter(cases: dict, params: dict):
    from geo.sites.filters import parse_filter_params

    return parse_filter_params(params, vocabulary(cases)).site_filter


def derived(cases: dict) -> dict:
    """The parts of the file that Python makes: payload, specs, folded texts' inputs stay as written."""
    from geo.maps.codec import encode_ring
    from geo.maps.payload import browser_filter_spec, sites_payload

    return {
        "payload": json.loads(json.dumps(sites_payload(sites_frame(cases), zone_districts(cases)))),
        "specs": [browser_filter_spec(site_filter(cases, case["params"])) for case in cases["filters"]],
        "encoded": [encode_ring([tuple(point) for point in line["points"]]) for line in cases["polylines"]],
    }


def main() -> None:
    cases = load()
    made = derived(cases)
    cases["payload"] = made["payload"]
    for case, spec in zip(cases["filters"], made["specs"], strict=True):
        case["spec"] = spec
    for line, encoded in zip(cases["polylines"], made["encoded"], strict=True):
        line["encoded"] = encoded
    CASES_FILE.write_text(json.dumps(cases, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
