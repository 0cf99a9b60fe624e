"""One visitor of the cluster load test: an HTTP page load and a Streamlit session over the websocket that
opens the map page, changes filters and checks the map's data files (bench/cluster_load.py runs many)."""

from __future__ import annotations

import asyncio
import gzip
import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.typing import Subprotocol

if TYPE_CHECKING:
    from bench.cluster_load import LoadRun

PAGE = "karte"
FILTER_LABELS = ("Programme", "Länder")  # the multiselects a visitor changes (German page)
STALE_NOTE = "Datenbank ist gerade nicht erreichbar"  # the start of the database notes (geo/texts/common.py)
MESSAGE_TIMEOUT = 120.0


async def http_get(host: str, port: int, path: str, source: str) -> tuple[int, bytes, dict]:
    reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
    try:
        writer.write(f"GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\nUser-Agent: cluster-load\r\n\r\n".encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), MESSAGE_TIMEOUT)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return status, body, headers


class ReplicaLog:
    """Which replica nginx sent each source address's page requests to, in order, from the cluster's
    access log (its `atlas` format: `<address> - [time] "GET /karte?… HTTP/1.1" 200 … upstream=<replica>, …`)."""

    LINE = re.compile(r'^(\S+) - \[[^\]]*\] "GET /(\S*) HTTP/[\d.]+" \d+ \d+ upstream=(.*?) time=')

    def __init__(self, path: Path):
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0
        self.pending = b""
        self.pages: dict[str, list[str]] = {}  # source address -> replica of each page request

    def _read(self) -> None:
        with open(self.path, "rb") as log:
            log.seek(self.offset)
            chunk = log.read()
        self.offset += len(chunk)
        *lines, self.pending = (self.pending + chunk).split(b"\n")
        for line in lines:
            match = self.LINE.match(line.decode("utf-8", "replace"))
            if match and match[2].split("?")[0] == PAGE:
                # after a retry nginx names every replica it tried; the last one answered
                self.pages.setdefault(match[1], []).append(match[3].split(", ")[-1])

    async def replica_of(self, source: str, nth_page: int, timeout: float = 5.0) -> str:
        """The replica of the `nth_page`-th page request from `source` (nginx logs a request just after
        answering it, so its line may need a moment)."""
        deadline = time.monotonic() + timeout
        while True:
            self._read()
            seen = self.pages.get(source, [])
            if len(seen) >= nth_page:
                return seen[nth_page - 1]
            if time.monotonic() > deadline:
                return "?"
            await asyncio.sleep(0.05)


@dataclass
class Render:
    """What one page run showed the visitor."""

    at: float  # monotonic time the run finished
    seconds: float
    kind: str  # "open", "reopen" or "filter"
    replica: str
    sites_url: str
    site_count: int
    has_marker_site: bool
    stale_note: bool


@dataclass
class Visitor:
    number: int
    source: str
    query_string: str = ""  # the page's URL query, as the app last set it (filters live in the URL)
    chosen: dict = field(default_factory=dict)  # filter label -> the values the visitor chose
    disconnect_log: list[str] = field(default_factory=list)
    renders: list[Render] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    disconnects: int = 0
    reconnect_seconds: list[float] = field(default_factory=list)
    filters_restored: list[bool] = field(default_factory=list)
    replicas: list[str] = field(default_factory=list)
    pages_opened: int = 0  # page requests made (each one is a line of nginx's log)
    held: bool = False  # the page was still open and answering when the run ended


class Session:
    """One open page: a websocket to a replica, the widgets it showed, the data it downloaded."""

    def __init__(self, run: LoadRun, visitor: Visitor):
        self.run, self.visitor = run, visitor
        self.socket: websockets.ClientConnection | None = None
        self.widgets: dict[str, tuple[str, list[str], list[str]]] = {}  # label -> (id, options, shown values)
        self.replica = "?"
        self.data_cache: dict[str, tuple[int, bool]] = {}
        self.pending_choice: tuple[str, list[str]] | None = None

    def _connected(self) -> websockets.ClientConnection:
        if self.socket is None:
            raise RuntimeError("the session's websocket is not open")
        return self.socket

    async def open(self, kind: str) -> None:
        started = time.monotonic()
        query = self.visitor.query_string
        status, _, _headers = await http_get(
            self.run.host, self.run.port, f"/{PAGE}" + (f"?{query}" if query else ""), self.visitor.source
        )
        if status != 200:
            raise RuntimeError(f"page answered HTTP {status}")
        self.socket = await websockets.connect(
            f"ws://{self.run.host}:{self.run.port}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            max_size=2**27,
            open_timeout=30,
            local_addr=(self.visitor.source, 0),
            ping_interval=20,
            ping_timeout=60,
        )
        # the websocket goes where the page went: nginx keys on the visitor's address
        self.visitor.pages_opened += 1
        self.replica = await self.run.replica_log.replica_of(self.visitor.source, self.visitor.pages_opened)
        self.visitor.replicas.append(self.replica)
        await self._rerun(query, [], kind, started)

    async def change_filter(self) -> None:
        label = random.choice([label for label in FILTER_LABELS if label in self.widgets])
        widget_id, options, _ = self.widgets[label]
        chosen = random.sample(options, k=random.randint(1, min(2, len(options))))
        # like the browser's frontend, send the current value of every filter, the changed one new
        states = [
            (other_id, shown)
            for other_label, (other_id, _, shown) in self.widgets.items()
            if other_label != label and other_label in FILTER_LABELS
        ]
        self.pending_choice = (label, chosen)
        self.widgets[label] = (widget_id, options, chosen)
        await self._rerun(self.visitor.query_string, states + [(widget_id, chosen)], "filter", time.monotonic())
        self.visitor.chosen[label] = chosen  # what the visitor expects to see again after a reconnect

    async def _rerun(self, query: str, widgets: list[tuple[str, list[str]]], kind: str, started: float) -> None:
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = PAGE
        for widget_id, values in widgets:
            state = message.rerun_script.widget_states.widgets.add()
            state.id = widget_id
            state.string_array_value.data.extend(values)
        await self._connected().send(message.SerializeToString())
        sites_url, stale_note = "", False
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(self._connected().recv(), MESSAGE_TIMEOUT))
            kind_of = forward.WhichOneof("type")
            if kind_of == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                element_type = element.WhichOneof("type")
                if element_type == "multiselect":
                    widget = element.multiselect
                    # The frontend keeps a widget's value: the server sends one only when the page set it
                    # (from the URL: set_value, raw_values); a new widget starts at its default.
                    if widget.set_value:
                        shown = list(widget.raw_values)
                    elif widget.label in self.widgets:
                        shown = self.widgets[widget.label][2]
                    else:
                        shown = [widget.options[index] for index in widget.default]
                    self.widgets[widget.label] = (widget.id, list(widget.options), shown)
                elif element_type == "component_instance":
                    arguments = json.loads(element.component_instance.json_args or "{}")
                    sites_url = arguments.get("sites_url", sites_url)
                elif element_type == "alert" and STALE_NOTE in element.alert.body:
                    stale_note = True
                elif element_type == "exception":
                    raise RuntimeError(f"the page raised {element.exception.type}: {element.exception.message[:200]}")
            elif kind_of == "page_info_changed":
                self.visitor.query_string = forward.page_info_changed.query_string  # the browser's address bar
                if self.pending_choice is not None:  # the address now holds the new filter, even if the run
                    label, chosen = self.pending_choice  # is cut off before it finishes
                    self.visitor.chosen[label] = chosen
            elif kind_of == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(forward.script_finished)
                if status in ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY"):
                    break
                if status == "FINISHED_WITH_COMPILE_ERROR":
                    raise RuntimeError("script finished with a compile error")
        if not sites_url:
            raise RuntimeError("the page named no map data")
        count, has_marker = await self._map_data(sites_url)
        finished = time.monotonic()
        self.visitor.renders.append(
            Render(finished, finished - started, kind, self.replica, sites_url, count, has_marker, stale_note)
        )

    async def _map_data(self, sites_url: str) -> tuple[int, bool]:
        """Download the map data once per session and address (a browser caches it), count the sites."""
        if sites_url not in self.data_cache:
            status, body, _ = await http_get(self.run.host, self.run.port, sites_url, self.visitor.source)
            if status != 200:
                raise RuntimeError(f"map data {sites_url} answered HTTP {status}")
            if body[:2] == b"\x1f\x8b":
                body = gzip.decompress(body)
            document = json.loads(body)
            ids = _site_ids(document)
            self.data_cache[sites_url] = (len(ids), self.run.marker_site in ids)
        return self.data_cache[sites_url]

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


def _site_ids(document: dict) -> set[str]:
    """The site ids in the map data file (its declared count must agree)."""
    ids = [str(value) for value in document["columns"]["site_id"]]
    if document.get("count") != len(ids):
        raise RuntimeError("the map data file contradicts itself (count and columns differ)")
    return set(ids)
