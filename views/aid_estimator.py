"""The aid estimator beside a site's profile and on the comparison page: an amount and a firm size in,
the maximum regional aid out (geo/expose/aid_estimate.py), with its caveats, sources and the state's bank."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.expose.aid_estimate import FIRM_SIZES, MAX_ELIGIBLE_EUR, AidEstimate, estimate_aid
from geo.expose.aid_text import BANKS_TABLE, aid_sentence, bank_for
from geo.expose.profile import safe_url
from geo.sites.filters import markdown_literal
from geo.texts import t
from views.data import profile_tables, reference_table, sites

STEP_EUR = 100_000.0


def _inputs(lang: str, key: str) -> tuple[float | None, str]:
    amount = st.number_input(
        t("aid_investment", lang),
        min_value=0.0,
        max_value=MAX_ELIGIBLE_EUR,
        value=None,
        step=STEP_EUR,
        format="%.0f",
        key=f"{key}_amount",
        placeholder="10000000",
    )
    size = st.radio(
        t("aid_size", lang),
        FIRM_SIZES,
        horizontal=True,
        key=f"{key}_size",
        format_func=lambda code: t(f"aid_size_{code}", lang),
    )
    return amount, size


def _answer(result: AidEstimate, lang: str, state_code: str) -> None:
    bank = bank_for(reference_table(BANKS_TABLE), state_code, lang)
    first, *rest = aid_sentence(result, lang, bank)
    (st.success if result.amount is not None else st.warning)(markdown_literal(first, max_length=None))
    for line in rest:
        label, _, url = line.rpartition(": ")
        if safe_url(url):
            st.caption(f"[{markdown_literal(label, max_length=None)}]({safe_url(url)})")
        else:
            st.caption(markdown_literal(line, max_length=None))


def site_aid_estimator(site_id: str, lang: str, key: str) -> None:
    """The estimator for one site's district, folded under its heading."""
    rows = sites().loc[lambda frame: frame["site_id"] == site_id, "district_ags"]
    district = profile_tables().district(rows.iloc[0]) if len(rows) else None
    if district is None:
        return
    with st.expander(t("aid_estimator_heading", lang), icon=":material/calculate:"):
        amount, size = _inputs(lang, key)
        if amount is None or amount <= 0:
            st.caption(t("aid_input_invalid", lang))
            return
        _answer(estimate_aid(district.to_dict(), amount, size), lang, str(district.get("state_code")))


def comparison_aid_estimator(sites: pd.DataFrame, lang: str, key: str = "comparison_aid") -> None:
    """One amount and size for all compared sites: a table of the maximum aid per site."""
    st.subheader(t("aid_compare_heading", lang))
    amount, size = _inputs(lang, key)
    if amount is None or amount <= 0:
        st.caption(t("aid_input_invalid", lang))
        return
    for _, site in sites.iterrows():
        district = profile_tables().district(site.get("district_ags"))
        if district is None:
            continue
        st.markdown(f"**{markdown_literal(site['name'], max_length=None)}**")
        _answer(estimate_aid(district.to_dict(), amount, size), lang, str(district.get("state_code")))
