"""The open data API's answer time for filtered queries on many synthetic sites.

`streamlit run serve.py` (what `make run` starts, the API mounted at /api) runs on the synthetic data; one
client asks for `/api/collections/sites/items` with the atlas's filters, each request a complete HTTP
request on a kept-alive connection, answered as GeoJSON with up to 100 sites. Every measured request asks a
filter not asked before (the API remembers the sites a filter selects, per data version, as the app does,
so a repeated query would be quicker): four kinds in turn — a program and a state, a theme, a search word
(a municipality's name), a state and a theme inside a bounding box. The first requests (pygeoapi's import
and the data's first read) are warm-up and not counted. Each answer is checked: status 200 and the number
of sites the atlas's own filter selects.
"""

from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

from bench.report import Figure, percentile

PAGE_SIZE = 100
BBOX = "11.0,50.5,14.0,52.0"


def filtered_queries(sites, count: int) -> list[dict[str, str]]:
    """`count` queries on `sites` (the synthetic data), each with a filter of its own, the kinds in turn."""
    programs, states = sorted(sites["program"].unique()), sorted(sites["state_code"].unique())
    themes = sorted(sites["themes"].str.split(";").explode().dropna().unique())
    words = [name for name in sites["municipality"].value_counts().index if " " not in name and "-" not in name]
    kinds = [
        ({"program": program, "state": state} for program, state in itertools.product(programs, states)),
        ({"theme": theme} for theme in themes),
        ({"q": word} for word in words),
        ({"state": state, "theme": theme, "bbox": BBOX} for state, theme in itertools.product(states, themes)),
    ]
    queries: list[dict[str, str]] = []
    for query in itertools.chain.from_iterable(itertools.zip_longest(*kinds)):
        if query is not None and len(queries) < count:
            queries.append({**query, "limit": str(PAGE_SIZE)})
    if len(queries) < count:
        raise ValueError(f"the data offers only {len(queries)} distinct filtered queries, {count} asked")
    return queries


def expected_counts(sites, queries: list[dict[str, str]]) -> list[int]:
    """How many sites the atlas's own filter selects for each query (what the API must answer)."""
    from geo.maps.payload import filter_vocabulary
    from geo.sites.filters import filter_mask, parse_filter_params, search_text
    from geo.store.reference import read_layer, read_table

    vocabulary, zone_districts = filter_vocabulary(read_layer("zones")), read_table("zone_districts")
    texts = search_text(sites)  # folded once, as the app and the API fold them once per data version
    counts = []
    for query in queries:
        params = {name: [value] for name, value in query.items() if name not in ("limit", "bbox")}
        mask = filter_mask(sites, parse_filter_params(params, vocabulary).site_filter, zone_districts, texts)
        if "bbox" in query:
            minx, miny, maxx, maxy = (float(value) for value in query["bbox"].split(","))
            mask &= sites.geometry.x.between(minx, maxx) & sites.geometry.y.between(miny, maxy)
        counts.append(int(mask.sum()))
    return counts


def measure_api(n_sites: int, data_dir: Path, sites, requests_count: int, warmup: int) -> list[Figure]:
    import requests

    from bench.browser import running_streamlit

    queries = filtered_queries(sites, warmup + requests_count)
    expected = expected_counts(sites, queries)
    timings: list[float] = []
    with running_streamlit("serve.py", data_dir) as server, requests.Session() as session:
        url = f"{server.url}/api/collections/sites/items"
        for number in range(warmup + requests_count):
            query = queries[number]
            started = time.perf_counter()
            response = session.get(url, params=query, timeout=120)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
                "application/geo+json"
            ):
                raise RuntimeError(
                    f"{response.url} answered {response.status_code} "
                    f"({response.headers.get('content-type')}): {response.text[:300]}"
                )
            matched = response.json()["numberMatched"]
            if matched != expected[number]:
                raise RuntimeError(f"{response.url} matched {matched} sites, the atlas's filter {expected[number]}")
            if number >= warmup:
                timings.append(elapsed_ms)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    note = f"only {requests_count} requests" if requests_count < 100 else ""
    detail = {
        "requests": requests_count,
        "warmup": warmup,
        "queries_first": queries[warmup : warmup + 8],
        "matched_first": expected[warmup : warmup + 8],
        "page_size": PAGE_SIZE,
        "min_ms": round(min(timings), 1),
        "max_ms": round(max(timings), 1),
    }
    return [
        Figure(
            "api_median_ms",
            f"open data API: filtered query, {n_sites:,} sites (median)",
            round(median, 1),
            "ms",
            "–",
            None,
            detail,
            note,
        ),
        Figure(
            "api_p95_ms",
            f"open data API: filtered query, {n_sites:,} sites (p95)",
            round(p95, 1),
            "ms",
            "–",
            None,
            note=note,
        ),
    ]
