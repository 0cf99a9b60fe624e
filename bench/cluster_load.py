"""Load and fault test of the replicated deployment (`make cluster`): many visitor sessions behind nginx.

    make cluster REPLICAS=3
    .venv/bin/python -m bench.cluster_load --sessions 200 --fault none
    .venv/bin/python -m bench.cluster_load --sessions 200 --fault kill-replica
    .venv/bin/python -m bench.cluster_load --sessions 200 --fault restart-postgres
    .venv/bin/python -m bench.cluster_load --sessions 200 --fault apply
    make cluster-stop

Why not 200 browsers: one headless Chromium page needs about 100–200 MB and a good part of a core to
lay out the page and draw the map, and this machine has two cores, shared. What a visitor costs the
*servers* is the Streamlit session behind its websocket: the page script runs for the first view and
again for every widget change, and the session is held while the page is open. So most visitors here
are lightweight sessions that speak Streamlit's own protocol (the protobuf messages of the package's
`streamlit.proto`, over the `websockets` package), exactly as the browser's frontend does:

1. GET the page address through nginx (`/karte?...`), then open `/_stcore/stream` and send the
   `rerun_script` message with the page name and query string; the page time ends with the server's
   `script_finished`, plus downloading the map data file the page names (once per session, as a
   browser caches it);
2. every few seconds (think time), change a filter: a `rerun_script` with the new value of the
   "Programme" or "Länder" multiselect under the widget id that the server sent, timed the same way;
3. hold the session until the end; when the websocket drops (a killed replica), reconnect with the
   page's current query string, as the browser's frontend does, and check the filter came back.

Each session connects from its own loopback address (127.0.0.x), so nginx's address-based stickiness
spreads sessions over the replicas as it spreads real visitors. Which replica a session reached is read
from nginx's access log (`upstream=`): visitors are not told. Beside them, a few real Chromium pages
(Playwright, `--browsers`) open the map and wait until the markers are drawn (`data-atlas-render`),
so the full page time in a browser under the same load is measured too.

Faults (at `--fault-at` seconds after all sessions are open):
- `kill-replica`: SIGKILL one replica; its visitors must reconnect to another one with their filters
  (they live in the URL) and nothing the store holds is lost.
- `restart-postgres`: stop PostgreSQL for `--outage` seconds, then start it; pages keep working from the
  replicas' caches and show the database note, which goes away by itself afterwards.
- `apply`: before the load, one real site (from data/sources/sites.csv) is taken out of the store; during
  the load it is imported again with `python -m geo import --apply`. Every page must show either the old
  sites (without it) or the new (with it), never a mixture, and every replica must show it within seconds.

Results: a summary on stdout and a JSON file (`--out`, default .cluster/results/<fault>.json).
Loopback only: it refuses any address that is not 127.0.0.0/8.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psutil
import websockets

from bench.cluster_session import PAGE, Render, ReplicaLog, Session, Visitor

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CLUSTER_DIR = Path(os.environ.get("CLUSTER_DIR", PROJECT_ROOT / ".cluster"))
CLUSTER_SCRIPT = PROJECT_ROOT / "deploy" / "cluster.sh"


# --- a minimal HTTP client that can choose its loopback source address ---------------------------------


# --- one visitor ---------------------------------------------------------------------------------------


# --- the run -----------------------------------------------------------------------------------------


class LoadRun:
    def __init__(self, args: argparse.Namespace):
        parts = urlsplit(args.url)
        if not (parts.hostname or "").startswith("127."):
            raise SystemExit("loopback only: --url must be http://127.x.x.x:port")
        self.args, self.host, self.port = args, parts.hostname, parts.port or 80
        self.marker_site = args.marker_site
        self.stop_at = 0.0
        self.apply_done: float | None = None
        self.events: list[dict] = []
        self.memory: dict[str, list[float]] = {}
        self.cpu_seconds: dict[str, list[float]] = {}  # replica -> [first, last] CPU seconds (user + system)
        self.browser_pages: list[dict] = []
        self.replica_log = ReplicaLog(CLUSTER_DIR / "nginx" / "access.log")

    def event(self, name: str, **details) -> None:
        self.events.append({"t": round(time.monotonic() - self.started, 2), "event": name, **details})
        print(f"[{self.events[-1]['t']:7.1f} s] {name} {details if details else ''}", flush=True)

    async def visitor_loop(self, visitor: Visitor, start_delay: float) -> None:
        await asyncio.sleep(start_delay)
        session = Session(self, visitor)
        kind = "open"
        disconnected_at = None
        while time.monotonic() < self.stop_at:
            try:
                await session.open(kind)
                if disconnected_at is not None:
                    visitor.reconnect_seconds.append(time.monotonic() - disconnected_at)
                    if visitor.chosen:  # a visitor who had changed a filter gets the same filter back
                        visitor.filters_restored.append(
                            all(
                                sorted(session.widgets.get(label, ("", [], []))[2]) == sorted(values)
                                for label, values in visitor.chosen.items()
                            )
                        )
                    disconnected_at = None
                while time.monotonic() < self.stop_at:
                    await asyncio.sleep(random.uniform(*self.args.think))
                    if time.monotonic() >= self.stop_at:
                        break
                    await session.change_filter()
                visitor.held = True
                break
            except (websockets.ConnectionClosed, ConnectionError, OSError) as error:
                if disconnected_at is None:
                    disconnected_at = time.monotonic()
                    visitor.disconnects += 1
                    visitor.disconnect_log.append(f"disconnected from {session.replica}: {type(error).__name__}")
                kind = "reopen"
                await session.close()
                session = Session(self, visitor)
                await asyncio.sleep(0.5)
            except Exception as error:
                visitor.errors.append(f"{type(error).__name__}: {str(error)[:200]}")
                kind = "reopen"
                await session.close()
                session = Session(self, visitor)
                await asyncio.sleep(1.0)
        await session.close()

    async def sample_memory(self) -> None:
        while time.monotonic() < self.stop_at + 1:
            for pid_file in sorted((CLUSTER_DIR / "run").glob("replica-*.pid")):
                name = pid_file.stem
                try:
                    process = psutil.Process(int(pid_file.read_text()))
                    rss = process.memory_info().rss + sum(child.memory_info().rss for child in process.children(True))
                    self.memory.setdefault(name, []).append(rss / 2**20)
                    times = process.cpu_times()
                    seen = self.cpu_seconds.setdefault(name, [times.user + times.system] * 2)
                    seen[1] = times.user + times.system
                except (psutil.NoSuchProcess, FileNotFoundError, ValueError):
                    pass
            await asyncio.sleep(2)

    async def browser_loop(self, number: int, start_delay: float) -> None:
        """A real Chromium page: open the map with a filter, wait until the markers are drawn."""
        from playwright.async_api import async_playwright

        await asyncio.sleep(start_delay)
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=self.args.chromium, headless=True)
            page = await browser.new_page(viewport={"width": 1280, "height": 900})
            programs = [[], ["zukunftsort"], ["kreativort"], ["zukunftsort", "kreativort"]]
            round_number = 0
            while time.monotonic() < self.stop_at:
                query = urlencode({"program": programs[(number + round_number) % len(programs)]}, doseq=True)
                started = time.monotonic()
                try:
                    await page.goto(f"{self.args.url}/{PAGE}" + (f"?{query}" if query else ""), timeout=120_000)
                    # the map is mounted in the page; its root carries the render signal once drawn
                    await page.locator(".sa-atlas[data-atlas-render]").first.wait_for(state="attached", timeout=120_000)
                    self.browser_pages.append({"browser": number, "seconds": time.monotonic() - started, "ok": True})
                except Exception as error:
                    self.browser_pages.append(
                        {
                            "browser": number,
                            "seconds": time.monotonic() - started,
                            "ok": False,
                            "error": f"{type(error).__name__}: {str(error)[:160]}",
                        }
                    )
                round_number += 1
                await asyncio.sleep(random.uniform(*self.args.think))
            await browser.close()

    async def fault(self, visitors: list[Visitor]) -> None:
        await asyncio.sleep(self.args.ramp + self.args.fault_at)
        if self.args.fault == "kill-replica":
            pid_file = CLUSTER_DIR / "run" / f"replica-{self.args.kill_port}.pid"
            pid = int(pid_file.read_text())
            on_it = sum(
                1
                for visitor in visitors
                if visitor.replicas and visitor.replicas[-1].endswith(f":{self.args.kill_port}")
            )
            os.kill(pid, signal.SIGKILL)
            self.event("replica killed", port=self.args.kill_port, sessions_on_it=on_it)
        elif self.args.fault == "restart-postgres":
            await asyncio.to_thread(_cluster_script, "db-stop")
            self.event("postgres stopped")
            await asyncio.sleep(self.args.outage)
            await asyncio.to_thread(_cluster_script, "db-start")
            self.event("postgres started")
        elif self.args.fault == "apply":
            started = time.monotonic()
            result = await asyncio.to_thread(_geo_cli, ["import", str(self.args.apply_file), "--apply", "--lang", "en"])
            self.apply_done = time.monotonic()
            self.event(
                "apply done",
                seconds=round(self.apply_done - started, 2),
                exit_code=result.returncode,
                output=result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-200:],
            )

    async def main(self) -> dict:
        args = self.args
        self.started = time.monotonic()
        self.stop_at = self.started + args.ramp + args.hold
        self.apply_done = None
        visitors = [Visitor(number, f"127.0.{1 + number // 250}.{1 + number % 250}") for number in range(args.sessions)]
        tasks = [
            asyncio.create_task(self.visitor_loop(visitor, args.ramp * number / max(1, args.sessions)))
            for number, visitor in enumerate(visitors)
        ]
        tasks += [
            asyncio.create_task(self.browser_loop(number, args.ramp * (number + 1) / (args.browsers + 1)))
            for number in range(args.browsers)
        ]
        tasks.append(asyncio.create_task(self.sample_memory()))
        if args.fault != "none":
            tasks.append(asyncio.create_task(self.fault(visitors)))
        self.event(
            "load started",
            sessions=args.sessions,
            browsers=args.browsers,
            fault=args.fault,
            load_average=os.getloadavg(),
        )
        await asyncio.gather(*tasks)
        return self.summary(visitors)

    def summary(self, visitors: list[Visitor]) -> dict:
        renders = [render for visitor in visitors for render in visitor.renders]
        opens = [render.seconds for render in renders if render.kind == "open"]
        filters = [render.seconds for render in renders if render.kind == "filter"]
        held = sum(1 for visitor in visitors if visitor.held)
        per_replica: dict[str, int] = {}
        for visitor in visitors:
            if visitor.replicas:
                per_replica[visitor.replicas[0]] = per_replica.get(visitor.replicas[0], 0) + 1
        errors = [error for visitor in visitors for error in visitor.errors]
        result = {
            "sessions": len(visitors),
            "sessions_with_a_page": sum(1 for visitor in visitors if visitor.renders),
            "sessions_held_to_the_end": held,
            "first_replica_of_sessions": per_replica,
            "page_opens": len(opens),
            "page_open_p50_s": _quantile(opens, 0.5),
            "page_open_p95_s": _quantile(opens, 0.95),
            "filter_changes": len(filters),
            "filter_p50_s": _quantile(filters, 0.5),
            "filter_p95_s": _quantile(filters, 0.95),
            "errors": len(errors),
            "error_kinds": _kinds(errors),
            "error_examples": sorted(set(errors))[:8],
            "memory_mb_per_replica": {
                name: {"start": round(values[0]), "max": round(max(values)), "end": round(values[-1])}
                for name, values in self.memory.items()
            },
            "replica_cpu_seconds": {name: round(last - first, 1) for name, (first, last) in self.cpu_seconds.items()},
            "replica_cpu_ms_per_page_run": round(
                1000 * sum(last - first for first, last in self.cpu_seconds.values()) / max(1, len(renders)), 1
            ),
            "load_average_end": os.getloadavg(),
            "load_generator_cpu_seconds": round(sum(psutil.Process().cpu_times()[:2]), 1),
            "browser_pages": len(self.browser_pages),
            "browser_page_p50_s": _quantile([page["seconds"] for page in self.browser_pages if page["ok"]], 0.5),
            "browser_page_p95_s": _quantile([page["seconds"] for page in self.browser_pages if page["ok"]], 0.95),
            "browser_errors": [page["error"] for page in self.browser_pages if not page["ok"]],
            "events": self.events,
            # every page run: start (s after the run began), seconds, kind, replica, sites, marker site, note
            "renders": [
                [
                    round(render.at - render.seconds - self.started, 2),
                    round(render.seconds, 3),
                    render.kind,
                    render.replica,
                    render.site_count,
                    render.has_marker_site,
                    render.stale_note,
                ]
                for render in renders
            ],
        }
        reconnects = [seconds for visitor in visitors for seconds in visitor.reconnect_seconds]
        restored = [ok for visitor in visitors for ok in visitor.filters_restored]
        result.update(
            {
                "disconnects": sum(visitor.disconnects for visitor in visitors),
                "reconnects": len(reconnects),
                "reconnect_p95_s": _quantile(reconnects, 0.95),
                "reconnect_max_s": round(max(reconnects), 2) if reconnects else None,
                "filters_restored_after_reconnect": f"{sum(restored)}/{len(restored)}",
                "pages_with_database_note": sum(1 for render in renders if render.stale_note),
            }
        )
        if self.args.fault == "restart-postgres":
            result.update(self.restart_check(renders))
        if self.args.fault == "apply":
            result.update(self.apply_check(renders))
        return result

    def restart_check(self, renders: list[Render]) -> dict:
        """After a database restart: until when runs still showed the database note."""
        started_event = next((event for event in self.events if event["event"] == "postgres started"), None)
        if not started_event:
            return {}
        back = self.started + started_event["t"]
        # runs queue for the CPU, so a run is judged by when it started, not when it finished
        notes_after = [
            render.at - render.seconds - back
            for render in renders
            if render.stale_note and render.at - render.seconds > back
        ]
        return {
            "database_note_last_seen_in_a_run_started_after_restart_s": round(max(notes_after), 2)
            if notes_after
            else 0.0,
            "runs_started_after_restart_without_note": sum(
                1 for render in renders if not render.stale_note and render.at - render.seconds > back
            ),
        }

    def apply_check(self, renders: list[Render]) -> dict:
        """Every page shows the old sites or the new ones, never a mixture; when did each replica switch?"""
        counts = {(render.site_count, render.has_marker_site) for render in renders}
        consistent = counts <= {(self.args.old_count, False), (self.args.old_count + 1, True)}
        # Runs queue for the CPU under load, so a run is judged by when it started: one that started
        # `poll_bound` seconds after the apply had finished must show the new sites.
        first_new: dict[str, float] = {}
        old_after: dict[str, int] = {}
        for render in sorted(renders, key=lambda render: render.at - render.seconds):
            started = render.at - render.seconds
            if self.apply_done is None or started < self.apply_done:
                continue
            if render.has_marker_site:
                first_new.setdefault(render.replica, round(started - self.apply_done, 2))
            elif started - self.apply_done > self.args.poll_bound:
                old_after[render.replica] = old_after.get(render.replica, 0) + 1
        return {
            "apply_states_seen": sorted([list(pair) for pair in counts]),
            "apply_never_half": consistent,
            "apply_first_run_showing_it_started_after_apply_s": first_new,
            "apply_runs_started_after_bound_showing_old_sites": old_after,
        }


def _cluster_script(command: str) -> None:
    """deploy/cluster.sh's db-stop or db-start: PostgreSQL as the cluster set it up (its socket, no TCP)."""
    subprocess.run(
        [str(CLUSTER_SCRIPT), command],
        check=True,
        capture_output=True,
        env={**os.environ, "CLUSTER_DIR": str(CLUSTER_DIR)},
    )


def cluster_env() -> dict[str, str]:
    env = dict(os.environ)
    for line in (CLUSTER_DIR / "env").read_text().splitlines():
        if "=" in line:
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    return env


def _geo_cli(arguments: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *arguments],
        cwd=PROJECT_ROOT,
        env=cluster_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def prepare_apply(marker_site_name: str, folder: Path) -> tuple[Path, int]:
    """Take one real site out of the store (an import of all others with --replace) and return a file
    with only that site, to import during the load. Returns (file, number of sites without it)."""
    source = PROJECT_ROOT / "data" / "sources" / "sites.csv"
    with open(source, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, fields = list(reader), list(reader.fieldnames or ())
    others = [row for row in rows if row["name"] != marker_site_name]
    chosen = [row for row in rows if row["name"] == marker_site_name]
    if len(chosen) != 1:
        raise SystemExit(f"no single site named {marker_site_name!r} in {source}")
    for name, selection in (("without.csv", others), ("only.csv", chosen)):
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(selection)
    result = _geo_cli(["import", str(folder / "without.csv"), "--replace", "--apply", "--lang", "en"])
    if result.returncode != 0:
        raise SystemExit(f"could not take the site out: {result.stdout[-500:]} {result.stderr[-500:]}")
    time.sleep(2.5)  # the replicas' version poll: every replica now serves the sites without it
    return folder / "only.csv", len(others)


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1], 3)


def _kinds(errors: list[str]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for error in errors:
        key = error.split(":")[0][:80]
        kinds[key] = kinds.get(key, 0) + 1
    return kinds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8500", help="nginx in front of the replicas (loopback)")
    parser.add_argument("--sessions", type=int, default=200, help="lightweight visitor sessions")
    parser.add_argument("--browsers", type=int, default=3, help="real Chromium pages beside them")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--ramp", type=float, default=90.0, help="seconds over which the sessions arrive")
    parser.add_argument("--hold", type=float, default=120.0, help="seconds all sessions stay after the ramp")
    parser.add_argument("--think", type=float, nargs=2, default=(10.0, 25.0), help="seconds between filter changes")
    parser.add_argument("--fault", choices=["none", "kill-replica", "restart-postgres", "apply"], default="none")
    parser.add_argument("--fault-at", type=float, default=30.0, help="seconds after the ramp")
    parser.add_argument("--kill-port", type=int, default=8662, help="the replica that kill-replica kills")
    parser.add_argument("--outage", type=float, default=15.0, help="seconds PostgreSQL stays down")
    parser.add_argument(
        "--marker-site",
        default="Green Gate Gatersleben",
        help="the real site that the apply fault takes out and imports again",
    )
    parser.add_argument(
        "--poll-bound", type=float, default=3.0, help="seconds after an apply by which every replica must show it"
    )
    parser.add_argument("--out", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (CLUSTER_DIR / "env").exists():
        raise SystemExit("no cluster: run `make cluster REPLICAS=3` first")
    args.old_count = None
    with tempfile.TemporaryDirectory() as folder:
        if args.fault == "apply":
            args.apply_file, args.old_count = prepare_apply(args.marker_site, Path(folder))
        run = LoadRun(args)
        run.marker_site = _marker_id(args.marker_site)
        result = asyncio.run(run.main())
    result["arguments"] = {key: (str(value) if isinstance(value, Path) else value) for key, value in vars(args).items()}
    out = args.out or CLUSTER_DIR / "results" / f"{args.fault}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print(
        json.dumps(
            {key: value for key, value in result.items() if key not in ("events", "arguments", "renders")},
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"written to {out}")
    return 0


def _marker_id(name: str) -> str:
    from geo.sites.rules import slugify

    return slugify(name)


if __name__ == "__main__":
    sys.exit(main())
