"""The reference deployment (deploy/cluster.sh, what `make cluster` runs: Debian's PostgreSQL with PostGIS,
one app replica, Debian's nginx) against the attacks it must hold:

- the database: the app's role is no superuser and cannot run programs (`COPY … TO PROGRAM`), has no DDL
  rights, the superuser is not reachable for other users, nothing listens on TCP;
- nginx: Content-Security-Policy, nosniff, Referrer-Policy and a framing rule on every answer; every page
  works in a real browser under that policy; the embed page is framed by the listed website only, the
  staff page by none; no version, no replica address for visitors; /_stcore/metrics refused;
- Streamlit's `clear_cache` message from a visitor's websocket is refused: the caches stay warm.

One cluster for the whole module (about 30 s to start). Its replica serves /_stcore/metrics on its own
loopback port (STANDORTATLAS_SERVE_METRICS, as docs/deployment.md describes for monitoring), so the cache
test can read the cache sizes; nginx refuses the page all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import http.server
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from geo.core.paths import DATA_DIR
from tests.browser.support import ARTIFACTS, PROJECT_ROOT, map_frame
from tests.browser.test_pflege import PASSWORD, SITES_UPLOAD, open_and_log_in
from tests.postgis import postgres_bin

CLUSTER_SCRIPT = PROJECT_ROOT / "deploy" / "cluster.sh"
APP_ROLE, MIGRATION_ROLE = "atlas_app", "atlas_migrate"
CACHE_METRIC = re.compile(r'cache_memory_bytes\{cache_type="(st_cache_\w+)",cache="([^"]+)"\} (\S+)')
HEADING = "[data-testid=stHeading]"
# Every page of the atlas, with what shows that its script ran to the end.
PAGES = [
    ("/karte", "map"),
    ("/karte?site=kulturbahnhof-bad-dueben", "map"),
    ("/standorte", ".sa-table tbody tr"),
    ("/vergleich?sites=kulturbahnhof-bad-dueben,alte-hoelle", HEADING),
    ("/regionen", HEADING),
    ("/strukturwandel", HEADING),
    ("/daten", HEADING),
    ("/einbetten?embed=true", "map"),
    ("/praesentation", "map"),
]
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => window.__cspViolations.push(
    [event.effectiveDirective, event.blockedURI, event.sourceFile + ':' + event.lineNumber]));
"""


@dataclass
class Cluster:
    url: str  # nginx, what visitors reach
    replica_url: str  # the replica's own loopback port
    folder: Path
    app_database: str  # the app role's URL (.cluster/env)
    migration_database: str  # the migration role's URL (.cluster/migrate.env)
    host_url: str  # a website listed in EMBED_ANCESTORS
    stranger_url: str  # a website that is not
    pages: Path  # the folder both websites serve


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve_folder(folder: Path, host: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(
        type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *args: None}),
        directory=str(folder),
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://{host}:{server.server_address[1]}"


def _database_url(env_file: Path) -> str:
    return env_file.read_text().strip().split("=", 1)[1]


def _data_digests() -> dict[str, str]:
    return {
        str(path.relative_to(DATA_DIR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(DATA_DIR.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def cluster():
    if shutil.which("nginx") is None or postgres_bin() is None:
        if os.environ.get("CI"):
            pytest.fail("nginx or PostgreSQL/PostGIS is missing in CI: `make nginx postgis` installs them")
        pytest.skip("nginx or PostgreSQL/PostGIS is not installed (`make nginx postgis` installs them as root)")
    data_before = _data_digests()
    pages = Path(tempfile.mkdtemp(prefix="atlas-host-"))
    host, host_url = _serve_folder(pages, "localhost")  # another origin than nginx's 127.0.0.1
    stranger, stranger_url = _serve_folder(pages, "127.0.0.1")
    folder = Path(tempfile.mkdtemp(prefix="atlas-cl-"))  # short: a unix socket's path has ~100 characters
    folder.chmod(0o711)  # PostgreSQL's user (as root: `postgres`) passes through to its own folder inside
    nginx_port, replica_port = _free_port(), _free_port()
    env = {key: value for key, value in os.environ.items() if key != "STANDORTATLAS_DATABASE_URL"}
    env.update(
        CLUSTER_DIR=str(folder),
        NGINX_PORT=str(nginx_port),
        FIRST_REPLICA_PORT=str(replica_port),
        EMBED_ANCESTORS=host_url,
        STANDORTATLAS_STEWARD_PASSWORD=PASSWORD,
        STANDORTATLAS_SERVE_METRICS="true",
    )
    started = subprocess.run(
        [str(CLUSTER_SCRIPT), "start", "1"],
        check=False,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        assert started.returncode == 0, started.stdout[-2000:] + started.stderr[-2000:]
        yield Cluster(
            f"http://127.0.0.1:{nginx_port}",
            f"http://127.0.0.1:{replica_port}",
            folder,
            _database_url(folder / "env"),
            _database_url(folder / "migrate.env"),
            host_url,
            stranger_url,
            pages,
        )
    finally:
        if (folder / "logs").is_dir():  # for a failed run: what the replica and nginx said
            ARTIFACTS.mkdir(exist_ok=True)
            for log in (*(folder / "logs").glob("replica-*.log"), folder / "nginx" / "error.log"):
                if log.is_file():
                    shutil.copyfile(log, ARTIFACTS / f"cluster-{log.name}")
        subprocess.run(
            [str(CLUSTER_SCRIPT), "stop"], check=False, cwd=PROJECT_ROOT, env=env, capture_output=True, timeout=120
        )
        shutil.rmtree(folder, ignore_errors=True)
        for server in (host, stranger):
            server.shutdown()
            server.server_close()
        shutil.rmtree(pages, ignore_errors=True)
    assert _data_digests() == data_before, "a file in data/ changed"


def _get(url: str) -> tuple[int, dict[str, list[str]], bytes]:
    """(status, every header's values by lower-case name, body)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, message, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, message, body = error.code, error.headers, error.read()
    headers: dict[str, list[str]] = {}
    for name, value in message.items():
        headers.setdefault(name.lower(), []).append(value)
    return status, headers, body


# --- the database --------------------------------------------------------------------------------------


def test_the_app_role_is_no_superuser_and_cannot_run_programs(cluster):
    import psycopg

    for url, role in ((cluster.app_database, APP_ROLE), (cluster.migration_database, MIGRATION_ROLE)):
        with psycopg.connect(url, autocommit=True) as conn:
            assert conn.execute(
                "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user"
            ).fetchone() == (role, False)
            # the attack: shell commands as the database's operating-system user
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="external program"):
                conn.execute("COPY (SELECT 1) TO PROGRAM 'id'")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("CREATE TEMP TABLE o (line text); COPY o FROM PROGRAM 'id'")
    with psycopg.connect(cluster.app_database, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM atlas.live_sites").fetchone()[0] > 50
        for ddl in (
            "CREATE TABLE atlas.intruder (a int)",
            "CREATE TABLE public.intruder (a int)",
            "DROP TABLE atlas.store_state",
            "CREATE ROLE intruder",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(ddl)


def test_the_app_role_can_write_undo_and_prune_through_the_store(cluster, monkeypatch):
    from geo import store
    from geo.store import postgis_connection

    monkeypatch.setenv("STANDORTATLAS_KEEP_VERSIONS", "10")
    url = cluster.app_database
    sites = store.read_sites(url)
    original = sites.loc[0, "name"]
    for number in range(12):  # past the kept versions: old snapshots are pruned
        sites.loc[0, "name"] = f"{original} ({number})"
        store.write_sites(sites, url)
    store.undo(url)
    assert store.read_sites(url).loc[0, "name"] == f"{original} (10)"
    with postgis_connection.connection(url) as conn:
        assert conn.execute("SELECT count(*) FROM atlas.kept_versions").fetchone()[0] <= 21
    store.restore(store.history(url)[0].version_id, url)  # ... and restore, the third kind of write
    postgis_connection.close_pools()


def test_nothing_listens_on_tcp_and_the_socket_is_private(cluster):
    import psycopg

    with psycopg.connect(cluster.app_database, autocommit=True) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""
    socket_folder = cluster.folder / "postgres"
    mode = socket_folder.stat().st_mode
    assert stat.S_IMODE(mode) == 0o700 and list(socket_folder.glob(".s.PGSQL.*"))
    if os.geteuid() != 0:
        return
    # another local user cannot even reach the socket; root is not the cluster's admin either (only the
    # `postgres` user, by peer authentication), and no role logs in without its password
    psql = str(postgres_bin() / "psql")
    for user, role in (("nobody", "postgres"), ("nobody", APP_ROLE), ("root", "postgres"), ("root", APP_ROLE)):
        command = ["runuser", "-u", user, "--"] if user != "root" else []
        attempt = subprocess.run(
            [
                *command,
                psql,
                "-X",
                "-w",
                "-h",
                str(socket_folder),
                "-U",
                role,
                "-d",
                "atlas",
                "-c",
                "COPY (SELECT 1) TO PROGRAM 'id'",
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert attempt.returncode != 0
        assert re.search(r"Permission denied|authentication failed|no password supplied", attempt.stderr), (
            attempt.stderr
        )


# --- nginx ---------------------------------------------------------------------------------------------


def test_security_headers_on_the_staff_page_the_embed_and_files(cluster):
    answers = {
        path: _get(cluster.url + path)
        for path in (
            "/pflege",
            "/karte",
            "/einbetten?embed=true",
            "/",
            "/app/static/vendor/leaflet/leaflet.js",
            "/_stcore/health",
            "/nowhere/at/all",
        )
    }
    for path, (_status, headers, _body) in answers.items():
        [policy] = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy, path
        assert headers["x-content-type-options"] == ["nosniff"], path  # once: nginx's, not also Streamlit's
        assert headers["referrer-policy"] == ["strict-origin-when-cross-origin"], path
        assert headers["server"] == ["nginx"], path  # no version
        assert "x-atlas-replica" not in headers and "x-frame-options" not in headers, path
        ancestors = policy.split("frame-ancestors", 1)[1].split(";")[0].split()
        expected = ["'self'", cluster.host_url] if path.startswith("/einbetten") else ["'self'"]
        assert ancestors == expected, path
    assert answers["/pflege"][0] == 200
    # which replica answered stays in nginx's own log
    log = (cluster.folder / "nginx" / "access.log").read_text()
    assert re.search(r'"GET /pflege HTTP/1\.1" 200 \d+ upstream=127\.0\.0\.1:\d+', log)


def test_metrics_and_the_test_tools_are_not_served(cluster):
    assert _get(cluster.url + "/_stcore/metrics")[0] == 404
    assert _get(cluster.url + "/_stcore/metrics?families=cache_memory_bytes")[0] == 404
    # the replica itself serves them on its loopback port only because this cluster asked for it
    assert _get(cluster.replica_url + "/_stcore/metrics")[0] == 200
    assert _get(cluster.url + "/app/static/vendor/axe-core/axe.min.js")[0] == 404


def _collect_violations(page) -> list:
    from playwright.sync_api import Error as PlaywrightError

    found = []
    for frame in page.frames:
        with contextlib.suppress(PlaywrightError):  # a frame that went away meanwhile
            found += frame.evaluate("window.__cspViolations || []")
    return found


def _page_ready(page, marker: str) -> None:
    if marker == "map":
        map_frame(page, timeout=60_000)
    else:
        page.locator(marker).first.wait_for(timeout=60_000)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=60_000)


def test_every_page_works_under_the_policy(browser, cluster):
    context = browser.new_context(viewport={"width": 1400, "height": 950}, locale="de-DE")
    context.add_init_script(RECORD_VIOLATIONS)
    # the background map's tiles, answered here (no request leaves the machine): the policy must allow them
    tile = (PROJECT_ROOT / "static" / "vendor" / "leaflet" / "images" / "layers.png").read_bytes()
    tiles_requested = []
    context.route(
        "https://tile.openstreetmap.org/**",
        lambda route: (tiles_requested.append(route.request.url), route.fulfill(body=tile, content_type="image/png")),
    )
    console = []
    try:
        for path, marker in PAGES:
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    console.append(message.text)
                    if "Content Security Policy" in message.text or "Refused" in message.text
                    else None
                ),
            )
            page.goto(cluster.url + path)
            _page_ready(page, marker)
            if path == "/karte":
                page.get_by_text("Hintergrundkarte laden").click()
                page.locator(".sa-atlas .leaflet-tile-loaded").first.wait_for(timeout=30_000)
            assert _collect_violations(page) == [], path
            page.close()
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                console.append(message.text)
                if "Content Security Policy" in message.text or "Refused" in message.text
                else None
            ),
        )
        open_and_log_in(page, cluster.url)  # the staff page: login, then a file upload (Streamlit's XHR)
        upload = cluster.pages / "standorte.csv"
        upload.write_text("site_id;name;program;lat;lon\ncsp-probe;CSP-Probe;zukunftsort;51.5;12.1\n", encoding="utf-8")
        page.locator(SITES_UPLOAD).set_input_files(str(upload))
        page.get_by_text("Die Datei ist gültig").first.wait_for(timeout=60_000)
        assert _collect_violations(page) == [], "/pflege"
    finally:
        context.close()
    assert tiles_requested
    assert console == []


def _frame_page(cluster, name: str, path: str) -> str:
    (cluster.pages / name).write_text(
        f'<!doctype html><title>host</title><iframe id="atlas" title="atlas" src="{cluster.url}{path}" '
        'width="800" height="600"></iframe>',
        encoding="utf-8",
    )
    return name


def test_the_embed_is_framed_by_the_listed_website_only_and_the_staff_page_by_none(page, cluster):
    embed = _frame_page(cluster, "embed.html", "/einbetten?embed=true&program=kreativort_mitteldeutschland")
    staff = _frame_page(cluster, "staff.html", "/pflege")
    page.goto(f"{cluster.host_url}/{embed}")
    embedded = page.frame_locator("iframe#atlas")
    embedded.locator(".sa-atlas .sa-site-marker").first.wait_for(timeout=60_000)  # the map inside the embed too

    for host, name in ((cluster.host_url, staff), (cluster.stranger_url, embed)):
        with page.expect_console_message(lambda message: "frame-ancestors" in message.text, timeout=20_000) as refused:
            page.goto(f"{host}/{name}")
        assert "has been blocked" in refused.value.text
        time.sleep(0.5)
        frame = page.query_selector("iframe#atlas").content_frame()
        assert frame is None or not frame.url.startswith(cluster.url)  # an error page, not the atlas


# --- Streamlit's clear_cache message -------------------------------------------------------------------


def _cache_entries(replica_url: str) -> dict[str, float]:
    _status, _headers, body = _get(replica_url + "/_stcore/metrics?families=cache_memory_bytes")
    return {f"{kind}:{name}": float(size) for kind, name, size in CACHE_METRIC.findall(body.decode())}


async def _page_run(socket, page_name: str) -> float:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.page_name = page_name
    started = time.monotonic()
    await socket.send(message.SerializeToString())
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(socket.recv(), 120))
        if forward.WhichOneof("type") == "script_finished":
            return time.monotonic() - started


async def _attack(cluster_url: str, replica_url: str) -> tuple[dict, dict]:
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg

    address = cluster_url.split("//", 1)[1]
    async with websockets.connect(
        f"ws://{address}/_stcore/stream", subprotocols=["streamlit"], max_size=2**27, open_timeout=30
    ) as visitor:
        await _page_run(visitor, "karte")  # the caches fill
        warm = _cache_entries(replica_url)
        attack = BackMsg()
        attack.clear_cache = True
        for _ in range(3):
            await visitor.send(attack.SerializeToString())
        await asyncio.sleep(6)  # Streamlit recomputes the cache sizes at most every 5 s
        after = _cache_entries(replica_url)
        await _page_run(visitor, "karte")  # the session goes on
    return warm, after


def test_a_visitor_cannot_empty_the_caches(cluster):
    # a thread of its own: Playwright's fixtures keep an event loop running in the test thread
    with ThreadPoolExecutor(max_workers=1) as pool:
        warm, after = pool.submit(asyncio.run, _attack(cluster.url, cluster.replica_url)).result()
    assert any("views.data" in name for name in warm), warm
    assert set(after) == set(warm)  # with the message obeyed, every entry would be gone
    log = next((cluster.folder / "logs").glob("replica-*.log")).read_text()
    assert log.count("Refused a clear_cache message") == 3
