"""The reference build's steps on small fixtures (no npm, no network)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from geo.build import reference as build_reference
from geo.build.reference import BuildError


def district_fixture() -> gpd.GeoDataFrame:
    """Three districts in Thüringen side by side, Eisenach between the Wartburgkreis and Gotha."""
    return gpd.GeoDataFrame(
        {
            "AGS": ["16056", "16063", "16067"],
            "GEN": ["Eisenach", "Wartburgkreis", "Gotha"],
            "BEZ": ["Kreisfreie Stadt", "Landkreis", "Landkreis"],
        },
        geometry=[box(10.2, 50.9, 10.4, 51.0), box(10.0, 50.9, 10.2, 51.0), box(10.4, 50.9, 10.7, 51.0)],
        crs="EPSG:4326",
    )


def stats_fixture(drop: str | None = None) -> pd.DataFrame:
    stats = pd.DataFrame(
        {
            "ags": ["16056", "16063", "16067"],
            "nuts3": ["DEG0N", "DEG0F", "DEG0D"],
            "stats_kind": ["Kreisfreie Stadt", "Kreis", "Kreis"],
            "population": [42370, 123025, 135452],
            "area_km2": [104.17, 1307.44, 936.07],
        }
    )
    return stats[stats["ags"] != drop]


def test_merger_dissolves_and_sums(monkeypatch):
    monkeypatch.setattr(build_reference, "EXPECTED_DISTRICTS", 2)
    districts = build_reference.merged_districts(district_fixture(), stats_fixture())
    assert list(districts["ags"]) == ["16063", "16067"]
    wartburgkreis = districts.iloc[0]
    assert wartburgkreis["population"] == 42370 + 123025
    assert wartburgkreis["area_km2"] == pytest.approx(104.17 + 1307.44)
    assert (
        wartburgkreis.geometry.equals(box(10.0, 50.9, 10.4, 51.0).normalize())
        or wartburgkreis.geometry.symmetric_difference(box(10.0, 50.9, 10.4, 51.0)).area < 1e-12
    )
    assert wartburgkreis["density"] == round((42370 + 123025) / (104.17 + 1307.44), 1)


def test_missing_statistics_fail_loudly(monkeypatch):
    monkeypatch.setattr(build_reference, "EXPECTED_DISTRICTS", 2)
    with pytest.raises(BuildError, match="16067 Gotha"):
        build_reference.merged_districts(district_fixture(), stats_fixture(drop="16067"))


def test_unexpected_district_count_fails():
    with pytest.raises(BuildError, match="Expected 67 districts"):
        build_reference.merged_districts(district_fixture(), stats_fixture())


def test_regional_aid_not_verified_is_kept(monkeypatch):
    monkeypatch.setattr(build_reference, "EXPECTED_DISTRICTS", 2)
    districts = build_reference.merged_districts(district_fixture(), stats_fixture())
    aid = pd.DataFrame(
        {
            "ags": ["16063"],
            "aid_area": ["C"],
            "eu_ceiling_large_pct": ["15"],
            "eu_ceiling_medium_pct": ["25"],
            "eu_ceiling_small_pct": ["35"],
            "confidence": ["medium"],
            "source_url": ["https://example.org/aid"],
            "note": [""],
            "note_de": [""],
            "valid_from": ["2022-01-01"],
        }
    )
    joined = build_reference.join_regional_aid(districts, aid).set_index("ags")
    assert joined.loc["16063", "aid_area"] == "C"
    assert joined.loc["16063", "aid_max_large_pct"] == 15
    assert joined.loc["16067", "aid_area"] == "not verified"
    assert pd.isna(joined.loc["16067", "aid_max_large_pct"])


def _aid_row(
    ags: str, area: str, large: str = "", source: str = "https://example.org/aid", note: str = "", note_de: str = ""
) -> dict[str, str]:
    ceilings = (large, str(int(large) + 10), str(int(large) + 20)) if large else ("", "", "")
    return {
        "ags": ags,
        "aid_area": area,
        "eu_ceiling_large_pct": ceilings[0],
        "eu_ceiling_medium_pct": ceilings[1],
        "eu_ceiling_small_pct": ceilings[2],
        "confidence": "medium",
        "source_url": source,
        "note": note,
        "note_de": note_de,
        "valid_from": "2022-01-01",
    }


def test_regional_aid_partly_c_keeps_the_c_parts_ceilings(monkeypatch):
    """A district split into C and D areas is its own class, 'partly C', with the C part's ceilings."""
    monkeypatch.setattr(build_reference, "EXPECTED_DISTRICTS", 2)
    districts = build_reference.merged_districts(district_fixture(), stats_fixture())
    aid = pd.DataFrame([_aid_row("16063", "partly C", "15"), _aid_row("16067", "D")])
    joined = build_reference.join_regional_aid(districts, aid).set_index("ags")
    assert joined.loc["16063", "aid_area"] == "partly C"
    assert joined.loc["16063", "aid_max_small_pct"] == 35
    assert joined.loc["16067", "aid_area"] == "D"
    assert pd.isna(joined.loc["16067", "aid_max_large_pct"])


@pytest.mark.parametrize(
    "row, message",
    [
        (_aid_row("16063", "C/D"), "Unknown regional aid area types"),
        (_aid_row("16063", "D", "15"), "carries an aid rate"),
        (_aid_row("16063", "not verified", "15"), "carries an aid rate"),
        (_aid_row("16063", "C", "15", source=""), "without an http"),
        (_aid_row("16063", "C", "15", note="the state-wide rate"), "without a German wording"),
    ],
)
def test_regional_aid_rows_the_build_refuses(monkeypatch, row, message):
    monkeypatch.setattr(build_reference, "EXPECTED_DISTRICTS", 2)
    districts = build_reference.merged_districts(district_fixture(), stats_fixture())
    with pytest.raises(BuildError, match=message):
        build_reference.join_regional_aid(districts, pd.DataFrame([row]))


def test_zones_dissolve_member_districts(monkeypatch):
    monkeypatch.setattr(build_reference, "EXPECTED_DISTRICTS", 2)
    districts = build_reference.merged_districts(district_fixture(), stats_fixture())
    rows = pd.DataFrame(
        {
            "zone_id": ["z", "z"],
            "zone_name_de": ["Zone", "Zone"],
            "zone_name_en": ["Zone", "Zone"],
            "zone_type": ["jtf", "jtf"],
            "legal_basis": ["x", "x"],
            "source_url": ["https://a", "https://a"],
            "ags": ["16063", "16067"],
        }
    )
    zones, members = build_reference.build_zones(districts, rows)
    assert len(zones) == 1 and len(members) == 2
    assert zones.geometry.iloc[0].area == pytest.approx(box(10.0, 50.9, 10.7, 51.0).area)
    with pytest.raises(BuildError, match="unknown district"):
        build_reference.build_zones(districts, rows.assign(ags=["16063", "99999"]))


def test_coverage_simplification_keeps_shared_borders():
    wiggly = shapely.Polygon(
        [(10.0, 50.0), (10.5, 50.0)]
        + [(10.5 + (0.001 if i % 2 else 0), 50.0 + i * 0.01) for i in range(1, 100)]
        + [(10.5, 51.0), (10.0, 51.0)]
    )
    right = shapely.Polygon(
        [(10.5, 50.0), (11.0, 50.0), (11.0, 51.0), (10.5, 51.0)]
        + [(10.5 + (0.001 if i % 2 else 0), 50.0 + i * 0.01) for i in range(99, 0, -1)]
    )
    frame = gpd.GeoDataFrame({"ags": ["a", "b"]}, geometry=[wiggly, right], crs="EPSG:4326")
    assert shapely.coverage_is_valid(frame.geometry.values)
    simplified = build_reference.simplified_coverage(frame, 500.0, 5)
    assert shapely.coverage_is_valid(simplified.geometry.values)
    assert (
        shapely.get_num_coordinates(simplified.geometry.values).sum()
        < shapely.get_num_coordinates(frame.geometry.values).sum()
    )


@pytest.mark.slow
def test_build_is_deterministic(tmp_path, npm_build_sources):
    """Two builds from the same inputs give the same rows and geometries (reads the npm build sources)."""
    first = build_reference.build_reference(tmp_path / "a.gpkg", log=lambda *_: None)
    second = build_reference.build_reference(tmp_path / "b.gpkg", log=lambda *_: None)
    import pyogrio

    for layer, _ in pyogrio.list_layers(first):
        a = pyogrio.read_dataframe(first, layer=layer)
        b = pyogrio.read_dataframe(second, layer=layer)
        pd.testing.assert_frame_equal(
            pd.DataFrame(a.drop(columns="geometry", errors="ignore")),
            pd.DataFrame(b.drop(columns="geometry", errors="ignore")),
        )
        if "geometry" in a:
            assert all(x.equals_exact(y, 0) for x, y in zip(a.geometry, b.geometry, strict=True)), layer
