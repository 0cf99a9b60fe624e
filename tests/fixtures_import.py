"""Small input files for the importer and store tests, built on the fly (nothing binary is committed).

The reference areas are rectangles roughly where the states are, so real coordinates (Potsdam,
Dresden, Erfurt, Halle) land in the right state, and Munich lands outside all of them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.raw import write as write_raw
from pyproj import Transformer

from geo import store
from geo.core import fields, schema
from geo.imports.importer import slugify

PROGRAMS = {  # the columns of data/sources/programs.csv that the app reads (indicators, legend)
    program: {"program": program, "label_de": program, "label_en": program}
    for program in (
        "zukunftsort",
        "zukunftsort_netzwerk",
        "kreativort",
        "kreativort_mitteldeutschland",
        "kreativort_sachsen",
        "industriestandort",
        "weitere_orte",
    )
}

# (lon, lat) of real places; the rectangles below are drawn around them
PLACES = {
    "potsdam": (13.0645, 52.3906),
    "dresden": (13.7373, 51.0504),
    "erfurt": (11.0299, 50.9787),
    "halle": (11.9700, 51.4825),
    "muenchen": (11.5820, 48.1351),
}
STATE_BOXES = {  # state_code: (west, south, east, north); no overlaps
    "BB": (11.3, 51.7, 14.8, 53.6),
    "SN": (12.0, 50.2, 15.0, 51.7),
    "ST": (10.5, 51.0, 12.0, 53.0),
    "TH": (9.8, 50.2, 12.0, 51.0),
}
DISTRICTS = {"BB": "12054", "SN": "14612", "ST": "15002", "TH": "16051"}
MUNICIPALITIES = [  # ags, name, state_code, box
    ("12054000", "Potsdam", "BB", (12.9, 52.3, 13.2, 52.5)),
    ("12066112", "Großräschen", "BB", (13.9, 51.75, 14.1, 51.85)),
    ("14612000", "Dresden", "SN", (13.6, 50.95, 13.9, 51.15)),
    ("14628260", "Neustadt", "SN", (14.1, 51.0, 14.3, 51.1)),
    ("16051000", "Erfurt", "TH", (10.9, 50.9, 11.1, 50.999)),
    ("16075073", "Neustadt", "TH", (11.7, 50.7, 11.8, 50.8)),
    ("15002000", "Halle (Saale)", "ST", (11.85, 51.4, 12.05, 51.55)),
]
# state_code, district_ags, municipality_ags that the reference above gives each place
PLACE_AREAS = {
    "potsdam": ("BB", "12054", "12054000"),
    "dresden": ("SN", "14612", "14612000"),
    "erfurt": ("TH", "16051", "16051000"),
    "halle": ("ST", "15002", "15002000"),
}
THEMES = {
    theme: {"theme": theme, "label_de": theme, "label_en": theme}
    for theme in ("kultur", "digitalwirtschaft", "mikroelektronik")
}
HOSTILE_NAME = '<script>alert("x")</script> Kreativort'


def use_fixture_programs(monkeypatch) -> None:
    """Tests use fixed program and theme vocabularies, not whatever data/sources/*.csv hold today."""
    monkeypatch.setattr(schema, "programs", lambda: PROGRAMS)
    monkeypatch.setattr(schema, "themes", lambda: THEMES)


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def box(bounds: tuple[float, float, float, float]) -> shapely.Polygon:
    return shapely.box(*bounds)


def build_reference(path: Path) -> Path:
    states = gpd.GeoDataFrame(
        {"state_code": list(STATE_BOXES), "ags": ["12", "14", "15", "16"], "name": list(STATE_BOXES)},
        geometry=[box(bounds) for bounds in STATE_BOXES.values()],
        crs="EPSG:4326",
    )
    districts = gpd.GeoDataFrame(
        {"ags": [DISTRICTS[code] for code in STATE_BOXES], "state_code": list(STATE_BOXES)},
        geometry=list(states.geometry),
        crs="EPSG:4326",
    )
    municipalities = gpd.GeoDataFrame(
        {
            "ags": [row[0] for row in MUNICIPALITIES],
            "name": [row[1] for row in MUNICIPALITIES],
            "district_ags": [row[0][:5] for row in MUNICIPALITIES],
            "state_code": [row[2] for row in MUNICIPALITIES],
        },
        geometry=[box(row[3]) for row in MUNICIPALITIES],
        crs="EPSG:4326",
    )
    for layer, frame in (("states", states), ("districts", districts), ("municipalities", municipalities)):
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    return path


def site_rows() -> list[dict]:
    """Three sites with umlauts and ß in every text field, one hostile name."""
    return [
        {
            "name": "Kreativhof Größenwahn Potsdam",
            "program": "kreativort",
            "place": "potsdam",
            "municipality": "Potsdam",
            "locality": "Bornstedt",
            "themes": "kultur;digitalwirtschaft",
            "description_de": "Ehemalige Gärtnerei mit Ateliers – Straße 1, Übergänge, Öfen, ß.",
            "description_en": "Former market garden with studios.",
            "year": "2021",
            "website": "https://größenwahn.example/ateliers",
            "source_url": "https://example.org/quelle",
        },
        {
            "name": "Zukunftsort Dresdner Südhöhe",
            "program": "zukunftsort",
            "place": "dresden",
            "municipality": "Dresden",
            "locality": "Südvorstadt",
            "themes": "mikroelektronik",
            "description_de": "Halbleiter – Fördermaßnahmen für Übergänge.",
            "description_en": "Semiconductors.",
            "year": "2020",
            "website": "http://dresden.example",
            "source_url": "https://example.org/dd",
        },
        {
            "name": HOSTILE_NAME,
            "program": "weitere_orte",
            "place": "erfurt",
            "municipality": "Erfurt",
            "locality": "",
            "themes": "",
            "description_de": "Thüringer Köstlichkeiten.",
            "description_en": "",
            "year": "",
            "website": "",
            "source_url": "",
        },
    ]


def lon_lat(row: dict) -> tuple[float, float]:
    return PLACES[row["place"]]


def projected(row: dict, epsg: int) -> tuple[float, float]:
    return Transformer.from_crs(4326, epsg, always_xy=True).transform(*lon_lat(row))


def attribute_frame(rows: list[dict]) -> pd.DataFrame:
    """Rows as a table; a key only some rows have is an empty cell in the others."""
    return pd.DataFrame([{key: value for key, value in row.items() if key != "place"} for row in rows]).fillna("")


def write_csv(
    path: Path,
    rows: list[dict],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    decimal: str = ".",
    coordinates: str = "latlon",  # or "xy:<epsg>" or "none"
    extra: dict[str, list[str]] | None = None,
) -> Path:
    frame = attribute_frame(rows)
    if coordinates == "latlon":
        frame["lat"] = [f"{lon_lat(row)[1]:.6f}" for row in rows]
        frame["lon"] = [f"{lon_lat(row)[0]:.6f}" for row in rows]
    elif coordinates.startswith("xy:"):
        epsg = int(coordinates[3:])
        frame["x"] = [f"{projected(row, epsg)[0]:.3f}" for row in rows]
        frame["y"] = [f"{projected(row, epsg)[1]:.3f}" for row in rows]
    for column, values in (extra or {}).items():
        frame[column] = values
    if decimal == ",":
        for column in ("lat", "lon", "x", "y"):
            if column in frame:
                frame[column] = frame[column].str.replace(".", ",", regex=False)
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False))
    return path


def geo_frame(rows: list[dict], epsg: int = 4326, geometries: list | None = None) -> gpd.GeoDataFrame:
    if geometries is None:
        geometries = [shapely.Point(projected(row, epsg) if epsg != 4326 else lon_lat(row)) for row in rows]
    return gpd.GeoDataFrame(attribute_frame(rows), geometry=geometries, crs=f"EPSG:{epsg}")


def write_gpkg(path: Path, rows: list[dict], *, epsg: int | None = 4326, layer: str = "sites", geometries=None) -> Path:
    frame = geo_frame(rows, epsg or 4326, geometries)
    if epsg is None:
        frame = frame.set_crs(None, allow_override=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "'crs' was not provided")  # the point of the no-CRS fixture
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", append=Path(path).exists())
    return path


def write_gpkg_with_dates(path: Path, rows: list[dict]) -> Path:
    """A GeoPackage whose `updated` column is a real DATE and with a DATETIME column."""
    frame = attribute_frame(rows)
    fields = list(frame.columns) + ["updated", "eroeffnet_am"]
    field_data = [frame[column].to_numpy(dtype=object) for column in frame.columns]
    field_data.append(np.array(["2023-05-01"] * len(rows), dtype="datetime64[D]"))
    field_data.append(np.array(["2023-05-01T10:30:00"] * len(rows), dtype="datetime64[s]"))
    points = shapely.to_wkb(np.array([shapely.Point(lon_lat(row)) for row in rows]))
    write_raw(
        path,
        points,
        field_data=field_data,
        fields=fields,
        layer="sites",
        driver="GPKG",
        geometry_type="Point",
        crs="EPSG:4326",
    )
    return path


def write_geojson(
    path: Path, rows: list[dict], *, epsg: int = 4326, declare_crs: bool = False, geometries=None
) -> Path:
    frame = geo_frame(rows, epsg, geometries)
    document = json.loads(frame.to_json(drop_id=True))
    if declare_crs:
        document["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    Path(path).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def write_zip(path: Path, member: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(member, member.name)
    return path


def current_sites(rows: list[dict] | None = None) -> gpd.GeoDataFrame:
    """A sites layer as the build writes it: every site column plus surroundings."""
    rows = site_rows() if rows is None else rows
    records = []
    for row in rows:
        record = {column: None for column in fields.SITE_COLUMNS}
        record.update({key: (value or None) for key, value in row.items() if key in fields.SITE_COLUMNS})
        record["site_id"] = row.get("site_id") or slugify(row["name"])
        state_code, district_ags, municipality_ags = PLACE_AREAS[row["place"]]
        record.update(
            state_code=state_code,
            district_ags=district_ags,
            municipality_ags=municipality_ags,
            precision="address",
            updated="2024-01-15",
        )
        record["year"] = int(row["year"]) if row.get("year") else None
        record.update(airport_name="BER", airport_km=25.5)
        records.append(record)
    frame = pd.DataFrame(records)
    frame["year"] = frame["year"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=[shapely.Point(lon_lat(row)) for row in rows], crs="EPSG:4326")


def build_sites(path: Path, rows: list[dict] | None = None) -> Path:
    pyogrio.write_dataframe(current_sites(rows), path, layer=store.SITES_LAYER, driver="GPKG")
    return path
