"""The atlas map's data files and browser filter (no browser): columns, coordinates, search texts, files."""

from __future__ import annotations

import gzip
import json
import os
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.core.paths import SITES_GPKG
from geo.maps import payload as map_payload
from geo.maps.codec import decode_ring
from geo.maps.payload import (
    BROWSER_FIELDS,
    FILTER_FIELDS,
    base_payload,
    browser_filter_spec,
    payload_url,
    sites_payload,
    write_payload,
)
from geo.maps.towns import town_labels
from geo.sites.filters import SiteFilter, search_text
from geo.store import read_sites_for_app
from geo.store.reference import read_layer, read_table


@lru_cache(maxsize=1)
def bundled_sites() -> gpd.GeoDataFrame:
    if not SITES_GPKG.exists():
        pytest.skip("data/sites.gpkg is missing (python -m geo build)")
    return read_sites_for_app()


def decoded_column(payload: dict, name: str) -> list:
    raw, kind = payload["columns"][name], payload["fields"][name]
    if kind == "code":
        return [raw["values"][index] for index in raw["index"]]
    if kind == "codes":
        return [[raw["values"][index] for index in indices] for indices in raw["index"]]
    return raw


def test_every_declared_field_is_a_column_in_site_order():
    sites = bundled_sites()
    payload = sites_payload(sites, read_table("zone_districts"))
    assert payload["count"] == len(sites)
    assert set(payload["columns"]) == {field.name for field in BROWSER_FIELDS}
    assert decoded_column(payload, "site_id") == list(sites["site_id"])
    assert decoded_column(payload, "program") == list(sites["program"])
    first = sites.iloc[0]
    assert payload["lat"][0] / payload["coordinate_factor"] == pytest.approx(first.geometry.y, abs=1e-5)
    assert payload["lon"][0] / payload["coordinate_factor"] == pytest.approx(first.geometry.x, abs=1e-5)


def test_every_filter_reads_a_declared_field():
    fields = {field.name for field in BROWSER_FIELDS}
    assert {criterion.field for criterion in FILTER_FIELDS} <= fields
    assert {criterion.kind for criterion in FILTER_FIELDS} <= {"any_of", "at_least", "at_most"}


def test_filter_spec_is_small_and_folds_the_query():
    spec = browser_filter_spec(SiteFilter(states=("SN", "ST"), programs=("kreativort",), query="  Görlitz Straße "))
    assert spec == {
        "any_of": {"state_code": ["SN", "ST"], "program": ["kreativort"]},
        "at_least": {},
        "at_most": {},
        "q": "gorlitz strasse",
    }
    assert browser_filter_spec(SiteFilter()) == {"any_of": {}, "at_least": {}, "at_most": {}, "q": ""}


def test_search_texts_hold_what_the_server_searches():
    sites = bundled_sites()
    payload = sites_payload(sites, read_table("zone_districts"))
    long_texts = [payload["search_long"]["values"][index] for index in payload["search_long"]["index"]]
    joined = [f"{short} {long}".split() for short, long in zip(payload["search_short"], long_texts, strict=True)]
    assert joined == [text.split() for text in search_text(sites)]


def test_missing_fact_fields_travel_as_empty_values():
    frame = gpd.GeoDataFrame(
        pd.DataFrame(
            {
                "site_id": ["a"],
                "name": ["A"],
                "program": ["kreativort"],
                "state_code": ["SN"],
                "district_ags": ["14626"],
                "municipality": [None],
                "locality": [""],
                "themes": [None],
            }
        ),
        geometry=[Point(14.9, 51.1)],
        crs=4326,
    )
    payload = sites_payload(frame, pd.DataFrame({"zone_id": ["lausitz"], "ags": ["14626"]}))
    assert decoded_column(payload, "zones") == [["lausitz"]]
    assert decoded_column(payload, "themes") == [[]]
    assert decoded_column(payload, "municipality") == [""]


def test_base_layers_decode_and_name_each_districts_zones():
    states, districts = read_layer("states_web"), read_layer("districts_web")
    towns = town_labels(states, districts)
    payload = base_payload(states, districts, read_layer("zones_web"), read_table("zone_districts"), towns)
    assert len(payload["districts"]) == len(districts) and len(payload["states"]) == 4
    ring = decode_ring(payload["states"][0]["p"][0][0])
    assert len(ring) > 10 and all(50 < lat < 54 and 9 < lon < 16 for lat, lon in ring)
    zone_members = read_table("zone_districts")
    lausitz = set(zone_members.loc[zone_members["zone_id"] == "lausitz", "ags"])
    assert {d["ags"] for d in payload["districts"] if "lausitz" in d["zones"]} == lausitz
    assert any(town[2] == "Berlin" for town in payload["towns"])


def test_files_are_gzip_json_written_once_under_a_content_token(tmp_path):
    token = write_payload({"format": 1, "text": "Görlitz"}, "sites", folder=tmp_path)
    path = tmp_path / token / "sites.json.gz"
    assert json.loads(gzip.decompress(path.read_bytes())) == {"format": 1, "text": "Görlitz"}
    inode = path.stat().st_ino
    os.utime(path, (1_000_000_000, 1_000_000_000))
    assert write_payload({"format": 1, "text": "Görlitz"}, "sites", folder=tmp_path) == token
    assert path.stat().st_ino == inode  # the same data: never rewritten ...
    assert path.stat().st_mtime > 1_000_000_000  # ... but marked as used (see prune_payloads)
    assert write_payload({"format": 1, "text": "other"}, "sites", folder=tmp_path) != token
    assert path.stat().st_mode & 0o044 == 0o044  # readable by the server whoever runs it
    assert list(tmp_path.glob("**/*.tmp")) == []
    assert payload_url(token, "sites") == f"/{map_payload.STATIC_URL_PATH}/{token}/sites.json.gz"
    assert payload_url(token, "sites", "/atlas/").startswith("/atlas/app/static/data/")


def test_ten_thousand_sites_stay_small(tmp_path):
    sites = bundled_sites()
    many = pd.concat([sites] * 104, ignore_index=True).iloc[:10_000].copy()
    many["site_id"] = [f"synthetic-{index:05d}" for index in range(len(many))]
    many["name"] = [f"Synthetischer Standort {index:05d}" for index in range(len(many))]
    payload = sites_payload(gpd.GeoDataFrame(many, geometry="geometry", crs=sites.crs), read_table("zone_districts"))
    token = write_payload(payload, "sites", folder=tmp_path)
    assert (tmp_path / token / "sites.json.gz").stat().st_size < 600_000


def test_data_files_of_superseded_versions_go_after_a_short_grace(tmp_path, monkeypatch):
    now = 2_000_000_000
    current = write_payload({"format": 1, "text": "current"}, "sites", folder=tmp_path)
    base = write_payload({"format": 1, "text": "base"}, "base", folder=tmp_path)
    withdrawn = write_payload({"format": 1, "text": "a site withdrawn since"}, "sites", folder=tmp_path)
    recent = write_payload({"format": 1, "text": "current until a minute ago"}, "sites", folder=tmp_path)
    for token, age in ((current, 30 * 86_400), (base, 400 * 86_400), (withdrawn, 6 * 60), (recent, 60)):
        for path in (tmp_path / token).iterdir():
            os.utime(path, (now - age, now - age))
    (tmp_path / "stray-file.txt").write_text("not a data folder")
    monkeypatch.setattr(map_payload, "_last_kept", {})
    # a server that serves `current` and `base` marks them as used and removes what nobody used for 5 minutes
    assert map_payload.keep_only({current, base}, folder=tmp_path, now=now) == [withdrawn]
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([current, base, recent, "stray-file.txt"])
    assert (tmp_path / current / "sites.json.gz").stat().st_mtime == now
    # at most once a minute: the page runs in between cost nothing (and mark nothing)
    assert map_payload.keep_only({current, base}, folder=tmp_path, now=now + 30) == []
    assert (tmp_path / current / "sites.json.gz").stat().st_mtime == now
    # once the grace has passed for the version superseded a minute before, it goes too
    assert map_payload.keep_only({current, base}, folder=tmp_path, now=now + 241) == [recent]
    # two servers on one folder: one still on the older version (its database is down) keeps that version's
    # files alive while it serves them; the other, on the new version, leaves them
    newer = write_payload({"format": 1, "text": "after the next import"}, "sites", folder=tmp_path)
    os.utime(tmp_path / newer / "sites.json.gz", (now + 241, now + 241))  # written then
    for minute in range(5, 20):
        for served in ({current, base}, {newer, base}):  # each server is a process of its own
            monkeypatch.setattr(map_payload, "_last_kept", {})
            assert map_payload.keep_only(served, folder=tmp_path, now=now + minute * 60) == []
    assert map_payload.prune_payloads({current, base}, folder=tmp_path / "missing", now=now) == []


@pytest.mark.parametrize(
    ("lang", "zoom_in", "zoom_out"), [("de", "Vergrößern", "Verkleinern"), ("en", "Zoom in", "Zoom out")]
)
def test_the_maps_zoom_buttons_are_named_in_the_pages_language(lang, zoom_in, zoom_out):
    texts = map_payload.language_args(lang, None)["texts"]
    assert (texts["zoom_in"], texts["zoom_out"]) == (zoom_in, zoom_out)
