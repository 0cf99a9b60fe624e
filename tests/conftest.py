"""Shared test settings: tests never touch the network and never write the bundled data."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


import pytest  # noqa: E402  (after the path set-up above)


@pytest.fixture(scope="module")
def sites():
    """The bundled sites as the app reads them."""
    from geo.paths import SITES_GPKG
    from geo.sites_data import read_sites_for_app

    return read_sites_for_app(SITES_GPKG)


@pytest.fixture(scope="module")
def table(sites):
    """The district indicator table of the bundled data."""
    from geo import indicators
    from geo.reference_data import read_layer, read_table

    return indicators.district_table(read_layer("districts"), sites, read_table("zone_districts"))
