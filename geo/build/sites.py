"""Build data/sites.gpkg from data/sources/sites.csv and data/reference.gpkg.

Run it as ``python -m geo build --only sites``. What it does, row by row, and why:

* **Inclusion rule**: every row has a `status` from `geo.schema.SITE_STATUSES`, and only `active`
  places (operating today) are in the list; places left out on purpose are in sites_left_out.csv with
  their reason, and none of them may come back into the list under the same name.
* **Checks** every row against the vocabularies (program, themes, precision, state) and requires an
  http(s) `source_url` and both descriptions; a row with coordinates needs a coordinate precision
  (`address`, `site` or `locality`, see `geo.core.schema.PRECISIONS`) and the `coord_source_url` that states
  them.
* **District**: the row's district text ("Halle (Saale) (kreisfreie Stadt)", "Leipzig (Landkreis)",
  "Salzlandkreis") is matched to one district of reference.gpkg within the row's state
  (`geo.sites.rules`, the same rules as the import); plain "Leipzig" is decided by the municipality.
* **Municipality**: matched by name within that district (boundaries of 2017); municipalities merged
  since are resolved through data/sources/municipality_mergers.csv and the locality.
* **Sourced coordinates** (`address`, `site`, `locality`) must lie inside the named municipality (its 2017
  polygon or a recorded predecessor) and the named district, else the build fails naming the row.
* **Sites without coordinates** (`precision=municipality`) are placed inside their municipality's
  polygon, on its representative point (``point_on_surface``, always inside, unlike a centroid). No
  point is ever placed by hand. Several sites in one municipality are spread on a small ring around that
  point (about 500 m apart, at least 300 m, each at least 50 m inside the polygon), so no marker hides
  another; the order on the ring follows `site_id`, so the layout is deterministic.
* `state_code`, `district_ags` and `municipality_ags` are then derived from the point by
  point-in-polygon, never typed. `municipality_ags` is the key of the 2017 polygon in reference.gpkg
  that holds the point; for a municipality formed later (e.g. Kindelbrück with Kannawurf, 2019) it is the
  predecessor's key, so it always joins to the `municipalities` layer.
* `site_id` is a slug of the name (stable when a description changes); names that clash get the
  municipality's slug appended (all of them, so the ids do not depend on row order). A renamed site's
  old id is listed in data/sources/site_id_renames.csv (checked here: the new id exists, the old one is
  no site's id again), so links that carry it still open the site.
* `updated` is the compilation date of the site list (`SOURCE_DATE`, or a row's own `updated` value if
  the CSV has that column), never the day of the build, so two builds give identical files.
* The surroundings (nearest airport, long-distance station, city) come from `geo.sites.surroundings`.

Rows are written sorted by `site_id`; coordinates are rounded to 6 decimals (about 0.1 m).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.build.placement import assign_site_ids, spread_points
from geo.build.places import Places, containing_ags
from geo.build.reference import BuildError, read_source_csv
from geo.build.site_sources import SITE_SOURCES_CSV, check_site_sources
from geo.core.fields import SITE_COLUMNS, SITE_FIELDS, with_typed_columns, year_value
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG, SOURCES_DIR
from geo.core.schema import (
    COORDINATE_PRECISIONS,
    METRIC_CRS,
    SITE_SURROUNDING_COLUMNS,
    STORAGE_CRS,
    STORED_DECIMALS,
    THEME_SEPARATOR,
    four_states_label,
)
from geo.core.values import is_web_url
from geo.sites.fact_checks import check_table
from geo.sites.facts import DERIVED_COLUMNS, FACTS_CSV, empty_table, read_facts_csv, with_fact_columns
from geo.sites.facts_history import check_history, read_history_csv
from geo.sites.inclusion import check_left_out, status_problems
from geo.sites.municipalities import (
    MERGERS_CSV,
    MatchError,
    MunicipalityMatch,
    district_candidates,
    match_municipality,
    match_names,
    read_mergers,
)
from geo.sites.renames import check_renames, read_renames
from geo.sites.rules import check_site_values
from geo.sites.site_list import SOURCE_DATE  # the list's compilation date, shared with the app

SITES_CSV = SOURCES_DIR / "sites.csv"
# Columns every row of the curated list fills (the import may leave columns out: they stay as they are).
FILLED_COLUMNS = (
    "name",
    "program",
    "state_code",
    "municipality",
    "themes",
    "description_de",
    "description_en",
    "precision",
    "status",
    "source_url",
)
REQUIRED_COLUMNS = [
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
    "source_url",
    "coord_source_url",
]


# --- ids --------------------------------------------------------------------------------------------


# --- spreading --------------------------------------------------------------------------------------


# --- the build --------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: int
    record: dict
    source: str = "sites.csv"
    district_ags: str = ""
    match: MunicipalityMatch | None = None
    point: Point | None = None  # EPSG:3035

    @property
    def label(self) -> str:
        return f"{self.source} line {self.line} ({self.record['name'] or 'no name'})"

    @property
    def place(self) -> MunicipalityMatch:
        """The row's municipality, matched before any later step reads it."""
        if self.match is None:
            raise ValueError(f"{self.label}: no municipality was matched")
        return self.match


def read_sites_csv(path: Path) -> pd.DataFrame:
    table = read_source_csv(path)
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        raise BuildError(f"{Path(path).name} lacks the columns {missing}")
    return table.apply(lambda column: column.str.strip())


def _record_start_lines(path: Path) -> list[int]:
    """The physical line on which each data record starts (quoted fields may span lines)."""
    starts = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        previous = 0
        header_seen = False
        for record in reader:
            if record and not (len(record) == 1 and not record[0].strip()):  # pandas skips blank lines
                if header_seen:
                    starts.append(previous + 1)
                header_seen = True
            previous = reader.line_num
    return starts


def _check_row(row: _Row, program_ids: set[str], theme_ids: set[str]) -> list[str]:
    record = row.record
    values = {column: (value or None) for column, value in record.items()}
    problems = [
        f"{problem.field}: {problem.message_en}"
        for problem in check_site_values(values, program_ids, theme_ids, required=FILLED_COLUMNS)
    ]
    record.update({column: "" if value is None else value for column, value in values.items()})
    if record.get("updated") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["updated"]):
        problems.append(f"updated '{record['updated']}' is not a date YYYY-MM-DD")
    problems.extend(status_problems(record))
    has_lat, has_lon = bool(record["lat"]), bool(record["lon"])
    if has_lat != has_lon:
        problems.append("lat and lon must be given together")
    elif has_lat:
        try:
            lat, lon = float(record["lat"]), float(record["lon"])
        except ValueError:
            problems.append("lat/lon are not numbers")
        else:
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                problems.append("lat/lon are out of range")
        if record["precision"] not in COORDINATE_PRECISIONS:
            problems.append(f"a row with coordinates needs one of the precisions {list(COORDINATE_PRECISIONS)}")
        if not is_web_url(record["coord_source_url"]):
            problems.append("coordinates need an http(s) coord_source_url that states them")
    elif record["precision"] in COORDINATE_PRECISIONS:
        problems.append(f"precision '{record['precision']}' needs lat and lon")
    return [f"{row.label}: {problem}" for problem in problems]


def _resolve_place(row: _Row, districts: pd.DataFrame, municipalities: pd.DataFrame, mergers: list) -> str | None:
    """Set row.district_ags and row.match; return an error message or None."""
    record = row.record
    candidates = district_candidates(record["district"], record["state_code"], districts)
    if candidates.empty:
        return (
            f"{row.label}: district '{record['district']}' is not a district of "
            f"{record['state_code']} in reference.gpkg"
        )
    results, errors = [], []
    for ags in candidates["ags"]:
        try:
            results.append(
                (ags, match_municipality(record["municipality"], record["locality"], ags, municipalities, mergers))
            )
        except MatchError as error:
            errors.append(str(error))
    if len(results) == 1:
        row.district_ags, row.match = results[0]
        return None
    if len(results) > 1:
        return (
            f"{row.label}: district '{record['district']}' is ambiguous "
            f"({', '.join(ags for ags, _ in results)}); write e.g. '(Landkreis)' or '(kreisfreie Stadt)'"
        )
    message = f"{row.label}: " + "; ".join(errors)
    elsewhere = _found_elsewhere(record, districts, municipalities, set(candidates["ags"]))
    return message + elsewhere


def _found_elsewhere(record: dict, districts: pd.DataFrame, municipalities: pd.DataFrame, searched: set[str]) -> str:
    """A hint when the municipality exists in another district of the state."""
    in_state = municipalities[
        (municipalities["state_code"] == record["state_code"]) & ~municipalities["district_ags"].isin(list(searched))
    ]
    hits = match_names(record["municipality"], in_state["name"])
    if not hits:
        return ""
    district_name = dict(zip(districts["ags"], districts["name"], strict=True))
    places = ", ".join(
        f"{in_state.at[h, 'name']} ({in_state.at[h, 'ags']}) in district "
        f"{district_name.get(in_state.at[h, 'district_ags'], '?')} "
        f"({in_state.at[h, 'district_ags']})"
        for h in hits
    )
    return f" — a municipality of that name lies in another district: {places}"


def _read_vocabularies() -> tuple[set[str], set[str]]:
    from geo.core.schema import programs, themes

    try:
        return set(programs()), set(themes())
    except FileNotFoundError as error:
        raise BuildError(f"vocabulary file missing: {error.filename}") from None
    except (UnicodeDecodeError, csv.Error, KeyError) as error:
        raise BuildError(f"the program or theme list cannot be read: {error!r}") from None


def build_sites(
    log=print,
    sites_csv: Path = SITES_CSV,
    reference_path: Path = REFERENCE_GPKG,
    output: Path = SITES_GPKG,
    mergers_csv: Path = MERGERS_CSV,
    with_surroundings: bool = True,
    facts_csv: Path | None = None,
) -> Path:
    """Build data/sites.gpkg from the curated list: check every row, find its municipality, check its
    sourced point or place it inside its municipality, derive the keys from the stored point, add the
    surroundings and the plot facts. Any problem stops the build with every problem of its step listed."""
    rows = _checked_rows(sites_csv, log)
    places = Places.load(reference_path)
    mergers = _read_mergers(mergers_csv)
    _fail_if(
        [problem for row in rows if (problem := _resolve_place(row, places.districts, places.municipalities, mergers))],
        log,
    )
    address_rows = [row for row in rows if row.record["precision"] in COORDINATE_PRECISIONS]
    _fail_if(_sourced_point_problems(address_rows, places), log)
    site_ids = assign_site_ids(
        [r.record["name"] for r in rows], [r.record["municipality"] for r in rows], [r.record["locality"] for r in rows]
    )
    _place_without_coordinates(rows, address_rows, site_ids, places)
    stored = _stored_points(rows)
    records, problems = _site_records(rows, stored.to_crs(METRIC_CRS), site_ids, places, log)
    _fail_if(problems, log)
    _fail_if(
        [
            f"{row.label}: state_code '{row.record['state_code']}' but the point lies in {rec['state_code']}"
            for row, rec in zip(rows, records, strict=True)
            if row.record["state_code"] != rec["state_code"]
        ],
        log,
    )
    sites = with_typed_columns(gpd.GeoDataFrame(records, geometry=list(stored.values), crs=STORAGE_CRS))
    sites = _with_surroundings(sites, with_surroundings)
    # Plot facts belong to the curated list: another list (a test's, a steward's) gets none unless a
    # facts file is named.
    if facts_csv is None and Path(sites_csv).resolve() == SITES_CSV.resolve():
        facts_csv = FACTS_CSV
    facts = _read_facts(facts_csv)
    _fail_if(check_table(facts, sites["site_id"]), log)
    if facts_csv is not None and Path(facts_csv).resolve() == FACTS_CSV.resolve():
        _fail_if(check_history(read_history_csv(), facts, sites["site_id"]), log)
    if Path(sites_csv).resolve() == SITES_CSV.resolve():  # further pages belong to the curated list only
        checked = check_site_sources(read_sites_csv(sites_csv)["name"])
        log(f"checked {checked} further source pages in {SITE_SOURCES_CSV.name}")
        # old ids of renamed sites keep their links working: each points at a site, none is reused
        _fail_if(check_renames(read_renames(), set(sites["site_id"])), log)
    sites = with_fact_columns(sites, facts)
    sites = sites[SITE_COLUMNS + SITE_SURROUNDING_COLUMNS + DERIVED_COLUMNS + ["geometry"]]
    sites = sites.sort_values("site_id", kind="stable").reset_index(drop=True)
    _write(sites, Path(output), facts)
    if facts_csv is not None:
        log(f"wrote {len(facts)} site facts for {facts['site_id'].nunique()} sites from {Path(facts_csv).name}")
    exact = int(sites["precision"].isin(COORDINATE_PRECISIONS).sum())
    log(
        f"wrote {output}: {len(sites)} sites ({exact} with sourced coordinates, "
        f"{len(sites) - exact} placed in their municipality)"
    )
    return Path(output)


def _checked_rows(sites_csv: Path, log) -> list[_Row]:
    """The rows of the curated list, each with its physical line, checked by the shared rules."""
    table = read_sites_csv(sites_csv)
    log(f"reading {len(table)} sites from {sites_csv}")
    program_ids, theme_ids = _read_vocabularies()
    lines = _record_start_lines(sites_csv)
    rows = [
        _Row(line=lines[index], record=record, source=Path(sites_csv).name)
        for index, record in enumerate(table.to_dict("records"))
    ]
    problems = [problem for row in rows for problem in _check_row(row, program_ids, theme_ids)]
    if Path(sites_csv).resolve() == SITES_CSV.resolve():  # places left out on purpose must stay out
        problems.extend(check_left_out(table))
    _fail_if(problems, log)
    return rows


def _read_mergers(mergers_csv: Path) -> list:
    try:
        return read_mergers(mergers_csv)
    except MatchError as error:
        raise BuildError(str(error)) from None
    except (UnicodeDecodeError, csv.Error, KeyError) as error:
        raise BuildError(f"{Path(mergers_csv).name} cannot be read: {error!r}") from None


def _read_facts(facts_csv: Path | None) -> pd.DataFrame:
    try:
        return read_facts_csv(facts_csv) if facts_csv is not None else empty_table()
    except (UnicodeDecodeError, csv.Error) as error:
        raise BuildError(f"{Path(str(facts_csv)).name} cannot be read as a UTF-8 CSV file: {error}") from None


def _sourced_point_problems(address_rows: list[_Row], places: Places) -> list[str]:
    """Sourced coordinates must lie inside the four states, the named municipality and district; sets
    each row's point (EPSG:3035)."""
    if not address_rows:
        return []
    problems = []
    points = gpd.GeoSeries(
        gpd.points_from_xy(
            [float(r.record["lon"]) for r in address_rows], [float(r.record["lat"]) for r in address_rows]
        ),
        crs=STORAGE_CRS,
    ).to_crs(METRIC_CRS)
    for row, point in zip(address_rows, points, strict=True):
        row.point = point
        area = shapely.union_all([places.geometry_of[ags] for ags in row.place.area_ags])
        if not places.four_states.contains(point):
            problems.append(
                f"{row.label}: the coordinates {row.record['lat']}, {row.record['lon']} "
                f"lie outside {four_states_label('en')}"
            )
        elif not area.contains(point):
            holder = containing_ags(point, places.municipalities)
            where = f"{places.name_of[holder]} ({holder})" if holder else "no municipality"
            problems.append(
                f"{row.label}: the coordinates lie in {where}, not in the municipality "
                f"'{row.record['municipality']}' of district {row.district_ags}"
            )
    return problems


def _place_without_coordinates(rows: list[_Row], address_rows: list[_Row], site_ids: list[str], places: Places) -> None:
    """Sites without coordinates are placed inside their municipality, spread when several share one, in
    the order of their ids (so a build does not depend on the order of the list)."""
    avoid = [row.point for row in address_rows if row.point is not None]
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        if row.record["precision"] == "municipality":
            groups.setdefault(row.place.place_ags, []).append(row)
    id_of = {row.line: site_id for row, site_id in zip(rows, site_ids, strict=True)}
    for place_ags in sorted(groups):
        members = sorted(groups[place_ags], key=lambda r: id_of[r.line])
        try:
            points = spread_points(places.geometry_of[place_ags], len(members), avoid=avoid)
        except ValueError as error:
            names = ", ".join(r.label for r in members)
            raise BuildError(f"{names}: {error} ({places.name_of[place_ags]}, {place_ags})") from None
        for row, point in zip(members, points, strict=True):
            row.point = point
        avoid.extend(points)


def _stored_points(rows: list[_Row]) -> gpd.GeoSeries:
    """The rows' points as stored: EPSG:4326, rounded to STORED_DECIMALS (the keys are derived from these)."""
    stored = gpd.GeoSeries([row.point for row in rows], crs=METRIC_CRS).to_crs(STORAGE_CRS)
    return gpd.GeoSeries(shapely.transform(stored.values, lambda c: np.round(c, STORED_DECIMALS)), crs=STORAGE_CRS)


def _site_records(
    rows: list[_Row], points: gpd.GeoSeries, site_ids: list[str], places: Places, log
) -> tuple[list[dict], list[str]]:
    """One record per row, its state, district and municipality keys taken from the stored point, which
    must still lie in the row's district and municipality."""
    records, problems = [], []
    for row, point, site_id in zip(rows, points, site_ids, strict=True):
        holder = containing_ags(point, places.municipalities)
        if holder is None:
            problems.append(f"{row.label}: the point lies in no municipality of the four states")
            continue
        holder_row = places.municipalities[places.municipalities["ags"] == holder].iloc[0]
        if holder_row["district_ags"] != row.district_ags:
            problems.append(
                f"{row.label}: the point lies in district {holder_row['district_ags']}, but the "
                f"row names '{row.record['district']}' ({row.district_ags})"
            )
            continue
        if holder not in row.place.area_ags:
            problems.append(
                f"{row.label}: the point lies in {places.name_of[holder]} ({holder}), "
                f"not in '{row.record['municipality']}'"
            )
            continue
        if row.place.note:
            log(f"  {row.label}: {row.place.note}")
        derived = {
            "state_code": holder_row["state_code"],
            "district_ags": holder_row["district_ags"],
            "municipality_ags": holder,
        }
        records.append(_curated_record(row.record, site_id) | derived)
    return records, problems


def _curated_record(record: dict, site_id: str) -> dict:
    """The declared fields (geo.core.fields) a row of the curated list gives, in their stored form."""
    values = {}
    for field in SITE_FIELDS:
        if field.derived:
            continue
        value = record.get(field.name)
        if field.kind == "themes":
            value = THEME_SEPARATOR.join(
                code.strip() for code in str(value or "").split(THEME_SEPARATOR) if code.strip()
            )
        elif field.kind == "year":
            value = year_value(value)
        values[field.name] = value
    return values | {"site_id": site_id, "updated": record.get("updated") or SOURCE_DATE}


def _with_surroundings(sites: gpd.GeoDataFrame, with_surroundings: bool) -> gpd.GeoDataFrame:
    if with_surroundings:
        from geo.sites.surroundings import add_surroundings

        return add_surroundings(sites)
    for column in SITE_SURROUNDING_COLUMNS:
        sites[column] = pd.Series([None] * len(sites), dtype="float64" if column.endswith("_km") else "str")
    return sites


def _fail_if(problems: list[str], log) -> None:
    if not problems:
        return
    for problem in problems:
        log(f"  error: {problem}")
    if len(problems) == 1:
        raise BuildError(problems[0])
    raise BuildError(f"{len(problems)} problems in the site list; first: {problems[0]}\n" + "\n".join(problems[1:]))


def _write(sites: gpd.GeoDataFrame, output: Path, facts: pd.DataFrame) -> None:
    """Atomic replace through geo.store (lock, kept previous version), the facts table and the district
    figures (data/sources/district_labour.csv, checked) in the same write (the same file, or the same
    database transaction)."""
    from geo.build.investor import bundled_figures
    from geo.store import write_sites

    output.parent.mkdir(parents=True, exist_ok=True)
    district_ags = gpd.read_file(REFERENCE_GPKG, layer="districts", columns=["ags"])["ags"].astype(str).tolist()
    figures = bundled_figures(district_ags)
    write_sites(sites, output, facts=facts, figures=figures)
