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

import json
import math
import shelve
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo._batchrank import prepare as prepare_batch
from geo._batchrank import rank_rows
from geo._distance import haversine_km
from geo._errors import GeocodingError, SettingError
from geo._filecontext import Tie, settle, tied_places
from geo._ranking import (
    _NO_CONTEXT,
    CITY_POPULATION,
    _clean_country,
    _Context,
    _judge,
    _literal_first,
    _Ranked,
    _text_context_cached,
    _top_places,
    _with_support,
)
from geo._scoring import (
    _ADMIN1,
    _ADMIN1_ISO,
    _ADMIN2,
    _COUNTRY,
    _FEATURE,
    _LAT,
    _LON,
    _MAX_CANDIDATES,
    _NAME,
    _POPULATION,
    _PRECISION,
    BATCH_COLUMNS,
    MIN_NAME_SCORE,
    _name_score,
    _no_letters,
    _no_match,
    _PlaceRow,
    _PlaceRows,
    _Scored,
)
from geo._translit import clear_fold_caches, fold, normalize
from geo.boundaries import km_outside_country, km_outside_province
from geo.gazetteer import Gazetteer, PlaceMention, load_gazetteer
from geo.regions import province_group, split_compound, split_feature_word, split_qualifier
from geo.settings import Settings, get_settings

__all__ = [
    "BATCH_COLUMNS",
    "MIN_NAME_SCORE",
    "Candidate",
    "GeocodeResult",
    "OfflineGeocoder",
    "PlaceMention",
    "get_geocoder",
]

_MEMO_SIZE = 16_384
#: "Between X and Y" is answered by the midpoint of X and Y when they are this close.
MAX_BETWEEN_KM = 150.0
#: A place filed under another country or province but this close to the hinted one's
#: border line answers the hint: a border crossing lies on both sides ("Torkham" given as
#: Pakistan's is Afghanistan's Torkham in GeoNames, on the line).
BORDER_KM = 2.0


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
        # the places tied first for an ambiguous answer of the row memo (same keys)
        self._tie_memo: dict[tuple[str, _Context, str | None], tuple[Tie, ...]] = {}
        self._rows = _PlaceRows(gazetteer)
        self._province_places: dict[str, int] | None = None
        prepare_batch(gazetteer)  # per-variant tables, built once per gazetteer

    def clear_caches(self) -> None:
        """Forget every memoised answer and place row, and the spelling-fold caches
        (benchmarks use this to time cold lookups)."""
        self._resolve_cached.cache_clear()
        self._row_memo.clear()
        self._tie_memo.clear()
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
            found = self.gazetteer.province(str(admin1), cc)
            if found is None:
                within = f" of {cc}" if cc else ""
                raise GeocodingError(
                    f"province hint {admin1!r} is not a known province name or ISO 3166-2 code"
                    f"{within} (e.g. 'Takhar' or 'AF-TAK')"
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
        ranked = self._rank(name, ctx)
        ties = tied_places(ranked.scored, self._rows) if ranked.status == "ambiguous" else ()
        return self._remember(key, self._values(name, ranked, country), ties)

    def _remember(
        self,
        key: tuple[str, _Context, str | None],
        values: dict[str, str],
        ties: tuple[Tie, ...] = (),
    ) -> dict[str, str]:
        self._row_memo[key] = values
        if ties:
            self._tie_memo[key] = ties
        if len(self._row_memo) > _MEMO_SIZE:
            self._tie_memo.pop(self._row_memo.popitem(last=False)[0], None)
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
            elif (
                ctx != _NO_CONTEXT
                or country is not None
                or self._fallback is not None
                or split_feature_word(name)[2]
                or split_qualifier(name)[1]
            ):
                out[n] = self._row_cached(name, ctx, country)
            else:
                fresh.setdefault(name, []).append(n)
        ties: dict[int, tuple[Tie, ...]] = {}
        ranked_rows = rank_rows(self.gazetteer, list(fresh), ties)
        for k, (name, values) in enumerate(zip(fresh, ranked_rows, strict=True)):
            if values["status"] == "unresolved" and any(split_compound(name)):
                values = self._values(name, self._rank(name, _NO_CONTEXT), None)  # a fallback
            self._remember((name, _NO_CONTEXT, None), values, ties.get(k, ()))
            for n in fresh[name]:
                out[n] = values
        return [v if v is not None else dict.fromkeys(BATCH_COLUMNS, "") for v in out]

    def _with_file_context(
        self, items: Sequence[tuple[str, _Context, str | None]], answers: list[dict[str, str]]
    ) -> list[dict[str, str]]:
        """``answers`` (of ``items``, in order) with ties between namesakes settled by the
        batch's sure places (:mod:`geo._filecontext`); still ``ambiguous``, the reason
        saying why this place."""
        return settle(items, answers, self._tie_memo, self.gazetteer, self._place_values)

    def _place_values(self, place: int, score: float, variant: int) -> dict[str, str]:
        """Batch-row values of one place (status and reason left empty)."""
        row = self._rows[place]
        return _columns(
            row[_LAT], row[_LON], self.gazetteer.var_text[variant], row[_FEATURE],
            row[_COUNTRY], row[_ADMIN1], row[_ADMIN1_ISO], row[_ADMIN2], row[_PRECISION], score,
        )  # fmt: skip

    def _values(self, name: str, ranked: _Ranked, country: str | None) -> dict[str, str]:
        """Batch-row values of a ranked answer: only the best place becomes output, so
        no :class:`Candidate` objects are made."""
        if ranked.status == "unresolved" and self._fallback is not None:
            return _row_values(self._fallback.resolve(name, country))
        if ranked.has_best and ranked.status != "unresolved":
            out = self._place_values(*ranked.scored[0])
        else:
            out = dict.fromkeys(BATCH_COLUMNS, "")
        out["status"], out["reason"] = ranked.status, ranked.reason
        return out

    def _rank(self, name: str, ctx: _Context, coarse: bool = True) -> _Ranked:
        """The answer for ``name`` as light ``(place, score, variant)`` triples.

        When nothing is found, a compound description ("IB in Sialkot district",
        "Miranshah-Datta Khel road") falls back to the places it names
        (:meth:`_rank_compound`) and, with ``coarse``, a name that matches nothing at all
        under a province hint to the province itself (:meth:`_rank_province`); both
        come back ``ambiguous``."""
        ranked = self._rank_simple(name, ctx)
        if ranked.status != "unresolved":
            return ranked
        fallback = self._rank_compound(name, ctx)
        if fallback is None and coarse and ctx.admin1_iso and not ranked.scored:
            fallback = self._rank_province(name, ctx.admin1_iso)
        return ranked if fallback is None else fallback

    def _rank_compound(self, name: str, ctx: _Context) -> _Ranked | None:
        """A compound description (:func:`~geo.regions.split_compound`): the midpoint of
        the first two places it names when they lie within MAX_BETWEEN_KM of each other,
        else the first found; with no parts found, the place left when lead words are
        dropped ("IB in Sialkot district")."""
        rest, parts = split_compound(name)
        found = [(p, r) for p in parts if (r := self._rank(p, ctx, coarse=False)).has_best]
        found = [(p, r) for p, r in found if r.status != "unresolved"]
        if not found:
            inner = self._rank(rest, ctx, coarse=False) if rest else None
            if inner is None or inner.status == "unresolved":
                return None
            reason = f"{name!r} is described by the place it lies in or along, {rest!r}"
            return _Ranked("ambiguous", reason, inner.scored, True)
        (first, a), *more = found
        if more:
            (second, b), *_ = more
            mid = self._midpoint(a.scored[0], b.scored[0], first, second)
            if mid is not None:
                reason = f"{name!r} lies between {first!r} and {second!r}: the midpoint"
                return _Ranked("ambiguous", reason, [mid], True)
        reason = f"{name!r} names {first!r} and more; the answer is {first!r}"
        return _Ranked("ambiguous", reason, a.scored, True)

    def _midpoint(self, a: _Scored, b: _Scored, first: str, second: str) -> _Scored | None:
        """A place row halfway between two answers (None when they are too far apart):
        it takes the province and country of the first, at district precision."""
        ra, rb = self._rows[a[0]], self._rows[b[0]]
        if haversine_km(ra[_LAT], ra[_LON], rb[_LAT], rb[_LON]) > MAX_BETWEEN_KM:
            return None
        lat, lon = (ra[_LAT] + rb[_LAT]) / 2, (ra[_LON] + rb[_LON]) / 2
        name = f"between {first} and {second}"
        row: _PlaceRow = (name, lat, lon, "midpoint", *ra[4:8], "district", 0, "")
        return (self._rows.add(row), min(a[1], b[1]), a[2])

    def _rank_province(self, name: str, iso: str) -> _Ranked | None:
        """The hinted province as a whole, when nothing of ``name`` is found."""
        place = self._provinces().get(iso)
        if place is None:
            return None
        reason = (
            f"nothing matches {name!r}; the answer is the hinted province {iso} as a whole "
            "(province precision)"
        )
        variant = int(np.flatnonzero(self.gazetteer.var_place == place)[0])
        return _Ranked("ambiguous", reason, [(place, 0.0, variant)], True)

    def _provinces(self) -> dict[str, int]:
        """ISO 3166-2 code → the gazetteer's province entry (built on first use)."""
        if self._province_places is None:
            gaz = self.gazetteer
            places = np.flatnonzero(gaz.feature.codes == gaz.feature.code("province"))
            self._province_places = {gaz.admin1_iso[i]: int(i) for i in places.tolist()}
        return self._province_places

    def _rank_simple(self, name: str, ctx: _Context) -> _Ranked:
        """:meth:`_rank` without its fallbacks.

        A trailing feature word ("Sam village", "Bajaur agency") is a hint about the
        kind of place, not part of the name: the rest is looked up, with districts
        preferred for "district"/"tehsil"/"agency" and settlements otherwise.  A place
        spelled exactly with its word ("Landhi Town") is that place; when the rest
        matches nothing, the whole name is tried.  A feature named after a place
        ("Dir Colony", "Kohat Road") is never ``resolved`` to that place: it may lie far
        from it."""
        place, within = split_qualifier(name)
        if within:
            return self._rank_within(place, within, name, ctx)
        base, word, kind = split_feature_word(name)
        if not kind:
            return self._rank_name(name, name, ctx, "")
        # a place may be named with its word ("Landhi Town", "Torkham Gate"); a unit
        # word is the unit's ("Awaran District" is also the seat's other name)
        whole = None
        if kind != "admin2":
            whole = self._rank_name(name, name, ctx, "", literal=True)
            spelled = whole.has_best and fold(self.gazetteer.var_text[whole.scored[0][2]])
            if spelled == fold(name):
                return whole
        ranked = self._rank_name(base, name, ctx, "site" if kind == "named" else kind)
        if ranked.status == "unresolved" and not ranked.scored:
            if kind == "named":  # a loose spelling of "X Road" is no answer when X is unknown
                return ranked
            whole = whole or self._rank_name(name, name, ctx, "")
            return whole if whole.scored else ranked
        if ranked.status != "resolved":
            return ranked
        if kind == "named":
            reason = (
                f"{name!r} is a {word} named after {base!r}, which it may lie far from; "
                f"the answer is {base!r}"
            )
            return ranked._replace(status="ambiguous", reason=reason)
        if kind == "village" and self._rows[ranked.scored[0][0]][_POPULATION] >= CITY_POPULATION:
            reason = f"{name!r} names a village; the only match is the city of {base!r}"
            return ranked._replace(status="ambiguous", reason=reason)
        return ranked

    def _rank_within(self, place: str, within: str, name: str, ctx: _Context) -> _Ranked:
        """``place`` near the larger place ``within`` ("Maizer locality, Datta Khel
        tehsil"): the larger place, when found, counts as a nearby place of the text, and
        when it is a district, places in it are preferred ("Gandao village, Mohmand
        agency")."""
        outer = self._rank(within, ctx, coarse=False)
        if outer.has_best and outer.status != "unresolved":
            row = self._rows[outer.scored[0][0]]
            ctx = ctx._replace(near=(*ctx.near, (row[_LAT], row[_LON])))
            if row[_PRECISION] == "district":  # a place in it, not only near it
                ctx = ctx._replace(admin2=row[_ADMIN2])
        ranked = self._rank(place, ctx, coarse=False)
        if ranked.status == "unresolved" and not ranked.scored and outer.has_best:
            reason = f"{place!r} is not found; the answer is the place it lies in, {within!r}"
            return _Ranked("ambiguous", reason, outer.scored, True)
        return ranked

    def _rank_name(
        self, query: str, name: str, ctx: _Context, kind: str, literal: bool = False
    ) -> _Ranked:
        """:meth:`_rank` for the spelling ``query`` of ``name`` and a kind of place.

        With ``literal``, among the places tied first the one spelled exactly as
        ``name``, feature word included, goes first: "Landhi Town" before the villages
        "Landhi" (the compared spelling leaves such words out)."""
        gaz = self.gazetteer
        qnorm = normalize(query)
        if not qnorm:
            return _Ranked("unresolved", _no_letters(name))
        variants, same_key = gaz.lookup(query)
        top = _top_places(gaz, qnorm, variants, same_key, ctx, _MAX_CANDIDATES * 2, kind)
        if not top:
            return _Ranked("unresolved", _no_match(name))
        rows = self._rows
        scored = _with_support(rows, top)
        if literal:
            scored = _literal_first(gaz, scored, name)
        first = rows[scored[0][0]]
        border = ""
        outside = self._outside_hints(first, ctx)
        if outside and self._on_border(first, ctx):
            border = (
                f"{first[_NAME]!r} lies on the border line, within {BORDER_KM:g} km of "
                f"{ctx.admin1_iso or ctx.country}, and is filed under "
                f"{first[_ADMIN1_ISO] or first[_COUNTRY]}"
            )
        elif outside == "country":
            reason = f"{name!r} matches places only outside the given country {ctx.country}"
            return _Ranked("unresolved", reason, scored)
        elif outside == "province":
            reason = (
                f"{name!r} matches no place in the given province {ctx.admin1_iso}; "
                "the closest spellings elsewhere are listed as candidates"
            )
            return _Ranked("unresolved", reason, scored)
        sim = _name_score(qnorm, gaz.var_norm[scored[0][2]], same_key)
        compact = qnorm.replace(" ", "")
        exact = [gaz.var_norm[v].replace(" ", "") == compact for _, _, v in scored]
        hinted = "province" if ctx.admin1_iso else "country" if ctx.country else ""
        judged = _judge(name, scored, rows, exact, sim, hinted)
        if border:
            judged = judged._replace(reason="; ".join(r for r in (judged.reason, border) if r))
        return judged

    @staticmethod
    def _outside_hints(row: _PlaceRow, ctx: _Context) -> str:
        """Which hint a place is outside of: "country", "province" or ""."""
        if ctx.country and row[_COUNTRY] != ctx.country:
            return "country"
        if ctx.admin1_iso and row[_ADMIN1_ISO] not in province_group(ctx.admin1_iso):
            return "province"
        return ""

    def _on_border(self, row: _PlaceRow, ctx: _Context) -> bool:
        """Whether a place filed under another country or province lies within
        :data:`BORDER_KM` of the hinted ones (a border crossing is on both sides)."""
        if self.settings.boundaries_dir is None:
            return False
        lon, lat = [row[_LON]], [row[_LAT]]
        near = True
        if ctx.country and row[_COUNTRY] != ctx.country:
            near = bool(km_outside_country(lon, lat, [ctx.country], self.settings)[0] <= BORDER_KM)
        if near and ctx.admin1_iso and row[_ADMIN1_ISO] not in province_group(ctx.admin1_iso):
            near = any(
                km_outside_province(lon, lat, [iso], self.settings)[0] <= BORDER_KM
                for iso in province_group(ctx.admin1_iso)
            )
        return near

    def _candidate(self, place: int, score: float, variant: int) -> Candidate:
        r = self._rows[place]
        return Candidate(r[0], self.gazetteer.var_text[variant], *r[1:9], score, r[9], r[10])


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
# The table API (``geocode_rows``, ``geocode_csv``) is in :mod:`geo.geocode_batch`.


def _columns(  # noqa: PLR0913 - one value per output column
    lat: float,
    lon: float,
    matched: str,
    feature: str,
    country: str,
    admin1: str,
    admin1_iso: str,
    admin2: str,
    precision: str,
    score: float,
) -> dict[str, str]:
    """Batch-row values of a place, as written out (status and reason left empty)."""
    out = dict.fromkeys(BATCH_COLUMNS, "")
    out.update(
        lat=f"{lat:.6f}", lon=f"{lon:.6f}", matched_name=matched, feature=feature,
        country_iso2=country, admin1=admin1, admin1_iso=admin1_iso, admin2=admin2,
        geo_precision=precision, score=f"{score:.3f}",
    )  # fmt: skip
    return out


def _row_values(result: GeocodeResult) -> dict[str, str]:
    best = result.best
    if best is not None and result.status != "unresolved":
        out = _columns(
            best.lat, best.lon, best.matched_name, best.feature, best.country_iso2,
            best.admin1, best.admin1_iso, best.admin2, best.geo_precision, best.score,
        )  # fmt: skip
    else:
        out = dict.fromkeys(BATCH_COLUMNS, "")
    out["status"], out["reason"] = result.status, result.reason
    return out
