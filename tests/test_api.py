"""The open data API at /api (geo/api/): what it serves, how it filters, how it refuses bad input, caching,
CORS, the rate limit, and that an applied import shows at once. A real server answers (tests/api_server.py);
the conformance classes it declares are checked in test_api_conformance.py, outside clients in
test_api_clients.py."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyproj
import pytest
import requests

from geo import store
from geo.api.rate_limit import TokenBuckets
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.sites import filters as site_filters
from geo.sites.renames import read_renames, rename_map
from geo.store import read_facts, read_sites_for_app
from geo.store.reference import read_table
from tests.api_server import running_api


@pytest.fixture(scope="module")
def api() -> str:
    with running_api() as url:
        yield url


BUNDLED_SITES = len(read_sites_for_app(SITES_GPKG))


def get(url: str, **params) -> requests.Response:
    return requests.get(url, params=params, timeout=60)


def site_ids(response: requests.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [feature["id"] for feature in response.json()["features"]]


def atlas_selection(params: dict[str, list[str]]) -> list[str]:
    """The sites the atlas's own filter selects for these URL parameters."""
    from geo.api.data import filter_vocabulary

    sites = read_sites_for_app(SITES_GPKG)
    parsed = site_filters.parse_filter_params(params, filter_vocabulary())
    assert not parsed.problems
    return list(site_filters.filter_sites(sites, parsed.site_filter, read_table("zone_districts"))["site_id"])


# --- what it serves --------------------------------------------------------------------------------------


def test_all_sites_with_their_facts_dates_and_sources(api):
    sites = read_sites_for_app(SITES_GPKG)
    features = get(f"{api}/collections/sites/items", limit=1000).json()["features"]
    assert sorted(feature["id"] for feature in features) == sorted(sites["site_id"])
    facts = read_facts(SITES_GPKG, sites["site_id"])
    by_id = {feature["id"]: feature["properties"] for feature in features}
    checked = 0
    for row in facts.to_dict("records"):
        if row["field"] == "last_verified":
            continue
        properties = by_id[row["site_id"]]
        assert properties[f"{row['field']}_source_url"] == row["source_url"]
        assert properties[f"{row['field']}_as_of"] == (row["as_of"] or None)
        assert properties[f"{row['field']}_qualifier"] == (row["qualifier"] or None)
        checked += 1
    assert checked >= 40
    # "über 30 ha" in the source: the figure with its lower bound, not a bare 30
    piesteritz = by_id["agro-chemie-park-piesteritz"]
    assert piesteritz["area_available_ha"] == 30.0 and piesteritz["area_available_ha_qualifier"] == "at_least"
    dessau = by_id["biopharmapark-dessau"]
    assert dessau["area_available_ha"] == 25.0 and isinstance(dessau["area_available_ha"], float)
    # a site without a figure has the same keys, with null
    assert set(by_id["biopharmapark-dessau"]) == set(next(iter(by_id.values())))


def test_item_by_id_and_unknown_item(api):
    feature = get(f"{api}/collections/sites/items/biopharmapark-dessau").json()
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
    assert feature["properties"]["name"] == "BioPharmaPark Dessau"
    missing = get(f"{api}/collections/sites/items/no-such-site", lang="en")
    assert missing.status_code == 404 and "no-such-site" in missing.json()["description"]


def test_a_renamed_site_s_old_id_answers_with_the_site_under_its_id_of_today(api):
    renamed = rename_map(read_renames())
    old_id = "summer-of-pioneers-wittenberge-elblandwerker"
    assert renamed[old_id] == "elblandwerker-coworking-wittenberge"
    feature = get(f"{api}/collections/sites/items/{old_id}").json()
    assert feature["id"] == "elblandwerker-coworking-wittenberge"
    assert feature["properties"]["name"] == "elblandwerker* Coworking Wittenberge"


def test_districts_and_zones(api):
    districts = get(f"{api}/collections/districts/items", limit=100).json()
    assert districts["numberMatched"] == 67 and len(districts["features"]) == 67
    cottbus = get(f"{api}/collections/districts/items/12052").json()["properties"]
    assert cottbus["population"] == 100219 and cottbus["aid_area"] == "C"
    assert cottbus["aid_source_url"].startswith("https://") and cottbus["zones"]
    assert cottbus["population_source"].startswith("© Statistisches Bundesamt")
    saxony = get(f"{api}/collections/districts/items", state="SN").json()
    assert {feature["properties"]["state_code"] for feature in saxony["features"]} == {"SN"}
    zones = get(f"{api}/collections/zones/items").json()["features"]
    lausitz = next(zone for zone in zones if zone["id"] == "lausitz")["properties"]
    assert lausitz["source_url"].startswith("https://") and "12071" in lausitz["districts"].split(",")
    assert all(fact["source_url"] for fact in lausitz["facts"])


# --- the atlas's filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"program": ["zukunftsort"]},
        {"program": ["zukunftsort", "kreativort"]},
        {"state": ["SN", "ST"], "program": ["kreativort_sachsen"]},
        {"zone": ["lausitz"]},
        {"theme": ["chemistry"]},
        {"area_min": ["20"]},
        {"price_max": ["50"]},
        {"zoning": ["GI"]},
        {"rail": ["yes"]},
        {"q": ["Goerlitz"]},
    ],
)
def test_filters_select_what_the_atlas_selects(api, params):
    """The API's answer to the atlas's URL parameters is the atlas's own selection, repeated or
    comma-separated."""
    expected = sorted(atlas_selection(params))
    repeated = requests.get(f"{api}/collections/sites/items", params={**params, "limit": 1000}, timeout=60)
    assert sorted(site_ids(repeated)) == expected
    joined = get(f"{api}/collections/sites/items", limit=1000, **{k: ",".join(v) for k, v in params.items()})
    assert sorted(site_ids(joined)) == expected


def test_bbox_and_paging(api):
    box = get(f"{api}/collections/sites/items", bbox="11.5,50.9,12.5,51.6", limit=1000).json()
    for feature in box["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 11.5 <= lon <= 12.5 and 50.9 <= lat <= 51.6
    assert 0 < box["numberMatched"] < BUNDLED_SITES
    # bbox and a filter together: the sites that pass both
    both = get(
        f"{api}/collections/sites/items", bbox="11.5,50.9,12.5,51.6", program="kreativort_mitteldeutschland", limit=1000
    ).json()
    in_box = {f["id"] for f in box["features"]}
    expected = in_box & set(atlas_selection({"program": ["kreativort_mitteldeutschland"]}))
    assert expected and {f["id"] for f in both["features"]} == expected
    first = get(f"{api}/collections/sites/items", limit=40).json()
    assert first["numberMatched"] == BUNDLED_SITES and first["numberReturned"] == 40
    next_link = next(link["href"] for link in first["links"] if link["rel"] == "next")
    second = requests.get(next_link, timeout=60).json()
    assert {f["id"] for f in first["features"]}.isdisjoint(f["id"] for f in second["features"])
    # paging keeps repeated filters (they are passed on joined by commas)
    filtered = requests.get(
        f"{api}/collections/sites/items",
        params=[("program", "zukunftsort"), ("program", "kreativort"), ("limit", "5")],
        timeout=60,
    ).json()
    link = next(link["href"] for link in filtered["links"] if link["rel"] == "next")
    assert "program=zukunftsort,kreativort" in link


def test_crs_negotiation(api):
    site = get(f"{api}/collections/sites/items/biopharmapark-dessau").json()
    lon, lat = site["geometry"]["coordinates"]
    for epsg in (25832, 25833):
        uri = f"http://www.opengis.net/def/crs/EPSG/0/{epsg}"
        response = get(f"{api}/collections/sites/items/biopharmapark-dessau", crs=uri)
        assert response.headers["Content-Crs"] == f"<{uri}>"
        x, y = response.json()["geometry"]["coordinates"]
        expected = pyproj.Transformer.from_crs(4326, epsg, always_xy=True).transform(lon, lat)
        assert abs(x - expected[0]) < 0.5 and abs(y - expected[1]) < 0.5
    # a bbox in ETRS89/UTM 33N finds the same sites as in longitude/latitude
    to_utm = pyproj.Transformer.from_crs(4326, 25833, always_xy=True)
    (x0, y0), (x1, y1) = to_utm.transform(11.0, 50.5), to_utm.transform(13.0, 52.0)
    utm = get(
        f"{api}/collections/sites/items",
        bbox=f"{x0},{y0},{x1},{y1}",
        limit=1000,
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/25833"},
    )
    assert len(site_ids(utm)) > 0


# --- bad input: a 400 naming the parameter, never a traceback ------------------------------------------------


@pytest.mark.parametrize(
    "path, params, status, parameter",
    [
        ("/collections/nowhere/items", {}, 404, "collectionId"),
        ("/collections/sites/items", {"bbox": "1,2,3"}, 400, "bbox"),
        ("/collections/sites/items", {"bbox": "a,b,c,d"}, 400, "bbox"),
        ("/collections/sites/items", {"bbox": "12,52,11,51,1"}, 400, "bbox"),
        ("/collections/sites/items", {"bbox": "11,95,12,96"}, 400, "bbox"),
        ("/collections/sites/items", {"limit": "1001"}, 400, "limit"),
        ("/collections/sites/items", {"limit": "0"}, 400, "limit"),
        ("/collections/sites/items", {"limit": "ten"}, 400, "limit"),
        ("/collections/sites/items", {"offset": "-1"}, 400, "offset"),
        ("/collections/sites/items", {"program": "nonsense"}, 400, "program"),
        ("/collections/sites/items", {"area_min": "-5"}, 400, "area_min"),
        ("/collections/sites/items", {"programm": "zukunftsort"}, 400, "programm"),
        ("/collections/sites/items", {"crs": "EPSG:4326"}, 400, "crs"),
        ("/collections/sites/items", {"filter": "program='x'"}, 400, "filter"),
        ("/collections/sites/items", {"sortby": "nothing"}, 400, "sortby"),
        ("/collections/districts/items", {"state": "XX"}, 400, "state"),
        ("/collections/zones/items", {"q": "Lausitz"}, 400, "q"),
        ("/collections", {"f": "xml"}, 400, "f"),
    ],
)
@pytest.mark.parametrize("lang, word", [("de", "Parameter"), ("en", "parameter")])
def test_bad_input_names_the_parameter(api, path, params, status, parameter, lang, word):
    response = get(f"{api}{path}", lang=lang, **params)
    assert response.status_code == status
    body = response.json()
    assert body["parameter"] == parameter
    assert "Traceback" not in response.text
    if parameter == "collectionId":  # the path's segment: the message names the collection asked for
        assert "nowhere" in body["description"] and "sites" in body["description"]
    else:
        assert f"{word} „{parameter}“" in body["description"] or f"{word} '{parameter}'" in body["description"]
    assert response.headers["Content-Language"] == lang


def test_hostile_input_is_refused_without_a_fault(api):
    for params in ({"q": "x" * 101}, {"bbox": "nan,nan,nan,nan"}, {"lang": "de;q=0"}):
        assert get(f"{api}/collections/sites/items", **params).status_code == 400
    assert get(f"{api}/collections/sites/items", q="a" * 3000).status_code == 414
    refused = requests.get(
        f"{api}/conformance",
        headers={"Accept": "text/html;q=0, application/json", "Accept-Language": "en;q=0, de"},
        timeout=60,
    )
    assert refused.status_code == 200 and refused.headers["Content-Language"] == "de"
    page = requests.get(
        f"{api}/collections/sites/items/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        headers={"Accept": "text/html"},
        timeout=60,
    )
    assert page.status_code == 404 and "<img src=x" not in page.text and "&lt;img src=x" in page.text


def test_read_only(api):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = requests.request(method, f"{api}/collections/sites/items/biopharmapark-dessau", timeout=60)
        assert response.status_code == 405 and response.json()["code"] == "InvalidRequest"
        assert "GET" in response.headers["Allow"]


# --- caching, CORS ---------------------------------------------------------------------------------------------


def test_etag_and_last_modified(api):
    first = get(f"{api}/collections/sites/items", program="zukunftsort")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = requests.get(first.url, headers={"If-None-Match": etag}, timeout=60)
    assert again.status_code == 304 and again.content == b""
    assert requests.get(first.url, headers={"If-Modified-Since": modified}, timeout=60).status_code == 304
    english = requests.get(first.url, headers={"If-None-Match": etag, "Accept-Language": "en"}, timeout=60)
    assert english.status_code == 200 and english.headers["ETag"] != etag  # another representation
    assert "Accept-Language" in first.headers["Vary"]


def test_cors_open_for_reading(api):
    response = requests.get(f"{api}/collections", headers={"Origin": "https://portal.example.org"}, timeout=60)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    preflight = requests.options(
        f"{api}/collections/sites/items",
        timeout=60,
        headers={"Origin": "https://portal.example.org", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200 and "GET" in preflight.headers["Access-Control-Allow-Methods"]
    writing = requests.options(
        f"{api}/collections/sites/items",
        timeout=60,
        headers={"Origin": "https://portal.example.org", "Access-Control-Request-Method": "DELETE"},
    )
    assert writing.status_code == 400


# --- HTML pages --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, heading, atlas_link", [("de", "Standorte", "Profil im Atlas"), ("en", "Sites", "Profile in the atlas")]
)
def test_html_pages_in_both_languages(api, lang, heading, atlas_link):
    page = get(f"{api}/collections/sites/items", f="html", lang=lang, program="zukunftsort")
    assert page.headers["Content-Type"].startswith("text/html") and f'<html lang="{lang}">' in page.text
    assert f"<h1>{heading}</h1>" in page.text and atlas_link in page.text
    assert "/karte?site=" in page.text and "unpkg" not in page.text and "https://" not in page.text.split("<main>")[0]


@pytest.mark.parametrize(
    "lang, marked",
    [("de", "22.09.2011 ⚠ älter als 12 Monate"), ("en", "22 Sept 2011 ⚠ older than 12 months")],
)
def test_an_html_page_dates_and_marks_a_figure_as_every_view_does(api, lang, marked):
    """Piesteritz's area figures are of 22 Sep 2011: the site's page writes the date in the language with
    the stale mark (the one rule of geo.sites.provenance), not the recorded ISO text; the JSON keeps it."""
    page = get(f"{api}/collections/sites/items/agro-chemie-park-piesteritz", f="html", lang=lang)
    assert page.status_code == 200
    row = re.search(r"<code>area_available_ha_as_of</code></th>\s*<td>(.*?)</td>", page.text, flags=re.S)
    assert row is not None and row.group(1).strip() == marked
    assert "2011-09-22" not in page.text
    checked = {"de": "25.11.2026", "en": "25 Nov 2026"}[lang]  # the day the entry was last checked, unmarked
    assert re.search(rf"<code>updated</code></th>\s*<td>{checked}</td>", page.text)
    feature = get(f"{api}/collections/sites/items/agro-chemie-park-piesteritz", lang=lang).json()
    assert feature["properties"]["area_available_ha_as_of"] == "2011-09-22"


# --- the rate limit ------------------------------------------------------------------------------------------------


def test_token_buckets():
    buckets = TokenBuckets(per_second=1.0, burst=3.0, max_clients=2)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", now=0.0) == pytest.approx(1.0)
    assert buckets.take("b", now=0.0) == 0.0  # another client has its own bucket
    assert buckets.take("a", now=1.5) == 0.0  # refilled
    buckets.take("c", now=2.0)
    assert len(buckets._buckets) == 2  # bounded


def test_rate_limit_answers_429():
    with running_api({"STANDORTATLAS_API_BURST": "5", "STANDORTATLAS_API_RATE_PER_MINUTE": "6"}) as url:
        statuses = [get(f"{url}/conformance", lang="en").status_code for _ in range(8)]
        limited = get(f"{url}/conformance", lang="en")
    assert statuses.count(200) <= 6 and statuses[-1] == 429
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "Too many requests" in limited.json()["description"]


# --- the same store as the app ---------------------------------------------------------------------------------------


def test_an_applied_import_shows_at_once(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(SITES_GPKG, folder / "sites.gpkg")
    (folder / "reference.gpkg").symlink_to(REFERENCE_GPKG)
    sites_path = folder / "sites.gpkg"
    with running_api({"STANDORTATLAS_DATA_DIR": str(folder)}) as url:
        before = get(f"{url}/collections/sites/items", limit=1000)
        assert before.json()["numberMatched"] == BUNDLED_SITES
        sites = store.read_sites(Path(sites_path))
        store.write_sites(sites[sites["site_id"] != "biopharmapark-dessau"], Path(sites_path))
        after = requests.get(before.url, headers={"If-None-Match": before.headers["ETag"]}, timeout=60)
        assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
        assert after.json()["numberMatched"] == BUNDLED_SITES - 1
        assert get(f"{url}/collections/sites/items/biopharmapark-dessau").status_code == 404
