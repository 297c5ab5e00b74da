"""Dashboard benchmark: 100k generated incidents across the region.

Measures, in one run:

* in headless Chromium against the running app (``streamlit run app.py``),
  at 100k and 6,700 incidents, from navigation to the map drawn:

  - ``first_load_cold_server_s``: the first view after the server starts
    (server caches and browser cache cold; one load);
  - ``first_view_cold_browser_cache_s``: a first view in a fresh browser
    context with the server warm, as for an analyst who opens the app for
    the first time (every Streamlit script chunk is downloaded; median of 3);
  - ``repeat_view_s``: the app opened again in new tabs of the same context,
    server and browser HTTP cache warm, as for an analyst who comes back
    (Streamlit serves its scripts ``immutable``, so they come from the cache;
    median of 9, 3 per context);

  and bytes received for each, filter change to map drawn, and bytes
  received per rerun; with ``--before DIR`` an earlier checkout is measured
  beside this one;
* the map page's server-side rerun after a filter change (Streamlit AppTest on
  ``pages/map.py``), beside a rerun with nothing changed (baseline);
* what the page sends to the browser (map HTML + table + timeline data),
  beside the naive map with one marker and popup per incident (baseline,
  extrapolated from a sample);
* filtering in SQL (``Store.query``) beside pandas on the cached frame
  (``apply_filters``), which the page uses;
* peak memory (``resource.getrusage``).

Run: ``python benchmarks/bench_dashboard.py [--quick] [--before DIR] [--browser-only]``
(quick: 20k incidents; ``--before``: also measure another checkout in the same run).
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
from geo.maps import popup_html  # noqa: E402
from geo.timeline import timeline_bin, timeline_counts  # noqa: E402

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
    dates = pd.to_datetime(everything["event_date"])
    counts = timeline_counts(everything, timeline_bin(dates.min(), dates.max()))
    timeline_mb = len(counts.to_json(date_format="iso").encode("utf-8")) / 1e6
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
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.geometry.x, r.geometry.y]},
            "properties": {"r": 5, "c": "#d62728", "popup": popup_html(r)},
        }
        for _, r in part.iterrows()
    ]
    return round(len(json.dumps(feats).encode("utf-8")) / 1e6 * len(frame) / sample, 1)


#: A map is drawn when the st_folium iframe's Leaflet map exists, is not the map
#: from before the last change, and has no layer data still loading.
MAP_DRAWN_JS = """() => {
  const f = [...document.querySelectorAll('iframe')]
    .find(f => (f.title || '').includes('st_folium'));
  const w = f && f.contentWindow;
  if (!w || !w.map || w.map.__benchOld || w.__geoPending) { return false; }
  return w.map.getSize().x > 0;
}"""
MARK_OLD_JS = """() => {
  const f = [...document.querySelectorAll('iframe')]
    .find(f => (f.title || '').includes('st_folium'));
  if (f && f.contentWindow && f.contentWindow.map) { f.contentWindow.map.__benchOld = true; }
}"""
TWO_FRAMES_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class _Bytes:
    """Bytes received by a page (HTTP bodies and WebSocket frames), from the DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.http = 0
        self.ws = 0
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._http)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _http(self, event: dict[str, Any]) -> None:
        self.http += int(event.get("encodedDataLength") or 0)

    def _frame(self, event: dict[str, Any]) -> None:
        resp = event.get("response") or {}
        data = resp.get("payloadData") or ""
        # Binary frames (Streamlit's protobuf messages) come base64-encoded.
        self.ws += len(data) * 3 // 4 if resp.get("opcode") == 2 else len(data)

    def total(self) -> int:
        return self.http + self.ws


def _wait_drawn(page: Any, timeout_s: float = 120) -> None:
    page.wait_for_function(MAP_DRAWN_JS, timeout=timeout_s * 1000, polling=50)
    frame = page.locator("iframe[title*='st_folium']").first.element_handle().content_frame()
    frame.evaluate(TWO_FRAMES_JS)


def _view(context: Any, url: str) -> tuple[float, int]:
    """Seconds from navigation to the map drawn, and bytes received, in a new tab of ``context``."""
    page = context.new_page()
    meter = _Bytes(page)
    t0 = time.perf_counter()
    page.goto(url, timeout=300_000)
    _wait_drawn(page, 300)
    seconds = time.perf_counter() - t0
    page.wait_for_timeout(300)
    page.close()
    return seconds, meter.total()


def _views(
    browser: Any, url: str, repeats: int = 3
) -> tuple[tuple[float, int], list[tuple[float, int]]]:
    """A first view in a fresh browser context (cold browser cache), then ``repeats`` repeat views.

    The repeat views open the app again in new tabs of the same context, as an
    analyst who comes back does: Streamlit's static files are served
    ``immutable`` and come from the browser's HTTP cache, so only the page's
    own messages travel.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        first = _view(context, url)
        return first, [_view(context, url) for _ in range(repeats)]
    finally:
        context.close()


def _filter_changes(browser: Any, url: str, times: int = 4) -> tuple[list[float], list[int]]:
    """Seconds and bytes from ticking "Cross-border only" to the new map drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url, timeout=300_000)
    _wait_drawn(page, 300)
    page.wait_for_timeout(1000)
    meter = _Bytes(page)
    secs, sent = [], []
    toggle = page.get_by_text("Cross-border only")
    for _ in range(times):
        page.evaluate(MARK_OLD_JS)
        before = meter.total()
        t0 = time.perf_counter()
        toggle.click()
        _wait_drawn(page, 120)
        secs.append(time.perf_counter() - t0)
        page.wait_for_timeout(1500)  # the rerun's last messages (table, timeline)
        sent.append(meter.total() - before)
    context.close()
    return secs, sent


def bench_browser(repo: Path, db_url: str, label: str) -> dict[str, float]:
    """The app of ``repo`` against the store at ``db_url`` in headless Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server

    with streamlit_server({"GEO_DATABASE_URL": db_url}, repo=repo) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            (cold_s, _), _ = _views(browser, url, repeats=0)
            runs = [_views(browser, url) for _ in range(3)]
            secs, sent = _filter_changes(browser, url)
        finally:
            browser.close()
    first = [view for view, _ in runs]
    repeat = [view for _, views in runs for view in views]
    out = {
        "first_load_cold_server_s": round(cold_s, 2),
        "first_view_cold_browser_cache_s": round(statistics.median(s for s, _ in first), 2),
        "first_view_mb": round(statistics.median(b for _, b in first) / 1e6, 2),
        "repeat_view_s": round(statistics.median(s for s, _ in repeat), 2),
        "repeat_view_mb": round(statistics.median(b for _, b in repeat) / 1e6, 2),
        "filter_change_median_s": round(statistics.median(secs), 2),
        "filter_change_max_s": round(max(secs), 2),
        "rerun_mb_median": round(statistics.median(sent) / 1e6, 3),
        "rerun_mb_max": round(max(sent) / 1e6, 3),
    }
    print(f"  [{label}] {json.dumps(out)}", flush=True)
    return out


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


def _store_at(folder: Path, n: int) -> tuple[str, float]:
    """A store of ``n`` generated incidents in ``folder``, written once and reused."""
    path = folder / f"incidents-{n}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return url, 0.0
    return url, fill_store(url, n)


def browser_section(folder: Path, n: int, small: int, before: Path | None) -> dict[str, Any]:
    """Browser figures at ``n`` and ``small`` incidents, for this checkout and ``before``."""
    out: dict[str, Any] = {}
    for size in (n, small):
        url, fill_s = _store_at(folder, size)
        how = f"written in {fill_s:.1f} s" if fill_s else "reused"
        print(f"store: {size} incidents ({how})")
        runs = {"after": REPO} if before is None else {"before": before, "after": REPO}
        out[str(size)] = {name: bench_browser(repo, url, f"{name}, {size}")
                          for name, repo in runs.items()}  # fmt: skip
    return out


TARGETS = (
    "in headless Chromium against the running app (targets, server warm: 100k first view"
    " ≤ 4 s, filter change ≤ 1.5 s, ≤ 2 MB per rerun; 6,700 first view ≤ 2 s)"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20k incidents instead of 100k")
    parser.add_argument(
        "--before", type=Path, help="another checkout (e.g. `git archive` of main) to measure too"
    )
    parser.add_argument("--workdir", type=Path, help="keep the generated stores here for reuse")
    parser.add_argument("--browser-only", action="store_true", help="skip the server-side figures")
    args = parser.parse_args(argv)
    if not os.environ.get("GEO_BOUNDARIES_DIR"):
        print("bench_dashboard: set GEO_BOUNDARIES_DIR (make bench does)", file=sys.stderr)
        return 2
    n = 20_000 if args.quick else 100_000
    figures: dict[str, Any] = {"bench": "dashboard", "incidents": n}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(TARGETS)
        figures["browser"] = browser_section(folder, n, 6_700, args.before)
        if not args.browser_only:
            figures.update(server_section(f"sqlite:///{folder / f'incidents-{n}.db'}", n))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(f"peak memory: {figures['peak_rss_mb']} MB")
    print(json.dumps(figures))
    return 0


def server_section(db_url: str, n: int) -> dict[str, Any]:
    """Server-side figures: filtering paths, page payload, AppTest reruns."""
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
    for view, fig in payload.items():
        print(f"page payload, {view:10s}: {fig['total_mb']:.2f} MB (map {fig['map_mb']:.2f}, "
              f"table {fig['table_mb']:.2f}, timeline {fig['timeline_mb']:.3f})")  # fmt: skip
    rerun = bench_rerun(db_url)
    print(f"map page rerun after a filter change (server only): median"
          f" {rerun['filter_change_median_s']:.2f} s, max {rerun['filter_change_max_s']:.2f} s;"
          f" no change {rerun['baseline_unchanged_rerun_s']:.2f} s; cold first run"
          f" {rerun['cold_first_run_s']:.2f} s")  # fmt: skip
    return {"rerun": rerun, "payload": payload, "filters": paths, "incidents": n}


if __name__ == "__main__":
    sys.exit(main())
