"""Geocoder accuracy and speed, beside an exact dictionary lookup measured in the same run.

Run: ``python benchmarks/bench_geocode.py [--quick]`` with GEO_GAZETTEER_DIR and
GEO_BOUNDARIES_DIR set (defaults to ../shared/data/… next to the repo when unset).

Accuracy: real places of the shared gazetteer (40% district or province seats, 60%
villages), each queried under one of its *other* spellings (a respelling of the
same name: similarity ≥ 60, so not a translated or former name), and that
spelling is held out of the index first, so the
geocoder has to get there by transliteration folding and fuzzy scoring.  A hit
is a best answer within 25 km and in the right province; reported with and
without a province hint.

Speed: 100,000 names (10,000 with --quick) drawn with repetition from those
spellings plus 5% junk, resolved one by one (the per-process memo is on, as in
the batch CLI), then the unique names alone with the memo cleared; and
articles/s for find_places + resolve_many over the seed articles.
The last line printed is JSON with every figure.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
for var, sub in (
    ("GEO_GAZETTEER_DIR", "data/gazetteer"),
    ("GEO_BOUNDARIES_DIR", "data/boundaries"),
):
    if not os.environ.get(var) and (SHARED / sub).is_dir():
        os.environ[var] = str(SHARED / sub)

from rapidfuzz import fuzz  # noqa: E402

from geo._translit import normalize  # noqa: E402
from geo.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from geo.geocode import OfflineGeocoder, haversine_km  # noqa: E402
from geo.settings import get_settings  # noqa: E402

HIT_KM = 25.0


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _respelling(variant: str, name: str) -> bool:
    """A spelling of the same name (not another language's name for the place, such as
    an old Russian name or a translated 'District of …'): similarity ≥ 60."""
    return fuzz.ratio(variant, name) >= 60


def pick_cases(gaz: Gazetteer, n: int, rng: random.Random) -> list[dict]:
    """Places with at least one other Latin spelling; one spelling each is the query."""
    by_place: dict[int, list[int]] = {}
    for v, i in enumerate(gaz.var_place.tolist()):
        if gaz.source_id[i].startswith("geonames:") and gaz.admin1_iso[i]:
            by_place.setdefault(i, []).append(v)
    own = {i: normalize(gaz.name[i]) for i in by_place}
    by_place = {
        i: [v for v in vs if gaz.var_norm[v] != own[i] and _respelling(gaz.var_norm[v], own[i])]
        for i, vs in by_place.items()
    }
    by_place = {i: vs for i, vs in by_place.items() if vs}
    seats = [i for i in by_place if gaz.feature[i] in {"capital", "admin1_seat", "admin2_seat"}]
    villages = [i for i in by_place if gaz.feature[i] == "populated_place"]
    chosen = rng.sample(seats, min(len(seats), n * 2 // 5))
    chosen += rng.sample(villages, n - len(chosen))
    cases = []
    for i in chosen:
        v = rng.choice(by_place[i])
        cases.append({"place": i, "variant": v, "query": gaz.var_text[v]})
    return cases


def hold_out(gaz: Gazetteer, variants: set[int]) -> Gazetteer:
    """A copy of the index without the query spellings."""
    key_index = {}
    for key, ids in gaz.key_index.items():
        kept = [v for v in ids if v not in variants]
        if kept:
            key_index[key] = kept
    return dataclasses.replace(gaz, key_index=key_index)


def accuracy(geocoder: OfflineGeocoder, cases: list[dict], hint: bool) -> dict[str, float]:
    gaz = geocoder.gazetteer
    hits = unresolved = ambiguous = 0
    for case in cases:
        i = case["place"]
        result = geocoder.resolve(case["query"], admin1=gaz.admin1_iso[i] if hint else None)
        best = result.best
        unresolved += result.status == "unresolved"
        ambiguous += result.status == "ambiguous"
        if best is not None and result.status != "unresolved":
            near = haversine_km(best.lat, best.lon, float(gaz.lat[i]), float(gaz.lon[i]))
            hits += near <= HIT_KM and best.admin1_iso == gaz.admin1_iso[i]
    n = len(cases)
    return {
        "hit_share": hits / n,
        "unresolved_share": unresolved / n,
        "ambiguous_share": ambiguous / n,
    }


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


def throughput(geocoder: OfflineGeocoder, names: list[str]) -> dict[str, float]:
    gaz = geocoder.gazetteer
    exact = {norm: int(gaz.var_place[v]) for v, norm in enumerate(gaz.var_norm)}
    t0 = time.perf_counter()
    found = sum(1 for name in names if exact.get(normalize(name)) is not None)
    base_s = time.perf_counter() - t0
    geocoder._resolve_cached.cache_clear()
    t0 = time.perf_counter()
    resolved = sum(1 for name in names if geocoder.resolve(name).status != "unresolved")
    batch_s = time.perf_counter() - t0
    unique = sorted(set(names))
    geocoder._resolve_cached.cache_clear()
    t0 = time.perf_counter()
    for name in unique:
        geocoder.resolve(name)
    unique_s = time.perf_counter() - t0
    return {
        "names": len(names),
        "unique_names": len(unique),
        "geocoder_names_per_s": len(names) / batch_s,
        "geocoder_unique_names_per_s": len(unique) / unique_s,
        "dict_lookup_names_per_s": len(names) / base_s,
        "geocoder_found_share": resolved / len(names),
        "dict_found_share": found / len(names),
    }


def articles_per_s(geocoder: OfflineGeocoder, rounds: int) -> float | None:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    if not seeds:
        return None
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    geocoder._resolve_cached.cache_clear()
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
    rss0 = rss_mb()
    t0 = time.perf_counter()
    gaz = load_gazetteer(settings)
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mb()
    print(
        f"index: {len(gaz):,} places, {len(gaz.var_text):,} spellings; "
        f"loaded in {load_s:.1f} s; peak RSS {rss0:.0f} -> {rss_loaded:.0f} MB"
    )

    cases = pick_cases(gaz, n_cases, rng)
    held = {c["variant"] for c in cases}
    geocoder = OfflineGeocoder(hold_out(gaz, held), settings, online=False)
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

    queries = [c["query"] for c in cases] + [gaz.name[c["place"]] for c in cases]
    junk = [f"Zzq{rng.randrange(10**6)}x" for _ in range(max(1, n_names // 20) // 50)]
    names = [
        rng.choice(queries) if rng.random() > 0.05 else rng.choice(junk) for _ in range(n_names)
    ]
    speed = throughput(OfflineGeocoder(gaz, settings, online=False), names)
    print(f"throughput on {speed['names']:,} names ({speed['unique_names']:,} unique):")
    print(f"  geocoder (memo on)       {speed['geocoder_names_per_s']:,.0f} names/s")
    print(f"  geocoder (unique, cold)  {speed['geocoder_unique_names_per_s']:,.0f} names/s")
    print(f"  baseline exact dict      {speed['dict_lookup_names_per_s']:,.0f} names/s")
    art = articles_per_s(OfflineGeocoder(gaz, settings, online=False), 2 if args.quick else 10)
    if art is not None:
        print(f"  articles (find + resolve_many, seeds)  {art:,.0f} articles/s")
    peak = rss_mb()
    print(f"peak RSS {peak:.0f} MB (index loaded: {rss_loaded:.0f} MB)")
    figures = {
        "bench": "geocode",
        "quick": args.quick,
        "places": len(gaz),
        "load_s": load_s,
        "accuracy_cases": len(cases),
        "hit_share_no_hint": plain["hit_share"],
        "hit_share_province_hint": hinted["hit_share"],
        "hit_share_baseline_exact": base,
        "unresolved_share_no_hint": plain["unresolved_share"],
        "ambiguous_share_no_hint": plain["ambiguous_share"],
        **speed,
        "articles_per_s": art,
        "peak_rss_mb": peak,
        "rss_after_load_mb": rss_loaded,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
