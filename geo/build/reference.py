"""Build data/reference.gpkg (docs/ARCHITECTURE.md) from the registry packages and the shared reference tables.

Run it as ``python -m geo build``. The output is deterministic: rows are sorted by their keys and
geometries pass through the same simplification and rounding, so two builds from the same inputs give
the same rows and geometries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.core import npm_sources
from geo.core.errors import InputRefused
from geo.core.paths import REFERENCE_GPKG, SOURCES_DIR
from geo.core.schema import (
    AID_AREA_NOT_VERIFIED,
    AID_AREAS,
    AID_AREAS_WITH_CEILINGS,
    METRIC_CRS,
    STATE_CODES,
    STORAGE_CRS,
)
from geo.sites.facts_history import HISTORY_TABLE, check_history, read_history_csv

STATS_YEAR = 2018
EXPECTED_DISTRICTS = 67
# Eisenach (kreisfreie Stadt) joined the Wartburgkreis on 1 July 2021 (Thüringer Gesetz zur freiwilligen
# Neugliederung kreisangehöriger Gemeinden ... 2019); the 2017 boundaries and 2018 statistics predate it.
DISTRICT_MERGERS = {"16056": "16063"}
# Simplification tolerances in metres (EPSG:3035) for the *_web layers and the municipality layer,
# and the decimal places kept in EPSG:4326 (5 places ≈ 1 m; 4 places made a few small polygons self-intersect).
WEB_TOLERANCE_M = {"districts": 250.0, "municipalities": 200.0}
MUNICIPALITY_TOLERANCE_M = 25.0
WEB_DECIMALS = 5
STORAGE_DECIMALS = 6
# The shared reference files the build copies into data/sources/. The regional aid table is not among
# them: data/sources/regional_aid_reference.csv is curated here (sources that settle districts the design's
# copy left "not verified", a "partly C" class); each change against that copy is a row of
# reference_corrections.csv with its source.
REFERENCE_FILES = (
    "zones_reference.csv",
    "zones_facts.md",
    "sites_reference.csv",
    "sites_reference.md",
)


# Curated tables in data/sources/ and what the app uses them for (shown in the `sources` table).
PROJECT_SOURCE_FILES = {
    "sites.csv": "the sites: names, programs, descriptions, sourced coordinates",
    "sites_reference.csv": "the reference list the sites are curated from (copy of the design's reference)",
    "reference_corrections.csv": "corrections to the reference list and the regional aid table, each with its source",
    "municipality_mergers.csv": "municipalities merged since the 2017 boundaries, each with its source",
    "programs.csv": "program vocabulary and explanations",
    "themes.csv": "theme vocabulary",
    "program_completeness.csv": "how many places each program names, and where it says so",
    "zones_reference.csv": "structural-change zones and their member districts (InvKG § 2, § 11; JTF plans)",
    "zone_facts.csv": "funding facts of the zones (transcribed from zones_facts.md with sources)",
    "regional_aid_reference.csv": "regional aid map 2022–2027 per district (area type, EU ceilings, source)",
    "airports_reviewed.csv": "airports with scheduled passenger flights (reviewed list)",
    "secondary_sources.csv": "hosts that only copy what others published (document-sharing sites, Wikipedia mirrors): "
    "links to them are marked as copies",
    "district_labour.csv": "labour-market figures per district (Regionalstatistik, BA), each with table, date, source",
    "research_institutions.csv": "universities and research institutes, each with its source page",
    "development_banks.csv": "the state development banks that take GRW applications",
}


class BuildError(InputRefused):
    """The sources do not yield a complete, consistent dataset (a source file is missing, unreadable or
    breaks a rule); `python -m geo build` ends with exit code 1 and this message."""


def iter_features(items: Iterable[dict]) -> Iterator[dict]:
    """The package's files are JSON arrays that mix Features and nested FeatureCollections."""
    for item in items:
        if item.get("type") == "FeatureCollection":
            yield from iter_features(item["features"])
        else:
            yield item


def read_vg250_germany(path: Path, ags_length: int) -> gpd.GeoDataFrame:
    """Land areas (GF 4) of one VG250 layer for all of Germany (the labour pool reaches beyond the four
    states, and Berlin's institutions are near Brandenburg's sites)."""
    features = [
        feature
        for feature in iter_features(json.loads(path.read_text(encoding="utf-8")))
        if feature["properties"]["GF"] == 4 and len(feature["properties"]["AGS"]) == ags_length
    ]
    return gpd.GeoDataFrame.from_features(features, crs=STORAGE_CRS)


def read_vg250_layer(path: Path, ags_length: int) -> gpd.GeoDataFrame:
    """Land areas (GF 4) of one VG250 layer, restricted to the four states."""
    features = [
        feature
        for feature in iter_features(json.loads(path.read_text(encoding="utf-8")))
        if feature["properties"]["GF"] == 4
        and feature["properties"]["AGS"][:2] in STATE_CODES
        and len(feature["properties"]["AGS"]) == ags_length
    ]
    frame = gpd.GeoDataFrame.from_features(features, crs=STORAGE_CRS)
    return frame.sort_values("AGS", kind="stable").reset_index(drop=True)


def read_district_statistics(package: Path) -> pd.DataFrame:
    rows = json.loads((package / "data" / "districts.json").read_text(encoding="utf-8"))
    stats = pd.DataFrame(rows)
    # The package stores AGS as text for 01001–09xxx but as JSON numbers from 10000 on.
    stats["AGS"] = stats["AGS"].map(lambda ags: f"{int(ags):05d}")
    stats = stats[stats["AGS"].str[:2].isin(list(STATE_CODES))]
    return stats[["AGS", "NUTS3", "type", "population", "area_km2"]].rename(
        columns={"AGS": "ags", "NUTS3": "nuts3", "type": "stats_kind"}
    )


def merged_districts(vg250: gpd.GeoDataFrame, stats: pd.DataFrame) -> gpd.GeoDataFrame:
    """Today's districts: dissolve the merged ones and sum their population and area."""
    districts = vg250.rename(columns={"AGS": "ags", "GEN": "name", "BEZ": "kind"})[
        ["ags", "name", "kind", "geometry"]
    ].merge(stats, on="ags", how="left", validate="one_to_one")
    missing = districts[districts["population"].isna() | districts["area_km2"].isna()]
    if not missing.empty:
        raise BuildError(
            "No Destatis population/area for districts: "
            + ", ".join(f"{row.ags} {row['name']}" for _, row in missing.iterrows())
        )
    for absorbed, successor in DISTRICT_MERGERS.items():
        both = districts["ags"].isin([absorbed, successor])
        if both.sum() != 2:
            continue  # the sources already show the merged district
        parts = districts[both]
        merged = parts[parts["ags"] == successor].iloc[0].copy()
        merged["geometry"] = shapely.union_all(parts.geometry.values)
        merged["population"] = parts["population"].sum()
        merged["area_km2"] = round(float(parts["area_km2"].sum()), 2)
        districts = pd.concat([districts[~both], gpd.GeoDataFrame([merged], crs=districts.crs)], ignore_index=True)
    districts = gpd.GeoDataFrame(districts, crs=STORAGE_CRS)
    districts["population"] = districts["population"].astype("int64")
    districts["density"] = (districts["population"] / districts["area_km2"]).round(1)
    districts["stats_year"] = STATS_YEAR
    districts["state_code"] = districts["ags"].str[:2].map(STATE_CODES)
    if len(districts) != EXPECTED_DISTRICTS:
        raise BuildError(f"Expected {EXPECTED_DISTRICTS} districts, the sources give {len(districts)}")
    return districts.sort_values("ags", kind="stable").reset_index(drop=True)


def read_source_csv(path: Path) -> pd.DataFrame:
    """A curated CSV of data/sources/ as text (blank cells as ""); a missing or unreadable file is a
    BuildError that names it."""
    if not Path(path).exists():
        raise BuildError(f"{path} is missing")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise BuildError(f"{Path(path).name} cannot be read as a UTF-8 CSV file: {error}") from error


def read_reference_csv(name: str) -> pd.DataFrame:
    return read_source_csv(SOURCES_DIR / name)


def join_regional_aid(districts: gpd.GeoDataFrame, aid: pd.DataFrame) -> gpd.GeoDataFrame:
    """Attach the 2022–2027 regional aid map; a district no source covers stays 'not verified'."""
    aid = aid.rename(
        columns={
            "aid_area": "aid_area",
            "eu_ceiling_large_pct": "aid_max_large_pct",
            "eu_ceiling_medium_pct": "aid_max_medium_pct",
            "eu_ceiling_small_pct": "aid_max_small_pct",
            "confidence": "aid_confidence",
            "source_url": "aid_source_url",
            "note": "aid_note",
            "note_de": "aid_note_de",
            "valid_from": "aid_valid_from",
        }
    )
    columns = [
        "ags",
        "aid_area",
        "aid_max_large_pct",
        "aid_max_medium_pct",
        "aid_max_small_pct",
        "aid_confidence",
        "aid_source_url",
        "aid_note",
        "aid_note_de",
        "aid_valid_from",
    ]
    unknown = set(aid["ags"]) - set(districts["ags"])
    if unknown:
        raise BuildError(f"Regional aid rows for unknown district AGS: {sorted(unknown)}")
    joined = districts.merge(aid[columns], on="ags", how="left")
    joined["aid_area"] = joined["aid_area"].replace("", np.nan).fillna(AID_AREA_NOT_VERIFIED)
    unknown_areas = sorted(set(joined["aid_area"]) - set(AID_AREAS))
    if unknown_areas:
        raise BuildError(f"Unknown regional aid area types {unknown_areas}; allowed: {list(AID_AREAS)}")
    for column in ("aid_max_large_pct", "aid_max_medium_pct", "aid_max_small_pct"):
        joined[column] = pd.to_numeric(joined[column].replace("", np.nan), errors="raise")
    untranslated = aid.loc[(aid["aid_note"] != "") & (aid["aid_note_de"] == ""), "ags"].tolist()
    if untranslated:
        raise BuildError(f"Regional aid notes without a German wording (column note_de): AGS {untranslated}")
    for column in ("aid_confidence", "aid_source_url", "aid_note", "aid_note_de", "aid_valid_from"):
        joined[column] = joined[column].fillna("")
    # a ceiling only where the map sets one (C areas, the C part of a split district), never for a D area
    # or a district nobody verified; a district with an area type names the source that settles it
    with_rate_but_no_ceiling_area = joined[
        ~joined["aid_area"].isin(AID_AREAS_WITH_CEILINGS) & joined["aid_max_large_pct"].notna()
    ]
    if not with_rate_but_no_ceiling_area.empty:
        raise BuildError(
            "A D or 'not verified' district carries an aid rate: " + ", ".join(with_rate_but_no_ceiling_area["ags"])
        )
    unsourced = joined[
        (joined["aid_area"] != AID_AREA_NOT_VERIFIED) & ~joined["aid_source_url"].str.match(r"^https?://")
    ]
    if not unsourced.empty:
        raise BuildError("A regional aid area without an http(s) source_url: " + ", ".join(unsourced["ags"]))
    return gpd.GeoDataFrame(joined, crs=districts.crs)


def build_zones(districts: gpd.GeoDataFrame, zone_rows: pd.DataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    unknown = set(zone_rows["ags"]) - set(districts["ags"])
    if unknown:
        raise BuildError(f"Zone rows for unknown district AGS: {sorted(unknown)}")
    zone_districts = (
        zone_rows[["zone_id", "ags"]].drop_duplicates().sort_values(["zone_id", "ags"]).reset_index(drop=True)
    )
    zones = []
    for zone_id, rows in zone_rows.groupby("zone_id", sort=True):
        first = rows.iloc[0]
        members = districts[districts["ags"].isin(rows["ags"])]
        zones.append(
            {
                "zone_id": zone_id,
                "name": first["zone_name_de"],
                "name_en": first["zone_name_en"],
                "zone_type": first["zone_type"],
                "legal_basis": first["legal_basis"],
                "source_url": first["source_url"],
                "geometry": shapely.union_all(members.geometry.values),
            }
        )
    return gpd.GeoDataFrame(zones, crs=districts.crs), zone_districts


def round_coordinates(geometries: np.ndarray, decimals: int) -> np.ndarray:
    """Round every vertex; shared borders stay shared because equal vertices round equally."""
    rounded = shapely.transform(geometries, lambda coords: np.round(coords, decimals))
    invalid = ~shapely.is_valid(rounded)
    if invalid.any():
        # Repairing changes a border on one side only, so it is the exception, not the rule.
        rounded[invalid] = shapely.make_valid(rounded[invalid], method="structure", keep_collapsed=False)
    return rounded


def simplified_coverage(frame: gpd.GeoDataFrame, tolerance_m: float, decimals: int) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage (no gaps or overlaps between neighbours)."""
    metric = frame.geometry.to_crs(METRIC_CRS).values
    simplified = shapely.coverage_simplify(metric, tolerance_m, simplify_boundary=True)
    geographic = gpd.GeoSeries(simplified, crs=METRIC_CRS).to_crs(STORAGE_CRS).values
    result = frame.copy()
    result.geometry = round_coordinates(geographic, decimals)
    return result


def dissolve_by(frame: gpd.GeoDataFrame, key: str, keys: pd.DataFrame) -> gpd.GeoDataFrame:
    """Union the member polygons of each key into one geometry, keeping `keys`' attributes."""
    geometries = [shapely.union_all(frame.loc[frame[key] == value, "geometry"].values) for value in keys[key]]
    return gpd.GeoDataFrame(keys.reset_index(drop=True), geometry=geometries, crs=frame.crs)


def read_municipalities(boundaries: Path, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    vg250 = read_vg250_layer(boundaries / "gemeinden.geo.json", ags_length=8)
    municipalities = vg250.rename(columns={"AGS": "ags", "GEN": "name", "BEZ": "kind"})[
        ["ags", "name", "kind", "geometry"]
    ].copy()
    district_of = municipalities["ags"].str[:5]
    municipalities["district_ags"] = district_of.replace(DISTRICT_MERGERS)
    municipalities["state_code"] = municipalities["ags"].str[:2].map(STATE_CODES)
    unknown = set(municipalities["district_ags"]) - set(districts["ags"])
    if unknown:
        raise BuildError(f"Municipalities in unknown districts: {sorted(unknown)}")
    # A Gemeinde may come in several parts (exclaves) as separate features: one row per AGS.
    municipalities = municipalities.dissolve(by="ags", as_index=False, aggfunc="first")
    return (
        gpd.GeoDataFrame(
            municipalities[["ags", "name", "kind", "district_ags", "state_code", "geometry"]],
            crs=STORAGE_CRS,
        )
        .sort_values("ags", kind="stable")
        .reset_index(drop=True)
    )


def sources_table(packages: dict[str, str]) -> pd.DataFrame:
    rows = []
    for source in npm_sources.BUILD_SOURCES:
        rows.append(
            {
                "name": source.package,
                "version": packages.get(source.package, source.version),
                "registry": "npm",
                "licence": source.licence,
                "attribution": source.attribution,
                "used_for": source.used_for,
                "vintage": source.vintage,
                "url": source.homepage,
            }
        )
    from geo.sites.surroundings import surroundings_sources

    known = {row["name"] for row in rows}
    rows.extend(row for row in surroundings_sources() if row["name"] not in known)
    for file_name, used_for in PROJECT_SOURCE_FILES.items():
        rows.append(
            {
                "name": f"data/sources/{file_name}",
                "version": "",
                "registry": "project",
                "licence": "facts from public sources; every row names its source URL",
                "attribution": "see the source_url column of each row",
                "used_for": used_for,
                "vintage": "compiled November 2026",
                "url": "",
            }
        )
    return pd.DataFrame(rows)


def check_reference_files() -> None:
    """The curated reference files are the project's own copies in data/sources/ (corrected there, with
    their sources); the build reads them and never overwrites them."""
    missing = [name for name in REFERENCE_FILES if not (SOURCES_DIR / name).exists()]
    if missing:
        raise BuildError(f"Reference files missing in {SOURCES_DIR}: {', '.join(missing)}")


def read_zone_facts() -> pd.DataFrame:
    return read_reference_csv("zone_facts.csv")


def read_fact_history() -> pd.DataFrame:
    """Superseded plot figures (data/sources/site_facts_history.csv), checked against the current ones;
    stored for the record, shown by no view."""
    from geo.sites.facts import read_facts_csv

    try:
        history = read_history_csv()
    except ValueError as error:
        raise BuildError(str(error)) from None
    problems = check_history(history, read_facts_csv())
    if problems:
        raise BuildError("; ".join(problems))
    return history


def investor_layers(
    boundaries: Path, statistics: Path, states: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame, log=print
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """The layers `pool_districts` and `research_institutions` (geo/build/investor.py)."""
    from geo.build import investor as build_investor

    log("districts within reach for the labour pool; universities and research institutes")
    all_districts = read_vg250_germany(boundaries / "kreise.geo.json", 5)
    all_states = read_vg250_germany(boundaries / "laender.geo.json", 2)
    return (
        build_investor.pool_districts(all_districts, statistics, states),
        build_investor.research_layer(municipalities, states, all_states),
    )


def build_reference(output: Path = REFERENCE_GPKG, log=print) -> Path:
    check_reference_files()
    boundaries = npm_sources.package_dir(npm_sources.BOUNDARIES)
    statistics = npm_sources.package_dir(npm_sources.DISTRICT_STATISTICS)
    log(f"reading boundaries from {boundaries}")
    states = read_vg250_layer(boundaries / "laender.geo.json", ags_length=2)
    states = gpd.GeoDataFrame(
        {
            "state_code": states["AGS"].map(STATE_CODES),
            "ags": states["AGS"],
            "name": states["GEN"],
        },
        geometry=states.geometry.values,
        crs=STORAGE_CRS,
    )
    if len(states) != 4:
        raise BuildError(f"Expected 4 states, found {len(states)}")

    districts = merged_districts(
        read_vg250_layer(boundaries / "kreise.geo.json", ags_length=5),
        read_district_statistics(statistics),
    )
    districts = join_regional_aid(districts, read_reference_csv("regional_aid_reference.csv"))
    zones, zone_districts = build_zones(districts, read_reference_csv("zones_reference.csv"))
    log("reading municipalities")
    municipalities = read_municipalities(boundaries, districts)

    log("simplifying web layers as coverages")
    districts_web = simplified_coverage(
        districts[["ags", "name", "kind", "state_code", "geometry"]],
        WEB_TOLERANCE_M["districts"],
        WEB_DECIMALS,
    )
    states_web = dissolve_by(districts_web, "state_code", states[["state_code", "ags", "name"]])
    zone_keys = zones.drop(columns="geometry")
    zones_web = gpd.GeoDataFrame(
        zone_keys,
        geometry=[
            shapely.union_all(
                districts_web.loc[
                    districts_web["ags"].isin(zone_districts.loc[zone_districts["zone_id"] == zone_id, "ags"]),
                    "geometry",
                ].values
            )
            for zone_id in zone_keys["zone_id"]
        ],
        crs=STORAGE_CRS,
    )
    municipalities_web = simplified_coverage(municipalities, WEB_TOLERANCE_M["municipalities"], WEB_DECIMALS)
    municipalities = simplified_coverage(municipalities, MUNICIPALITY_TOLERANCE_M, STORAGE_DECIMALS)

    pool_districts, research = investor_layers(boundaries, statistics, states, municipalities, log)
    for frame in (states, districts, zones, pool_districts, research):
        frame.geometry = round_coordinates(frame.geometry.values, STORAGE_DECIMALS)

    layers = {
        "states": states,
        "districts": districts,
        "municipalities": municipalities,
        "zones": zones,
        "states_web": states_web,
        "districts_web": districts_web,
        "municipalities_web": municipalities_web,
        "zones_web": zones_web,
        "pool_districts": pool_districts,
        "research_institutions": research,
    }
    from geo.sites.surroundings import RAIL_STATIONS_TABLE, read_long_distance_stations

    tables = {
        RAIL_STATIONS_TABLE: read_long_distance_stations(npm_sources.package_dir(npm_sources.RAIL_STATIONS)),
        "zone_districts": zone_districts,
        "zone_facts": read_zone_facts(),
        "development_banks": read_reference_csv("development_banks.csv"),
        HISTORY_TABLE: read_fact_history(),
        "sources": sources_table(installed_versions()),
    }
    write_geopackage(output, layers, tables)
    log(f"wrote {output} ({output.stat().st_size / 1e6:.1f} MB)")
    return output


def installed_versions() -> dict[str, str]:
    versions = {}
    for source in npm_sources.BUILD_SOURCES:
        manifest = npm_sources.NPM_CACHE_DIR / "node_modules" / source.package / "package.json"
        if manifest.exists():
            versions[source.package] = json.loads(manifest.read_text())["version"]
    return versions


def write_geopackage(output: Path, layers: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame]) -> None:
    """Write every layer into a temporary file, then replace the old file in one step."""
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.stem + ".tmp.gpkg")
    temporary.unlink(missing_ok=True)
    for name, frame in layers.items():
        frame.to_file(temporary, layer=name, driver="GPKG", engine="pyogrio")
    for name, table in tables.items():
        pyogrio.write_dataframe(table, temporary, layer=name, driver="GPKG")
    temporary.replace(output)
