"""A PDF report: the map picture, a timeline chart and summary tables.

The summary (counts by event type and province with the change against the
previous period, the cross-border events by origin and target, the sources by
publisher) keeps a report of any size to a few pages; the list of every
incident and article is added only for ``ReportView(full_list=True)``.

Laid out with matplotlib's PDF backend (imported on the first render).  The
manifest is in the document info (``/GeoReportManifest``).  Each page is one
``_..._page`` function; the table pages take their lines from
:mod:`geo.report.tables`.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from geo.maps import EVENT_COLORS
from geo.report.manifest import manifest_json
from geo.report.png import picture
from geo.report.static import pyplot
from geo.report.tables import (
    CROSS_BORDER_HEADER,
    INCIDENT_HEADER,
    PUBLISHER_HEADER,
    cross_border_lines,
    incident_lines,
    publisher_lines,
    source_lines,
    summary_lines,
)
from geo.report.view import (
    EMPTY_MESSAGE,
    ReportView,
    filter_summary,
    previous_period,
    report_period,
)
from geo.timeline import timeline_bin, timeline_counts

__all__ = ["render_pdf"]

_A4_LANDSCAPE = (11.69, 8.27)
_TABLE_ROWS = 40
#: Said where the incident list would be, in a report without it.
LIST_OMITTED = (
    "The list of every incident is left out of this report (summary tables only); "
    "ask for it with `geo report --full-list` or the full-list option of the report."
)


def _chunks(lines: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, max(len(lines), 1), size):
        yield lines[start : start + size]


def _text_page(pdf: Any, title: str, header: str, lines: list[str], footer: str) -> None:
    plt = pyplot()
    fig = plt.figure(figsize=_A4_LANDSCAPE)
    fig.text(0.04, 0.95, title, fontsize=14, fontweight="bold", parse_math=False)
    body = "\n".join([header, "-" * min(len(header), 150), *lines] if header else lines)
    widest = max((len(line) for line in [header, *lines]), default=0)
    size = 7.2 if widest > 125 else 8.5  # the incident list needs the small size to fit
    fig.text(0.04, 0.91, body or "(none)", fontsize=size, family="DejaVu Sans Mono", va="top",
             parse_math=False, linespacing=1.45)  # fmt: skip
    fig.text(0.96, 0.03, footer, fontsize=7, ha="right", parse_math=False)
    pdf.savefig(fig)
    plt.close(fig)


def _text_pages(pdf: Any, title: str, header: str, lines: list[str], footer: str) -> None:
    """``lines`` on as many pages as they need, ``title`` numbered from the second part."""
    for n, chunk in enumerate(_chunks(lines, _TABLE_ROWS), 1):
        _text_page(pdf, title + (f", part {n}" if n > 1 else ""), header, chunk, footer)


def _map_page(pdf: Any, png: bytes, footer: str) -> None:
    from PIL import Image

    plt = pyplot()
    with Image.open(io.BytesIO(png)) as img:
        pixels = img.convert("RGB")
    fig = plt.figure(figsize=_A4_LANDSCAPE)
    ax = fig.add_axes((0.03, 0.06, 0.94, 0.91))
    ax.imshow(pixels, interpolation="lanczos")
    ax.set_axis_off()
    fig.text(0.96, 0.03, footer, fontsize=7, ha="right", parse_math=False)
    pdf.savefig(fig, dpi=150)
    plt.close(fig)


def _draw_timeline(ax: Any, incidents: pd.DataFrame) -> None:
    dates = pd.to_datetime(incidents["event_date"])
    unit = timeline_bin(dates.min(), dates.max())  # the map's rule
    table = timeline_counts(incidents, unit)
    table.index = table.index.astype(str)
    bottom = pd.Series(0, index=table.index)
    for etype in table.columns:
        ax.bar(table.index, table[etype], bottom=bottom, label=str(etype),
               color=EVENT_COLORS.get(etype, "#555555"))  # fmt: skip
        bottom = bottom + table[etype]
    ax.set_ylabel(f"incidents per {unit}")
    ax.legend(fontsize=8, loc="upper left")
    step = max(1, len(table.index) // 30)
    ax.set_xticks(range(0, len(table.index), step))
    ax.set_xticklabels(list(table.index)[::step], rotation=60, ha="right", fontsize=7)


def _timeline_page(pdf: Any, incidents: pd.DataFrame, footer: str) -> None:
    plt = pyplot()
    fig = plt.figure(figsize=_A4_LANDSCAPE)
    fig.text(0.04, 0.95, "Timeline", fontsize=14, fontweight="bold")
    ax = fig.add_axes((0.07, 0.2, 0.88, 0.68))
    if incidents.empty:
        ax.text(0.5, 0.5, EMPTY_MESSAGE, ha="center", va="center", fontsize=16, parse_math=False)
        ax.set_axis_off()
    else:
        _draw_timeline(ax, incidents)
    fig.text(0.96, 0.03, footer, fontsize=7, ha="right", parse_math=False)
    pdf.savefig(fig)
    plt.close(fig)


def _pdf_metadata(manifest: Mapping[str, Any], view: ReportView) -> dict[str, Any]:
    return {
        "Title": view.title,
        "Subject": "; ".join(filter_summary(view.filters)),
        "Creator": f"geo-incidents {manifest['tool_version']}",
        "Keywords": f"data_sha256={manifest['data_sha256']}",
        "CreationDate": view.made(),
        "ModDate": None,
        "GeoReportManifest": manifest_json(manifest),
    }


def render_pdf(view: ReportView, engine: str = "auto") -> bytes:
    """A PDF report: the map picture, a timeline, the incidents table and their sources.

    The manifest is in the document info (``/GeoReportManifest``; the title and
    filter summary also in ``/Title`` and ``/Subject``).  ``engine`` as in
    :func:`geo.report.png.render_png`.
    """
    plt = pyplot()
    from matplotlib.backends.backend_pdf import PdfPages

    png, png_manifest = picture(view, engine)
    manifest = {**png_manifest, "format": "pdf"}
    credits = " · ".join([*manifest["credits"], f"geo-incidents {manifest['tool_version']}"])
    footer = f"{view.title} · made {view.made():%Y-%m-%d %H:%M} UTC · {credits}"
    buf = io.BytesIO()
    with (
        plt.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}),
        warnings.catch_warnings(),
    ):
        warnings.filterwarnings("ignore", message="Unknown infodict keyword")
        with PdfPages(buf, metadata=_pdf_metadata(manifest, view)) as pdf:
            _map_page(pdf, png, footer)
            _timeline_page(pdf, view.incidents, footer)
            _table_pages(pdf, view, footer)
    return buf.getvalue()


def _table_pages(pdf: Any, view: ReportView, footer: str) -> None:
    """Summary, cross-border events and sources; the full lists when asked for."""
    inc = view.incidents
    period = report_period(view)
    before = previous_period(*period) if period is not None else None
    summary = summary_lines(inc, view.previous, period, before)
    if inc.empty:
        summary = [EMPTY_MESSAGE, "", *summary]
    if not view.full_list:
        summary += ["", LIST_OMITTED]
    _text_pages(pdf, f"Summary ({len(inc)} incidents)", "", summary, footer)
    crossing = cross_border_lines(inc)
    _text_pages(pdf, f"Cross-border events, origin → target ({len(crossing)} pairs)",
                CROSS_BORDER_HEADER, crossing or ["(no cross-border events)"], footer)  # fmt: skip
    publishers = publisher_lines(inc)
    _text_pages(pdf, f"Sources by publisher ({len(publishers)})", PUBLISHER_HEADER,
                publishers or ["(no sources)"], footer)  # fmt: skip
    if view.full_list:
        table = incident_lines(inc)
        _text_pages(pdf, f"Incidents shown ({len(table)})", INCIDENT_HEADER,
                    table or [EMPTY_MESSAGE], footer)  # fmt: skip
        sources = source_lines(inc)
        _text_pages(pdf, "Sources", "", sources or ["(no sources)"], footer)
