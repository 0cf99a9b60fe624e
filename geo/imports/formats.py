"""The file formats a steward may import: the one table the reader, the staff page's uploader and the
messages read, so a format is offered exactly where it is accepted.

A CSV may also come as .txt (what spreadsheet programs write when they save "text"); the reader detects
the delimiter and the encoding either way.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.core.formatting import format_list


@dataclass(frozen=True)
class ImportFormat:
    code: str  # how the reader calls the format
    name: str  # how people call it
    suffixes: tuple[str, ...]  # the file name endings it comes with, the usual one first


IMPORT_FORMATS = (
    ImportFormat("gpkg", "GeoPackage", (".gpkg",)),
    ImportFormat("geojson", "GeoJSON", (".geojson", ".json")),
    ImportFormat("csv", "CSV", (".csv", ".txt")),
)
FORMAT_NAMES = {import_format.code: import_format.name for import_format in IMPORT_FORMATS}
SUFFIX_FORMATS = {suffix: import_format.code for import_format in IMPORT_FORMATS for suffix in import_format.suffixes}


def upload_types() -> list[str]:
    """The endings the uploader offers (without the dot, as st.file_uploader wants them)."""
    return [suffix.lstrip(".") for suffix in SUFFIX_FORMATS]


def suffixes_text(lang: str) -> str:
    """„.gpkg, .geojson, .json, .csv oder .txt“ / ".gpkg, .geojson, .json, .csv or .txt"."""
    return format_list(list(SUFFIX_FORMATS), lang, "or")


def names_text(lang: str) -> str:
    """„GeoPackage, GeoJSON oder CSV“ / "GeoPackage, GeoJSON or CSV"."""
    return format_list([import_format.name for import_format in IMPORT_FORMATS], lang, "or")
