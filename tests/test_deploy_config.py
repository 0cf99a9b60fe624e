"""What a deployment serves: the production nginx set-up in docs/deployment.md sends the same security
headers as the template that `make cluster` runs (and the cluster's tests attack), so the documented policy
is the tested one; static/vendor/ holds the maps' libraries and no test tool."""

from __future__ import annotations

import re

from geo.core.paths import PROJECT_ROOT
from geo.maps.tiles import OSM_TILES

TEMPLATE = PROJECT_ROOT / "deploy" / "nginx-cluster.conf.template"
GUIDE = PROJECT_ROOT / "docs" / "deployment.md"
HEADER_LINE = re.compile(
    r"^\s*(add_header (?:Content-Security-Policy|X-Content-Type-Options|Referrer-Policy) .*;)\s*$", re.MULTILINE
)
FRAME_MAP = re.compile(r"map \$uri \$atlas_frame_ancestors \{(.*?)\}", re.DOTALL)


def test_the_documented_headers_are_the_template_s():
    template = TEMPLATE.read_text(encoding="utf-8").replace("@TILE_SOURCES@", OSM_TILES.csp_source)
    guide = GUIDE.read_text(encoding="utf-8")
    assert HEADER_LINE.findall(template) == HEADER_LINE.findall(guide)
    assert len(HEADER_LINE.findall(template)) == 3
    assert "server_tokens off;" in template and "server_tokens off;" in guide
    # the same framing rule, with the website of the example in place of the template's placeholder
    documented = FRAME_MAP.search(guide).group(1).replace("https://www.example.de", "@EMBED_ANCESTORS@")
    assert documented.split() == FRAME_MAP.search(template).group(1).split()
    assert "location = /_stcore/metrics" in template and "location = /_stcore/metrics" in guide


def test_static_vendor_holds_what_the_maps_load_and_no_test_tool(tmp_path):
    from geo.core import web_assets

    vendor = tmp_path / "vendor"
    (vendor / "axe-core").mkdir(parents=True)
    (vendor / "axe-core" / "axe.min.js").write_text("an earlier set-up's copy")
    (vendor / ".installed").touch()
    written = web_assets.copy_vendor_files(vendor_dir=vendor)
    files = {path.relative_to(vendor).as_posix() for path in vendor.rglob("*") if path.is_file()}
    assert files == set(web_assets.VENDOR_FILES.values()) | {".installed"}
    assert len(written) == len(web_assets.VENDOR_FILES) and not (vendor / "axe-core").exists()
    assert not any("axe" in name for name in web_assets.VENDOR_FILES)  # the tests inject it from node_modules
