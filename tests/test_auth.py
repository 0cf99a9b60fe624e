"""The steward password check of geo/auth.py: constant-time, nothing matches without a password, growing delay."""

from __future__ import annotations

import ast
import hmac
from pathlib import Path

import pytest

from geo import auth

AUTH_SOURCE = Path(auth.__file__)


@pytest.fixture(autouse=True)
def no_password_in_the_environment(monkeypatch):
    monkeypatch.delenv(auth.PASSWORD_ENV, raising=False)


@pytest.mark.parametrize("given, expected, matches", [
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
])
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
    assert compared == [("Grünkohl".encode("utf-8"), "Grünkohl".encode("utf-8"))]


def test_the_environment_wins_over_secrets(monkeypatch):
    assert auth.configured_password(None) is None
    assert auth.configured_password("") is None
    assert auth.configured_password({"not": "text"}) is None
    assert auth.configured_password("aus-secrets") == "aus-secrets"
    monkeypatch.setenv(auth.PASSWORD_ENV, "aus-umgebung")
    assert auth.configured_password("aus-secrets") == "aus-umgebung"


@pytest.mark.parametrize("email, allowed, result", [
    ("pflege@example.org", ["pflege@example.org"], True),
    (" Pflege@Example.ORG ", ["pflege@example.org"], True),
    ("pflege@example.org", "andere@example.org, pflege@example.org", True),
    ("pflege@example.org", ["andere@example.org"], False),
    ("", ["pflege@example.org"], False),
    (None, ["pflege@example.org"], False),
    ("pflege@example.org", None, False),
    ("pflege@example.org", [], False),
])
def test_email_allowed(email, allowed, result):
    assert auth.email_allowed(email, allowed) is result


def test_delay_doubles_with_recent_failures_up_to_the_cap_and_forgets_old_ones():
    now = [0.0]
    delay = auth.FailedLoginDelay(base_seconds=1, cap_seconds=8, window_seconds=600, clock=lambda: now[0])
    assert [delay.register_failure() for _ in range(6)] == [1, 2, 4, 8, 8, 8]
    now[0] = 601.0  # ten minutes later the old failures no longer count
    assert delay.register_failure() == 1
    delay.reset()
    assert delay.register_failure() == 1


def test_auth_never_logs_or_prints():
    tree = ast.parse(AUTH_SOURCE.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    assert "logging" not in imported and "print" not in called
