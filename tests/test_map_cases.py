"""The shared cases of the map's browser code (tests/cases/map_cases.json): Python selects the sites each
filter must select, folds the texts as written, and the parts made for the browser are current. The same
file drives the Node tests of static/atlas_map/ (tests/js/), which this module runs too."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from geo.core.paths import PROJECT_ROOT
from geo.maps.codec import decode_ring
from geo.sites.filters import filter_sites
from geo.sites.rules import fold_for_search
from tests.cases import map_cases

CASES = map_cases.load()


@pytest.mark.parametrize("case", CASES["filters"], ids=[case["name"] for case in CASES["filters"]])
def test_python_selects_the_sites_of_each_case(case):
    site_filter = map_cases.site_filter(CASES, case["params"])
    chosen = filter_sites(map_cases.sites_frame(CASES), site_filter, map_cases.zone_districts(CASES))
    assert sorted(chosen["site_id"]) == case["expected"]


def test_the_parts_made_for_the_browser_are_current():
    """Run `python -m tests.cases.map_cases` after changing the payload, the spec or the codec."""
    made = map_cases.derived(CASES)
    assert CASES["payload"] == made["payload"]
    assert [case["spec"] for case in CASES["filters"]] == made["specs"]
    assert [line["encoded"] for line in CASES["polylines"]] == made["encoded"]


@pytest.mark.parametrize("text, folded", CASES["folding"])
def test_python_folds_the_search_texts(text, folded):
    assert fold_for_search(text) == folded


@pytest.mark.parametrize("line", CASES["polylines"])
def test_python_decodes_the_polylines(line):
    """A ring is encoded from (lon, lat) points and decodes to (lat, lon), as Leaflet takes them."""
    expected = [value for lon, lat in line["points"] for value in (lat, lon)]
    assert [value for point in decode_ring(line["encoded"]) for value in point] == pytest.approx(expected)


def test_the_browser_code_passes_the_same_cases_in_node():
    """static/atlas_map/ (filter, search folding, polyline decoder) under Node's own test runner; Node
    is part of the set-up (npm needs it), so a missing node is a failure, not a skip."""
    node = shutil.which("node")
    assert node, "node is missing (apt-get install nodejs npm)"
    completed = subprocess.run(
        [node, "--test", str(PROJECT_ROOT / "tests" / "js")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
