"""The open data API's answer time for filtered queries on many synthetic sites.

`streamlit run serve.py` (what `make run` starts, the API mounted at /api) runs on the synthetic data; one
client asks for `/api/collections/sites/items` with the atlas's filters, taking turns between a few
queries (program and state, a theme, a typed search word, a bounding box with a program), each one a
complete HTTP request on a kept-alive connection, answered as GeoJSON with up to 100 sites. The first
requests (pygeoapi's import and the data's first read) are warm-up and not counted. Each answer is
checked: status 200 and the number of sites the atlas's own filter selects.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.report import Figure, percentile

QUERIES_PER_ROUND = 4
PAGE_SIZE = 100


def filtered_queries(sites) -> list[dict[str, str]]:
    """A few filtered queries on `sites` (the synthetic data), each finding some but not all of them."""
    program = sites["program"].value_counts().index[0]
    state = sites[sites["program"] == program]["state_code"].value_counts().index[0]
    theme = sites["themes"].str.split(";").explode().value_counts().index[0]
    word = sites["municipality"].value_counts().index[len(sites["municipality"].value_counts()) // 2]
    return [
        {"program": program, "state": state, "limit": str(PAGE_SIZE)},
        {"theme": theme, "limit": str(PAGE_SIZE)},
        {"q": word, "limit": str(PAGE_SIZE)},
        {"program": program, "bbox": "11.0,50.5,14.0,52.0", "limit": str(PAGE_SIZE)},
    ]


def expected_counts(sites, queries: list[dict[str, str]]) -> list[int]:
    """How many sites the atlas's own filter selects for each query (what the API must answer)."""
    from geo.api.data import filter_vocabulary
    from geo.reference_data import read_table
    from geo.site_filters import filter_mask, parse_filter_params

    counts = []
    for query in queries:
        params = {name: [value] for name, value in query.items() if name not in ("limit", "bbox")}
        mask = filter_mask(
            sites, parse_filter_params(params, filter_vocabulary()).site_filter, read_table("zone_districts")
        )
        if "bbox" in query:
            minx, miny, maxx, maxy = (float(value) for value in query["bbox"].split(","))
            mask &= sites.geometry.x.between(minx, maxx) & sites.geometry.y.between(miny, maxy)
        counts.append(int(mask.sum()))
    return counts


def measure_api(n_sites: int, data_dir: Path, sites, requests_count: int, warmup: int) -> list[Figure]:
    import requests

    from bench.browser import running_streamlit

    queries = filtered_queries(sites)
    expected = expected_counts(sites, queries)
    timings: list[float] = []
    with running_streamlit("serve.py", data_dir) as server, requests.Session() as session:
        url = f"{server.url}/api/collections/sites/items"
        for number in range(warmup + requests_count):
            query = queries[number % len(queries)]
            started = time.perf_counter()
            response = session.get(url, params=query, timeout=120)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{response.url} answered {response.status_code}: {response.text[:300]}")
            matched = response.json()["numberMatched"]
            if matched != expected[number % len(queries)]:
                raise RuntimeError(
                    f"{response.url} matched {matched} sites, the atlas's filter {expected[number % len(queries)]}"
                )
            if number >= warmup:
                timings.append(elapsed_ms)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    note = f"only {requests_count} requests" if requests_count < 100 else ""
    detail = {
        "requests": requests_count,
        "warmup": warmup,
        "queries": queries,
        "matched": expected,
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
