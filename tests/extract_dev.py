"""Per-field scoring of extraction on dev sets: place within 25 km, province, day, killed.

Two sources of cases, scored the same way (see :func:`score`):

* :func:`ucdp_cases` — real headlines and place descriptions from the UCDP GED Pakistan
  dev set (``../shared/data/devsets/ucdp_ged_pakistan_dev.csv``, CC BY 4.0: Uppsala
  Conflict Data Program, ucdp.uu.se; Sundberg & Melander 2013, Journal of Peace Research
  50(4); Davies, Pettersson & Öberg 2024, Journal of Peace Research 61(4)).  Each row with
  a headline becomes one short text: the first headline, then ``in <place description>``
  (the way an analyst note names the place); the publication date is UCDP's first
  ``source_date``.  Truth: coordinates (when UCDP's place precision is 1–2), the province
  of those coordinates, the day (date precision 1) and the best/low/high toll.
* :data:`tests.extract_forms.FORMS` — the project's own notes, press releases and
  cross-border reports in every written form issue 16 lists (own words, invented facts).

``benchmarks/bench_extract.py`` prints the figures; the tests pin a floor.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from geo.incidents import Incident

__all__ = ["DEV_FIELDS", "DevCase", "score", "summarise", "ucdp_cases"]

#: the dev-set folder (``GEO_DEVSETS_DIR`` overrides ``../shared/data/devsets``).
DEVSETS_DIR = Path(
    os.environ.get("GEO_DEVSETS_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "devsets"
)
UCDP_FILE = DEVSETS_DIR / "ucdp_ged_pakistan_dev.csv"
#: fields scored per case, in report order.
DEV_FIELDS = ("found", "place_25km", "province", "day", "killed", "cross_border")


@dataclass(frozen=True)
class DevCase:
    """One text and what its main incident should be (``None`` = not scored).

    ``killed`` is ``(low, high)``: an extracted best inside it is right.  ``cross_border``
    is ``(origin_country, target_country)``; ``("AF", "PK")`` and ``("PK", "AF")`` differ.
    For a clash between two states' forces with no single direction, use ``("AF|PK", "")``:
    the two countries in any order, as origin and target.
    """

    id: str
    text: str
    published: date | None
    lat: float | None = None
    lon: float | None = None
    province: str | None = None  # ISO 3166-2, or a "|"-joined set of acceptable codes
    day: date | None = None
    killed: tuple[int, int] | None = None
    cross_border: tuple[str, str] | None = None
    form: str = ""


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def main_incident(case: DevCase, incidents: Sequence[Incident]) -> Incident | None:
    """The incident the case is about: the first with the expected day, else the first."""
    if not incidents:
        return None
    same_day = [i for i in incidents if case.day is not None and i.event_date == case.day]
    return (same_day or list(incidents))[0]


def _cross_ok(want: tuple[str, str], inc: Incident) -> bool:
    got = (
        inc.origin.country_iso2 if inc.origin else "",
        inc.target.country_iso2 if inc.target else "",
    )
    if "|" in want[0]:
        return set(got) == set(want[0].split("|"))
    return got == want


def score(case: DevCase, incidents: Sequence[Incident]) -> dict[str, bool | None]:
    """One verdict per field of :data:`DEV_FIELDS`; ``None`` where the case has no truth."""
    inc = main_incident(case, incidents)
    out: dict[str, bool | None] = dict.fromkeys(DEV_FIELDS, None)
    out["found"] = inc is not None
    if case.lat is not None and case.lon is not None:
        out["place_25km"] = bool(
            inc is not None
            and inc.lat is not None
            and inc.lon is not None
            and _km(inc.lat, inc.lon, case.lat, case.lon) <= 25.0
        )
    if case.province:
        out["province"] = inc is not None and inc.admin1_iso in case.province.split("|")
    if case.day is not None:
        out["day"] = inc is not None and inc.event_date == case.day and inc.date_precision == "day"
    if case.killed is not None:
        low, high = case.killed
        best = inc.fatalities_best if inc is not None else None
        out["killed"] = (best is not None and low <= best <= high) or (best is None and low == 0)
    if case.cross_border is not None:
        out["cross_border"] = inc is not None and _cross_ok(case.cross_border, inc)
    return out


def summarise(
    cases: Iterable[DevCase],
    run: Callable[[DevCase], Sequence[Incident]],
    on_miss: Callable[[DevCase, list[str]], None] | None = None,
) -> dict[str, float | int]:
    """Share right per field over ``cases`` (only cases with a truth for it count)."""
    right = dict.fromkeys(DEV_FIELDS, 0)
    seen = dict.fromkeys(DEV_FIELDS, 0)
    n = 0
    for case in cases:
        n += 1
        verdicts = score(case, run(case))
        for name, ok in verdicts.items():
            if ok is not None:
                seen[name] += 1
                right[name] += int(ok)
        misses = [k for k, v in verdicts.items() if v is False]
        if on_miss is not None and misses:
            on_miss(case, misses)
    out: dict[str, float | int] = {"cases": n}
    for name in DEV_FIELDS:
        if seen[name]:
            out[name] = round(right[name] / seen[name], 3)
            out[f"{name}_n"] = seen[name]
    return out


def _first_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.split(";")[0].strip()[:10])
    except ValueError:
        return None


def ucdp_cases(
    path: Path = UCDP_FILE,
    provinces_of: Callable[[list[float], list[float]], list[str]] | None = None,
) -> list[DevCase]:
    """The UCDP dev rows that carry a headline, as :class:`DevCase` (see the module doc).

    ``provinces_of(lats, lons)`` gives the ISO 3166-2 code of each true point (point in
    polygon, one call for all rows).  FATA (PK-TA) and Khyber Pakhtunkhwa (PK-KP) are
    accepted for each other: FATA merged into it in 2018 and sources name places either way.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r["source_headline"] or "").strip()]
    lats = [float(r["latitude"]) for r in rows]
    lons = [float(r["longitude"]) for r in rows]
    codes = provinces_of(lats, lons) if provinces_of else [""] * len(rows)
    out = []
    for row, lat, lon, code in zip(rows, lats, lons, codes, strict=True):
        headline = row["source_headline"].split(";")[0].strip().rstrip(".")
        where = (row["where_description"] or "").strip().rstrip(".")
        precise = row["where_prec"] in ("1", "2")
        province = "PK-TA|PK-KP" if code in ("PK-TA", "PK-KP") else code
        out.append(
            DevCase(
                id=f"ucdp-{row['id']}",
                text=f"{headline}, in {where}." if where else f"{headline}.",
                published=_first_date(row["source_date"]),
                lat=lat if precise else None,
                lon=lon if precise else None,
                province=province if province and province != "nan" else None,
                day=date.fromisoformat(row["date_start"]) if row["date_prec"] == "1" else None,
                killed=(int(row["low"]), int(row["high"])),
                form="ucdp",
            )
        )
    return out
