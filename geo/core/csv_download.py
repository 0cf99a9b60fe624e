"""The app's one CSV writer: every CSV a visitor downloads is written here.

Spreadsheet-ready: UTF-8 with BOM (Excel then reads the umlauts) and the conventions of the page's language,
which are those of the spreadsheet the visitor most likely opens it in: German `;` between fields and a
decimal comma (German Excel reads `60,7` as a number and splits at `;`), English `,` and a decimal point.

Text cells are neutralised against formula injection (the OWASP rule for CSV): a cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so Excel and LibreOffice show it
as text instead of evaluating it. Numbers are never touched: a negative number stays a number.
"""

from __future__ import annotations

import io
import math
import numbers

import pandas as pd

from geo.core.formatting import decimal_mark
from geo.core.values import FORMULA_STARTS

SEPARATORS = {"de": ";", "en": ","}


def field_separator(lang: str) -> str:
    return SEPARATORS.get(lang, ",")


def neutralise_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: object, decimal: str) -> object:
    """One cell of a text column: strings neutralised, numbers written with the language's decimal mark
    (pandas applies `decimal` only to numeric columns, not to numbers inside a text column)."""
    if isinstance(value, str):
        return neutralise_formula(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number):
            return None
        return repr(number).replace(".", decimal) if not number.is_integer() else str(int(number))
    return value


def csv_bytes(frame: pd.DataFrame, lang: str) -> bytes:
    """`frame` as CSV bytes for spreadsheets in `lang`'s conventions, formula-like text neutralised."""
    decimal = decimal_mark(lang)
    safe = frame.copy()
    safe.columns = [neutralise_formula(str(column)) for column in safe.columns]
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
            continue
        safe.isetitem(position, column.map(lambda value: _cell(value, decimal), na_action="ignore").astype(object))
    buffer = io.StringIO()
    # CRLF ends rows as RFC 4180 and Excel expect; it also makes the writer quote a lone carriage return in a cell
    safe.to_csv(buffer, sep=field_separator(lang), index=False, decimal=decimal, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")
