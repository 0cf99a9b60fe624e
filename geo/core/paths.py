"""Where the project's files live, resolved from the repository root so any working directory works."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("STANDORTATLAS_DATA_DIR", PROJECT_ROOT / "data"))
# the curated sources the build reads; another folder (a test's, a trial correction) with STANDORTATLAS_SOURCES_DIR
SOURCES_DIR = Path(os.environ.get("STANDORTATLAS_SOURCES_DIR", PROJECT_ROOT / "data" / "sources"))
REFERENCE_GPKG = DATA_DIR / "reference.gpkg"
SITES_GPKG = DATA_DIR / "sites.gpkg"
ASSETS_DIR = PROJECT_ROOT / "assets"
STATIC_DIR = PROJECT_ROOT / "static"
# npm packages that the build reads (boundaries, statistics, stations); git ignores this folder.
NPM_CACHE_DIR = PROJECT_ROOT / ".cache" / "npm-sources"
