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
from geo.imports.geojson_scan import ROOT_TYPES, GeoJsonScan, NotGeoJson, scan_geojson
from geo.imports.reading_base import RawTable, ReaderBase
from geo.imports.results import Problem
from geo.texts import Num, both

GEOJSON_DRIVER = "GeoJSON"  # GDAL reads the file with this driver only (its name as the path's prefix)


class GeoReading(ReaderBase):
    """The GeoPackage and GeoJSON part of `geo.imports.reading.FileReader`."""

    def _read_with_gdal(self, file_format: str) -> RawTable | None:
        declared_crs_member = True
        if file_format == "geojson":
            scan = self._scan_geojson()
            if scan is None:
                return None
            # RFC 7946 GeoJSON is WGS84 without a "crs" member; GDAL then reports EPSG:4326 even for
            # projected coordinates, so only an explicit member counts as declared.
            declared_crs_member = scan.has_crs
        layer = self._choose_layer() if file_format == "gpkg" else None
        if file_format == "gpkg":
            if layer is None or not self._gpkg_rows_within_limit(layer):
                return None
            # every row of the table: read by layer, GDAL stops at the count the file's header states
            frame = pyogrio.read_dataframe(self.path, sql=geopackage.select_all(layer))
        else:
            frame = pyogrio.read_dataframe(f"{GEOJSON_DRIVER}:{self.path}")  # no other driver's reading
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

    def _scan_geojson(self) -> GeoJsonScan | None:
        """The file parsed as a stream (geo.imports.geojson_scan): its features counted, every crs member
        and NUL text found, before GDAL reads anything. None (and the reason refused) when it may not be read."""
        try:
            scan = scan_geojson(self.path, self.max_rows)
        except NotGeoJson:
            scan = None
        if scan is None or scan.kind not in ROOT_TYPES:
            self.refuse(*both("import_display_name_not_geojson_no", display_name=self.display_name))
            return None
        if scan.over_limit:
            self.refuse_too_many_rows(0, exact=False)
            return None
        if scan.nested_crs_count:
            features = [number for number in scan.nested_crs if number is not None]
            self.refuse(
                *both(
                    "import_geojson_nested_crs",
                    count=Num(scan.nested_crs_count),
                    features=", ".join(str(number) for number in features[:10]) or "–",
                )
            )
            return None
        if scan.has_crs and not self._check_geojson_crs(scan.crs):
            return None
        nul_texts = scan.nul_texts + ([(1, key) for key in scan.root_nul_texts] if scan.kind == "Feature" else [])
        for number, key in nul_texts:  # GDAL would cut such a text at the NUL without a word
            self.problems.append(Problem(number, str(key)[:60], *both("import_text_contains_nul_character_u")))
        return None if nul_texts else scan

    def _check_geojson_crs(self, member: object) -> bool:
        """Only a named CRS that PROJ knows offline is accepted. GDAL would fetch a "link" from the
        network and read an unknown EPSG code as WGS 84 without a word."""
        kind = member.get("type") if isinstance(member, dict) else None
        properties = member.get("properties") if isinstance(member, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        if isinstance(kind, str) and kind.casefold() in ("link", "url"):
            href = str(properties.get("href", properties.get("url", "")))[:120]
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
            shown = (name or json.dumps(member, ensure_ascii=False, default=str))[:120]
            self.refuse(
                *both("import_unknown_coordinate_reference_system_file", shown=shown),
            )
            return False
        return True

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
        """The layer to read: the one asked for, else "sites", else the first. Only real feature tables
        are read (geo.imports.geopackage.layers); GDAL does not even list a file's views."""
        try:
            found = geopackage.layers(self.path)
        except sqlite3.Error:
            found = geopackage.Layers((), ())
        wanted = self.layer if self.layer is not None else ("sites" if "sites" in found.others else None)
        not_a_table = wanted if wanted in found.others else (None if found.tables else next(iter(found.others), None))
        if not_a_table is not None:
            self.refuse(*both("import_layer_not_a_feature_table", layer=not_a_table))
            return None
        layers = found.tables
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
