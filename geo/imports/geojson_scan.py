"""A steward's GeoJSON, looked through as a stream before GDAL reads it.

The scan parses the file event by event (ijson; nothing of it is kept but a few findings) and stops as
soon as the answer is clear:

- its features are counted after parsing, so no spelling of the keys hides one (`"\\u0074ype"` is `type`
  once parsed), and the scan stops at the first feature past the row limit;
- every member named `crs` is found, wherever it stands: GDAL fetches a `link` CRS from the network
  whether it stands at the top of the document, in a feature or in a geometry, and it matches member names
  without regard to case. Only the document's own `crs` may stay (the reader then checks that it names a
  CRS that PROJ knows offline);
- text values of a feature's properties that hold a NUL character (GDAL cuts the text there silently);
- nesting deeper than `MAX_DEPTH` is refused (no GeoJSON needs it, and it costs the parser).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import ijson

MAX_DEPTH = 64  # a feature's coordinates need about 8 levels, a nested property a few more
MAX_CRS_EVENTS = 200  # the document's own crs member is small; a larger one is no CRS the atlas knows
MAX_FINDINGS = 20  # crs members and NUL texts named by their feature (the rest only counted)
UTF8_BOM = b"\xef\xbb\xbf"
ROOT_TYPES = ("FeatureCollection", "Feature")

# the role of an open container, by where it stands
_ROOT, _FEATURES, _FEATURE, _PROPERTIES, _CRS, _OTHER = range(6)


class NotGeoJson(ValueError):
    """The file is no JSON object (or is nested deeper than MAX_DEPTH)."""


@dataclass
class GeoJsonScan:
    """What the scan found. `features` stops at `max_rows + 1`; `over_limit` then says so."""

    kind: str | None = None  # the document's "type"
    features: int = 0
    over_limit: bool = False
    has_crs: bool = False  # the document's own crs member
    crs: object = None  # … and its value
    nested_crs: list[int | None] = field(default_factory=list)  # feature numbers (None: outside features)
    nested_crs_count: int = 0
    nul_texts: list[tuple[int, str]] = field(default_factory=list)  # (feature number, property)
    root_nul_texts: list[str] = field(default_factory=list)  # properties of a document that is one Feature

    @property
    def rows(self) -> int:
        return max(self.features, 1 if self.kind == "Feature" else 0)


def scan_geojson(path: Path, max_rows: int) -> GeoJsonScan:
    """Scan the GeoJSON at `path`; NotGeoJson when it is no JSON object, or too deeply nested."""
    with open(path, "rb") as handle:
        if handle.read(len(UTF8_BOM)) != UTF8_BOM:
            handle.seek(0)
        try:
            return _Scanner(max_rows).run(handle)
        except ijson.JSONError as error:
            raise NotGeoJson(str(error).strip().splitlines()[0] if str(error).strip() else "JSON") from None


class _Scanner:
    def __init__(self, max_rows: int):
        self.max_rows = max_rows
        self.found = GeoJsonScan()
        self.roles: list[int] = []  # the open containers, outermost first
        self.keys: list[str | None] = []  # the current member name of each open map (GDAL ignores case)
        self.crs_builder: ijson.ObjectBuilder | None = None
        self.crs_events = 0

    def run(self, handle: BinaryIO) -> GeoJsonScan:
        for event, value in ijson.basic_parse(handle, use_float=True):
            if self.crs_builder is not None:
                self._collect_crs(event, value)
            if event == "map_key":
                self._member(value)
            elif event in ("start_map", "start_array"):
                self._open(event == "start_map")
                if self.found.over_limit:
                    return self.found
            elif event in ("end_map", "end_array"):
                self.roles.pop()
                self.keys.pop()
            elif self.roles:
                self._scalar(value)
            else:
                raise NotGeoJson("not an object")
        return self.found

    def _member(self, name: str) -> None:
        self.keys[-1] = name
        if name.casefold() != "crs":
            return
        if len(self.roles) == 1 and not self.found.has_crs:
            self.found.has_crs = True
            self.crs_builder, self.crs_events = ijson.ObjectBuilder(), 0
        else:  # inside a feature or a geometry, or the document's second one
            self.found.nested_crs_count += 1
            if len(self.found.nested_crs) < MAX_FINDINGS:
                self.found.nested_crs.append(self._feature_number())

    def _open(self, is_map: bool) -> None:
        parent = self.roles[-1] if self.roles else None
        key = self.keys[-1].casefold() if self.keys and self.keys[-1] is not None else None
        if parent is None:
            if not is_map:
                raise NotGeoJson("not an object")
            role = _ROOT
        elif parent == _ROOT and key == "features" and not is_map:
            role = _FEATURES
        elif parent == _FEATURES and is_map:
            role = _FEATURE
            self.found.features += 1
            self.found.over_limit = self.found.features > self.max_rows
        elif parent in (_FEATURE, _ROOT) and key == "properties" and is_map:
            role = _PROPERTIES
        else:
            role = _OTHER
        self.roles.append(role)
        self.keys.append(None)
        if len(self.roles) > MAX_DEPTH:
            raise NotGeoJson(f"nested deeper than {MAX_DEPTH} levels")

    def _scalar(self, value: object) -> None:
        role, key = self.roles[-1], self.keys[-1]
        if role == _ROOT and key is not None and key.casefold() == "type":
            self.found.kind = value if isinstance(value, str) else None
        elif role == _PROPERTIES and isinstance(value, str) and "\x00" in value and key is not None:
            in_root = len(self.roles) == 2
            findings = self.found.root_nul_texts if in_root else self.found.nul_texts
            if len(findings) < MAX_FINDINGS:
                if in_root:
                    self.found.root_nul_texts.append(key)
                else:
                    self.found.nul_texts.append((self.found.features, key))

    def _collect_crs(self, event: str, value: object) -> None:
        """Build the document's crs member from its events, until its value is complete (or too large)."""
        builder = self.crs_builder
        if builder is None:
            return
        self.crs_events += 1
        if self.crs_events > MAX_CRS_EVENTS:
            self.found.crs, self.crs_builder = {"type": "too large"}, None
            return
        builder.event(event, value)
        # the depth once this event is taken: the value is complete when it is back at the document's level
        depth = len(self.roles) + (event in ("start_map", "start_array")) - (event in ("end_map", "end_array"))
        if depth == 1 and event not in ("start_map", "start_array"):
            self.found.crs, self.crs_builder = builder.value, None

    def _feature_number(self) -> int | None:
        return self.found.features if _FEATURE in self.roles else None
