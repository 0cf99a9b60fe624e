"""The aid estimator and the figures import in words (German and English), for the pages and the
command line: one wording, one place."""

from __future__ import annotations

import pandas as pd

from geo.aid_estimate import REASON_NOT_VERIFIED, AidEstimate
from geo.formatting import format_euro, format_number, format_percent
from geo.texts import t

AID_RULES_URL = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A52021XC0429%2801%29"
BANKS_TABLE = "development_banks"


def aid_sentence(result: AidEstimate, lang: str, bank: tuple[str, str] = ("", "")) -> list[str]:
    """The answer: the amount with its percentage, or why there is none; then the caveats, the sources
    and the state's development bank (name, URL)."""
    if result.amount is None:
        key = "aid_result_not_verified" if result.reason == REASON_NOT_VERIFIED else "aid_result_no_ceiling"
        lines = [t(key, lang, district=result.district, area=result.aid_area)]
    else:
        lines = [t("aid_result", lang, amount=format_euro(result.amount, lang),
                   pct=format_percent(result.effective_pct, lang, 1 if result.large_project else 0),
                   district=result.district)]
        if result.large_project:
            lines.append(t("aid_result_large", lang, ceiling=format_percent(result.ceiling_pct, lang),
                           pct=format_percent(result.effective_pct, lang, 1)))
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
    return str(row["bank_en" if lang == "en" else "bank"]), str(row["url"])


def review_lines(review, lang: str) -> list[str]:
    """What a flat file would change (geo/figures_import.FiguresReview), as lines of text."""
    found = review.found
    indicators_text = ", ".join(sorted(found.periods)) or "–"
    periods = ", ".join(sorted(set(found.periods.values()))) or "–"
    lines = [t("figures_import_summary", lang, statistic=f"{review.flat.statistic_code} {review.flat.statistic_label}",
               rows=format_number(review.flat.rows_read, lang), values=format_number(len(review.incoming), lang),
               indicators=indicators_text, outside=format_number(found.outside_ags, lang), periods=periods)]
    markers = [f"{key}: {', '.join(districts)}" for key, districts in found.markers.items() if districts]
    if markers:
        lines.append(t("figures_import_markers", lang, districts="; ".join(markers)))
    if found.unmatched_variables:
        lines.append(t("figures_import_unmatched", lang, variables=", ".join(
            f"{code} ({label})" for code, label in found.unmatched_variables.items())))
    if review.incoming.empty:
        lines.append(t("figures_import_nothing", lang))
        return lines
    for row in review.changes.itertuples(index=False):
        old = "–" if pd.isna(row.old_value) else f"{format_number(row.old_value, lang, 1 if row.old_value % 1 else 0)} ({row.old_as_of})"
        new = f"{format_number(row.new_value, lang, 1 if row.new_value % 1 else 0)} ({row.new_as_of})"
        lines.append(f"  {row.ags} {row.district} · {row.indicator}: {old} → {new} [{t('figures_change_' + row.change, lang)}]")
    return lines
