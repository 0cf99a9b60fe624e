"""Reading a user's file: is it what its name says (GeoPackage, GeoJSON, CSV), which layer, which
encoding and delimiter, which coordinate reference system; the rows come out as a `RawTable` of texts
and points in EPSG:4326, or the file is refused with a `Problem` that says why. The values of the rows
are checked afterwards (`geo.imports.checks`). The parts: reading_base (state, limits, CRS), reading_geo
(GDAL), reading_csv (CSV)."""

from __future__ import annotations

import warnings
from pathlib import Path

from geo.imports.formats import FORMAT_NAMES, SUFFIX_FORMATS, suffixes_text
from geo.imports.offline import gdal_offline
from geo.imports.reading_base import (
    SQLITE_MAGIC,
    ZIP_MAGICS,
    RawTable,
    log,
)
from geo.imports.reading_csv import CsvReading
from geo.imports.reading_geo import GeoReading
from geo.texts import Num, Text, both


class FileReader(GeoReading, CsvReading):
    """Checks that a file is what its name says and reads it into a `RawTable`."""

    def read(self, max_bytes: int) -> RawTable | None:
        if not self.path.is_file():
            self.refuse(*both("import_file_not_found_display_name", display_name=self.display_name))
            return None
        size = self.path.stat().st_size
        if size == 0:
            self.refuse(*both("import_file_empty"))
            return None
        if size > max_bytes:
            limit = max_bytes / 1024 / 1024
            self.refuse(
                *both(
                    "import_file_too_large_value_mb",
                    size=Num(size / 1024 / 1024, 1, grouping=False),
                    limit=Num(limit, 0, grouping=False),
                ),
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
        except MemoryError:  # the check's memory limit (geo.imports.worker): not the file's fault
            raise
        except Exception as error:  # whatever GDAL, GEOS or PROJ make of a broken file: refused, not a crash
            log.info("%s refused as unreadable", self.display_name, exc_info=True)
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            self.refuse(
                *both("import_file_cannot_read_as_value", file_format=FORMAT_NAMES[file_format], first_line=first_line),
            )
            return None

    def _detect_format(self) -> str | None:
        with open(self.path, "rb") as handle:
            head = handle.read(64)
        suffix = Path(self.display_name).suffix.lower()
        expected = SUFFIX_FORMATS.get(suffix)
        if head.startswith(ZIP_MAGICS):
            self.refuse(
                *both("import_file_zip_archive_excel_workbook"),
            )
            return None
        if expected is None:
            self.refuse(
                *both(
                    "import_file_type_not_supported",
                    suffix=suffix or Text("import_no_extension"),
                    suffixes=suffixes_text,
                ),
            )
            return None
        is_sqlite = head.startswith(SQLITE_MAGIC)
        if expected == "gpkg" and not is_sqlite:
            self.refuse(
                *both("import_display_name_not_geopackage_no", display_name=self.display_name),
            )
            return None
        if expected != "gpkg" and is_sqlite:
            self.refuse(
                *both(
                    "import_display_name_sqlite_geopackage_file",
                    display_name=self.display_name,
                    file_format=FORMAT_NAMES[expected],
                ),
            )
            return None
        return expected
