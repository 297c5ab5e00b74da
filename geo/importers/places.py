"""Provinces and points for imported incidents: point in polygon, names, centroids."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from geo._errors import GeoError
from geo.boundaries import assign, load_admin1, provinces
from geo.incidents import Incident
from geo.regions import ProvinceSpellings
from geo.settings import Settings

# --------------------------------------------------------------------------- provinces


def _province_table(settings: Settings | None) -> ProvinceSpellings:
    """Province spelling ("Sindh province", "AJK", "FATA") -> (name, ISO 3166-2, country
    ISO2) through ``.get``: :func:`geo.boundaries.provinces`, the one table."""
    return provinces(settings)


def _fill_one(inc: Incident, hit: Mapping[str, Any], names: Mapping[str, Any]) -> None:
    if not inc.country_iso2:
        inc.country_iso2 = str(hit["country_iso2"] or "")
    if not inc.admin1 and hit["country_iso2"] == inc.country_iso2:
        inc.admin1, inc.admin1_iso = str(hit["admin1"] or ""), str(hit["admin1_iso"] or "")
        return
    if inc.admin1_iso or not inc.admin1:
        return
    if str(hit["admin1"]).casefold() == inc.admin1.casefold():
        inc.admin1_iso = str(hit["admin1_iso"] or "")
        return
    named = names.get(inc.admin1.casefold())
    if named and named[2] == inc.country_iso2:
        inc.admin1_iso = named[1]
    elif hit["country_iso2"] == inc.country_iso2:
        inc.admin1_iso = str(hit["admin1_iso"] or "")


def fill_provinces(incidents: Sequence[Incident], settings: Settings | None = None) -> list[str]:
    """Fill missing country, province and ISO 3166-2 codes in place; return warnings.

    The file's own province name wins; its code comes from the name table when
    the point falls in a different polygon (near borders).  Without boundary
    data the incidents are left as they are and one warning says why.
    """
    warnings = place_unlocated(incidents, settings)
    located = [inc for inc in incidents if inc.lat is not None and inc.lon is not None]
    if not located:
        return warnings
    try:
        lons = [float(i.lon) for i in located if i.lon is not None]
        lats = [float(i.lat) for i in located if i.lat is not None]
        hits = assign(lons, lats, settings=settings)
        names = _province_table(settings)
    except GeoError as exc:
        return [*warnings, f"provinces not assigned from boundaries: {exc}"]
    records: list[dict[str, Any]] = hits.to_dict("records")  # type: ignore[assignment]
    for inc, hit in zip(located, records, strict=True):
        _fill_one(inc, hit, names)
    missing = sum(1 for inc in incidents if not inc.admin1_iso)
    return warnings + ([f"{missing} incident(s) without a province code"] if missing else [])


def place_by_name(incidents: Sequence[Incident], geocoder: Any) -> list[Incident]:
    """Geocode incidents that have only a place name (no coordinates, country or
    province) with ``geocoder`` (``resolve(name, country, admin1)``); returns those still
    unplaced.  A resolved name gives the best candidate's point and province."""
    unplaced = []
    for inc in incidents:
        if inc.lat is not None or inc.country_iso2 or inc.admin1:
            continue
        result = geocoder.resolve(inc.location_name) if geocoder and inc.location_name else None
        if result is None or result.status != "resolved" or not result.candidates:
            unplaced.append(inc)
            continue
        best = result.candidates[0]
        inc.lat, inc.lon, inc.geo_precision = float(best.lat), float(best.lon), best.geo_precision
        inc.country_iso2, inc.admin1, inc.admin1_iso = (
            best.country_iso2, best.admin1, best.admin1_iso,
        )  # fmt: skip
        inc.admin2 = inc.admin2 or best.admin2
    return unplaced


def place_unlocated(incidents: Sequence[Incident], settings: Settings | None = None) -> list[str]:
    """Put incidents without coordinates at their province's representative point.

    The incident's ``admin1`` (any spelling the province table knows) decides; it gets
    ``geo_precision`` "province" and the province's code and country.  Incidents whose
    province is unknown stay at country level.  Returns warnings.
    """
    unplaced = [inc for inc in incidents if inc.lat is None and inc.admin1]
    if not unplaced:
        return []
    try:
        names = _province_table(settings)
        admin1 = load_admin1(settings)
    except GeoError as exc:
        return [f"{len(unplaced)} incident(s) without coordinates left at country level: {exc}"]
    points = dict(zip(admin1["iso_3166_2"], admin1.geometry.representative_point(), strict=True))
    for inc in unplaced:
        named = names.get(inc.admin1.casefold())
        point = points.get(named[1]) if named else None
        if named is None or point is None or (inc.country_iso2 and named[2] != inc.country_iso2):
            continue
        inc.lat, inc.lon, inc.geo_precision = float(point.y), float(point.x), "province"
        inc.admin1_iso, inc.country_iso2 = named[1], named[2]
    return []
