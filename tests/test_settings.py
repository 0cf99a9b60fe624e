"""Numbers read from environment variables: a typo never stops the atlas nor switches a limit off."""

from __future__ import annotations

import logging

import pytest

from geo.core.settings import number_setting, whole_number_setting
from geo.imports import reading_base, worker
from geo.store import contract

NAME = "STANDORTATLAS_TEST_SETTING"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, 300.0),
        ("", 300.0),
        ("  ", 300.0),
        ("12.5", 12.5),
        (" 40 ", 40.0),
        ("0", 1.0),
        ("-5", 1.0),
        ("zehn", 300.0),
        ("nan", 300.0),
        ("inf", 300.0),
        ("-inf", 300.0),
        ("1e400", 300.0),
    ],
)
def test_a_number_setting_falls_back_to_its_default_and_never_below_its_minimum(monkeypatch, text, expected):
    if text is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, text)
    assert number_setting(NAME, 300.0, minimum=1.0) == expected


def test_an_unusable_setting_is_logged_with_its_name(monkeypatch, caplog):
    monkeypatch.setenv(NAME, "zehn")
    with caplog.at_level(logging.WARNING, logger="geo.core.settings"):
        number_setting(NAME, 3.0, minimum=1.0)
    assert NAME in caplog.text and "'zehn'" in caplog.text


def test_a_whole_number_setting_cuts_a_fraction(monkeypatch):
    monkeypatch.setenv(NAME, "7.9")
    assert whole_number_setting(NAME, 3, minimum=1) == 7
    assert isinstance(whole_number_setting(NAME, 3, minimum=1), int)


def test_the_import_limits_read_their_variables(monkeypatch):
    monkeypatch.setenv(reading_base.MAX_UPLOAD_ENV, "2")
    monkeypatch.setenv(reading_base.MAX_ROWS_ENV, "0")
    monkeypatch.setenv(worker.CHECK_SECONDS_ENV, "inf")
    monkeypatch.setenv(worker.CHECK_MEMORY_ENV, "10")
    assert reading_base.max_upload_bytes() == 2 * 1024 * 1024
    assert reading_base.max_import_rows() == 1
    assert worker.check_seconds() == worker.DEFAULT_CHECK_SECONDS  # no check without a time limit
    assert worker.check_memory_mb() == 64


def test_fewer_kept_versions_than_the_default_are_not_allowed(monkeypatch):
    monkeypatch.setenv("STANDORTATLAS_KEEP_VERSIONS", "2")
    assert contract.keep_versions() == contract.DEFAULT_KEEP_VERSIONS
    monkeypatch.setenv("STANDORTATLAS_KEEP_VERSIONS", str(contract.DEFAULT_KEEP_VERSIONS + 5))
    assert contract.keep_versions() == contract.DEFAULT_KEEP_VERSIONS + 5
