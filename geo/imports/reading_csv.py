"""Reading a CSV file (also German Excel's: `;`, decimal commas, Windows-1252): its encoding, delimiter,
columns and coordinate columns."""

from __future__ import annotations

import csv
import io

import pandas as pd

from geo.imports.reading_base import (
    _BINARY_CHARACTERS,
    _UTF16_BOMS,
    CSV_DELIMITERS,
    RawTable,
    ReaderBase,
)
from geo.imports.results import Problem
from geo.texts import both


class CsvReading(ReaderBase):
    """The CSV part of `geo.imports.reading.FileReader`."""

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
            self.refuse(*both("import_csv_file_cannot_read_error", error=error))
            return None
        if records and _has_unclosed_quote(text, delimiter, start_lines[-1]):
            # the open field swallowed the line ends up to the end, the file's last one too
            line = start_lines[-1] + (1 if records[-1] and records[-1][-1].endswith("\n") else 0)
            self.problems.append(
                Problem(
                    line,
                    None,
                    *both("import_quotation_mark_opened_on_line", line=line),
                )
            )
            return None
        header = [name.strip() for name in records[0]] if records else []
        if not any(header):
            self.refuse(*both("import_csv_file_has_no_header"))
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
                        *both(
                            "import_row_has_count_record_fields",
                            count_record=len(record),
                            count_header=len(header),
                            delimiter=self.info["delimiter"],
                        ),
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
            *both("import_display_name_not_text_file", display_name=self.display_name),
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
                *both("import_file_mixes_encodings_lines_listed", listed=listed),
            )
        else:
            self.info["encoding"] = "Windows-1252"
        return "\n".join(decoded)


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
