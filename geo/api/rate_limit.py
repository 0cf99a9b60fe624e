"""A per-client rate limit for the open data API, so one busy client cannot slow the atlas for its visitors.

Each client has a token bucket: `STANDORTATLAS_API_RATE_PER_MINUTE` requests a minute on average (default
600), bursts of up to `STANDORTATLAS_API_BURST` at once (default 120). A request beyond that gets a 429 with
`Retry-After`. The client is the connecting address; when that is a proxy this process trusts
(`STANDORTATLAS_TRUSTED_PROXIES`, default the loopback addresses, as nginx in `make cluster` connects from
there), it is the address the proxy put last into X-Forwarded-For. The limit holds per process: behind nginx,
which sends a client to the same replica, that is per client. At most `MAX_CLIENTS` buckets are kept (the
least recently seen go first), so the table's memory is bounded whatever the number of addresses.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import OrderedDict
from http import HTTPStatus

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from geo.api.checks import request_language
from geo.api.problems import ApiProblem
from geo.api.responses import base_url, problem_response, wants_html

RATE_ENV = "STANDORTATLAS_API_RATE_PER_MINUTE"
BURST_ENV = "STANDORTATLAS_API_BURST"
TRUSTED_PROXIES_ENV = "STANDORTATLAS_TRUSTED_PROXIES"
DEFAULT_RATE_PER_MINUTE = 600.0
DEFAULT_BURST = 120.0
DEFAULT_TRUSTED = ("127.0.0.1", "::1")
MAX_CLIENTS = 10_000


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


class TokenBuckets:
    """Token buckets per client key; `take` answers how many seconds to wait (0: go ahead)."""

    def __init__(self, per_second: float, burst: float, max_clients: int = MAX_CLIENTS) -> None:
        self.per_second, self.burst, self.max_clients = per_second, burst, max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, time)
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.per_second)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.per_second
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


def client_address(scope: Scope, trusted: tuple[str, ...]) -> str:
    peer = (scope.get("client") or ("unknown", 0))[0]
    if peer in trusted:
        for name, value in scope.get("headers", []):
            if name == b"x-forwarded-for":
                last = value.decode("latin-1").split(",")[-1].strip()
                return last[:64] or peer
    return peer


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.buckets = TokenBuckets(_number(RATE_ENV, DEFAULT_RATE_PER_MINUTE) / 60, _number(BURST_ENV, DEFAULT_BURST))
        configured = os.environ.get(TRUSTED_PROXIES_ENV)
        self.trusted = (
            tuple(part.strip() for part in configured.split(",") if part.strip()) if configured else DEFAULT_TRUSTED
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client_address(scope, self.trusted))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        seconds = max(1, math.ceil(wait))
        lang = request_language(
            {"lang": request.query_params.getlist("lang")}, request.headers.get("accept-language", "")
        )
        problem = ApiProblem(
            HTTPStatus.TOO_MANY_REQUESTS,
            "rate_limit",
            {"seconds": seconds},
            code="TooManyRequests",
            headers={"Retry-After": str(seconds)},
        )
        await problem_response(problem, lang, wants_html(request), base_url(request))(scope, receive, send)
