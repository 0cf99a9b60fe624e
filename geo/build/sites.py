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
  municipality's slug appended (all of them, so the ids do not depend on row order).
* `updated` is the compilation date of the site list (`SOURCE_DATE`, or a row's own `updated` value if
  the CSV has that column), never the day of the build, so two builds give identical files.
* The surroundings (nearest airport, long-distance station, city) come from `geo.sites.surroundings`.

Rows are written sorted by `site_id`; coordinates are rounded to 6 decimals (about 0.1 m).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import Point

from geo.build.reference import BuildError, read_source_csv
from geo.build.site_sources import SITE_SOURCES_CSV, check_site_sources
from geo.core.paths import REFERENCE_GPKG, SITES_GPKG, SOURCES_DIR
from geo.core.schema import (
    COORDINATE_PRECISIONS,
    METRIC_CRS,
    SITE_COLUMNS,
    SITE_SURROUNDING_COLUMNS,
    STORAGE_CRS,
    STORED_DECIMALS,
    THEME_SEPARATOR,
)
from geo.core.values import is_web_url
from geo.sites.facts import DERIVED_COLUMNS, FACTS_CSV, check_table, empty_table, read_facts_csv, with_fact_columns
from geo.sites.facts_history import check_history, read_history_csv
from geo.sites.inclusion import check_left_out, status_problems
from geo.sites.rules import (
    MERGERS_CSV,
    MatchError,
    MunicipalityMatch,
    check_site_values,
    district_candidates,
    match_municipality,
    match_names,
    read_mergers,
    site_id_from_name,
)
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
# Spreading several sites of one municipality: target spacing, minimum spacing, margin to the border.
SPREAD_SPACING_M = 500.0
SPREAD_MIN_SPACING_M = 300.0
SPREAD_MARGIN_M = 50.0


# --- ids --------------------------------------------------------------------------------------------


def site_slug(text: str) -> str:
    """'Kühlhaus Görlitz' → 'kuehlhaus-goerlitz', the same rule as the importer."""
    return site_id_from_name(text) or "site"


def assign_site_ids(names: list[str], municipalities: list[str], localities: list[str]) -> list[str]:
    """Unique slugs; every member of a clashing group gets '-<municipality>' (then '-<locality>')."""
    ids = [site_slug(name) for name in names]
    for extra in (municipalities, localities):
        counts = pd.Series(ids).value_counts()
        ids = [
            f"{slug}-{site_slug(more)}" if counts[slug] > 1 and more else slug
            for slug, more in zip(ids, extra, strict=True)
        ]
    duplicated = sorted({slug for slug in ids if ids.count(slug) > 1})
    if duplicated:
        raise BuildError(f"sites.csv: site ids are not unique even with municipality and locality: {duplicated}")
    return ids


# --- spreading --------------------------------------------------------------------------------------


def spread_points(
    polygon,
    count: int,
    *,
    center: Point | None = None,
    avoid: Sequence[Point] = (),
    spacing: float = SPREAD_SPACING_M,
    min_spacing: float = SPREAD_MIN_SPACING_M,
    margin: float = SPREAD_MARGIN_M,
) -> list[Point]:
    """`count` distinct points inside `polygon` (metric CRS), deterministic.

    One point goes on the representative point; several go on a ring around it with `spacing` between
    neighbours, rotated or shrunk (never below `min_spacing`) until every point lies at least `margin`
    inside the polygon and `min_spacing` away from the `avoid` points. A small or thin polygon falls
    back to a grid search with the same rules. Raises ValueError if the polygon cannot hold them.
    """
    if count < 1:
        return []
    center = center or polygon.point_on_surface()
    inner = polygon.buffer(-margin)
    if inner.is_empty:
        inner = polygon
    shapely.prepare(inner)
    avoid = list(avoid)

    def acceptable(points: list[Point]) -> bool:
        if not all(inner.contains(point) for point in points):
            return False
        for i, point in enumerate(points):
            if any(point.distance(other) < min_spacing - 1e-6 for other in points[i + 1 :]):
                return False
            if any(point.distance(other) < min_spacing - 1e-6 for other in avoid):
                return False
        return True

    if count == 1 and acceptable([center]):
        return [center]
    if count > 1:
        base_radius = max(spacing / (2 * math.sin(math.pi / count)), spacing / 2)
        minimum_radius = min_spacing / (2 * math.sin(math.pi / count))
        scales = [1.0, 0.85, 0.7, 1.25, 1.5]
        for scale in scales:
            radius = max(base_radius * scale, minimum_radius)
            for rotation_deg in range(0, 360 // count if count > 1 else 360, 15):
                start = math.radians(90 + rotation_deg)
                ring = [
                    Point(
                        center.x + radius * math.cos(start + 2 * math.pi * k / count),
                        center.y + radius * math.sin(start + 2 * math.pi * k / count),
                    )
                    for k in range(count)
                ]
                if acceptable(ring):
                    return ring
    # Fallback: grid points inside, nearest to the centre first, greedily kept when far enough apart.
    minx, miny, maxx, maxy = inner.bounds
    step = min_spacing / 3
    xs = np.arange(minx + step / 2, maxx, step)
    ys = np.arange(miny + step / 2, maxy, step)
    grid = [Point(x, y) for y in ys for x in xs]
    grid = [p for p in grid if inner.contains(p)]
    grid.sort(key=lambda p: (round(p.distance(center), 3), p.y, p.x))
    chosen: list[Point] = []
    for point in grid:
        if all(point.distance(other) >= min_spacing for other in chosen + avoid):
            chosen.append(point)
            if len(chosen) == count:
                return chosen
    raise ValueError(f"cannot place {count} points {min_spacing:.0f} m apart inside the polygon")


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


def _load_reference(reference_path: Path):
    if not Path(reference_path).exists():
        raise BuildError(f"{reference_path} is missing; run `python -m geo build --only reference` first")
    districts = pyogrio.read_dataframe(reference_path, layer="districts", columns=["ags", "name", "kind", "state_code"])
    municipalities = pyogrio.read_dataframe(
        reference_path, layer="municipalities", columns=["ags", "name", "district_ags", "state_code"]
    )
    states = pyogrio.read_dataframe(reference_path, layer="states", columns=["state_code", "name"])
    municipalities = municipalities.to_crs(METRIC_CRS).sort_values("ags", kind="stable").reset_index(drop=True)
    states = states.to_crs(METRIC_CRS)
    return pd.DataFrame(districts.drop(columns="geometry")), municipalities, states


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
    table = read_sites_csv(sites_csv)
    log(f"reading {len(table)} sites from {sites_csv}")
    program_ids, theme_ids = _read_vocabularies()
    districts, municipalities, states = _load_reference(reference_path)
    try:
        mergers = read_mergers(mergers_csv)
    except MatchError as error:
        raise BuildError(str(error)) from None
    except (UnicodeDecodeError, csv.Error, KeyError) as error:
        raise BuildError(f"{Path(mergers_csv).name} cannot be read: {error!r}") from None

    lines = _record_start_lines(sites_csv)
    rows = [
        _Row(line=lines[index], record=record, source=Path(sites_csv).name)
        for index, record in enumerate(table.to_dict("records"))
    ]
    problems: list[str] = []
    for row in rows:
        problems.extend(_check_row(row, program_ids, theme_ids))
    if Path(sites_csv).resolve() == SITES_CSV.resolve():
        problems.extend(check_left_out(table))
    _fail_if(problems, log)

    for row in rows:
        problem = _resolve_place(row, districts, municipalities, mergers)
        if problem:
            problems.append(problem)
    _fail_if(problems, log)

    geometry_of = dict(zip(municipalities["ags"], municipalities.geometry, strict=True))
    shapely.prepare(municipalities.geometry.values)
    four_states = shapely.union_all(states.geometry.values)
    name_of = dict(zip(municipalities["ags"], municipalities["name"], strict=True))

    # Sourced coordinates: inside the four states, the named municipality and the named district.
    address_rows = [row for row in rows if row.record["precision"] in COORDINATE_PRECISIONS]
    if address_rows:
        points = gpd.GeoSeries(
            gpd.points_from_xy(
                [float(r.record["lon"]) for r in address_rows], [float(r.record["lat"]) for r in address_rows]
            ),
            crs=STORAGE_CRS,
        ).to_crs(METRIC_CRS)
        for row, point in zip(address_rows, points, strict=True):
            row.point = point
            area = shapely.union_all([geometry_of[ags] for ags in row.place.area_ags])
            if not four_states.contains(point):
                problems.append(
                    f"{row.label}: the coordinates {row.record['lat']}, {row.record['lon']} "
                    f"lie outside Brandenburg, Sachsen, Sachsen-Anhalt and Thüringen"
                )
            elif not area.contains(point):
                holder = _containing_ags(point, municipalities)
                where = f"{name_of[holder]} ({holder})" if holder else "no municipality"
                problems.append(
                    f"{row.label}: the coordinates lie in {where}, not in the municipality "
                    f"'{row.record['municipality']}' of district {row.district_ags}"
                )
    _fail_if(problems, log)

    # Sites without coordinates: placed inside their municipality, spread when several share one.
    avoid = [row.point for row in address_rows]
    groups: dict[str, list[_Row]] = {}
    for row in rows:
        if row.record["precision"] == "municipality":
            groups.setdefault(row.place.place_ags, []).append(row)
    site_ids = assign_site_ids(
        [r.record["name"] for r in rows], [r.record["municipality"] for r in rows], [r.record["locality"] for r in rows]
    )
    id_of = {row.line: site_id for row, site_id in zip(rows, site_ids, strict=True)}
    for place_ags in sorted(groups):
        members = sorted(groups[place_ags], key=lambda r: id_of[r.line])
        polygon = geometry_of[place_ags]
        try:
            points = spread_points(polygon, len(members), avoid=avoid)
        except ValueError as error:
            names = ", ".join(r.label for r in members)
            raise BuildError(f"{names}: {error} ({name_of[place_ags]}, {place_ags})") from None
        for row, point in zip(members, points, strict=True):
            row.point = point
        avoid.extend(points)

    # Round in EPSG:4326, then derive the keys from the stored point.
    metric_points = gpd.GeoSeries([row.point for row in rows], crs=METRIC_CRS)
    stored = metric_points.to_crs(STORAGE_CRS)
    stored = gpd.GeoSeries(shapely.transform(stored.values, lambda c: np.round(c, STORED_DECIMALS)), crs=STORAGE_CRS)
    check = stored.to_crs(METRIC_CRS)
    records = []
    for row, point, site_id in zip(rows, check, site_ids, strict=True):
        holder = _containing_ags(point, municipalities)
        if holder is None:
            problems.append(f"{row.label}: the point lies in no municipality of the four states")
            continue
        holder_row = municipalities[municipalities["ags"] == holder].iloc[0]
        if holder_row["district_ags"] != row.district_ags:
            problems.append(
                f"{row.label}: the point lies in district {holder_row['district_ags']}, but the "
                f"row names '{row.record['district']}' ({row.district_ags})"
            )
            continue
        if holder not in row.place.area_ags:
            problems.append(
                f"{row.label}: the point lies in {name_of[holder]} ({holder}), not in '{row.record['municipality']}'"
            )
            continue
        if row.place.note:
            log(f"  {row.label}: {row.place.note}")
        record = row.record
        themes = THEME_SEPARATOR.join(t.strip() for t in record["themes"].split(THEME_SEPARATOR) if t.strip())
        records.append(
            {
                "site_id": site_id,
                "name": record["name"],
                "program": record["program"],
                "state_code": holder_row["state_code"],
                "district_ags": holder_row["district_ags"],
                "municipality_ags": holder,
                "municipality": record["municipality"],
                "locality": record["locality"],
                "themes": themes,
                "description_de": record["description_de"],
                "description_en": record["description_en"],
                "year": int(record["year"]) if record["year"] else None,
                "website": record["website"],
                "precision": record["precision"],
                "source_url": record["source_url"],
                "coord_source_url": record["coord_source_url"],
                "updated": record.get("updated") or SOURCE_DATE,
            }
        )
    _fail_if(problems, log)
    state_mismatch = [
        f"{row.label}: state_code '{row.record['state_code']}' but the point lies in {rec['state_code']}"
        for row, rec in zip(rows, records, strict=True)
        if row.record["state_code"] != rec["state_code"]
    ]
    _fail_if(state_mismatch, log)

    sites = gpd.GeoDataFrame(records, geometry=list(stored.values), crs=STORAGE_CRS)
    sites["year"] = sites["year"].astype("Int64")
    if with_surroundings:
        from geo.sites.surroundings import add_surroundings

        sites = add_surroundings(sites)
    else:
        for column in SITE_SURROUNDING_COLUMNS:
            sites[column] = pd.Series([None] * len(sites), dtype="float64" if column.endswith("_km") else "str")
    # Plot facts: each figure checked like an imported one, stored as the `site_facts` table and
    # derived into one column per field. They belong to the curated list: another list (a test's, a
    # steward's) gets none unless a facts file is named.
    if facts_csv is None and Path(sites_csv).resolve() == SITES_CSV.resolve():
        facts_csv = FACTS_CSV
    try:
        facts = read_facts_csv(facts_csv) if facts_csv is not None else empty_table()
    except (UnicodeDecodeError, csv.Error) as error:
        raise BuildError(f"{Path(str(facts_csv)).name} cannot be read as a UTF-8 CSV file: {error}") from None
    _fail_if(check_table(facts, sites["site_id"]), log)
    if facts_csv is not None and Path(facts_csv).resolve() == FACTS_CSV.resolve():
        _fail_if(check_history(read_history_csv(), facts, sites["site_id"]), log)
    if Path(sites_csv).resolve() == SITES_CSV.resolve():  # further pages belong to the curated list only
        log(f"checked {check_site_sources(table['name'])} further source pages in {SITE_SOURCES_CSV.name}")
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


def _containing_ags(point: Point, municipalities: gpd.GeoDataFrame) -> str | None:
    hits = municipalities.sindex.query(point, predicate="within")
    if len(hits) == 0:
        return None
    return sorted(municipalities["ags"].iloc[hits])[0]


def _fail_if(problems: list[str], log) -> None:
    if not problems:
        return
    for problem in problems:
        log(f"  error: {problem}")
    if len(problems) == 1:
        raise BuildError(problems[0])
    raise BuildError(f"{len(problems)} problems in the site list; first: {problems[0]}\n" + "\n".join(problems[1:]))


def _write(sites: gpd.GeoDataFrame, output: Path, facts: pd.DataFrame) -> None:
    """Atomic replace through geo.store (lock, kept previous version), the facts table in the same
    write (the same file, or the same database transaction)."""
    from geo.store import write_sites

    output.parent.mkdir(parents=True, exist_ok=True)
    write_sites(sites, output, facts=facts)
