"""Benchmark reports: time to PNG for a 1,000-incident view (browser and static).

Run ``python benchmarks/bench_report.py [--quick]``.

Builds N synthetic incidents over Afghanistan and its neighbours and renders the
view with the real boundaries (``GEO_BOUNDARIES_DIR``, else the tiny squares
below).  Measured in one process:

* cold PNG through headless Chromium — the first render: loads the boundaries,
  builds the folium page, inlines Leaflet, starts the shared browser, waits for
  the "layers drawn" signal, screenshots;
* warm PNG — another view (a different time made, so a different page) with the
  browser already running: the figure the issue asks for;
* repeat PNG — the very same view again (its screenshot is reused);
* baseline: a browser launched for every render (``REUSE_BROWSER = False``, the
  previous behaviour), the same warm views;
* static PNG (matplotlib) — the fallback renderer, warm;
* page HTML alone (no browser), the floor under the browser path.

Full run: N = 1,000, 3 warm repeats.  ``--quick``: N = 200, 1 repeat.

``--large``: the PDF report of a 6,700-incident view (six months, about 3 % of them
cross-border, 400 sources) — the size of a six-month country export — with the
summary tables (default) and with the full incident list (``full_list=True``);
prints seconds, pages and MB of each.
Prints the times, incidents/s, peak RSS of this process (Chromium runs in its
own processes, reported as the children's peak RSS, which the kept browser only
reaches when it exits), and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geopandas as gpd
from shapely.geometry import box

from geo.boundaries import load_admin0, load_admin1
from geo.filters import Filters
from geo.incidents import Incident, Place, Source, incidents_to_frame
from geo.report import (
    ReportView,
    browser,
    close_browser,
    read_manifest,
    render_html,
    render_pdf,
    render_png,
)

PLACES = [
    ("AF", "Takhar", "AF-TAK", 36.7, 69.5), ("AF", "Kabul", "AF-KAB", 34.5, 69.2),
    ("AF", "Nimroz", "AF-NIM", 31.0, 62.0), ("AF", "Balkh", "AF-BAL", 36.7, 67.1),
    ("AF", "Kunar", "AF-KNR", 34.9, 71.1), ("PK", "Balochistan", "PK-BA", 29.8, 66.8),
    ("TJ", "Khatlon", "TJ-KT", 37.5, 69.0), ("UZ", "Surxondaryo", "UZ-SU", 37.5, 67.3),
]  # fmt: skip
TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]


def make_incidents(n: int, seed: int = 7) -> list[Incident]:
    """``n`` varied incidents scattered around a few provinces."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        iso2, admin1, code, lat, lon = rng.choice(PLACES)
        day = date(2022, 1, 1) + timedelta(rng.randrange(365))
        lat, lon = lat + rng.uniform(-0.8, 0.8), lon + rng.uniform(-0.8, 0.8)
        source = Source(f"s{i % 50}", publisher=f"Outlet {i % 50}")
        inc = Incident(f"bench-{i:05d}", day, f"Place {i}", lat, lon, event_type=rng.choice(TYPES))
        inc.country_iso2, inc.admin1, inc.admin1_iso = iso2, admin1, code
        inc.fatalities_best, inc.actors, inc.sources = rng.randrange(0, 40), ["Group A"], [source]
        out.append(inc)
    return out


def _boundaries() -> tuple[gpd.GeoDataFrame | None, gpd.GeoDataFrame | None, str]:
    if os.environ.get("GEO_BOUNDARIES_DIR"):
        return load_admin1(), load_admin0(), "Natural Earth (GEO_BOUNDARIES_DIR)"
    squares = gpd.GeoDataFrame(
        {"name": ["Square"], "iso2": ["SQ"], "iso_3166_2": ["SQ-1"], "country_iso2": ["SQ"]},
        geometry=[box(60, 28, 75, 40)], crs="EPSG:4326",
    )  # fmt: skip
    return squares, squares, "one square (GEO_BOUNDARIES_DIR unset)"


def _timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _median_s(fn: Any, views: list[ReportView]) -> float:
    return statistics.median(_timed(lambda v=v: fn(v))[0] for v in views)


def run(n: int, repeats: int) -> dict[str, Any]:
    """Measure the renders of one ``n``-incident view; returns the figures."""
    frame = incidents_to_frame(make_incidents(n))
    figures: dict[str, Any] = {"incidents": n, "repeats": repeats}
    engine = "browser" if browser.find_chromium() else "static"
    figures["engine"] = engine
    made = datetime(2026, 1, 1)

    def cold() -> tuple[Any, bytes]:
        provinces, countries, source = _boundaries()
        view = ReportView(frame, Filters(), provinces, countries, title="Benchmark view",
                          made_at=made)  # fmt: skip
        return (view, source), render_png(view, engine=engine)

    figures["cold_png_s"], ((view, source), png) = _timed(cold)
    figures["boundaries"] = source
    figures["renderer"] = read_manifest(png)["renderer"]
    # Each warm view is made a minute later: a new page, so nothing is reused but the browser.
    views = [replace(view, made_at=made + timedelta(minutes=k)) for k in range(1, 2 * repeats + 1)]
    figures["warm_png_s"] = _median_s(lambda v: render_png(v, engine=engine), views[:repeats])
    figures["repeat_png_s"] = _median_s(lambda v: render_png(v, engine=engine), views[:repeats])
    browser.REUSE_BROWSER = False
    browser.forget_screenshots()
    figures["baseline_fresh_browser_png_s"] = _median_s(
        lambda v: render_png(v, engine=engine), views[repeats:]
    )
    browser.REUSE_BROWSER = True
    figures["static_png_s"] = _median_s(lambda v: render_png(v, engine="static"), views[:repeats])
    html_s, page = _timed(lambda: render_html(view, screenshot=True))
    figures["baseline_html_s"] = html_s
    figures["html_mb"] = len(page.encode()) / 1e6
    figures["png_kb"] = len(png) / 1024
    figures["warm_incidents_per_s"] = n / figures["warm_png_s"]
    figures["peak_rss_mb"] = _rss_mb(resource.RUSAGE_SELF)
    close_browser()
    figures["browser_peak_rss_mb"] = _rss_mb(resource.RUSAGE_CHILDREN)
    return figures


def make_large_view(n: int = 6_700, seed: int = 11) -> list[Incident]:
    """``n`` incidents over six months of 2019, ~3 % cross-border, 400 sources.

    Shaped like a six-month country export: most events in a few provinces, the
    event types in realistic proportions, fatalities skewed low.
    """
    rng = random.Random(seed)
    weights = [30, 25, 8, 12, 10, 6, 5, 4]
    kinds, kind_w = [*TYPES, "Strategic developments"], [45, 25, 15, 5, 10]
    out = []
    for i in range(n):
        iso2, admin1, code, lat, lon = rng.choices(PLACES, weights)[0]
        day = date(2019, 1, 1) + timedelta(rng.randrange(181))
        lat, lon = lat + rng.uniform(-0.6, 0.6), lon + rng.uniform(-0.6, 0.6)
        sources = [Source(f"s{rng.randrange(400)}", publisher=f"Outlet {rng.randrange(40)}",
                          title=f"Report {i}", url=f"https://example.org/{i}")]  # fmt: skip
        inc = Incident(f"large-{i:05d}", day, f"Place {i % 900}", lat, lon,
                       event_type=rng.choices(kinds, kind_w)[0])  # fmt: skip
        inc.country_iso2, inc.admin1, inc.admin1_iso = iso2, admin1, code
        inc.fatalities_best = int(rng.expovariate(0.3))
        inc.actors, inc.sources = [f"Group {rng.randrange(6)}"], sources
        if rng.random() < 0.03:
            o_iso2, o_admin1, o_code, o_lat, o_lon = rng.choice(PLACES[5:])
            inc.origin = Place(f"Post {i % 7}", o_lat, o_lon, o_iso2, o_admin1, o_code)
            inc.target = Place(inc.location_name, lat, lon, iso2, admin1, code)
        out.append(inc)
    return out


def _pdf_pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")


def run_large(n: int) -> dict[str, Any]:
    """Time the PDF report of an ``n``-incident view: summary tables, then the full list."""
    frame = incidents_to_frame(make_large_view(n))
    provinces, countries, source = _boundaries()
    engine = "browser" if browser.find_chromium() else "static"
    figures: dict[str, Any] = {"incidents": n, "boundaries": source, "engine": engine}
    view = ReportView(frame, Filters(), provinces, countries, title="Large view",
                      made_at=datetime(2026, 1, 1))  # fmt: skip
    if "basemap" in ReportView.__dataclass_fields__ and os.environ.get("GEO_BOUNDARIES_DIR"):
        from geo.report.basemap import report_basemap
        from geo.settings import get_settings

        start = time.perf_counter()
        basemap = report_basemap(get_settings(), countries, provinces)
        figures["basemap_s"] = time.perf_counter() - start
        view = replace(view, basemap=basemap)  # type: ignore[call-arg]
    kinds = [("pdf", view, engine), ("pdf_static", replace(view, made_at=datetime(2026, 1, 2)),
             "static")]  # fmt: skip
    if "full_list" in ReportView.__dataclass_fields__:
        full = replace(view, made_at=datetime(2026, 1, 3), full_list=True)  # type: ignore[call-arg]
        kinds.append(("pdf_full_list", full, engine))
    for key, v, eng in kinds:
        seconds, pdf = _timed(lambda v=v, eng=eng: render_pdf(v, engine=eng))
        figures[f"{key}_s"], figures[f"{key}_pages"] = seconds, _pdf_pages(pdf)
        figures[f"{key}_mb"] = len(pdf) / 1e6
    png_s, _ = _timed(lambda: render_png(replace(view, made_at=datetime(2026, 1, 4)), engine))
    figures["png_s"] = png_s
    app_view = replace(view, made_at=datetime(2026, 1, 5))

    def as_the_app() -> None:  # what "Prepare report downloads" renders (pages/map.py)
        render_png(app_view)
        render_pdf(app_view)
        render_html(app_view)

    figures["app_png_pdf_html_s"], _ = _timed(as_the_app)
    close_browser()
    return figures


def main_large() -> int:
    f = run_large(6_700)
    print(f"report PDF of a {f['incidents']:,}-incident view ({f['boundaries']}):")
    for key, label in (("pdf", f"PDF ({f['engine']} map)"), ("pdf_static", "PDF (static map)"),
                       ("pdf_full_list", "PDF with the full list")):  # fmt: skip
        if f"{key}_s" in f:
            print(f"  {label:<28} {f[key + '_s']:6.2f} s  {f[key + '_pages']:4d} pages"
                  f"  {f[key + '_mb']:5.1f} MB")  # fmt: skip
    print(f"  PNG ({f['engine']}, warm browser)     {f['png_s']:6.2f} s")
    print(f"  as the app: PNG + PDF + HTML        {f['app_png_pdf_html_s']:6.2f} s")
    if "basemap_s" in f:
        print(f"  basemap (relief, water, labels) load {f['basemap_s']:6.2f} s (once per process)")
    print(json.dumps({"bench": "report_large", **f}))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 incidents, 1 repeat")
    parser.add_argument("--large", action="store_true", help="PDF of a 6,700-incident view")
    args = parser.parse_args(argv)
    if args.large:
        return main_large()
    n, repeats = (200, 1) if args.quick else (1_000, 3)
    f = run(n, repeats)
    print(f"report PNG of a {n:,}-incident view ({f['boundaries']}; engine {f['engine']}):")
    print(f"  cold PNG ({f['renderer']}, incl. boundary load)    {f['cold_png_s']:6.2f} s")
    print(f"  warm PNG (shared browser, median of {repeats})    {f['warm_png_s']:6.2f} s"
          f"  ({f['warm_incidents_per_s']:,.0f} incidents/s)")  # fmt: skip
    print(f"  repeat PNG (same view, screenshot reused) {f['repeat_png_s']:6.2f} s")
    print(f"  baseline: browser launched per render     {f['baseline_fresh_browser_png_s']:6.2f} s")
    print(f"  static PNG (matplotlib, median)           {f['static_png_s']:6.2f} s")
    print(f"  page HTML only                            {f['baseline_html_s']:6.2f} s"
          f"  ({f['html_mb']:.1f} MB)")  # fmt: skip
    print(f"  peak RSS: this process {f['peak_rss_mb']:.0f} MB, "
          f"browser children {f['browser_peak_rss_mb']:.0f} MB")  # fmt: skip
    print(json.dumps({"bench": "report", "quick": args.quick, **f}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
