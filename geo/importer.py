"""Turn a user's GeoPackage, GeoJSON or CSV into clean sites, or into a list of clear problems; compare
them with the live data; apply them.

The three steps the data steward sees (CLI `validate`/`import`, app page `pflege`):

1. `read_user_file` reads and validates a file. It never raises for a bad file: every problem comes back
   as a `Problem` with its row, field and a German and English message.
2. `diff_sites` shows what would change, site by site and field by field (matched by ``site_id``).
3. `apply_import` writes exactly that difference through `geo.store` (atomic, versioned, undoable).

Columns the file does not have are left as they are for existing sites; a column that is present but
empty in a row clears that field. ``state_code``, ``district_ags`` and ``municipality_ags`` are always
derived from the point (data/reference.gpkg); ``updated`` is set to today for new and changed sites.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo import schema, store
from geo.paths import REFERENCE_GPKG, SITES_GPKG

MAX_UPLOAD_ENV = "STANDORTATLAS_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50
NAME_MAX_CHARS = 200
TEXT_MAX_CHARS = 2000
SITE_ID_MAX_CHARS = 120
EARLIEST_YEAR = 1800
# Points closer than this (degrees, about 5 cm) count as the same location: a round trip through a
# projected CRS must not show up as a change.
SAME_LOCATION_DEGREES = 5e-7
STORED_DECIMALS = 7

ERROR = "error"
WARNING = "warning"

FORMAT_NAMES = {"gpkg": "GeoPackage", "geojson": "GeoJSON", "csv": "CSV"}
SUFFIX_FORMATS = {".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".txt": "csv"}
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CSV_DELIMITERS = ",;\t"

DERIVED_COLUMNS = ("state_code", "district_ags", "municipality_ags")
# Taken from the file for new sites and for sites whose point moved, even when the file lacks the column
# (they describe the location); otherwise the current value stays.
LOCATION_COLUMNS = ("municipality", "precision")
URL_COLUMNS = ("website", "source_url", "coord_source_url")
MULTILINE_COLUMNS = ("description_de", "description_en")
TEXT_COLUMNS = ("name", "municipality", "locality", "themes", "description_de", "description_en")
COMPARED_COLUMNS = tuple(column for column in schema.SITE_COLUMNS if column != "updated") + ("geometry",)

LATITUDE_NAMES = {"lat", "latitude", "breite", "breitengrad", "y_wgs84"}
LONGITUDE_NAMES = {"lon", "lng", "long", "longitude", "laenge", "länge", "laengengrad", "längengrad", "x_wgs84"}
X_NAMES = {"x", "easting", "rechtswert", "ostwert"}
Y_NAMES = {"y", "northing", "hochwert", "nordwert"}

_SLUG_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_SITE_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# C0 and C1 control characters; tab, line feed and carriage return are allowed in descriptions only.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_CHARACTERS = re.compile(r"[\t\n\r]")
_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input. ``row`` is where the user finds it in their own tool: the line of
    the spreadsheet for CSV (the header is line 1), the feature number (from 1) otherwise; None for the
    whole file. ``field`` is a column name, or None."""

    row: int | None
    field: str | None
    message_de: str
    message_en: str
    severity: str = ERROR

    def message(self, lang: str = "de") -> str:
        return self.message_en if lang == "en" else self.message_de

    def location(self, lang: str = "de") -> str:
        row_word, field_word, file_word = ("row", "field", "file") if lang == "en" else ("Zeile", "Feld", "Datei")
        parts = [f"{row_word} {self.row}"] if self.row is not None else []
        if self.field:
            parts.append(f"{field_word} {self.field}")
        return ", ".join(parts) or file_word


@dataclass
class ImportResult:
    """A user's file read and checked. ``sites`` holds the rows that passed their checks, indexed by
    their row number (see `Problem`); only a result without errors may be applied."""

    sites: gpd.GeoDataFrame
    problems: list[Problem]
    provided_columns: frozenset[str] = frozenset()
    source: dict[str, str] = field(default_factory=dict)  # format, layer, crs, encoding, delimiter

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass
class SiteDiff:
    """What applying an import would do, matched by site_id. ``result`` is the complete sites layer
    after the apply; ``apply_import`` writes exactly that."""

    new: list[str]
    changed: dict[str, list[FieldChange]]
    removed: list[str]
    unchanged: int
    kept_absent: int  # sites missing from the file that stay because replace was not asked for
    names: dict[str, str]
    result: gpd.GeoDataFrame

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "new": len(self.new), "changed": len(self.changed), "removed": len(self.removed),
            "unchanged": self.unchanged, "kept_absent": self.kept_absent,
        }

    def to_table(self) -> pd.DataFrame:
        """One row per new or removed site and per changed field: site_id, name, change, field, old, new."""
        rows = [
            {"site_id": site_id, "name": self.names.get(site_id), "change": "new", "field": None, "old": None, "new": None}
            for site_id in self.new
        ]
        for site_id, changes in self.changed.items():
            rows += [
                {"site_id": site_id, "name": self.names.get(site_id), "change": "changed",
                 "field": change.field, "old": change.old, "new": change.new}
                for change in changes
            ]
        rows += [
            {"site_id": site_id, "name": self.names.get(site_id), "change": "removed", "field": None, "old": None, "new": None}
            for site_id in self.removed
        ]
        return pd.DataFrame(rows, columns=["site_id", "name", "change", "field", "old", "new"])


@dataclass
class AppliedImport:
    diff: SiteDiff
    data_version: str
    written: bool


class ImportRefused(Exception):
    """apply_import was given a result with errors; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was written")


# --- small public helpers --------------------------------------------------------------------------


def slugify(name: str) -> str:
    """Stable site id from a name: lowercase ASCII, ä→ae ö→oe ü→ue ß→ss, other characters → '-'."""
    text = unicodedata.normalize("NFC", name).lower().translate(_SLUG_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def max_upload_bytes() -> int:
    """The size limit for user files (env STANDORTATLAS_MAX_UPLOAD_MB, default 50)."""
    try:
        megabytes = float(os.environ.get(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD_MB))
    except ValueError:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


def parse_crs(text: str | int) -> CRS:
    """'25833', 'EPSG:25833' or 25833 → CRS; ValueError with a readable message otherwise."""
    code = str(text).strip().upper().removeprefix("EPSG:")
    try:
        return CRS.from_epsg(int(code))
    except (ValueError, CRSError):
        raise ValueError(f"unknown EPSG code: {text}") from None


def parse_number(text: str) -> float | None:
    """A number as German or English Excel writes it: '52,123', '52.123', '412.345,6', '412,345.6'."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in value and "." in value:
        # the separator that comes last is the decimal one, the other groups thousands
        thousands = "." if value.rfind(",") > value.rfind(".") else ","
        value = value.replace(thousands, "")
    value = value.replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


# --- 1. read and validate --------------------------------------------------------------------------


def read_user_file(
    source: str | os.PathLike | bytes,
    filename: str | None = None,
    *,
    layer: str | None = None,
    crs: str | int | CRS | None = None,
    reference_path: Path = REFERENCE_GPKG,
    programs: Collection[str] | None = None,
    max_bytes: int | None = None,
) -> ImportResult:
    """Read a GeoPackage, GeoJSON or CSV (a path, or the bytes of an upload with its ``filename``) and
    check every row. ``crs`` is the CRS of coordinates the file does not declare itself; ``programs``
    defaults to the vocabulary of data/sources/programs.csv."""
    if isinstance(source, bytes):
        if not filename:
            raise ValueError("filename is needed with bytes: the format is taken from its extension")
        with tempfile.TemporaryDirectory(prefix="standortatlas-upload-") as folder:
            path = Path(folder) / (Path(filename).name.lstrip(".") or "upload")
            path.write_bytes(source)
            return read_user_file(
                path, layer=layer, crs=crs, reference_path=reference_path, programs=programs, max_bytes=max_bytes
            )
    path = Path(source)
    if isinstance(crs, (str, int)):
        crs = parse_crs(crs)
    reader = _FileReader(path, filename or path.name, layer=layer, crs=crs)
    table = reader.read(max_bytes if max_bytes is not None else max_upload_bytes())
    if table is None:
        return ImportResult(store.empty_sites(), reader.problems, source=reader.info)
    allowed_programs = set(programs) if programs is not None else set(schema.programs())
    return _SiteChecker(table, reader, reference_path, allowed_programs).check()


@dataclass
class _RawTable:
    """A file's rows before validation: attribute values, and points (EPSG:4326) where known."""

    values: pd.DataFrame  # index: row numbers (see Problem); columns: recognised site columns only
    points: list[shapely.Point | None]  # aligned with the rows of values
    is_geographic_input: bool  # lon/lat input, where swapped coordinates are a likely mistake


class _FileReader:
    """Checks that a file is what its name says and reads it into a `_RawTable`."""

    def __init__(self, path: Path, display_name: str, layer: str | None, crs: CRS | None):
        self.path = path
        self.display_name = display_name
        self.layer = layer
        self.crs = crs
        self.problems: list[Problem] = []
        self.info: dict[str, str] = {"file": display_name}

    def refuse(self, de: str, en: str) -> None:
        self.problems.append(Problem(None, None, de, en))

    def warn(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, WARNING))

    def read(self, max_bytes: int) -> _RawTable | None:
        if not self.path.is_file():
            self.refuse(f"Datei nicht gefunden: {self.display_name}", f"file not found: {self.display_name}")
            return None
        size = self.path.stat().st_size
        if size == 0:
            self.refuse("Die Datei ist leer.", "The file is empty.")
            return None
        if size > max_bytes:
            limit = max_bytes / 1024 / 1024
            self.refuse(
                f"Die Datei ist zu groß ({size / 1024 / 1024:.1f} MB, erlaubt sind {limit:.0f} MB).",
                f"The file is too large ({size / 1024 / 1024:.1f} MB, the limit is {limit:.0f} MB).",
            )
            return None
        file_format = self._detect_format()
        if file_format is None:
            return None
        self.info["format"] = FORMAT_NAMES[file_format]
        try:
            if file_format == "csv":
                return self._read_csv()
            return self._read_with_gdal(file_format)
        except Exception as error:  # whatever GDAL, GEOS or PROJ make of a broken file: refused, not a crash
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            self.refuse(
                f"Die Datei lässt sich nicht als {FORMAT_NAMES[file_format]} lesen: {first_line}",
                f"The file cannot be read as {FORMAT_NAMES[file_format]}: {first_line}",
            )
            return None

    def _detect_format(self) -> str | None:
        with open(self.path, "rb") as handle:
            head = handle.read(64)
        suffix = Path(self.display_name).suffix.lower()
        expected = SUFFIX_FORMATS.get(suffix)
        if head.startswith(ZIP_MAGICS):
            self.refuse(
                "Die Datei ist ein ZIP-Archiv (oder eine Excel-Datei). Bitte entpacken bzw. in Excel als "
                "„CSV UTF-8“ speichern und die GeoPackage-, GeoJSON- oder CSV-Datei einlesen.",
                "The file is a ZIP archive (or an Excel workbook). Unpack it, or save it from Excel as "
                "'CSV UTF-8', and import the GeoPackage, GeoJSON or CSV file.",
            )
            return None
        if expected is None:
            self.refuse(
                f"Dateityp „{suffix or '(ohne Endung)'}“ wird nicht unterstützt: erlaubt sind .gpkg, .geojson, .json, .csv.",
                f"File type '{suffix or '(no extension)'}' is not supported: use .gpkg, .geojson, .json or .csv.",
            )
            return None
        is_sqlite = head.startswith(SQLITE_MAGIC)
        if expected == "gpkg" and not is_sqlite:
            self.refuse(
                f"„{self.display_name}“ ist keine GeoPackage-Datei (kein SQLite-Dateikopf).",
                f"'{self.display_name}' is not a GeoPackage (no SQLite header).",
            )
            return None
        if expected != "gpkg" and is_sqlite:
            self.refuse(
                f"„{self.display_name}“ ist eine SQLite-/GeoPackage-Datei, keine {FORMAT_NAMES[expected]}-Datei. "
                "Bitte mit der Endung .gpkg einlesen.",
                f"'{self.display_name}' is a SQLite/GeoPackage file, not {FORMAT_NAMES[expected]}. "
                "Import it with the extension .gpkg.",
            )
            return None
        return expected

    # GeoPackage and GeoJSON ------------------------------------------------------------------------

    def _read_with_gdal(self, file_format: str) -> _RawTable | None:
        declared_crs_member = True
        if file_format == "geojson":
            document = self._load_json()
            if document is None:
                return None
            # RFC 7946 GeoJSON is WGS84 without a "crs" member; GDAL then reports EPSG:4326 even for
            # projected coordinates, so only an explicit member counts as declared.
            declared_crs_member = "crs" in document
        layer = self._choose_layer() if file_format == "gpkg" else None
        if file_format == "gpkg" and layer is None:
            return None
        frame = pyogrio.read_dataframe(self.path, layer=layer)
        if layer:
            self.info["layer"] = layer
        has_geometry = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any()
        values = pd.DataFrame(frame.drop(columns=frame.geometry.name) if isinstance(frame, gpd.GeoDataFrame) else frame)
        values.index = pd.RangeIndex(1, len(values) + 1)  # feature numbers, as GIS tools count them
        if not has_geometry:
            return self._table_from_coordinate_columns(values)
        declared = frame.crs if declared_crs_member else None
        source_crs = self._resolve_crs(declared, default=CRS.from_epsg(4326) if file_format == "geojson" else None)
        canonical = self._canonical(values)
        if source_crs is None or canonical is None:
            return None
        points = self._points_from_geometries(list(frame.geometry), list(values.index), source_crs)
        return _RawTable(canonical, points, source_crs.is_geographic)

    def _load_json(self) -> dict | None:
        try:
            document = json.loads(self.path.read_bytes().decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            document = None
        if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection", "Feature"):
            self.refuse(
                f"„{self.display_name}“ ist keine GeoJSON-Datei (kein JSON-Objekt vom Typ FeatureCollection).",
                f"'{self.display_name}' is not GeoJSON (no JSON object of type FeatureCollection).",
            )
            return None
        return document

    def _choose_layer(self) -> str | None:
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(self.path)]
        except pyogrio.errors.DataSourceError:
            layers = []
        if not layers:
            self.refuse(
                f"„{self.display_name}“ ist eine SQLite-Datei, aber kein GeoPackage mit Layern.",
                f"'{self.display_name}' is a SQLite file but not a GeoPackage with layers.",
            )
            return None
        if self.layer is not None:
            if self.layer not in layers:
                self.refuse(
                    f"Layer „{self.layer}“ gibt es nicht; vorhanden: {', '.join(layers)}.",
                    f"Layer '{self.layer}' does not exist; available: {', '.join(layers)}.",
                )
                return None
            return self.layer
        chosen = "sites" if "sites" in layers else layers[0]
        if len(layers) > 1:
            others = ", ".join(name for name in layers if name != chosen)
            self.warn(
                None, None,
                f"Die Datei hat mehrere Layer; gelesen wird „{chosen}“ (andere: {others}; Auswahl mit --layer).",
                f"The file has several layers; reading '{chosen}' (others: {others}; choose with --layer).",
            )
        return chosen

    def _points_from_geometries(
        self, geometries: list, rows: list[int], source_crs: CRS
    ) -> list[shapely.Point | None]:
        points: list[shapely.Point | None] = []
        polygon_rows = []
        for row, geometry in zip(rows, geometries):
            if geometry is None or geometry.is_empty:
                points.append(None)
                continue
            geometry = shapely.force_2d(geometry)
            if geometry.geom_type == "MultiPoint" and len(geometry.geoms) == 1:
                geometry = geometry.geoms[0]
            if geometry.geom_type == "Point":
                points.append(geometry)
            elif geometry.geom_type in ("Polygon", "MultiPolygon"):
                # make_valid first: a self-intersecting ring would give a point outside the area
                points.append(shapely.make_valid(geometry).representative_point())
                polygon_rows.append(row)
            else:
                self.problems.append(Problem(
                    row, "geometry",
                    f"Geometrietyp {geometry.geom_type} wird nicht unterstützt: nur Punkte (oder Flächen).",
                    f"Geometry type {geometry.geom_type} is not supported: points only (or polygons).",
                ))
                points.append(None)
        for row in polygon_rows:
            self.warn(
                row, "geometry",
                "Fläche statt Punkt: der Standort wird auf einen Punkt innerhalb der Fläche gesetzt.",
                "Polygon instead of a point: the site is placed at a point inside the polygon.",
            )
        return self._to_storage_crs(points, rows, source_crs)

    def _to_storage_crs(
        self, points: list[shapely.Point | None], rows: list[int], source_crs: CRS
    ) -> list[shapely.Point | None]:
        self.info["crs"] = _crs_label(source_crs)
        projected = gpd.GeoSeries(points, crs=source_crs).to_crs(store.STORAGE_CRS)
        result: list[shapely.Point | None] = []
        for row, original, point in zip(rows, points, projected):
            if original is None:
                result.append(None)
            elif point is None or point.is_empty or not all(map(math.isfinite, (point.x, point.y))):
                self.problems.append(Problem(
                    row, "geometry",
                    f"Die Koordinaten ({original.x}, {original.y}) passen nicht zu {_crs_label(source_crs)}.",
                    f"The coordinates ({original.x}, {original.y}) do not fit {_crs_label(source_crs)}.",
                ))
                result.append(None)
            else:
                result.append(shapely.Point(round(point.x, STORED_DECIMALS), round(point.y, STORED_DECIMALS)))
        return result

    def _resolve_crs(self, declared: CRS | None, default: CRS | None) -> CRS | None:
        """The file's own CRS wins; --crs fills a gap and must not contradict it."""
        if declared is not None:
            declared = CRS.from_user_input(declared)
            if self.crs is not None and not declared.equals(self.crs, ignore_axis_order=True):
                self.refuse(
                    f"Die Datei ist in {_crs_label(declared)}, angegeben wurde {_crs_label(self.crs)}. "
                    "Bitte --crs weglassen oder die Datei prüfen.",
                    f"The file declares {_crs_label(declared)} but {_crs_label(self.crs)} was given. "
                    "Leave out --crs or check the file.",
                )
                return None
            return declared
        if self.crs is not None:
            return self.crs
        if default is not None:
            return default
        self.refuse(
            "Der Layer hat kein Koordinatenreferenzsystem. Bitte mit --crs angeben (z. B. --crs 25833 für "
            "ETRS89/UTM 33N, --crs 4326 für WGS84 Länge/Breite).",
            "The layer has no coordinate reference system. Give one with --crs (e.g. --crs 25833 for "
            "ETRS89/UTM 33N, --crs 4326 for WGS84 lon/lat).",
        )
        return None

    # CSV -----------------------------------------------------------------------------------------

    def _read_csv(self) -> _RawTable | None:
        text = self._decode_text(self.path.read_bytes())
        if text is None:
            return None
        delimiter = _choose_delimiter(text)
        self.info["delimiter"] = {"\t": "Tab"}.get(delimiter, delimiter)
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            self.refuse(f"Die CSV-Datei ist nicht lesbar: {error}", f"The CSV file cannot be read: {error}")
            return None
        header = [name.strip() for name in records[0]] if records else []
        if not any(header):
            self.refuse("Die CSV-Datei hat keine Kopfzeile.", "The CSV file has no header line.")
            return None
        repeated = sorted({name for name in header if header.count(name) > 1})
        if repeated:
            self.refuse(
                f"Spalten kommen mehrfach vor: {', '.join(repeated)}.", f"Repeated columns: {', '.join(repeated)}."
            )
            return None
        rows = []
        line_numbers = []
        for line_number, record in enumerate(records[1:], start=2):
            if not any(cell.strip() for cell in record):
                continue  # Excel leaves empty lines at the end
            if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
                self.problems.append(Problem(
                    line_number, None,
                    f"Die Zeile hat {len(record)} Felder, die Kopfzeile nur {len(header)} "
                    f"(Trennzeichen „{self.info['delimiter']}“?).",
                    f"The row has {len(record)} fields but the header only {len(header)} "
                    f"(delimiter '{self.info['delimiter']}'?).",
                ))
                continue
            rows.append((record + [""] * len(header))[: len(header)])
            line_numbers.append(line_number)
        # the line numbers a spreadsheet shows (header = 1), true even where empty lines were skipped
        values = pd.DataFrame(rows, columns=header, index=pd.Index(line_numbers, dtype=int), dtype=object)
        return self._table_from_coordinate_columns(values)

    def _decode_text(self, raw: bytes) -> str | None:
        """UTF-8 (with or without BOM) first, then Windows-1252 as German Excel writes it."""
        for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
            try:
                text = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            if _BINARY_CHARACTERS.search(text):
                break  # decodes, but holds NUL and other control bytes: binary data, not text
            self.info["encoding"] = label
            return text
        self.refuse(
            f"„{self.display_name}“ ist keine Textdatei (CSV erwartet).",
            f"'{self.display_name}' is not a text file (CSV expected).",
        )
        return None

    # attribute tables with coordinate columns (CSV, or a layer without geometry) -------------------

    def _table_from_coordinate_columns(self, values: pd.DataFrame) -> _RawTable | None:
        canonical = self._canonical(values)
        if canonical is None:
            return None
        columns = {str(name).strip().lower(): name for name in values.columns}
        lat, lon = _find_column(columns, LATITUDE_NAMES), _find_column(columns, LONGITUDE_NAMES)
        x, y = _find_column(columns, X_NAMES), _find_column(columns, Y_NAMES)
        if lat and lon:
            pair, source_crs = (lon, lat), self._resolve_crs(None, default=CRS.from_epsg(4326))
        elif x and y:
            pair = (x, y)
            if self.crs is None:
                self.refuse(
                    f"Die Spalten {x}/{y} brauchen ein Koordinatenreferenzsystem: bitte mit --crs angeben "
                    "(z. B. --crs 25833 für ETRS89/UTM 33N, --crs 25832 für UTM 32N).",
                    f"The columns {x}/{y} need a coordinate reference system: give it with --crs "
                    "(e.g. --crs 25833 for ETRS89/UTM 33N, --crs 25832 for UTM 32N).",
                )
                return None
            source_crs = self.crs
        else:
            # no coordinates at all: rows may still be placed by their municipality (checked later)
            self.info["crs"] = "—"
            return _RawTable(canonical, [None] * len(values), is_geographic_input=True)
        if source_crs is None:
            return None
        points: list[shapely.Point | None] = []
        rows = [int(row) for row in values.index]
        for row, cells in zip(rows, zip(values[pair[0]], values[pair[1]])):
            texts = [_as_text(cell) for cell in cells]
            if texts == [None, None]:
                points.append(None)  # no coordinates: perhaps a municipality places the site later
                continue
            numbers = [parse_number(text or "") for text in texts]
            for column, text, number in zip(pair, texts, numbers):
                if number is None:
                    self.problems.append(Problem(
                        row, str(column),
                        f"„{text}“ ist keine Zahl." if text else "Die Koordinate fehlt.",
                        f"'{text}' is not a number." if text else "The coordinate is missing.",
                    ))
            points.append(None if None in numbers else shapely.Point(numbers))
        projected = self._to_storage_crs(points, rows, source_crs)
        return _RawTable(canonical, projected, source_crs.is_geographic)

    def _canonical(self, values: pd.DataFrame) -> pd.DataFrame | None:
        """Rename recognised columns to the site columns (case and spaces ignored); warn about the rest."""
        coordinate_names = LATITUDE_NAMES | LONGITUDE_NAMES | X_NAMES | Y_NAMES
        renamed: dict[str, str] = {}
        for name in values.columns:
            key = re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFC", str(name)).strip().lower())
            if key in schema.SITE_COLUMNS:
                if key in renamed.values():
                    self.refuse(
                        f"Die Spalte „{key}“ kommt mehrfach vor.", f"The column '{key}' occurs more than once."
                    )
                    return None
                renamed[name] = key
            elif key not in coordinate_names and key not in ("fid", "ogc_fid"):
                self.warn(
                    None, str(name),
                    f"Unbekannte Spalte „{name}“ wird nicht übernommen.",
                    f"Unknown column '{name}' is ignored.",
                )
        return values.rename(columns=renamed)[list(renamed.values())].copy() if renamed else values.iloc[:, :0].copy()


def _find_column(columns: dict[str, object], names: set[str]) -> object | None:
    return next((original for lowered, original in columns.items() if lowered in names), None)


def _choose_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most fields (header names rarely contain one);
    csv.Sniffer decides a tie, for example a one-column file."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: len(next(csv.reader([header], delimiter=delimiter))) for delimiter in CSV_DELIMITERS}
    best = max(counts.values())
    candidates = [delimiter for delimiter, count in counts.items() if count == best]
    if len(candidates) == 1:
        return candidates[0]
    try:
        return csv.Sniffer().sniff(text[:65536], delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        return candidates[0]


def _crs_label(crs: CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code} ({crs.name})" if code else crs.name


def _as_text(value: object) -> str | None:
    """A cell as clean text (NFC, stripped), or None when empty; dates as ISO dates."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (np.integer, np.floating)):
        return _as_text(value.item())
    if isinstance(value, (pd.Timestamp, datetime, np.datetime64)):
        timestamp = pd.Timestamp(value)
        if pd.isna(timestamp):
            return None
        return timestamp.date().isoformat() if timestamp == timestamp.normalize() else timestamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


# --- row checks, derived fields, ids ---------------------------------------------------------------


class _SiteChecker:
    def __init__(self, table: _RawTable, reader: _FileReader, reference_path: Path, programs: set[str]):
        self.table = table
        self.problems = reader.problems
        self.info = reader.info
        self.reference_path = Path(reference_path)
        self.programs = programs
        # rows whose location the reader already refused (bad number, unsupported geometry, bad CRS fit)
        self.rows_without_location = {problem.row for problem in reader.problems if problem.severity == ERROR}
        self.rows_with_errors = set(self.rows_without_location)

    def error(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, ERROR))
        self.rows_with_errors.add(row)

    def warn(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, WARNING))

    def check(self) -> ImportResult:
        values = self.table.values
        provided = {column for column in values.columns if column not in DERIVED_COLUMNS and column != "updated"}
        provided |= {"site_id", "name", "program", "geometry"}
        for column in ("name", "program"):
            if column not in values.columns:
                self.error(None, column, f"Pflichtspalte „{column}“ fehlt.", f"Required column '{column}' is missing.")
        if not len(values.index):
            self.error(None, None, "Die Datei enthält keine Standorte.", "The file contains no sites.")
        reference = self._reference()
        if None in self.rows_with_errors or reference is None:
            return self._result(store.empty_sites(), provided)

        records = {}
        cells = values.to_dict("records")  # keeps each column's own type, unlike iterrows
        for row, row_values, point in zip(values.index, cells, self.table.points):
            record = self._check_row(int(row), row_values, point, reference)
            if record is not None:
                records[int(row)] = record
        self._check_duplicate_ids(records)
        sites = _sites_frame(records)
        self.info["rows"] = str(len(values))
        return self._result(sites, provided)

    def _result(self, sites: gpd.GeoDataFrame, provided: set[str]) -> ImportResult:
        return ImportResult(sites, self.problems, frozenset(provided), dict(self.info))

    def _reference(self) -> _Reference | None:
        try:
            return _load_reference(self.reference_path)
        except FileNotFoundError:
            self.error(
                None, None,
                f"Referenzdaten fehlen: {self.reference_path} (erzeugen mit „python -m geo build“).",
                f"Reference data missing: {self.reference_path} (create it with 'python -m geo build').",
            )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, KeyError) as error:
            self.error(
                None, None,
                f"Referenzdaten unlesbar: {self.reference_path}: {error}",
                f"Reference data unreadable: {self.reference_path}: {error}",
            )
        return None

    def _check_row(self, row: int, row_values: dict, point: shapely.Point | None, reference: _Reference) -> dict | None:
        record: dict[str, object] = {column: None for column in schema.SITE_COLUMNS}
        for column, value in row_values.items():
            record[column] = _as_text(value)
        for column in DERIVED_COLUMNS:
            record[f"given_{column}"] = record[column]

        self._check_texts(row, record)
        self._check_program(row, record)
        self._check_site_id(row, record)
        self._check_year(row, record)
        self._check_urls(row, record)
        self._check_precision(row, record)
        point = self._place(row, record, point, reference)
        if point is not None:
            self._derive_areas(row, record, point, reference)

        if row in self.rows_with_errors:
            return None
        for column in DERIVED_COLUMNS:
            record.pop(f"given_{column}")
        record["updated"] = None
        record["geometry"] = point
        return record

    def _check_texts(self, row: int, record: dict) -> None:
        if not record.get("name"):
            self.error(row, "name", "Der Name fehlt.", "The name is missing.")
        for column in TEXT_COLUMNS:
            text = record.get(column)
            if text is None:
                continue
            limit = NAME_MAX_CHARS if column == "name" else TEXT_MAX_CHARS
            if len(text) > limit:
                self.error(
                    row, column,
                    f"Der Text ist zu lang ({len(text)} Zeichen, höchstens {limit}).",
                    f"The text is too long ({len(text)} characters, at most {limit}).",
                )
            checked = _LINE_CHARACTERS.sub("", text) if column in MULTILINE_COLUMNS else text
            if _CONTROL_CHARACTERS.search(checked) or (column not in MULTILINE_COLUMNS and _LINE_CHARACTERS.search(text)):
                self.error(
                    row, column,
                    "Der Text enthält Steuerzeichen (z. B. Zeilenumbruch oder Tabulator).",
                    "The text contains control characters (such as a line break or tab).",
                )

    def _check_program(self, row: int, record: dict) -> None:
        program = record.get("program")
        if program is None:
            self.error(row, "program", "Das Programm fehlt.", "The program is missing.")
            return
        record["program"] = program = program.lower()
        if program not in self.programs:
            allowed = ", ".join(sorted(self.programs))
            self.error(
                row, "program",
                f"Unbekanntes Programm „{program}“; erlaubt: {allowed}.",
                f"Unknown program '{program}'; allowed: {allowed}.",
            )

    def _check_site_id(self, row: int, record: dict) -> None:
        site_id = record.get("site_id")
        if site_id is None:
            record["site_id"] = slugify(record.get("name") or "")
            if not record["site_id"] and record.get("name"):
                self.error(
                    row, "site_id",
                    "Aus dem Namen lässt sich keine site_id bilden; bitte eine angeben.",
                    "No site_id can be derived from the name; please give one.",
                )
            return
        if len(site_id) > SITE_ID_MAX_CHARS or not _SITE_ID_PATTERN.match(site_id):
            self.error(
                row, "site_id",
                f"Ungültige site_id „{site_id[:SITE_ID_MAX_CHARS]}“: nur a–z, 0–9 und Bindestriche "
                f"(Vorschlag: „{slugify(site_id)[:SITE_ID_MAX_CHARS]}“).",
                f"Invalid site_id '{site_id[:SITE_ID_MAX_CHARS]}': only a-z, 0-9 and hyphens "
                f"(suggestion: '{slugify(site_id)[:SITE_ID_MAX_CHARS]}').",
            )

    def _check_year(self, row: int, record: dict) -> None:
        text = record.get("year")
        if text is None:
            return
        number = parse_number(text)
        latest = date.today().year + 10
        if number is None or not number.is_integer() or not EARLIEST_YEAR <= number <= latest:
            self.error(
                row, "year",
                f"„{text}“ ist keine Jahreszahl ({EARLIEST_YEAR}–{latest}).",
                f"'{text}' is not a year ({EARLIEST_YEAR}-{latest}).",
            )
            return
        record["year"] = int(number)

    def _check_urls(self, row: int, record: dict) -> None:
        for column in URL_COLUMNS:
            url = record.get(column)
            if url is None:
                continue
            if not _is_web_url(url):
                hint_de = hint_en = ""
                if "://" not in url and "." in url and not any(character.isspace() for character in url):
                    hint_de, hint_en = f" Gemeint ist wohl „https://{url}“.", f" Did you mean 'https://{url}'?"
                shown = url[:120]
                self.error(
                    row, column,
                    f"„{shown}“ ist keine gültige Web-Adresse (nur http:// oder https:// mit Host).{hint_de}",
                    f"'{shown}' is not a valid web address (only http:// or https:// with a host).{hint_en}",
                )

    def _check_precision(self, row: int, record: dict) -> None:
        precision = record.get("precision")
        if precision is not None:
            record["precision"] = precision = precision.lower()
            if precision not in schema.PRECISIONS:
                self.error(
                    row, "precision",
                    f"Unbekannte Genauigkeit „{precision}“; erlaubt: {', '.join(schema.PRECISIONS)}.",
                    f"Unknown precision '{precision}'; allowed: {', '.join(schema.PRECISIONS)}.",
                )

    def _place(self, row: int, record: dict, point: shapely.Point | None, reference: _Reference) -> shapely.Point | None:
        if point is not None:
            record["precision"] = record.get("precision") or "address"
            return point
        if row in self.rows_without_location:
            return None  # already reported by the reader
        municipality = record.get("municipality")
        if municipality is None:
            self.error(
                row, "geometry",
                "Der Standort hat keine Lage: Koordinaten (lat/lon oder x/y), eine Geometrie oder eine Gemeinde angeben.",
                "The site has no location: give coordinates (lat/lon or x/y), a geometry or a municipality.",
            )
            return None
        matches = reference.find_municipality(municipality, record.get("state_code"))
        if len(matches) != 1:
            listed = "; ".join(f"{name} ({ags})" for ags, name in matches[:10])
            self.error(
                row, "municipality",
                f"Gemeinde „{municipality}“ " + (f"ist mehrdeutig: {listed}." if matches else "nicht gefunden.")
                + " Bitte Koordinaten angeben.",
                f"Municipality '{municipality}' " + (f"is ambiguous: {listed}." if matches else "not found.")
                + " Please give coordinates.",
            )
            return None
        record["precision"] = record.get("precision") or "municipality"
        self.warn(
            row, "geometry",
            f"Keine Koordinaten: der Standort wird in die Gemeinde {matches[0][1]} gesetzt (Genauigkeit „Gemeinde“).",
            f"No coordinates: the site is placed in the municipality {matches[0][1]} (precision 'municipality').",
        )
        return reference.municipality_point(matches[0][0])

    def _derive_areas(self, row: int, record: dict, point: shapely.Point, reference: _Reference) -> None:
        areas = reference.areas_at(point)
        if areas["state_code"] is None:
            hint_de = hint_en = ""
            if self.table.is_geographic_input and reference.areas_at(shapely.Point(point.y, point.x))["state_code"]:
                hint_de, hint_en = " Breite und Länge vertauscht?", " Latitude and longitude swapped?"
            self.error(
                row, "geometry",
                f"Der Punkt (Länge {point.x:.5f}, Breite {point.y:.5f}) liegt außerhalb von Brandenburg, Sachsen, "
                f"Sachsen-Anhalt und Thüringen.{hint_de}",
                f"The point (lon {point.x:.5f}, lat {point.y:.5f}) lies outside Brandenburg, Saxony, "
                f"Saxony-Anhalt and Thuringia.{hint_en}",
            )
            return
        for column in DERIVED_COLUMNS:
            given, derived = record[f"given_{column}"], areas[column]
            if given is not None and derived is not None and given != derived:
                self.warn(
                    row, column,
                    f"Angegeben ist „{given}“, der Punkt liegt aber in „{derived}“; übernommen wird „{derived}“.",
                    f"'{given}' is given but the point lies in '{derived}'; '{derived}' is used.",
                )
            record[column] = derived
        if areas["district_ags"] is None:
            self.warn(row, "district_ags", "Kein Landkreis am Punkt gefunden.", "No district found at the point.")
        given = record.get("municipality")
        if given is None:
            record["municipality"] = areas["municipality"]
        elif areas["municipality_ags"] and (named := reference.find_municipality(given)):
            # a known municipality name elsewhere hints at a wrong point or name; an unknown one may be
            # an Ortsteil or an older name and is kept silently
            if areas["municipality_ags"] not in {ags for ags, _ in named}:
                self.warn(
                    row, "municipality",
                    f"Angegeben ist die Gemeinde „{given}“, der Punkt liegt aber in {areas['municipality']}.",
                    f"The municipality '{given}' is given, but the point lies in {areas['municipality']}.",
                )

    def _check_duplicate_ids(self, records: dict[int, dict]) -> None:
        rows_by_id: dict[str, list[int]] = {}
        for row, record in records.items():
            rows_by_id.setdefault(record["site_id"], []).append(row)
        for site_id, rows in rows_by_id.items():
            if len(rows) > 1:
                listed = ", ".join(map(str, rows))
                for row in rows:
                    self.error(
                        row, "site_id",
                        f"Die site_id „{site_id}“ kommt mehrfach vor (Zeilen {listed}); bei gleichen Namen bitte "
                        "eine eigene site_id angeben.",
                        f"The site_id '{site_id}' occurs more than once (rows {listed}); for equal names give "
                        "each its own site_id.",
                    )
                    records.pop(row)


def _is_web_url(url: str) -> bool:
    if any(character.isspace() for character in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in parts.hostname
    except ValueError:  # e.g. an invalid IPv6 host or port
        return False


def _sites_frame(records: dict[int, dict]) -> gpd.GeoDataFrame:
    if not records:
        return store.empty_sites()
    frame = pd.DataFrame.from_dict(records, orient="index")
    sites = gpd.GeoDataFrame(frame[schema.SITE_COLUMNS], geometry=list(frame["geometry"]), crs=store.STORAGE_CRS)
    sites.index = frame.index
    sites["year"] = sites["year"].astype("Int64")
    return sites


# --- reference areas -------------------------------------------------------------------------------


class _Reference:
    """The state, district and municipality polygons of data/reference.gpkg, for point lookups."""

    def __init__(self, states: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, municipalities: gpd.GeoDataFrame):
        self.states, self.districts, self.municipalities = states, districts, municipalities
        self._by_name: dict[str, list[int]] = {}
        self._by_base_name: dict[str, list[int]] = {}
        for position, name in enumerate(municipalities["name"]):
            self._by_name.setdefault(_name_key(name), []).append(position)
            self._by_base_name.setdefault(_base_name_key(name), []).append(position)

    def areas_at(self, point: shapely.Point) -> dict[str, str | None]:
        state = _first_containing(self.states, point)
        district = _first_containing(self.districts, point) if state is not None else None
        municipality = _first_containing(self.municipalities, point) if state is not None else None
        return {
            "state_code": None if state is None else str(self.states["state_code"].iloc[state]),
            "district_ags": None if district is None else str(self.districts["ags"].iloc[district]),
            "municipality_ags": None if municipality is None else str(self.municipalities["ags"].iloc[municipality]),
            "municipality": None if municipality is None else str(self.municipalities["name"].iloc[municipality]),
        }

    def find_municipality(self, name: str, state_code: str | None = None) -> list[tuple[str, str]]:
        """(ags, name) of the municipalities ``name`` may mean, narrowed to ``state_code`` if given.

        The closest reading wins: the exact name, then the name without trailing parentheses (so
        'Coswig (Anhalt) (Jeber-Bergfrieden)' finds Coswig (Anhalt)), then the name without any addition
        (so 'Hansestadt Stendal' finds Stendal). Several matches in one step are returned as ambiguous.
        """
        attempts = [self._by_name.get(_name_key(name), [])]
        shorter = name
        while re.search(r"\s*\([^)]*\)\s*$", shorter):
            shorter = re.sub(r"\s*\([^)]*\)\s*$", "", shorter)
            attempts.append(self._by_name.get(_name_key(shorter), []))
        attempts.append(self._by_base_name.get(_base_name_key(name), []))
        for positions in attempts:
            if state_code:
                positions = [p for p in positions if str(self.municipalities["state_code"].iloc[p]) == state_code.upper()]
            if positions:
                return [(str(self.municipalities["ags"].iloc[p]), str(self.municipalities["name"].iloc[p])) for p in positions]
        return []

    def municipality_point(self, ags: str) -> shapely.Point:
        polygon = self.municipalities.geometry[self.municipalities["ags"].astype(str) == ags].iloc[0]
        point = shapely.make_valid(polygon).representative_point()
        return shapely.Point(round(point.x, STORED_DECIMALS), round(point.y, STORED_DECIMALS))


def _name_key(name: object) -> str:
    return " ".join(unicodedata.normalize("NFC", str(name)).casefold().split())


def _base_name_key(name: object) -> str:
    """A municipality name without additions: parentheses, ', Stadt' and titles such as 'Hansestadt'."""
    key = re.sub(r"\([^)]*\)", " ", _name_key(name)).split(",")[0]
    key = re.sub(r"^(lutherstadt|hansestadt|stadt)\s+", "", key.strip())
    return " ".join(key.split())


def _first_containing(polygons: gpd.GeoDataFrame, point: shapely.Point) -> int | None:
    # "intersects", not "within": a point on a shared border still belongs somewhere; the lowest
    # position wins so the answer is deterministic.
    hits = polygons.sindex.query(point, predicate="intersects")
    return int(hits.min()) if len(hits) else None


def _load_reference(reference_path: Path) -> _Reference:
    stat = os.stat(reference_path)  # FileNotFoundError is reported by the caller
    return _load_reference_version(str(reference_path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _load_reference_version(path: str, mtime_ns: int, size: int) -> _Reference:
    # cached per file version: reading municipality polygons takes a moment, the file rarely changes
    layers = {
        "states": ["state_code"], "districts": ["ags"], "municipalities": ["ags", "name", "state_code"],
    }
    frames = {}
    for layer, columns in layers.items():
        frame = pyogrio.read_dataframe(path, layer=layer, columns=columns)
        missing = [column for column in columns if column not in frame.columns]
        if missing:
            raise KeyError(f"layer {layer} lacks {', '.join(missing)}")
        frames[layer] = frame.to_crs(store.STORAGE_CRS) if frame.crs is not None else frame.set_crs(store.STORAGE_CRS)
    return _Reference(frames["states"], frames["districts"], frames["municipalities"])


# --- 2. compare with the live data -----------------------------------------------------------------


def diff_sites(
    current: gpd.GeoDataFrame,
    incoming: ImportResult,
    *,
    replace: bool = False,
    today: date | None = None,
) -> SiteDiff:
    """Compare an import with the current sites by site_id. Without ``replace`` sites absent from the
    file stay; with it they are removed."""
    stamp = (today or date.today()).isoformat()
    geometry_column = current.geometry.name
    current_records = current.to_dict("records")
    current_ids = {_as_text(record.get("site_id")) for record in current_records}
    incoming_records = {str(record["site_id"]): record for record in incoming.sites.to_dict("records")}
    extra_columns = [column for column in current.columns if column not in schema.SITE_COLUMNS and column != geometry_column]

    result_records: list[dict] = []
    new, removed, changed, names, unchanged, kept_absent = [], [], {}, {}, 0, 0
    for old in current_records:
        site_id = _as_text(old.get("site_id"))
        if site_id is None:  # a broken row cannot be matched; it is kept, never silently dropped
            result_records.append(old)
            kept_absent += 1
            continue
        names[site_id] = _as_text(old.get("name"))
        candidate = incoming_records.get(site_id)
        if candidate is None:
            if replace:
                removed.append(site_id)
            else:
                kept_absent += 1
                result_records.append(old)
            continue
        merged, moved = _merge(old, candidate, incoming.provided_columns, geometry_column)
        changes = _field_changes(old, merged, geometry_column)
        if changes:
            changed[site_id] = changes
            merged["updated"] = stamp
            if moved:
                # distances to airport, station, city belong to the old point: recomputed below
                merged.update({column: None for column in schema.SITE_SURROUNDING_COLUMNS if column in merged})
            names[site_id] = _as_text(merged.get("name"))
        else:
            unchanged += 1
        result_records.append(merged)
    for site_id, candidate in incoming_records.items():
        if site_id in current_ids:
            continue
        record = {column: candidate.get(column) for column in schema.SITE_COLUMNS}
        record.update({column: None for column in extra_columns})
        record["updated"] = stamp
        record[geometry_column] = candidate["geometry"]
        new.append(site_id)
        names[site_id] = _as_text(candidate.get("name"))
        result_records.append(record)
    result = _with_surroundings(_result_frame(result_records, current))
    return SiteDiff(new, changed, removed, unchanged, kept_absent, names, result)


def _with_surroundings(result: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill the nearest airport, station and city for new and moved sites (the others keep theirs)."""
    if "airport_name" not in result.columns or result.empty:
        return result
    missing = result["airport_name"].isna() | (result["airport_name"].astype(str) == "")
    if not missing.any():
        return result
    from geo.surroundings import add_surroundings

    try:
        computed = add_surroundings(result.loc[missing])
    except Exception:  # no reference data to measure against: the fields stay empty, nothing breaks
        return result
    result = result.copy()
    for column in schema.SITE_SURROUNDING_COLUMNS:
        if column not in result.columns:
            continue
        result[column] = result[column].astype(object)
        result.loc[missing, column] = computed[column].astype(object).values
    return result


def _merge(old: dict, candidate: dict, provided: frozenset[str], geometry_column: str) -> tuple[dict, bool]:
    merged = dict(old)
    old_point, new_point = old.get(geometry_column), candidate["geometry"]
    moved = not _same_location(old_point, new_point)
    for column in schema.SITE_COLUMNS:
        if column in DERIVED_COLUMNS or column in provided or (moved and column in LOCATION_COLUMNS):
            merged[column] = candidate.get(column)
    # Unmoved sites keep their stored point exactly, so a round trip through UTM is no change.
    merged[geometry_column] = new_point if moved else old_point
    return merged, moved


def _same_location(old: object, new: object) -> bool:
    if old is None or new is None or getattr(old, "is_empty", True) or getattr(new, "is_empty", True):
        return old is new
    return abs(old.x - new.x) <= SAME_LOCATION_DEGREES and abs(old.y - new.y) <= SAME_LOCATION_DEGREES


def _field_changes(old: dict, merged: dict, geometry_column: str) -> list[FieldChange]:
    changes = []
    for column in COMPARED_COLUMNS:
        source_column = geometry_column if column == "geometry" else column
        before, after = _comparable(column, old.get(source_column)), _comparable(column, merged.get(source_column))
        if before != after:
            changes.append(FieldChange(column, before, after))
    return changes


def _comparable(column: str, value: object) -> object:
    if column == "geometry":
        if value is None or getattr(value, "is_empty", True):
            return None
        return f"{value.x:.6f}, {value.y:.6f}"
    text = _as_text(value)
    if column == "year" and text is not None:
        number = parse_number(text)
        return int(number) if number is not None and number.is_integer() else text
    return text


def _result_frame(records: list[dict], current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geometry_column = current.geometry.name
    columns = list(schema.SITE_COLUMNS) + [
        column for column in current.columns if column not in schema.SITE_COLUMNS and column != geometry_column
    ]
    frame = pd.DataFrame.from_records(records, columns=columns + [geometry_column]) if records else pd.DataFrame(columns=columns + [geometry_column])
    result = gpd.GeoDataFrame(frame[columns], geometry=list(frame[geometry_column]), crs=store.STORAGE_CRS)
    for column in columns:
        if column == "year":
            result[column] = pd.array([_comparable("year", value) for value in result[column]], dtype="Int64")
        elif column in schema.SITE_COLUMNS:
            result[column] = pd.Series([_as_text(value) for value in result[column]], index=result.index, dtype=object)
        else:
            try:  # extra columns (surroundings) keep their stored types
                result[column] = result[column].astype(current[column].dtype)
            except (TypeError, ValueError):
                pass
    return result


# --- 3. apply -------------------------------------------------------------------------------------


def apply_import(
    incoming: ImportResult,
    sites_path: Path = SITES_GPKG,
    *,
    replace: bool = False,
    expected_version: str | None = None,
    today: date | None = None,
) -> AppliedImport:
    """Write an error-free import into the sites file (atomically, keeping the previous version).

    Pass the `store.data_version` seen when the diff was reviewed as ``expected_version``: if someone
    else wrote in between, `store.StaleData` is raised and nothing is written.
    """
    if not incoming.ok:
        raise ImportRefused(incoming.errors)
    sites_path = Path(sites_path)
    version = store.data_version(sites_path)
    if expected_version is not None and version != expected_version:
        raise store.StaleData(f"{sites_path.name} was changed by someone else in the meantime; review again")
    diff = diff_sites(store.read_sites(sites_path, missing_ok=True), incoming, replace=replace, today=today)
    if not diff.has_changes:
        return AppliedImport(diff, version, written=False)
    # the version read above guards the gap between reading and taking the write lock
    new_version = store.write_sites(diff.result, sites_path, expected_version=version)
    return AppliedImport(diff, new_version, written=True)
