"""Standalone exports for staff: a map as one HTML file that works offline, a chart as PNG/SVG."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import plotly.graph_objects as go
import pytest

from geo.core.web_assets import MAP_SCRIPTS, MAP_STYLES
from geo.maps.export import (
    ExportError,
    _inline_stylesheet,
    chart_html,
    chart_image,
    chart_image_available,
    external_resource_urls,
    offline_site_map,
)
from geo.maps.payload import base_payload
from geo.maps.towns import town_labels
from geo.store import read_sites_for_app
from geo.store.reference import read_layer, read_table

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = "</script><img src=x onerror=alert(1)>"


@lru_cache(maxsize=1)
def base() -> dict:
    states, districts = read_layer("states_web"), read_layer("districts_web")
    return base_payload(
        states, districts, read_layer("zones_web"), read_table("zone_districts"), town_labels(states, districts)
    )


def sample_sites() -> gpd.GeoDataFrame:
    """The Saxon sites, one of them with a hostile name."""
    sites = read_sites_for_app()
    chosen = sites[sites["state_code"] == "SN"].copy()
    chosen.iloc[0, chosen.columns.get_loc("name")] = HOSTILE_NAME
    return chosen


def exported_page(lang: str = "de") -> str:
    bounds = ((50.1, 11.8), (51.7, 15.1))
    return offline_site_map(
        sample_sites(), base(), read_table("zone_districts"), lang, "Standortatlas <Test>", bounds
    ).decode("utf-8")


@pytest.fixture(scope="module")
def exported() -> str:
    return exported_page()


def test_export_inlines_every_script_and_style_sheet(exported):
    assert external_resource_urls(exported) == []
    assert "/app/static" not in exported
    assert exported.count("<script>") == len(MAP_SCRIPTS) + 1  # the map's files and the line that mounts it
    assert exported.count("<style>") == len(MAP_STYLES) + 1  # the map's style sheets and the page's own
    assert "markerClusterGroup" in exported and "atlasEngine.mountPage" in exported
    assert exported.startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in exported
    assert "<title>Standortatlas &lt;Test&gt;</title>" in exported
    # a marker's name for screen readers stays hidden to the eye in the file too (the app's one rule)
    assert re.search(r"<style>[^<]*\.sa-sr \{ position: absolute;[^}]*clip: rect\(0 0 0 0\)", exported)


def test_export_has_no_url_to_a_foreign_host_for_scripts_or_styles(exported):
    tags = re.findall(r"<(?:script|link)\b[^>]*>", exported, flags=re.I)
    assert not [tag for tag in tags if re.search(r"(src|href)\s*=", tag, flags=re.I)]
    style_blocks = "".join(re.findall(r"<style>(.*?)</style>", exported, flags=re.S))
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", style_blocks)
    assert 'url("data:image/png;base64,' in style_blocks  # leaflet.css's images


def test_export_carries_the_sites_and_keeps_data_escaped(exported):
    assert HOSTILE_NAME not in exported and "<img src=x" not in exported
    data = re.search(r'<script type="application/json" id="sa-page-data">(.*?)</script>', exported, flags=re.S)
    page = json.loads(data.group(1))
    assert page["sites"]["count"] == len(sample_sites())
    assert HOSTILE_NAME in page["sites"]["columns"]["name"]  # the text itself, shown by the map as text
    assert page["args"]["bounds"] == [[50.1, 11.8], [51.7, 15.1]] and page["args"]["lang"] == "de"


def test_export_refuses_a_style_sheet_that_reaches_outside_its_package(tmp_path):
    css = tmp_path / "package" / "style.css"
    css.parent.mkdir()
    css.write_text("a { background: url(../../etc/secret.png); }", encoding="utf-8")
    with pytest.raises(ExportError, match="secret.png"):
        _inline_stylesheet(css)


def sample_chart() -> go.Figure:
    return go.Figure(go.Bar(x=["Brandenburg", "Sachsen"], y=[24, 10]), layout={"title": "Standorte"})


def test_chart_html_inlines_plotly():
    page = chart_html(sample_chart(), lang="en").decode("utf-8")
    assert external_resource_urls(page) == []
    assert '<html lang="en">' in page and "Plotly" in page


def test_unknown_chart_format_is_refused():
    with pytest.raises(ExportError, match="jpeg"):
        chart_image(sample_chart(), "jpeg")


@pytest.mark.slow
@pytest.mark.skipif(not chart_image_available(), reason="kaleido or Chromium missing")
@pytest.mark.parametrize("image_format, magic", [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_chart_image_renders_locally(image_format, magic):
    assert chart_image(sample_chart(), image_format, width=400, height=300).startswith(magic)


@pytest.mark.skipif(
    not chart_image_available() or shutil.which("unshare") is None, reason="kaleido, Chromium or unshare missing"
)
def test_chart_image_needs_no_network(tmp_path):
    """Run the export in a network namespace with no interface but loopback: it must still work."""
    script = (
        "import plotly.graph_objects as go, sys\n"
        "from geo.maps.export import chart_image\n"
        "sys.stdout.buffer.write(chart_image(go.Figure(go.Bar(y=[1, 2])), 'png', 300, 200)[:4])\n"
    )
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot create a network namespace here")
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert result.stdout == b"\x89PNG"
