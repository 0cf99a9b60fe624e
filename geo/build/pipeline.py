"""``python -m geo build``: every shipped data file, rebuilt from its sources by one command."""

from __future__ import annotations

import time

import pyogrio

from geo.core.paths import REFERENCE_GPKG


def build_all(only: str | None = None, log=print) -> None:
    started = time.perf_counter()
    if only in (None, "reference"):
        from geo.build.reference import build_reference

        build_reference(log=log)
    if only in (None, "sites"):
        from geo.build.sites import build_sites

        build_sites(log=log)
    log(f"build finished in {time.perf_counter() - started:.0f} s")


def describe_sources() -> str:
    """The `sources` table of the reference GeoPackage as readable lines."""
    table = pyogrio.read_dataframe(REFERENCE_GPKG, layer="sources")
    lines = []
    for row in table.itertuples():
        version = f"@{row.version}" if row.version else ""
        lines.append(f"{row.name}{version} [{row.registry}] — {row.used_for}")
        lines.append(f"    licence: {row.licence}; attribution: {row.attribution}; vintage: {row.vintage}")
        if row.url:
            lines.append(f"    {row.url}")
    return "\n".join(lines)
