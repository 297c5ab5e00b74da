"""The manifest every report carries, and reading it back from a PNG, PDF or HTML file.

The manifest says what was shown (filters, extent, count, a hash of the data),
from which boundaries, by which tool and renderer.  It sits in the PNG's
``iTXt`` chunk, the PDF's document info and a JSON ``<script>`` in the HTML;
:func:`read_manifest` finds it in any of the three.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from geo._errors import DataFileError, GeoError
from geo._version import __version__
from geo.filters import to_query_params
from geo.report.view import (
    DEVICE_SCALE,
    MANIFEST_KEY,
    VIEWPORT,
    ReportView,
    credits,
    filter_summary,
    view_extent,
)
from geo.settings import Settings, get_settings

__all__ = ["build_manifest", "data_hash", "manifest_json", "read_manifest"]

_HTML_MANIFEST = re.compile(
    rf'<script type="application/json" id="{MANIFEST_KEY}">(.*?)</script>', re.DOTALL
)


def data_hash(incidents: pd.DataFrame) -> str:
    """SHA-256 of the incidents shown, independent of row and column order."""
    frame = pd.DataFrame(incidents.drop(columns="geometry", errors="ignore"))
    if "geometry" in incidents and len(incidents):
        geoms = incidents.geometry
        frame["_wkt"] = [g.wkt if g is not None and not g.is_empty else "" for g in geoms]
    frame = frame.reindex(sorted(frame.columns), axis=1)
    if "incident_id" in frame and len(frame):
        frame = frame.sort_values("incident_id", kind="stable")
    text = frame.to_json(orient="values", date_format="iso", double_precision=7)
    columns = json.dumps(list(frame.columns))
    return hashlib.sha256(f"{columns}\n{text}".encode()).hexdigest()


@functools.lru_cache(maxsize=16)
def _file_digest(path: str, mtime_ns: int, size: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _boundary_source(settings: Settings | None) -> dict[str, Any]:
    """Where the boundaries come from: folder, file names and their SHA-256."""
    try:
        settings = settings or get_settings()
    except GeoError as exc:
        return {"source": "Natural Earth 1:10m", "files": {}, "problem": str(exc)}
    folder = settings.boundaries_dir or settings.cache_dir / "natural_earth"
    files: dict[str, str] = {}
    for name in ("admin0.gpkg", "admin1.gpkg"):
        path = Path(folder) / name
        if path.is_file():
            stat = path.stat()
            files[name] = _file_digest(str(path), stat.st_mtime_ns, stat.st_size)
    return {"source": "Natural Earth 1:10m", "folder": str(folder), "files_sha256": files}


def build_manifest(view: ReportView, fmt: str, renderer: str, **extra: Any) -> dict[str, Any]:
    """The manifest stored in every output: what was shown, from which data, how.

    Parameters
    ----------
    view : ReportView
    fmt : {"png", "pdf", "html"}
    renderer : str
        ``"browser"``, ``"static"`` or ``"html"``.
    **extra
        Further keys, e.g. ``assets`` or ``fallback_reason``.
    """
    extent = view_extent(view)
    filters: dict[str, Any] = dict(to_query_params(view.filters))
    if view.filters.bbox is not None:
        filters["bbox"] = list(view.filters.bbox)
    manifest = {
        "tool": "geo-incidents",
        "tool_version": __version__,
        "format": fmt,
        "title": view.title,
        "made_at": view.made().isoformat().replace("+00:00", "Z"),
        "filters": filters,
        "filter_summary": filter_summary(view.filters),
        "extent": list(extent),
        "incident_count": len(view.incidents),
        "previous_period_count": None if view.previous is None else len(view.previous),
        "full_list": view.full_list,
        "data_sha256": data_hash(view.incidents),
        "boundaries": dict(view.boundary_source or _boundary_source(None)),
        "tiles": "OpenStreetMap" if view.tiles else None,
        "credits": credits(view),
        "renderer": renderer,
        "viewport": list(VIEWPORT),
        "device_scale_factor": DEVICE_SCALE,
    }
    manifest.update(extra)
    return manifest


def manifest_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as ASCII JSON with sorted keys (the form stored in every output)."""
    return json.dumps(manifest, sort_keys=True, ensure_ascii=True, default=str)


def _pdf_manifest(data: bytes) -> str | None:
    from pypdf import PdfReader  # optional (the test extra): needed only to read PDFs back

    meta = PdfReader(io.BytesIO(data)).metadata
    value = meta.get("/GeoReportManifest") if meta is not None else None
    return str(value) if value is not None else None


def _manifest_text(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG"):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return getattr(img, "text", {}).get(MANIFEST_KEY)
    if data.startswith(b"%PDF"):
        return _pdf_manifest(data)
    match = _HTML_MANIFEST.search(data.decode("utf-8", errors="replace"))
    return match.group(1) if match else None


def read_manifest(source: str | Path | bytes) -> dict[str, Any]:
    """The manifest stored in a report (PNG, PDF or HTML), from a path or the file's bytes.

    Reading a PDF's manifest needs ``pypdf``.
    """
    where = "the given bytes" if isinstance(source, bytes) else str(source)
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        raise DataFileError(where, f"cannot read the report: {exc.strerror or exc}") from None
    text = _manifest_text(data)
    if text is None:
        raise DataFileError(
            where, f"holds no {MANIFEST_KEY}", "Was it made by `python -m geo report`?"
        )
    try:
        return dict(json.loads(text))
    except ValueError as exc:
        raise DataFileError(where, f"its manifest is not valid JSON ({exc})") from None
