"""What a report shows: :class:`ReportView`, its extent and its captions.

A view is everything that decides the picture: the incidents shown, the
filters that chose them, the boundaries, the extent, the title, whether tiles
are wanted and the time the report is made.  The same view gives the same
picture; the date made is part of the view, not read from the clock while
drawing.  Every renderer (:mod:`geo.report.html`, :mod:`geo.report.static`,
:mod:`geo.report.pdf`) reads the view through the helpers here, so the
captions, credits and extent are worded and computed in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import geopandas as gpd
import pandas as pd

from geo._errors import ReportError
from geo._version import __version__
from geo.filters import Filters
from geo.report.basemap import ReportBasemap

__all__ = [
    "DEVICE_SCALE",
    "EMPTY_MESSAGE",
    "FORMATS",
    "MANIFEST_KEY",
    "REGION_EXTENT",
    "VIEWPORT",
    "ReportView",
    "caption_lines",
    "check_extent",
    "credit_line",
    "credits",
    "filter_summary",
    "previous_filters",
    "previous_period",
    "report_period",
    "view_extent",
]

FORMATS = ("png", "pdf", "html")
MANIFEST_KEY = "geo-report-manifest"
VIEWPORT = (1280, 860)
DEVICE_SCALE = 1
EMPTY_MESSAGE = "No incidents match these filters"
#: Shown when there is nothing to fit to: Afghanistan and its neighbours (W, S, E, N).
REGION_EXTENT = (60.0, 29.0, 75.5, 38.8)
_PAD_DEG = 0.5
_CREDITS = ("Boundaries: Natural Earth", "Places: GeoNames (CC BY 4.0)")
_TILE_CREDIT = "Tiles: © OpenStreetMap contributors"


@dataclass(frozen=True, eq=False)
class ReportView:
    """One view of the map, exactly as the report should show it.

    Parameters
    ----------
    incidents : GeoDataFrame
        The incidents shown (already filtered), columns of
        :func:`geo.incidents.incidents_to_frame`.
    filters : Filters
        The filters that chose them; summarised on the picture and in the manifest.
    provinces, countries : GeoDataFrame, optional
        Admin-1 and admin-0 polygons (:func:`geo.boundaries.load_admin1`/``load_admin0``).
    title : str
        Printed on top; escaped before it reaches HTML.
    extent : (W, S, E, N), optional
        Area shown; default ``filters.bbox``, else the incidents' bounds, else the region.
    tiles : bool
        Show OpenStreetMap tiles under the data (needs internet); default offline basemap.
    made_at : datetime, optional
        When the report is made (UTC); default now.  Fix it for identical output.
    boundary_source : mapping, optional
        Boundary description for the manifest; default read from the settings.
    previous : DataFrame, optional
        The incidents the same filters choose in the previous period of the same
        length (:func:`previous_filters`); the summary tables then show the change.
    full_list : bool
        Add the list of every incident shown to the PDF (default: summary tables only).
    basemap : ReportBasemap, optional
        Relief, water and labels drawn under the data
        (:func:`geo.report.basemap.report_basemap`); default the plain country fill.
    """

    incidents: gpd.GeoDataFrame
    filters: Filters = field(default_factory=Filters)
    provinces: gpd.GeoDataFrame | None = None
    countries: gpd.GeoDataFrame | None = None
    title: str = "Incident map"
    extent: tuple[float, float, float, float] | None = None
    tiles: bool = False
    made_at: datetime | None = None
    boundary_source: Mapping[str, Any] | None = None
    previous: pd.DataFrame | None = None
    full_list: bool = False
    basemap: ReportBasemap | None = None

    def made(self) -> datetime:
        """``made_at`` in UTC, to the second (now when unset)."""
        when = self.made_at or datetime.now(UTC)
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        return when.replace(microsecond=0)


def _points(incidents: gpd.GeoDataFrame) -> gpd.GeoSeries:
    geoms = incidents.geometry
    return geoms[geoms.notna() & ~geoms.is_empty] if len(geoms) else geoms


def view_extent(view: ReportView) -> tuple[float, float, float, float]:
    """The area shown (W, S, E, N): explicit extent, filter bbox, incidents' bounds or region."""
    if view.extent is not None:
        return tuple(float(v) for v in view.extent)  # type: ignore[return-value]
    if view.filters.bbox is not None:
        return tuple(float(v) for v in view.filters.bbox)  # type: ignore[return-value]
    points = _points(view.incidents) if len(view.incidents) else None
    if points is None or not len(points):
        return REGION_EXTENT
    w, s, e, n = (float(v) for v in points.total_bounds)
    return w - _PAD_DEG, s - _PAD_DEG, e + _PAD_DEG, n + _PAD_DEG


def report_period(view: ReportView) -> tuple[date, date] | None:
    """The days the report covers: the filter's dates, else the shown incidents' first and last.

    An open end of the filter is closed by the incidents; None when neither says.
    """
    dates = view.incidents["event_date"] if "event_date" in view.incidents else pd.Series()
    dates = pd.to_datetime(dates).dropna()
    first = dates.min().date() if len(dates) else None
    last = dates.max().date() if len(dates) else None
    start, end = view.filters.date_from or first, view.filters.date_to or last
    if start is None or end is None or end < start:
        return None
    return start, end


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before ``start``."""
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def previous_filters(filters: Filters, incidents: pd.DataFrame) -> Filters | None:
    """``filters`` moved to the previous period of the same length (None: no period known).

    Load the incidents of these filters and pass them as ``ReportView(previous=...)``.
    """
    period = report_period(ReportView(incidents, filters))
    if period is None:
        return None
    start, end = previous_period(*period)
    return filters.with_(date_from=start, date_to=end)


def check_extent(extent: tuple[float, float, float, float]) -> None:
    """Raise :class:`ReportError` unless ``extent`` is a box W, S, E, N in degrees."""
    w, s, e, n = extent
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise ReportError(
            f"extent {extent!r} is not a box W,S,E,N in degrees with W < E and S < N "
            "(longitudes -180..180, latitudes -90..90)"
        )


def _join(values: Sequence[str], limit: int = 110) -> str:
    text = ", ".join(values)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def filter_summary(
    filters: Filters, extent: tuple[float, float, float, float] | None = None
) -> list[str]:
    """Plain-text lines describing ``filters`` (and the area shown), for captions."""
    start = filters.date_from.isoformat() if filters.date_from else "start"
    end = filters.date_to.isoformat() if filters.date_to else "latest"
    lines = [f"Time window: {start} to {end}" if filters.date_from or filters.date_to
             else "Time window: all dates"]  # fmt: skip
    for label, values in (
        ("Countries", filters.countries),
        ("Provinces", filters.provinces),
        ("Event types", filters.event_types),
        ("Actors", filters.actors),
        ("Claim status", filters.claim_statuses),
    ):
        if values:
            lines.append(f"{label}: {_join(values)}")
    if filters.cross_border:
        lines.append("Cross-border events only")
    if filters.min_fatalities is not None:
        lines.append(f"At least {filters.min_fatalities} killed")
    if filters.text:
        lines.append(f"Text: “{_join([filters.text], 60)}”")
    if extent is not None:
        lines.append("Area: W {:.2f}, S {:.2f}, E {:.2f}, N {:.2f}".format(*extent))
    return lines


def caption_lines(view: ReportView) -> list[str]:
    """The lines under the title: how many shown and when made, the filters, the area."""
    when = view.made().strftime("%Y-%m-%d %H:%M UTC")
    n = len(view.incidents)
    shown = f"{n} incident{'s' if n != 1 else ''} shown · made {when}"
    return [shown, *filter_summary(view.filters, view_extent(view))]


def credits(view: ReportView) -> list[str]:
    """Whose data the picture shows (the basemap's sources; tiles only when drawn)."""
    drawn = view.basemap is not None and not view.basemap.problem
    base = [view.basemap.credits] if drawn and view.basemap is not None else list(_CREDITS)
    return [*base, *([_TILE_CREDIT] if view.tiles else [])]


def credit_line(view: ReportView) -> str:
    """The credits and the tool's version on one line, for the picture's corner."""
    return " · ".join([*credits(view), f"geo-incidents {__version__}"])
