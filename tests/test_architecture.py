"""Architecture rules of docs/ARCHITECTURE.md that a test can hold: the rooms of geo/ and which may import
which, no import cycle between modules, no Streamlit in geo/, one caching module."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GEO_DIR = PROJECT_ROOT / "geo"
PROJECT_PACKAGES = ("geo", "views", "bench")

# The rooms of the code and the rooms each may import (its own room always). An arrow only points down
# this table: texts and core at the bottom, the command line and the pages at the top. `geo` is the
# package's own __init__/__main__ (`python -m geo` hands over to geo.cli).
GEO_ROOMS = (
    "geo.texts",
    "geo.core",
    "geo.sites",
    "geo.store",
    "geo.indicators",
    "geo.maps",
    "geo.expose",
    "geo.imports",
    "geo.build",
    "geo.api",
    "geo.cli",
)
ALLOWED_IMPORTS: dict[str, set[str]] = {
    "geo.core": set(),
    # the texts write their numbers through the one formatter (geo.core.formatting)
    "geo.texts": {"geo.core"},
    "geo.sites": {"geo.core", "geo.texts"},
    "geo.store": {"geo.sites", "geo.core", "geo.texts"},
    "geo.indicators": {"geo.sites", "geo.core", "geo.texts"},
    "geo.maps": {"geo.indicators", "geo.sites", "geo.core", "geo.texts"},
    "geo.expose": {"geo.maps", "geo.indicators", "geo.store", "geo.sites", "geo.core", "geo.texts"},
    "geo.imports": {"geo.store", "geo.sites", "geo.core", "geo.texts"},
    "geo.build": {"geo.store", "geo.sites", "geo.core", "geo.texts"},
    # the open data API reads what the pages read and serves it through pygeoapi (serve.py mounts it)
    "geo.api": {"geo.expose", "geo.maps", "geo.store", "geo.sites", "geo.core", "geo.texts"},
    # the commands reach every room, and the benchmark (`python -m geo bench`) is a tool beside the app
    "geo.cli": {*GEO_ROOMS, "bench"},
    "geo": {"geo.cli"},
    # the pages: every room but the build and the command line
    "views": {
        "views",
        "geo.api",
        "geo.expose",
        "geo.imports",
        "geo.maps",
        "geo.indicators",
        "geo.store",
        "geo.sites",
        "geo.core",
        "geo.texts",
    },
    "app": {"views", "geo.store", "geo.core", "geo.texts"},
    "serve": {"geo.api", "geo.core"},  # the API's routes; the map's file list (geo.core.web_assets) for its load hints
    # the benchmark measures the app from outside: it starts it, it never imports the pages
    "bench": {"bench", "geo.imports", "geo.maps", "geo.indicators", "geo.store", "geo.sites", "geo.core", "geo.texts"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files() -> list[Path]:
    files = [PROJECT_ROOT / "app.py", PROJECT_ROOT / "serve.py"]
    for package in PROJECT_PACKAGES:
        files.extend(sorted((PROJECT_ROOT / package).rglob("*.py")))
    return files


MODULES = {module_name(path): path for path in project_files()}


def _is_module(name: str) -> bool:
    return name in MODULES


def _type_checking_lines(tree: ast.Module) -> set[int]:
    """The lines of `if TYPE_CHECKING:` blocks: imports for type hints only, never run."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def imports_of(path: Path, *, runtime_only: bool = False) -> Iterator[tuple[str, int]]:
    """(imported project module, line) for every import in the file, also those inside functions: the
    module a `from package import name` names when `name` is a module, else the package. `runtime_only`
    leaves out the imports for type hints (`if TYPE_CHECKING:`)."""
    this = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only = _type_checking_lines(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in type_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in (*PROJECT_PACKAGES, "app", "serve"):
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = this.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module.split(".")[0] not in PROJECT_PACKAGES:
                continue
            for alias in node.names:
                yield (f"{module}.{alias.name}" if _is_module(f"{module}.{alias.name}") else module), node.lineno


def room_of(module: str) -> str:
    for room in GEO_ROOMS:
        if module == room or module.startswith(room + "."):
            return room
    return module.split(".")[0]


def test_every_geo_module_lives_in_a_room():
    loose = [name for name in MODULES if name.startswith("geo.") and room_of(name) == "geo" and name != "geo.__main__"]
    assert loose == []


def test_imports_between_rooms_follow_the_table():
    offenders = []
    for name, path in MODULES.items():
        room = room_of(name)
        for imported, line in imports_of(path):
            target = room_of(imported)
            if target != room and target not in ALLOWED_IMPORTS[room]:
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{line} ({room}) imports {imported} ({target})")
    assert offenders == []


def test_the_table_itself_points_one_way():
    """The allowed imports between the rooms of geo/ form no circle, so the layers have an order."""
    order: list[str] = []
    remaining = {
        room: allowed & set(GEO_ROOMS) - {room} for room, allowed in ALLOWED_IMPORTS.items() if room in GEO_ROOMS
    }
    while remaining:
        ready = sorted(room for room, needs in remaining.items() if needs <= set(order))
        assert ready, f"circle among {sorted(remaining)}"
        order.extend(ready)
        for room in ready:
            del remaining[room]


def test_no_import_cycle_between_modules():
    graph = {
        name: {
            imported for imported, _ in imports_of(path, runtime_only=True) if imported in MODULES and imported != name
        }
        for name, path in MODULES.items()
    }
    cycles = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph[module]):
            if state.get(imported) == 1:
                cycles.append(" -> ".join([*path[path.index(imported) :], imported]))
            elif imported not in state:
                visit(imported)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == []


def test_the_checker_sees_a_forbidden_import(tmp_path):
    """The room check reads `from package import module` as an import of that module (guards the checker)."""
    imported = dict(imports_of(PROJECT_ROOT / "geo" / "cli" / "main.py"))
    assert "bench.cli" in imported
    assert room_of("geo.store.postgis") == "geo.store" and room_of("views.data") == "views"
    assert "geo.store" not in ALLOWED_IMPORTS["geo.sites"]


def python_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_geo_never_imports_streamlit():
    offenders = [
        str(path) for path in GEO_DIR.rglob("*.py") if {"streamlit", "streamlit_folium"} & python_imports(path)
    ]
    assert offenders == []


def test_every_text_has_both_languages():
    from geo.texts import LANGUAGES, TEXTS

    incomplete = [key for key, value in TEXTS.items() if set(value) != set(LANGUAGES) or not all(value.values())]
    assert incomplete == []


def test_the_running_app_does_not_load_the_build_pipeline_or_the_benchmark():
    import subprocess
    import sys

    probe = (
        "import sys, geo.indicators, geo.sites.filters, geo.expose.profile, geo.store; "
        "print(sorted(name for name in sys.modules if name.startswith(('geo.build', 'geo.cli', 'bench'))))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    assert completed.stdout.strip() == "[]"


def test_views_data_is_the_only_module_that_caches():
    """Pages and view helpers get cached data from views/data.py (keyed by the data version there), so an
    applied import reaches every page at once and a cache never hides in a page of its own."""
    cache_calls = {"cache_data", "cache_resource", "cache", "experimental_memo", "experimental_singleton"}
    offenders = []
    for path in [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "views").rglob("*.py"))]:
        if path == PROJECT_ROOT / "views" / "data.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in cache_calls
                and isinstance(node.value, ast.Name)
                and node.value.id in {"st", "streamlit"}
            ):
                offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert offenders == []


MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80


def test_no_module_longer_than_500_lines_and_no_function_longer_than_80():
    """Size limits of the code (docs/ARCHITECTURE.md): a module past them is two rooms' worth, a function
    past them does several things. Counted as the formatted file has them (ruff format)."""
    too_long = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if (lines := len(text.splitlines())) > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(PROJECT_ROOT)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(
                        f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} {name}.{node.name}: {length} lines"
                    )
    assert too_long == []


_LANGUAGE_TEST = re.compile(r"""\blang\s*[!=]=\s*["'](?:de|en)["']|["'](?:de|en)["']\s*[!=]=\s*lang\b""")


def test_language_is_chosen_only_in_the_texts():
    """Outside geo/texts/ no code asks which language a page has: fixed wording is a text (`t`, `both`),
    wording that data carries in both languages is chosen by `geo.texts.pick`."""
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}"
        for name, path in MODULES.items()
        if not name.startswith("geo.texts")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _LANGUAGE_TEST.search(line)
    ]
    assert offenders == []
