"""Toponym in context → place: the offline, transliteration-aware geocoder.

:class:`OfflineGeocoder` looks names up in the :mod:`geo.gazetteer` index
(phonetic key, then a deletion index for near misses), scores the spelling with
rapidfuzz, and ranks places by kind, population, the country and province given
or mentioned in the text, and closeness to the other places of the same article.
It is a geopy ``Geocoder``, so it plugs in wherever geopy's are used; an online
Nominatim fallback exists but is off by default.

Every answer says how sure it is: ``resolved`` (one clear winner), ``ambiguous``
(several far-apart places score alike; runners-up listed) or ``unresolved`` (no
name close enough, with the reason) — never a wild guess.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import shelve
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple, TextIO

import numpy as np
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from rapidfuzz import fuzz, process

from geo._batchrank import prepare as prepare_batch
from geo._batchrank import rank_rows
from geo._errors import DataFileError, GeocodingError, InputRowError, SettingError
from geo._gc import collector_paused
from geo._scoring import (
    _ADMIN1,
    _ADMIN1_ISO,
    _ADMIN2,
    _COUNTRY,
    _FEATURE,
    _KM_PER_DEG_LAT,
    _LAT,
    _LON,
    _MAX_CANDIDATES,
    _PRECISION,
    _W_CONTEXT,
    _W_NAME,
    AMBIGUITY_MARGIN,
    AMBIGUOUS_KM,
    BATCH_COLUMNS,
    MIN_NAME_SCORE,
    SUPPORT_BONUS,
    _ambiguous_reason,
    _describe,
    _name_score,
    _no_letters,
    _no_match,
    _PlaceRow,
    _PlaceRows,
    _Scored,
    _spellings,
    haversine_km,
    haversine_km_np,
)
from geo._translit import clear_fold_caches, normalize
from geo.gazetteer import Gazetteer, PlaceMention, load_gazetteer
from geo.settings import Settings, get_settings

__all__ = [
    "BATCH_COLUMNS",
    "MIN_NAME_SCORE",
    "BatchReport",
    "Candidate",
    "GeocodeResult",
    "OfflineGeocoder",
    "PlaceMention",
    "geocode_csv",
    "geocode_rows",
    "get_geocoder",
]

_MEMO_SIZE = 16_384
_CHUNK = 4096  # batch rows scored together (names sharing a key share the work)
_FEW = 12  # below this many distinct spellings a Python loop beats rapidfuzz.cdist
_SMALL = 24  # below this many variants (and without context) plain Python beats numpy


@dataclass
class Candidate:
    """One place a name may refer to, with how well it fits.

    ``geo_precision`` is ``exact`` (a town or village), ``district``,
    ``province`` or ``country``; ``score`` is 0–1 (spelling, kind of place,
    population and context combined).
    """

    name: str
    matched_name: str
    lat: float
    lon: float
    feature: str
    country_iso2: str
    admin1: str
    admin1_iso: str
    admin2: str
    geo_precision: str
    score: float
    population: int = 0
    source_id: str = ""


@dataclass
class GeocodeResult:
    """The answer for one query: the best candidate and the ranked runners-up."""

    query: str
    status: str
    reason: str = ""
    best: Candidate | None = None
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (JSON-ready)."""
        return asdict(self)


class _Context(NamedTuple):
    """What is known around a name (a tuple: hashed in C, as memo keys are often)."""

    country: str | None = None
    admin1_iso: str | None = None
    text_countries: frozenset[str] = frozenset()
    text_provinces: frozenset[str] = frozenset()
    near: tuple[tuple[float, float], ...] = ()


_NO_CONTEXT = _Context()


class OfflineGeocoder(Geocoder):
    """Offline geocoder over a :class:`~geo.gazetteer.Gazetteer`, geopy-compatible.

    Parameters
    ----------
    gazetteer : Gazetteer
        The index (see :func:`get_geocoder` for the cached default).
    settings : Settings, optional
        Used for the optional online fallback (``GEO_ONLINE_GEOCODER`` …).
    online : bool, optional
        Override ``settings.online_geocoder``.
    """

    def __init__(
        self, gazetteer: Gazetteer, settings: Settings | None = None, online: bool | None = None
    ) -> None:
        super().__init__()
        self.gazetteer = gazetteer
        self.settings = settings or get_settings()
        self._online = self.settings.online_geocoder if online is None else online
        self._fallback: _OnlineFallback | None = None
        if self._online:
            self._fallback = _OnlineFallback(self.settings)
        # repeated names of a batch hit these memos; bounded, since each answer holds up to
        # eight candidates (100k distinct names would otherwise keep ~0.5 GB alive)
        self._resolve_cached = lru_cache(maxsize=_MEMO_SIZE)(self._resolve_uncached)
        self._row_memo: OrderedDict[tuple[str, _Context, str | None], dict[str, str]] = (
            OrderedDict()
        )
        self._rows = _PlaceRows(gazetteer)
        prepare_batch(gazetteer)  # per-variant tables, built once per gazetteer

    def clear_caches(self) -> None:
        """Forget every memoised answer and place row, and the spelling-fold caches
        (benchmarks use this to time cold lookups)."""
        self._resolve_cached.cache_clear()
        self._row_memo.clear()
        self._rows.clear()
        clear_fold_caches()

    # ------------------------------------------------------------ geopy face
    def geocode(
        self,
        query: str,
        exactly_one: bool = True,
        country: str | None = None,
        admin1: str | None = None,
        context: str | None = None,
        **_: Any,
    ) -> Location | list[Location] | None:
        """geopy-style lookup: ``Location`` (or a list of them), or None.

        ``raw`` holds every :class:`Candidate` field plus ``status`` and ``reason``.
        """
        result = self.resolve(query, country=country, admin1=admin1, context=context)
        if result.best is None:
            return None
        chosen = [result.best] if exactly_one else result.candidates
        locs = [_to_location(c, result) for c in chosen]
        return locs[0] if exactly_one else locs

    def reverse(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        """Reverse geocoding is not offered (use :func:`geo.boundaries.assign`)."""
        raise NotImplementedError("OfflineGeocoder does not reverse-geocode; use boundaries.assign")

    # ------------------------------------------------------------ our face
    def find_places(self, text: str) -> list[PlaceMention]:
        """Gazetteer names in running text; see :meth:`Gazetteer.find_places`."""
        return self.gazetteer.find_places(text)

    def resolve(
        self,
        name: str,
        country: str | None = None,
        admin1: str | None = None,
        context: str | None = None,
        context_places: Sequence[Candidate] = (),
    ) -> GeocodeResult:
        """Resolve one place name.

        Parameters
        ----------
        name : str
            The name as written.
        country : str, optional
            ISO2 code; only places in this country are accepted.
        admin1 : str, optional
            A province hint in any spelling; places in it are strongly preferred.
        context : str, optional
            Free text (e.g. the article); countries and provinces it mentions are
            mildly preferred.
        context_places : sequence of Candidate
            Other places of the same text; nearby candidates are preferred.

        Returns
        -------
        GeocodeResult

        Raises
        ------
        GeocodingError
            When ``country`` is not a two-letter code or ``admin1`` names no
            known province.
        """
        ctx = self._context(country, admin1, context, context_places)
        result = self._resolve_cached(str(name), ctx)
        if result.status == "unresolved" and self._fallback is not None:
            return self._fallback.resolve(str(name), country)
        return result

    def resolve_many(
        self, names: Sequence[str], country: str | None = None, context: str | None = None
    ) -> list[GeocodeResult]:
        """Resolve the places of one text together (closest consistent set wins).

        Each name is resolved alone first; then each is resolved again with the
        others' best answers as ``context_places``, so that an ambiguous village
        goes with the one near the rest of the article.
        """
        first = [self.resolve(n, country=country, context=context) for n in names]
        out = []
        for i, name in enumerate(names):
            others = [
                r.best
                for j, r in enumerate(first)
                if j != i
                and r.best is not None
                and r.status == "resolved"
                and r.best.geo_precision != "country"
            ]
            out.append(self.resolve(name, country=country, context=context, context_places=others))
        return out

    # ------------------------------------------------------------ internals
    def _context(
        self,
        country: str | None,
        admin1: str | None,
        context: str | None,
        context_places: Sequence[Candidate],
    ) -> _Context:
        cc = _clean_country(country)
        a1_iso = None
        if admin1 is not None and str(admin1).strip():
            found = self.gazetteer.province(str(admin1))
            if found is None:
                raise GeocodingError(
                    f"province hint {admin1!r} is not a known province name or ISO 3166-2 code "
                    "(e.g. 'Takhar' or 'AF-TAK')"
                )
            a1_iso = found[1]
        countries, provinces = self._text_context(context or "")
        near = tuple((c.lat, c.lon) for c in context_places)
        if cc is None and a1_iso is None and not countries and not provinces and not near:
            return _NO_CONTEXT
        return _Context(cc, a1_iso, countries, provinces, near)

    def _text_context(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        if not text:
            return frozenset(), frozenset()
        return _text_context_cached(self.gazetteer, text)

    def _resolve_uncached(self, name: str, ctx: _Context) -> GeocodeResult:
        ranked = self._rank(name, ctx)
        return GeocodeResult(
            name,
            ranked.status,
            ranked.reason,
            self._candidate(*ranked.scored[0]) if ranked.has_best else None,
            [self._candidate(*t) for t in ranked.scored],
        )

    def _row_cached(self, name: str, ctx: _Context, country: str | None) -> dict[str, str]:
        """Batch-row values for one name, memoised (bounded, least recently used out)."""
        key = (name, ctx, country)
        hit = self._row_memo.get(key)
        if hit is not None:
            self._row_memo.move_to_end(key)
            return hit
        return self._remember(key, self._values(name, self._rank(name, ctx), country))

    def _remember(
        self, key: tuple[str, _Context, str | None], values: dict[str, str]
    ) -> dict[str, str]:
        self._row_memo[key] = values
        if len(self._row_memo) > _MEMO_SIZE:
            self._row_memo.popitem(last=False)
        return values

    def _rows_batch(
        self, items: Sequence[tuple[str, _Context, str | None]]
    ) -> list[dict[str, str]]:
        """Batch-row values for many ``(name, context, country)`` at once, in order.

        The distinct names that come without context are ranked together, as arrays
        (:func:`geo._batchrank.rank_rows`); the answers are the same as
        :meth:`_row_cached` gives one by one.
        """
        out: list[dict[str, str] | None] = [None] * len(items)
        fresh: dict[str, list[int]] = {}
        for n, (name, ctx, country) in enumerate(items):
            hit = self._row_memo.get((name, ctx, country))
            if hit is not None:
                out[n] = hit
            elif ctx != _NO_CONTEXT or country is not None or self._fallback is not None:
                out[n] = self._row_cached(name, ctx, country)
            else:
                fresh.setdefault(name, []).append(n)
        for name, values in zip(fresh, rank_rows(self.gazetteer, list(fresh)), strict=True):
            self._remember((name, _NO_CONTEXT, None), values)
            for n in fresh[name]:
                out[n] = values
        return [v if v is not None else dict.fromkeys(BATCH_COLUMNS, "") for v in out]

    def _values(self, name: str, ranked: _Ranked, country: str | None) -> dict[str, str]:
        """Batch-row values of a ranked answer: only the best place becomes output, so
        no :class:`Candidate` objects are made."""
        if ranked.status == "unresolved" and self._fallback is not None:
            return _row_values(self._fallback.resolve(name, country))
        out = dict.fromkeys(BATCH_COLUMNS, "")
        out["status"], out["reason"] = ranked.status, ranked.reason
        if ranked.has_best and ranked.status != "unresolved":
            i, score, v = ranked.scored[0]
            row = self._rows[i]
            out.update(
                lat=f"{row[_LAT]:.6f}",
                lon=f"{row[_LON]:.6f}",
                matched_name=self.gazetteer.var_text[v],
                feature=row[_FEATURE],
                country_iso2=row[_COUNTRY],
                admin1=row[_ADMIN1],
                admin1_iso=row[_ADMIN1_ISO],
                admin2=row[_ADMIN2],
                geo_precision=row[_PRECISION],
                score=f"{score:.3f}",
            )
        return out

    def _rank(self, name: str, ctx: _Context) -> _Ranked:
        """The answer for ``name`` as light ``(place, score, variant)`` triples."""
        gaz = self.gazetteer
        qnorm = normalize(name)
        if not qnorm:
            return _Ranked("unresolved", _no_letters(name))
        variants, same_key = gaz.lookup(name)
        top = _top_places(gaz, qnorm, variants, same_key, ctx, _MAX_CANDIDATES * 2)
        if not top:
            return _Ranked("unresolved", _no_match(name))
        rows = self._rows
        scored = _with_support(rows, top)
        first = rows[scored[0][0]]
        if ctx.country and first[_COUNTRY] != ctx.country:
            reason = f"{name!r} matches places only outside the given country {ctx.country}"
            return _Ranked("unresolved", reason, scored)
        if ctx.admin1_iso and first[_ADMIN1_ISO] != ctx.admin1_iso:
            reason = (
                f"{name!r} matches no place in the given province {ctx.admin1_iso}; "
                "the closest spellings elsewhere are listed as candidates"
            )
            return _Ranked("unresolved", reason, scored)
        return _judge(name, scored, rows)

    def _candidate(self, place: int, score: float, variant: int) -> Candidate:
        r = self._rows[place]
        return Candidate(r[0], self.gazetteer.var_text[variant], *r[1:9], score, r[9], r[10])


class _Ranked(NamedTuple):
    """A ranked answer before any :class:`Candidate` is made: ``scored`` holds
    ``(place, score, variant)`` best first; ``has_best`` says whether the first is the
    answer (not when unresolved)."""

    status: str
    reason: str
    scored: Sequence[_Scored] = ()
    has_best: bool = False


def _clean_country(country: str | None) -> str | None:
    if country is None or not str(country).strip():
        return None
    cc = str(country).strip().upper()
    if len(cc) != 2 or not cc.isalpha():
        raise GeocodingError(
            f"country hint {country!r} is not an ISO 3166-1 alpha-2 code like 'AF'"
        )
    return cc


@lru_cache(maxsize=256)
def _text_context_cached(gaz: Gazetteer, text: str) -> tuple[frozenset[str], frozenset[str]]:
    countries: set[str] = set()
    provinces: set[str] = set()
    for m in gaz.find_places(text):
        for v in gaz.variants_for(m.surface, fuzzy=False):
            i = int(gaz.var_place[v])
            if gaz.var_norm[v] != m.key:
                continue
            if gaz.feature[i] == "country":
                countries.add(gaz.country[i])
            elif gaz.feature[i] == "province":
                provinces.add(gaz.admin1_iso[i])
                countries.add(gaz.country[i])
    return frozenset(countries), frozenset(provinces)


def _variant_sims(gaz: Gazetteer, qnorm: str, variants: np.ndarray, same_key: bool) -> np.ndarray:
    """Spelling similarity (:func:`_name_score`) of ``qnorm`` to each variant, computed
    once per distinct spelling (a common village name has hundreds of identical
    variants), with one rapidfuzz ``cdist`` call per form when there are many."""
    sp = _spellings(gaz)
    distinct_ids, inverse = np.unique(sp.norm_id[variants], return_inverse=True)
    ids = distinct_ids.tolist()
    norms = sp.norms
    if len(ids) <= _FEW:
        few = np.array([_name_score(qnorm, norms[k], same_key) for k in ids])
        return few[inverse]
    distinct = [norms[k] for k in ids]
    ratio = process.cdist([qnorm], distinct, scorer=fuzz.ratio, dtype=np.float64)[0]
    compact = process.cdist(
        [qnorm.replace(" ", "")],
        [sp.compact[k] for k in ids],
        scorer=fuzz.ratio,
        dtype=np.float64,
    )[0]
    base = np.maximum(ratio, compact) / 100.0
    # Spellings that share the phonetic key differ only by transliteration noise.
    sim = 0.85 + 0.15 * base if same_key else base * 0.95
    for k in np.flatnonzero(ratio == 100.0).tolist():  # identical spellings only
        if distinct[k] == qnorm:
            sim[k] = 1.0
    return sim[inverse]


def _top_places(
    gaz: Gazetteer,
    qnorm: str,
    variants: np.ndarray,
    same_key: bool,
    ctx: _Context,
    limit: int,
) -> list[_Scored]:
    """The ``limit`` best places for the normalised name ``qnorm`` among ``variants``
    (found through the index) as ``(place, score, variant)``, best first.

    All variants are scored at once with numpy; a place counts with its best-scoring
    spelling; places below the spelling floor drop out.
    """
    if not len(variants):
        return []
    if len(variants) <= _SMALL and ctx == _NO_CONTEXT:
        return _top_places_small(gaz, qnorm, variants, same_key, limit)
    sim = _variant_sims(gaz, qnorm, variants, same_key)
    keep = sim >= MIN_NAME_SCORE
    if not keep.all():
        variants, sim = variants[keep], sim[keep]
        if not len(variants):
            return []
    places = gaz.var_place[variants]
    if ctx.country:
        sim = sim - 0.5 * (gaz.country.codes[places] != gaz.country.code(ctx.country))
    total = _W_NAME * sim + _spellings(gaz).var_static[variants]
    if ctx != _NO_CONTEXT:
        total += _W_CONTEXT * _context_fit(gaz, places, ctx)
    return _best_places(total, places, variants, limit)


def _best_places(
    total: np.ndarray, places: np.ndarray, variants: np.ndarray, limit: int
) -> list[_Scored]:
    """The ``limit`` best places by ``total`` (one score per variant), each with its
    best variant (the first on ties), best first."""
    order = np.argsort(-total, kind="stable")
    ranked_places = places[order]
    # the first (best) variant of each place, places in the order of those variants
    _, first = np.unique(ranked_places, return_index=True)
    first.sort()
    pick = order[first[:limit]]
    return list(
        zip(
            places[pick].tolist(),
            total[pick].tolist(),
            variants[pick].tolist(),
            strict=True,
        )
    )


def _top_places_small(
    gaz: Gazetteer, qnorm: str, variants: np.ndarray, same_key: bool, limit: int
) -> list[_Scored]:
    """:func:`_top_places` without context for a few variants, in plain Python (for a
    handful of items numpy's per-call cost outweighs its speed)."""
    var_list = variants.tolist()
    places = gaz.var_place[variants].tolist()
    static = _spellings(gaz).var_static[variants].tolist()
    sims: dict[str, float] = {}
    best: dict[int, tuple[float, int, int]] = {}
    var_norm = gaz.var_norm
    for n, (v, i, base) in enumerate(zip(var_list, places, static, strict=True)):
        norm = var_norm[v]
        sim = sims.get(norm)
        if sim is None:
            sim = sims[norm] = _name_score(qnorm, norm, same_key)
        if sim >= MIN_NAME_SCORE:
            total = _W_NAME * sim + base
            if i not in best or total > best[i][0]:
                best[i] = (total, n, v)
    # as :func:`_best_places`: by score, ties in the order of each place's best variant
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[:limit]
    return [(i, total, v) for i, (total, _, v) in ranked]


def _context_fit(gaz: Gazetteer, places: np.ndarray, ctx: _Context) -> np.ndarray:
    """Province hint, countries and provinces named in the text, nearness to the
    text's other places: a fit in -1…1 per place."""
    fit = np.zeros(len(places))
    a1 = gaz.admin1_iso.codes[places]
    if ctx.admin1_iso:
        fit += np.where(a1 == gaz.admin1_iso.code(ctx.admin1_iso), 1.0, -0.6)
    if ctx.text_countries:
        codes = [gaz.country.code(c) for c in ctx.text_countries]
        fit += 0.3 * np.isin(gaz.country.codes[places], codes)
    if ctx.text_provinces:
        fit += 0.3 * np.isin(a1, [gaz.admin1_iso.code(p) for p in ctx.text_provinces])
    if ctx.near:
        lat, lon = gaz.lat[places], gaz.lon[places]
        d = np.min([haversine_km_np(lat, lon, a, b) for a, b in ctx.near], axis=0)
        fit += 0.5 * np.exp(-d / 150.0)
    return np.clip(fit, -1.0, 1.0)


def _with_support(rows: _PlaceRows, top: list[_Scored]) -> list[_Scored]:
    """Raise places that several gazetteer entries agree on (a district seat and its
    district, an alias and its town): +SUPPORT_BONUS per agreeing entry, at most two.
    Returns the best :data:`_MAX_CANDIDATES`, re-ranked, scores rounded to 4 places."""
    agree = _agreement([rows[t[0]] for t in top])
    if not any(agree):
        # ``top`` is best first and rounding keeps the order: only the kept ones need it
        return [(i, round(max(0.0, min(1.0, s)), 4), v) for i, s, v in top[:_MAX_CANDIDATES]]
    scored = []
    for (i, s, v), n in zip(top, agree, strict=True):
        base = round(max(0.0, min(1.0, s)), 4)
        scored.append((i, round(min(1.0, base + SUPPORT_BONUS * min(2, n)), 4), v))
    scored.sort(key=lambda t: -t[1])
    return scored[:_MAX_CANDIDATES]


def _agreement(places: list[_PlaceRow]) -> list[int]:
    """For each place row, how many others are the same place (the rule of
    :func:`_same_place`); only places of one province can agree."""
    agree = [0] * len(places)
    a1 = [p[_ADMIN1_ISO] for p in places]
    if len(set(a1)) == len(a1):
        return agree
    groups: dict[str, list[int]] = {}
    for n, code in enumerate(a1):
        if places[n][_PRECISION] != "province":  # a province never supports a place
            groups.setdefault(code, []).append(n)
    for members in groups.values():
        for x, y in itertools.combinations(members, 2):
            if _same_place(places[x], places[y], close_first=True):
                agree[x] += 1
                agree[y] += 1
    return agree


def _same_place(a: _PlaceRow, b: _PlaceRow, close_first: bool = False) -> bool:
    """Two entries for one place: same province and near, or a seat and its district.
    With ``close_first`` the caller already knows the provinces agree and neither is a
    province, and a cheap latitude test skips most distance computations."""
    if not close_first and (
        a[_ADMIN1_ISO] != b[_ADMIN1_ISO] or "province" in {a[_PRECISION], b[_PRECISION]}
    ):
        return False
    near = (
        not close_first or abs(a[_LAT] - b[_LAT]) * _KM_PER_DEG_LAT <= AMBIGUOUS_KM
    ) and haversine_km(a[_LAT], a[_LON], b[_LAT], b[_LON]) <= AMBIGUOUS_KM
    return near or (
        "district" in {a[_PRECISION], b[_PRECISION]}
        and bool(a[_ADMIN2])
        and a[_ADMIN2] == b[_ADMIN2]
    )


def _judge(name: str, scored: list[_Scored], rows: _PlaceRows) -> _Ranked:
    best_score = scored[0][1]
    best = rows[scored[0][0]]
    rivals = [
        row
        for row in (rows[i] for i, s, _ in scored[1:] if best_score - s < AMBIGUITY_MARGIN)
        if not _same_place(best, row) and not _nested(best, row)
    ]
    if not rivals:
        return _Ranked("resolved", "", scored, True)
    described = [_describe(r) for r in [best, *rivals][:4]]
    reason = _ambiguous_reason(name, described, len(rivals) + 1)
    return _Ranked("ambiguous", reason, scored, True)


def _nested(a: _PlaceRow, b: _PlaceRow) -> bool:
    """A place and the province/country that contains it do not compete."""
    coarse = {"province", "country"}
    if a[_PRECISION] in coarse or b[_PRECISION] in coarse:
        same_a1 = a[_ADMIN1_ISO] == b[_ADMIN1_ISO]
        return same_a1 or (
            a[_COUNTRY] == b[_COUNTRY] and "country" in {a[_PRECISION], b[_PRECISION]}
        )
    return False


def _to_location(c: Candidate, result: GeocodeResult) -> Location:
    raw = asdict(c) | {"status": result.status, "reason": result.reason, "query": result.query}
    address = ", ".join(p for p in (c.name, c.admin2, c.admin1, c.country_iso2) if p)
    return Location(address, (c.lat, c.lon), raw)


class _OnlineFallback:
    """geopy Nominatim behind a ≥ 1 s RateLimiter and a persistent shelve cache."""

    def __init__(self, settings: Settings) -> None:
        if not settings.geocoder_user_agent:
            raise SettingError(
                "GEO_GEOCODER_USER_AGENT",
                "",
                "a non-empty user agent",
                "the online geocoder requires one",
            )
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        nominatim = Nominatim(user_agent=settings.geocoder_user_agent)
        delay = max(1.0, settings.geocoder_min_delay_s)
        self._lookup = RateLimiter(nominatim.geocode, min_delay_seconds=delay)
        settings.cache_dir.mkdir(parents=True, exist_ok=True)
        self._cache_path = str(settings.cache_dir / "nominatim-cache")

    def resolve(self, name: str, country: str | None) -> GeocodeResult:
        key = json.dumps([name, country])
        with shelve.open(self._cache_path) as cache:
            if key not in cache:
                loc = self._lookup(name, country_codes=country.lower() if country else None)
                cache[key] = None if loc is None else (loc.address, loc.latitude, loc.longitude)
            hit = cache[key]
        if hit is None:
            return GeocodeResult(name, "unresolved", f"{name!r} not found offline or online")
        address, lat, lon = hit
        cand = Candidate(
            name=address,
            matched_name=name,
            lat=lat,
            lon=lon,
            feature="online",
            country_iso2=country or "",
            admin1="",
            admin1_iso="",
            admin2="",
            geo_precision="exact",
            score=0.5,
            source_id="nominatim",
        )
        return GeocodeResult(name, "resolved", "", cand, [cand])


_GEOCODERS: dict[Settings, OfflineGeocoder] = {}


def get_geocoder(settings: Settings | None = None) -> OfflineGeocoder:
    """The process-wide geocoder for ``settings`` (built or loaded once).

    Parameters
    ----------
    settings : Settings, optional
        Default :func:`geo.settings.get_settings`.

    Returns
    -------
    OfflineGeocoder
    """
    settings = settings or get_settings()
    if settings not in _GEOCODERS:
        _GEOCODERS[settings] = OfflineGeocoder(load_gazetteer(settings), settings)
    return _GEOCODERS[settings]


def nearest_distance_km(cands: Iterable[Candidate], lat: float, lon: float) -> float:
    """Smallest distance from (lat, lon) to any candidate (inf when none)."""
    dists = [haversine_km(c.lat, c.lon, lat, lon) for c in cands]
    return float(np.min(dists)) if dists else math.inf


# ====================================================================== batch


@dataclass
class BatchReport:
    """Counts of a batch run and the rows that had bad input (kept in the output)."""

    rows: int = 0
    resolved: int = 0
    ambiguous: int = 0
    unresolved: int = 0
    errors: list[InputRowError] = field(default_factory=list)

    def count(self, status: str) -> None:
        """Count one row with this status."""
        self.rows += 1
        if status == "resolved":
            self.resolved += 1
        elif status == "ambiguous":
            self.ambiguous += 1
        else:
            self.unresolved += 1


def _row_values(result: GeocodeResult) -> dict[str, str]:
    out = dict.fromkeys(BATCH_COLUMNS, "")
    out["status"], out["reason"] = result.status, result.reason
    best = result.best
    if best is not None and result.status != "unresolved":
        out.update(
            lat=f"{best.lat:.6f}",
            lon=f"{best.lon:.6f}",
            matched_name=best.matched_name,
            feature=best.feature,
            country_iso2=best.country_iso2,
            admin1=best.admin1,
            admin1_iso=best.admin1_iso,
            admin2=best.admin2,
            geo_precision=best.geo_precision,
            score=f"{best.score:.3f}",
        )
    return out


_Query = tuple[str, _Context, str | None]
_Rejected = tuple[dict[str, str], InputRowError]


def _prepare_row(
    geocoder: OfflineGeocoder, row: dict[str, str], source: str, line: int
) -> tuple[_Query | None, _Rejected | None]:
    """The query of one batch row, or its unresolved values and the input error."""
    name = (row.get("name") or "").strip()
    if not name:
        err = InputRowError(source, line, "name", row.get("name"), "the place name is empty")
        return None, (_row_values(GeocodeResult(name, "unresolved", str(err))), err)
    country = row.get("country") or None
    if country is None and not row.get("admin1") and not row.get("context"):
        return (name, _NO_CONTEXT, None), None
    try:
        ctx = geocoder._context(country, row.get("admin1") or None, row.get("context"), ())
    except GeocodingError as exc:
        column = "country" if "country hint" in str(exc) else "admin1"
        err = InputRowError(source, line, column, row.get(column), str(exc))
        return None, (_row_values(GeocodeResult(name, "unresolved", str(err))), err)
    return (name, ctx, country), None


def geocode_rows(
    rows: Iterable[dict[str, str]],
    geocoder: OfflineGeocoder,
    source: str = "<rows>",
    report: BatchReport | None = None,
) -> Iterator[dict[str, str]]:
    """Geocode table rows (``name``, optional ``country``, ``admin1``, ``context``).

    Parameters
    ----------
    rows : iterable of dict
        One dict per input row; every key is kept in the output row.
    geocoder : OfflineGeocoder
    source : str
        Names the input in error messages.
    report : BatchReport, optional
        Filled in as rows go by.

    Yields
    ------
    dict
        The input row with :data:`BATCH_COLUMNS` added (an input column of the same
        name is kept and the added one gets a ``geo_`` prefix).  A bad row is
        yielded too, unresolved, with the line number in ``reason``.
    """
    report = report if report is not None else BatchReport()
    numbered = enumerate(rows, start=2)
    while chunk := list(itertools.islice(numbered, _CHUNK)):
        with collector_paused():  # the chunk's objects form no cycles
            prepared = [_prepare_row(geocoder, row, source, line) for line, row in chunk]
            answers = iter(geocoder._rows_batch([q for q, _ in prepared if q is not None]))
        for (_, row), (_, rejected) in zip(chunk, prepared, strict=True):
            values, err = rejected if rejected is not None else (next(answers), None)
            if err is not None:
                report.errors.append(err)
            report.count(values["status"])
            yield _with_values(row, values)


def _with_values(row: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    """The input row with the answer's columns added (``geo_``-prefixed where the
    input already has a column of that name)."""
    if values.keys().isdisjoint(row):
        return row | values
    out = dict(row)
    for key, value in values.items():
        out[f"geo_{key}" if key in row else key] = value
    return out


def geocode_csv(
    in_path: Path | str, out: Path | str | TextIO, geocoder: OfflineGeocoder | None = None
) -> BatchReport:
    """Geocode a CSV file and write every row, in order, with the added columns.

    Raises
    ------
    DataFileError
        When the input cannot be read or has no ``name`` column.
    """
    in_path = Path(in_path)
    geocoder = geocoder or get_geocoder()
    report = BatchReport()
    try:
        fh = in_path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise DataFileError(in_path, f"cannot read the input CSV ({exc.strerror})") from None
    with fh:
        reader = csv.DictReader(fh)
        columns = list(reader.fieldnames or [])
        if "name" not in columns:
            raise DataFileError(
                in_path,
                f"no 'name' column (found {columns})",
                "The batch CSV needs a header with a 'name' column",
            )
        added = [f"geo_{c}" if c in columns else c for c in BATCH_COLUMNS]
        rows = geocode_rows(reader, geocoder, str(in_path), report)
        _write_rows(out, columns + added, rows)
    return report


def _write_rows(out: Path | str | TextIO, columns: list[str], rows: Iterable[dict]) -> None:
    if isinstance(out, str | Path):
        with Path(out).open("w", encoding="utf-8", newline="") as fh:
            _write_rows(fh, columns, rows)
        return
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
