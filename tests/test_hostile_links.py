"""Hostile links: values a page does not know are shown escaped, once, and a long link costs one short note.

A link is outside input. Its unknown values come back in a warning (Markdown), so a value like
`[Hier neu anmelden](https://evil.example/login)` must show as text, not as a link under the agency's
name, and `![t](http://127.0.0.1:8690/md.png)` must load nothing. A query of tens of thousands of
unknown values must give one warning, not one each.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geo.expose.shortlist import MAX_SHORTLIST_LENGTH, parse_shortlist
from geo.sites.filters import (
    MAX_PARAM_LENGTH,
    MAX_REPORTED_VALUES,
    ParamProblem,
    Vocabulary,
    markdown_literal,
    markdown_values,
    parse_filter_params,
)

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PHISHING = "[Hier neu anmelden](https://evil.example/login)"
TRACKING_IMAGE = "![t](http://127.0.0.1:8690/md.png)"
FIRST, SECOND = "agro-chemie-park-piesteritz", "alte-hoelle"
VOCABULARY = Vocabulary(states=("BB", "SN", "ST", "TH"), programs=("kreativort",), themes=(), zones=())
# what opens a Markdown link or image (`[`, `![`) or HTML (`<`), unless a backslash escapes it
UNESCAPED_MARKUP = re.compile(r"(?<!\\)[\[<]")


def unescaped_markup(markdown: str) -> list[str]:
    return UNESCAPED_MARKUP.findall(re.sub(r"\\\\", "", markdown))


def test_the_check_finds_unescaped_markup():
    assert unescaped_markup(PHISHING) and unescaped_markup(TRACKING_IMAGE)
    assert not unescaped_markup(markdown_values(ParamProblem("sites", PHISHING, (TRACKING_IMAGE,))))


def test_bare_addresses_do_not_become_links():
    """GitHub-flavoured Markdown links `https://…`, `www.…` and e-mail addresses in plain text, escaped or
    not; a word joiner before them keeps them text (the real browser's rendering: tests/browser)."""
    for value, start in (
        ("https://evil.example/login", "https"),
        ("(HTTP://evil.example)", "HTTP"),
        ("www.evil.example", "www"),
        ("steward@evil.example", "@"),
    ):
        shown = markdown_literal(value)
        assert "\u2060" + start in shown
        assert shown.replace("\u2060", "").replace("\\", "") == value
    assert markdown_literal("Leuna, Sachsen-Anhalt") == r"Leuna, Sachsen\-Anhalt"


def test_duplicates_merge_and_only_a_few_values_are_named():
    values = ",".join(["xx", "XX", "xx"] * 50 + [f"v{number}" for number in range(12)])
    parsed = parse_filter_params({"state": [values, "SN"]}, VOCABULARY)
    assert parsed.site_filter.states == ("SN",)
    (problem,) = parsed.problems
    assert problem.values == ("xx", "v0", "v1", "v2", "v3") and len(problem.values) == MAX_REPORTED_VALUES
    assert problem.more == 8  # v4 … v11


def test_an_overlong_parameter_is_ignored_whole_with_one_problem():
    flood = ",".join(f"u{number}" for number in range(60_000))
    started = time.perf_counter()
    parsed = parse_filter_params({"state": [flood + ",SN"], "program": ["x" * (MAX_PARAM_LENGTH + 1)]}, VOCABULARY)
    assert time.perf_counter() - started < 0.05
    assert parsed.site_filter.states == () and parsed.site_filter.programs == ()
    assert [(problem.param, problem.others, problem.more) for problem in parsed.problems] == [
        ("state", (), 0),
        ("program", (), 0),
    ]
    assert all(len(problem.value) <= 100 for problem in parsed.problems)


def test_the_shortlist_merges_unknown_ids_and_ignores_an_overlong_value():
    parsed = parse_shortlist([f"a,{PHISHING},{PHISHING},{TRACKING_IMAGE}"], ["a"])
    assert parsed.site_ids == ("a",)
    assert parsed.unknown is not None and parsed.unknown.values == (PHISHING, TRACKING_IMAGE)
    flood = ",".join(f"u{number}" for number in range(60_000))
    assert len(flood) > MAX_SHORTLIST_LENGTH
    parsed = parse_shortlist(flood, ["a"])
    assert parsed.site_ids == () and parsed.unknown is not None and parsed.unknown.more == 0


def run_page(page: str, **query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        app.query_params[key] = value
    app.switch_page(page)
    return app.run()


def test_hostile_ids_on_the_comparison_page_show_as_text():
    app = run_page("views/vergleich.py", sites=f"{FIRST},{SECOND},{PHISHING},{TRACKING_IMAGE}")
    assert not app.exception, app.exception
    (warning,) = app.warning
    assert r"evil\.example" in warning.value and "8690" in warning.value
    assert unescaped_markup(warning.value) == []
    assert app.multiselect[0].value == [FIRST, SECOND]


def test_hostile_values_on_the_map_page_show_as_text():
    app = run_page("views/karte.py", state=f"SN,{PHISHING}", program=TRACKING_IMAGE, lang="en")
    assert not app.exception, app.exception
    texts = [warning.value for warning in app.warning]
    assert len(texts) == 2 and r"evil\.example" in texts[0] and "8690" in texts[1]
    assert all(unescaped_markup(text) == [] for text in texts)


def test_sixty_thousand_unknown_values_give_one_short_warning_per_page():
    flood = ",".join(f"u{number % 30_000}" for number in range(60_000))  # 60,000 values, duplicates among them
    for page, param in (("views/karte.py", "state"), ("views/vergleich.py", "sites")):
        started = time.perf_counter()
        app = run_page(page, **{param: flood})
        elapsed = time.perf_counter() - started
        assert not app.exception, app.exception
        assert len(app.warning) == 1 and len(app.warning[0].value) < 400, page
        assert elapsed < 15, (page, elapsed)  # the page itself, with AppTest's start; 60,001 warnings took longer


def test_a_few_unknown_values_are_named_with_how_many_more():
    values = ",".join(f"zz{number}" for number in range(8))
    app = run_page("views/karte.py", state=values, lang="en")
    (warning,) = app.warning
    assert "zz0" in warning.value and "zz4" in warning.value and "zz5" not in warning.value
    assert " and 3 more" in warning.value
