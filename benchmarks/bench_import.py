"""Benchmark imports: the UCDP GED dev set and N generated ACLED rows, stage by stage,
beside the store's own insert rate.

Run ``python benchmarks/bench_import.py [--quick] [--rows N]``.

Stages, each timed on its own (wall clock, median of ``--repeat`` passes; the CPU
time of the whole run is printed too, since the machine is often shared):

1. read   — ``read_table(kind, path, provinces=False)``: CSV parsing, row mapping, flags;
2. place  — ``fill_provinces``: country and province codes from the boundaries
   (needs ``GEO_BOUNDARIES_DIR`` or the cached download; skipped without);
3. store  — ``import_incidents`` into a new SQLite store (10,000 rows a transaction),
   which is ``Store.upsert_incidents``: the store's insert rate for these incidents.

Full run: the dev set (3,035 UCDP events, ``../shared/data/devsets``; UCDP GED,
CC BY 4.0, Sundberg & Melander 2013 and Davies et al. 2024, ucdp.uu.se) and 100,000
generated ACLED rows.  ``--quick``: 10,000 ACLED rows.  Prints a table and a final JSON
line with the figures.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo._errors import GeoError
from geo.importers import ACLED_COLUMNS, fill_provinces, read_table
from geo.pipeline import import_incidents
from geo.settings import get_settings
from geo.store import open_store
from tests.test_importers import acled_rows, write_csv

DEVSET = Path(__file__).resolve().parents[2] / "shared/data/devsets/ucdp_ged_pakistan_dev.csv"


class _Clock:
    """Wall and CPU seconds of one timed block."""

    def __enter__(self) -> _Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def _median(clocks: list[_Clock]) -> tuple[float, float]:
    return statistics.median(c.wall for c in clocks), statistics.median(c.cpu for c in clocks)


def _boundaries_ok() -> bool:
    from geo.boundaries import load_admin1

    try:
        load_admin1(get_settings())
    except GeoError:
        return False
    return True


def bench_file(kind: str, path: Path, repeat: int, folder: Path) -> dict[str, Any]:
    """Time read, place and store for one file; returns rows, seconds and rows/s."""
    clocks = []
    for _ in range(repeat):
        with _Clock() as clock:
            report = read_table(kind, path, provinces=False)
        clocks.append(clock)
    read_s, read_cpu = _median(clocks)
    rows = len(report.incidents)
    out: dict[str, Any] = {"kind": kind, "rows": report.rows, "kept": rows,
                           "skipped": report.skipped, "read_s": read_s,
                           "read_cpu_s": read_cpu}  # fmt: skip
    if _boundaries_ok():
        fill_provinces(copy.deepcopy(report.incidents[:50]))  # warm: boundaries loaded once
        clocks = []
        for _ in range(repeat):
            fresh = copy.deepcopy(report.incidents)  # untimed: every pass fills from scratch
            with _Clock() as clock:
                fill_provinces(fresh)
            clocks.append(clock)
        out["place_s"], out["place_cpu_s"] = _median(clocks)
    fill_provinces(report.incidents)
    clocks = []
    for n in range(repeat):
        url = f"sqlite:///{folder / f'{kind}-{n}.db'}"
        with open_store(url) as store, _Clock() as clock:
            summary = import_incidents(store, report.incidents, chunk_size=10_000)
        clocks.append(clock)
    out["store_s"], out["store_cpu_s"] = _median(clocks)
    out["stored"] = summary.new
    stages = [s for s in ("read", "place", "store") if f"{s}_s" in out]
    out["total_s"] = sum(out[f"{s}_s"] for s in stages)
    out["total_cpu_s"] = sum(out[f"{s}_cpu_s"] for s in stages)
    for stage in (*stages, "total"):
        for kind_ in ("", "cpu_"):
            seconds = out[f"{stage}_{kind_}s"]
            out[f"{stage}_{kind_}rows_per_s"] = round(rows / seconds) if rows and seconds else 0
    return out


def _print(result: dict[str, Any]) -> None:
    print(f"\n{result['kind']}: {result['rows']} row(s), {result['kept']} kept, "
          f"{result['skipped']} skipped, {result['stored']} stored")  # fmt: skip
    print("  stage      wall s     rows/s   |   CPU s   rows/CPU-s")
    for stage in ("read", "place", "store", "total"):
        if f"{stage}_s" in result:
            wall, cpu = result[f"{stage}_s"], result[f"{stage}_cpu_s"]
            rate, cpu_rate = result[f"{stage}_rows_per_s"], result[f"{stage}_cpu_rows_per_s"]
            print(f"  {stage:6} {wall:9.2f} {rate:>10,}   | {cpu:7.2f} {cpu_rate:>11,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 ACLED rows")
    parser.add_argument("--rows", type=int, help="generated ACLED rows (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="passes per stage (median)")
    args = parser.parse_args(argv)
    cpu = time.process_time()
    n = args.rows or (10_000 if args.quick else 100_000)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if DEVSET.exists():
            results.append(bench_file("ucdp", DEVSET, args.repeat, folder) | {"file": "dev set"})
        else:
            print(f"(dev set not found at {DEVSET}; skipped)")
        path = write_csv(folder / "acled.csv", ACLED_COLUMNS, acled_rows(n, seed=11))
        results.append(bench_file("acled", path, args.repeat, folder) | {"file": f"{n} generated"})
    for result in results:
        _print(result)
    cpu = time.process_time() - cpu
    print(f"\nCPU time of the whole run (every pass and the file generation): {cpu:.1f} s")
    print(json.dumps({"bench": "import", "cpu_s": round(cpu, 2), "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
