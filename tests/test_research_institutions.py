"""The research-institutions layer: every row of the sources placed, and "within 30 km" of a point."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.sites.research import InstitutionsError, count_near, institutions_near, place_institutions

MUNICIPALITIES = gpd.GeoDataFrame(
    {"name": ["Halle (Saale)", "Magdeburg"], "state_code": ["ST", "ST"]},
    geometry=[shapely.box(11.9, 51.4, 12.1, 51.55), shapely.box(11.5, 52.05, 11.75, 52.2)],
    crs="EPSG:4326",
)
STATES = gpd.GeoDataFrame({"state_code": ["BE"]}, geometry=[shapely.box(13.1, 52.35, 13.75, 52.65)], crs="EPSG:4326")


def row(identifier, municipality, state="ST", precision="municipality", lat="", lon="", coord=""):
    return {
        "institution_id": identifier,
        "name": identifier.upper(),
        "short_name": identifier,
        "kind": "leibniz",
        "fields_de": "x",
        "fields_en": "x",
        "municipality": municipality,
        "state": state,
        "lat": lat,
        "lon": lon,
        "coord_source_url": coord,
        "precision": precision,
        "source_url": "https://example.org/list",
    }


def test_rows_are_placed_at_their_municipality_or_sourced_point():
    rows = pd.DataFrame(
        [
            row("iwh", "Halle (Saale)"),
            row("diw", "Berlin", state="BE"),
            row("x", "Magdeburg", precision="address", lat="52.14", lon="11.64", coord="https://example.org/coords"),
        ]
    )
    layer = place_institutions(rows, MUNICIPALITIES, STATES).set_index("institution_id")
    assert layer.loc["iwh", "geometry"].within(MUNICIPALITIES.geometry[0])
    assert layer.loc["diw", "geometry"].within(STATES.geometry[0])
    assert layer.loc["x", "geometry"].equals(shapely.Point(11.64, 52.14))


def test_unplaceable_rows_are_all_named():
    rows = pd.DataFrame([row("a", "Atlantis"), row("b", "Magdeburg", precision="address")])
    with pytest.raises(InstitutionsError) as caught:
        place_institutions(rows, MUNICIPALITIES, STATES)
    assert "'Atlantis' in ST matches 0 municipalities" in str(caught.value)
    assert "precision address needs lat, lon and coord_source_url" in str(caught.value)


def test_within_30_km_nearest_first():
    layer = place_institutions(
        pd.DataFrame([row("halle", "Halle (Saale)"), row("md", "Magdeburg")]), MUNICIPALITIES, STATES
    )
    # a point 10 km from Halle's point and about 80 km from Magdeburg's
    halle = layer.set_index("institution_id").loc["halle", "geometry"]
    near = institutions_near(shapely.Point(halle.x + 0.144, halle.y), layer)
    assert list(near["institution_id"]) == ["halle"] and near.loc[0, "distance_km"] == pytest.approx(10.0, abs=0.3)
    assert count_near(gpd.GeoSeries([halle, None], crs="EPSG:4326"), layer) == [1, 0]
    assert institutions_near(None, layer).empty


def test_the_bundled_sources_are_well_formed():
    from geo.core.paths import SOURCES_DIR

    rows = pd.read_csv(SOURCES_DIR / "research_institutions.csv", dtype=str, keep_default_na=False)
    assert len(rows) >= 100 and rows["institution_id"].is_unique
    assert set(rows["precision"]) == {"municipality"}  # no page read stated coordinates: none typed
    assert rows["source_url"].str.startswith("https://").all()
