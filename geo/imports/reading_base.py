"""The shared part of reading a user's file (geo.imports.reading): limits, the reader's state and its
refusals, coordinate reference systems, and the `RawTable` the reading produces."""

from __future__ import annotations

import logging
import math
import re
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.core import fields
from geo.core.schema import STORAGE_CRS, STORED_DECIMALS
from geo.core.settings import number_setting, whole_number_setting
from geo.core.values import parse_number
from geo.imports.results import WARNING, Problem
from geo.sites import fact_imports
from geo.sites import facts as site_facts
from geo.sites.inclusion import IMPORT_STATUS_COLUMNS
from geo.texts import Num, Text, both

log = logging.getLogger(__name__)

MAX_UPLOAD_ENV = "STANDORTATLAS_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50
MAX_ROWS_ENV = "STANDORTATLAS_MAX_IMPORT_ROWS"
DEFAULT_MAX_ROWS = 20_000

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CSV_DELIMITERS = ",;\t"

LATITUDE_NAMES = {"lat", "latitude", "breite", "breitengrad", "y_wgs84"}
LONGITUDE_NAMES = {"lon", "lng", "long", "longitude", "laenge", "länge", "laengengrad", "längengrad", "x_wgs84"}
X_NAMES = {"x", "easting", "rechtswert", "ostwert"}
Y_NAMES = {"y", "northing", "hochwert", "nordwert"}

_BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Where a steward chooses the CRS and the layer: a command-line option ("cli"), or a field of the staff page
# ("page"); the hints are the texts import_hint_<what>_<surface>.
SURFACES = ("cli", "page")


def max_import_rows() -> int:
    """The row limit for user files (env STANDORTATLAS_MAX_IMPORT_ROWS, default 20,000)."""
    return whole_number_setting(MAX_ROWS_ENV, DEFAULT_MAX_ROWS, minimum=1)


def max_upload_bytes() -> int:
    """The size limit for user files (env STANDORTATLAS_MAX_UPLOAD_MB, default 50)."""
    return int(number_setting(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD_MB, minimum=0.0) * 1024 * 1024)


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


class ReaderBase:
    """What every part of the reader shares: the file, the steward's choices (layer, CRS), the problems found
    so far and the coordinate handling; geo.imports.reading joins the parts into `FileReader`."""

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
        self.surface = surface
        self.problems: list[Problem] = []
        self.info: dict[str, str] = {"file": display_name}

    def hint(self, what: str) -> Text:
        """Where the steward gives the CRS or the layer: on the command line or in a field of the page."""
        return Text(f"import_hint_{what}_{self.surface}")

    def refuse(self, de: str, en: str) -> None:
        self.problems.append(Problem(None, None, de, en))

    def warn(self, row: int | None, field_name: str | None, de: str, en: str) -> None:
        self.problems.append(Problem(row, field_name, de, en, WARNING))

    def refuse_too_many_rows(self, counted: int, exact: bool) -> None:
        amount = Num(counted) if exact else Text("import_rows_more_than", {"count": Num(self.max_rows)})
        self.refuse(*both("import_too_many_rows", amount=amount, limit=Num(self.max_rows)))

    def _report_gdal_warnings(self, caught: list[warnings.WarningMessage]) -> None:
        """GDAL's remarks about a file become warnings for the steward, not lines on the server's stderr."""
        seen = set()
        for warning in caught:
            text = str(warning.message).strip().splitlines()[0] if str(warning.message).strip() else ""
            if not text or text in seen:
                continue
            seen.add(text)
            log.info("GDAL on %s: %s", self.display_name, text)
            self.warn(None, None, *both("import_note_while_reading_file_text", text=text))

    # GeoPackage and GeoJSON ------------------------------------------------------------------------

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
                        *both(
                            "import_coordinates_original_x_original_y",
                            original_x=original.x,
                            original_y=original.y,
                            crs=crs_label(source_crs),
                        ),
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
                    *both(
                        "import_crs_conflict",
                        declared=crs_label(declared),
                        given=crs_label(self.crs),
                        hint=self.hint("crs_conflict"),
                    )
                )
                return None
            return declared
        if self.crs is not None:
            return self.crs
        if default is not None:
            return default
        self.refuse(
            *both("import_layer_has_no_coordinate_reference", crs=self.hint("crs")),
        )
        return None

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
                    *both(
                        "import_columns_x_y_need_coordinate",
                        x=x,
                        y=y,
                        crs=self.hint("crs"),
                    ),
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
                            *(both("import_not_a_number", text=text) if text else both("import_coordinate_missing")),
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
            if key in fields.SITE_COLUMNS or key in fact_imports.IMPORT_COLUMNS or key in IMPORT_STATUS_COLUMNS:
                if key in renamed.values():
                    self.refuse(*both("import_column_key_occurs_more_than", key=key))
                    return None
                renamed[name] = key
            elif key == site_facts.FACT_SOURCES_COLUMN:
                # the stored sites layer carries it, so a file exported from the atlas has it too
                self.warn(
                    None,
                    str(name),
                    *both(
                        "import_column_name_derived_from_sources",
                        name=name,
                        source_column=fact_imports.IMPORT_SOURCE_COLUMN,
                        as_of_column=fact_imports.IMPORT_AS_OF_COLUMN,
                    ),
                )
            elif key not in coordinate_names and key not in ("fid", "ogc_fid"):
                self.warn(
                    None,
                    str(name),
                    *both("import_unknown_column_name_ignored", name=name),
                )
        return values.rename(columns=renamed)[list(renamed.values())].copy() if renamed else values.iloc[:, :0].copy()

    # CSV -----------------------------------------------------------------------------------------

    # attribute tables with coordinate columns (CSV, or a layer without geometry) -------------------


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


def _find_column(columns: dict[str, object], names: set[str]) -> object | None:
    return next((original for lowered, original in columns.items() if lowered in names), None)
