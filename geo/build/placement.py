"""Where a site without sourced coordinates goes, and what it is called: several sites of one municipality
are spread over its polygon (a fixed spacing, never on top of each other or of a sourced point), and every
site gets a stable id from its name (with its municipality, then its locality, when names clash).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.build.reference import BuildError
from geo.sites.rules import site_id_from_name

# Spreading several sites of one municipality: target spacing, minimum spacing, margin to the border.
SPREAD_SPACING_M = 500.0

SPREAD_MIN_SPACING_M = 300.0

SPREAD_MARGIN_M = 50.0


def site_slug(text: str) -> str:
    """'Kühlhaus Görlitz' → 'kuehlhaus-goerlitz', the same rule as the importer."""
    return site_id_from_name(text) or "site"


def assign_site_ids(names: list[str], municipalities: list[str], localities: list[str]) -> list[str]:
    """Unique slugs; every member of a clashing group gets '-<municipality>' (then '-<locality>')."""
    ids = [site_slug(name) for name in names]
    for extra in (municipalities, localities):
        counts = pd.Series(ids).value_counts()
        ids = [
            f"{slug}-{site_slug(more)}" if counts[slug] > 1 and more else slug
            for slug, more in zip(ids, extra, strict=True)
        ]
    duplicated = sorted({slug for slug in ids if ids.count(slug) > 1})
    if duplicated:
        raise BuildError(f"sites.csv: site ids are not unique even with municipality and locality: {duplicated}")
    return ids


def spread_points(
    polygon,
    count: int,
    *,
    center: Point | None = None,
    avoid: Sequence[Point] = (),
    spacing: float = SPREAD_SPACING_M,
    min_spacing: float = SPREAD_MIN_SPACING_M,
    margin: float = SPREAD_MARGIN_M,
) -> list[Point]:
    """`count` distinct points inside `polygon` (metric CRS), deterministic.

    One point goes on the representative point; several go on a ring around it with `spacing` between
    neighbours, rotated or shrunk (never below `min_spacing`) until every point lies at least `margin`
    inside the polygon and `min_spacing` away from the `avoid` points. A small or thin polygon falls
    back to a grid search with the same rules. Raises ValueError if the polygon cannot hold them.
    """
    if count < 1:
        return []
    center = center or polygon.point_on_surface()
    inner = polygon.buffer(-margin)
    if inner.is_empty:
        inner = polygon
    shapely.prepare(inner)
    avoid = list(avoid)

    def acceptable(points: list[Point]) -> bool:
        if not all(inner.contains(point) for point in points):
            return False
        for i, point in enumerate(points):
            if any(point.distance(other) < min_spacing - 1e-6 for other in points[i + 1 :]):
                return False
            if any(point.distance(other) < min_spacing - 1e-6 for other in avoid):
                return False
        return True

    if count == 1 and acceptable([center]):
        return [center]
    if count > 1:
        base_radius = max(spacing / (2 * math.sin(math.pi / count)), spacing / 2)
        minimum_radius = min_spacing / (2 * math.sin(math.pi / count))
        scales = [1.0, 0.85, 0.7, 1.25, 1.5]
        for scale in scales:
            radius = max(base_radius * scale, minimum_radius)
            for rotation_deg in range(0, 360 // count if count > 1 else 360, 15):
                start = math.radians(90 + rotation_deg)
                ring = [
                    Point(
                        center.x + radius * math.cos(start + 2 * math.pi * k / count),
                        center.y + radius * math.sin(start + 2 * math.pi * k / count),
                    )
                    for k in range(count)
                ]
                if acceptable(ring):
                    return ring
    # Fallback: grid points inside, nearest to the centre first, greedily kept when far enough apart.
    minx, miny, maxx, maxy = inner.bounds
    step = min_spacing / 3
    xs = np.arange(minx + step / 2, maxx, step)
    ys = np.arange(miny + step / 2, maxy, step)
    grid = [Point(x, y) for y in ys for x in xs]
    grid = [p for p in grid if inner.contains(p)]
    grid.sort(key=lambda p: (round(p.distance(center), 3), p.y, p.x))
    chosen: list[Point] = []
    for point in grid:
        if all(point.distance(other) >= min_spacing for other in chosen + avoid):
            chosen.append(point)
            if len(chosen) == count:
                return chosen
    raise ValueError(f"cannot place {count} points {min_spacing:.0f} m apart inside the polygon")
