"""Reading a user's file: is it what its name says (GeoPackage, GeoJSON, CSV), which layer, which
encoding and delimiter, which coordinate reference system; the rows come out as a `RawTable` of texts
and points in EPSG:4326, or the file is refused with a `Problem` that says why. The values of the rows
are checked afterwards (`geo.imports.checks`)."""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import os
import re
import sqlite3
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.core import schema
from geo.core.schema import STORAGE_CRS, STORED_DECIMALS
from geo.core.values import parse_number
from geo.imports import geopackage
from geo.imports.offline import gdal_offline
from geo.imports.results import WARNING, Problem
from geo.sites import facts as site_facts

log = logging.getLogger(__name__)

MAX_UPLOAD_ENV = "STANDORTATLAS_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50
MAX_ROWS_ENV = "STANDORTATLAS_MAX_IMPORT_ROWS"
DEFAULT_MAX_ROWS = 20_000

FORMAT_NAMES = {"gpkg": "GeoPackage", "geojson": "GeoJSON", "csv": "CSV"}
SUFFIX_FORMATS = {".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson", ".csv": "csv", ".txt": "csv"}
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CSV_DELIMITERS = ",;\t"

LATITUDE_NAMES = {"lat", "latitude", "breite", "breitengrad", "y_wgs84"}
LONGITUDE_NAMES = {"lon", "lng", "long", "longitude", "laenge", "länge", "laengengrad", "längengrad", "x_wgs84"}
X_NAMES = {"x", "easting", "rechtswert", "ostwert"}
Y_NAMES = {"y", "northing", "hochwert", "nordwert"}

_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A GeoJSON feature as it appears in the bytes; a string value cannot hold unescaped quotes, so only
# real members match. Counting them bounds the features before the file is parsed.
_GEOJSON_FEATURE = re.compile(rb'"type"\s*:\s*"Feature"')

# Where a steward chooses the CRS and the layer: a command-line option, or a field of the staff page.
OPTION_HINTS = {
    "cli": {
        "crs_de": "mit --crs angeben (z. B. --crs 25833 für ETRS89/UTM 33N, --crs 4326 für WGS84 Länge/Breite)",
        "crs_en": "give it with --crs (e.g. --crs 25833 for ETRS89/UTM 33N, --crs 4326 for WGS84 lon/lat)",
        "crs_conflict_de": "Bitte --crs weglassen oder die Datei prüfen.",
        "crs_conflict_en": "Leave out --crs or check the file.",
        "layer_de": "Auswahl mit --layer",
        "layer_en": "choose with --layer",
    },
    "page": {
        "crs_de": "im Feld „Koordinatensystem“ wählen (z. B. 25833 für ETRS89/UTM 33N, 4326 für WGS84 Länge/Breite)",
        "crs_en": "choose it in the field 'Coordinate reference system' (e.g. 25833 for ETRS89/UTM 33N, 4326 for "
        "WGS84 lon/lat)",
        "crs_conflict_de": "Bitte das Feld „Koordinatensystem“ leeren oder die Datei prüfen.",
        "crs_conflict_en": "Clear the field 'Coordinate reference system' or check the file.",
        "layer_de": "Auswahl im Feld „Layer“",
        "layer_en": "choose in the field 'Layer'",
    },
}


def max_import_rows() -> int:
    """The row limit for user files (env STANDORTATLAS_MAX_IMPORT_ROWS, default 20,000)."""
    try:
        return max(1, int(os.environ.get(MAX_ROWS_ENV, DEFAULT_MAX_ROWS)))
    except ValueError:
        return DEFAULT_MAX_ROWS


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


@dataclass
class RawTable:
    """A file's rows before validation: attribute values, and points (EPSG:4326) where known."""

    values: pd.DataFrame  # index: row numbers (see Problem); columns: recognised site columns only
    points: list[shapely.Point | None]  # aligned with the rows of values
    is_geographic_input: bool  # lon/lat input, where swapped coordinates are a likely mistake


class FileReader:
    """Checks that a file is what its name says and reads it into a `RawTable`."""

    def __init__(
        self,
        path: Path,
        display_name: str,
        layer: str | None,
        crs: CRS | None,
        max_rows: int | None = None,
        surface: str = "cli",
    ):
        self.path = path
        self.display_name = display_name
        self.layer = layer
        self.crs = crs
        self.max_rows = max_rows if max_rows is not None else max_import_rows()
        self.hints = OPTION_HINTS[surface]
        self.problems: list[Problem] = []
        self.info: dict[str, str] = {"file": display_name}

    def refuse(self, de: str, en: str) -> None:
        self.problems.append(Problem(None, None, de, en))

    def warn(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, WARNING))

    def read(self, max_bytes: int) -> RawTable | None:
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
            with gdal_offline(), warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = self._read_with_gdal(file_format)
            self._report_gdal_warnings(caught)
            return table
        except Exception as error:  # whatever GDAL, GEOS or PROJ make of a broken file: refused, not a crash
            log.info("%s refused as unreadable", self.display_name, exc_info=True)
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            self.refuse(
                f"Die Datei lässt sich nicht als {FORMAT_NAMES[file_format]} lesen: {first_line}",
                f"The file cannot be read as {FORMAT_NAMES[file_format]}: {first_line}",
            )
            return None

    def refuse_too_many_rows(self, counted: int, exact: bool) -> None:
        amount_de = f"{counted:,}".replace(",", ".") if exact else f"mehr als {self.max_rows:,}".replace(",", ".")
        amount_en = f"{counted:,}" if exact else f"more than {self.max_rows:,}"
        self.refuse(
            f"Die Datei hat {amount_de} Zeilen; erlaubt sind höchstens {self.max_rows:,} je Einlesen. ".replace(
                ",", "."
            )
            + "Bitte in kleinere Dateien teilen.",
            f"The file has {amount_en} rows; at most {self.max_rows:,} are allowed per import. "
            "Please split it into smaller files.",
        )

    def _report_gdal_warnings(self, caught: list[warnings.WarningMessage]) -> None:
        """GDAL's remarks about a file become warnings for the steward, not lines on the server's stderr."""
        seen = set()
        for warning in caught:
            text = str(warning.message).strip().splitlines()[0] if str(warning.message).strip() else ""
            if not text or text in seen:
                continue
            seen.add(text)
            log.info("GDAL on %s: %s", self.display_name, text)
            self.warn(None, None, f"Hinweis beim Lesen der Datei: {text}", f"Note while reading the file: {text}")

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
                f"Dateityp „{suffix or '(ohne Endung)'}“ wird nicht unterstützt: erlaubt sind .gpkg, .geojson, "
                ".json, .csv.",
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

    def _read_with_gdal(self, file_format: str) -> RawTable | None:
        declared_crs_member = True
        if file_format == "geojson":
            document = self._load_json()
            if document is None:
                return None
            # RFC 7946 GeoJSON is WGS84 without a "crs" member; GDAL then reports EPSG:4326 even for
            # projected coordinates, so only an explicit member counts as declared.
            declared_crs_member = "crs" in document
            if declared_crs_member and not self._check_geojson_crs(document["crs"]):
                return None
            if not self._check_geojson_texts(document):
                return None
        layer = self._choose_layer() if file_format == "gpkg" else None
        if file_format == "gpkg":
            if layer is None or not self._gpkg_rows_within_limit(layer):
                return None
            # every row of the table: read by layer, GDAL stops at the count the file's header states
            frame = pyogrio.read_dataframe(self.path, sql=geopackage.select_all(layer))
        else:
            frame = pyogrio.read_dataframe(self.path)
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
        return RawTable(canonical, points, source_crs.is_geographic)

    def _load_json(self) -> dict | None:
        raw = self.path.read_bytes()
        if len(_GEOJSON_FEATURE.findall(raw)) > self.max_rows:
            self.refuse_too_many_rows(0, exact=False)
            return None
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            document = None
        if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection", "Feature"):
            self.refuse(
                f"„{self.display_name}“ ist keine GeoJSON-Datei (kein JSON-Objekt vom Typ FeatureCollection).",
                f"'{self.display_name}' is not GeoJSON (no JSON object of type FeatureCollection).",
            )
            return None
        return document

    def _check_geojson_crs(self, member: object) -> bool:
        """Only a named CRS that PROJ knows offline is accepted. GDAL would fetch a "link" from the
        network and read an unknown EPSG code as WGS 84 without a word."""
        kind = member.get("type") if isinstance(member, dict) else None
        properties = member.get("properties") if isinstance(member, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        if kind in ("link", "url", "URL"):
            href = str(properties.get("href", ""))[:120]
            self.refuse(
                f"Das Koordinatensystem der Datei ist ein Verweis auf eine Web-Adresse ({href}); Verweise werden "
                'nicht abgerufen. Bitte das System mit Namen angeben (z. B. "EPSG:25833") oder weglassen (WGS 84).',
                f"The file's coordinate reference system is a link to a web address ({href}); links are not "
                'fetched. Name the system instead (e.g. "EPSG:25833") or leave it out (WGS 84).',
            )
            return False
        if kind == "name":
            name = str(properties.get("name", ""))
        elif kind == "EPSG":
            name = f"EPSG:{properties.get('code', '')}"
        else:
            name = ""
        try:
            if not name:
                raise CRSError("no name")
            CRS.from_user_input(name)
        except CRSError:
            shown = (name or json.dumps(member, ensure_ascii=False))[:120]
            self.refuse(
                f"Unbekanntes Koordinatensystem in der Datei: {shown}. Bitte einen gültigen EPSG-Code angeben "
                '(z. B. "EPSG:25833") oder das Element "crs" weglassen (WGS 84).',
                f"Unknown coordinate reference system in the file: {shown}. Give a valid EPSG code "
                '(e.g. "EPSG:25833") or leave out the "crs" member (WGS 84).',
            )
            return False
        return True

    def _check_geojson_texts(self, document: dict) -> bool:
        """GDAL cuts a text at a NUL character without a word; such values are refused here, by feature."""
        features = document.get("features") if document.get("type") == "FeatureCollection" else [document]
        found = False
        for number, feature in enumerate(features if isinstance(features, list) else [], start=1):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            for key, value in properties.items() if isinstance(properties, dict) else ():
                if isinstance(value, str) and "\x00" in value:
                    found = True
                    self.problems.append(
                        Problem(
                            number,
                            str(key)[:60],
                            "Der Text enthält ein NUL-Zeichen (\\u0000); bitte entfernen.",
                            "The text contains a NUL character (\\u0000); please remove it.",
                        )
                    )
        return not found

    def _gpkg_rows_within_limit(self, layer: str) -> bool:
        """The layer's rows counted in its table (not the header's count) are within the row limit."""
        try:
            rows = geopackage.count_rows(self.path, layer, self.max_rows)
        except sqlite3.Error:
            self.refuse(
                f"Layer „{layer}“ lässt sich nicht als Tabelle lesen (oder nicht in {geopackage.COUNT_SECONDS:.0f} s "
                "zählen). Bitte die Datei in QGIS neu als GeoPackage speichern.",
                f"Layer '{layer}' cannot be read as a table (or not counted within {geopackage.COUNT_SECONDS:.0f} s). "
                "Please save the file again as a GeoPackage in QGIS.",
            )
            return False
        if rows > self.max_rows:
            self.refuse_too_many_rows(rows, exact=False)
            return False
        return True

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
                None,
                None,
                f"Die Datei hat mehrere Layer; gelesen wird „{chosen}“ (andere: {others}; {self.hints['layer_de']}).",
                f"The file has several layers; reading '{chosen}' (others: {others}; {self.hints['layer_en']}).",
            )
        return chosen

    def _points_from_geometries(self, geometries: list, rows: list[int], source_crs: CRS) -> list[shapely.Point | None]:
        points: list[shapely.Point | None] = []
        polygon_rows = []
        for row, geometry in zip(rows, geometries, strict=True):
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
                self.problems.append(
                    Problem(
                        row,
                        "geometry",
                        f"Geometrietyp {geometry.geom_type} wird nicht unterstützt: nur Punkte (oder Flächen).",
                        f"Geometry type {geometry.geom_type} is not supported: points only (or polygons).",
                    )
                )
                points.append(None)
        for row in polygon_rows:
            self.warn(
                row,
                "geometry",
                "Fläche statt Punkt: der Standort wird auf einen Punkt innerhalb der Fläche gesetzt.",
                "Polygon instead of a point: the site is placed at a point inside the polygon.",
            )
        return self._to_storage_crs(points, rows, source_crs)

    def _to_storage_crs(
        self, points: list[shapely.Point | None], rows: list[int], source_crs: CRS
    ) -> list[shapely.Point | None]:
        self.info["crs"] = crs_label(source_crs)
        projected = gpd.GeoSeries(points, crs=source_crs).to_crs(STORAGE_CRS)
        result: list[shapely.Point | None] = []
        for row, original, point in zip(rows, points, projected, strict=True):
            if original is None:
                result.append(None)
            elif point is None or point.is_empty or not all(map(math.isfinite, (point.x, point.y))):
                self.problems.append(
                    Problem(
                        row,
                        "geometry",
                        f"Die Koordinaten ({original.x}, {original.y}) passen nicht zu {crs_label(source_crs)}.",
                        f"The coordinates ({original.x}, {original.y}) do not fit {crs_label(source_crs)}.",
                    )
                )
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
                    f"Die Datei ist in {crs_label(declared)}, angegeben wurde {crs_label(self.crs)}. "
                    + self.hints["crs_conflict_de"],
                    f"The file declares {crs_label(declared)} but {crs_label(self.crs)} was given. "
                    + self.hints["crs_conflict_en"],
                )
                return None
            return declared
        if self.crs is not None:
            return self.crs
        if default is not None:
            return default
        self.refuse(
            f"Der Layer hat kein Koordinatenreferenzsystem. Bitte {self.hints['crs_de']}.",
            f"The layer has no coordinate reference system. Please {self.hints['crs_en']}.",
        )
        return None

    # CSV -----------------------------------------------------------------------------------------

    def _read_csv(self) -> RawTable | None:
        text = self._decode_text(self.path.read_bytes())
        if text is None:
            return None
        delimiter = _choose_delimiter(text)
        self.info["delimiter"] = {"\t": "Tab"}.get(delimiter, delimiter)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        records: list[list[str]] = []
        start_lines: list[int] = []  # the physical line on which each record starts
        try:
            for record in reader:
                start_lines.append(reader.line_num - sum(cell.count("\n") for cell in record))
                records.append(record)
                if len(records) > self.max_rows + 1:  # stop reading at once: header + limit
                    self.refuse_too_many_rows(0, exact=False)
                    return None
        except csv.Error as error:
            self.refuse(f"Die CSV-Datei ist nicht lesbar: {error}", f"The CSV file cannot be read: {error}")
            return None
        if records and _has_unclosed_quote(text, delimiter, start_lines[-1]):
            # the open field swallowed the line ends up to the end, the file's last one too
            line = start_lines[-1] + (1 if records[-1] and records[-1][-1].endswith("\n") else 0)
            self.problems.append(
                Problem(
                    line,
                    None,
                    f'In Zeile {line} beginnt ein Anführungszeichen ("), das nicht geschlossen wird; alles danach '
                    "wäre ein einziges Feld. Bitte das Anführungszeichen schließen oder entfernen.",
                    f'A quotation mark (") opened on line {line} is never closed; everything after it would be one '
                    "field. Please close or remove the quotation mark.",
                )
            )
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
            if len(record) > len(header) and any(cell.strip() for cell in record[len(header) :]):
                self.problems.append(
                    Problem(
                        line_number,
                        None,
                        f"Die Zeile hat {len(record)} Felder, die Kopfzeile nur {len(header)} "
                        f"(Trennzeichen „{self.info['delimiter']}“?).",
                        f"The row has {len(record)} fields but the header only {len(header)} "
                        f"(delimiter '{self.info['delimiter']}'?).",
                    )
                )
                continue
            rows.append((record + [""] * len(header))[: len(header)])
            line_numbers.append(line_number)
        # the line numbers a spreadsheet shows (header = 1), true even where empty lines were skipped
        values = pd.DataFrame(rows, columns=header, index=pd.Index(line_numbers, dtype=int), dtype=object)
        return self._table_from_coordinate_columns(values)

    def _decode_text(self, raw: bytes) -> str | None:
        """UTF-8 (with or without BOM), UTF-16 (with BOM, as Excel's "Unicode text" writes it), then
        Windows-1252 as German Excel writes it. A file whose lines mix UTF-8 and Windows-1252 is read
        line by line, and the steward is told which lines were read as Windows-1252."""
        if raw.startswith(_UTF16_BOMS):
            try:
                text = raw.decode("utf-16")
            except UnicodeDecodeError:
                text = None
            if text is not None and not _BINARY_CHARACTERS.search(text):
                self.info["encoding"] = "UTF-16"
                return text
        else:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = self._decode_mixed(raw)
            else:
                self.info["encoding"] = "UTF-8"
            if text is not None and not _BINARY_CHARACTERS.search(text):
                return text
            # decodes, but holds NUL and other control bytes: binary data, not text
        self.info.pop("encoding", None)
        self.refuse(
            f"„{self.display_name}“ ist keine Textdatei (CSV erwartet).",
            f"'{self.display_name}' is not a text file (CSV expected).",
        )
        return None

    def _decode_mixed(self, raw: bytes) -> str:
        lines = raw.removeprefix(b"\xef\xbb\xbf").split(b"\n")
        decoded, legacy_lines, utf8_lines = [], [], []
        for number, line in enumerate(lines, start=1):
            try:
                text = line.decode("utf-8")
                if not line.isascii():
                    utf8_lines.append(number)
            except UnicodeDecodeError:
                text = line.decode("cp1252", errors="replace")
                legacy_lines.append(number)
            decoded.append(text)
        if utf8_lines:
            self.info["encoding"] = "UTF-8 + Windows-1252"
            listed = ", ".join(map(str, legacy_lines[:20])) + (" …" if len(legacy_lines) > 20 else "")
            self.warn(
                None,
                None,
                f"Die Datei mischt Kodierungen: die Zeilen {listed} sind als Windows-1252 gelesen, die übrigen als "
                "UTF-8. Bitte Umlaute und ß in diesen Zeilen prüfen (am besten die Datei als „CSV UTF-8“ speichern).",
                f"The file mixes encodings: lines {listed} were read as Windows-1252, the others as UTF-8. Please "
                "check umlauts and ß on those lines (best save the file as 'CSV UTF-8').",
            )
        else:
            self.info["encoding"] = "Windows-1252"
        return "\n".join(decoded)

    # attribute tables with coordinate columns (CSV, or a layer without geometry) -------------------

    def _table_from_coordinate_columns(self, values: pd.DataFrame) -> RawTable | None:
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
                    f"Die Spalten {x}/{y} brauchen ein Koordinatenreferenzsystem: bitte {self.hints['crs_de']}.",
                    f"The columns {x}/{y} need a coordinate reference system: please {self.hints['crs_en']}.",
                )
                return None
            source_crs = self.crs
        else:
            # no coordinates at all: rows may still be placed by their municipality (checked later)
            self.info["crs"] = "—"
            return RawTable(canonical, [None] * len(values), is_geographic_input=True)
        if source_crs is None:
            return None
        points: list[shapely.Point | None] = []
        rows = [int(row) for row in values.index]
        for row, cells in zip(rows, zip(values[pair[0]], values[pair[1]], strict=True), strict=True):
            texts = [cell_text(cell) for cell in cells]
            if texts == [None, None]:
                points.append(None)  # no coordinates: perhaps a municipality places the site later
                continue
            numbers = [parse_number(text or "") for text in texts]
            for column, text, number in zip(pair, texts, numbers, strict=True):
                if number is None:
                    self.problems.append(
                        Problem(
                            row,
                            str(column),
                            f"„{text}“ ist keine Zahl." if text else "Die Koordinate fehlt.",
                            f"'{text}' is not a number." if text else "The coordinate is missing.",
                        )
                    )
            points.append(None if None in numbers else shapely.Point(numbers))
        projected = self._to_storage_crs(points, rows, source_crs)
        return RawTable(canonical, projected, source_crs.is_geographic)

    def _canonical(self, values: pd.DataFrame) -> pd.DataFrame | None:
        """Rename recognised columns to the site columns (case and spaces ignored); warn about the rest."""
        coordinate_names = LATITUDE_NAMES | LONGITUDE_NAMES | X_NAMES | Y_NAMES
        renamed: dict[str, str] = {}
        for name in values.columns:
            key = re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFC", str(name)).strip().lower())
            if key in schema.SITE_COLUMNS or key in site_facts.IMPORT_COLUMNS:
                if key in renamed.values():
                    self.refuse(f"Die Spalte „{key}“ kommt mehrfach vor.", f"The column '{key}' occurs more than once.")
                    return None
                renamed[name] = key
            elif key == site_facts.FACT_SOURCES_COLUMN:
                # the stored sites layer carries it, so a file exported from the atlas has it too
                self.warn(
                    None,
                    str(name),
                    f"Die Spalte „{name}“ wird aus den Quellen der Flächenangaben abgeleitet und nicht übernommen; "
                    f"neue oder geänderte Angaben brauchen ihre Quelle in {site_facts.IMPORT_SOURCE_COLUMN} und "
                    f"{site_facts.IMPORT_AS_OF_COLUMN}.",
                    f"The column '{name}' is derived from the sources of the plot figures and is ignored; new or "
                    f"changed figures need their source in {site_facts.IMPORT_SOURCE_COLUMN} and "
                    f"{site_facts.IMPORT_AS_OF_COLUMN}.",
                )
            elif key not in coordinate_names and key not in ("fid", "ogc_fid"):
                self.warn(
                    None,
                    str(name),
                    f"Unbekannte Spalte „{name}“ wird nicht übernommen.",
                    f"Unknown column '{name}' is ignored.",
                )
        return values.rename(columns=renamed)[list(renamed.values())].copy() if renamed else values.iloc[:, :0].copy()


def _has_unclosed_quote(text: str, delimiter: str, last_record_line: int) -> bool:
    """True when the last record's quoted field runs to the end of the text, i.e. a quotation mark was
    opened and never closed (a lenient reader silently makes the rest of the file one field)."""
    tail = "".join(text.splitlines(keepends=True)[last_record_line - 1 :])
    try:
        for _ in csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "end of data" in str(error)
    return False


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


def crs_label(crs: CRS) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code} ({crs.name})" if code else crs.name


def cell_text(value: object) -> str | None:
    """A cell as clean text (NFC, stripped), or None when empty; dates as ISO dates."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (np.integer, np.floating)):
        return cell_text(value.item())
    if isinstance(value, (pd.Timestamp, datetime, np.datetime64)):
        timestamp = pd.Timestamp(value)
        if pd.isna(timestamp):
            return None
        return timestamp.date().isoformat() if timestamp == timestamp.normalize() else timestamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None
