"""Logging in to the staff page (geo/imports/auth.py): the shared password compared in constant time, the
real client address only through a configured proxy, and a throttle that answers every attempt at once and
never lets guesses from one address delay a steward at another — measured with real Argon2id hashes on
both stores."""

from __future__ import annotations

import hmac
import logging
import threading
import time
from types import SimpleNamespace

import pytest

from geo import store
from geo.imports import auth
from geo.store import accounts
from tests import fixtures_import as fx

PASSWORD = "Strukturwandel-Lausitz 2038"


@pytest.fixture(autouse=True)
def no_password_in_the_environment(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)
    monkeypatch.delenv(auth.TRUSTED_PROXIES_ENV, raising=False)


@pytest.mark.parametrize(
    "given, expected, matches",
    [
        ("geheim", "geheim", True),
        ("Grünkohl-2038", "Grünkohl-2038", True),  # UTF-8, not ASCII only
        ("geheim ", "geheim", False),
        ("Geheim", "geheim", False),
        ("", "geheim", False),
        (None, "geheim", False),
        (b"geheim", "geheim", False),  # only text from the form counts
        ("", "", False),  # no password configured: nothing matches, not even an empty input
        ("geheim", None, False),
    ],
)
def test_password_matches(given, expected, matches):
    assert auth.password_matches(given, expected) is matches


def test_the_shared_password_is_compared_in_constant_time_on_utf8_bytes(monkeypatch):
    compared = []
    compare_digest = hmac.compare_digest
    monkeypatch.setattr(auth.hmac, "compare_digest", lambda a, b: compared.append((a, b)) or compare_digest(a, b))
    assert auth.password_matches("Grünkohl", "Grünkohl")
    assert compared == [("Grünkohl".encode(), "Grünkohl".encode())]


def test_the_environment_wins_over_secrets(monkeypatch):
    assert auth.configured_password(None) is None
    assert auth.configured_password({"not": "text"}) is None
    assert auth.configured_password("aus-secrets") == "aus-secrets"
    monkeypatch.setenv(auth.PASSWORD_ENV, "aus-umgebung")
    assert auth.configured_password("aus-secrets") == "aus-umgebung"


@pytest.mark.parametrize(
    "email, allowed, result",
    [
        (" Pflege@Example.ORG ", ["pflege@example.org"], True),
        ("pflege@example.org", "andere@example.org, pflege@example.org", True),
        ("pflege@example.org", ["andere@example.org"], False),
        (None, ["pflege@example.org"], False),
        ("pflege@example.org", None, False),
    ],
)
def test_email_allowed(email, allowed, result):
    assert auth.email_allowed(email, allowed) is result


# --- the client's address -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "remote, forwarded, proxies, client",
    [
        ("198.51.100.7", [], "", "198.51.100.7"),
        # a header from a peer that is no configured proxy is ignored: anyone can write one
        ("198.51.100.7", ["203.0.113.9"], "", "198.51.100.7"),
        ("198.51.100.7", ["203.0.113.9"], "10.0.0.0/8", "198.51.100.7"),
        # Streamlit gives None for the loopback peer: nginx on the same machine
        (None, ["203.0.113.9"], "127.0.0.1", "203.0.113.9"),
        (None, [], "127.0.0.1", "127.0.0.1"),
        # the right-most address that is not a proxy: what the client put in front cannot pass itself off
        (None, ["6.6.6.6, 203.0.113.9"], "127.0.0.1", "203.0.113.9"),
        ("10.1.2.3", ["6.6.6.6, 203.0.113.9, 10.0.0.5"], "10.0.0.0/8", "203.0.113.9"),
        ("10.1.2.3", ["203.0.113.9", "10.0.0.5"], "10.0.0.0/8", "203.0.113.9"),  # repeated headers
        ("10.1.2.3", ["2001:db8::1"], "10.0.0.0/8", "2001:db8::1"),
        ("10.1.2.3", ["nonsense"], "10.0.0.0/8", "10.1.2.3"),
        ("10.1.2.3", ["10.0.0.9"], "10.0.0.0/8", "10.0.0.9"),  # only proxies: the first of them
        ("not an address", [], "", auth.UNKNOWN_CLIENT),
    ],
)
def test_client_address(remote, forwarded, proxies, client):
    assert auth.client_address(remote, forwarded, proxies) == client


def test_trusted_proxies_come_from_the_environment(monkeypatch):
    monkeypatch.setenv(auth.TRUSTED_PROXIES_ENV, "127.0.0.1, 10.0.0.0/8, kaputt")
    assert [str(network) for network in auth.trusted_proxies()] == ["127.0.0.1/32", "10.0.0.0/8"]
    assert auth.client_address(None, ["192.0.2.44"]) == "192.0.2.44"


# --- the throttle ---------------------------------------------------------------------------------------

NOBODY = None
SOMEONE = accounts.Account("anna", "editor")


def test_after_a_failure_the_address_is_told_to_wait_doubling_up_to_the_cap():
    now = [0.0]
    gate = auth.LoginThrottle(base_seconds=1, cap_seconds=8, window_seconds=600, clock=lambda: now[0])
    waits = []
    for _ in range(6):
        attempt = gate.attempt("192.0.2.1", "anna", lambda: NOBODY)
        assert attempt.retry_after is None  # compared at once
        waits.append(gate.delay_for("192.0.2.1", "anna"))
        early = gate.attempt("192.0.2.1", "anna", lambda: pytest.fail("compared too early"))
        assert early.retry_after == pytest.approx(waits[-1])
        now[0] += waits[-1]
    assert waits == [1, 2, 4, 8, 8, 8]
    now[0] += 601  # ten minutes after the last failure it is forgotten
    assert gate.delay_for("192.0.2.1", "anna") == 0


def test_failures_for_an_account_never_delay_a_clean_address():
    now = [0.0]
    gate = auth.LoginThrottle(clock=lambda: now[0])
    for number in range(20):
        gate.attempt(f"192.0.2.{number}", "anna", lambda: NOBODY)
    assert gate.delay_for("198.51.100.1", "anna") == 0
    assert gate.attempt("198.51.100.1", "anna", lambda: SOMEONE).account == SOMEONE
    # an address that failed itself meets the account's delay too, at most account_cap
    gate.attempt("198.51.100.2", "anna", lambda: NOBODY)
    assert 1 < gate.delay_for("198.51.100.2", "anna") <= gate.account_cap_seconds


def test_a_success_clears_the_address_and_a_failure_is_logged_without_the_guess(caplog):
    caplog.set_level(logging.INFO)
    gate = auth.LoginThrottle(base_seconds=0)
    gate.attempt(
        "192.0.2.7", "anna", lambda: accounts.SHARED_STEWARD if auth.password_matches("Rate-mal", "x") else None
    )
    assert "wrong steward password for account 'anna' from 192.0.2.7" in caplog.text
    assert "Rate-mal" not in caplog.text


def test_the_throttle_remembers_a_bounded_number_of_addresses():
    gate = auth.LoginThrottle(base_seconds=0, max_tracked=100)
    for number in range(300):
        gate.attempt(f"2001:db8::{number:x}", f"name{number}", lambda: NOBODY)
    assert len(gate._failures) <= 100


def test_parallel_guesses_from_one_address_get_one_comparison_and_an_answer_at_once():
    gate = auth.LoginThrottle()
    compared, answered = [], []
    started = threading.Barrier(10)

    def guess():
        started.wait()
        begin = time.monotonic()
        gate.attempt("192.0.2.9", "anna", lambda: compared.append(1) or time.sleep(0.3) or NOBODY)
        answered.append(time.monotonic() - begin)

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(compared) == 1
    assert max(answered) < 1.0  # nobody queued: the other nine were told to wait


# --- on the real stores, with real hashes ----------------------------------------------------------------


@pytest.fixture(params=["geopackage", "postgis"])
def location(request, tmp_path, monkeypatch):
    monkeypatch.delenv(store.DATABASE_URL_ENV, raising=False)
    gpkg = fx.build_sites(tmp_path / "sites.gpkg")
    if request.param == "geopackage":
        yield SimpleNamespace(sites=gpkg)
        return
    from geo.store import postgis as store_postgis

    cluster = request.getfixturevalue("postgis_cluster")
    url = cluster.new_database()
    store_postgis.load_initial(url, store.read_sites(gpkg))
    yield SimpleNamespace(sites=url)
    cluster.drop_database(url)


def test_thirty_parallel_wrong_guesses_do_not_delay_a_right_login_from_elsewhere(location):
    accounts.add(location.sites, "anna", "editor", PASSWORD)
    gate = auth.LoginThrottle()
    barrier = threading.Barrier(31)
    guesses: list[tuple[auth.LoginAttempt, float]] = []
    right: list[tuple[auth.LoginAttempt, float]] = []

    def attempt(client: str, password: str, into: list) -> None:
        barrier.wait()
        begin = time.monotonic()
        outcome = auth.log_in(location.sites, "anna", password, client, None, throttle=gate)
        into.append((outcome, time.monotonic() - begin))

    threads = [threading.Thread(target=attempt, args=("203.0.113.66", f"falsch-{n}", guesses)) for n in range(30)]
    threads.append(threading.Thread(target=attempt, args=("198.51.100.20", PASSWORD, right)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ((opened, took),) = right
    assert opened.account is not None and opened.account.name == "anna"
    assert took < 5.0, f"the right login took {took:.1f} s"
    assert all(not outcome.matched for outcome, _ in guesses)
    assert max(seconds for _, seconds in guesses) < 5.0  # every guess answered within bounded time
    # the attacker's address now waits; the steward's does not
    assert gate.delay_for("203.0.113.66", "anna") > 0 and gate.delay_for("198.51.100.20", "anna") == 0


def test_log_in_uses_the_shared_password_only_without_accounts(location):
    gate = auth.LoginThrottle(base_seconds=0)
    shared = auth.log_in(location.sites, "", "gemeinsam-geheim", "192.0.2.1", "gemeinsam-geheim", throttle=gate)
    assert shared.account == accounts.SHARED_STEWARD
    accounts.add(location.sites, "anna", "editor", PASSWORD)
    again = auth.log_in(location.sites, "", "gemeinsam-geheim", "192.0.2.1", "gemeinsam-geheim", throttle=gate)
    assert again.account is None
    named = auth.log_in(location.sites, "Anna", PASSWORD, "192.0.2.1", "gemeinsam-geheim", throttle=gate)
    assert named.account is not None and named.account.name == "anna"
