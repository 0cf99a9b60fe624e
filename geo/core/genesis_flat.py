"""Read a GENESIS / Regionalstatistik flat CSV export ("Flat-File CSV", ffcsv) into district values.

The statistical offices deliver two layouts (both described with real examples in
data/sources/district_labour.md, and both in tests/fixtures/genesis/):

* **current** (2024 onwards): one header row ``statistics_code;statistics_label;time_code;time_label;
  time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;…;value;
  value_unit;value_variable_code;value_variable_label[;value_q]`` and one value per row, UTF-8 with a
  byte-order mark, often inside a ZIP with one ``*_flat.csv``;
* **classic** (until 2024): ``Statistik_Code;…;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;
  1_Auspraegung_Label;…;<CODE>__<Label>__<Unit>[;<CODE>__<Label>__q]`` with one column per value
  variable, ``Zeit`` as ``30.06.2023``, Latin-1 or UTF-8.

The region is the variable whose code is ``KREISE`` (Kreise und kreisfreie Städte); its attribute code
is the AGS. Rows of other regional levels (``DLAND``, ``REGBEZ``, ``DINSG``) are counted, not read.
A value cell may hold a marker instead of a number (`MISSING_MARKERS`): it becomes *no value* with its
marker, never 0. Only *total* rows are values of an indicator: every variable other than the region
has an empty attribute code (label „Insgesamt“); breakdowns by sex, nationality etc. are skipped.

Bad input raises `FlatFileError` with a message in German and English; nothing is half-read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_FILE_BYTES = 60_000_000  # a whole-Germany table of one indicator is a few MB
MAX_ROWS = 1_000_000
REGION_VARIABLE = "KREISE"
OTHER_REGION_VARIABLES = ("DLAND", "REGBEZ", "DINSG", "DG")
# the statistical offices' Zeichenerklärung: what each marker means
MISSING_MARKERS = {
    "-": ("nichts vorhanden", "nothing (or no figure for this region)"),
    ".": ("Zahlenwert unbekannt oder geheim zu halten", "unknown or confidential"),
    "x": ("Tabellenfach gesperrt", "cell blocked"),
    "...": ("Angabe fällt später an", "not yet available"),
    "…": ("Angabe fällt später an", "not yet available"),
    "/": ("Zahlenwert nicht sicher genug", "not reliable enough"),
}
_CURRENT_HEAD = ("statistics_code", "statistics_label", "time_code", "time_label", "time")
_CLASSIC_HEAD = ("Statistik_Code", "Statistik_Label", "Zeit_Code", "Zeit_Label", "Zeit")
_GERMAN_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_AGS = re.compile(r"^\d{5}$")


class FlatFileError(ValueError):
    """The file is not a GENESIS flat CSV this reader understands (message: German, then English)."""

    def __init__(self, de: str, en: str):
        super().__init__(f"{de} / {en}")
        self.de = de
        self.en = en


@dataclass(frozen=True)
class FlatValue:
    """One district value of a flat file (a total row), or its missing-value marker."""

    ags: str
    region_label: str
    as_of: str  # ISO: 2023-06-30 for a reference date, 2025 for a year
    value_code: str  # e.g. ERW032
    value_label: str
    unit: str
    value: float | None
    marker: str = ""  # the missing-value marker when value is None


@dataclass(frozen=True)
class FlatFile:
    layout: str  # "current" or "classic"
    statistic_code: str
    statistic_label: str
    values: tuple[FlatValue, ...]
    rows_read: int
    rows_other_levels: int  # rows of states, regions, Germany
    rows_breakdown: int  # district rows that are not totals (by sex, nationality …)

    def value_variables(self) -> dict[str, str]:
        """code -> label of the value variables present, in file order."""
        found: dict[str, str] = {}
        for value in self.values:
            found.setdefault(value.value_code, value.value_label)
        return found


def normalised_label(text: str) -> str:
    """A label compared across layouts and spellings: "Sozialversicherungspfl._Beschaeftigte_(Arbeitsort)"
    and "Sozialversicherungspfl. Beschäftigte (Arbeitsort)" give the same key."""
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", text)


def iso_time(text: str) -> str:
    """ "30.06.2023" -> "2023-06-30"; "2023-06-30" and "2025" stay as they are."""
    text = text.strip()
    match = _GERMAN_DATE.match(text)
    return f"{match.group(3)}-{match.group(2)}-{match.group(1)}" if match else text


def parse_value(cell: str) -> tuple[float | None, str]:
    """(number, "") or (None, marker). Decimal comma (German file) or point (English file)."""
    text = cell.strip()
    if text in MISSING_MARKERS:
        return None, text
    if not text:
        return None, "-"
    try:
        return float(text.replace(",", ".")), ""
    except ValueError:
        raise FlatFileError(
            f"Wert „{text[:30]}“ ist weder Zahl noch Zeichen der Statistik (-, ., x, ..., /)",
            f"value “{text[:30]}” is neither a number nor a statistics marker (-, ., x, ..., /)",
        ) from None


def decode(data: bytes) -> str:
    """The text of a flat file: a ZIP's one *_flat.csv, UTF-8 (with or without BOM) or Latin-1."""
    if len(data) > MAX_FILE_BYTES:
        raise FlatFileError(
            f"Datei größer als {MAX_FILE_BYTES // 1_000_000} MB", f"file larger than {MAX_FILE_BYTES // 1_000_000} MB"
        )
    if data[:4] == b"PK\x03\x04":
        data = _unzipped(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _unzipped(data: bytes) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FlatFileError("ZIP-Datei ist beschädigt", "the ZIP file is damaged") from None
    members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
    if len(members) != 1:
        raise FlatFileError(
            "Die ZIP-Datei muss genau eine CSV-Datei enthalten", "the ZIP file must hold exactly one CSV file"
        )
    if members[0].file_size > MAX_FILE_BYTES:
        raise FlatFileError(
            f"Entpackte Datei größer als {MAX_FILE_BYTES // 1_000_000} MB",
            f"unpacked file larger than {MAX_FILE_BYTES // 1_000_000} MB",
        )
    return archive.read(members[0])


def read_flat_file(data: bytes) -> FlatFile:
    """Parse a flat CSV export (bytes of the CSV or of its ZIP). Raises FlatFileError."""
    rows = csv.reader(io.StringIO(decode(data), newline=""), delimiter=";")
    try:
        header = [name.strip() for name in next(rows)]
    except StopIteration:
        raise FlatFileError("Die Datei ist leer", "the file is empty") from None
    if tuple(header[:5]) == _CURRENT_HEAD:
        return _read(header, rows, "current")
    if tuple(header[:5]) == _CLASSIC_HEAD:
        return _read(header, rows, "classic")
    raise FlatFileError(
        "Keine GENESIS-Flat-CSV: die Kopfzeile beginnt nicht mit statistics_code;…;time (bzw. Statistik_Code;…;Zeit). "
        "Bitte in GENESIS/Regionalstatistik „Flat-File CSV“ herunterladen.",
        "not a GENESIS flat CSV: the header does not start with statistics_code;…;time (or Statistik_Code;…;Zeit). "
        "Download “Flat-File CSV” from GENESIS/Regionalstatistik.",
    )


def _variable_columns(header: list[str], layout: str) -> list[tuple[int, ...]]:
    """(code, attribute code, attribute label) column indexes of each classifying variable."""
    names = (
        ("variable_code", "variable_attribute_code", "variable_attribute_label")
        if layout == "current"
        else ("Merkmal_Code", "Auspraegung_Code", "Auspraegung_Label")
    )
    found = []
    number = 1
    while f"{number}_{names[0]}" in header:
        try:
            found.append(tuple(header.index(f"{number}_{name}") for name in names))
        except ValueError:
            raise FlatFileError(
                f"Spalten der Variable {number} unvollständig", f"the columns of variable {number} are incomplete"
            ) from None
        number += 1
    if not found:
        raise FlatFileError("Keine Variablenspalten (1_variable_code …)", "no variable columns (1_variable_code …)")
    return found


def _value_columns(header: list[str], layout: str) -> list[tuple[int, str, str, str]]:
    """Classic layout: (index, code, label, unit) of each value column "CODE__Label__Unit"."""
    if layout == "current":
        return []
    columns = []
    for index, name in enumerate(header):
        parts = name.split("__")
        if len(parts) >= 3 and parts[-1] != "q":
            columns.append((index, parts[0], parts[1].replace("_", " "), parts[-1].replace("_", " ")))
    if not columns:
        raise FlatFileError("Keine Wertspalten (CODE__Bezeichnung__Einheit)", "no value columns (CODE__Label__Unit)")
    return columns


def _read(header: list[str], rows, layout: str) -> FlatFile:
    variables = _variable_columns(header, layout)
    value_columns = _value_columns(header, layout)
    if layout == "current":
        missing = [
            name
            for name in ("value", "value_unit", "value_variable_code", "value_variable_label")
            if name not in header
        ]
        if missing:
            raise FlatFileError(f"Spalten fehlen: {', '.join(missing)}", f"columns missing: {', '.join(missing)}")
        current = tuple(
            header.index(name) for name in ("value", "value_unit", "value_variable_code", "value_variable_label")
        )
    values: list[FlatValue] = []
    statistic = ("", "")
    counts = {"read": 0, "other": 0, "breakdown": 0}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if counts["read"] >= MAX_ROWS:
            raise FlatFileError(f"Mehr als {MAX_ROWS:,} Zeilen".replace(",", "."), f"more than {MAX_ROWS:,} rows")
        if len(row) < len(header):
            raise FlatFileError(
                f"Zeile {number}: {len(row)} statt {len(header)} Spalten",
                f"row {number}: {len(row)} instead of {len(header)} columns",
            )
        counts["read"] += 1
        statistic = (row[0].strip(), row[1].strip())
        region = next((v for v in variables if row[v[0]].strip() == REGION_VARIABLE), None)
        if region is None:
            counts["other"] += 1
            continue
        ags = row[region[1]].strip()
        if not _AGS.match(ags):
            counts["other"] += 1  # a state, region or Germany in the KREISE variable ("DG", "01", "031")
            continue
        if any(row[v[1]].strip() for v in variables if v is not region):
            counts["breakdown"] += 1
            continue
        as_of = iso_time(row[4])
        label = row[region[2]].strip()
        if layout == "current":
            number_, marker = _parsed(row[current[0]], number)
            values.append(
                FlatValue(
                    ags,
                    label,
                    as_of,
                    row[current[2]].strip(),
                    row[current[3]].strip(),
                    row[current[1]].strip(),
                    number_,
                    marker,
                )
            )
        else:
            for index, code, value_label, unit in value_columns:
                number_, marker = _parsed(row[index], number)
                values.append(FlatValue(ags, label, as_of, code, value_label, unit, number_, marker))
    if not counts["read"]:
        raise FlatFileError("Die Datei enthält keine Datenzeilen", "the file holds no data rows")
    return FlatFile(
        layout, statistic[0], statistic[1], tuple(values), counts["read"], counts["other"], counts["breakdown"]
    )


def _parsed(cell: str, row_number: int) -> tuple[float | None, str]:
    try:
        return parse_value(cell)
    except FlatFileError as error:
        raise FlatFileError(f"Zeile {row_number}: {error.de}", f"row {row_number}: {error.en}") from None
