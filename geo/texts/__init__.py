"""German and English texts of the app. German is the default language; every key has both.

Each area of the app keeps its strings in its own module (common, atlas, regions, present, stewardship);
`t` looks a key up in all of them. A missing key or language raises KeyError in tests, so no label can
silently appear in only one language.
"""

from __future__ import annotations

from typing import NamedTuple, TypeVar

from geo.core.formatting import format_number
from geo.texts import (
    accounts,
    api,
    atlas,
    commands,
    common,
    compare,
    facts,
    figures,
    imports,
    present,
    proposals,
    provenance,
    regions,
    site_rules,
    stewardship,
    streamlit_words,
)

LANGUAGES = ("de", "en")
T = TypeVar("T")
DEFAULT_LANGUAGE = "de"

TEXTS: dict[str, dict[str, str]] = {}
for _module in (
    common,
    atlas,
    regions,
    present,
    stewardship,
    compare,
    facts,
    imports,
    site_rules,
    commands,
    provenance,
    api,
    figures,
    streamlit_words,
    accounts,
    proposals,
):
    _clash = TEXTS.keys() & _module.TEXTS.keys()
    if _clash:
        raise ValueError(f"text keys defined twice: {sorted(_clash)}")
    TEXTS.update(_module.TEXTS)


def normalize_language(value: object) -> str:
    """The language code to use for a query parameter or widget value (falls back to German)."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def pick(lang: str, de: T, en: T) -> T:
    """`de` or `en`, by the page's language: for data that carries its own wording in both languages (an
    indicator's name, a vocabulary's labels, a zone's English name). Fixed wording belongs in TEXTS."""
    return en if normalize_language(lang) == "en" else de


def language_param(lang: str) -> dict[str, str]:
    """The `lang` parameter of a link to a page in `lang` (none for the default language)."""
    lang = normalize_language(lang)
    return {} if lang == DEFAULT_LANGUAGE else {"lang": lang}


# A text that counts something may have a singular under the same key with `_one` appended; `t` takes it
# when `count` is 1 ("1 Standort … ist", "1 site … is").
SINGULAR_SUFFIX = "_one"


def t(key: str, lang: str, /, **values: object) -> str:
    """The text `key` in `lang`, with `{placeholders}` filled from `values` (`Num` values as numbers of `lang`);
    the singular form of the key (`<key>_one`) when `count` is 1 and the key has one."""
    count = values.get("count")
    if (count.value if isinstance(count, Num) else count) == 1 and key + SINGULAR_SUFFIX in TEXTS:
        key += SINGULAR_SUFFIX
    text = TEXTS[key][normalize_language(lang)]
    return text.format(**_localised(values, lang)) if values else text


class Num(NamedTuple):
    """A number for a text, written in each language by the one formatter (1.234,5 / 1,234.5)."""

    value: float | int | None
    decimals: int = 0
    grouping: bool = True


class Text(NamedTuple):
    """A text inside a text: the key `key` with its `values`, written in the language of the outer text."""

    key: str
    values: dict[str, object] = {}


def _localised(values: dict[str, object], lang: str) -> dict[str, object]:
    def one(value: object) -> object:
        if isinstance(value, Num):
            return format_number(value.value, lang, value.decimals, grouping=value.grouping)
        if isinstance(value, Text):
            return t(value.key, lang, **value.values)
        if callable(value):  # a wording of its own per language, e.g. geo.core.schema.four_states_label
            return value(lang)
        return value

    return {name: one(value) for name, value in values.items()}


def both(key: str, /, **values: object) -> tuple[str, str]:
    """The text `key` in German and in English, for messages that carry both (an import's problems, the
    command line's output); `Num` values are written in each language's way."""
    return (
        t(key, "de", **_localised(values, "de")),
        t(key, "en", **_localised(values, "en")),
    )
