"""Reports of one map view: PNG picture, PDF report and stand-alone HTML map.

The modules, in the order the data flows through them:

* :mod:`~geo.report.view` — :class:`ReportView` (what is shown), its extent, captions, credits;
* :mod:`~geo.report.manifest` — the manifest every output carries
  (:func:`build_manifest`, :func:`data_hash`) and :func:`read_manifest`;
* :mod:`~geo.report.html` — the folium page: :func:`render_html`, and the page photographed;
* :mod:`~geo.report.browser` — headless Chromium, one kept between renders, started on first
  use (nothing runs at import) and closed after :data:`~geo.report.browser.BROWSER_IDLE_S`
  idle seconds, at exit or on :func:`close_browser`;
* :mod:`~geo.report.static` — the matplotlib renderer, the fallback without a browser;
* :mod:`~geo.report.png` — :func:`render_png`: browser, else static;
* :mod:`~geo.report.tables` — the summary tables (by type and province with the change
  against the previous period, cross-border events, publishers) and the full lists;
* :mod:`~geo.report.pdf` — :func:`render_pdf`: map, timeline, tables;
* :mod:`~geo.report.files` — :func:`write_report` to a ``.png``, ``.pdf`` or ``.html`` file.

The same view gives the same picture: the viewport, device scale, fonts and
network are fixed, and the date made is part of the view.  The package imports
only the modules it uses (never ``geo`` itself), so ``geo/__init__.py`` can
re-export it without an import cycle.
"""

from geo.report.basemap import ReportBasemap, report_basemap
from geo.report.browser import close_browser
from geo.report.files import write_report
from geo.report.html import render_html
from geo.report.manifest import build_manifest, data_hash, read_manifest
from geo.report.pdf import render_pdf
from geo.report.png import render_png
from geo.report.view import (
    EMPTY_MESSAGE,
    FORMATS,
    MANIFEST_KEY,
    VIEWPORT,
    ReportView,
    filter_summary,
    previous_filters,
    previous_period,
    report_period,
    view_extent,
)

__all__ = [
    "EMPTY_MESSAGE",
    "FORMATS",
    "MANIFEST_KEY",
    "VIEWPORT",
    "ReportBasemap",
    "ReportView",
    "build_manifest",
    "close_browser",
    "data_hash",
    "filter_summary",
    "previous_filters",
    "previous_period",
    "read_manifest",
    "render_html",
    "render_pdf",
    "render_png",
    "report_basemap",
    "report_period",
    "view_extent",
    "write_report",
]
