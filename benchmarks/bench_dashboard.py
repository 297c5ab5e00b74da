"""Dashboard benchmark: 100k generated incidents across the region.

Measures, in one run:

* the map page's server-side rerun after a filter change (Streamlit AppTest on
  ``pages/map.py``), beside a rerun with nothing changed (baseline);
* what the page sends to the browser (map HTML + table + timeline data),
  beside the naive map with one marker and popup per incident (baseline,
  extrapolated from a sample);
* filtering in SQL (``Store.query``) beside pandas on the cached frame
  (``apply_filters``), which the page uses;
* peak memory (``resource.getrusage``).

Run: ``python benchmarks/bench_dashboard.py [--quick]`` (quick: 20k incidents).
Needs ``GEO_BOUNDARIES_DIR`` (the Makefile sets it). Prints a final JSON line.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

from geo import (  # noqa: E402
    Filters,
    apply_filters,
    build_map,
    load_admin0,
    load_admin1,
    open_store,
    search_text,
)
from geo.incidents import Evidence, Incident, Place, Source  # noqa: E402
from geo.maps import _point_feature, _PointLayer, popup_html  # noqa: E402
from geo.timeline import weekly_counts  # noqa: E402

PROVINCES = [
    ("AF", "Takhar", "AF-TAK", 36.7, 69.5), ("AF", "Kabul", "AF-KAB", 34.5, 69.2),
    ("AF", "Nimroz", "AF-NIM", 31.0, 62.0), ("AF", "Balkh", "AF-BAL", 36.7, 67.1),
    ("AF", "Kunar", "AF-KNR", 34.9, 71.1), ("AF", "Helmand", "AF-HEL", 31.6, 64.4),
    ("PK", "Balochistan", "PK-BA", 29.8, 66.8), ("PK", "Khyber Pakhtunkhwa", "PK-KP", 34.0, 71.5),
    ("TJ", "Khatlon", "TJ-KT", 37.5, 69.0), ("UZ", "Surxondaryo", "UZ-SU", 37.5, 67.3),
    ("IR", "Sistan and Baluchestan", "IR-13", 29.5, 60.9), ("TM", "Mary", "TM-M", 37.0, 62.5),
]  # fmt: skip
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]
ACTORS = ["Taliban", "ISKP", "TTP", "NRF", "Pakistan Army", "Tajik border guards"] + [
    f"Militia {i}" for i in range(40)
]
CLAIMS = ["reported", "claimed", "confirmed", "unconfirmed", "denied", "disputed"]
WORDS = ["rocket", "convoy", "checkpoint", "market", "border", "mosque", "school", "bridge"]


def make_incidents(start: int, n: int, seed: int) -> list[Incident]:
    """``n`` varied incidents over six years; 3 % cross-border, 5 % province-level."""
    rng = random.Random(seed)
    out = []
    for i in range(start, start + n):
        iso2, admin1, code, lat, lon = rng.choice(PROVINCES)
        cross = rng.random() < 0.03
        sid = f"src{i // 3}"
        out.append(
            Incident(
                incident_id=f"d{i}",
                event_date=date(2020, 1, 1) + timedelta(days=rng.randrange(6 * 365)),
                location_name=f"Place {rng.randrange(5000)}",
                lat=lat + rng.uniform(-0.8, 0.8),
                lon=lon + rng.uniform(-0.8, 0.8),
                event_type=rng.choice(TYPES),
                actors=rng.sample(ACTORS, rng.randint(1, 3)),
                geo_precision="province" if rng.random() < 0.05 else "exact",
                country_iso2=iso2,
                admin1=admin1,
                admin1_iso=code,
                fatalities_best=rng.choice([None, 0, 1, 2, 3, 5, 8, 13, 40]),
                claim_status=rng.choice(CLAIMS),
                origin=Place("Origin", lat, lon, "AF") if cross else None,
                target=Place("Target", lat + 0.6, lon - 0.4, "TJ") if cross else None,
                sources=[Source(sid, publisher=f"Outlet {i % 40}", url=f"https://x.example/{sid}")],
                evidence=[Evidence("event_date", "a short sentence", sid, 0, 16)],
                notes=f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
            )
        )
    return out


def fill_store(url: str, n: int) -> float:
    """Write ``n`` incidents into the store at ``url``; returns seconds."""
    t0 = time.perf_counter()
    with open_store(url) as store:
        for start in range(0, n, 5000):
            store.upsert_incidents(make_incidents(start, min(5000, n - start), start), user="bench")
    return time.perf_counter() - t0


def median_s(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Median wall time of ``fn`` over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


#: Rows of the map page's table (``pages/map.py`` MAP_TABLE_ROWS).
MAP_TABLE_ROWS = 1000

#: Filter changes made through the sidebar, as (widget kind, key, new value).
CHANGES: list[tuple[str, str, Any]] = [
    ("multiselect", "f_provinces", ["Takhar"]),
    ("multiselect", "f_provinces", []),
    ("multiselect", "f_countries", ["PK"]),
    ("multiselect", "f_countries", []),
    ("slider", "f_dates", (date(2024, 1, 1), date(2024, 12, 31))),
    ("multiselect", "f_types", ["Battles"]),
    ("text_input", "f_q", "rocket"),
    ("checkbox", "f_cross", True),
]


def bench_rerun(db_url: str) -> dict[str, float]:
    """Seconds per map-page rerun: after each filter change, and with no change."""
    from streamlit.testing.v1 import AppTest

    os.environ["GEO_DATABASE_URL"] = db_url
    at = AppTest.from_file(str(REPO / "pages" / "map.py"), default_timeout=300)
    t0 = time.perf_counter()
    at.run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"map page failed: {at.exception}")
    changed = []
    for kind, key, value in CHANGES:
        widget = getattr(at, kind)(key=key)
        widget.set_value(value)
        t0 = time.perf_counter()
        at.run()
        changed.append(time.perf_counter() - t0)
        if at.exception:
            raise RuntimeError(f"map page failed after {key}={value!r}: {at.exception}")
    unchanged = median_s(at.run, 3)
    return {
        "cold_first_run_s": round(cold, 3),
        "filter_change_median_s": round(statistics.median(changed), 3),
        "filter_change_max_s": round(max(changed), 3),
        "baseline_unchanged_rerun_s": round(unchanged, 3),
    }


def _arrow_bytes(frame: pd.DataFrame) -> int:
    import pyarrow as pa

    sink = io.BytesIO()
    table = pa.Table.from_pandas(pd.DataFrame(frame).drop(columns="geometry", errors="ignore"))
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return len(sink.getvalue())


def page_bytes(shown: Any, everything: Any, provinces: Any, countries: Any) -> dict[str, float]:
    """MB the map page sends for ``shown``: map HTML, table (1000 rows), timeline data."""
    html = build_map(shown, provinces, countries, asset_base="/app/static/vendor", extra_tiles=True)
    map_mb = len(html.get_root().render().encode("utf-8")) / 1e6
    table_mb = _arrow_bytes(shown.head(MAP_TABLE_ROWS)) / 1e6
    timeline_mb = len(weekly_counts(everything).to_json(date_format="iso").encode("utf-8")) / 1e6
    return {
        "map_mb": round(map_mb, 3),
        "table_mb": round(table_mb, 3),
        "timeline_mb": round(timeline_mb, 3),
        "total_mb": round(map_mb + table_mb + timeline_mb, 3),
    }


def naive_map_mb(frame: Any, sample: int = 2000) -> float:
    """MB of one marker and popup per incident (baseline), extrapolated from ``sample`` rows."""
    part = frame.head(sample)
    feats = [
        _point_feature(r.geometry.y, r.geometry.x, {"r": 5, "c": "#d62728", "popup": popup_html(r)})
        for _, r in part.iterrows()
    ]
    return round(
        len(_PointLayer(feats, 0.75, 1).data.encode("utf-8")) / 1e6 * len(frame) / sample, 1
    )


FILTERS = {
    "province": Filters(provinces=("Takhar",)),
    "country+year": Filters(countries=("AF",), date_from=date(2024, 1, 1),
                            date_to=date(2024, 12, 31)),
    "type+min fatalities": Filters(event_types=("Battles",), min_fatalities=5),
    "text": Filters(text="rocket"),
    "nothing": Filters(),
}  # fmt: skip


def bench_filter_paths(db_url: str, frame: Any) -> dict[str, dict[str, float]]:
    """Seconds per filter: SQL in the store beside pandas on the cached frame."""
    out: dict[str, dict[str, float]] = {}
    index = search_text(frame)  # the page builds this once per data version
    with open_store(db_url) as store:
        for name, flt in FILTERS.items():
            out[name] = {
                "store_query_s": round(median_s(lambda f=flt: store.query(f)), 3),
                "pandas_cached_s": round(
                    median_s(lambda f=flt: apply_filters(frame, f, None, index)), 3
                ),
                "rows": len(apply_filters(frame, flt)),
            }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k incidents instead of 100k")
    args = parser.parse_args(argv)
    if not os.environ.get("GEO_BOUNDARIES_DIR"):
        print("bench_dashboard: set GEO_BOUNDARIES_DIR (make bench does)", file=sys.stderr)
        return 2
    n = 20_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'incidents.db'}"
        fill_s = fill_store(db_url, n)
        print(f"store: {n} incidents written in {fill_s:.1f} s")
        with open_store(db_url) as store:
            frame = store.query()
        provinces, countries = load_admin1(), load_admin0()
        paths = bench_filter_paths(db_url, frame)
        print("filtering (s): SQL store.query vs pandas on the cached frame (used by the page)")
        for name, fig in paths.items():
            print(f"  {name:22s} sql {fig['store_query_s']:.3f}"
                  f"  pandas {fig['pandas_cached_s']:.3f}  rows {fig['rows']}")  # fmt: skip
        payload = {
            "everything": page_bytes(frame, frame, provinces, countries),
            "province": page_bytes(
                apply_filters(frame, FILTERS["province"]), frame, provinces, countries
            ),
        }
        naive = naive_map_mb(frame)
        for view, fig in payload.items():
            print(f"page payload, {view:10s}: {fig['total_mb']:.2f} MB (map {fig['map_mb']:.2f}, "
                  f"table {fig['table_mb']:.2f}, timeline {fig['timeline_mb']:.3f})"
                  f"  [target ≤ 5 MB]")  # fmt: skip
        print(f"  baseline: one marker + popup per incident would be ~{naive:.0f} MB")
        rerun = bench_rerun(db_url)
        print(f"map page rerun after a filter change: median"
              f" {rerun['filter_change_median_s']:.2f} s,"
              f" max {rerun['filter_change_max_s']:.2f} s  [target ≤ 1.5 s]; baseline rerun with no"
              f" change {rerun['baseline_unchanged_rerun_s']:.2f} s; cold first run"
              f" {rerun['cold_first_run_s']:.2f} s")  # fmt: skip
    figures = {
        "bench": "dashboard",
        "incidents": n,
        "fill_s": round(fill_s, 1),
        "rerun": rerun,
        "payload": payload,
        "naive_map_mb": naive,
        "filters": paths,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    print(f"peak memory: {figures['peak_rss_mb']} MB")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
