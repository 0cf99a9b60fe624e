"""The steward password check of geo/imports/auth.py: constant-time, nothing matches without a password,
growing delay."""

from __future__ import annotations

import hmac
import itertools
import logging
import threading
import time
from pathlib import Path

import pytest

from geo.imports import auth

AUTH_SOURCE = Path(auth.__file__)


@pytest.fixture(autouse=True)
def no_password_in_the_environment(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)


@pytest.mark.parametrize(
    "given, expected, matches",
    [
        ("geheim", "geheim", True),
        ("Grünkohl-2038", "Grünkohl-2038", True),  # UTF-8, not ASCII only
        ("geheim ", "geheim", False),
        ("Geheim", "geheim", False),
        ("gehei", "geheim", False),
        ("", "geheim", False),
        (None, "geheim", False),
        (b"geheim", "geheim", False),  # only text from the form counts
        ("", "", False),  # no password configured: nothing matches, not even an empty input
        ("geheim", None, False),
    ],
)
def test_password_matches(given, expected, matches):
    assert auth.password_matches(given, expected) is matches


def test_the_comparison_is_constant_time_on_utf8_bytes(monkeypatch):
    compared = []
    compare_digest = hmac.compare_digest

    def spy(first, second):
        compared.append((first, second))
        return compare_digest(first, second)

    monkeypatch.setattr(auth.hmac, "compare_digest", spy)
    assert auth.password_matches("Grünkohl", "Grünkohl")
    assert compared == [("Grünkohl".encode(), "Grünkohl".encode())]


def test_the_environment_wins_over_secrets(monkeypatch):
    assert auth.configured_password(None) is None
    assert auth.configured_password("") is None
    assert auth.configured_password({"not": "text"}) is None
    assert auth.configured_password("aus-secrets") == "aus-secrets"
    monkeypatch.setenv(auth.PASSWORD_ENV, "aus-umgebung")
    assert auth.configured_password("aus-secrets") == "aus-umgebung"


@pytest.mark.parametrize(
    "email, allowed, result",
    [
        ("pflege@example.org", ["pflege@example.org"], True),
        (" Pflege@Example.ORG ", ["pflege@example.org"], True),
        ("pflege@example.org", "andere@example.org, pflege@example.org", True),
        ("pflege@example.org", ["andere@example.org"], False),
        ("", ["pflege@example.org"], False),
        (None, ["pflege@example.org"], False),
        ("pflege@example.org", None, False),
        ("pflege@example.org", [], False),
    ],
)
def test_email_allowed(email, allowed, result):
    assert auth.email_allowed(email, allowed) is result


def throttle(**options) -> auth.LoginThrottle:
    return auth.LoginThrottle(**{"base_seconds": 1, "cap_seconds": 8, "window_seconds": 600, **options})


def test_the_delay_doubles_with_recent_failures_up_to_the_cap_and_forgets_old_ones():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    gate = throttle(lockout_failures=100, overall_free_failures=100, clock=lambda: now[0])
    for _ in range(6):
        assert not gate.attempt("10.0.0.1", lambda: False, sleep=sleep).matched
    assert slept == [1, 2, 4, 8, 8]  # the first guess is answered at once, each later one waits longer
    now[0] += 601  # ten minutes later the old failures no longer count
    assert gate.client_delay("10.0.0.1") == 0
    gate.attempt("10.0.0.1", lambda: False, sleep=sleep)
    assert slept == [1, 2, 4, 8, 8]


def test_the_wait_comes_before_the_comparison_also_for_the_right_password():
    events = []
    gate = throttle(base_seconds=0.05)
    gate.attempt("10.0.0.1", lambda: events.append("compare") or False, sleep=lambda s: events.append(("sleep", s)))
    gate.attempt("10.0.0.1", lambda: events.append("compare") or True, sleep=lambda s: events.append(("sleep", s)))
    assert events[0] == "compare" and events[1][0] == "sleep" and events[2] == "compare"
    assert events[1][1] > 0.04


def test_parallel_sessions_of_one_address_queue_up(caplog):
    """Ten sessions guessing at the same moment get turns spaced by the growing delay, not ten at once."""
    gate = throttle(base_seconds=0.05, cap_seconds=0.2, lockout_failures=100, overall_free_failures=100)
    started = time.monotonic()
    compared_at = []

    def guess(number):
        gate.attempt("10.0.0.1", lambda: compared_at.append(time.monotonic() - started) or False)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    compared_at.sort()
    gaps = [later - earlier for earlier, later in itertools.pairwise(compared_at)]
    assert min(gaps) >= 0.04  # never two guesses at once
    assert compared_at[-1] >= 0.05 + 0.1 + 0.2 * 7 - 0.05  # 1, 2, 4 x base, then the cap
    assert (
        len([record for record in caplog.records if "wrong steward password from 10.0.0.1" in record.getMessage()])
        == 10
    )


def test_changing_addresses_meet_the_overall_delay():
    now = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    gate = throttle(overall_free_failures=3, overall_base_seconds=0.5, clock=lambda: now[0])
    for number in range(6):  # every guess from a new address: no address has a delay of its own
        gate.attempt(f"10.0.0.{number}", lambda: False, sleep=sleep)
    assert slept == [0.5, 1.0]  # the 5th and 6th guess wait for the overall delay


def test_lockout_stops_comparing_and_says_until_when():
    now = [100.0]
    gate = throttle(lockout_failures=3, clock=lambda: now[0], wall_clock=lambda: 5000.0)
    compared = []
    for _ in range(3):
        gate.attempt("10.0.0.1", lambda: compared.append(1) or False, sleep=lambda s: now.__setitem__(0, now[0] + s))
    locked = gate.attempt("10.0.0.1", lambda: compared.append(1) or True, sleep=lambda s: None)
    assert len(compared) == 3 and not locked.matched
    assert locked.locked_until is not None and 5000 < locked.locked_until <= 5600
    assert gate.attempt("10.0.0.2", lambda: True, sleep=lambda s: None).matched  # another address is not locked


def test_a_failure_is_logged_without_the_guess(caplog):
    caplog.set_level(logging.INFO)
    throttle(base_seconds=0).attempt("192.0.2.7", lambda: auth.password_matches("Rate-mal-123", "geheim"))
    assert "wrong steward password from 192.0.2.7" in caplog.text and "Rate-mal-123" not in caplog.text
