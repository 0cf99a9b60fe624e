"""Rules for single values from outside (a CSV cell, a URL parameter, an imported field): web addresses,
numbers as German or English spreadsheets write them, text a spreadsheet would run as a formula.

The build, the import, the filters and the downloads all call these, so a value that one accepts the
others accept too.
"""

from __future__ import annotations

import html
import ipaddress
import math
import re
from urllib.parse import urlsplit

# A spreadsheet runs a cell as a formula when it starts with one of these (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_GROUPING_SPACES = re.compile(r"[ \u00a0\u202f]")
_NUMBER_CHARACTERS = re.compile(r"[+-]?[0-9.,]+")


def is_web_url(url: object) -> bool:
    """True for an http(s) address with a dotted host name or an IP address and no user name or
    password in it: 'https://www.bund.de@evil.example/' (which a browser opens at evil.example) is not."""
    text = str(url)
    if not text or any(character.isspace() or ord(character) < 32 for character in text):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:  # e.g. an invalid IPv6 host or port
        return False
    if parts.scheme not in ("http", "https") or not host or "@" in parts.netloc:
        return False
    if "." in host.strip("."):
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def safe_url(value: object) -> str:
    """The URL if it is http(s) with a host (`is_web_url`, after trimming), else "": a javascript: link
    from data never becomes a link."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value).strip()
    return text if is_web_url(text) else ""


def escape_text(value: object) -> str:
    """Text from data, safe inside HTML (element content and quoted attribute values)."""
    return html.escape("" if value is None else str(value), quote=True)


def cut_text(text: object, max_length: int | None) -> str:
    """Outside text on one line (runs of whitespace, line breaks included, become one space), cut to
    `max_length` characters with "…" at the end (None: kept in full)."""
    line = " ".join(str(text).split())
    if max_length is not None and len(line) > max_length:
        return line[: max_length - 1] + "…"
    return line


def parse_number(text: object) -> float | None:
    """A number as people and spreadsheets write it, German or English: '52,123' and '52.123' (one mark:
    the decimal one), '412.345,6' and '412,345.6' (both: the last is the decimal one), '1.234.567' (one mark
    repeated: thousands), '5 800 000' (spaces group). None for anything else (text, '1e5', 'nan', '')
    and for numbers that are not finite. The one number rule of the atlas: the build's and the import's
    figures, the filters' bounds in a URL and the years all pass through here."""
    value = _GROUPING_SPACES.sub("", str(text).strip())
    if not _NUMBER_CHARACTERS.fullmatch(value):
        return None
    sign = "-" if value.startswith("-") else ""
    digits = value.lstrip("+-")
    marks = [character for character in digits if character in ".,"]
    if len(set(marks)) == 2:
        decimal = "," if digits.rfind(",") > digits.rfind(".") else "."
        digits = digits.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif len(marks) > 1:  # one mark, repeated: it groups thousands
        digits = digits.replace(marks[0], "")
    else:
        digits = digits.replace(",", ".")
    if digits.count(".") > 1 or not any(character.isdigit() for character in digits):
        return None
    number = float(sign + digits)
    return number if math.isfinite(number) else None


def looks_like_formula(text: object) -> bool:
    """Text a spreadsheet would run as a formula when it opens a CSV ('=HYPERLINK(…)', '@SUM(…)',
    '+cmd|…'); numbers such as '-2.5' are not."""
    value = str(text)
    return value.startswith(FORMULA_STARTS) and parse_number(value) is None
