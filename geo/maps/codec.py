"""Compact polygon layers: Google's polyline encoding at 1e-4 degrees (about 11 m, finer than a screen
pixel at the zooms the atlas allows without tiles), about a quarter of the same coordinates as GeoJSON.

The browser decodes with static/atlas_map/polyline.js (tested with Node on the cases of
tests/cases/map_cases.json, which `decode_ring` passes too), in the app's pages and in the offline export alike.
"""

from __future__ import annotations

from collections.abc import Iterable

ENCODING_FACTOR = 10_000  # polyline precision: 1e-4 degrees


def _encode_number(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def encode_ring(coords: Iterable[tuple[float, float]], factor: int = ENCODING_FACTOR) -> str:
    """Google's polyline encoding of a ring of (lon, lat) at 1/factor degrees (lat first, as Leaflet)."""
    parts, last_lat, last_lon = [], 0, 0
    previous = None
    for lon, lat, *_ in coords:
        lat_i, lon_i = round(lat * factor), round(lon * factor)
        if (lat_i, lon_i) == previous:
            continue
        parts.append(_encode_number(lat_i - last_lat) + _encode_number(lon_i - last_lon))
        last_lat, last_lon, previous = lat_i, lon_i, (lat_i, lon_i)
    return "".join(parts)


def decode_ring(text: str, factor: int = ENCODING_FACTOR) -> list[tuple[float, float]]:
    """The inverse of `encode_ring`, as (lat, lon) pairs (used by the tests; the browser has its own)."""
    values, index, current = [], 0, 0
    while index < len(text):
        shift = result = 0
        while True:
            byte = ord(text[index]) - 63
            index += 1
            result |= (byte & 0x1F) << shift
            shift += 5
            if byte < 0x20:
                break
        current = ~(result >> 1) if result & 1 else result >> 1
        values.append(current)
    coordinates, lat, lon = [], 0, 0
    for lat_delta, lon_delta in zip(values[0::2], values[1::2], strict=False):
        lat, lon = lat + lat_delta, lon + lon_delta
        coordinates.append((lat / factor, lon / factor))
    return coordinates


def encode_polygons(geometry) -> list[list[str]]:
    """A (Multi)Polygon as a list of polygons, each a list of encoded rings (outer ring first)."""
    polygons = getattr(geometry, "geoms", [geometry])
    return [
        [encode_ring(polygon.exterior.coords)] + [encode_ring(ring.coords) for ring in polygon.interiors]
        for polygon in polygons
        if not polygon.is_empty
    ]
