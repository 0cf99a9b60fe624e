"""The open data API read by clients no one here wrote: GDAL's OGC API – Features driver (through pyogrio,
as QGIS reads it) and OWSLib's `Features` client (as a partner's Python script would)."""

from __future__ import annotations

import pyogrio
import pytest
from owslib.ogcapi.features import Features

from geo.core.paths import SITES_GPKG
from geo.store import read_facts, read_sites_for_app
from tests.api_server import running_api


@pytest.fixture(scope="module")
def api() -> str:
    with running_api() as url:
        yield url


@pytest.fixture(scope="module")
def bundled():
    sites = read_sites_for_app(SITES_GPKG)
    return sites, read_facts(SITES_GPKG, sites["site_id"])


def test_gdal_lists_the_collections(api):
    assert "OAPIF" in pyogrio.list_drivers()
    layers = {name: geometry for name, geometry in pyogrio.list_layers(f"OAPIF:{api}")}
    assert layers == {"sites": "Point", "districts": "MultiPolygon", "zones": "MultiPolygon"}


def test_gdal_reads_every_site_with_its_facts(api, bundled):
    sites, facts = bundled
    frame = pyogrio.read_dataframe(f"OAPIF:{api}", layer="sites")
    assert len(frame) == len(sites) > 0
    assert frame.crs.to_epsg() == 4326 or "CRS84" in frame.crs.to_string()
    assert sorted(frame["site_id"]) == sorted(sites["site_id"])
    by_id = frame.set_index("site_id")
    for row in facts[facts["field"] == "area_available_ha"].to_dict("records"):
        site = by_id.loc[row["site_id"]]
        assert site["area_available_ha"] == pytest.approx(float(row["value"]))
        assert str(site["area_available_ha_source_url"]) == row["source_url"]
        assert str(site["area_available_ha_as_of"]) == row["as_of"]
    # figures with decimals keep them (the columns are real numbers, not whole numbers)
    decimals = facts[(facts["field"] == "area_total_ha") & facts["value"].str.contains(r"[.,]")]
    for row in decimals.to_dict("records"):
        assert by_id.loc[row["site_id"], "area_total_ha"] == pytest.approx(float(row["value"].replace(",", ".")))


def test_gdal_filters_and_reads_polygons(api, bundled):
    sites, _ = bundled
    kreativorte = pyogrio.read_dataframe(f"OAPIF:{api}", layer="sites", where="program = 'kreativort'")
    assert sorted(kreativorte["site_id"]) == sorted(sites[sites["program"] == "kreativort"]["site_id"])
    inside = pyogrio.read_dataframe(f"OAPIF:{api}", layer="sites", bbox=(11.5, 50.9, 12.5, 51.6))
    assert 0 < len(inside) < len(sites)
    districts = pyogrio.read_dataframe(f"OAPIF:{api}", layer="districts")
    assert len(districts) == 67 and districts.geometry.is_valid.all()


def test_owslib_lists_collections_and_filters_by_program(api, bundled):
    sites, _ = bundled
    client = Features(api)
    assert [collection["id"] for collection in client.collections()["collections"]] == ["sites", "districts", "zones"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in client.conformance()["conformsTo"]
    answer = client.collection_items("sites", program="zukunftsort", limit=1000)
    expected = sorted(sites[sites["program"] == "zukunftsort"]["site_id"])
    assert sorted(feature["id"] for feature in answer["features"]) == expected
    assert answer["numberMatched"] == len(expected)
    several = client.collection_items("sites", program=["zukunftsort", "kreativort"], limit=1000)
    assert several["numberMatched"] == int(sites["program"].isin(["zukunftsort", "kreativort"]).sum())
    assert set(client.collection_queryables("sites")["properties"]) >= {"program", "state", "zone", "area_min"}
    item = client.collection_item("sites", "biopharmapark-dessau")
    assert item["properties"]["area_available_ha_as_of"] == "2025-03-17"
