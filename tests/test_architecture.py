"""Architecture rules of docs/ARCHITECTURE.md that a test can hold."""

from __future__ import annotations

import ast
from pathlib import Path

GEO_DIR = Path(__file__).resolve().parents[1] / "geo"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_geo_never_imports_streamlit():
    offenders = [str(path) for path in GEO_DIR.rglob("*.py")
                 if {"streamlit", "streamlit_folium"} & imported_modules(path)]
    assert offenders == []


def test_every_text_has_both_languages():
    from geo.texts import LANGUAGES, TEXTS

    incomplete = [key for key, value in TEXTS.items() if set(value) != set(LANGUAGES) or not all(value.values())]
    assert incomplete == []


def test_the_running_app_does_not_load_the_build_pipeline_or_the_benchmark():
    import subprocess
    import sys

    probe = ("import sys, geo.indicators, geo.site_filters, geo.site_profile, geo.store; "
             "print(sorted(name for name in sys.modules if name.startswith(('geo.build', 'bench'))))")
    completed = subprocess.run([sys.executable, "-c", probe], cwd=GEO_DIR.parent, capture_output=True, text=True,
                               timeout=120, check=True)
    assert completed.stdout.strip() == "[]"
    offenders = [str(path) for path in GEO_DIR.rglob("*.py") if "bench" in imported_modules(path)
                 and path.name != "__main__.py"]
    assert offenders == []


def test_views_data_is_the_only_module_that_caches():
    """Pages and view helpers get cached data from views/data.py (keyed by the data version there), so an
    applied import reaches every page at once and a cache never hides in a page of its own."""
    cache_calls = {"cache_data", "cache_resource", "cache", "experimental_memo", "experimental_singleton"}
    app_dir = GEO_DIR.parent
    offenders = []
    for path in [app_dir / "app.py", *sorted((app_dir / "views").rglob("*.py"))]:
        if path == app_dir / "views" / "data.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in cache_calls and isinstance(node.value, ast.Name) \
                    and node.value.id in {"st", "streamlit"}:
                offenders.append(f"{path.relative_to(app_dir)}:{node.lineno}")
    assert offenders == []
