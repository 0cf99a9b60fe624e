"""The API's checks of a request before pygeoapi answers it.

pygeoapi checks parameters too, but answers in English only, names the parameter not always, passes
parameters it does not know to the provider or drops them, and a few malformed headers (`q=0`) make it
fail. Here every parameter of a request is checked against what the path accepts, and anything wrong is a
400 that names the parameter, in the request's language (`lang=` or Accept-Language), before any data is
read. What passes is handed on in one canonical form: a filter given as `program=a&program=b` becomes
`program=a,b`, so pygeoapi's paging links (which keep one value per parameter) keep both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlencode

from geo.api.config import COLLECTIONS, CRS84, CRS_URIS, MAX_ITEMS
from geo.api.problems import ApiProblem, bad_parameter
from geo.texts import DEFAULT_LANGUAGE

MAX_QUERY_STRING = 2048
MAX_OFFSET = 10**9
FORMATS = ("json", "html", "jsonld")
COMMON_PARAMS = ("f", "lang")
ITEMS_PARAMS = COMMON_PARAMS + (
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "offset",
    "datetime",
    "resulttype",
    "properties",
    "skipGeometry",
    "sortby",
    "q",
)
ITEM_PARAMS = COMMON_PARAMS + ("crs",)
UNSUPPORTED_PARAMS = ("filter", "filter-lang", "filter-crs")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*$")
_Q_ZERO = re.compile(r";\s*q\s*=\s*0(?:\.0*)?\s*$")


@dataclass(frozen=True)
class CheckedQuery:
    """A request's parameters after the checks: one value each, filters joined by commas."""

    params: dict[str, str]
    lang: str

    def query_string(self, **overrides: str) -> str:
        return urlencode({**self.params, **overrides})


def request_language(params: Mapping[str, Iterable[str]], accept_language: str) -> str:
    """`de` or `en`: the `lang` parameter if it names one, else the first of Accept-Language that does."""
    candidates = list(params.get("lang", []))[-1:] + [part.split(";")[0] for part in accept_language.split(",")]
    for candidate in candidates:
        primary = candidate.strip().replace("_", "-").split("-")[0].lower()
        if primary in ("de", "en"):
            return primary
    return DEFAULT_LANGUAGE


def without_refused_choices(header: str) -> str:
    """An Accept or Accept-Language header without its `q=0` entries (they refuse a choice; pygeoapi's
    parser divides by q) and cut to a sane length."""
    return ",".join(part for part in header[:1000].split(",") if part.strip() and not _Q_ZERO.search(part))


def check_collection(collection_id: str) -> None:
    if collection_id not in COLLECTIONS:
        raise ApiProblem(
            HTTPStatus.NOT_FOUND,
            "unknown_collection",
            {"collection": collection_id[:80], "known": ", ".join(COLLECTIONS)},
            parameter="collectionId",
            code="NotFound",
        )


def _number_list(text: str) -> list[float] | None:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        return None
    return values if all(math.isfinite(value) for value in values) else None


def check_bbox(text: str, bbox_crs: str | None) -> None:
    values = _number_list(text)
    if values is None or len(values) not in (4, 6):
        raise bad_parameter("bbox", "bbox", value=text[:120])
    half = len(values) // 2
    lower, upper = values[:half], values[half:]
    crossing_antimeridian = bbox_crs in (None, CRS84) and lower[0] > upper[0]
    if any(low > high for low, high in zip(lower[1:], upper[1:], strict=True)) or (
        lower[0] > upper[0] and not crossing_antimeridian
    ):
        raise bad_parameter("bbox", "bbox", value=text[:120])
    if bbox_crs in (None, CRS84) and not (
        all(-180 <= x <= 180 for x in (lower[0], upper[0])) and all(-90 <= y <= 90 for y in (lower[1], upper[1]))
    ):
        raise bad_parameter("bbox_range", "bbox", value=text[:120])


def _whole_number(text: str, parameter: str, key: str, low: int, high: int, **values: object) -> None:
    if not re.fullmatch(r"\s*\d{1,12}\s*", text) or not low <= int(text) <= high:
        raise bad_parameter(key, parameter, value=text[:40], **values)


def check_crs(parameter: str, value: str) -> None:
    if value not in CRS_URIS:
        raise bad_parameter("crs", parameter, value=value[:120], allowed=", ".join(CRS_URIS))


def check_items_params(params: dict[str, str], property_names: Iterable[str]) -> None:
    """The standard parameters of /items (bbox, limit, offset, crs, properties, sortby …)."""
    if "bbox-crs" in params:
        check_crs("bbox-crs", params["bbox-crs"])
    if "bbox" in params:
        check_bbox(params["bbox"], params.get("bbox-crs"))
    if "limit" in params:
        _whole_number(params["limit"], "limit", "limit", 1, MAX_ITEMS, maximum=MAX_ITEMS)
    if "offset" in params:
        _whole_number(params["offset"], "offset", "offset", 0, MAX_OFFSET)
    if params.get("resulttype", "results") not in ("results", "hits"):
        raise bad_parameter("bad_filter_value", "resulttype", value=params["resulttype"][:40])
    if params.get("skipGeometry", "false").lower() not in ("true", "false"):
        raise bad_parameter("bad_filter_value", "skipGeometry", value=params["skipGeometry"][:40])
    known = set(property_names)
    for parameter in ("properties", "sortby"):
        for name in (
            part.strip().lstrip("+-") if parameter == "sortby" else part.strip()
            for part in params.get(parameter, "").split(",")
            if part.strip()
        ):
            if name not in known:
                raise bad_parameter("bad_filter_value", parameter, value=name[:80])


def check_query(
    raw: list[tuple[str, str]], query_string: str, allowed: Iterable[str], repeatable: Iterable[str] = ()
) -> dict[str, str]:
    """The parameters of a request, one value each (a repeatable filter's values joined by commas); raises
    ApiProblem for a parameter the path does not know, a repeated one, an unknown format or language."""
    if len(query_string) > MAX_QUERY_STRING:
        raise ApiProblem(
            HTTPStatus.REQUEST_URI_TOO_LONG, "too_long", {"maximum": MAX_QUERY_STRING}, code="InvalidParameterValue"
        )
    allowed, repeatable = tuple(allowed), set(repeatable)
    params: dict[str, str] = {}
    for name, value in raw:
        if name in UNSUPPORTED_PARAMS and "bbox" in allowed:
            raise ApiProblem(HTTPStatus.BAD_REQUEST, "filter_unsupported", parameter=name)
        if name not in allowed:
            raise bad_parameter("unknown_parameter", name[:80], allowed=", ".join(allowed))
        if name in params:
            if name not in repeatable:
                raise bad_parameter("repeated_parameter", name)
            params[name] = f"{params[name]},{value}"
        else:
            params[name] = value
    if params.get("f", "json") not in FORMATS:
        raise bad_parameter("format", "f", value=params["f"][:40])
    if "lang" in params and not _LANGUAGE_TAG.match(params["lang"]):
        raise bad_parameter("bad_filter_value", "lang", value=params["lang"][:40])
    if "crs" in params:
        check_crs("crs", params["crs"])
    return params
