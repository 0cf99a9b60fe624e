"""Standalone exports for staff: a map as one HTML file that works offline, a chart as PNG/SVG."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import folium
import plotly.graph_objects as go
import pytest
from folium.plugins import Fullscreen, MarkerCluster
from shapely.geometry import box, mapping

from geo.core.web_assets import localize
from geo.maps.export import (
    ExportError,
    chart_html,
    chart_image,
    chart_image_available,
    external_resource_urls,
    standalone_map_html,
)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"


def sample_map() -> folium.Map:
    """Polygons, a cluster of markers, a default Leaflet marker and the fullscreen plugin: every vendored file."""
    # without a tile layer Leaflet has no maxZoom, which the cluster plugin needs
    folium_map = folium.Map(tiles=None, location=[51.8, 13], zoom_start=7)
    folium_map.options["max_zoom"] = 18
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"name": "Zone A"}, "geometry": mapping(box(12, 51, 13, 52))},
                {"type": "Feature", "properties": {"name": "Zone B"}, "geometry": mapping(box(13, 51, 14, 52))},
            ],
        },
        style_function=lambda _feature: {"color": "#0b5c8a"},
    ).add_to(folium_map)
    cluster = MarkerCluster().add_to(folium_map)
    for index in range(3):
        folium.Marker(
            [51.5 + index * 0.01, 12.5],
            tooltip=f"Site {index}",
            icon=folium.DivIcon(
                html='<svg width="12" height="12"><circle cx="6" cy="6" r="5"/></svg>', class_name="site-marker"
            ),
        ).add_to(cluster)
    # folium's Popup needs jQuery, which the atlas does not ship; a tooltip carries the hostile name
    folium.Marker([52.5, 13.4], tooltip=folium.Tooltip(html.escape(HOSTILE_NAME))).add_to(folium_map)
    Fullscreen().add_to(folium_map)
    return localize(folium_map)


@pytest.fixture(scope="module")
def exported() -> str:
    return standalone_map_html(sample_map(), title="Standortatlas <Test>", lang="de").decode("utf-8")


def test_export_inlines_every_script_and_style_sheet(exported):
    assert external_resource_urls(exported) == []
    assert "/app/static" not in exported
    assert "L.markerClusterGroup" in exported or "markerClusterGroup" in exported
    assert "leaflet-container" in exported  # leaflet.css is there
    assert exported.startswith("<!DOCTYPE html>")
    assert '<html lang="de">' in exported
    assert "<title>Standortatlas &lt;Test&gt;</title>" in exported


def test_export_has_no_url_to_a_foreign_host_for_scripts_or_styles(exported):
    tags = re.findall(r"<(?:script|link)\b[^>]*>", exported, flags=re.I)
    assert not [tag for tag in tags if re.search(r"(src|href)\s*=", tag, flags=re.I)]
    style_blocks = "".join(re.findall(r"<style>(.*?)</style>", exported, flags=re.S))
    assert not re.search(r"url\(\s*[\"']?(https?:)?//", style_blocks)
    assert 'url("data:image/png;base64,' in style_blocks


def test_export_keeps_data_escaped(exported):
    assert HOSTILE_NAME not in exported
    assert "&lt;img src=x onerror=alert(1)&gt;" in exported


def test_export_refuses_a_resource_it_cannot_inline():
    folium_map = sample_map()
    folium_map.get_root().header.add_child(folium.Element('<script src="https://cdn.example.org/evil.js"></script>'))
    with pytest.raises(ExportError, match="cdn.example.org"):
        standalone_map_html(folium_map)


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
