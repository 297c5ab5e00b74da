"""Great-circle distance: the one haversine of the project (geocoder, boundaries, merge)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "haversine_km_np"]

#: Mean Earth radius (IUGG), kilometres.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_km_np(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> np.ndarray:
    """:func:`haversine_km` elementwise over arrays (or an array and a point), the same
    operations in the same order."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.subtract(lon2, lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
