"""The sites build: contract of data/sites.gpkg, failures that name the row, name
matching, spreading. Fast: the failure and matching tests use a tiny reference GeoPackage and CSV built
here in tmp_path, and no test touches the network."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box

from geo.build.placement import assign_site_ids, site_slug, spread_points
from geo.build.reference import BuildError
from geo.build.sites import SITES_CSV, build_sites
from geo.core.fields import SITE_COLUMNS
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG
from geo.core.schema import (
    COORDINATE_PRECISIONS,
    INCLUDED_STATUSES,
    PRECISIONS,
    SITE_STATUSES,
    SITE_SURROUNDING_COLUMNS,
    STATE_CODES,
    THEME_SEPARATOR,
    programs,
    themes,
)
from geo.sites.facts import DERIVED_COLUMNS
from geo.sites.facts_history import HISTORY_COLUMNS, HISTORY_TABLE, check_history, read_history_csv
from geo.sites.inclusion import LEFT_OUT_CSV, check_left_out, status_problems
from geo.sites.municipalities import (
    MatchError,
    base_name,
    district_candidates,
    match_municipality,
    match_names,
    normalize_name,
    parse_district,
    read_mergers,
)

# --- contract of the built data/sites.gpkg ----------------------------------------------------------


@pytest.fixture(scope="module")
def built_sites():
    if not SITES_GPKG.exists():
        pytest.fail(f"{SITES_GPKG} is missing: run `python -m geo build --only sites`")
    return pyogrio.read_dataframe(SITES_GPKG, layer="sites")


def test_columns_crs_and_points(built_sites):
    assert list(built_sites.columns) == SITE_COLUMNS + SITE_SURROUNDING_COLUMNS + DERIVED_COLUMNS + ["geometry"]
    assert built_sites.crs.to_epsg() == 4326
    assert (built_sites.geom_type == "Point").all()
    assert len(built_sites) > 0


def test_ids_unique_and_slugs(built_sites):
    assert built_sites["site_id"].is_unique
    assert built_sites["site_id"].str.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*").all()


def test_source_urls_programs_themes_descriptions(built_sites):
    assert built_sites["source_url"].str.match(r"^https?://\S+$").all()
    assert built_sites["program"].isin(list(programs())).all()
    vocabulary = set(themes())
    for value in built_sites["themes"]:
        parts = value.split(THEME_SEPARATOR)
        assert parts and set(parts) <= vocabulary, value
    for column in ("description_de", "description_en", "name"):
        assert (built_sites[column].str.strip().str.len() > 0).all(), column
    assert built_sites["precision"].isin(list(PRECISIONS)).all()
    exact = built_sites["precision"].isin(list(COORDINATE_PRECISIONS))
    assert built_sites.loc[exact, "coord_source_url"].str.match(r"^https?://").all()


def test_most_sites_stand_better_than_on_a_municipality_point(built_sites):
    """At least 40 sites carry sourced coordinates (address, site grounds or village centre)."""
    counts = built_sites["precision"].value_counts()
    assert counts.reindex(list(COORDINATE_PRECISIONS)).fillna(0).sum() >= 40, counts.to_dict()


def test_sourced_coordinates_are_stored_unchanged_and_inside_their_municipality(built_sites):
    """Every coordinate of data/sources/sites.csv is the stored point (to 6 decimals) and lies in the
    municipality polygon the build derived for it (the build refuses a point in another municipality)."""
    table = pd.read_csv(SITES_CSV, dtype=str, keep_default_na=False)
    sourced = table[table["lat"] != ""]
    assert set(sourced["precision"]) <= set(COORDINATE_PRECISIONS)
    assert (table.loc[table["lat"] == "", "precision"] == "municipality").all()
    municipalities = pyogrio.read_dataframe(REFERENCE_GPKG, layer="municipalities", columns=["ags"])
    polygon_of = dict(zip(municipalities["ags"], municipalities.geometry, strict=True))
    by_name = built_sites.set_index("name")
    for row in sourced.itertuples():
        site = by_name.loc[row.name]
        assert site.precision == row.precision, row.name
        assert site.geometry.y == pytest.approx(float(row.lat), abs=1e-6), row.name
        assert site.geometry.x == pytest.approx(float(row.lon), abs=1e-6), row.name
        assert polygon_of[site.municipality_ags].contains(site.geometry), row.name


def test_no_place_is_listed_twice(built_sites):
    """No two entries share a name or a sourced point; the two pairs that look alike (the strategic
    sites Leuna and Barleben next to the Zukunftsorte there) each state their relation in both entries."""
    folded = built_sites["name"].map(normalize_name)
    assert folded.is_unique, list(built_sites.loc[folded.duplicated(keep=False), "name"])
    sourced = built_sites[built_sites["precision"].isin(["address", "site"])]
    points = sourced.geometry.map(lambda point: (round(point.x, 5), round(point.y, 5)))
    assert points.is_unique, list(sourced.loc[points.duplicated(keep=False), "name"])
    by_name = built_sites.set_index("name")
    for first, second in (
        ("Strategischer Industriestandort Leuna", "Chemiestandort Leuna"),
        ("Strategischer Industriestandort Barleben", "Technologiepark Ostfalen (TPO)"),
    ):
        for here, there in ((first, second), (second, first)):
            for column in ("description_de", "description_en"):
                assert there in by_name.loc[here, column], (here, column)


def test_every_point_inside_its_own_district_and_municipality(built_sites):
    districts = pyogrio.read_dataframe(REFERENCE_GPKG, layer="districts", columns=["ags", "state_code"])
    municipalities = pyogrio.read_dataframe(REFERENCE_GPKG, layer="municipalities", columns=["ags"])
    district_of = dict(zip(districts["ags"], districts.geometry, strict=True))
    municipality_of = dict(zip(municipalities["ags"], municipalities.geometry, strict=True))
    for site in built_sites.itertuples():
        assert district_of[site.district_ags].contains(site.geometry), site.site_id
        assert municipality_of[site.municipality_ags].contains(site.geometry), site.site_id
        assert site.municipality_ags.startswith(site.district_ags[:5]) or site.district_ags == "16063"
        assert STATE_CODES[site.district_ags[:2]] == site.state_code


def test_no_marker_hides_another(built_sites):
    metric = built_sites.to_crs("EPSG:3035").geometry
    points = list(metric)
    for i, point in enumerate(points):
        for other in points[i + 1 :]:
            assert point.distance(other) >= 250, "two sites nearly on one point"


def test_surroundings_present(built_sites):
    for column in ("airport_km", "station_km", "city_km"):
        values = built_sites[column]
        assert values.notna().all() and (values >= 0).all() and (values < 300).all(), column
        assert (values.round(1) == values).all()
    assert built_sites["airport_iata"].str.fullmatch(r"[A-Z]{3}").all()


def test_updated_is_a_fixed_date(built_sites):
    assert built_sites["updated"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()


# --- a tiny world for build failures ----------------------------------------------------------------
# Thüringen as a box lon 11.0–11.4, lat 50.80–51.00: district Weimarer Land (16071, west half) with
# four municipalities, kreisfreie Stadt Weimar (16055, east half).

MUNICIPALITIES = [
    ("16071003", "Bad Berka", "16071", box(11.0, 50.80, 11.1, 50.90)),
    ("16071087", "Tonndorf", "16071", box(11.0, 50.90, 11.1, 51.00)),
    ("16071901", "Herzberg (Elster)", "16071", box(11.1, 50.80, 11.2, 50.90)),
    ("16071902", "Herzberg (Mark)", "16071", box(11.1, 50.90, 11.2, 51.00)),
    ("16055000", "Weimar", "16055", box(11.2, 50.80, 11.4, 51.00)),
]
FIELDS = [
    "name",
    "program",
    "state_code",
    "municipality",
    "locality",
    "district",
    "themes",
    "description_de",
    "description_en",
    "year",
    "website",
    "lat",
    "lon",
    "precision",
    "status",
    "status_source_url",
    "source_url",
    "coord_source_url",
]


@pytest.fixture()
def tiny_reference(tmp_path):
    path = tmp_path / "reference.gpkg"
    states = gpd.GeoDataFrame(
        {"state_code": ["TH"], "ags": ["16"], "name": ["Thüringen"]},
        geometry=[box(11.0, 50.8, 11.4, 51.0)],
        crs="EPSG:4326",
    )
    districts = gpd.GeoDataFrame(
        {
            "ags": ["16055", "16071"],
            "name": ["Weimar", "Weimarer Land"],
            "kind": ["Kreisfreie Stadt", "Landkreis"],
            "state_code": ["TH", "TH"],
        },
        geometry=[box(11.2, 50.8, 11.4, 51.0), box(11.0, 50.8, 11.2, 51.0)],
        crs="EPSG:4326",
    )
    municipalities = gpd.GeoDataFrame(
        {
            "ags": [m[0] for m in MUNICIPALITIES],
            "name": [m[1] for m in MUNICIPALITIES],
            "kind": ["Stadt"] * len(MUNICIPALITIES),
            "district_ags": [m[2] for m in MUNICIPALITIES],
            "state_code": ["TH"] * len(MUNICIPALITIES),
        },
        geometry=[m[3] for m in MUNICIPALITIES],
        crs="EPSG:4326",
    )
    for name, frame in (("states", states), ("districts", districts), ("municipalities", municipalities)):
        frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")
    return path


def site(name="Kulturhof Test", **values):
    row = {
        "name": name,
        "program": next(iter(programs())),
        "state_code": "TH",
        "municipality": "Bad Berka",
        "locality": "",
        "district": "Weimarer Land",
        "themes": next(iter(themes())),
        "description_de": "Ein Ort.",
        "description_en": "A place.",
        "year": "2020",
        "website": "",
        "lat": "",
        "lon": "",
        "precision": "municipality",
        "status": "active",
        "status_source_url": "",
        "source_url": "https://example.org/ort",
        "coord_source_url": "",
    }
    row.update(values)
    return row


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_build(tmp_path, reference, rows, mergers_rows=None, output_name="sites.gpkg"):
    mergers = tmp_path / "mergers.csv"
    pd.DataFrame(
        mergers_rows or [],
        columns=["municipality", "district_ags", "predecessor_ags", "predecessor_name", "merged_on", "source_url"],
    ).to_csv(mergers, index=False)
    output = tmp_path / output_name
    build_sites(
        log=lambda message: None,
        sites_csv=write_csv(tmp_path / "sites.csv", rows),
        reference_path=reference,
        output=output,
        mergers_csv=mergers,
        with_surroundings=False,
    )
    return pyogrio.read_dataframe(output, layer="sites")


def test_tiny_build_places_and_derives_keys(tmp_path, tiny_reference):
    rows = [
        site("Eins", municipality="Weimar", district="Weimar (kreisfreie Stadt)"),
        site("Zwei", municipality="Stadt Weimar", district="Stadt Weimar"),
        site("Drei", municipality="Weimar", district="Weimar (kreisfreie Stadt)"),
        site(
            "Burg",
            municipality="Bad Berka",
            locality="Tannroda",
            lat="50.85",
            lon="11.05",
            precision="address",
            coord_source_url="https://example.org/koordinaten",
        ),
        site("Herzhof", municipality="Herzberg (Elster)"),
    ]
    built = run_build(tmp_path, tiny_reference, rows)
    by_id = built.set_index("site_id")
    assert set(by_id.index) == {"eins", "zwei", "drei", "burg", "herzhof"}
    assert by_id.loc["eins", "district_ags"] == "16055"
    assert by_id.loc["herzhof", "municipality_ags"] == "16071901"
    assert by_id.loc["burg", "geometry"].equals(Point(11.05, 50.85))
    weimar = box(11.2, 50.80, 11.4, 51.00)
    spread = built[built["municipality_ags"] == "16055000"].to_crs("EPSG:3035").geometry.tolist()
    assert len(spread) == 3 and all(
        weimar.contains(p) for p in built.loc[built["municipality_ags"] == "16055000"].geometry
    )
    assert min(a.distance(b) for i, a in enumerate(spread) for b in spread[i + 1 :]) >= 300
    assert built["updated"].nunique() == 1


def test_build_is_deterministic(tmp_path, tiny_reference):
    rows = [site(f"Ort {n}", municipality="Weimar", district="Weimar (kreisfreie Stadt)") for n in range(4)]
    first = run_build(tmp_path, tiny_reference, rows, output_name="a.gpkg")
    second = run_build(tmp_path, tiny_reference, list(reversed(rows)), output_name="b.gpkg")
    pd.testing.assert_frame_equal(
        pd.DataFrame(first.drop(columns="geometry")), pd.DataFrame(second.drop(columns="geometry"))
    )
    assert all(a.equals(b) for a, b in zip(first.geometry, second.geometry, strict=True))


def failure(tmp_path, reference, rows, mergers_rows=None) -> str:
    with pytest.raises(BuildError) as caught:
        run_build(tmp_path, reference, rows, mergers_rows)
    return str(caught.value)


def test_wrong_district_names_the_row(tmp_path, tiny_reference):
    message = failure(
        tmp_path,
        tiny_reference,
        [site("Erster Ort"), site("Falscher Kreis", municipality="Weimar", district="Weimarer Land")],
    )
    assert "line 3 (Falscher Kreis)" in message
    assert "another district" in message and "16055" in message


def test_unknown_district_names_the_row(tmp_path, tiny_reference):
    message = failure(tmp_path, tiny_reference, [site("Nirgendwo", district="Kyffhäuserkreis")])
    assert "line 2 (Nirgendwo)" in message and "Kyffhäuserkreis" in message


def test_coordinates_in_another_municipality_name_the_row(tmp_path, tiny_reference):
    rows = [
        site(
            "Verrutscht",
            municipality="Bad Berka",
            lat="50.95",
            lon="11.05",
            precision="address",
            coord_source_url="https://example.org/k",
        )
    ]
    message = failure(tmp_path, tiny_reference, rows)
    assert "line 2 (Verrutscht)" in message and "Tonndorf" in message


def test_unknown_municipality_names_the_row(tmp_path, tiny_reference):
    message = failure(tmp_path, tiny_reference, [site("Geisterort", municipality="Atlantis")])
    assert "line 2 (Geisterort)" in message and "'Atlantis' not found" in message


def test_ambiguous_municipality_names_the_row(tmp_path, tiny_reference):
    message = failure(tmp_path, tiny_reference, [site("Doppelt", municipality="Herzberg")])
    assert "line 2 (Doppelt)" in message and "ambiguous" in message


def test_coordinates_in_bavaria_fail(tmp_path, tiny_reference):
    rows = [
        site(
            "Nürnberger Ort",
            lat="49.4521",
            lon="11.0767",
            precision="address",
            coord_source_url="https://example.org/k",
        )
    ]
    message = failure(tmp_path, tiny_reference, rows)
    assert "line 2 (Nürnberger Ort)" in message and "outside" in message


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"program": "erfunden"}, "program 'erfunden'"),
        ({"themes": "quantum_magic"}, "quantum_magic"),
        ({"source_url": "example.org"}, "source_url"),
        ({"description_en": ""}, "description_en is empty"),
        ({"lat": "50.85", "lon": "11.05"}, "needs one of the precisions"),
        ({"precision": "locality"}, "precision 'locality' needs lat and lon"),
        ({"precision": "address"}, "needs lat and lon"),
        ({"status": "ended"}, "status 'ended' is left out by the inclusion rule"),
        ({"status": "vacant"}, "move the row to sites_left_out.csv"),
        ({"status": "closed"}, "status 'closed' is not one of"),
        ({"status": ""}, "status '' is not one of"),
        ({"status_source_url": "volksstimme.de/x"}, "status_source_url is not an http(s) address"),
    ],
)
def test_row_checks_name_the_row(tmp_path, tiny_reference, values, expected):
    message = failure(tmp_path, tiny_reference, [site("Prüfling", **values)])
    assert "line 2 (Prüfling)" in message and expected in message


MERGERS = [
    {
        "municipality": "Neustadt am Test",
        "district_ags": "16071",
        "predecessor_ags": "16071003",
        "predecessor_name": "Bad Berka",
        "merged_on": "2019-01-01",
        "source_url": "https://example.org/a",
    },
    {
        "municipality": "Neustadt am Test",
        "district_ags": "16071",
        "predecessor_ags": "16071087",
        "predecessor_name": "Tonndorf",
        "merged_on": "2019-01-01",
        "source_url": "https://example.org/a",
    },
]


def test_merged_municipality_resolves_through_locality(tmp_path, tiny_reference):
    rows = [
        site("Dorfladen", municipality="Neustadt am Test", locality="Tonndorf"),
        # a sourced coordinate in a predecessor counts as inside today's municipality
        site(
            "Schloss",
            municipality="Neustadt am Test",
            locality="Bad Berka",
            lat="50.85",
            lon="11.05",
            precision="address",
            coord_source_url="https://example.org/k",
        ),
    ]
    built = run_build(tmp_path, tiny_reference, rows, MERGERS).set_index("site_id")
    assert by_ags(built, "dorfladen") == "16071087"
    assert by_ags(built, "schloss") == "16071003"
    assert built.loc["dorfladen", "municipality"] == "Neustadt am Test"


def by_ags(frame, site_id):
    return frame.loc[site_id, "municipality_ags"]


def test_merged_municipality_with_foreign_locality_fails(tmp_path, tiny_reference):
    message = failure(
        tmp_path, tiny_reference, [site("Falsch", municipality="Neustadt am Test", locality="Weimar")], MERGERS
    )
    assert "line 2 (Falsch)" in message and "not one of the recorded predecessors" in message


def test_mergers_need_a_source(tmp_path):
    path = tmp_path / "m.csv"
    pd.DataFrame([{**MERGERS[0], "source_url": ""}]).to_csv(path, index=False)
    with pytest.raises(MatchError, match="source_url"):
        read_mergers(path)


def test_bundled_mergers_are_sourced_and_known():
    rows = read_mergers()
    assert rows and all(row.source_url.startswith("https://") for row in rows)
    if REFERENCE_GPKG.exists():
        municipalities = pyogrio.read_dataframe(REFERENCE_GPKG, layer="municipalities", read_geometry=False)
        known = dict(zip(municipalities["ags"], municipalities["name"], strict=True))
        for row in rows:
            assert known.get(row.ags) == row.name, row
            assert row.ags.startswith(row.district_ags)


# --- name normalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, official",
    [
        ("Lutherstadt Wittenberg", "Wittenberg"),
        ("Hansestadt Stendal", "Stendal"),
        ("Salzwedel (Hansestadt)", "Salzwedel"),
        ("Hansestadt Seehausen (Altmark)", "Seehausen (Altmark)"),
        ("Seehausen (Altmark) (Hansestadt)", "Seehausen (Altmark)"),
        ("Halle", "Halle (Saale)"),
        ("Kalbe", "Kalbe (Milde)"),
        ("Coswig (Anhalt)", "Coswig (Anhalt)"),
        ("Köthen", "Köthen (Anhalt)"),
        ("Koethen (Anhalt)", "Köthen (Anhalt)"),
        ("Wiesenburg", "Wiesenburg/Mark"),
        ("Wiesenburg / Mark", "Wiesenburg/Mark"),
        ("Neukirchen", "Neukirchen/Erzgeb."),
        ("Dessau-Rosslau", "Dessau-Roßlau"),
        ("Dessau – Roßlau", "Dessau-Roßlau"),
        ("Stadt Fürstenberg/Havel", "Fürstenberg/Havel"),
        ("GÖRLITZ", "Görlitz"),
    ],
)
def test_names_match_their_official_form(written, official):
    assert match_names(written, pd.Series([official, "Andere Gemeinde"])) == [0]


@pytest.mark.parametrize(
    "written, other",
    [
        ("Herzberg (Elster)", "Herzberg (Mark)"),
        ("Neukirchen/Erzgeb.", "Neukirchen/Pleiße"),
        ("Halle (Saale)", "Halle (Westf.)"),
    ],
)
def test_different_qualifiers_do_not_match(written, other):
    assert match_names(written, pd.Series([other])) == []


def test_exact_form_wins_over_base_form():
    candidates = pd.Series(["Coswig", "Coswig (Anhalt)"])
    assert match_names("Coswig (Anhalt)", candidates) == [1]
    assert match_names("Coswig", candidates) == [0]
    # with a qualifier on one side only, a name may match either way, so a search is always within
    # one district, where VG250 names are unique
    assert match_names("Coswig (Anhalt)", pd.Series(["Coswig"])) == [0]


def test_base_and_normal_forms():
    assert normalize_name("Welterbestadt Quedlinburg") == "quedlinburg"
    assert base_name("Neukirchen/Erzgeb.") == "neukirchen"
    assert base_name("Goldbeck (Verbandsgemeinde Arneburg-Goldbeck)") == "goldbeck"


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("Leipzig (Landkreis)", "leipzig", "Landkreis"),
        ("Landkreis Leipzig", "leipzig", "Landkreis"),
        ("Stadt Leipzig", "leipzig", "Kreisfreie Stadt"),
        ("Halle (Saale) (kreisfreie Stadt)", "halle (saale)", "Kreisfreie Stadt"),
        ("Salzlandkreis", "salzlandkreis", None),
    ],
)
def test_district_texts(text, name, kind):
    assert parse_district(text) == (name, kind)


def test_leipzig_city_and_district_are_told_apart():
    districts = pd.DataFrame(
        {
            "ags": ["14713", "14729", "15002"],
            "name": ["Leipzig", "Leipzig", "Halle (Saale)"],
            "kind": ["Kreisfreie Stadt", "Landkreis", "Kreisfreie Stadt"],
            "state_code": ["SN", "SN", "ST"],
        }
    )
    assert list(district_candidates("Leipzig (Landkreis)", "SN", districts)["ags"]) == ["14729"]
    assert list(district_candidates("Leipzig (kreisfreie Stadt)", "SN", districts)["ags"]) == ["14713"]
    assert list(district_candidates("Leipzig", "SN", districts)["ags"]) == ["14713", "14729"]
    assert list(district_candidates("Halle (Saale) (kreisfreie Stadt)", "ST", districts)["ags"]) == ["15002"]
    assert district_candidates("Halle (Saale)", "SN", districts).empty  # other state


def test_same_name_in_other_districts_is_not_confused():
    municipalities = pd.DataFrame(
        {
            "ags": ["14521410", "14524210"],
            "name": ["Neukirchen/Erzgeb.", "Neukirchen/Pleiße"],
            "district_ags": ["14521", "14524"],
        }
    )
    match = match_municipality("Neukirchen", "", "14521", municipalities, [])
    assert match.place_ags == "14521410"
    with pytest.raises(MatchError, match="not found"):
        match_municipality("Neukirchen/Erzgeb.", "", "14524", municipalities, [])


# --- ids and spreading ------------------------------------------------------------------------------


def test_site_ids_are_stable_slugs():
    assert site_slug("Kühlhaus Görlitz") == "kuehlhaus-goerlitz"
    assert site_slug("Kultur & Beeren") == "kultur-beeren"
    ids = assign_site_ids(["Alte Schule", "Alte Schule", "Hof"], ["Görlitz", "Zeitz", "Aland"], ["", "", ""])
    assert ids == ["alte-schule-goerlitz", "alte-schule-zeitz", "hof"]
    # the id does not depend on the description or on the row order
    assert assign_site_ids(["Hof", "Alte Schule", "Alte Schule"], ["Aland", "Zeitz", "Görlitz"], ["", "", ""]) == [
        "hof",
        "alte-schule-zeitz",
        "alte-schule-goerlitz",
    ]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8])
def test_spread_points_inside_and_distinct(count):
    polygon = box(0, 0, 4000, 3000)
    points = spread_points(polygon, count)
    assert len(points) == count
    assert all(polygon.buffer(-49).contains(p) for p in points)
    distances = [a.distance(b) for i, a in enumerate(points) for b in points[i + 1 :]]
    assert all(d >= 300 - 1e-6 for d in distances)
    assert all(d <= 1600 for d in distances)  # a small cluster, not scattered over the municipality
    assert points == spread_points(polygon, count)  # deterministic


def test_spread_points_in_a_thin_or_concave_polygon():
    strip = box(0, 0, 5000, 200)
    points = spread_points(strip, 4)
    assert all(strip.contains(p) for p in points)
    assert min(a.distance(b) for i, a in enumerate(points) for b in points[i + 1 :]) >= 300
    ell = shapely.union_all([box(0, 0, 3000, 400), box(0, 0, 400, 3000)])
    points = spread_points(ell, 3)
    assert all(ell.contains(p) for p in points)


def test_spread_points_keep_away_from_sourced_points():
    polygon = box(0, 0, 4000, 4000)
    center = polygon.point_on_surface()
    points = spread_points(polygon, 1, avoid=[center])
    assert points[0].distance(center) >= 300


def test_spread_points_refuse_an_impossible_layout():
    with pytest.raises(ValueError):
        spread_points(box(0, 0, 300, 300), 5)


def test_real_site_list_names_are_well_formed():
    """Catch obvious typos in data/sources/sites.csv early (no geometry needed)."""
    from geo.build.sites import SITES_CSV, read_sites_csv

    table = read_sites_csv(SITES_CSV)
    assert table["state_code"].isin(list(STATE_CODES.values())).all()
    assert all(re.match(r"^https?://", url) for url in table["source_url"])


@pytest.mark.parametrize(
    "damage, expected",
    [
        (lambda text: text.encode("latin-1", errors="replace"), "cannot be read as a UTF-8 CSV file"),
        (lambda text: text.replace(",source_url,", ",quelle,", 1).encode("utf-8"), "lacks the columns ['source_url']"),
    ],
    ids=["not-utf8", "column-missing"],
)
def test_the_build_refuses_a_bad_source_file_with_exit_code_1(tmp_path, damage, expected):
    """`python -m geo build` with a broken data/sources/sites.csv: exit code 1 and a message that names the
    file and what is wrong, no traceback, nothing written."""
    from geo.core.paths import PROJECT_ROOT, SOURCES_DIR

    sources, data = tmp_path / "sources", tmp_path / "data"
    shutil.copytree(SOURCES_DIR, sources)
    data.mkdir()
    shutil.copyfile(REFERENCE_GPKG, data / "reference.gpkg")
    (sources / "sites.csv").write_bytes(damage((SOURCES_DIR / "sites.csv").read_text(encoding="utf-8")))
    environment = {
        **__import__("os").environ,
        "STANDORTATLAS_SOURCES_DIR": str(sources),
        "STANDORTATLAS_DATA_DIR": str(data),
    }
    completed = subprocess.run(
        [sys.executable, "-m", "geo", "build", "--only", "sites"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 1, completed.stderr
    assert "sites.csv" in completed.stderr and expected in completed.stderr
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr
    assert not (data / "sites.gpkg").exists()


# --- inclusion rule and superseded figures on the bundled sources -----------------------------------


def left_out_csv(tmp_path, **values):
    row = {
        "name": "Alte Villa",
        "status": "ended",
        "status_source_url": "https://example.org/ende",
        "reason": "Projekt beendet",
    }
    row.update(values)
    path = tmp_path / "sites_left_out.csv"
    pd.DataFrame([row]).to_csv(path, index=False)
    return path


def test_left_out_places_may_not_return_to_the_list(tmp_path):
    sites = pd.DataFrame({"name": ["Alte Villa", "Neuer Hof"]})
    problems = check_left_out(sites, left_out_csv(tmp_path))
    assert problems == [
        "sites_left_out.csv line 2 (Alte Villa): is also in the site list, but the inclusion rule leaves it out"
    ]
    assert check_left_out(pd.DataFrame({"name": ["Neuer Hof"]}), left_out_csv(tmp_path)) == []


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"status": "active"}, "status 'active' is not one that the inclusion rule leaves out"),
        ({"reason": " "}, "needs a reason"),
        ({"status_source_url": ""}, "needs a reason and an http(s) status_source_url"),
    ],
)
def test_left_out_rows_need_a_status_reason_and_source(tmp_path, values, expected):
    problems = check_left_out(pd.DataFrame({"name": ["Neuer Hof"]}), left_out_csv(tmp_path, **values))
    assert len(problems) == 1 and expected in problems[0]


def test_bundled_list_follows_the_inclusion_rule():
    table = pd.read_csv(SITES_CSV, dtype=str, keep_default_na=False)
    assert set(table["status"]) <= set(INCLUDED_STATUSES)
    assert all(status_problems(row) == [] for row in table.to_dict("records"))
    assert check_left_out(table) == []
    left_out = pd.read_csv(LEFT_OUT_CSV, dtype=str, keep_default_na=False)
    assert set(left_out["status"]) <= set(SITE_STATUSES) - set(INCLUDED_STATUSES)


def history_row(**values):
    row = {
        "site_id": "chemiestandort-leuna",
        "field": "area_available_ha",
        "value": "40",
        "value_en": "",
        "unit": "ha",
        "source_url": "https://example.org/2021",
        "as_of": "2021-05",
        "note": "",
        "superseded": "2026-03-05",
    }
    row.update(values)
    return row


CURRENT = pd.DataFrame([{"site_id": "chemiestandort-leuna", "field": "area_available_ha", "as_of": "2026-03-05"}])


@pytest.mark.parametrize(
    "values, expected",
    [
        ({}, None),
        ({"superseded": "März 2026"}, "superseded 'März 2026' is not a date"),
        ({"field": "largest_plot_ha"}, "has no current largest_plot_ha"),
        ({"as_of": "2027-01"}, "is older than the superseded one"),
        ({"source_url": "example.org"}, "line 2"),
        ({"site_id": "erfunden"}, "line 2"),
    ],
)
def test_superseded_figures_are_checked(values, expected):
    problems = check_history(pd.DataFrame([history_row(**values)]), CURRENT, known_site_ids=["chemiestandort-leuna"])
    if expected is None:
        assert problems == []
    else:
        assert len(problems) >= 1 and expected in problems[0]


def test_bundled_history_is_consistent_and_not_shown():
    from geo.sites.facts import read_facts_csv

    history = read_history_csv()
    assert not history.empty
    assert check_history(history, read_facts_csv()) == []
    stored = pyogrio.read_dataframe(REFERENCE_GPKG, layer=HISTORY_TABLE, read_geometry=False)
    assert list(stored.columns) == HISTORY_COLUMNS and len(stored) == len(history)
    current = read_facts_csv()
    leuna = current[(current["site_id"] == "chemiestandort-leuna") & (current["field"] == "area_available_ha")]
    assert list(leuna["value"]) == ["35"] and list(leuna["as_of"]) == ["2026-03-05"]


# --- further source pages (data/sources/site_sources.csv) -----------------------------------------------


def test_further_source_pages_name_sites_of_the_list():
    from geo.build.site_sources import SITE_SOURCES_CSV, check_site_sources

    names = pd.read_csv(SITES_CSV, dtype=str, keep_default_na=False)["name"]
    assert check_site_sources(names) > 0
    table = pd.read_csv(SITE_SOURCES_CSV, dtype=str, keep_default_na=False)
    # the places whose row rests on a page the place wrote itself have a page of someone else beside it
    for name in ("Kultur & Beeren", "Haus des Wandels", "Neupitz", "Marktplatz Waldschänke", "Gut Boltenhof"):
        others = table.loc[(table["name"] == name) & (table["publisher"] == "independent")]
        assert len(others) >= 1, name


def test_further_source_pages_refuse_an_unknown_site_and_bad_values(tmp_path):
    from geo.build.site_sources import check_site_sources

    path = tmp_path / "site_sources.csv"
    path.write_text(
        "name,source_url,as_of,publisher,supports\n"
        "Hof Prädikow,https://example.org/a,2024-06,program,names it\n"
        "Hof Prädikov,https://example.org/b,,independent,names it\n"
        "Hof Prädikow,javascript:alert(1),June 2024,blog,\n",
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as refused:
        check_site_sources(["Hof Prädikow"], path)
    message = str(refused.value)
    assert "row 3, name = 'Hof Prädikov': not the name of a site" in message
    assert "row 4, source_url = 'javascript:alert(1)'" in message
    assert "row 4, as_of = 'June 2024'" in message
    assert "row 4, publisher = 'blog'" in message
    assert "row 4, supports = ''" in message
    assert "row 2" not in message
