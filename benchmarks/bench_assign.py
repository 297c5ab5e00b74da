"""Benchmark: province assignment throughput and peak memory.

Draws N random points in the region (58–80 E, 23–43 N, fixed seed) and times, in the
same run and on the same points:

* ``raw_strtree``: the bare shapely operation the code wraps — ``STRtree.query`` of the
  points against the admin-1 polygons with ``predicate="intersects"`` (no bookkeeping);
* ``assign``: :func:`geo.boundaries.assign` — country, province, ISO code, border
  handling through admin-0, nearest province within the tolerance, status and reason.

The ratio ``assign / raw`` is the figure to watch (aim: at least 0.7).  Index building
(loading files, STRtrees, prepared and eroded polygons) is timed apart, once.

Usage: ``python benchmarks/bench_assign.py [--quick] [--n N]``; needs GEO_BOUNDARIES_DIR.
Prints one line per pass and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import boundaries
from geo.settings import get_settings


def _points(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20220611)
    return rng.uniform(58, 80, n), rng.uniform(23, 43, n)


def _timed(fn, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="100k points, one repeat")
    parser.add_argument("--n", type=int, default=None, help="number of points (default 1M)")
    args = parser.parse_args()
    n = args.n or (100_000 if args.quick else 1_000_000)
    repeat = 1 if args.quick else 3
    settings = get_settings()
    if settings.boundaries_dir is None:
        sys.exit("bench_assign: set GEO_BOUNDARIES_DIR to the boundary files")

    start = time.perf_counter()
    _, layer1, _ = boundaries._layers(settings)
    build_s = time.perf_counter() - start
    x, y = _points(n)

    def raw() -> object:
        return layer1.tree.query(shapely.points(x, y), predicate="intersects")

    def ours() -> object:
        return boundaries.assign(x, y, settings=settings)

    raw_s, _ = _timed(raw, repeat)
    ours_s, out = _timed(ours, repeat)
    statuses = out["assign_status"].value_counts().to_dict()  # type: ignore[union-attr]
    figures = {
        "points": n,
        "index_build_s": round(build_s, 3),
        "raw_strtree_points_per_s": round(n / raw_s),
        "assign_points_per_s": round(n / ours_s),
        "ratio_assign_to_raw": round(raw_s / ours_s, 3),
        "raw_peak_mib": round(_peak_mib(raw), 1),
        "assign_peak_mib": round(_peak_mib(ours), 1),
        "process_max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "statuses": {str(k): int(v) for k, v in statuses.items()},
    }
    print(f"index build          {build_s:8.2f} s (once)")
    print(
        f"raw STRtree query    {figures['raw_strtree_points_per_s']:>10,} points/s  "
        f"peak {figures['raw_peak_mib']} MiB"
    )
    print(
        f"geo.boundaries.assign{figures['assign_points_per_s']:>10,} points/s  "
        f"peak {figures['assign_peak_mib']} MiB  ratio {figures['ratio_assign_to_raw']}"
    )
    print(json.dumps({"benchmark": "assign", **figures}))


if __name__ == "__main__":
    main()
