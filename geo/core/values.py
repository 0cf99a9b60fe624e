"""Rules for single values from outside (a CSV cell, a URL parameter, an imported field): web addresses,
numbers as German or English spreadsheets write them, text a spreadsheet would run as a formula.

The build, the import, the filters and the downloads all call these, so a value that one accepts the
others accept too.
"""

from __future__ import annotations

import ipaddress
import math
from urllib.parse import urlsplit

# A spreadsheet runs a cell as a formula when it starts with one of these (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def parse_number(text: str) -> float | None:
    """A number as German or English Excel writes it: '52,123', '52.123', '412.345,6', '412,345.6'."""
    value = str(text).strip().replace(" ", "").replace("\u00a0", "")
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


def looks_like_formula(text: object) -> bool:
    """Text a spreadsheet would run as a formula when it opens a CSV ('=HYPERLINK(…)', '@SUM(…)',
    '+cmd|…'); numbers such as '-2.5' are not."""
    value = str(text)
    return value.startswith(FORMULA_STARTS) and parse_number(value) is None
