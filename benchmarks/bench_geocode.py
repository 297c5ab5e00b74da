"""Geocoder accuracy and speed, beside an exact dictionary lookup measured in the same run.

Run: ``python benchmarks/bench_geocode.py [--quick]`` with GEO_GAZETTEER_DIR and
GEO_BOUNDARIES_DIR set (defaults to ../shared/data/… next to the repo when unset).

Accuracy: real places of the shared gazetteer (40% district or province seats, 60%
villages), each queried under one of its *other* spellings (a respelling of the
same name: similarity ≥ 60, so not a translated or former name), and that
spelling is held out of the index first, so the
geocoder has to get there by transliteration folding and fuzzy scoring.  A hit
is a best answer within 25 km and in the right province; reported with and
without a province hint.  Places and spellings are drawn by a hash of their GeoNames
id and text, so runs of two versions of the index share their cases.

The UCDP GED Pakistan dev set (real location names with their coordinates) is scored
on the whole index, one name at a time and as one file.

Speed, each beside an exact dictionary lookup of the normalised name in the same run,
each the median of three passes (the machine these run on is often shared):

* unique names: 100,000 distinct spellings of the index (10,000 with --quick) plus 5%
  junk, every cache cleared first (the resolve and row memos, the place rows and the
  folding caches), so no name is answered from memory; through ``resolve`` (all
  eight candidates built per name, one name at a time) and through the batch path
  ``geocode_rows`` (names ranked together as arrays by ``geo._batchrank``; only the best
  place becomes output).  The first 5,000 batch rows are then checked against
  ``resolve``'s answers for the same names: the count of differing rows is printed;
* a batch with repeats: 100,000 names drawn with repetition from the accuracy
  queries (the per-process memo on, as in the batch CLI);
* articles/s for find_places + resolve_many over the seed articles.

Speed is measured first, while the process holds little more than the index (as the
batch CLI does): Python's cycle collector rescans every live object now and then, so
leftovers of the accuracy part would slow whatever runs after them.

Memory and time of the index: a one-time build and a cached load, each in a fresh
child process (peak RSS of that process), then the peak RSS of this process.
The last line printed is JSON with every figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
for var, sub in (
    ("GEO_GAZETTEER_DIR", "data/gazetteer"),
    ("GEO_BOUNDARIES_DIR", "data/boundaries"),
):
    if not os.environ.get(var) and (SHARED / sub).is_dir():
        os.environ[var] = str(SHARED / sub)

import pandas as pd  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from geo import _translit  # noqa: E402
from geo._errors import GeocodingError  # noqa: E402
from geo._translit import normalize  # noqa: E402
from geo.boundaries import assign  # noqa: E402
from geo.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from geo.geocode import (  # noqa: E402
    BATCH_COLUMNS,
    OfflineGeocoder,
    _row_values,
    haversine_km,
)
from geo.geocode_batch import BatchReport, geocode_rows  # noqa: E402
from geo.regions import PROVINCE_SUCCESSORS  # noqa: E402
from geo.settings import get_settings  # noqa: E402

HIT_KM = 25.0


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from geo.gazetteer import load_gazetteer
gaz = load_gazetteer()
print(json.dumps({{"s": time.perf_counter() - t0, "places": len(gaz),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def index_in_child(cache_dir: Path) -> dict[str, float]:
    """Load (or build, when ``cache_dir`` is empty) the index in a fresh process."""
    env = dict(os.environ, GEO_CACHE_DIR=str(cache_dir))
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(root=str(ROOT))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def clear_caches(geocoder: OfflineGeocoder) -> None:
    """Forget every memoised answer, the place rows and the spelling folds."""
    geocoder.clear_caches()


def _respelling(variant: str, name: str) -> bool:
    """A spelling of the same name (not another language's name for the place, such as
    an old Russian name or a translated 'District of …'): similarity ≥ 60."""
    return fuzz.ratio(variant, name) >= 60


def _draw(seed: int, key: str) -> str:
    """A stable pseudo-random rank for ``key`` (the same in every run and every index)."""
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def pick_cases(gaz: Gazetteer, n: int, seed: int) -> list[dict]:
    """Places with at least one other Latin spelling; one spelling each is the query.

    Each place and spelling is drawn by a hash of its GeoNames id and text, not by its
    position in the index: runs before and after a change to the index (new spellings,
    new places) draw the same cases, except for places whose eligibility changed."""
    by_place: dict[int, list[int]] = {}
    for v, i in enumerate(gaz.var_place.tolist()):
        if gaz.source_id[i].startswith("geonames:") and gaz.admin1_iso[i]:
            by_place.setdefault(i, []).append(v)
    own = {i: normalize(gaz.name[i]) for i in by_place}
    by_place = {
        i: [v for v in vs if gaz.var_norm[v] != own[i] and _respelling(gaz.var_norm[v], own[i])]
        for i, vs in by_place.items()
    }
    order = sorted(
        (i for i, vs in by_place.items() if vs), key=lambda i: _draw(seed, gaz.source_id[i])
    )
    seats = [i for i in order if gaz.feature[i] in {"capital", "admin1_seat", "admin2_seat"}]
    villages = [i for i in order if gaz.feature[i] == "populated_place"]
    chosen = seats[: n * 2 // 5]
    chosen += villages[: n - len(chosen)]
    cases = []
    for i in chosen:
        v = min(by_place[i], key=lambda v: _draw(seed, f"{gaz.source_id[i]}:{gaz.var_text[v]}"))
        cases.append({"place": i, "variant": v, "query": gaz.var_text[v]})
    return cases


def accuracy(geocoder: OfflineGeocoder, cases: list[dict], hint: bool) -> dict[str, float]:
    gaz = geocoder.gazetteer
    hits = unresolved = ambiguous = resolved_hits = 0
    for case in cases:
        i = case["place"]
        result = geocoder.resolve(case["query"], admin1=gaz.admin1_iso[i] if hint else None)
        best = result.best
        unresolved += result.status == "unresolved"
        ambiguous += result.status == "ambiguous"
        hit = False
        if best is not None and result.status != "unresolved":
            near = haversine_km(best.lat, best.lon, float(gaz.lat[i]), float(gaz.lon[i]))
            hit = near <= HIT_KM and best.admin1_iso == gaz.admin1_iso[i]
        hits += hit
        resolved_hits += hit and result.status == "resolved"
    n = max(1, len(cases))
    resolved = n - unresolved - ambiguous
    return {
        "hit_share": hits / n,
        "unresolved_share": unresolved / n,
        "ambiguous_share": ambiguous / n,
        "resolved_share": resolved / n,
        "resolved_precision": resolved_hits / max(1, resolved),
    }


DEVSET = SHARED / "data" / "devsets" / "ucdp_ged_pakistan_dev.csv"


def devset_places() -> list[dict[str, Any]]:
    """The dev set's distinct places: ``where_coordinates`` with its ``adm_1`` (UCDP's
    spelling of the province) and the median coordinates UCDP gives it."""
    d = pd.read_csv(DEVSET)
    places = (
        d.groupby(["where_coordinates", "adm_1"])
        .agg(lat=("latitude", "median"), lon=("longitude", "median"))
        .reset_index()
    )
    return places.to_dict("records")


def devset_accuracy(
    geocoder: OfflineGeocoder, places: list[dict], hint: bool, batch: bool = False
) -> dict[str, float]:
    """Share of dev-set places within HIT_KM of UCDP's coordinates and, by point in
    polygon, in the same province (FATA and Khyber Pakhtunkhwa counted as one, since
    UCDP names the same places both ways before and after 2018); with country PK and,
    with ``hint``, UCDP's province as written.  A hint the geocoder rejects counts as a
    miss.  With ``batch``, the answers come from ``geocode_rows`` over the dev set's
    event rows as a file (its sure places settle ties between namesakes,
    ``geo._filecontext``); otherwise from ``resolve``, one place at a time.  Each of the
    two conditions is also reported alone: the hidden sets are scored on distance."""

    def merged(codes: Any) -> list[str]:
        return [PROVINCE_SUCCESSORS.get(c, c) for c in codes]

    truth = merged(assign([p["lon"] for p in places], [p["lat"] for p in places])["admin1_iso"])
    answers = (_batch_answers if batch else _one_by_one_answers)(geocoder, places, hint)
    got = [(lat, lon) if status not in ("", "unresolved") else None for lat, lon, status in answers]
    where = merged(
        assign([g[1] if g else 0.0 for g in got], [g[0] if g else 0.0 for g in got])["admin1_iso"]
    )
    near = [
        g is not None and haversine_km(g[0], g[1], p["lat"], p["lon"]) <= HIT_KM
        for p, g in zip(places, got, strict=True)
    ]
    same = [g is not None and w == t for g, w, t in zip(got, where, truth, strict=True)]
    hits = [a and b for a, b in zip(near, same, strict=True)]
    resolved = [status == "resolved" for _, _, status in answers]
    n = max(1, len(places))
    return {
        "hit_share": sum(hits) / n,
        "within_km_share": sum(near) / n,
        "province_share": sum(same) / n,
        "resolved_within_km_precision": sum(a and r for a, r in zip(near, resolved, strict=True))
        / max(1, sum(resolved)),
        "resolved_share": sum(resolved) / n,
        "resolved_precision": sum(h and r for h, r in zip(hits, resolved, strict=True))
        / max(1, sum(resolved)),
        "rejected_hints": sum(status == "" for _, _, status in answers) / n,
    }


def _one_by_one_answers(
    geocoder: OfflineGeocoder, places: list[dict], hint: bool
) -> list[tuple[float, float, str]]:
    """``(lat, lon, status)`` per place from ``resolve``; status "" for a rejected hint."""
    out = []
    for p in places:
        try:
            r = geocoder.resolve(p["where_coordinates"], "PK", p["adm_1"] if hint else None)
        except GeocodingError:
            out.append((0.0, 0.0, ""))
            continue
        b = r.best
        out.append((b.lat, b.lon, r.status) if b else (0.0, 0.0, r.status))
    return out


def _batch_answers(
    geocoder: OfflineGeocoder, places: list[dict], hint: bool
) -> list[tuple[float, float, str]]:
    """``(lat, lon, status)`` per place from ``geocode_rows`` over every event row of
    the dev set (name, country PK and, with ``hint``, the province)."""
    geocoder.clear_caches()
    events = pd.read_csv(DEVSET, usecols=["where_coordinates", "adm_1"])
    rows = [
        {"name": n, "country": "PK", "admin1": a if hint else ""}
        for n, a in zip(events["where_coordinates"], events["adm_1"], strict=True)
    ]
    report = BatchReport()
    out = list(geocode_rows(rows, geocoder, "devset", report))
    bad = {err.line for err in report.errors}  # rejected hints: line 2 is the first row
    by_place = {}
    pairs = zip(events["where_coordinates"], events["adm_1"], strict=True)
    for k, ((n, a), row) in enumerate(zip(pairs, out, strict=True)):
        lat, lon = (float(row["lat"]), float(row["lon"])) if row["lat"] else (0.0, 0.0)
        by_place[(n, a)] = (lat, lon, "" if k + 2 in bad else row["status"])
    return [by_place[(p["where_coordinates"], p["adm_1"])] for p in places]


def baseline_accuracy(gaz: Gazetteer, held: set[int], cases: list[dict]) -> float:
    """Exact lookup of the normalised spelling; first place listed wins."""
    table: dict[str, int] = {}
    for v, norm in enumerate(gaz.var_norm):
        if v not in held:
            table.setdefault(norm, int(gaz.var_place[v]))
    hits = 0
    for case in cases:
        i, j = case["place"], table.get(normalize(case["query"]))
        if j is not None:
            near = haversine_km(
                float(gaz.lat[j]), float(gaz.lon[j]), float(gaz.lat[i]), float(gaz.lon[i])
            )
            hits += near <= HIT_KM and gaz.admin1_iso[j] == gaz.admin1_iso[i]
    return hits / len(cases)


def _timed_dict(gaz: Gazetteer, names: list[str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of an exact lookup of every normalised name, and the hits."""
    exact = {norm: int(gaz.var_place[v]) for v, norm in enumerate(gaz.var_norm)}
    _translit.clear_fold_caches()
    t0, c0 = time.perf_counter(), time.process_time()
    found = sum(1 for name in names if exact.get(normalize(name)) is not None)
    return time.perf_counter() - t0, time.process_time() - c0, found


def _timed_geocoder(geocoder: OfflineGeocoder, names: list[str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of resolving every name (caches cleared first), and the hits."""
    clear_caches(geocoder)
    t0, c0 = time.perf_counter(), time.process_time()
    resolved = sum(1 for name in names if geocoder.resolve(name).status != "unresolved")
    return time.perf_counter() - t0, time.process_time() - c0, resolved


def _timed_rows(geocoder: OfflineGeocoder, names: list[str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of the batch path over every name (caches cleared first)."""
    clear_caches(geocoder)
    rows = ({"name": name} for name in names)
    t0, c0 = time.perf_counter(), time.process_time()
    resolved = sum(1 for row in geocode_rows(rows, geocoder) if row["status"] != "unresolved")
    return time.perf_counter() - t0, time.process_time() - c0, resolved


def batch_differences(geocoder: OfflineGeocoder, names: list[str]) -> int:
    """Batch rows that differ from what ``resolve`` answers for the same name."""
    geocoder.clear_caches()
    batch = geocode_rows(({"name": name} for name in names), geocoder, file_context=False)
    return sum(
        {k: row[k] for k in BATCH_COLUMNS} != _row_values(geocoder.resolve(row["name"]))
        for row in batch
    )


def unique_names(gaz: Gazetteer, n: int, rng: random.Random) -> list[str]:
    """``n`` distinct spellings from the index (5% of them junk), shuffled."""
    pool = sorted(set(gaz.var_text))
    names = rng.sample(pool, min(len(pool), n - n // 20))
    names += [f"Zzq{k}x{rng.randrange(10**6)}" for k in range(n // 20)]
    rng.shuffle(names)
    return names


REPEAT = 3  # timed passes of each kind; the median is reported


def _median_pass(
    timed: Callable[[Any, list[str]], tuple[float, float, int]], target: Any, names: list[str]
) -> tuple[float, float, int]:
    """Median wall and CPU seconds of :data:`REPEAT` passes (interleaved kinds would be
    fairer still, but each pass clears its own caches first), and the hits."""
    runs = [timed(target, names) for _ in range(REPEAT)]
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        runs[0][2],
    )


def throughput(geocoder: OfflineGeocoder, names: list[str]) -> dict[str, float]:
    """names/s (wall clock, and per CPU second: steadier on a shared machine) of the
    geocoder and of an exact dict lookup over the same names, each the median of
    :data:`REPEAT` passes."""
    base_s, base_cpu, found = _median_pass(_timed_dict, geocoder.gazetteer, names)
    geo_s, geo_cpu, resolved = _median_pass(_timed_geocoder, geocoder, names)
    rows_s, rows_cpu, _ = _median_pass(_timed_rows, geocoder, names)
    return {
        "batch_names_per_s": len(names) / rows_s,
        "batch_names_per_cpu_s": len(names) / rows_cpu,
        "names": len(names),
        "unique_names": len(set(names)),
        "geocoder_names_per_s": len(names) / geo_s,
        "geocoder_names_per_cpu_s": len(names) / geo_cpu,
        "dict_lookup_names_per_s": len(names) / base_s,
        "dict_lookup_names_per_cpu_s": len(names) / base_cpu,
        "geocoder_found_share": resolved / len(names),
        "dict_found_share": found / len(names),
        "batch_rows_differing_from_resolve": batch_differences(geocoder, names[:5000]),
    }


def articles_per_s(geocoder: OfflineGeocoder, rounds: int) -> float | None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        return None
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    geocoder.clear_caches()
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            geocoder.resolve_many([m.surface for m in geocoder.find_places(text)], context=text)
    return rounds * len(texts) / (time.perf_counter() - t0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller samples (CI smoke run)")
    args = parser.parse_args()
    n_cases, n_names = (200, 10_000) if args.quick else (1000, 100_000)
    rng = random.Random(20240601)
    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        build = index_in_child(Path(tmp))
        load = index_in_child(Path(tmp))
    print(
        f"index: {build['places']:,} places; build {build['s']:.1f} s, peak RSS "
        f"{build['peak_mb']:.0f} MB; cached load {load['s']:.1f} s, peak RSS "
        f"{load['peak_mb']:.0f} MB (fresh processes)"
    )
    gaz = load_gazetteer(settings)

    cases = pick_cases(gaz, n_cases, seed=20240601)
    fresh = OfflineGeocoder(gaz, settings, online=False)
    unique = throughput(fresh, unique_names(gaz, n_names, rng))
    print(f"unique names, every cache cleared ({unique['names']:,} distinct):")
    print(
        f"  geocoder                 {unique['geocoder_names_per_s']:,.0f} names/s "
        f"({unique['geocoder_names_per_cpu_s']:,.0f} per CPU-s)"
    )
    print(
        f"  batch (geocode_rows)     {unique['batch_names_per_s']:,.0f} names/s "
        f"({unique['batch_names_per_cpu_s']:,.0f} per CPU-s)"
    )
    print(
        f"  baseline exact dict      {unique['dict_lookup_names_per_s']:,.0f} names/s "
        f"({unique['dict_lookup_names_per_cpu_s']:,.0f} per CPU-s)"
    )
    print(
        f"  batch rows differing from resolve() on the first 5,000 names: "
        f"{unique['batch_rows_differing_from_resolve']}"
    )
    queries = [c["query"] for c in cases] + [gaz.name[c["place"]] for c in cases]
    junk = [f"Zzq{rng.randrange(10**6)}x" for _ in range(max(1, n_names // 20) // 50)]
    names = [
        rng.choice(queries) if rng.random() > 0.05 else rng.choice(junk) for _ in range(n_names)
    ]
    repeats = throughput(fresh, names)
    print(f"batch with repeats ({repeats['names']:,} names, {repeats['unique_names']:,} distinct):")
    print(f"  geocoder (memo on)       {repeats['geocoder_names_per_s']:,.0f} names/s")
    print(f"  batch (geocode_rows)     {repeats['batch_names_per_s']:,.0f} names/s")
    print(f"  baseline exact dict      {repeats['dict_lookup_names_per_s']:,.0f} names/s")
    held = {c["variant"] for c in cases}
    geocoder = OfflineGeocoder(gaz.without_variants(held), settings, online=False)
    plain = accuracy(geocoder, cases, hint=False)
    hinted = accuracy(geocoder, cases, hint=True)
    base = baseline_accuracy(gaz, held, cases)
    print(
        f"accuracy on {len(cases)} held-out spellings (hit = within {HIT_KM:.0f} km and "
        "right province):"
    )
    print(
        f"  geocoder, no hint        {plain['hit_share']:.1%}  (unresolved "
        f"{plain['unresolved_share']:.1%}, ambiguous {plain['ambiguous_share']:.1%})"
    )
    print(
        f"  geocoder, province hint  {hinted['hit_share']:.1%}  (unresolved "
        f"{hinted['unresolved_share']:.1%}, ambiguous {hinted['ambiguous_share']:.1%})"
    )
    print(f"  baseline exact lookup    {base:.1%}")
    print(
        f"  resolved answers that are hits: {plain['resolved_precision']:.1%} without hint "
        f"({plain['resolved_share']:.1%} resolved), {hinted['resolved_precision']:.1%} with"
    )
    afghan = [c for c in cases if gaz.country[c["place"]] == "AF"]
    af_plain = accuracy(geocoder, afghan, hint=False)
    af_hint = accuracy(geocoder, afghan, hint=True)
    print(
        f"held-out Afghan spellings ({len(afghan)}): {af_plain['hit_share']:.1%} no hint, "
        f"{af_hint['hit_share']:.1%} with province hint; resolved precision "
        f"{af_plain['resolved_precision']:.1%} / {af_hint['resolved_precision']:.1%}"
    )
    dev: dict[str, dict[str, float]] = {}
    if DEVSET.is_file():
        places = devset_places()
        dev = {
            "no_hint": devset_accuracy(fresh, places, hint=False),
            "hint": devset_accuracy(fresh, places, hint=True),
            "batch_no_hint": devset_accuracy(fresh, places, hint=False, batch=True),
            "batch_hint": devset_accuracy(fresh, places, hint=True, batch=True),
        }
        print(f"UCDP GED Pakistan dev set ({len(places)} places, country PK):")
        for label, key in (
            ("name + country", "no_hint"),
            ("with province hint", "hint"),
            ("file, name + country", "batch_no_hint"),
            ("file, with hint", "batch_hint"),
        ):
            f = dev[key]
            print(
                f"  {label:<20} {f['hit_share']:.1%} within {HIT_KM:.0f} km and right province "
                f"({f['within_km_share']:.1%} within {HIT_KM:.0f} km, {f['province_share']:.1%} "
                f"right province); resolved {f['resolved_share']:.1%}, of which right "
                f"{f['resolved_precision']:.1%} (within {HIT_KM:.0f} km "
                f"{f['resolved_within_km_precision']:.1%}); hints rejected "
                f"{f['rejected_hints']:.1%}"
            )

    art = articles_per_s(OfflineGeocoder(gaz, settings, online=False), 2 if args.quick else 10)
    if art is not None:
        print(f"  articles (find + resolve_many, seeds)  {art:,.0f} articles/s")
    peak = rss_mb()
    print(f"peak RSS of this process {peak:.0f} MB")
    figures = {
        "bench": "geocode",
        "quick": args.quick,
        "places": len(gaz),
        "build_s": build["s"],
        "build_peak_rss_mb": build["peak_mb"],
        "load_s": load["s"],
        "load_peak_rss_mb": load["peak_mb"],
        "accuracy_cases": len(cases),
        "hit_share_no_hint": plain["hit_share"],
        "hit_share_province_hint": hinted["hit_share"],
        "hit_share_baseline_exact": base,
        "unresolved_share_no_hint": plain["unresolved_share"],
        "ambiguous_share_no_hint": plain["ambiguous_share"],
        "unique_names": unique["names"],
        "unique_geocoder_names_per_s": unique["geocoder_names_per_s"],
        "unique_geocoder_names_per_cpu_s": unique["geocoder_names_per_cpu_s"],
        "unique_batch_names_per_s": unique["batch_names_per_s"],
        "unique_batch_names_per_cpu_s": unique["batch_names_per_cpu_s"],
        "unique_dict_lookup_names_per_s": unique["dict_lookup_names_per_s"],
        "unique_dict_lookup_names_per_cpu_s": unique["dict_lookup_names_per_cpu_s"],
        "unique_geocoder_found_share": unique["geocoder_found_share"],
        "unique_batch_rows_differing_from_resolve": unique["batch_rows_differing_from_resolve"],
        "repeat_names": repeats["names"],
        "repeat_distinct_names": repeats["unique_names"],
        "repeat_geocoder_names_per_s": repeats["geocoder_names_per_s"],
        "repeat_batch_names_per_s": repeats["batch_names_per_s"],
        "repeat_dict_lookup_names_per_s": repeats["dict_lookup_names_per_s"],
        "articles_per_s": art,
        "resolved_precision_no_hint": plain["resolved_precision"],
        "resolved_precision_province_hint": hinted["resolved_precision"],
        "afghan_cases": len(afghan),
        "afghan_hit_share_no_hint": af_plain["hit_share"],
        "afghan_hit_share_province_hint": af_hint["hit_share"],
        "afghan_resolved_precision_no_hint": af_plain["resolved_precision"],
        "devset": dev,
        "peak_rss_mb": peak,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
