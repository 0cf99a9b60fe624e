"""The aid estimator in words (German and English), for the pages and the command line: one wording, one
place."""

from __future__ import annotations

import pandas as pd

from geo.core.formatting import format_euro, format_percent
from geo.expose.aid_estimate import REASON_NOT_VERIFIED, AidEstimate
from geo.texts import pick, t

AID_RULES_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A52021XC0429%2801%29"
BANKS_TABLE = "development_banks"


def aid_sentence(result: AidEstimate, lang: str, bank: tuple[str, str] = ("", "")) -> list[str]:
    """The answer: the amount with its percentage, or why there is none; then the caveats, the sources
    and the state's development bank (name, URL)."""
    if result.amount is None:
        key = "aid_result_not_verified" if result.reason == REASON_NOT_VERIFIED else "aid_result_no_ceiling"
        lines = [t(key, lang, district=result.district, area=result.aid_area)]
    else:
        lines = [
            t(
                "aid_result",
                lang,
                amount=format_euro(result.amount, lang),
                pct=format_percent(result.effective_pct, lang, 1 if result.large_project else 0),
                district=result.district,
            )
        ]
        if result.large_project:
            lines.append(
                t(
                    "aid_result_large",
                    lang,
                    ceiling=format_percent(result.ceiling_pct, lang),
                    pct=format_percent(result.effective_pct, lang, 1),
                )
            )
    lines.append(t("aid_caveats", lang))
    if result.source_url:
        lines.append(f"{t('aid_ceiling_source', lang)}: {result.source_url}")
    lines.append(f"{t('aid_rules_source', lang)}: {AID_RULES_URL}")
    if bank[0]:
        lines.append(f"{t('aid_bank', lang, bank=bank[0])}: {bank[1]}")
    return lines


def bank_for(banks: pd.DataFrame, state_code: str, lang: str) -> tuple[str, str]:
    """(name, URL) of the state's development bank, or ("", "")."""
    rows = banks.loc[banks["state_code"] == state_code]
    if rows.empty:
        return "", ""
    row = rows.iloc[0]
    return str(pick(lang, row["bank"], row["bank_en"])), str(row["url"])
