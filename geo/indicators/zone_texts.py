"""The zones' legal bases and the periods of their funding facts in the page's language.

The reference data records both as the German sources write them ("InvKG § 2 Nr. 1", "bis 2038",
"Reviervereinbarung 2023"). An English page shows them in English, with the German short name of a law
or plan kept in brackets so the reader can find the original. Each rule covers one pattern of the
recorded texts; a text no rule covers is shown as recorded.
"""

from __future__ import annotations

import re

from geo.core.schema import STATE_NAMES
from geo.texts import pick, t

# (pattern of one `;`-separated part, English wording); the groups carry numbers and names over
LEGAL_BASIS_RULES_EN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^InvKG § (\d+) Nr\. (\d+)$"), r"Investment Act for Coal Regions (InvKG), section \1 no. \2"),
    (re.compile(r"^InvKG § (\d+) Abs\. (\d+)$"), r"Investment Act for Coal Regions (InvKG), section \1 (\2)"),
    (re.compile(r"^EU-Verordnung (\d{4}/\d+) \(JTF\)$"), r"Regulation (EU) \1 (Just Transition Fund, JTF)"),
    (
        re.compile(r"^EFRE/JTF-Programm (.+?) (\d{4})-(\d{4}) Prioritätsachse (\d+)$"),
        r"ERDF/JTF programme \1 \2–\3, priority axis \4",
    ),
    (re.compile(r"^EFRE/JTF-Programm (.+?) (\d{4})-(\d{4})$"), r"ERDF/JTF programme \1 \2–\3"),
    (re.compile(r"^TJTP Braunkohlerevier Lausitz$"), "Territorial Just Transition Plan, Lusatian lignite region"),
    (re.compile(r"^TJTP (.+)$"), r"Territorial Just Transition Plan \1"),
    (re.compile(r"^Territorialer Plan (.+)$"), r"Territorial Just Transition Plan \1"),
)
# the German state names a legal basis may carry, longest first ("Sachsen-Anhalt" before "Sachsen")
STATE_NAMES_EN = dict(
    sorted(((names["de"], names["en"]) for names in STATE_NAMES.values()), key=lambda pair: -len(pair[0]))
)
PERIOD_UNTIL = re.compile(r"^bis (\d{4})$")
PERIOD_AGREEMENT = re.compile(r"^Reviervereinbarung (\d{4})$")


def _english_part(part: str) -> str:
    for pattern, wording in LEGAL_BASIS_RULES_EN:
        if pattern.match(part):
            english = pattern.sub(wording, part)
            for german, english_name in STATE_NAMES_EN.items():
                english = re.sub(rf"\b{re.escape(german)}\b(?!-)", english_name, english)
            return english
    return part


def legal_basis_text(text: object, lang: str) -> str:
    """A zone's legal basis in `lang` (German as recorded)."""
    recorded = str(text or "").strip()
    english = "; ".join(_english_part(part.strip()) for part in recorded.split(";")) if recorded else ""
    return pick(lang, recorded, english)


def period_text(period: object, lang: str) -> str:
    """A funding fact's period in `lang`: year ranges stay, "bis 2038" and "Reviervereinbarung 2023" are
    worded per language."""
    recorded = str(period or "").strip()
    if match := PERIOD_UNTIL.match(recorded):
        return t("period_until", lang, year=match.group(1))
    if match := PERIOD_AGREEMENT.match(recorded):
        return t("period_regional_agreement", lang, year=match.group(1))
    return recorded
