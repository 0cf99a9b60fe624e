"""German and English texts of the app. German is the default language; every key has both.

Each area of the app keeps its strings in its own module (common, atlas, regions, present, stewardship);
`t` looks a key up in all of them. A missing key or language raises KeyError in tests, so no label can
silently appear in only one language.
"""

from __future__ import annotations

from geo.texts import atlas, common, compare, facts, present, regions, stewardship, streamlit_words

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

TEXTS: dict[str, dict[str, str]] = {}
for _module in (common, atlas, regions, present, stewardship, compare, facts, streamlit_words):
    _clash = TEXTS.keys() & _module.TEXTS.keys()
    if _clash:
        raise ValueError(f"text keys defined twice: {sorted(_clash)}")
    TEXTS.update(_module.TEXTS)


def normalize_language(value: object) -> str:
    """The language code to use for a query parameter or widget value (falls back to German)."""
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


# A text that counts something may have a singular under the same key with `_one` appended; `t` takes it
# when `count` is 1 ("1 Standort … ist", "1 site … is").
SINGULAR_SUFFIX = "_one"


def t(key: str, lang: str, **values: object) -> str:
    """The text `key` in `lang`, with `{placeholders}` filled from `values`; the singular form of the key
    (`<key>_one`) when `count` is 1 and the key has one."""
    if values.get("count") == 1 and key + SINGULAR_SUFFIX in TEXTS:
        key += SINGULAR_SUFFIX
    text = TEXTS[key][normalize_language(lang)]
    return text.format(**values) if values else text
