"""Benchmark: article → incidents extraction throughput and peak memory.

Generates N synthetic 3–5 KB news articles (project-written templates, fixed seed) and
times three passes over the same texts, in this run:

* ``baseline_split``: a plain regex sentence split (the floor any extractor pays);
* ``text_only``: :func:`geo.extract.extract_article` with a geocoder that finds no places
  (dates, numbers, actors, claims, grouping);
* ``full``: the same with the real offline geocoder (and boundaries when configured).

Then, with the real geocoder, the per-field accuracy over the held-out articles of
``tests/extract_cases.py`` (share of cases whose main incident has the expected value).

Usage: ``python benchmarks/bench_extract.py [--quick] [--n N] [--accuracy-only] [-v]``.
Prints one line per pass and a final JSON line with the figures.  Needs GEO_GAZETTEER_DIR
for the full pass and the accuracy report (else they are skipped and said so).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.articles import Article, article_from_text
from geo.extract import assign_provinces, extract_article
from geo.settings import get_settings

TOWNS = [
    "Taloqan",
    "Kunduz",
    "Khwaja Ghar",
    "Mazar-e-Sharif",
    "Jalalabad",
    "Kandahar",
    "Herat",
    "Ghazni",
    "Spin Boldak",
    "Termez",
    "Zaranj",
    "Faizabad",
    "Pul-e Khumri",
]
PROVINCES = ["Takhar", "Kunduz", "Balkh", "Nangarhar", "Kandahar", "Herat", "Ghazni"]
ACTORS = ["the Taliban", "ISKP", "IS-K militants", "Daesh-Khorasan", "the TTP", "gunmen"]
EVENTS = [
    "{a} attacked a checkpoint in {t}, {p} province, on {d}, killing at least {n} guards.",
    "A roadside bomb exploded near a market in {t} on {d}; {n} civilians were wounded.",
    "{a} fired rockets into Tajikistan from {t} on {d}, but no casualties were reported.",
    "Security forces raided a hideout in {t} on {d} and killed {n} fighters, officials said.",
    "Residents said clashes between {a} and local forces in {t} lasted two hours on {d}.",
]
FILLER = [
    "Officials said the investigation was continuing and more details would follow.",
    "The spokesman added that the situation in the area was now under control.",
    "Analysts said the group has been under pressure from several directions this year.",
    "Local traders said shops reopened the next morning after a tense night.",
    "The report could not be independently verified by reporters in the capital.",
    "Aid groups urged all sides to protect civilians and allow access to clinics.",
]


def make_articles(n: int, seed: int = 7) -> list[str]:
    """``n`` synthetic articles of 3–5 KB each (deterministic)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        target = rng.randint(3000, 5000)
        parts = [f"Clashes reported in {rng.choice(PROVINCES)}\n"]
        while sum(map(len, parts)) < target:
            if rng.random() < 0.35:
                d = date(2022, rng.randint(1, 12), rng.randint(1, 28)).strftime("%B %d")
                parts.append(
                    rng.choice(EVENTS).format(
                        a=rng.choice(ACTORS),
                        t=rng.choice(TOWNS),
                        p=rng.choice(PROVINCES),
                        d=d,
                        n=rng.randint(1, 30),
                    )
                )
            else:
                parts.append(rng.choice(FILLER))
            parts.append(" " if rng.random() < 0.7 else "\n\n")
        out.append("".join(parts))
    return out


class _NoPlaces:
    def find_places(self, text: str) -> list[Any]:
        return []

    def resolve(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return SimpleNamespace(status="unresolved", best=None, candidates=[])


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _measure(name: str, items: Sequence[Any], fn: Callable[[Any], Any]) -> dict[str, float]:
    """Time ``fn`` over ``items`` (no tracing, so the rate is true), then trace a sample.

    ``peak_mb`` is the tracemalloc peak of Python allocations while handling 50 items (the
    working set per article batch); ``rss_mb`` the process's peak resident size so far.
    """
    t0 = time.perf_counter()
    for item in items:
        fn(item)
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    for item in items[:50]:
        fn(item)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    rate = len(items) / elapsed if elapsed else float("inf")
    rss = _peak_rss_mb()
    print(
        f"{name:15s} {len(items):6d} articles  {elapsed:7.2f} s  {rate:9.1f} articles/s  "
        f"traced peak {peak:6.1f} MB  process peak RSS {rss:7.1f} MB"
    )
    return {
        "articles": len(items),
        "seconds": round(elapsed, 3),
        "articles_per_s": round(rate, 1),
        "peak_mb": round(peak, 1),
        "rss_mb": round(rss, 1),
    }


def accuracy(geocoder: Any, settings: Any, verbose: bool = False) -> dict[str, float]:
    """Per-field accuracy of extraction over :data:`tests.extract_cases.CASES` (0–1)."""
    from tests.extract_cases import CASES, FIELDS, score_case

    totals = dict.fromkeys(FIELDS, 0)
    for case in CASES:
        article = article_from_text(case.text, published=case.published, settings=settings)
        verdicts = score_case(case, extract_article(article, geocoder, settings).incidents)
        for name, ok in verdicts.items():
            totals[name] += int(ok)
        misses = [name for name, ok in verdicts.items() if not ok]
        if verbose and misses:
            print(f"  {case.id:32s} misses: {', '.join(misses)}")
    acc = {name: round(totals[name] / len(CASES), 3) for name in FIELDS}
    acc["mean"] = round(sum(acc.values()) / len(FIELDS), 3)
    print(f"per-field accuracy over {len(CASES)} held-out articles:")
    for name, value in acc.items():
        print(f"  {name:15s} {value:6.1%}")
    return acc


def dev_accuracy(geocoder: Any, settings: Any, verbose: bool = False) -> dict[str, Any]:
    """Per-field accuracy on the issue-16 form cases and on the UCDP headlines.

    See ``tests/extract_dev.py`` (the scoring, and how UCDP rows become texts) and
    ``tests/extract_forms.py`` (the project's own notes, press releases, cross-border
    reports).  UCDP GED data: CC BY 4.0, Uppsala Conflict Data Program (ucdp.uu.se).
    """
    from tests.extract_dev import UCDP_FILE, DevCase, summarise, ucdp_cases
    from tests.extract_forms import FORMS

    def run(case: DevCase) -> Any:
        article = article_from_text(case.text, published=case.published, settings=settings)
        return extract_article(article, geocoder, settings, assign=False).incidents

    def run_assigned(case: DevCase) -> Any:
        found = run(case)
        assign_provinces(found, settings)
        return found

    def miss(case: DevCase, misses: list[str]) -> None:
        if verbose:
            print(f"  {case.id:34s} misses: {', '.join(misses)}")

    out: dict[str, Any] = {}
    forms = summarise(FORMS, run_assigned, miss)
    print(f"issue-16 form cases ({forms['cases']}): {_fmt(forms)}")
    out["forms"] = forms
    if UCDP_FILE.is_file() and settings.boundaries_dir is not None:
        from geo.boundaries import assign

        def provinces_of(lats: list[float], lons: list[float]) -> list[str]:
            return [str(c) for c in assign(lons, lats, settings=settings)["admin1_iso"]]

        cases = ucdp_cases(provinces_of=provinces_of)
        t0 = time.perf_counter()
        ucdp = summarise(cases, run_assigned, miss if verbose else None)
        rate = len(cases) / (time.perf_counter() - t0)
        ucdp["articles_per_s"] = round(rate, 1)
        print(f"UCDP headlines ({ucdp['cases']}): {_fmt(ucdp)}  {rate:.1f} texts/s")
        out["ucdp"] = ucdp
    else:
        print("UCDP dev set skipped: file or GEO_BOUNDARIES_DIR missing")
    return out


def _fmt(figures: dict[str, Any]) -> str:
    names = ("found", "place_25km", "province", "day", "killed", "cross_border")
    return "  ".join(f"{n} {figures[n]:.1%} (n={figures[n + '_n']})" for n in names if n in figures)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 articles instead of 2000")
    parser.add_argument("--n", type=int, default=None, help="number of articles")
    parser.add_argument(
        "--accuracy-only", action="store_true", help="only the per-field accuracy report"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses per case")
    args = parser.parse_args(argv)
    if args.accuracy_only:
        from geo.geocode import get_geocoder

        geocoder, settings = get_geocoder(), get_settings()
        acc = accuracy(geocoder, settings, args.verbose)
        dev = dev_accuracy(geocoder, settings, args.verbose)
        print(json.dumps({"benchmark": "extract", "accuracy": acc, **dev}))
        return 0
    n = args.n or (200 if args.quick else 2000)
    settings = get_settings()
    texts = make_articles(n)
    print(f"{n} generated articles, mean {sum(map(len, texts)) / n:.0f} characters")
    articles: list[Article] = [
        article_from_text(t, published=date(2022, 12, 31), settings=settings) for t in texts
    ]
    splitter = re.compile(r"(?<=[.!?])\s+|\n+")
    figures: dict[str, Any] = {"baseline_split": _measure("baseline_split", texts, splitter.split)}
    none = _NoPlaces()
    figures["text_only"] = _measure(
        "text_only", articles, lambda a: extract_article(a, none, settings)
    )
    if os.environ.get("GEO_GAZETTEER_DIR"):
        from geo.geocode import get_geocoder

        t0 = time.perf_counter()
        geocoder = get_geocoder(settings)
        extract_article(articles[0], geocoder, settings)  # warm caches (index, boundaries)
        print(f"geocoder and boundaries load/warm-up: {time.perf_counter() - t0:.1f} s")
        figures["full"] = _measure(
            "full", articles, lambda a: extract_article(a, geocoder, settings, assign=False)
        )
        t0 = time.perf_counter()
        found = [
            i
            for a in articles
            for i in extract_article(a, geocoder, settings, assign=False).incidents
        ]
        t1 = time.perf_counter()
        assign_provinces(found, settings)
        t2 = time.perf_counter()
        print(
            f"assign_provinces over {len(found)} incidents (one vectorised call): "
            f"{t2 - t1:.2f} s (extraction {t1 - t0:.2f} s)"
        )
        figures["assign_s"] = round(t2 - t1, 3)
        figures["accuracy"] = accuracy(geocoder, settings, args.verbose)
        figures.update(dev_accuracy(geocoder, settings, args.verbose))
    else:
        print("full pass skipped: set GEO_GAZETTEER_DIR (and GEO_BOUNDARIES_DIR)")
    print(json.dumps({"benchmark": "extract", "n": n, **figures}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
