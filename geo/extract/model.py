"""What extraction returns and what it needs: problems, results, the geocoder protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from geo._dates import Reference
from geo.incidents import Incident, Source
from geo.regions import COVERED_ISO2
from geo.settings import DATA_DIR

ACTORS_FILE = DATA_DIR / "actors.csv"
#: Countries the tool covers; places elsewhere are reported, never mapped.
REGION = frozenset(COVERED_ISO2)
_PRECISION_RANK = {"exact": 0, "district": 1, "province": 2, "country": 3}


class GeocoderLike(Protocol):
    """What extraction needs from a geocoder (see :class:`geo.geocode.OfflineGeocoder`)."""

    def find_places(self, text: str) -> Sequence[Any]: ...

    def resolve(
        self,
        name: str,
        country: str | None = None,
        admin1: str | None = None,
        context: str | None = None,
        context_places: Sequence[Any] = (),
    ) -> Any: ...


@dataclass
class Problem:
    """Something extraction could not use, with the reason and where."""

    source: str
    kind: str  # "article", "unresolved_place", "outside_region", "no_place", "year_unknown", …
    message: str
    text: str = ""


@dataclass
class ExtractionResult:
    """Incidents of one article plus everything that was left out and why."""

    source: Source | None
    incidents: list[Incident] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    reference: Reference | None = None
