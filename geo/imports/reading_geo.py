"""Reading a GeoPackage or GeoJSON file with GDAL (offline, no network): its layer, its CRS, its points."""

from __future__ import annotations

import json
import sqlite3

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.imports import geopackage
from geo.imports.reading_base import (
    _GEOJSON_FEATURE,
    RawTable,
    ReaderBase,
)
from geo.imports.results import Problem
from geo.texts import Num, both


class GeoReading(ReaderBase):
    """The GeoPackage and GeoJSON part of `geo.imports.reading.FileReader`."""

    def _read_with_gdal(self, file_format: str) -> RawTable | None:
        declared_crs_member = True
        if file_format == "geojson":
            document = self._load_json()
            if document is None:
                return None
            # RFC 7946 GeoJSON is WGS84 without a "crs" member; GDAL then reports EPSG:4326 even for
            # projected coordinates, so only an explicit member counts as declared.
            declared_crs_member = "crs" in document
            if declared_crs_member and not self._check_geojson_crs(document["crs"]):
                return None
            if not self._check_geojson_texts(document):
                return None
        layer = self._choose_layer() if file_format == "gpkg" else None
        if file_format == "gpkg":
            if layer is None or not self._gpkg_rows_within_limit(layer):
                return None
            # every row of the table: read by layer, GDAL stops at the count the file's header states
            frame = pyogrio.read_dataframe(self.path, sql=geopackage.select_all(layer))
        else:
            frame = pyogrio.read_dataframe(self.path)
        if layer:
            self.info["layer"] = layer
        has_geometry = isinstance(frame, gpd.GeoDataFrame) and frame.geometry.notna().any()
        values = pd.DataFrame(frame.drop(columns=frame.geometry.name) if isinstance(frame, gpd.GeoDataFrame) else frame)
        values.index = pd.RangeIndex(1, len(values) + 1)  # feature numbers, as GIS tools count them
        if not has_geometry:
            return self._table_from_coordinate_columns(values)
        declared = frame.crs if declared_crs_member else None
        source_crs = self._resolve_crs(declared, default=CRS.from_epsg(4326) if file_format == "geojson" else None)
        canonical = self._canonical(values)
        if source_crs is None or canonical is None:
            return None
        points = self._points_from_geometries(list(frame.geometry), list(values.index), source_crs)
        return RawTable(canonical, points, source_crs.is_geographic)

    def _load_json(self) -> dict | None:
        raw = self.path.read_bytes()
        if len(_GEOJSON_FEATURE.findall(raw)) > self.max_rows:
            self.refuse_too_many_rows(0, exact=False)
            return None
        try:
            document = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            document = None
        if not isinstance(document, dict) or document.get("type") not in ("FeatureCollection", "Feature"):
            self.refuse(
                *both("import_display_name_not_geojson_no", display_name=self.display_name),
            )
            return None
        return document

    def _check_geojson_crs(self, member: object) -> bool:
        """Only a named CRS that PROJ knows offline is accepted. GDAL would fetch a "link" from the
        network and read an unknown EPSG code as WGS 84 without a word."""
        kind = member.get("type") if isinstance(member, dict) else None
        properties = member.get("properties") if isinstance(member, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        if kind in ("link", "url", "URL"):
            href = str(properties.get("href", ""))[:120]
            self.refuse(
                *both("import_file_s_coordinate_reference_system", href=href),
            )
            return False
        if kind == "name":
            name = str(properties.get("name", ""))
        elif kind == "EPSG":
            name = f"EPSG:{properties.get('code', '')}"
        else:
            name = ""
        try:
            if not name:
                raise CRSError("no name")
            CRS.from_user_input(name)
        except CRSError:
            shown = (name or json.dumps(member, ensure_ascii=False))[:120]
            self.refuse(
                *both("import_unknown_coordinate_reference_system_file", shown=shown),
            )
            return False
        return True

    def _check_geojson_texts(self, document: dict) -> bool:
        """GDAL cuts a text at a NUL character without a word; such values are refused here, by feature."""
        features = document.get("features") if document.get("type") == "FeatureCollection" else [document]
        found = False
        for number, feature in enumerate(features if isinstance(features, list) else [], start=1):
            properties = feature.get("properties") if isinstance(feature, dict) else None
            for key, value in properties.items() if isinstance(properties, dict) else ():
                if isinstance(value, str) and "\x00" in value:
                    found = True
                    self.problems.append(
                        Problem(
                            number,
                            str(key)[:60],
                            *both("import_text_contains_nul_character_u"),
                        )
                    )
        return not found

    def _gpkg_rows_within_limit(self, layer: str) -> bool:
        """The layer's rows counted in its table (not the header's count) are within the row limit."""
        try:
            rows = geopackage.count_rows(self.path, layer, self.max_rows)
        except sqlite3.Error:
            self.refuse(
                *both("import_layer_not_a_table", layer=layer, seconds=Num(geopackage.COUNT_SECONDS, grouping=False))
            )
            return False
        if rows > self.max_rows:
            self.refuse_too_many_rows(rows, exact=False)
            return False
        return True

    def _choose_layer(self) -> str | None:
        try:
            layers = [str(name) for name, _ in pyogrio.list_layers(self.path)]
        except pyogrio.errors.DataSourceError:
            layers = []
        if not layers:
            self.refuse(
                *both("import_display_name_sqlite_file_but", display_name=self.display_name),
            )
            return None
        if self.layer is not None:
            if self.layer not in layers:
                self.refuse(
                    *both("import_layer_layer_does_not_exist", layer=self.layer, layers=", ".join(layers)),
                )
                return None
            return self.layer
        chosen = "sites" if "sites" in layers else layers[0]
        if len(layers) > 1:
            others = ", ".join(name for name in layers if name != chosen)
            self.warn(
                None,
                None,
                *both(
                    "import_file_has_several_layers_reading",
                    chosen=chosen,
                    others=others,
                    layer=self.hint("layer"),
                ),
            )
        return chosen

    def _points_from_geometries(self, geometries: list, rows: list[int], source_crs: CRS) -> list[shapely.Point | None]:
        points: list[shapely.Point | None] = []
        polygon_rows = []
        for row, geometry in zip(rows, geometries, strict=True):
            if geometry is None or geometry.is_empty:
                points.append(None)
                continue
            geometry = shapely.force_2d(geometry)
            if geometry.geom_type == "MultiPoint" and len(geometry.geoms) == 1:
                geometry = geometry.geoms[0]
            if geometry.geom_type == "Point":
                points.append(geometry)
            elif geometry.geom_type in ("Polygon", "MultiPolygon"):
                # make_valid first: a self-intersecting ring would give a point outside the area
                points.append(shapely.make_valid(geometry).representative_point())
                polygon_rows.append(row)
            else:
                self.problems.append(
                    Problem(
                        row,
                        "geometry",
                        *both("import_geometry_type_geometry_geom_type", geometry_geom_type=geometry.geom_type),
                    )
                )
                points.append(None)
        for row in polygon_rows:
            self.warn(
                row,
                "geometry",
                *both("import_polygon_instead_point_site_placed"),
            )
        return self._to_storage_crs(points, rows, source_crs)
