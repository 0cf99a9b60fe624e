"""The hostile files of tests/test_import_attacks.py on the two surfaces a steward uses: the command line
(`python -m geo validate` / `import --apply`) and the staff page /pflege. Each file is refused with its
message (no traceback), a local listener sees no request, and nothing changes: the sites file is byte for
byte the same and has no new version. The command line checks within the same limits as the page.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest

from geo import store
from geo.cli.main import main
from geo.imports import worker as import_worker
from tests import fixtures_import as fx
from tests.html_tables import app_table
from tests.test_app_pflege import (  # noqa: F401  (fixtures)
    clean_environment,
    data_copy,
    log_in,
    open_page,
    password,
    texts,
)
from tests.test_import_attacks import (
    computing_geopackage,
    escaped_type_geojson,
    nested_crs_geojson,
    twenty_thousand_rows,
    view_geopackage,
)
from tests.test_importer import Listener

# name, file, and what its refusal says (English)
HOSTILE_FILES: dict[str, tuple[str, Callable[[Path, str], Path], str]] = {
    "crs-link-in-geometries": (
        "nested.geojson",
        lambda path, url: nested_crs_geojson(path, url, features=50),
        'coordinate reference system ("crs") 50 times inside features',
    ),
    "escaped-type-keys": (
        "escaped.geojson",
        lambda path, url: escaped_type_geojson(path, 30_000),
        "more than 20,000 rows",
    ),
    "recursive-view": ("view.gpkg", lambda path, url: view_geopackage(path), "but a view"),
    "computed-column": ("computed.gpkg", lambda path, url: computing_geopackage(path), "computed columns"),
}


@pytest.fixture
def listener(monkeypatch):
    """A local listener, its address in `no_proxy` as in the attack."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def work(tmp_path, monkeypatch) -> SimpleNamespace:
    fx.use_fixture_programs(monkeypatch)
    return SimpleNamespace(
        dir=tmp_path,
        reference=fx.build_reference(tmp_path / "reference.gpkg"),
        sites=fx.build_sites(tmp_path / "sites.gpkg"),
    )


def hostile_file(case: str, folder: Path, listener: Listener) -> tuple[Path, str]:
    name, write, message = HOSTILE_FILES[case]
    return write(folder / name, f"http://127.0.0.1:{listener.port}/x"), message


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_the_command_line_refuses_each_hostile_file_and_changes_nothing(case, work, listener, capsys):
    path, message = hostile_file(case, work.dir, listener)
    before = fx.digest(work.sites)
    started = time.monotonic()
    assert main(["validate", str(path), "--reference", str(work.reference)]) == 1
    assert main(["import", str(path), "--apply", "--sites", str(work.sites), "--reference", str(work.reference)]) == 1
    assert time.monotonic() - started < 30
    output = capsys.readouterr()
    assert "Traceback" not in output.out + output.err
    assert output.out.count(message) == 2, output.out[-2000:]
    assert fx.digest(work.sites) == before and store.history(work.sites) == []
    time.sleep(0.3)  # the listener records a connection within its accept timeout
    assert listener.requests == []


def test_the_command_line_checks_a_file_within_the_time_limit(work, monkeypatch, capsys):
    """As on the staff page, in a process of its own: a check past the limit is stopped and said so."""
    monkeypatch.setenv(import_worker.CHECK_SECONDS_ENV, "1")
    twenty_thousand_rows(work)
    path = work.dir / "gross.csv"
    before = fx.digest(work.sites)
    started = time.monotonic()
    argv = ["import", str(path), "--apply", "--sites", str(work.sites), "--reference", str(work.reference)]
    assert main([*argv, "--lang", "en"]) == 1
    assert time.monotonic() - started < 15
    output = capsys.readouterr()
    assert "Checking 'gross.csv' took longer than 1 s and was stopped; nothing was changed." in output.out
    assert fx.digest(work.sites) == before and store.history(work.sites) == []


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_the_staff_page_refuses_each_hostile_file_and_changes_nothing(case, password, data_copy, listener, tmp_path):
    path, message = hostile_file(case, tmp_path, listener)
    before = fx.digest(data_copy)
    app = log_in(open_page("en"))
    started = time.monotonic()
    app.file_uploader[0].set_value((path.name, path.read_bytes(), "application/octet-stream"))
    app = app.run(timeout=90)
    assert time.monotonic() - started < 60
    assert not app.exception, app.exception
    assert texts(app.error)[0].startswith("1 error(s), 0 warning(s) – the file cannot be applied")
    messages = [str(value) for value in app_table(app, "Message")["Message"]]  # the text the table shows
    assert len(messages) == 1 and message in messages[0], messages
    assert app.button(key="steward_apply").disabled  # and apply_import refuses a result with errors
    assert fx.digest(data_copy) == before and store.history(data_copy) == []
    time.sleep(0.3)
    assert listener.requests == []
